import { formatEcwidDate } from "../../../connectors/ecwid/ecwid.dates";
import type {
  EcwidAttributeValue,
  EcwidProduct,
  EcwidVariation,
} from "../../../connectors/ecwid/ecwid.types";
import {
  ECWID_DOCUMENTED_MESSAGES as DOC,
  ECWID_INFERRED_MESSAGES as INF,
  ECWID_SKU_EXISTS_CODE,
} from "../../../connectors/ecwid/ecwid.vendor-facts";
import { bool, contains, int, intList, num, paged, sortRows, time, within, type Query } from "../ecwid.query";
import type { EcwidSandboxStore } from "../ecwid.store";
import { EcwidTable, idParam, ok, toSeconds, type EcwidRouter, type Row } from "../ecwid.table";
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
 * Products (§6.1, §6.2) with their attributes (§6.5: values by id or by alias, resolved through
 * the "General" product class), SKU uniqueness across products and variations, the search of
 * §2.2 and the deleted-products log. Variations and stock have modules of their own
 * (combinations, inventory); their data lives inside the product, as in Ecwid's own reads.
 */

export class EcwidProducts extends EcwidTable<Row<EcwidProduct>> {
  /** product-class attributes of class 0 ("General"), by type/alias, so `{alias:"UPC"}` resolves to an id (§6.5) */
  private readonly classAttributes = new Map<
    string,
    { id: number; name: string; type: string; show: string }
  >();
  private nextId = 100_000_001;
  private nextAttributeId = 5_000_001;

  constructor(store: EcwidSandboxStore) {
    super(store, (id) => new EcwidApiError(404, DOC.productNotFound(id), "PRODUCT_NOT_FOUND"));
    for (const [alias, name] of [
      ["UPC", "UPC"],
      ["BRAND", "Brand"],
      ["PRICE_PER_UNIT", "Price per unit"],
      ["UNITS_IN_PRODUCT", "Units in product"],
    ]) {
      this.classAttributes.set(alias, { id: this.nextAttributeId++, name, type: alias, show: "DESCR" });
    }
  }

  /** Stores a product exactly as given (e.g. a §14 fixture); ids and timestamps are kept. */
  seed(p: EcwidProduct): void {
    const data = clone(p);
    const created = p.createTimestamp ?? toSeconds(p.created) ?? this.store.now();
    const updated = p.updateTimestamp ?? toSeconds(p.updated) ?? created;
    for (const a of [
      ...(data.attributes ?? []),
      ...(data.combinations ?? []).flatMap((c) => c.attributes ?? []),
    ])
      this.learnAttribute(a);
    this.nextId = Math.max(this.nextId, p.id + 1);
    for (const c of data.combinations ?? []) this.store.combinations.noteSeeded(c.id);
    this.set(p.id, { data, created, updated });
  }

  /** §6.5 the "General" product class (id 0, name empty): the only class this sandbox keeps */
  generalClass(): { id: number; name: string; googleTaxonomy: string; attributes: unknown[] } {
    return {
      id: 0,
      name: "",
      googleTaxonomy: "",
      attributes: [...this.classAttributes.values()].map((a) => ({ ...a })),
    };
  }

  /**
   * §6.5 `PUT /classes/0`: all attributes are sent — existing ones with `id`, new ones without (they
   * get an id); omitted ones are deleted.
   */
  replaceGeneralClass(body: unknown): number {
    const b = requireObject(body);
    if (!Array.isArray(b.attributes))
      throw wrongParameter("Field 'attributes' has a wrong value: expected an array");
    const next = new Map<string, { id: number; name: string; type: string; show: string }>();
    for (const raw of b.attributes) {
      if (!isObj(raw)) throw wrongParameter("Field 'attributes' has a wrong value");
      let attr: { id: number; name: string; type: string; show: string } | undefined;
      if (typeof raw.id === "number") {
        attr = [...this.classAttributes.values()].find((a) => a.id === raw.id);
        if (!attr) throw wrongParameter(`Attribute ${raw.id} does not exist in the product class`);
        attr = { ...attr, ...(typeof raw.name === "string" ? { name: raw.name } : {}) };
      } else {
        if (typeof raw.name !== "string" || !raw.name.trim())
          throw wrongParameter("Field 'attributes.name' is required for a new attribute");
        attr = {
          id: this.nextAttributeId++,
          name: raw.name,
          type: typeof raw.type === "string" ? raw.type : "CUSTOM",
          show: typeof raw.show === "string" ? raw.show : "DESCR",
        };
      }
      next.set(attr.type && attr.type !== "CUSTOM" ? attr.type : `name:${attr.name}`, attr);
    }
    this.classAttributes.clear();
    for (const [k, v] of next) this.classAttributes.set(k, v);
    return 1;
  }

