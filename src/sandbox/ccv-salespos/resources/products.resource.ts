import {
  CCV_ORDERING_WITHOUT_STOCK_DEFAULT,
  CCV_STOCKTYPE,
  CCV_TAX_TARIFFS,
} from "../../../connectors/ccv-salespos/ccv.vendor-facts";
import { parseBool, sortBy } from "../ccv.query";
import type { CcvStore } from "../ccv.store";
import { CcvTable, created, done, ok, type CcvRouter, type Rec } from "../ccv.table";
import { invalid, validateBody, type BodySpec } from "../ccv.validate";

/**
 * Products (§5.1) and `GET /productqueries` (§3.4), the search over products and attribute
 * combinations together. Deleting a product takes its combinations, attribute values, category and
 * property links with it.
 */

export interface ProductRec {
  id: number;
  createdate: string;
  modifydate: string;
  active: boolean;
  name: string;
  productnumber: string;
  eannumber: string;
  mpnnumber: string;
  shortdescription: string;
  description: string | null;
  taxtariff: string;
  vatrate: number;
  price: number;
  discount: number;
  purchaseprice: number;
  unit: string | null;
  stockenabled: boolean;
  stocktype: string;
  stock: number;
  stocklocation: string;
  ordering_without_stock: string;
  weight: number;
  package_id: number;
  /** every other accepted write field, echoed back on reads */
  extra: Rec;
}

/** A product as the sandbox's seed helpers take it: the POST field names. */
export type ProductSeed = Partial<Omit<ProductRec, "id" | "extra" | "createdate" | "modifydate">> & {
  name: string;
};

// write schema (field names from §5.1; types from the docs-generated schemas)
const PRODUCT_FIELDS: BodySpec = {
  name: "!string",
  price: "!number",
  discount: "!number",
  package_id: "!integer",
  taxtariff: "string",
  vatrate: "number",
  active: "boolean",
  productnumber: "string",
  eannumber: "string",
  mpnnumber: "string",
  shortdescription: "string",
  description: "string?",
  purchaseprice: "number",
  container_deposit_price: "number",
  safety_deposit_price: "number",
  credit_points_custom: "integer?",
  unit: "string?",
  stockenabled: "boolean?",
  stocktype: "string?",
  stock: "number?",
  stocklocation: "string",
  ordering_without_stock: "string?",
  weight: "number",
  maincategory: "string",
  subcategory: "string",
  brand: "string?",
  brand_id: "integer?",
  condition_id: "integer?",
  color_id: "integer?",
  supplier_id: "integer?",
  meta_description: "string",
  meta_keywords: "string",
  page_title: "string",
  alias: "string",
  no_index: "boolean",
  no_follow: "boolean",
  specs: "string?",
  decimal_amount: "integer",
  amount_sold: "number?",
  minimal_order_amount: "number",
  stock_delivery_number: "integer",
  stock_delivery_type: "string",
  stock_delivery_standard: "string",
  show_in_template: "boolean",
  show_on_beginpage: "boolean",
  show_on_facebook: "boolean",
  show_order_button: "string",
  product_layout: "integer",
  photo_size: "string",
  hide_without_category: "string",
  memo: "string",
  fixed_staggered_prices: "boolean",
};

/** [sandbox] VAT percentages behind the tariffs (Dutch rates; "low b" and "extra low" invented). */
const TARIFF_RATE: Record<string, number> = { normal: 21, "low a": 9, "low b": 6, "extra low": 5, zero: 0 };

export class CcvProducts extends CcvTable<ProductRec> {
  constructor(store: CcvStore) {
    super(store, "Product", 100_000);
  }

  create(body: unknown): ProductRec {
    const b = validateBody(body, PRODUCT_FIELDS, { resource: "products" });
    if (b.taxtariff === undefined && b.vatrate === undefined)
      throw invalid("Either 'taxtariff' or 'vatrate' is required on products.");
    const now = this.store.now();
    const rec = this.apply(
      {
        id: this.nextId(),
        createdate: now,
        modifydate: now,
        active: true,
        name: "",
        productnumber: "",
        eannumber: "",
        mpnnumber: "",
        shortdescription: "",
        description: null,
        taxtariff: "normal",
        vatrate: 21,
        price: 0,
        discount: 0,
        purchaseprice: 0,
        unit: null,
        stockenabled: false,
        stocktype: CCV_STOCKTYPE.PRODUCT,
        stock: 0,
        stocklocation: "",
        ordering_without_stock: CCV_ORDERING_WITHOUT_STOCK_DEFAULT,
        weight: 0,
        package_id: 0,
        extra: {},
      },
      b,
    );
    this.set(rec.id, rec);
    this.store.emitEntity("products.created", `/products/${rec.id}`, rec.id);
    return rec;
  }

