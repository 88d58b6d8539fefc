import { formatEcwidDate, parseEcwidDate } from "../../connectors/ecwid/ecwid.dates";
import type {
  EcwidAttributeValue,
  EcwidCategory,
  EcwidCustomer,
  EcwidDeletedItem,
  EcwidLatestStats,
  EcwidOrder,
  EcwidOrderItem,
  EcwidPerson,
  EcwidProduct,
  EcwidProductOption,
  EcwidSelectedOption,
  EcwidStoreProfile,
  EcwidVariation,
} from "../../connectors/ecwid/ecwid.types";
import {
  ECWID_API_CANCEL_RESTOCKS,
  ECWID_COMBINATION_DUPLICATED_CODE,
  ECWID_DOCUMENTED_MESSAGES as DOC,
  ECWID_DUPLICATE_CUSTOMER_CODE,
  ECWID_FULFILLMENT_STATUSES,
  ECWID_INFERRED_MESSAGES as INF,
  ECWID_NEGATIVE_STOCK_WARNING,
  ECWID_PAYMENT_STATUSES,
  ECWID_SKU_EXISTS_CODE,
} from "../../connectors/ecwid/ecwid.vendor-facts";

/**
 * The Ecwid sandbox's in-memory store: entities as Ecwid stores them, the behaviour the reference
 * documents (partial updates, replace-all lists, SKU and e-mail uniqueness, inventory deltas with the
 * negative-stock warning, stock moves of orders per §8.7, deleted-item logs) and the renderers that
 * give entities back in Ecwid's shapes. HTTP concerns (auth, limits, paging, query parsing) live in
 * the routes and the server.
 */

/** An Ecwid error answer: `{errorMessage, errorCode}` with its HTTP status (§3.1). */
export class EcwidApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessage: string,
    readonly errorCode?: string,
  ) {
    super(errorMessage);
  }
  get body(): { errorMessage: string; errorCode?: string } {
    return this.errorCode
      ? { errorMessage: this.errorMessage, errorCode: this.errorCode }
      : { errorMessage: this.errorMessage };
  }
}

export const wrongParameter = (message: string) => new EcwidApiError(400, message, "WRONG_PARAMETER");

/** Emitted on every change; the server turns them into webhook deliveries (§11). */
export type EcwidStoreEventSink = (
  eventType: string,
  entityId: number | string,
  data?: Record<string, unknown>,
) => void;

type Json = Record<string, unknown>;

interface Row<T> {
  data: T;
  /** unix seconds */
  created: number;
  updated: number;
}

/** What an order took from stock, so a cancel gives back exactly that (§8.7). */
interface StockLine {
  productId: number;
  combinationId?: number;
  quantity: number;
}

interface OrderRow extends Row<EcwidOrder> {
  /** base string id, without the store prefix/suffix */
  baseId: string;
  internalId: number;
  /** "applied": the order took stock; "restocked": a cancel gave it back; "none": it never moved stock */
  stock: "none" | "applied" | "restocked";
  stockLines: StockLine[];
}

interface Deleted {
  id: number;
  orderId?: string;
  at: number;
}

const COUNTRY_NAMES: Record<string, string> = {
  US: "United States",
  NL: "Netherlands",
  BE: "Belgium",
  DE: "Germany",
  FR: "France",
  GB: "United Kingdom",
};

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

/** Checks the type of the fields a body carries (unknown fields pass, as Ecwid ignores them). */
function checkFields(
  body: Json,
  spec: Record<string, "string" | "number" | "int" | "boolean" | "array" | "object">,
): void {
  for (const [k, t] of Object.entries(spec)) {
    const v = body[k];
    if (v === undefined || v === null) continue;
    const ok =
      t === "array"
        ? Array.isArray(v)
        : t === "object"
          ? isObj(v)
          : t === "int"
            ? typeof v === "number" && Number.isInteger(v)
            : typeof v === t;
    if (!ok)
      throw wrongParameter(
        `Field '${k}' has a wrong value: expected ${t === "int" ? "an integer" : `a ${t}`}`,
      );
  }
}

export function requireObject(body: unknown): Json {
  if (body === undefined) throw wrongParameter("Request body is empty");
  if (!isObj(body)) throw wrongParameter("Request body is invalid: expected a JSON object");
  return body;
}

export interface EcwidSandboxStoreOptions {
  storeId: number;
  profile: EcwidStoreProfile;
  /** epoch ms */
  clock: () => number;
  onEvent: EcwidStoreEventSink;
}

/** order fields the store sets itself (ids, dates, items): a request body never copies them verbatim */
const ORDER_FIELDS_SET_BY_STORE = new Set([
  "id",
  "internalId",
  "orderNumber",
  "vendorOrderNumber",
  "publicUid",
  "items",
  "createDate",
  "updateDate",
  "createTimestamp",
  "updateTimestamp",
]);

export class EcwidSandboxStore {
  readonly storeId: number;
  profile: EcwidStoreProfile;
  private readonly clock: () => number;
  private readonly emit: EcwidStoreEventSink;

  private readonly products = new Map<number, Row<EcwidProduct>>();
  private readonly categories = new Map<number, Row<EcwidCategory>>();
  private readonly orders = new Map<number, OrderRow>();
  private readonly customers = new Map<number, Row<EcwidCustomer>>();
  private readonly deleted = {
    products: [] as Deleted[],
    orders: [] as Deleted[],
    customers: [] as Deleted[],
  };
  private readonly touched: Record<string, number> = {};
  /** product-class attributes of class 0 ("General"), by type/alias, so `{alias:"UPC"}` resolves to an id (§6.5) */
  private readonly classAttributes = new Map<
    string,
    { id: number; name: string; type: string; show: string }
  >();

  private nextProductId = 100_000_001;
  private nextCombinationId = 400_000_001;
  private nextCategoryId = 9_000_001;
  private nextOrderInternalId = 500_000_001;
  private nextOrderItemId = 1_800_000_001;
  private nextCustomerId = 170_000_001;
  private nextAttributeId = 5_000_001;
  private nextAddressId = 8_000_001;
  private nextContactId = 110_000_001;