  private learnAttribute(a: EcwidAttributeValue): void {
    const key = a.type && a.type !== "CUSTOM" ? a.type : `name:${a.name ?? ""}`;
    this.classAttributes.set(key, {
      id: a.id,
      name: a.name ?? "",
      type: a.type ?? "CUSTOM",
      show: a.show ?? "DESCR",
    });
    this.nextAttributeId = Math.max(this.nextAttributeId, a.id + 1);
  }

  /** `{id, value}` or `{alias, value}` (§6.5) → the stored read form. */
  resolveAttributes(input: unknown): EcwidAttributeValue[] {
    if (!Array.isArray(input))
      throw wrongParameter("Field 'attributes' has a wrong value: expected an array");
    return input.map((raw) => {
      if (!isObj(raw)) throw wrongParameter("Field 'attributes' has a wrong value");
      const value = raw.value === undefined || raw.value === null ? "" : String(raw.value);
      let attr: { id: number; name: string; type: string; show: string } | undefined;
      if (typeof raw.alias === "string") attr = this.classAttributes.get(raw.alias.toUpperCase());
      else if (typeof raw.id === "number")
        attr = [...this.classAttributes.values()].find((a) => a.id === raw.id);
      if (!attr)
        throw new EcwidApiError(
          400,
          `Attribute ${JSON.stringify(raw.alias ?? raw.id)} does not exist in the product class`,
          "WRONG_PARAMETER",
        );
      return { id: attr.id, name: attr.name, value, type: attr.type, show: attr.show };
    });
  }

  private allSkus(except?: { productId?: number; combinationId?: number }): Map<string, string> {
    const out = new Map<string, string>();
    for (const { data: p } of this.values()) {
      if (p.sku && p.id !== except?.productId) out.set(p.sku, `product ${p.id}`);
      for (const c of p.combinations ?? [])
        if (c.sku && c.id !== except?.combinationId) out.set(c.sku, `variation ${c.id}`);
    }
    return out;
  }

  assertSkuFree(
    sku: string,
    except: { productId?: number; combinationId?: number },
    ownProductSku?: string,
  ): void {
    // a variation may repeat its own product's SKU: it then inherits that product's stock (§6.4)
    if (ownProductSku !== undefined && sku === ownProductSku) return;
    if (this.allSkus(except).has(sku))
      throw new EcwidApiError(409, INF.skuExists(sku), ECWID_SKU_EXISTS_CODE);
  }

  private checkBody(b: Json): void {
    checkFields(b, {
      name: "string",
      sku: "string",
      price: "number",
      costPrice: "number",
      compareToPrice: "number",
      quantity: "int",
      unlimited: "boolean",
      enabled: "boolean",
      weight: "number",
      categoryIds: "array",
      options: "array",
      attributes: "array",
      combinations: "array",
      tax: "object",
      description: "string",
    });
    if (Array.isArray(b.categoryIds) && !b.categoryIds.every((x) => Number.isInteger(x))) {
      throw wrongParameter("Field 'categoryIds' has a wrong value: expected integers");
    }
    if (Array.isArray(b.combinations) && b.combinations.length > 200) {
      throw new EcwidApiError(
        400,
        "Too many combinations in one request: at most 200",
        "COMBINATION_LIMIT_PER_REQUEST_EXCEEDED",
      );
    }
  }