  patch(id: number, body: unknown): void {
    const rec = this.require(id);
    const b = validateBody(body, PRODUCT_FIELDS, { partial: true, resource: "products" });
    Object.assign(rec, this.apply({ ...rec, extra: { ...rec.extra } }, b), { modifydate: this.store.now() });
    this.store.emitEntity("products.updated", `/products/${id}`, id);
  }

  private apply(rec: ProductRec, b: Rec): ProductRec {
    if (b.package_id !== undefined && !this.store.packages.has(b.package_id as number)) {
      throw invalid(`Package ${String(b.package_id)} does not exist.`);
    }
    if (
      b.taxtariff !== undefined &&
      !(CCV_TAX_TARIFFS as readonly string[]).includes(b.taxtariff as string)
    ) {
      throw invalid(`'taxtariff' must be one of: ${CCV_TAX_TARIFFS.join(", ")}.`);
    }
    const out: ProductRec = { ...rec };
    for (const [k, v] of Object.entries(b)) {
      if (k in out && k !== "extra" && k !== "id") (out as unknown as Rec)[k] = v;
      else out.extra[k] = v;
    }
    // keep the two tax fields consistent ([sandbox] rates behind the tariffs)
    if (b.taxtariff !== undefined && b.vatrate === undefined)
      out.vatrate = TARIFF_RATE[b.taxtariff as string];
    if (b.vatrate !== undefined && b.taxtariff === undefined) {
      out.taxtariff = Object.entries(TARIFF_RATE).find(([, r]) => r === b.vatrate)?.[0] ?? "normal";
    }
    if (out.stock === null) out.stock = 0;
    if (out.stockenabled === null) out.stockenabled = false;
    return out;
  }

  remove(id: number): void {
    this.require(id);
    this.delete(id);
    const s = this.store;
    for (const table of [
      s.combinations,
      s.productAttributeValues,
      s.productToCategories,
      s.productToPropertyGroups,
      s.propertyValues,
      s.productPhotos,
    ] as Map<number, { product_id: number }>[]) {
      for (const [k, v] of table) if (v.product_id === id) table.delete(k);
    }
    s.emitEntity("products.deleted", `/products/${id}`, id);
  }

  /** GET /products filters (§3.4). [sandbox] number filters match exactly; productname is a LIKE. */
  filter(q: Record<string, string>, within?: Iterable<ProductRec>): ProductRec[] {
    if (q.productname !== undefined && q.productname.length < 3)
      throw invalid("'productname' needs at least 3 characters.");
    const range = (v: number, min?: string, max?: string) =>
      (min === undefined || v >= Number(min)) && (max === undefined || v <= Number(max));
    const active = q.active === undefined ? undefined : parseBool(q.active, "active");
    const out = [...(within ?? this.values())].filter((p) => {
      const sell = p.price - p.discount;
      return (
        (q.productnumber === undefined || p.productnumber === q.productnumber) &&
        (q.eannumber === undefined || p.eannumber === q.eannumber) &&
        (q.mpnnumber === undefined || p.mpnnumber === q.mpnnumber) &&
        (q.productname === undefined || p.name.toLowerCase().includes(q.productname.toLowerCase())) &&
        range(p.price, q.minprice, q.maxprice) &&
        range(p.discount, q.mindiscount, q.maxdiscount) &&
        range(sell, q.minsellprice, q.maxsellprice) &&
        (q.stock === undefined || p.stock === Number(q.stock)) &&
        range(p.stock, q.minstock, q.maxstock) &&
        (active === undefined || p.active === active)
      );
    });
    return sortBy(
      out,
      q.orderby,
      ["id", "name", "createdate", "modifydate"],
      (p, f) => (p as unknown as Rec)[f],
    );
  }

