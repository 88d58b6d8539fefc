import { CCV_ERROR } from "../../../connectors/ccv-salespos/ccv.vendor-facts";
import { sortBy } from "../ccv.query";
import type { CcvStore } from "../ccv.store";
import { CcvTable, created, done, ok, type CcvRouter, type Rec } from "../ccv.table";
import { CcvSandboxError, invalid, validateBody, type BodySpec } from "../ccv.validate";

/**
 * Categories, the category tree and the product↔category links (§5.3). A deleted category's
 * children move to the root and its links go with it.
 */

export interface CategoryRec {
  id: number;
  name: string;
  description: string;
  parentcategory_id: number | null;
  position: number;
  show_on_website: boolean;
  extra: Rec;
}

export interface ProductToCategoryRec {
  id: number;
  product_id: number;
  category_id: number;
  position: number;
}

// write schema (field names from §5.3; types from the docs-generated schemas)
const CATEGORY_FIELDS: BodySpec = {
  name: "!string",
  description: "string",
  description_bottom: "string",
  searchwords: "string",
  parentcategory_id: "integer?",
  position: "integer",
  show_on_website: "boolean",
  color: "string?",
  color_alternative: "integer?",
  show_big_photo: "boolean",
  productphoto_in_canvas: "boolean",
  show_orderbutton: "boolean",
  orderby: "string?",
  items_per_page: "integer",
  meta_description: "string",
  meta_keywords: "string",
  page_title: "string",
  no_index: "boolean",
  no_follow: "boolean",
  alias: "string",
};

export class CcvCategories extends CcvTable<CategoryRec> {
  constructor(store: CcvStore) {
    super(store, "Category", 3_000);
  }

  create(body: unknown): CategoryRec {
    const b = validateBody(body, CATEGORY_FIELDS, { resource: "categories" });
    const parent = (b.parentcategory_id as number | null | undefined) ?? null;
    if (parent !== null) this.require(parent);
    const siblings = [...this.values()].filter((c) => c.parentcategory_id === parent);
    const { name, description, parentcategory_id: _p, position, show_on_website, ...extra } = b;
    const rec: CategoryRec = {
      id: this.nextId(),
      name: name as string,
      description: (description as string | undefined) ?? "",
      parentcategory_id: parent,
      position: (position as number | undefined) ?? siblings.length + 1,
      show_on_website: (show_on_website as boolean | undefined) ?? true,
      extra,
    };
    this.set(rec.id, rec);
    this.store.emitEntity("categories.created", `/categories/${rec.id}`, rec.id);
    return rec;
  }

  patch(id: number, body: unknown): void {
    const rec = this.require(id);
    const b = validateBody(body, CATEGORY_FIELDS, { partial: true, resource: "categories" });
    if (b.parentcategory_id !== undefined && b.parentcategory_id !== null) {
      let p: number | null = b.parentcategory_id as number;
      while (p !== null) {
        if (p === id) throw invalid("A category cannot be placed below itself.");
        p = this.require(p).parentcategory_id;
      }
    }
    for (const [k, v] of Object.entries(b)) {
      if (k in rec && k !== "extra" && k !== "id") (rec as unknown as Rec)[k] = v;
      else rec.extra[k] = v;
    }
    this.store.emitEntity("categories.updated", `/categories/${id}`, id);
  }

  remove(id: number): void {
    this.require(id);
    this.delete(id);
    for (const c of this.values()) if (c.parentcategory_id === id) c.parentcategory_id = null;
    const links = this.store.productToCategories;
    for (const [k, v] of links) if (v.category_id === id) links.delete(k);
    this.store.emitEntity("categories.deleted", `/categories/${id}`, id);
  }

  sorted(q: Record<string, string>, parent?: number): CategoryRec[] {
    const all = [...this.values()].filter((c) => parent === undefined || c.parentcategory_id === parent);
    return sortBy(all, q.orderby, ["id", "name", "position"], (c, f) => (c as unknown as Rec)[f]);
  }

  render(c: CategoryRec): Rec {
    return {
      href: this.href(`/categories/${c.id}`),
      id: c.id,
      name: c.name,
      description: c.description,
      description_photo_size: null,
      description_photo_position: null,
      description_photo: null,
      description_bottom: "",
      searchwords: "",
      photo: null,
      show_big_photo: false,
      productphoto_in_canvas: false,
      show_orderbutton: true,
      orderby: null,
      items_per_page: 24,
      position: c.position,
      show_on_website: c.show_on_website,
      color: null,
      color_alternative: null,
      meta_description: "",
      meta_keywords: "",
      page_title: "",
      no_index: false,
      no_follow: false,
      alias: c.name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
      ...c.extra,
      producttocategories: { href: this.href(`/categories/${c.id}/producttocategories`) },
      deeplink: `${this.store.shopRoot()}/c/${c.id}`,
      categories: { href: this.href(`/categories/${c.id}/categories`) },
      parentcategory:
        c.parentcategory_id === null
          ? null
          : { id: c.parentcategory_id, href: this.href(`/categories/${c.parentcategory_id}`) },
      parent: { href: this.href("/categories") },
    };
  }