  /** Writable fields of a body applied onto a stored product (partial merge; lists replace). */
  private applyFields(p: EcwidProduct, b: Json): void {
    const skip = new Set([
      "id",
      "attributes",
      "combinations",
      "created",
      "updated",
      "createTimestamp",
      "updateTimestamp",
      "inStock",
      "categories",
    ]);
    for (const [k, v] of Object.entries(b))
      if (!skip.has(k) && v !== undefined) (p as unknown as Json)[k] = clone(v);
    if (b.attributes !== undefined) p.attributes = this.resolveAttributes(b.attributes);
    if (typeof b.name === "string" && !isObj(b.nameTranslated))
      p.nameTranslated = { ...(p.nameTranslated ?? {}), en: b.name };
    if (b.quantity !== undefined && b.unlimited === undefined) p.unlimited = false;
  }

  create(body: unknown, opts: { saveCombinations?: boolean } = {}): number {
    const b = requireObject(body);
    this.checkBody(b);
    if (typeof b.name !== "string" || b.name.trim() === "") throw wrongParameter("Product name is required");
    const id = this.nextId++;
    const sku = typeof b.sku === "string" && b.sku !== "" ? b.sku : String(id).padStart(5, "0");
    this.assertSkuFree(sku, {});
    const p: EcwidProduct = {
      id,
      sku,
      name: b.name,
      nameTranslated: { en: b.name },
      price: 0,
      unlimited: b.quantity === undefined,
      enabled: true,
      warningLimit: 0,
      isShippingRequired: true,
      tax: {
        taxable: true,
        defaultLocationIncludedTaxRate: 0,
        enabledManualTaxes: [],
        taxClassCode: "default",
      },
      url: `${this.store.profile.storeUrl()}/products/p${id}`,
      productClassId: 0,
      fixedShippingRateOnly: false,
      fixedShippingRate: 0,
      shipping: {
        type: "GLOBAL_METHODS",
        methodMarkup: 0,
        flatRate: 0,
        disabledMethods: [],
        enabledMethods: [],
      },
      description: "",
      categoryIds: [],
      defaultCategoryId: 0,
      attributes: [],
      options: [],
      combinations: [],
      media: { images: [], videos: [] },
      files: [],
      relatedProducts: {
        productIds: [],
        relatedCategory: { enabled: false, categoryId: 0, productCount: 3 },
      },
      isSampleProduct: false,
    };
    this.applyFields(p, { ...b, sku });
    const now = this.store.now();
    this.set(id, { data: p, created: now, updated: now });
    if (opts.saveCombinations && Array.isArray(b.combinations)) {
      for (const c of b.combinations) this.store.combinations.create(id, c, { silent: true });
    }
    this.store.profile.touch("productsUpdated");
    this.store.emit("product.created", id);
    return id;
  }

  update(id: number, body: unknown, opts: { saveCombinations?: boolean } = {}): number {
    const row = this.row(id);
    const b = requireObject(body);
    this.checkBody(b);
    if (typeof b.name === "string" && b.name.trim() === "")
      throw wrongParameter("Product name must not be empty");
    if (typeof b.sku === "string" && b.sku !== "") this.assertSkuFree(b.sku, { productId: id });
    if (
      typeof b.showOnFrontpage === "number" &&
      b.showOnFrontpage < 0 &&
      (row.data.categoryIds ?? []).length === 0
    ) {
      throw wrongParameter(
        "Attribute `showOnFrontpage` can't be negative, because the product has no categories",
      );
    }
    this.applyFields(row.data, b);
    if (opts.saveCombinations && Array.isArray(b.combinations)) {
      row.data.combinations = [];
      for (const c of b.combinations) this.store.combinations.create(id, c, { silent: true });
    }
    this.changed(row);
    return 1;
  }