  render(p: ProductRec, expand: ReadonlySet<string> = new Set()): Rec {
    const s = this.store;
    const base = `/products/${p.id}`;
    const sub = (name: string, collection?: () => Rec[]) =>
      expand.has(name) && collection
        ? { href: this.href(`${base}/${name}`), collection: collection() }
        : { href: this.href(`${base}/${name}`) };
    const pkg = s.packages.get(p.package_id);
    return {
      href: this.href(base),
      id: p.id,
      is_active: p.active,
      createdate: p.createdate,
      modifydate: p.modifydate,
      productnumber: p.productnumber,
      eannumber: p.eannumber,
      mpnnumber: p.mpnnumber,
      is_multishop_product: false,
      multishop_href: null,
      name: p.name,
      shortdescription: p.shortdescription,
      description: p.description,
      vatrate: p.vatrate,
      taxtariff: p.taxtariff,
      tradecodesystem: null,
      price: p.price,
      discount: p.discount,
      purchaseprice: p.purchaseprice,
      container_deposit_price: (p.extra.container_deposit_price as number | undefined) ?? 0,
      safety_deposit_price: (p.extra.safety_deposit_price as number | undefined) ?? 0,
      unit: p.unit,
      stockenabled: p.stockenabled,
      stocktype: p.stocktype,
      stock: p.stock,
      stocklocation: p.stocklocation,
      ordering_without_stock: p.ordering_without_stock,
      weight: p.weight,
      ...p.extra,
      productmainphoto: s.productPhotos.mainOf(p.id)
        ? s.productPhotos.url(s.productPhotos.mainOf(p.id)!)
        : null,
      deeplink: `${s.shopRoot()}/p/${p.id}`,
      is_visible: p.active,
      can_be_ordered: p.active,
      package: pkg ? { href: this.href(`/packages/${pkg.id}`), id: pkg.id } : null,
      productphotos: sub("productphotos", () =>
        s.productPhotos.ofProduct(p.id).map((x) => s.productPhotos.render(x)),
      ),
      producttocategories: sub("producttocategories", () =>
        s.productToCategories.ofProduct(p.id).map((l) => s.productToCategories.render(l)),
      ),
      producttopropertygroups: sub("producttopropertygroups", () =>
        s.productToPropertyGroups.ofProduct(p.id).map((l) => s.productToPropertyGroups.render(l)),
      ),
      attributecombinations: sub("attributecombinations", () =>
        s.combinations.ofProduct(p.id).map((c) => s.combinations.render(c)),
      ),
    };
  }

  /**
   * GET /productqueries (§3.4): products and attribute combinations searched together; mpn exists
   * on products only, sku on combinations only. [sandbox] filters combine with OR. The item shape is
   * [unknown]; the store option `productQueryItems` picks one (see CcvStoreOptions).
   */
  query(q: Record<string, string>): Rec[] {
    const { productnumber, eannumber, mpnnumber, skunumber } = q;
    if (!productnumber && !eannumber && !mpnnumber && !skunumber) {
      throw invalid("productqueries needs one of productnumber, eannumber, mpnnumber, skunumber.");
    }
    const shape = this.store.options.productQueryItems;
    const combinations = this.store.combinations;
    const out: Rec[] = [];
    for (const p of this.values()) {
      const self =
        (productnumber !== undefined && p.productnumber === productnumber) ||
        (eannumber !== undefined && p.eannumber === eannumber) ||
        (mpnnumber !== undefined && p.mpnnumber === mpnnumber);
      const combos = combinations
        .ofProduct(p.id)
        .filter(
          (c) =>
            (productnumber !== undefined && c.product_number === productnumber) ||
            (eannumber !== undefined && c.ean_number === eannumber) ||
            (skunumber !== undefined && c.sku_number === skunumber),
        );
      if (shape === "combinations") {
        if (self) out.push(this.render(p));
        for (const c of combos) out.push(combinations.render(c));
        continue;
      }
      if (!self && combos.length === 0) continue;
      const r = this.render(p);
      if (shape === "products-with-combinations") {
        r.attributecombinations = {
          href: this.href(`/products/${p.id}/attributecombinations`),
          collection: combos.map((c) => combinations.render(c)),
        };
      }
      out.push(r);
    }
    return out;
  }

  /** Adds a product directly (no webhook); `fields` uses the POST field names (price, discount, active…). */
  seed(fields: ProductSeed): ProductRec {
    return this.store.quietly(() =>
      this.create({
        price: 10,
        discount: 0,
        taxtariff: "normal",
        package_id: [...this.store.packages.keys()][0],
        ...fields,
      }),
    );
  }
}

export function productsRoutes(api: CcvRouter, s: CcvStore): void {
  const list = (
    c: { query: Record<string, string>; expand: Set<string> },
    within?: Iterable<ProductRec>,
  ) => ({
    paged: s.products.filter(c.query, within).map((p) => s.products.render(p, c.expand)),
  });
  api.on("GET", "/products", (c) => list(c));
  api.on("POST", "/products", (c) => created(s.products.render(s.products.create(c.body))));
  api.on("GET", "/products/{id}", (c) => ok(s.products.render(s.products.require(c.ids[0]), c.expand)));
  api.on("PATCH", "/products/{id}", (c) => (s.products.patch(c.ids[0], c.body), done));
  api.on("DELETE", "/products/{id}", (c) => (s.products.remove(c.ids[0]), done));
  api.on("GET", "/productqueries", (c) => ({ paged: s.products.query(c.query) }));
  api.on("GET", "/webshops/{id}/products", (c) => (s.webshop.require(c.ids[0]), list(c)));
  api.on("GET", "/categories/{id}/products", (c) => {
    s.categories.require(c.ids[0]);
    const inCategory = new Set(s.productToCategories.ofCategory(c.ids[0]).map((l) => l.product_id));
    return list(
      c,
      [...s.products.values()].filter((p) => inCategory.has(p.id)),
    );
  });
}