  renderTree(): Rec {
    const node = (c: CategoryRec): Rec => ({
      href: this.href(`/categories/${c.id}`),
      id: c.id,
      name: c.name,
      description: c.description,
      position: c.position,
      show_on_website: c.show_on_website,
      deeplink: `${this.store.shopRoot()}/c/${c.id}`,
      children: this.childrenOf(c.id).map(node),
    });
    return { href: this.href("/categorytree"), root_categories: this.childrenOf(null).map(node) };
  }

  private childrenOf(parent: number | null): CategoryRec[] {
    return [...this.values()]
      .filter((c) => c.parentcategory_id === parent)
      .sort((a, b) => a.position - b.position || a.id - b.id);
  }
}

export class CcvProductToCategories extends CcvTable<ProductToCategoryRec> {
  constructor(store: CcvStore) {
    super(store, "Product to category", 40_000);
  }

  ofProduct(productId: number): ProductToCategoryRec[] {
    return [...this.values()].filter((l) => l.product_id === productId);
  }

  ofCategory(categoryId: number): ProductToCategoryRec[] {
    return [...this.values()].filter((l) => l.category_id === categoryId);
  }

  create(body: unknown): ProductToCategoryRec {
    const b = validateBody(
      body,
      { product_id: "!integer", category_id: "!integer", position: "integer" },
      { resource: "producttocategories" },
    );
    this.store.products.require(b.product_id as number);
    this.store.categories.require(b.category_id as number);
    const dup = [...this.values()].find(
      (l) => l.product_id === b.product_id && l.category_id === b.category_id,
    );
    if (dup)
      throw new CcvSandboxError(
        500,
        CCV_ERROR.PROPERTY_ALREADY_EXISTS,
        "This product is already in this category.",
      );
    const rec: ProductToCategoryRec = {
      id: this.nextId(),
      product_id: b.product_id as number,
      category_id: b.category_id as number,
      position: (b.position as number | undefined) ?? this.ofCategory(b.category_id as number).length + 1,
    };
    this.set(rec.id, rec);
    return rec;
  }

  patch(id: number, body: unknown): void {
    const l = this.require(id);
    const b = validateBody(body, { position: "integer" }, { partial: true, resource: "producttocategories" });
    if (b.position !== undefined) l.position = b.position as number;
  }

  render(l: ProductToCategoryRec): Rec {
    return {
      href: this.href(`/producttocategories/${l.id}`),
      id: l.id,
      position: l.position,
      product_id: l.product_id,
      category_id: l.category_id,
      product_href: this.href(`/products/${l.product_id}`),
      category_href: this.href(`/categories/${l.category_id}`),
    };
  }
}

export function categoriesRoutes(api: CcvRouter, s: CcvStore): void {
  const { categories, productToCategories: links } = s;
  api.on("GET", "/categories", (c) => ({
    paged: categories.sorted(c.query).map((x) => categories.render(x)),
  }));
  api.on("POST", "/categories", (c) => created(categories.render(categories.create(c.body))));
  api.on("GET", "/categories/{id}", (c) => ok(categories.render(categories.require(c.ids[0]))));
  api.on("PATCH", "/categories/{id}", (c) => (categories.patch(c.ids[0], c.body), done));
  api.on("DELETE", "/categories/{id}", (c) => (categories.remove(c.ids[0]), done));
  api.on(
    "GET",
    "/categories/{id}/categories",
    (c) => (
      categories.require(c.ids[0]),
      { paged: categories.sorted(c.query, c.ids[0]).map((x) => categories.render(x)) }
    ),
  );
  api.on("GET", "/categorytree", () => ok(categories.renderTree()));

  api.on(
    "GET",
    "/categories/{id}/producttocategories",
    (c) => (categories.require(c.ids[0]), { flat: links.ofCategory(c.ids[0]).map((l) => links.render(l)) }),
  );
  api.on(
    "GET",
    "/products/{id}/producttocategories",
    (c) => (s.products.require(c.ids[0]), { flat: links.ofProduct(c.ids[0]).map((l) => links.render(l)) }),
  );
  api.on("POST", "/producttocategories", (c) => created(links.render(links.create(c.body))));
  api.on("GET", "/producttocategories/{id}", (c) => ok(links.render(links.require(c.ids[0]))));
  api.on("PATCH", "/producttocategories/{id}", (c) => (links.patch(c.ids[0], c.body), done));
  api.on(
    "DELETE",
    "/producttocategories/{id}",
    (c) => (links.require(c.ids[0]), links.delete(c.ids[0]), done),
  );
}
