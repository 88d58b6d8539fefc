import type { EcwidCategory } from "../../../connectors/ecwid/ecwid.types";
import { ECWID_DOCUMENTED_MESSAGES as DOC } from "../../../connectors/ecwid/ecwid.vendor-facts";
import { bool, contains, int, intList, paged, type Query } from "../ecwid.query";
import type { EcwidSandboxStore } from "../ecwid.store";
import { EcwidTable, idParam, ok, type EcwidRouter, type Row } from "../ecwid.table";
import {
  checkFields,
  clone,
  EcwidApiError,
  isObj,
  requireObject,
  wrongParameter,
  type Json,
} from "../ecwid.validate";

/**
 * Categories (§7) and their search (§2.5). Which products a category holds is stored on the
 * products (`categoryIds`); a category's `productIds` and counts are derived from them on reads.
 */
export class EcwidCategories extends EcwidTable<Row<EcwidCategory>> {
  private nextId = 9_000_001;

  constructor(store: EcwidSandboxStore) {
    super(store, (id) => new EcwidApiError(404, DOC.categoryNotFound(id), "CATEGORIES_NOT_FOUND"));
  }

  seed(c: EcwidCategory): void {
    const data = clone(c);
    // product links live on the products (categoryIds); the category's list is derived from them
    const productIds = data.productIds ?? [];
    delete data.productIds;
    delete data.enabledProductCount;
    delete data.productCount;
    this.set(c.id, { data, created: this.store.now(), updated: this.store.now() });
    this.nextId = Math.max(this.nextId, c.id + 1);
    for (const pid of productIds) {
      const p = this.store.products.get(pid)?.data;
      if (p && !(p.categoryIds ?? []).includes(c.id)) p.categoryIds = [...(p.categoryIds ?? []), c.id];
    }
  }

  private checkBody(b: Json): void {
    checkFields(b, {
      name: "string",
      parentId: "int",
      orderBy: "int",
      description: "string",
      enabled: "boolean",
      productIds: "array",
    });
  }

  private checkProductIdsExist(ids: unknown[]): number[] {
    return ids.map((x) => {
      if (typeof x !== "number" || !Number.isInteger(x))
        throw wrongParameter("Field 'productIds' has a wrong value: expected integers");
      if (!this.store.products.has(x))
        throw new EcwidApiError(404, DOC.productNotFound(x), "PRODUCT_NOT_FOUND");
      return x;
    });
  }

  /** Sets exactly `ids` as the products of category `id`. */
  private assignProducts(id: number, ids: number[]): void {
    for (const row of this.store.products.values()) {
      const p = row.data;
      const has = (p.categoryIds ?? []).includes(id);
      const want = ids.includes(p.id);
      if (has === want) continue;
      p.categoryIds = want ? [...(p.categoryIds ?? []), id] : (p.categoryIds ?? []).filter((x) => x !== id);
      this.bump(row);
      this.store.emit("product.updated", p.id);
    }
  }

  create(body: unknown): number {
    const b = requireObject(body);
    this.checkBody(b);
    if (typeof b.name !== "string" || b.name.trim() === "") throw wrongParameter(DOC.categoryNameEmpty);
    const parentId = typeof b.parentId === "number" ? b.parentId : 0;
    if (parentId !== 0) this.row(parentId);
    const productIds = Array.isArray(b.productIds) ? this.checkProductIdsExist(b.productIds) : undefined;
    const id = this.nextId++;
    const siblings = [...this.values()].filter((r) => (r.data.parentId ?? 0) === parentId);
    const c: EcwidCategory = {
      id,
      orderBy: siblings.reduce((m, r) => Math.max(m, r.data.orderBy ?? 0), 0) + 10,
      name: b.name,
      nameTranslated: { en: b.name },
      description: "",
      enabled: true,
      url: `${this.store.profile.storeUrl()}/products/c${id}`,
    };
    if (parentId !== 0) c.parentId = parentId;
    const skip = new Set(["id", "productIds", "productCount", "enabledProductCount", "parentId"]);
    for (const [k, v] of Object.entries(b))
      if (!skip.has(k) && v !== undefined) (c as unknown as Json)[k] = clone(v);
    const now = this.store.now();
    this.set(id, { data: c, created: now, updated: now });
    if (productIds) this.assignProducts(id, productIds);
    this.store.profile.touch("categoriesUpdated");
    this.store.emit("category.created", id);
    return id;
  }

  private isDescendant(id: number, ancestor: number): boolean {
    for (let p = this.get(id)?.data.parentId; p; p = this.get(p)?.data.parentId)
      if (p === ancestor) return true;
    return false;
  }