  constructor(o: EcwidSandboxStoreOptions) {
    this.storeId = o.storeId;
    this.profile = o.profile;
    this.clock = o.clock;
    this.emit = o.onEvent;
    for (const [alias, name] of [
      ["UPC", "UPC"],
      ["BRAND", "Brand"],
      ["PRICE_PER_UNIT", "Price per unit"],
      ["UNITS_IN_PRODUCT", "Units in product"],
    ]) {
      this.classAttributes.set(alias, { id: this.nextAttributeId++, name, type: alias, show: "DESCR" });
    }
  }

  /** unix seconds */
  now(): number {
    return Math.floor(this.clock() / 1000);
  }

  private touch(kind: keyof EcwidLatestStats): void {
    this.touched[kind] = this.now();
  }

  // ================================================================ products (§6)

  /** Stores a product exactly as given (e.g. a §14 fixture); ids and timestamps are kept. */
  seedProduct(p: EcwidProduct): void {
    const data = clone(p);
    const created = p.createTimestamp ?? toSeconds(p.created) ?? this.now();
    const updated = p.updateTimestamp ?? toSeconds(p.updated) ?? created;
    for (const a of [
      ...(data.attributes ?? []),
      ...(data.combinations ?? []).flatMap((c) => c.attributes ?? []),
    ])
      this.learnAttribute(a);
    this.nextProductId = Math.max(this.nextProductId, p.id + 1);
    for (const c of data.combinations ?? [])
      this.nextCombinationId = Math.max(this.nextCombinationId, c.id + 1);
    this.products.set(p.id, { data, created, updated });
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
  private resolveAttributes(input: unknown): EcwidAttributeValue[] {
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
    for (const { data: p } of this.products.values()) {
      if (p.sku && p.id !== except?.productId) out.set(p.sku, `product ${p.id}`);
      for (const c of p.combinations ?? [])
        if (c.sku && c.id !== except?.combinationId) out.set(c.sku, `variation ${c.id}`);
    }
    return out;
  }

  private assertSkuFree(
    sku: string,
    except: { productId?: number; combinationId?: number },
    ownProductSku?: string,
  ): void {
    // a variation may repeat its own product's SKU: it then inherits that product's stock (§6.4)
    if (ownProductSku !== undefined && sku === ownProductSku) return;
    if (this.allSkus(except).has(sku))
      throw new EcwidApiError(409, INF.skuExists(sku), ECWID_SKU_EXISTS_CODE);
  }

  private productRow(id: number): Row<EcwidProduct> {
    const row = this.products.get(id);
    if (!row) throw new EcwidApiError(404, DOC.productNotFound(id), "PRODUCT_NOT_FOUND");
    return row;
  }

  private checkProductBody(b: Json): void {
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
  private applyProductFields(p: EcwidProduct, b: Json): void {
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

  createProduct(body: unknown, opts: { saveCombinations?: boolean } = {}): number {
    const b = requireObject(body);
    this.checkProductBody(b);
    if (typeof b.name !== "string" || b.name.trim() === "") throw wrongParameter("Product name is required");
    const id = this.nextProductId++;
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
      url: `${this.storeUrl()}/products/p${id}`,
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
    this.applyProductFields(p, { ...b, sku });
    const now = this.now();
    this.products.set(id, { data: p, created: now, updated: now });
    if (opts.saveCombinations && Array.isArray(b.combinations)) {
      for (const c of b.combinations) this.createCombination(id, c, { silent: true });
    }
    this.touch("productsUpdated");
    this.emit("product.created", id);
    return id;
  }

  updateProduct(id: number, body: unknown, opts: { saveCombinations?: boolean } = {}): number {
    const row = this.productRow(id);
    const b = requireObject(body);
    this.checkProductBody(b);
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
    this.applyProductFields(row.data, b);
    if (opts.saveCombinations && Array.isArray(b.combinations)) {
      row.data.combinations = [];
      for (const c of b.combinations) this.createCombination(id, c, { silent: true });
    }
    this.bump(row);
    this.touch("productsUpdated");
    this.emit("product.updated", id);
    return 1;
  }

  deleteProduct(id: number): number {
    if (!this.products.has(id)) return 0;
    this.products.delete(id);
    this.deleted.products.push({ id, at: this.now() });
    this.touch("productsUpdated");
    this.emit("product.deleted", id);
    return 1;
  }

  getProduct(id: number): EcwidProduct {
    return this.renderProduct(this.productRow(id));
  }

  /** Every product row, in store order (the sandbox's "defined by store owner" order). */
  productRows(): Row<EcwidProduct>[] {
    return [...this.products.values()];
  }

  private bump(row: Row<unknown>): void {
    row.updated = this.now();
  }

  private storeUrl(): string {
    return this.profile.generalInfo?.storeUrl ?? `https://store${this.storeId}.company.site`;
  }

  private formatPrice(v: number): string {
    const f = this.profile.formatsAndUnits ?? {};
    const precision = typeof f.currencyPrecision === "number" ? f.currencyPrecision : 2;
    return `${f.currencyPrefix ?? ""}${v.toFixed(precision)}${f.currencySuffix ?? ""}`;
  }

  private variationInStock(c: EcwidVariation, p: EcwidProduct): boolean {
    if (!c.sku) return this.ownInStock(p);
    return c.unlimited === true || (c.quantity ?? 0) > 0;
  }

  private ownInStock(p: { unlimited?: boolean; quantity?: number }): boolean {
    return p.unlimited === true || (p.quantity ?? 0) > 0;
  }

  renderVariation(c: EcwidVariation, p: EcwidProduct): EcwidVariation {
    const out = clone(c);
    out.inStock = this.variationInStock(c, p);
    if (out.unlimited) delete out.quantity;
    return out;
  }

  /** Stored fields + the output-only ones Ecwid computes (§6.2). */
  renderProduct(row: Row<EcwidProduct>): EcwidProduct {
    const p = clone(row.data);
    const combos = p.combinations ?? [];
    p.inStock = this.ownInStock(p) || combos.some((c) => this.variationInStock(c, row.data));
    if (p.unlimited) delete p.quantity;
    p.priceInProductList = p.price ?? 0;
    p.defaultDisplayedPrice = p.price ?? 0;
    p.defaultDisplayedPriceFormatted = this.formatPrice(p.price ?? 0);
    p.created = formatEcwidDate(new Date(row.created * 1000));
    p.updated = formatEcwidDate(new Date(row.updated * 1000));
    p.createTimestamp = row.created;
    p.updateTimestamp = row.updated;
    p.categories = (p.categoryIds ?? []).map((id) => ({
      id,
      enabled: this.categories.get(id)?.data.enabled ?? true,
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

  // ---------------------------------------------------------------- variations (§6.4)

  private combination(
    productId: number,
    combinationId: number,
  ): { row: Row<EcwidProduct>; c: EcwidVariation } {
    const row = this.productRow(productId);
    const c = (row.data.combinations ?? []).find((x) => x.id === combinationId);
    if (!c) throw new EcwidApiError(404, `Combination #${combinationId} not found`, "COMBINATION_NOT_FOUND");
    return { row, c };
  }

  getCombinations(productId: number): EcwidVariation[] {
    const row = this.productRow(productId);
    return (row.data.combinations ?? []).map((c) => this.renderVariation(c, row.data));
  }

  getCombination(productId: number, combinationId: number): EcwidVariation {
    const { row, c } = this.combination(productId, combinationId);
    return this.renderVariation(c, row.data);
  }

  private checkVariationBody(b: Json): void {
    checkFields(b, {
      sku: "string",
      quantity: "int",
      unlimited: "boolean",
      price: "number",
      weight: "number",
      options: "array",
      attributes: "array",
    });
  }

  private parseVariationOptions(input: unknown): { name: string; value: string }[] {
    if (!Array.isArray(input) || input.length === 0)
      throw wrongParameter("Field 'options' is required for a combination");
    return input.map((o) => {
      if (!isObj(o) || typeof o.name !== "string" || o.value === undefined || o.value === null)
        throw wrongParameter("Field 'options' has a wrong value: expected [{name, value}]");
      return { name: o.name, value: String(o.value) };
    });
  }

  /** Options or choices a variation names that the product lacks are created as SELECT options (§6.4). */
  private ensureOptions(p: EcwidProduct, opts: { name: string; value: string }[]): void {
    p.options = p.options ?? [];
    for (const o of opts) {
      let option: EcwidProductOption | undefined = p.options.find((x) => x.name === o.name);
      if (!option) {
        option = { type: "SELECT", name: o.name, choices: [], defaultChoice: 0, required: false };
        p.options.push(option);
      }
      option.choices = option.choices ?? [];
      if (!option.choices.some((c) => c.text === o.value)) {
        option.choices.push({ text: o.value, priceModifier: 0, priceModifierType: "ABSOLUTE" });
      }
    }
  }

  private sameOptionSet(a: { name: string; value: string }[], b: { name: string; value: string }[]): boolean {
    const key = (x: { name: string; value: string }[]) =>
      x
        .map((o) => `${o.name}\u0000${o.value}`)
        .sort()
        .join("\u0001");
    return key(a) === key(b);
  }

  createCombination(productId: number, body: unknown, internal: { silent?: boolean } = {}): number {
    const row = this.productRow(productId);
    const b = requireObject(body);
    this.checkVariationBody(b);
    const options = this.parseVariationOptions(b.options);
    const combos = (row.data.combinations = row.data.combinations ?? []);
    if (combos.some((c) => this.sameOptionSet(c.options, options))) {
      throw new EcwidApiError(409, INF.combinationDuplicated, ECWID_COMBINATION_DUPLICATED_CODE);
    }
    if (typeof b.sku === "string" && b.sku !== "") this.assertSkuFree(b.sku, {}, row.data.sku);
    this.ensureOptions(row.data, options);
    const id = this.nextCombinationId++;
    const c: EcwidVariation = {
      id,
      combinationNumber: combos.reduce((m, x) => Math.max(m, x.combinationNumber ?? 0), 0) + 1,
      options,
    };
    const skip = new Set(["id", "combinationNumber", "options", "attributes", "inStock"]);
    for (const [k, v] of Object.entries(b))
      if (!skip.has(k) && v !== undefined) (c as unknown as Json)[k] = clone(v);
    // a variation with its own SKU keeps its own stock; one without shares the product's (§6.4)
    if (c.sku && c.unlimited === undefined) c.unlimited = c.quantity === undefined;
    if (b.attributes !== undefined) c.attributes = this.resolveAttributes(b.attributes);
    combos.push(c);
    if (!internal.silent) {
      this.bump(row);
      this.touch("productsUpdated");
      this.emit("product.updated", productId);
    }
    return id;
  }

  updateCombination(productId: number, combinationId: number, body: unknown): number {
    const { row, c } = this.combination(productId, combinationId);
    const b = requireObject(body);
    this.checkVariationBody(b);
    if (b.options !== undefined) {
      const options = this.parseVariationOptions(b.options);
      if (
        (row.data.combinations ?? []).some(
          (x) => x.id !== combinationId && this.sameOptionSet(x.options, options),
        )
      ) {
        throw new EcwidApiError(409, INF.combinationDuplicated, ECWID_COMBINATION_DUPLICATED_CODE);
      }
      this.ensureOptions(row.data, options);
      c.options = options;
    }
    if (typeof b.sku === "string" && b.sku !== "") this.assertSkuFree(b.sku, { combinationId }, row.data.sku);
    const skip = new Set(["id", "combinationNumber", "options", "attributes", "inStock"]);
    for (const [k, v] of Object.entries(b))
      if (!skip.has(k) && v !== undefined) (c as unknown as Json)[k] = clone(v);
    if (b.quantity !== undefined && b.unlimited === undefined) c.unlimited = false;
    if (b.attributes !== undefined) c.attributes = this.resolveAttributes(b.attributes);
    this.bump(row);
    this.touch("productsUpdated");
    this.emit("product.updated", productId);
    return 1;
  }

  deleteCombination(productId: number, combinationId: number): number {
    const { row } = this.combination(productId, combinationId);
    row.data.combinations = (row.data.combinations ?? []).filter((c) => c.id !== combinationId);
    this.bump(row);
    this.touch("productsUpdated");
    this.emit("product.updated", productId);
    return 1;
  }

  deleteAllCombinations(productId: number): number {
    const row = this.productRow(productId);
    const n = (row.data.combinations ?? []).length;
    row.data.combinations = [];
    if (n > 0) {
      this.bump(row);
      this.touch("productsUpdated");
      this.emit("product.updated", productId);
    }
    return n;
  }

  // ---------------------------------------------------------------- inventory (§6.6)

  private readDelta(body: unknown): number {
    const b = requireObject(body);
    if (typeof b.quantityDelta !== "number" || !Number.isInteger(b.quantityDelta)) {
      throw wrongParameter("Field 'quantityDelta' has a wrong value: expected an integer");
    }
    return b.quantityDelta;
  }

  /**
   * Applies a delta; stock may go negative, with a warning (§6.6). On untracked (unlimited) stock the
   * effect is undocumented: the sandbox answers updateCount 1 and leaves it unlimited (INFERRED).
   */
  private applyDelta(
    holder: { quantity?: number; unlimited?: boolean },
    delta: number,
  ): { updateCount: number; warning?: string } {
    if (holder.unlimited) return { updateCount: 1 };
    holder.quantity = (holder.quantity ?? 0) + delta;
    return holder.quantity < 0
      ? { updateCount: 1, warning: ECWID_NEGATIVE_STOCK_WARNING }
      : { updateCount: 1 };
  }

  adjustProductInventory(productId: number, body: unknown): { updateCount: number; warning?: string } {
    const row = this.productRow(productId);
    const result = this.applyDelta(row.data, this.readDelta(body));
    this.stockChanged(row);
    return result;
  }

  adjustCombinationInventory(
    productId: number,
    combinationId: number,
    body: unknown,
  ): { updateCount: number; warning?: string } {
    const { row, c } = this.combination(productId, combinationId);
    const delta = this.readDelta(body);
    if (!c.sku) throw wrongParameter(DOC.combinationSkuNotSet);
    const result = this.applyDelta(c, delta);
    this.stockChanged(row);
    return result;
  }

  /** Every stock change fires product.updated (§6.6). */
  private stockChanged(row: Row<EcwidProduct>): void {
    this.bump(row);
    this.touch("productsUpdated");
    this.emit("product.updated", row.data.id);
  }

  /** Where an order item's stock lives: the variation with its own SKU, else the product (§6.4). */
  private stockHolder(
    line: StockLine,
  ): { row: Row<EcwidProduct>; holder: { quantity?: number; unlimited?: boolean } } | undefined {
    const row = this.products.get(line.productId);
    if (!row) return undefined;
    const c = line.combinationId
      ? (row.data.combinations ?? []).find((x) => x.id === line.combinationId)
      : undefined;
    return { row, holder: c && c.sku ? c : row.data };
  }

  /** Moves stock for order lines (sign −1 takes, +1 gives back); returns the stock before, per line. */
  private moveStock(lines: StockLine[], sign: 1 | -1): (number | undefined)[] {
    const changed = new Set<Row<EcwidProduct>>();
    const before = lines.map((l) => {
      const h = this.stockHolder(l);
      if (!h || h.holder.unlimited) return undefined;
      const q = h.holder.quantity ?? 0;
      h.holder.quantity = q + sign * l.quantity;
      changed.add(h.row);
      return q;
    });
    for (const row of changed) this.stockChanged(row);
    return before;
  }

  // ================================================================ categories (§7)

  seedCategory(c: EcwidCategory): void {
    const data = clone(c);
    // product links live on the products (categoryIds); the category's list is derived from them
    const productIds = data.productIds ?? [];
    delete data.productIds;
    delete data.enabledProductCount;
    delete data.productCount;
    this.categories.set(c.id, { data, created: this.now(), updated: this.now() });
    this.nextCategoryId = Math.max(this.nextCategoryId, c.id + 1);
    for (const pid of productIds) {
      const p = this.products.get(pid)?.data;
      if (p && !(p.categoryIds ?? []).includes(c.id)) p.categoryIds = [...(p.categoryIds ?? []), c.id];
    }
  }

  private categoryRow(id: number): Row<EcwidCategory> {
    const row = this.categories.get(id);
    if (!row) throw new EcwidApiError(404, DOC.categoryNotFound(id), "CATEGORIES_NOT_FOUND");
    return row;
  }

  private checkCategoryBody(b: Json): void {
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
      if (!this.products.has(x)) throw new EcwidApiError(404, DOC.productNotFound(x), "PRODUCT_NOT_FOUND");
      return x;
    });
  }

  /** Sets exactly `ids` as the products of category `id`. */
  private assignProducts(id: number, ids: number[]): void {
    for (const row of this.products.values()) {
      const p = row.data;
      const has = (p.categoryIds ?? []).includes(id);
      const want = ids.includes(p.id);
      if (has === want) continue;
      p.categoryIds = want ? [...(p.categoryIds ?? []), id] : (p.categoryIds ?? []).filter((x) => x !== id);
      this.bump(row);
      this.emit("product.updated", p.id);
    }
  }

  createCategory(body: unknown): number {
    const b = requireObject(body);
    this.checkCategoryBody(b);
    if (typeof b.name !== "string" || b.name.trim() === "") throw wrongParameter(DOC.categoryNameEmpty);
    const parentId = typeof b.parentId === "number" ? b.parentId : 0;
    if (parentId !== 0) this.categoryRow(parentId);
    const productIds = Array.isArray(b.productIds) ? this.checkProductIdsExist(b.productIds) : undefined;
    const id = this.nextCategoryId++;
    const siblings = [...this.categories.values()].filter((r) => (r.data.parentId ?? 0) === parentId);
    const c: EcwidCategory = {
      id,
      orderBy: siblings.reduce((m, r) => Math.max(m, r.data.orderBy ?? 0), 0) + 10,
      name: b.name,
      nameTranslated: { en: b.name },
      description: "",
      enabled: true,
      url: `${this.storeUrl()}/products/c${id}`,
    };
    if (parentId !== 0) c.parentId = parentId;
    const skip = new Set(["id", "productIds", "productCount", "enabledProductCount", "parentId"]);
    for (const [k, v] of Object.entries(b))
      if (!skip.has(k) && v !== undefined) (c as unknown as Json)[k] = clone(v);
    const now = this.now();
    this.categories.set(id, { data: c, created: now, updated: now });
    if (productIds) this.assignProducts(id, productIds);
    this.touch("categoriesUpdated");
    this.emit("category.created", id);
    return id;
  }

  private isDescendant(id: number, ancestor: number): boolean {
    for (let p = this.categories.get(id)?.data.parentId; p; p = this.categories.get(p)?.data.parentId)
      if (p === ancestor) return true;
    return false;
  }

  updateCategory(id: number, body: unknown): number {
    const row = this.categoryRow(id);
    const b = requireObject(body);
    this.checkCategoryBody(b);
    if (b.name !== undefined && (typeof b.name !== "string" || b.name.trim() === ""))
      throw wrongParameter(DOC.categoryNameEmpty);
    if (typeof b.parentId === "number" && b.parentId !== 0) {
      this.categoryRow(b.parentId);
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
    this.touch("categoriesUpdated");
    this.emit("category.updated", id);
    return 1;
  }

  /** Deletes the category and its subcategories (INFERRED: Ecwid does not document orphans). */
  deleteCategory(id: number): number {
    if (!this.categories.has(id)) return 0;
    const doomed = [id, ...[...this.categories.keys()].filter((c) => this.isDescendant(c, id))];
    for (const c of doomed) {
      this.assignProducts(c, []);
      this.categories.delete(c);
      this.emit("category.deleted", c);
    }
    this.touch("categoriesUpdated");
    return 1;
  }

  categoryRows(): Row<EcwidCategory>[] {
    return [...this.categories.values()];
  }

  getCategory(id: number, withProductIds: boolean): EcwidCategory {
    return this.renderCategory(this.categoryRow(id), withProductIds);
  }

  /** Whether `id` is `ancestor` or below it. */
  inSubtree(id: number, ancestor: number): boolean {
    return id === ancestor || this.isDescendant(id, ancestor);
  }

  renderCategory(row: Row<EcwidCategory>, withProductIds: boolean): EcwidCategory {
    const c = clone(row.data);
    const direct = this.productRows().filter((r) => (r.data.categoryIds ?? []).includes(c.id));
    const inTree = this.productRows().filter((r) =>
      (r.data.categoryIds ?? []).some((x) => this.inSubtree(x, c.id)),
    );
    c.productCount = inTree.length;
    if (withProductIds) {
      c.productIds = direct.map((r) => r.data.id);
      c.enabledProductCount = direct.filter((r) => r.data.enabled !== false).length;
    }
    return c;
  }

  // ================================================================ customers (§9)

  seedCustomer(c: EcwidCustomer): void {
    const data = clone(c);
    const created = toSeconds(c.registered) ?? this.now();
    const updated = toSeconds(c.updated) ?? created;
    this.customers.set(c.id, { data, created, updated });
    this.nextCustomerId = Math.max(this.nextCustomerId, c.id + 1);
  }

  private customerRow(id: number): Row<EcwidCustomer> {
    const row = this.customers.get(id);
    if (!row) throw new EcwidApiError(404, DOC.customerNotFound(id), "CUSTOMER_NOT_FOUND");
    return row;
  }

  findCustomerIdByEmail(email: string): number | undefined {
    const e = email.trim().toLowerCase();
    for (const [id, row] of this.customers) if (row.data.email.trim().toLowerCase() === e) return id;
    return undefined;
  }

  private checkCustomerBody(b: Json): void {
    checkFields(b, {
      email: "string",
      billingPerson: "object",
      shippingAddresses: "array",
      contacts: "array",
      customerGroupId: "int",
      taxId: "string",
      taxExempt: "boolean",
      acceptMarketing: "boolean",
    });
    if (b.email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(String(b.email).trim()))
      throw wrongParameter("Field 'email' has a wrong value");
  }

  private shippingAddresses(input: unknown): EcwidCustomer["shippingAddresses"] {
    if (!Array.isArray(input)) return [];
    return input.filter(isObj).map((a) => {
      const person = this.withDerivedNames(a as EcwidPerson);
      const out = { ...person, id: typeof a.id === "number" ? a.id : this.nextAddressId++ } as NonNullable<
        EcwidCustomer["shippingAddresses"]
      >[number];
      out.addressFormatted = [person.street, person.city, person.stateOrProvinceName, person.countryName]
        .filter(Boolean)
        .join(", ");
      return out;
    });
  }

  /** countryName / stateOrProvinceName are output-only, derived from the codes (§5). */
  private withDerivedNames(p: EcwidPerson): EcwidPerson {
    const out = clone(p);
    if (out.countryCode && COUNTRY_NAMES[out.countryCode]) out.countryName = COUNTRY_NAMES[out.countryCode];
    return out;
  }

  createCustomer(body: unknown, internal: { silent?: boolean } = {}): number {
    const b = requireObject(body);
    this.checkCustomerBody(b);
    if (typeof b.email !== "string" || b.email.trim() === "")
      throw wrongParameter("Field 'email' is required");
    if (this.findCustomerIdByEmail(b.email) !== undefined) {
      throw new EcwidApiError(409, INF.customerExists(b.email), ECWID_DUPLICATE_CUSTOMER_CODE);
    }
    const id = this.nextCustomerId++;
    const now = this.now();
    const billing = isObj(b.billingPerson) ? this.withDerivedNames(b.billingPerson as EcwidPerson) : {};
    const c: EcwidCustomer = {
      id,
      email: b.email.trim(),
      name: billing.name ?? "",
      customerGroupId: 0,
      customerGroupName: "General",
      billingPerson: billing,
      shippingAddresses: this.shippingAddresses(b.shippingAddresses),
      contacts: [
        {
          id: this.nextContactId++,
          contact: b.email.trim(),
          type: "EMAIL",
          default: true,
          orderBy: 0,
          timestamp: formatEcwidDate(new Date(now * 1000)),
        },
      ],
      taxId: "",
      taxIdValid: true,
      taxExempt: false,
      b2b_b2c: billing.companyName ? "b2b" : "b2c",
      acceptMarketing: false,
      lang: "en",
      stats: { numberOfOrders: 0, salesValue: 0, averageOrderValue: 0 },
      privateAdminNotes: "",
      favorites: [],
    };
    const skip = new Set([
      "id",
      "email",
      "name",
      "billingPerson",
      "shippingAddresses",
      "registered",
      "updated",
      "stats",
      "password",
    ]);
    for (const [k, v] of Object.entries(b))
      if (!skip.has(k) && v !== undefined) (c as unknown as Json)[k] = clone(v);
    this.customers.set(id, { data: c, created: now, updated: now });
    this.touch("customersUpdated");
    if (!internal.silent) this.emit("customer.created", id, { customerEmail: c.email });
    return id;
  }

  updateCustomer(id: number, body: unknown): number {
    const row = this.customerRow(id);
    const b = requireObject(body);
    this.checkCustomerBody(b);
    if (typeof b.email === "string") {
      const other = this.findCustomerIdByEmail(b.email);
      if (other !== undefined && other !== id)
        throw new EcwidApiError(409, INF.customerExists(b.email), ECWID_DUPLICATE_CUSTOMER_CODE);
      row.data.email = b.email.trim();
    }
    if (isObj(b.billingPerson)) {
      row.data.billingPerson = this.withDerivedNames({
        ...(row.data.billingPerson ?? {}),
        ...(b.billingPerson as EcwidPerson),
      });
      row.data.name = row.data.billingPerson.name ?? "";
    }
    if (b.shippingAddresses !== undefined)
      row.data.shippingAddresses = this.shippingAddresses(b.shippingAddresses);
    const skip = new Set([
      "id",
      "email",
      "billingPerson",
      "shippingAddresses",
      "registered",
      "updated",
      "stats",
      "password",
      "name",
    ]);
    for (const [k, v] of Object.entries(b))
      if (!skip.has(k) && v !== undefined) (row.data as unknown as Json)[k] = clone(v);
    this.bump(row);
    this.touch("customersUpdated");
    this.emit("customer.updated", id, { customerEmail: row.data.email });
    return 1;
  }

  deleteCustomer(id: number): number {
    const row = this.customers.get(id);
    if (!row) return 0;
    this.customers.delete(id);
    this.deleted.customers.push({ id, at: this.now() });
    this.touch("customersUpdated");
    this.emit("customer.deleted", id, { customerEmail: row.data.email });
    return 1;
  }

  customerRows(): Row<EcwidCustomer>[] {
    return [...this.customers.values()];
  }

  getCustomer(id: number): EcwidCustomer {
    return this.renderCustomer(this.customerRow(id));
  }

  renderCustomer(row: Row<EcwidCustomer>): EcwidCustomer {
    const c = clone(row.data);
    c.registered = formatEcwidDate(new Date(row.created * 1000));
    c.updated = formatEcwidDate(new Date(row.updated * 1000));
    return c;
  }

  /** Search items also carry totalOrderCount (§9). */
  orderCountOf(customerId: number): number {
    return [...this.orders.values()].filter((o) => o.data.customerId === customerId).length;
  }

  // ================================================================ orders (§8)

  private orderAffixes(): { prefix: string; suffix: string } {
    const f = this.profile.formatsAndUnits ?? {};
    return { prefix: f.orderNumberPrefix ?? "", suffix: f.orderNumberSuffix ?? "" };
  }

  seedOrder(o: EcwidOrder): void {
    const data = clone(o);
    const internalId = o.internalId ?? o.orderNumber ?? this.nextOrderInternalId;
    const { prefix, suffix } = this.orderAffixes();
    let baseId = o.id;
    if (prefix && baseId.startsWith(prefix)) baseId = baseId.slice(prefix.length);
    if (suffix && baseId.endsWith(suffix)) baseId = baseId.slice(0, -suffix.length);
    const created = o.createTimestamp ?? toSeconds(o.createDate) ?? this.now();
    const updated = o.updateTimestamp ?? toSeconds(o.updateDate) ?? created;
    this.orders.set(internalId, {
      data,
      baseId,
      internalId,
      created,
      updated,
      stock: "none",
      stockLines: [],
    });
    this.nextOrderInternalId = Math.max(this.nextOrderInternalId, internalId + 1);
    for (const i of data.items ?? [])
      if (i.id) this.nextOrderItemId = Math.max(this.nextOrderItemId, i.id + 1);
  }

  /** `{orderId}` in a path or `ids`: the string id with or without prefix/suffix, the internal id or the order number (§8.1). */
  findOrder(key: string): OrderRow | undefined {
    const k = key.trim().toUpperCase();
    const { prefix, suffix } = this.orderAffixes();
    for (const row of this.orders.values()) {
      const full = this.fullOrderId(row).toUpperCase();
      const forms = [
        full,
        row.baseId.toUpperCase(),
        String(row.internalId),
        String(row.data.orderNumber ?? row.internalId),
      ];
      if (forms.includes(k)) return row;
      if ((prefix || suffix) && `${prefix}${k}${suffix}`.toUpperCase() === full) return row;
    }
    return undefined;
  }

  private orderRow(key: string): OrderRow {
    const row = this.findOrder(key);
    if (!row) throw new EcwidApiError(404, DOC.orderNotFound(key), "ORDER_NOT_FOUND");
    return row;
  }

  private fullOrderId(row: OrderRow): string {
    if (row.data.id !== undefined && row.data.id !== row.baseId) return row.data.id;
    const { prefix, suffix } = this.orderAffixes();
    return `${prefix}${row.baseId}${suffix}`;
  }

  private newBaseOrderId(): string {
    const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (;;) {
      let id = "";
      for (let i = 0; i < 5; i++) id += alphabet[Math.floor(Math.random() * alphabet.length)];
      if (![...this.orders.values()].some((o) => o.baseId === id)) return id;
    }
  }

  private checkStatus(field: "paymentStatus" | "fulfillmentStatus", v: unknown): void {
    if (v === undefined) return;
    if (field === "paymentStatus" && v === "QUEUED") throw wrongParameter(DOC.queuedDeprecated);
    const allowed: readonly string[] =
      field === "paymentStatus" ? ECWID_PAYMENT_STATUSES : ECWID_FULFILLMENT_STATUSES;
    if (typeof v !== "string" || !allowed.includes(v))
      throw wrongParameter(`Wrong value of field '${field}': ${String(v)}`);
  }

  /** Items as stored: ids kept or assigned, selected options completed with valuesArray/selections (§8.4). */
  private orderItems(input: unknown, existing: EcwidOrderItem[] = []): EcwidOrderItem[] {
    if (!Array.isArray(input)) throw wrongParameter("Field 'items' has a wrong value: expected an array");
    return input.map((raw) => {
      if (!isObj(raw)) throw wrongParameter("Field 'items' has a wrong value");
      if (raw.quantity === undefined || raw.quantity === null) throw wrongParameter(DOC.itemQuantityAbsent);
      checkFields(raw, {
        quantity: "number",
        price: "number",
        productId: "int",
        combinationId: "int",
        sku: "string",
        name: "string",
      });
      const prior = typeof raw.id === "number" ? existing.find((i) => i.id === raw.id) : undefined;
      const item = { ...(prior ?? {}), ...clone(raw) } as EcwidOrderItem;
      item.id = prior?.id ?? this.nextOrderItemId++;
      if (Array.isArray(raw.selectedOptions))
        item.selectedOptions = raw.selectedOptions.filter(isObj).map((o) => completeSelectedOption(o));
      return item;
    });
  }

  /** §8.6: stock and the customer's order count move only for PAID orders with product ids and an e-mail or customer id. */
  private movesStock(o: EcwidOrder): boolean {
    return (
      o.paymentStatus === "PAID" &&
      (o.items ?? []).some((i) => i.productId !== undefined && this.products.has(i.productId)) &&
      (!!(o.email && o.email.trim()) || o.customerId !== undefined)
    );
  }

  createOrder(body: unknown): { id: number; orderId: string } {
    const b = requireObject(body);
    checkFields(b, {
      email: "string",
      subtotal: "number",
      total: "number",
      tax: "number",
      items: "array",
      customerId: "int",
      createDate: "string",
    });
    this.checkStatus("paymentStatus", b.paymentStatus);
    this.checkStatus("fulfillmentStatus", b.fulfillmentStatus);
    const items = b.items !== undefined ? this.orderItems(b.items) : [];
    if (typeof b.customerId === "number") this.customerRow(b.customerId);
    const now = this.now();
    let created = now;
    if (typeof b.createDate === "string") {
      const d = parseEcwidDate(b.createDate);
      if (!d) throw wrongParameter("Field 'createDate' has a wrong value");
      created = Math.floor(d.getTime() / 1000);
    }
    const internalId = this.nextOrderInternalId++;
    const baseId = this.newBaseOrderId();
    const { prefix, suffix } = this.orderAffixes();
    const id = `${prefix}${baseId}${suffix}`;
    const o: EcwidOrder = {
      id,
      internalId,
      orderNumber: internalId,
      vendorOrderNumber: id,
      publicUid: id,
      email: "",
      paymentStatus: "AWAITING_PAYMENT",
      fulfillmentStatus: "AWAITING_PROCESSING",
      subtotal: 0,
      total: 0,
      tax: 0,
      pricesIncludeTax: false,
      hidden: false,
      refundedAmount: 0,
      refunds: [],
    };
    for (const [k, v] of Object.entries(b))
      if (!ORDER_FIELDS_SET_BY_STORE.has(k) && v !== undefined) (o as unknown as Json)[k] = clone(v);
    o.items = items;
    if (o.billingPerson) o.billingPerson = this.withDerivedNames(o.billingPerson);
    if (o.shippingPerson) o.shippingPerson = this.withDerivedNames(o.shippingPerson);
    // an e-mail without a customer attaches the order to that customer, created when new (§8.6)
    let customerCreated = false;
    if (o.customerId === undefined && o.email && o.email.trim()) {
      let cid = this.findCustomerIdByEmail(o.email);
      if (cid === undefined) {
        cid = this.createCustomer({ email: o.email, billingPerson: o.billingPerson ?? {} }, { silent: true });
        customerCreated = true;
      }
      o.customerId = cid;
    }
    const row: OrderRow = {
      data: o,
      baseId,
      internalId,
      created,
      updated: now,
      stock: "none",
      stockLines: [],
    };
    this.orders.set(internalId, row);
    if (this.movesStock(o)) {
      row.stockLines = items
        .filter((i) => i.productId !== undefined && this.products.has(i.productId))
        .map((i) => ({
          productId: i.productId as number,
          combinationId: i.combinationId,
          quantity: i.quantity,
        }));
      const before = this.moveStock(row.stockLines, -1);
      let li = 0;
      for (const i of items) {
        if (i.productId === undefined || !this.products.has(i.productId)) continue;
        const q = before[li++];
        if (q !== undefined) i.quantityInStock = q;
      }
      row.stock = "applied";
      this.countCustomerOrder(o);
    }
    this.touch("ordersUpdated");
    // an unfinished checkout is its own event family until it is paid (§11.3)
    if (o.paymentStatus === "INCOMPLETE") this.emit("unfinished_order.created", internalId, { orderId: id });
    else
      this.emit("order.created", internalId, {
        orderId: id,
        newPaymentStatus: o.paymentStatus,
        newFulfillmentStatus: o.fulfillmentStatus,
      });
    if (o.customerId !== undefined && (customerCreated || row.stock === "applied")) {
      const email = this.customers.get(o.customerId)?.data.email;
      this.emit(customerCreated ? "customer.created" : "customer.updated", o.customerId, {
        customerEmail: email,
      });
    }
    return { id: internalId, orderId: id };
  }

  private countCustomerOrder(o: EcwidOrder): void {
    if (o.customerId === undefined) return;
    const row = this.customers.get(o.customerId);
    if (!row) return;
    const s = (row.data.stats = row.data.stats ?? {});
    s.numberOfOrders = (s.numberOfOrders ?? 0) + 1;
    s.salesValue = Math.round(((s.salesValue ?? 0) + (o.total ?? 0)) * 100) / 100;
    s.averageOrderValue = Math.round((s.salesValue / s.numberOfOrders) * 100) / 100;
    const when = o.createDate ?? formatEcwidDate(new Date(this.now() * 1000));
    s.firstOrderDate = s.firstOrderDate ?? when;
    s.lastOrderDate = when;
    this.bump(row);
  }

  updateOrder(key: string, body: unknown): number {
    const row = this.orderRow(key);
    const b = requireObject(body);
    checkFields(b, {
      email: "string",
      subtotal: "number",
      total: "number",
      tax: "number",
      items: "array",
      hidden: "boolean",
      createDate: "string",
    });
    this.checkStatus("paymentStatus", b.paymentStatus);
    this.checkStatus("fulfillmentStatus", b.fulfillmentStatus);
    const o = row.data;
    if (b.hidden === true && (b.paymentStatus ?? o.paymentStatus) !== "INCOMPLETE") {
      throw wrongParameter("Only unfinished (INCOMPLETE) orders can be hidden");
    }
    const items = b.items !== undefined ? this.orderItems(b.items, o.items) : undefined;
    const old = { paymentStatus: o.paymentStatus, fulfillmentStatus: o.fulfillmentStatus };
    for (const [k, v] of Object.entries(b))
      if (!ORDER_FIELDS_SET_BY_STORE.has(k) && v !== undefined) (o as unknown as Json)[k] = clone(v);
    if (items) o.items = items;
    if (typeof b.createDate === "string") {
      const d = parseEcwidDate(b.createDate);
      if (!d) throw wrongParameter("Field 'createDate' has a wrong value");
      row.created = Math.floor(d.getTime() / 1000);
    }
    // §8.7: a change into CANCELLED restocks once; moving back out takes the stock again
    if (ECWID_API_CANCEL_RESTOCKS) {
      if (row.stock === "applied" && o.paymentStatus === "CANCELLED" && old.paymentStatus !== "CANCELLED") {
        this.moveStock(row.stockLines, 1);
        row.stock = "restocked";
      } else if (
        row.stock === "restocked" &&
        old.paymentStatus === "CANCELLED" &&
        o.paymentStatus !== "CANCELLED"
      ) {
        this.moveStock(row.stockLines, -1);
        row.stock = "applied";
      }
    }
    this.bump(row);
    this.touch("ordersUpdated");
    const orderId = this.fullOrderId(row);
    if (old.paymentStatus === "INCOMPLETE" && o.paymentStatus === "INCOMPLETE") {
      this.emit("unfinished_order.updated", row.internalId, { orderId });
    } else if (old.paymentStatus === "INCOMPLETE") {
      // a checkout that gets paid becomes an order: order.created is sent then (§11.3)
      this.emit("order.created", row.internalId, {
        orderId,
        newPaymentStatus: o.paymentStatus,
        newFulfillmentStatus: o.fulfillmentStatus,
      });
    } else {
      this.emit("order.updated", row.internalId, {
        orderId,
        oldPaymentStatus: old.paymentStatus,
        newPaymentStatus: o.paymentStatus,
        oldFulfillmentStatus: old.fulfillmentStatus,
        newFulfillmentStatus: o.fulfillmentStatus,
      });
    }
    return 1;
  }

  /** Refunds, returns and deletes leave stock alone (§8.7, INFERRED). */
  deleteOrder(key: string): number {
    const row = this.findOrder(key);
    if (!row) throw new EcwidApiError(404, DOC.orderNotFound(key), "ORDER_NOT_FOUND");
    this.orders.delete(row.internalId);
    const orderId = this.fullOrderId(row);
    this.deleted.orders.push({ id: row.internalId, orderId, at: this.now() });
    this.touch("ordersUpdated");
    this.emit(
      row.data.paymentStatus === "INCOMPLETE" ? "unfinished_order.deleted" : "order.deleted",
      row.internalId,
      { orderId },
    );
    return 1;
  }

  orderRows(): OrderRow[] {
    return [...this.orders.values()];
  }

  getOrder(key: string): EcwidOrder {
    return this.renderOrder(this.orderRow(key));
  }

  /** Whether the order has taken stock and not given it back (§8.7 "stock applied" flag). */
  orderStockApplied(key: string): boolean {
    return this.orderRow(key).stock === "applied";
  }

  renderOrder(row: OrderRow): EcwidOrder {
    const o = clone(row.data);
    const id = this.fullOrderId(row);
    o.id = id;
    o.internalId = row.internalId;
    o.orderNumber = row.data.orderNumber ?? row.internalId;
    o.vendorOrderNumber = row.data.vendorOrderNumber ?? id;
    o.publicUid = row.data.publicUid ?? id;
    o.createDate = formatEcwidDate(new Date(row.created * 1000));
    o.updateDate = formatEcwidDate(new Date(row.updated * 1000));
    o.createTimestamp = row.created;
    o.updateTimestamp = row.updated;
    return o;
  }

  // ================================================================ store-level (§10)

  latestStats(opts: { productCount?: boolean; categoryCount?: boolean }): EcwidLatestStats {
    const fmt = (k: keyof EcwidLatestStats) => formatEcwidDate(new Date((this.touched[k] ?? 0) * 1000));
    const out: EcwidLatestStats = {
      productsUpdated: fmt("productsUpdated"),
      ordersUpdated: fmt("ordersUpdated"),
      profileUpdated: fmt("profileUpdated"),
      categoriesUpdated: fmt("categoriesUpdated"),
      discountCouponsUpdated: fmt("discountCouponsUpdated"),
      abandonedSalesUpdated: fmt("abandonedSalesUpdated"),
      customersUpdated: fmt("customersUpdated"),
    };
    if (opts.productCount) out.productCount = this.products.size;
    if (opts.categoryCount) out.categoryCount = this.categories.size;
    return out;
  }

  deletedItems(kind: "products" | "orders" | "customers", from?: number, to?: number): EcwidDeletedItem[] {
    return this.deleted[kind]
      .filter((d) => (from === undefined || d.at >= from) && (to === undefined || d.at <= to))
      .map((d) => {
        const item: EcwidDeletedItem = { id: d.id, date: formatEcwidDate(new Date(d.at * 1000)) };
        if (d.orderId !== undefined) item.orderId = d.orderId;
        return item;
      });
  }
}

/** CHOICE options read back with valuesArray and selections, as Ecwid completes them (§8.4). */
function completeSelectedOption(o: Json): EcwidSelectedOption {
  const out = clone(o) as unknown as EcwidSelectedOption;
  const type = out.type ?? "CHOICE";
  out.type = type;
  if (
    (type === "CHOICE" || type === "CHOICES" || type === "SWATCH_CHOICE") &&
    typeof out.value === "string"
  ) {
    const values = type === "CHOICES" ? out.value.split(",").map((v) => v.trim()) : [out.value];
    out.valuesArray = out.valuesArray ?? values;
    out.selections =
      out.selections ??
      values.map((v) => ({
        selectionTitle: v,
        selectionModifier: 0,
        selectionModifierType: "ABSOLUTE" as const,
      }));
  }
  return out;
}

const toSeconds = (s: string | undefined): number | undefined => {
  const d = parseEcwidDate(s);
  return d ? Math.floor(d.getTime() / 1000) : undefined;
};