  remove(id: number): number {
    if (!this.has(id)) return 0;
    this.delete(id);
    this.logDeleted(id);
    this.store.profile.touch("productsUpdated");
    this.store.emit("product.deleted", id);
    return 1;
  }

  read(id: number): EcwidProduct {
    return this.render(this.row(id));
  }

  private variationInStock(c: EcwidVariation, p: EcwidProduct): boolean {
    if (!c.sku) return this.ownInStock(p);
    return c.unlimited === true || (c.quantity ?? 0) > 0;
  }

  ownInStock(p: { unlimited?: boolean; quantity?: number }): boolean {
    return p.unlimited === true || (p.quantity ?? 0) > 0;
  }

  renderVariation(c: EcwidVariation, p: EcwidProduct): EcwidVariation {
    const out = clone(c);
    out.inStock = this.variationInStock(c, p);
    if (out.unlimited) delete out.quantity;
    return out;
  }

  /** Stored fields + the output-only ones Ecwid computes (§6.2). */
  render(row: Row<EcwidProduct>): EcwidProduct {
    const p = clone(row.data);
    const combos = p.combinations ?? [];
    p.inStock = this.ownInStock(p) || combos.some((c) => this.variationInStock(c, row.data));
    if (p.unlimited) delete p.quantity;
    p.priceInProductList = p.price ?? 0;
    p.defaultDisplayedPrice = p.price ?? 0;
    p.defaultDisplayedPriceFormatted = this.store.profile.formatPrice(p.price ?? 0);
    p.created = formatEcwidDate(new Date(row.created * 1000));
    p.updated = formatEcwidDate(new Date(row.updated * 1000));
    p.createTimestamp = row.created;
    p.updateTimestamp = row.updated;
    p.categories = (p.categoryIds ?? []).map((id) => ({
      id,
      enabled: this.store.categories.get(id)?.data.enabled ?? true,
    }));
    p.combinations = combos.map((c) => this.renderVariation(c, row.data));
    p.defaultCombinationId = p.defaultCombinationId ?? this.defaultCombinationId(row.data);
    return p;
  }

  /** The variation matching every option's default choice, 0 if none (§6.2). */
  private defaultCombinationId(p: EcwidProduct): number {
    const defaults = (p.options ?? [])
      .filter((o) => o.choices && o.choices.length > 0)
      .map((o) => ({ name: o.name, value: o.choices?.[o.defaultChoice ?? 0]?.text }));
    const match = (p.combinations ?? []).find((c) =>
      defaults.every((d) => c.options.some((o) => o.name === d.name && o.value === d.value)),
    );
    return match?.id ?? 0;
  }

  /** Every change to a product, its variations or its stock fires product.updated (§6.6). */
  changed(row: Row<EcwidProduct>): void {
    this.bump(row);
    this.store.profile.touch("productsUpdated");
    this.store.emit("product.updated", row.data.id);
  }

  /** GET /products (§2.2). */
  search(q: Query): EcwidProduct[] {
    return this.searchRows(q).map((r) => this.render(r));
  }