  update(id: number, body: unknown): number {
    const row = this.row(id);
    const b = requireObject(body);
    this.checkBody(b);
    if (b.name !== undefined && (typeof b.name !== "string" || b.name.trim() === ""))
      throw wrongParameter(DOC.categoryNameEmpty);
    if (typeof b.parentId === "number" && b.parentId !== 0) {
      this.row(b.parentId);
      if (b.parentId === id || this.isDescendant(b.parentId, id))
        throw wrongParameter("A category cannot be its own parent");
    }
    const productIds = Array.isArray(b.productIds) ? this.checkProductIdsExist(b.productIds) : undefined;
    const skip = new Set(["id", "productIds", "productCount", "enabledProductCount"]);
    for (const [k, v] of Object.entries(b))
      if (!skip.has(k) && v !== undefined) (row.data as unknown as Json)[k] = clone(v);
    if (row.data.parentId === 0) delete row.data.parentId;
    if (typeof b.name === "string" && !isObj(b.nameTranslated))
      row.data.nameTranslated = { ...(row.data.nameTranslated ?? {}), en: b.name };
    if (productIds) this.assignProducts(id, productIds);
    this.bump(row);
    this.store.profile.touch("categoriesUpdated");
    this.store.emit("category.updated", id);
    return 1;
  }

  /** Deletes the category and its subcategories (INFERRED: Ecwid does not document orphans). */
  remove(id: number): number {
    if (!this.has(id)) return 0;
    const doomed = [id, ...[...this.keys()].filter((c) => this.isDescendant(c, id))];
    for (const c of doomed) {
      this.assignProducts(c, []);
      this.delete(c);
      this.store.emit("category.deleted", c);
    }
    this.store.profile.touch("categoriesUpdated");
    return 1;
  }

  read(id: number, withProductIds: boolean): EcwidCategory {
    return this.render(this.row(id), withProductIds);
  }

  /** Whether `id` is `ancestor` or below it. */
  inSubtree(id: number, ancestor: number): boolean {
    return id === ancestor || this.isDescendant(id, ancestor);
  }

  render(row: Row<EcwidCategory>, withProductIds: boolean): EcwidCategory {
    const c = clone(row.data);
    const direct = this.store.products.rows().filter((r) => (r.data.categoryIds ?? []).includes(c.id));
    const inTree = this.store.products
      .rows()
      .filter((r) => (r.data.categoryIds ?? []).some((x) => this.inSubtree(x, c.id)));
    c.productCount = inTree.length;
    if (withProductIds) {
      c.productIds = direct.map((r) => r.data.id);
      c.enabledProductCount = direct.filter((r) => r.data.enabled !== false).length;
    }
    return c;
  }

  /** GET /categories (§2.5), in the store's order. */
  search(q: Query): Row<EcwidCategory>[] {
    const parent = int(q, "parent");
    const parentIds = intList(q, "parentIds");
    const categoryIds = intList(q, "categoryIds");
    const withSub = bool(q, "withSubcategories") ?? false;
    const hidden = bool(q, "hidden_categories") ?? false;
    const keyword = q.keyword?.trim().toLowerCase();
    const parents =
      parent !== undefined || parentIds
        ? [...(parent !== undefined ? [parent] : []), ...(parentIds ?? [])]
        : undefined;
    return this.rows()
      .filter((r) => {
        const c = r.data;
        // only enabled categories unless hidden_categories=true (§2.5)
        if (!hidden && c.enabled === false) return false;
        if (categoryIds && !categoryIds.includes(c.id)) return false;
        if (keyword && !contains(c.name, keyword) && !contains(c.description, keyword)) return false;
        if (parents) {
          const pid = c.parentId ?? 0;
          const match = parents.some((p) =>
            withSub ? (p === 0 ? true : c.id !== p && this.inSubtree(c.id, p)) : pid === p,
          );
          if (!match) return false;
        }
        return true;
      })
      .sort((x, y) => (x.data.orderBy ?? 0) - (y.data.orderBy ?? 0) || x.data.id - y.data.id);
  }
}

export function categoriesRoutes(api: EcwidRouter, s: EcwidSandboxStore): void {
  const { categories } = s;
  const withIds = (q: Query) => bool(q, "productIds") === true;
  api.on("GET", "/categories", (c) => {
    const ids = withIds(c.query);
    return ok(
      paged(
        categories.search(c.query).map((row) => categories.render(row, ids)),
        c.query,
      ),
    );
  });
  api.on("POST", "/categories", (c) => ok({ id: categories.create(c.body) }));
  api.on("GET", "/categories/{categoryId}", (c) =>
    ok(categories.read(idParam(c, "categoryId"), withIds(c.query))),
  );
  api.on("PUT", "/categories/{categoryId}", (c) =>
    ok({ updateCount: categories.update(idParam(c, "categoryId"), c.body) }),
  );
  api.on("DELETE", "/categories/{categoryId}", (c) =>
    ok({ deleteCount: categories.remove(idParam(c, "categoryId")) }),
  );
}