  /** the matching records in the order asked for, not rendered (a page renders its own) */
  searchRows(q: Query): Row<EcwidProduct>[] {
    const s = this.store;
    let rows = this.rows();
    const ids = intList(q, "productId");
    const sku = q.sku;
    if (ids) {
      // with productId every other filter is ignored
      rows = rows.filter((r) => ids.includes(r.data.id));
    } else if (sku !== undefined && sku !== "") {
      // exact product or variation SKU; other filters ignored
      rows = rows.filter((r) => r.data.sku === sku || (r.data.combinations ?? []).some((c) => c.sku === sku));
    } else {
      const keyword = q.keyword?.replace(/\*$/, "").trim().toLowerCase();
      const category = int(q, "category");
      const categories = intList(q, "categories");
      const subcats = bool(q, "includeProductsFromSubcategories") ?? bool(q, "withSubcategories") ?? false;
      const priceFrom = num(q, "priceFrom");
      const priceTo = num(q, "priceTo");
      const createdFrom = time(q, "createdFrom");
      const createdTo = time(q, "createdTo");
      const updatedFrom = time(q, "updatedFrom");
      const updatedTo = time(q, "updatedTo");
      const enabled = bool(q, "enabled");
      const inStock =
        bool(q, "inStock") ??
        (q.inventory === "instock" ? true : q.inventory === "outofstock" ? false : undefined);
      const wanted = category !== undefined ? [category] : categories;
      rows = rows.filter((r) => {
        const p = r.data;
        if (keyword) {
          const texts = [p.name, p.description, p.sku, ...(p.combinations ?? []).map((c) => c.sku)];
          texts.push(
            ...(p.options ?? []).flatMap((o) => [o.name, ...(o.choices ?? []).map((ch) => ch.text)]),
          );
          texts.push(...(p.attributes ?? []).filter((x) => x.show !== "NOTSHOW").map((x) => x.value));
          if (!texts.some((t) => contains(t, keyword))) return false;
        }
        if (wanted) {
          const cats = p.categoryIds ?? [];
          const match = wanted.some((w) =>
            // category 0 = the store front page: products in no category (§2.2, §6.2)
            w === 0
              ? cats.length === 0
              : cats.some((cid) => (subcats ? s.categories.inSubtree(cid, w) : cid === w)),
          );
          if (!match) return false;
        }
        if (priceFrom !== undefined && (p.price ?? 0) < priceFrom) return false;
        if (priceTo !== undefined && (p.price ?? 0) > priceTo) return false;
        if (!within(r.created, createdFrom, createdTo) || !within(r.updated, updatedFrom, updatedTo))
          return false;
        if (enabled !== undefined && (p.enabled !== false) !== enabled) return false;
        if (inStock !== undefined && this.render(r).inStock !== inStock) return false;
        if (q.externalReferenceId !== undefined && p.externalReferenceId !== q.externalReferenceId)
          return false;
        return true;
      });
      rows = sortRows(rows, q.sortBy, {
        ADDED_TIME: (r) => r.created,
        UPDATED_TIME: (r) => r.updated,
        NAME: (r) => r.data.name.toLowerCase(),
        PRICE: (r) => r.data.price ?? 0,
      });
    }
    return rows;
  }
}

export function productsRoutes(api: EcwidRouter, s: EcwidSandboxStore): void {
  const { products } = s;
  api.on("GET", "/products/deleted", (c) =>
    ok(paged(products.deletedItems(time(c.query, "from_date"), time(c.query, "to_date")), c.query)),
  );
  api.on("GET", "/products", (c) =>
    ok(paged(products.searchRows(c.query), c.query, {}, (r) => products.render(r))),
  );
  api.on("POST", "/products", (c) =>
    ok({ id: products.create(c.body, { saveCombinations: bool(c.query, "saveCombinations") }) }),
  );
  api.on("GET", "/products/{productId}", (c) => ok(products.read(idParam(c, "productId"))));
  api.on("PUT", "/products/{productId}", (c) => {
    const pid = idParam(c, "productId");
    const updateCount = products.update(pid, c.body, { saveCombinations: bool(c.query, "saveCombinations") });
    return ok(bool(c.query, "returnItem") ? { updateCount, item: products.read(pid) } : { updateCount });
  });
  api.on("DELETE", "/products/{productId}", (c) =>
    ok({ deleteCount: products.remove(idParam(c, "productId")) }),
  );
  // product classes (§6.5): the sandbox keeps the General class (id 0) only
  const classOf = (id: number) => {
    if (id !== 0) throw new EcwidApiError(404, `Product class #${id} not found`, "CLASS_NOT_FOUND");
    return products.generalClass();
  };
  api.on("GET", "/classes", () => ok([products.generalClass()]));
  api.on("GET", "/classes/{classId}", (c) => ok(classOf(idParam(c, "classId"))));
  api.on("PUT", "/classes/{classId}", (c) => {
    classOf(idParam(c, "classId"));
    return ok({ updateCount: products.replaceGeneralClass(c.body) });
  });
}
