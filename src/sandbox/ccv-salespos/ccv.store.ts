import { randomBytes } from "node:crypto";
import { ccvDate } from "../../connectors/ccv-salespos/ccv.auth";
import {
  CCV_COMBINATION_ATTRIBUTE_TYPES,
  CCV_DELIVER_METHOD,
  CCV_ERROR,
  CCV_ORDER_ROW_PRODUCT_TYPE,
  CCV_ORDER_STATUS,
  CCV_ORDER_STATUS_CODES,
  CCV_ORDERING_WITHOUT_STOCK_DEFAULT,
  CCV_SANDBOX_NOT_FOUND_ERROR,
  CCV_STOCKTYPE,
  CCV_TAX_TARIFFS,
  CCV_WEBHOOK_EVENTS,
  type CcvWebhookEvent,
} from "../../connectors/ccv-salespos/ccv.vendor-facts";
import { dec, Decimal } from "../../domain/money";
import { CcvSandboxError, invalid, validateBody, type BodySpec } from "./ccv.validate";

/**
 * The CCV sandbox's in-memory shop: records, the vendor's business rules (attribute-combination
 * generation, order numbering and totals, username uniqueness…), filters, and the wire shapes of
 * reads (reference §5, §8). No HTTP here: the server routes requests to these methods.
 *
 * Choices where the reference says [unknown] are marked [sandbox].
 */

type Rec = Record<string, unknown>;
type Emit = (event: CcvWebhookEvent, payload: Rec) => void;

// ---------------------------------------------------------------------------------------------
// records

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

export interface AttributeRec {
  id: number;
  name: string;
  type: string;
}

export interface AttributeValueRec {
  id: number;
  attribute_id: number;
  name: string;
  default_price: number;
}

export interface ProductAttributeValueRec {
  id: number;
  product_id: number;
  attributevalue_id: number;
  price: number;
  position: number;
  optionposition: number;
}

export interface CombinationRec {
  id: number;
  product_id: number;
  /** productattributevalue ids, one per option-menu attribute, in axis order */
  pavIds: number[];
  stock: number;
  note: string;
  product_number: string;
  ean_number: string;
  sku_number: string;
  delivery_time: number;
  delivery_time_type: string;
  delivery_default_text: string;
  active: boolean;
}

export interface PropertyGroupRec {
  id: number;
  name: string;
}
export interface PropertyRec {
  id: number;
  group_id: number;
  parent: number | null;
  name: string;
  description: string | null;
  position: number | null;
  type: string | null;
  icon: string | null;
}
export interface PropertyOptionRec {
  id: number;
  property_id: number;
  name: string;
  position: number | null;
}
export interface ProductToPropertyGroupRec {
  id: number;
  product_id: number;
  product_property_group_id: number;
}
export interface PropertyValueRec {
  id: number;
  product_id: number;
  product_property_id: number;
  value: boolean | number | string;
}

export interface OrderRowRec {
  id: number;
  order_id: number;
  product_type: string;
  product_name: string;
  product_number: string;
  sub_product_number: string;
  sub_sku_number: string;
  sub_ean_number: string;
  product_id: number | null;
  attribute_combination_id: number | null;
  count: number;
  price: number;
  product_purchase_price: number;
  discount: number;
  custom_price: boolean;
  tax: number;
  unit: string;
  weight: number;
  memo: string;
  package_id: number | null;
  extra_price: number;
  attributes: { id: number; option_name: string; value_name: string; price: number }[];
}

export interface OrderRec {
  id: number;
  create_date: string;
  is_completed: boolean;
  ordernumber_prefix: string | null;
  ordernumber: number | null;
  ordernumber_full: string | null;
  status: number | null;
  paid: boolean;
  fields: Rec;
  customer: Rec;
  user_id: number | null;
  rows: OrderRowRec[];
}

export interface UserRec {
  id: number;
  createdate: string;
  username: string;
  password: string;
  group_id: number | null;
  status: boolean;
  approval_status: "pending" | "accepted";
  product_in_category_discount: string;
  userinfo: Rec;
}

export interface WebhookRec {
  id: number;
  createdate: string;
  event: string;
  address: string;
  key: string;
  is_active: boolean;
}

export interface PackageRec {
  id: number;
  name: string;
}

export interface PaymethodRec {
  id: number;
  psp: string;
  method: string;
  combined_name: string;
  label: string;
  extra_costs: boolean;
  extra_costs_fixed: number;
  extra_costs_percentage: number;
}

export interface CcvSandboxSeed {
  webshopId?: number;
  webshopName?: string;
  currency?: string;
  pricesIncludeVat?: boolean;
  orderNumberStart?: number;
  /** [sandbox] ordernumber_full = `${prefix}-${number}` when set */
  orderNumberPrefix?: string | null;
  packages?: { name: string }[];
  paymethods?: Omit<PaymethodRec, "id">[];
}

export interface CcvStoreOptions {
  salesPos: boolean;
  /** §5.6.2 [unknown]: whether API orders change stock; here behind a flag (default off) */
  decrementStockOnOrder: boolean;
  seed: CcvSandboxSeed;
}

// ---------------------------------------------------------------------------------------------
// write schemas (field names from §5; types from the docs-generated schemas)

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

const PERSONALINFO_FIELDS = "object";

const ORDER_ROW_FIELDS: BodySpec = {
  product_id: "integer",
  attribute_combination_id: "number",
  count: "!number",
  product_type: "string",
  auto_create_deposit_rows: "boolean",
  product_name: "string",
  product_number: "string",
  price: "number",
  product_purchase_price: "number",
  discount: "number",
  tax: "number",
  unit: "string",
  memo: "string",
  weight: "number",
  package_id: "integer",
};

const ORDER_FIELDS: BodySpec = {
  customer: `!${PERSONALINFO_FIELDS}`,
  orderrows: "!array",
  is_completed: "boolean",
  paid: "boolean",
  status: "integer?",
  orderedinlng: "string",
  currency: "string",
  taxes_included: "boolean",
  order_row_taxes_included: "boolean",
  shipping_taxes_included: "boolean",
  total_shipping: "number",
  deliver_method: "string",
  deliver_date: "string?",
  takeoutslot: "integer?",
  is_platform_sale: "boolean?",
  invoicenumber: "integer?",
  reservationnumber: "string?",
  user_id: "integer",
  extra_costs: "number",
  extra_costs_description: "string",
  paymethod_costs: "number",
  track_and_trace_code: "string",
  track_and_trace_carrier: "string?",
  is_intra_community_order: "boolean",
  safety_deposit_returned: "boolean",
};

const ORDER_PATCH_FIELDS: BodySpec = (() => {
  const { is_completed: _c, user_id: _u, ...rest } = ORDER_FIELDS;
  return { ...rest, customer: PERSONALINFO_FIELDS, orderrows: "array", note: "string", mail: "boolean" };
})();

const USER_FIELDS: BodySpec = {
  username: "!string",
  password: "!string",
  group_id: "integer?",
  status: "boolean",
  product_in_category_discount: "string",
  userinfo: PERSONALINFO_FIELDS,
  encryption: "string",
  gender: "string",
};

const USER_PATCH_FIELDS: BodySpec = {
  username: "string",
  group_id: "integer?",
  status: "boolean",
  approval_status: "string",
  product_in_category_discount: "string",
  userinfo: PERSONALINFO_FIELDS,
};

const COMBINATION_PATCH_FIELDS: BodySpec = {
  note: "string",
  stock: "number",
  product_number: "string",
  ean_number: "string",
  sku_number: "string",
  delivery_time: "integer",
  delivery_time_type: "string",
  delivery_default_text: "string",
  active: "boolean",
};

/** §5.4 [inferred] attribute type literals; only option menus generate combinations. */
const ATTRIBUTE_TYPES = [
  "option_menu",
  "option_menu_required",
  "text",
  "text_required",
  "additional_menu",
  "additional_menu_required",
];

/** [sandbox] VAT percentages behind the tariffs (Dutch rates; "low b" and "extra low" invented). */
const TARIFF_RATE: Record<string, number> = { normal: 21, "low a": 9, "low b": 6, "extra low": 5, zero: 0 };

const money = (d: Decimal): number => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
const num = (d: Decimal): number => d.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toNumber();

const notFound = (what: string, id: number | string) =>
  new CcvSandboxError(
    CCV_SANDBOX_NOT_FOUND_ERROR.status,
    CCV_SANDBOX_NOT_FOUND_ERROR.code,
    `${what} ${id} not found.`,
  );

export class CcvStore {
  /** `https://host/api/rest/v1` — set by the server once it listens */
  apiRoot = "";
  readonly webshop: { id: number; name: string; create_date: string };
  readonly settings: {
    currency: string;
    prices_include_vat: boolean;
    webshop_enabled: boolean;
    languages: string[];
  };

  readonly products = new Map<number, ProductRec>();
  readonly categories = new Map<number, CategoryRec>();
  readonly productToCategories = new Map<number, ProductToCategoryRec>();
  readonly attributes = new Map<number, AttributeRec>();
  readonly attributeValues = new Map<number, AttributeValueRec>();
  readonly productAttributeValues = new Map<number, ProductAttributeValueRec>();
  readonly combinations = new Map<number, CombinationRec>();
  readonly propertyGroups = new Map<number, PropertyGroupRec>();
  readonly properties = new Map<number, PropertyRec>();
  readonly propertyOptions = new Map<number, PropertyOptionRec>();
  readonly productToPropertyGroups = new Map<number, ProductToPropertyGroupRec>();
  readonly propertyValues = new Map<number, PropertyValueRec>();
  readonly orders = new Map<number, OrderRec>();
  readonly users = new Map<number, UserRec>();
  readonly webhooks = new Map<number, WebhookRec>();
  readonly packages = new Map<number, PackageRec>();
  readonly paymethods = new Map<number, PaymethodRec>();

  private readonly seq: Record<string, number> = {
    product: 100_000,
    category: 3_000,
    p2c: 40_000,
    attribute: 10,
    attributevalue: 100,
    pav: 60_000,
    combination: 90_000,
    group: 200,
    property: 300,
    option: 400,
    p2pg: 500,
    propertyvalue: 600,
    order: 500_000_000,
    orderrow: 700_000_000,
    user: 24_000_000,
    webhook: 40,
    package: 5_500,
    paymethod: 1,
  };
  private orderNumber: number;
  private emit: Emit = () => undefined;

  constructor(private readonly opts: CcvStoreOptions) {
    const seed = opts.seed;
    this.webshop = {
      id: seed.webshopId ?? 1,
      name: seed.webshopName ?? "Sandbox shop",
      create_date: ccvDate(),
    };
    this.settings = {
      currency: seed.currency ?? "EUR",
      prices_include_vat: seed.pricesIncludeVat ?? true,
      webshop_enabled: true,
      languages: ["nl", "en"],
    };
    this.orderNumber = (seed.orderNumberStart ?? 1001) - 1;
    for (const p of seed.packages ?? [{ name: "Doos" }]) {
      const id = this.next("package");
      this.packages.set(id, { id, name: p.name });
    }
    const paymethods = seed.paymethods ?? [
      {
        psp: "Bank",
        method: "Transfer",
        combined_name: "BankTransfer",
        label: "Vooraf overmaken",
        extra_costs: false,
        extra_costs_fixed: 0,
        extra_costs_percentage: 0,
      },
      {
        psp: "Pin",
        method: "Terminal",
        combined_name: "PinTerminal",
        label: "Pinnen",
        extra_costs: false,
        extra_costs_fixed: 0,
        extra_costs_percentage: 0,
      },
    ];
    for (const p of paymethods) {
      const id = this.next("paymethod");
      this.paymethods.set(id, { id, ...p });
    }
  }

  /** The server wires webhook delivery here. */
  onEvent(emit: Emit): void {
    this.emit = emit;
  }

  private next(kind: string): number {
    this.seq[kind] += 1;
    return this.seq[kind];
  }

  private href(path: string): string {
    return `${this.apiRoot}${path}/`;
  }

  private now(): string {
    return ccvDate();
  }

  // -------------------------------------------------------------------------------------------
  // webshops, settings, packages, paymethods

  renderWebshop(): Rec {
    return {
      href: this.href(`/webshops/${this.webshop.id}`),
      id: this.webshop.id,
      create_date: this.webshop.create_date,
      name: this.webshop.name,
      is_multishop_system: false,
      is_salespos: this.opts.salesPos,
      product_limit: -1,
      product_limit_left: -1,
      api_root: this.apiRoot.replace(/\/api\/rest\/v1$/, ""),
      webshops: { href: this.href(`/webshops/${this.webshop.id}/webshops`) },
      parent: { href: this.href("/webshops") },
    };
  }

  requireWebshop(id: number): void {
    if (id !== this.webshop.id) throw notFound("Webshop", id);
  }

  renderSettings(): Rec {
    const names: Record<number, string> = {};
    for (const [k, v] of Object.entries(CCV_ORDER_STATUS)) names[v] = k.toLowerCase().replace(/_/g, " ");
    return {
      href: this.href(`/webshops/${this.webshop.id}/settings`),
      webshop_enabled: this.settings.webshop_enabled,
      webshop_disabled_title: "",
      webshop_disabled_text: "",
      currency: this.settings.currency,
      default_vat_rat: 21,
      prices_include_vat: this.settings.prices_include_vat,
      full_ssl_webshop: true,
      creditpoint_value: 0,
      languages: this.settings.languages,
      backend_language: "nl",
      separate_domain_per_language: false,
      stock: true,
      ordering_without_stock: false,
      stock_level_warnings: { low_threshold: null, high_threshold: null },
      multishop_readonly_properties: [],
      checkout_type: [],
      order_status: CCV_ORDER_STATUS_CODES.map((s) => ({ id: s, status: s, status_name: names[s] })),
      parent: { href: this.href(`/webshops/${this.webshop.id}`) },
    };
  }

  /** PUT settings: only these keys may change, and only included keys are overwritten (§5.10). */
  putSettings(body: unknown): void {
    const b = validateBody(
      body,
      {
        languages: "array",
        webshop_enabled: "boolean",
        webshop_disabled_title: "string",
        webshop_disabled_text: "string",
      },
      { partial: true, resource: "settings" },
    );
    if (b.languages) this.settings.languages = b.languages as string[];
    if (typeof b.webshop_enabled === "boolean") this.settings.webshop_enabled = b.webshop_enabled;
  }

  renderPackage(p: PackageRec): Rec {
    return {
      href: this.href(`/packages/${p.id}`),
      id: p.id,
      name: p.name,
      parent: { href: this.href("/packages") },
    };
  }

  createPackage(body: unknown): PackageRec {
    const b = validateBody(body, { name: "!string" }, { resource: "packages" });
    const p = { id: this.next("package"), name: b.name as string };
    this.packages.set(p.id, p);
    return p;
  }

  getPackage(id: number): PackageRec {
    const p = this.packages.get(id);
    if (!p) throw notFound("Package", id);
    return p;
  }

  renderPaymethod(p: PaymethodRec): Rec {
    return { ...p, apppsp: null, apppsppaymethod: null };
  }

  // -------------------------------------------------------------------------------------------
  // products

  getProduct(id: number): ProductRec {
    const p = this.products.get(id);
    if (!p) throw notFound("Product", id);
    return p;
  }

  createProduct(body: unknown): ProductRec {
    const b = validateBody(body, PRODUCT_FIELDS, { resource: "products" });
    if (b.taxtariff === undefined && b.vatrate === undefined)
      throw invalid("Either 'taxtariff' or 'vatrate' is required on products.");
    const rec = this.applyProduct(
      {
        id: this.next("product"),
        createdate: this.now(),
        modifydate: this.now(),
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
    this.products.set(rec.id, rec);
    this.emit("products.created", this.entityPayload(`/products/${rec.id}`, rec.id));
    return rec;
  }

  patchProduct(id: number, body: unknown): void {
    const rec = this.getProduct(id);
    const b = validateBody(body, PRODUCT_FIELDS, { partial: true, resource: "products" });
    Object.assign(rec, this.applyProduct({ ...rec, extra: { ...rec.extra } }, b), { modifydate: this.now() });
    this.emit("products.updated", this.entityPayload(`/products/${id}`, id));
  }

  private applyProduct(rec: ProductRec, b: Rec): ProductRec {
    if (b.package_id !== undefined && !this.packages.has(b.package_id as number)) {
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

  deleteProduct(id: number): void {
    this.getProduct(id);
    this.products.delete(id);
    for (const [k, v] of this.combinations) if (v.product_id === id) this.combinations.delete(k);
    for (const [k, v] of this.productAttributeValues)
      if (v.product_id === id) this.productAttributeValues.delete(k);
    for (const [k, v] of this.productToCategories)
      if (v.product_id === id) this.productToCategories.delete(k);
    for (const [k, v] of this.productToPropertyGroups)
      if (v.product_id === id) this.productToPropertyGroups.delete(k);
    for (const [k, v] of this.propertyValues) if (v.product_id === id) this.propertyValues.delete(k);
    this.emit("products.deleted", this.entityPayload(`/products/${id}`, id));
  }

  /** GET /products filters (§3.4). [sandbox] number filters match exactly; productname is a LIKE. */
  filterProducts(q: Record<string, string>, within?: Iterable<ProductRec>): ProductRec[] {
    if (q.productname !== undefined && q.productname.length < 3)
      throw invalid("'productname' needs at least 3 characters.");
    const range = (v: number, min?: string, max?: string) =>
      (min === undefined || v >= Number(min)) && (max === undefined || v <= Number(max));
    const active = q.active === undefined ? undefined : parseBool(q.active, "active");
    const out = [...(within ?? this.products.values())].filter((p) => {
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

  renderProduct(p: ProductRec, expand: ReadonlySet<string> = new Set()): Rec {
    const base = `/products/${p.id}`;
    const sub = (name: string, collection?: () => Rec[]) =>
      expand.has(name) && collection
        ? { href: this.href(`${base}/${name}`), collection: collection() }
        : { href: this.href(`${base}/${name}`) };
    const pkg = this.packages.get(p.package_id);
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
      productmainphoto: null,
      deeplink: `${this.apiRoot.replace(/\/api\/rest\/v1$/, "")}/p/${p.id}`,
      is_visible: p.active,
      can_be_ordered: p.active,
      package: pkg ? { href: this.href(`/packages/${pkg.id}`), id: pkg.id } : null,
      productphotos: sub("productphotos", () => []),
      producttocategories: sub("producttocategories", () =>
        this.productToCategoriesOf(p.id).map((l) => this.renderProductToCategory(l)),
      ),
      producttopropertygroups: sub("producttopropertygroups", () =>
        this.productToPropertyGroupsOf(p.id).map((l) => this.renderProductToPropertyGroup(l)),
      ),
      attributecombinations: sub("attributecombinations", () =>
        this.combinationsOf(p.id).map((c) => this.renderCombination(c)),
      ),
    };
  }

  /**
   * GET /productqueries (§3.4): products and attribute combinations searched together; mpn exists
   * on products only, sku on combinations only. [sandbox] filters combine with OR; each product is
   * returned once, its `attributecombinations.collection` holding the combinations that matched.
   */
  productQuery(q: Record<string, string>): Rec[] {
    const { productnumber, eannumber, mpnnumber, skunumber } = q;
    if (!productnumber && !eannumber && !mpnnumber && !skunumber) {
      throw invalid("productqueries needs one of productnumber, eannumber, mpnnumber, skunumber.");
    }
    const out: Rec[] = [];
    for (const p of this.products.values()) {
      const self =
        (productnumber !== undefined && p.productnumber === productnumber) ||
        (eannumber !== undefined && p.eannumber === eannumber) ||
        (mpnnumber !== undefined && p.mpnnumber === mpnnumber);
      const combos = this.combinationsOf(p.id).filter(
        (c) =>
          (productnumber !== undefined && c.product_number === productnumber) ||
          (eannumber !== undefined && c.ean_number === eannumber) ||
          (skunumber !== undefined && c.sku_number === skunumber),
      );
      if (!self && combos.length === 0) continue;
      const r = this.renderProduct(p);
      r.attributecombinations = {
        href: this.href(`/products/${p.id}/attributecombinations`),
        collection: combos.map((c) => this.renderCombination(c)),
      };
      out.push(r);
    }
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // categories and product-to-category links

  getCategory(id: number): CategoryRec {
    const c = this.categories.get(id);
    if (!c) throw notFound("Category", id);
    return c;
  }

  createCategory(body: unknown): CategoryRec {
    const b = validateBody(body, CATEGORY_FIELDS, { resource: "categories" });
    const parent = (b.parentcategory_id as number | null | undefined) ?? null;
    if (parent !== null) this.getCategory(parent);
    const siblings = [...this.categories.values()].filter((c) => c.parentcategory_id === parent);
    const { name, description, parentcategory_id: _p, position, show_on_website, ...extra } = b;
    const rec: CategoryRec = {
      id: this.next("category"),
      name: name as string,
      description: (description as string | undefined) ?? "",
      parentcategory_id: parent,
      position: (position as number | undefined) ?? siblings.length + 1,
      show_on_website: (show_on_website as boolean | undefined) ?? true,
      extra,
    };
    this.categories.set(rec.id, rec);
    this.emit("categories.created", this.entityPayload(`/categories/${rec.id}`, rec.id));
    return rec;
  }

  patchCategory(id: number, body: unknown): void {
    const rec = this.getCategory(id);
    const b = validateBody(body, CATEGORY_FIELDS, { partial: true, resource: "categories" });
    if (b.parentcategory_id !== undefined && b.parentcategory_id !== null) {
      let p: number | null = b.parentcategory_id as number;
      while (p !== null) {
        if (p === id) throw invalid("A category cannot be placed below itself.");
        p = this.getCategory(p).parentcategory_id;
      }
    }
    for (const [k, v] of Object.entries(b)) {
      if (k in rec && k !== "extra" && k !== "id") (rec as unknown as Rec)[k] = v;
      else rec.extra[k] = v;
    }
    this.emit("categories.updated", this.entityPayload(`/categories/${id}`, id));
  }

  deleteCategory(id: number): void {
    this.getCategory(id);
    this.categories.delete(id);
    for (const c of this.categories.values()) if (c.parentcategory_id === id) c.parentcategory_id = null;
    for (const [k, v] of this.productToCategories)
      if (v.category_id === id) this.productToCategories.delete(k);
    this.emit("categories.deleted", this.entityPayload(`/categories/${id}`, id));
  }

  sortedCategories(q: Record<string, string>, parent?: number): CategoryRec[] {
    const all = [...this.categories.values()].filter(
      (c) => parent === undefined || c.parentcategory_id === parent,
    );
    return sortBy(all, q.orderby, ["id", "name", "position"], (c, f) => (c as unknown as Rec)[f]);
  }

  renderCategory(c: CategoryRec): Rec {
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
      deeplink: `${this.apiRoot.replace(/\/api\/rest\/v1$/, "")}/c/${c.id}`,
      categories: { href: this.href(`/categories/${c.id}/categories`) },
      parentcategory:
        c.parentcategory_id === null
          ? null
          : { id: c.parentcategory_id, href: this.href(`/categories/${c.parentcategory_id}`) },
      parent: { href: this.href("/categories") },
    };
  }

  renderCategoryTree(): Rec {
    const node = (c: CategoryRec): Rec => ({
      href: this.href(`/categories/${c.id}`),
      id: c.id,
      name: c.name,
      description: c.description,
      position: c.position,
      show_on_website: c.show_on_website,
      deeplink: `${this.apiRoot.replace(/\/api\/rest\/v1$/, "")}/c/${c.id}`,
      children: this.childrenOf(c.id).map(node),
    });
    return { href: this.href("/categorytree"), root_categories: this.childrenOf(null).map(node) };
  }

  private childrenOf(parent: number | null): CategoryRec[] {
    return [...this.categories.values()]
      .filter((c) => c.parentcategory_id === parent)
      .sort((a, b) => a.position - b.position || a.id - b.id);
  }

  productToCategoriesOf(productId: number): ProductToCategoryRec[] {
    return [...this.productToCategories.values()].filter((l) => l.product_id === productId);
  }

  getProductToCategory(id: number): ProductToCategoryRec {
    const l = this.productToCategories.get(id);
    if (!l) throw notFound("Product to category", id);
    return l;
  }

  createProductToCategory(body: unknown): ProductToCategoryRec {
    const b = validateBody(
      body,
      { product_id: "!integer", category_id: "!integer", position: "integer" },
      { resource: "producttocategories" },
    );
    this.getProduct(b.product_id as number);
    this.getCategory(b.category_id as number);
    const dup = [...this.productToCategories.values()].find(
      (l) => l.product_id === b.product_id && l.category_id === b.category_id,
    );
    if (dup)
      throw new CcvSandboxError(
        500,
        CCV_ERROR.PROPERTY_ALREADY_EXISTS,
        "This product is already in this category.",
      );
    const inCategory = [...this.productToCategories.values()].filter((l) => l.category_id === b.category_id);
    const rec: ProductToCategoryRec = {
      id: this.next("p2c"),
      product_id: b.product_id as number,
      category_id: b.category_id as number,
      position: (b.position as number | undefined) ?? inCategory.length + 1,
    };
    this.productToCategories.set(rec.id, rec);
    return rec;
  }

  patchProductToCategory(id: number, body: unknown): void {
    const l = this.getProductToCategory(id);
    const b = validateBody(body, { position: "integer" }, { partial: true, resource: "producttocategories" });
    if (b.position !== undefined) l.position = b.position as number;
  }

  renderProductToCategory(l: ProductToCategoryRec): Rec {
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

  // -------------------------------------------------------------------------------------------
  // attributes, values, product attribute values, combinations

  getAttribute(id: number): AttributeRec {
    const a = this.attributes.get(id);
    if (!a) throw notFound("Attribute", id);
    return a;
  }

  createAttribute(body: unknown): AttributeRec {
    const b = validateBody(body, { name: "!string", type: "!string" }, { resource: "attributes" });
    if (!ATTRIBUTE_TYPES.includes(b.type as string))
      throw invalid(`'type' must be one of: ${ATTRIBUTE_TYPES.join(", ")}.`);
    const rec = { id: this.next("attribute"), name: b.name as string, type: b.type as string };
    this.attributes.set(rec.id, rec);
    return rec;
  }

  patchAttribute(id: number, body: unknown): void {
    const a = this.getAttribute(id);
    const b = validateBody(
      body,
      { name: "string", type: "string" },
      { partial: true, resource: "attributes" },
    );
    if (
      b.type !== undefined &&
      (b.type as string).replace(/_required$/, "") !== a.type.replace(/_required$/, "")
    ) {
      throw new CcvSandboxError(
        500,
        CCV_ERROR.METHOD_NOT_ALLOWED_ON_RESOURCE,
        "An attribute type can only switch between its required and non-required form.",
      );
    }
    Object.assign(a, b);
  }

  deleteAttribute(id: number): void {
    this.getAttribute(id);
    for (const v of [...this.attributeValues.values()])
      if (v.attribute_id === id) this.deleteAttributeValue(v.id);
    this.attributes.delete(id);
  }

  renderAttribute(a: AttributeRec): Rec {
    return {
      href: this.href(`/attributes/${a.id}`),
      id: a.id,
      name: a.name,
      type: a.type,
      attribute_values: { href: this.href(`/attributes/${a.id}/attributevalues`) },
      parent: { href: this.href("/attributes") },
    };
  }

  getAttributeValue(id: number): AttributeValueRec {
    const v = this.attributeValues.get(id);
    if (!v) throw notFound("Attribute value", id);
    return v;
  }

  valuesOf(attributeId: number): AttributeValueRec[] {
    return [...this.attributeValues.values()].filter((v) => v.attribute_id === attributeId);
  }

  createAttributeValue(attributeId: number, body: unknown): AttributeValueRec {
    const a = this.getAttribute(attributeId);
    if (!CCV_COMBINATION_ATTRIBUTE_TYPES.includes(a.type) && !a.type.startsWith("additional_menu")) {
      throw new CcvSandboxError(
        500,
        CCV_ERROR.METHOD_NOT_ALLOWED_ON_RESOURCE,
        "Text attributes have no values.",
      );
    }
    const b = validateBody(
      body,
      { name: "!string", default_price: "!number" },
      { resource: "attributevalues" },
    );
    const rec = {
      id: this.next("attributevalue"),
      attribute_id: attributeId,
      name: b.name as string,
      default_price: b.default_price as number,
    };
    this.attributeValues.set(rec.id, rec);
    return rec;
  }

  patchAttributeValue(id: number, body: unknown): void {
    const v = this.getAttributeValue(id);
    Object.assign(
      v,
      validateBody(
        body,
        { name: "string", default_price: "number" },
        { partial: true, resource: "attributevalues" },
      ),
    );
  }

  deleteAttributeValue(id: number): void {
    this.getAttributeValue(id);
    for (const pav of [...this.productAttributeValues.values()])
      if (pav.attributevalue_id === id) this.deleteProductAttributeValue(pav.id);
    this.attributeValues.delete(id);
  }

  renderAttributeValue(v: AttributeValueRec): Rec {
    return {
      href: this.href(`/attributevalues/${v.id}`),
      id: v.id,
      name: v.name,
      default_price: v.default_price,
      attribute_id: v.attribute_id,
      parent: { href: this.href(`/attributes/${v.attribute_id}/attributevalues`) },
    };
  }

  getProductAttributeValue(id: number): ProductAttributeValueRec {
    const v = this.productAttributeValues.get(id);
    if (!v) throw notFound("Product attribute value", id);
    return v;
  }

  productAttributeValuesOf(productId: number): ProductAttributeValueRec[] {
    return [...this.productAttributeValues.values()]
      .filter((v) => v.product_id === productId)
      .sort((a, b) => a.optionposition - b.optionposition || a.position - b.position || a.id - b.id);
  }

  /**
   * Attaches an attribute value to a product and regenerates the product's attribute combinations
   * (cartesian product over its option-menu attributes, §5.4). New combinations get the `stock`
   * given here ([sandbox] 0 when omitted); combinations whose value set survives keep their data.
   */
  createProductAttributeValue(productId: number, body: unknown): ProductAttributeValueRec {
    this.getProduct(productId);
    const b = validateBody(
      body,
      { optionvalue: "!integer", price: "!number", position: "integer", stock: "number", enable: "boolean" },
      { resource: "productattributevalues" },
    );
    const value = this.getAttributeValue(b.optionvalue as number);
    const existing = this.productAttributeValuesOf(productId);
    if (existing.some((v) => v.attributevalue_id === value.id)) {
      throw new CcvSandboxError(
        500,
        CCV_ERROR.PROPERTY_ALREADY_EXISTS,
        "This attribute value is already attached to the product.",
      );
    }
    const sameAttribute = existing.filter(
      (v) => this.getAttributeValue(v.attributevalue_id).attribute_id === value.attribute_id,
    );
    const attributeOrder = [
      ...new Set(existing.map((v) => this.getAttributeValue(v.attributevalue_id).attribute_id)),
    ];
    const rec: ProductAttributeValueRec = {
      id: this.next("pav"),
      product_id: productId,
      attributevalue_id: value.id,
      price: b.price as number,
      position: (b.position as number | undefined) ?? sameAttribute.length + 1,
      optionposition: sameAttribute[0]?.optionposition ?? attributeOrder.length + 1,
    };
    this.productAttributeValues.set(rec.id, rec);
    this.regenerateCombinations(productId, (b.stock as number | undefined) ?? 0);
    this.emit("products.updated", this.entityPayload(`/products/${productId}`, productId));
    return rec;
  }

  patchProductAttributeValue(id: number, body: unknown): void {
    const v = this.getProductAttributeValue(id);
    Object.assign(
      v,
      validateBody(
        body,
        { optionposition: "integer", position: "integer", price: "number" },
        { partial: true, resource: "productattributevalues" },
      ),
    );
    this.emit("products.updated", this.entityPayload(`/products/${v.product_id}`, v.product_id));
  }

  deleteProductAttributeValue(id: number): void {
    const v = this.getProductAttributeValue(id);
    this.productAttributeValues.delete(id);
    this.regenerateCombinations(v.product_id, 0);
  }

  renderProductAttributeValue(v: ProductAttributeValueRec): Rec {
    const value = this.getAttributeValue(v.attributevalue_id);
    const attribute = this.getAttribute(value.attribute_id);
    return {
      href: this.href(`/productattributevalues/${v.id}`),
      id: v.id,
      optionid: attribute.id,
      optionname: attribute.name,
      optionposition: v.optionposition,
      optionvalue_id: value.id,
      optionvalue_name: value.name,
      position: v.position,
      price: v.price,
      enable: true,
      parent: { href: this.href(`/products/${v.product_id}/productattributevalues`) },
    };
  }

  private regenerateCombinations(productId: number, stockForNew: number): void {
    const axes = new Map<number, ProductAttributeValueRec[]>();
    for (const pav of this.productAttributeValuesOf(productId)) {
      const attribute = this.getAttribute(this.getAttributeValue(pav.attributevalue_id).attribute_id);
      if (!CCV_COMBINATION_ATTRIBUTE_TYPES.includes(attribute.type)) continue; // additional menus/text: no combinations
      const list = axes.get(attribute.id) ?? [];
      list.push(pav);
      axes.set(attribute.id, list);
    }
    let tuples: ProductAttributeValueRec[][] = axes.size === 0 ? [] : [[]];
    for (const values of axes.values()) tuples = tuples.flatMap((t) => values.map((v) => [...t, v]));
    const key = (pavIds: number[]) => [...pavIds].sort((a, b) => a - b).join(",");
    const existing = new Map(this.combinationsOf(productId).map((c) => [key(c.pavIds), c]));
    const keep = new Set<number>();
    for (const t of tuples) {
      const ids = t.map((v) => v.id);
      const found = existing.get(key(ids));
      if (found) {
        found.pavIds = ids;
        keep.add(found.id);
        continue;
      }
      const c: CombinationRec = {
        id: this.next("combination"),
        product_id: productId,
        pavIds: ids,
        stock: stockForNew,
        note: "",
        product_number: "",
        ean_number: "",
        sku_number: "",
        delivery_time: 1,
        delivery_time_type: "days",
        delivery_default_text: "",
        active: true,
      };
      this.combinations.set(c.id, c);
      keep.add(c.id);
    }
    for (const c of this.combinationsOf(productId)) if (!keep.has(c.id)) this.combinations.delete(c.id);
  }

  combinationsOf(productId: number): CombinationRec[] {
    return [...this.combinations.values()]
      .filter((c) => c.product_id === productId)
      .sort((a, b) => a.id - b.id);
  }

  getCombination(id: number): CombinationRec {
    const c = this.combinations.get(id);
    if (!c) throw notFound("Attribute combination", id);
    return c;
  }

  patchCombination(id: number, body: unknown): void {
    const c = this.getCombination(id);
    Object.assign(
      c,
      validateBody(body, COMBINATION_PATCH_FIELDS, { partial: true, resource: "attributecombinations" }),
    );
    // [inferred] stock and variant edits fire products.updated (§6)
    this.emit("products.updated", this.entityPayload(`/products/${c.product_id}`, c.product_id));
  }

  renderCombination(c: CombinationRec): Rec {
    const parts = c.pavIds.map((id) => {
      const pav = this.getProductAttributeValue(id);
      const value = this.getAttributeValue(pav.attributevalue_id);
      const attribute = this.getAttribute(value.attribute_id);
      return {
        attribute: { id: attribute.id, name: attribute.name, href: this.href(`/attributes/${attribute.id}`) },
        attribute_value: { id: value.id, name: value.name, href: this.href(`/attributevalues/${value.id}`) },
        extra_price: pav.price,
      };
    });
    const extra = parts.reduce((s, p) => s.plus(dec(p.extra_price)), dec(0));
    return {
      href: this.href(`/attributecombinations/${c.id}`),
      id: c.id,
      note: c.note,
      product_id: c.product_id,
      stock: c.stock,
      netto_extra_price: money(extra),
      ordering_without_stock: CCV_ORDERING_WITHOUT_STOCK_DEFAULT,
      product_number: c.product_number,
      ean_number: c.ean_number,
      sku_number: c.sku_number,
      delivery_time: c.delivery_time,
      delivery_time_type: c.delivery_time_type,
      delivery_default_text: c.delivery_default_text,
      active: c.active,
      combination: parts,
      attributecombinationphotos: {
        href: this.href(`/attributecombinations/${c.id}/attributecombinationphotos`),
        collection: [],
      },
      attributes: { href: this.href(`/attributecombinations/${c.id}/attributes`) },
      attributevalues: { href: this.href(`/attributecombinations/${c.id}/attributevalues`) },
      parent: { href: this.href(`/products/${c.product_id}/attributecombinations`) },
    };
  }

  // -------------------------------------------------------------------------------------------
  // product properties (§5.5)

  getPropertyGroup(id: number): PropertyGroupRec {
    const g = this.propertyGroups.get(id);
    if (!g) throw notFound("Product property group", id);
    return g;
  }

  createPropertyGroup(body: unknown): PropertyGroupRec {
    const b = validateBody(body, { name: "!string" }, { resource: "productpropertygroups" });
    const rec = { id: this.next("group"), name: b.name as string };
    this.propertyGroups.set(rec.id, rec);
    return rec;
  }

  renderPropertyGroup(g: PropertyGroupRec): Rec {
    return {
      href: this.href(`/productpropertygroups/${g.id}`),
      id: g.id,
      name: g.name,
      productproperties: { href: this.href(`/productpropertygroups/${g.id}/productproperties`) },
    };
  }

  getProperty(id: number): PropertyRec {
    const p = this.properties.get(id);
    if (!p) throw notFound("Product property", id);
    return p;
  }

  createProperty(groupId: number, body: unknown): PropertyRec {
    this.getPropertyGroup(groupId);
    const b = validateBody(
      body,
      {
        name: "!string",
        parent: "integer?",
        description: "string?",
        position: "integer?",
        icon: "string?",
        type: "string?",
      },
      { resource: "productproperties" },
    );
    if (b.parent !== undefined && b.parent !== null) this.getProperty(b.parent as number);
    const rec: PropertyRec = {
      id: this.next("property"),
      group_id: groupId,
      parent: (b.parent as number | null | undefined) ?? null,
      name: b.name as string,
      description: (b.description as string | null | undefined) ?? null,
      position: (b.position as number | null | undefined) ?? null,
      type: (b.type as string | null | undefined) ?? null,
      icon: (b.icon as string | null | undefined) ?? null,
    };
    this.properties.set(rec.id, rec);
    return rec;
  }

  renderProperty(p: PropertyRec): Rec {
    return {
      href: this.href(`/productproperties/${p.id}`),
      id: p.id,
      parent: p.parent,
      name: p.name,
      description: p.description,
      position: p.position,
      icon: p.icon,
      type: p.type,
      options: {
        href: this.href(`/productproperties/${p.id}/productpropertyoptions`),
        collection: this.optionsOf(p.id).map((o) => this.renderPropertyOption(o)),
      },
      children: [...this.properties.values()]
        .filter((c) => c.parent === p.id)
        .map((c) => this.renderProperty(c)),
    };
  }

  optionsOf(propertyId: number): PropertyOptionRec[] {
    return [...this.propertyOptions.values()].filter((o) => o.property_id === propertyId);
  }

  createPropertyOption(propertyId: number, body: unknown): PropertyOptionRec {
    this.getProperty(propertyId);
    const b = validateBody(
      body,
      { name: "!string", position: "integer?" },
      { resource: "productpropertyoptions" },
    );
    const rec = {
      id: this.next("option"),
      property_id: propertyId,
      name: b.name as string,
      position: (b.position as number | null | undefined) ?? null,
    };
    this.propertyOptions.set(rec.id, rec);
    return rec;
  }

  renderPropertyOption(o: PropertyOptionRec): Rec {
    return {
      href: this.href(`/productpropertyoptions/${o.id}`),
      id: o.id,
      name: o.name,
      position: o.position,
    };
  }

  productToPropertyGroupsOf(productId: number): ProductToPropertyGroupRec[] {
    return [...this.productToPropertyGroups.values()].filter((l) => l.product_id === productId);
  }

  createProductToPropertyGroup(body: unknown): ProductToPropertyGroupRec {
    const b = validateBody(
      body,
      { product_id: "!integer", product_property_group_id: "!integer" },
      { resource: "producttopropertygroups" },
    );
    this.getProduct(b.product_id as number);
    this.getPropertyGroup(b.product_property_group_id as number);
    const rec = {
      id: this.next("p2pg"),
      product_id: b.product_id as number,
      product_property_group_id: b.product_property_group_id as number,
    };
    this.productToPropertyGroups.set(rec.id, rec);
    return rec;
  }

  getProductToPropertyGroup(id: number): ProductToPropertyGroupRec {
    const l = this.productToPropertyGroups.get(id);
    if (!l) throw notFound("Product to property group", id);
    return l;
  }

  renderProductToPropertyGroup(l: ProductToPropertyGroupRec): Rec {
    const propertyIds = new Set(
      [...this.properties.values()]
        .filter((p) => p.group_id === l.product_property_group_id)
        .map((p) => p.id),
    );
    return {
      href: this.href(`/producttopropertygroups/${l.id}`),
      id: l.id,
      product_id: l.product_id,
      product_property_group_id: l.product_property_group_id,
      values: {
        href: this.href(`/producttopropertygroups/${l.id}/productpropertyvalues`),
        collection: [...this.propertyValues.values()]
          .filter((v) => v.product_id === l.product_id && propertyIds.has(v.product_property_id))
          .map((v) => this.renderPropertyValue(v)),
      },
    };
  }

  getPropertyValue(id: number): PropertyValueRec {
    const v = this.propertyValues.get(id);
    if (!v) throw notFound("Product property value", id);
    return v;
  }

  createPropertyValue(body: unknown): PropertyValueRec {
    const b = validateBody(
      body,
      { product_id: "!integer", product_property_id: "!integer", value: "!boolean|number|string" },
      { resource: "productpropertyvalues" },
    );
    this.getProduct(b.product_id as number);
    this.getProperty(b.product_property_id as number);
    const rec = {
      id: this.next("propertyvalue"),
      product_id: b.product_id as number,
      product_property_id: b.product_property_id as number,
      value: b.value as boolean | number | string,
    };
    this.propertyValues.set(rec.id, rec);
    return rec;
  }

  patchPropertyValue(id: number, body: unknown): void {
    const v = this.getPropertyValue(id);
    const b = validateBody(
      body,
      { value: "boolean|number|string" },
      { partial: true, resource: "productpropertyvalues" },
    );
    if (b.value !== undefined) v.value = b.value as boolean | number | string;
  }

  renderPropertyValue(v: PropertyValueRec): Rec {
    return {
      href: this.href(`/productpropertyvalues/${v.id}`),
      id: v.id,
      product_id: v.product_id,
      product_property_id: v.product_property_id,
      value: v.value,
    };
  }

  // -------------------------------------------------------------------------------------------
  // orders and order rows (§5.6)

  getOrder(id: number): OrderRec {
    const o = this.orders.get(id);
    if (!o) throw notFound("Order", id);
    return o;
  }

  createOrder(body: unknown): OrderRec {
    const b = validateBody(body, ORDER_FIELDS, { resource: "orders" });
    const rowsInput = b.orderrows as unknown[];
    if (rowsInput.length === 0) throw invalid("'orderrows' needs at least one row.");
    if (b.user_id !== undefined && !this.users.has(b.user_id as number))
      throw invalid(`User ${String(b.user_id)} does not exist.`);
    this.checkStatus(b.status);
    const completed = (b.is_completed as boolean | undefined) ?? true;
    const { customer, orderrows: _r, is_completed: _c, user_id, status, paid, ...fields } = b;
    const user = user_id === undefined ? undefined : this.users.get(user_id as number);
    const order: OrderRec = {
      id: this.next("order"),
      create_date: this.now(),
      is_completed: completed,
      ordernumber_prefix: null,
      ordernumber: null,
      ordernumber_full: null,
      // status is null for incomplete orders (§5.6.3)
      status: completed ? ((status as number | null | undefined) ?? CCV_ORDER_STATUS.NEW) : null,
      paid: (paid as boolean | undefined) ?? false,
      fields: {
        deliver_method: CCV_DELIVER_METHOD.SHIPPING,
        orderedinlng: "nl",
        currency: this.settings.currency,
        taxes_included: true,
        order_row_taxes_included: this.settings.prices_include_vat,
        shipping_taxes_included: true,
        total_shipping: 0,
        ...fields,
      },
      // a linked account's data fills the customer unless overridden (§5.6.1)
      customer: { ...(user?.userinfo ?? {}), ...(customer as Rec) },
      user_id: (user_id as number | undefined) ?? null,
      rows: [],
    };
    order.rows = rowsInput.map((r) => this.buildRow(order.id, r));
    if (completed) {
      this.orderNumber += 1;
      order.ordernumber = this.orderNumber;
      order.ordernumber_prefix = this.opts.seed.orderNumberPrefix ?? null;
      order.ordernumber_full = order.ordernumber_prefix
        ? `${order.ordernumber_prefix}-${order.ordernumber}`
        : String(order.ordernumber);
      if (this.opts.decrementStockOnOrder) this.decrementStock(order.rows);
    }
    this.orders.set(order.id, order);
    if (completed) this.emit("orders.created", this.orderPayload(order, {}));
    return order;
  }

  private checkStatus(status: unknown): void {
    if (status !== undefined && status !== null && !CCV_ORDER_STATUS_CODES.includes(status as number)) {
      throw invalid(`'status' must be one of ${CCV_ORDER_STATUS_CODES.join(", ")}.`);
    }
  }

  private decrementStock(rows: OrderRowRec[]): void {
    for (const r of rows) {
      if (r.attribute_combination_id !== null) {
        const c = this.combinations.get(r.attribute_combination_id);
        if (c) c.stock = num(dec(c.stock).minus(dec(r.count)));
      } else if (r.product_id !== null) {
        const p = this.products.get(r.product_id);
        if (p?.stockenabled) p.stock = num(dec(p.stock).minus(dec(r.count)));
      }
    }
  }

  /** One order row from its input (§5.6.2): product data first, sent fields override. */
  private buildRow(orderId: number, input: unknown): OrderRowRec {
    const r = validateBody(input, ORDER_ROW_FIELDS, { resource: "orderrows" });
    if ((r.count as number) <= 0) throw invalid("'count' must be positive.");
    const product = r.product_id === undefined ? undefined : this.products.get(r.product_id as number);
    if (r.product_id !== undefined && !product)
      throw invalid(`Product ${String(r.product_id)} does not exist.`);
    if (!product) {
      for (const k of ["product_name", "price", "package_id"]) {
        if (r[k] === undefined) throw invalid(`'${k}' is required on an order row without product_id.`);
      }
    }
    let combination: CombinationRec | undefined;
    if (r.attribute_combination_id !== undefined) {
      combination = this.combinations.get(r.attribute_combination_id as number);
      if (!combination || combination.product_id !== product?.id) {
        throw invalid(
          `Attribute combination ${String(r.attribute_combination_id)} does not belong to the row's product.`,
        );
      }
    }
    const attributes = (combination?.pavIds ?? []).map((id) => {
      const pav = this.getProductAttributeValue(id);
      const value = this.getAttributeValue(pav.attributevalue_id);
      return {
        id: this.next("orderrow"),
        option_name: this.getAttribute(value.attribute_id).name,
        value_name: value.name,
        price: pav.price,
      };
    });
    const customPrice = r.price !== undefined;
    return {
      id: this.next("orderrow"),
      order_id: orderId,
      product_type: (r.product_type as string | undefined) ?? CCV_ORDER_ROW_PRODUCT_TYPE,
      product_name: (r.product_name as string | undefined) ?? product?.name ?? "",
      product_number: (r.product_number as string | undefined) ?? product?.productnumber ?? "",
      sub_product_number: combination?.product_number ?? "",
      sub_sku_number: combination?.sku_number ?? "",
      sub_ean_number: combination?.ean_number ?? "",
      product_id: product?.id ?? null,
      attribute_combination_id: combination?.id ?? null,
      count: r.count as number,
      price: (r.price as number | undefined) ?? product?.price ?? 0,
      product_purchase_price: (r.product_purchase_price as number | undefined) ?? product?.purchaseprice ?? 0,
      // [sandbox] a row that sets its own price gets no product discount unless it sends one
      discount: (r.discount as number | undefined) ?? (customPrice ? 0 : (product?.discount ?? 0)),
      custom_price: customPrice,
      tax: (r.tax as number | undefined) ?? product?.vatrate ?? 21,
      unit: (r.unit as string | undefined) ?? product?.unit ?? "stuk",
      weight: (r.weight as number | undefined) ?? product?.weight ?? 0,
      memo: (r.memo as string | undefined) ?? "",
      package_id: (r.package_id as number | undefined) ?? product?.package_id ?? null,
      extra_price: attributes.reduce((s, a) => s + a.price, 0),
      attributes,
    };
  }

  patchOrder(id: number, body: unknown): void {
    const o = this.getOrder(id);
    const b = validateBody(body, ORDER_PATCH_FIELDS, { partial: true, resource: "orders" });
    this.checkStatus(b.status);
    const before = { status: o.status, paid: o.paid, tt: o.fields.track_and_trace_code };
    const { customer, orderrows, status, paid, note: _n, mail: _m, ...fields } = b;
    if (orderrows !== undefined) {
      const rows = orderrows as unknown[];
      if (rows.length === 0) throw invalid("'orderrows' needs at least one row.");
      o.rows = rows.map((r) => this.buildRow(o.id, r)); // replaces all rows, recalculates (§5.6.1)
    }
    if (customer !== undefined) o.customer = { ...o.customer, ...(customer as Rec) };
    if (status !== undefined) o.status = status as number | null;
    if (paid !== undefined) o.paid = paid as boolean;
    Object.assign(o.fields, fields);
    if (!o.is_completed) return; // baskets fire no order events
    if (o.status !== before.status) {
      this.emit(
        "orders.updated.status",
        this.orderPayload(o, { previous_status: before.status, status: o.status }),
      );
    }
    if (o.paid !== before.paid) this.emit("orders.updated.ispaid", this.orderPayload(o, { paid: o.paid }));
    if (o.fields.track_and_trace_code !== before.tt) {
      this.emit(
        "orders.updated.trackandtrace",
        this.orderPayload(o, {
          track_and_trace_code: o.fields.track_and_trace_code ?? "",
          track_and_trace_carrier: o.fields.track_and_trace_carrier ?? null,
        }),
      );
    }
  }

  /** GET /orders filters (§3.4); `is_completed` defaults to true. */
  filterOrders(q: Record<string, string>): OrderRec[] {
    const completed = q.is_completed === undefined ? true : parseBool(q.is_completed, "is_completed");
    const paid = q.is_paid === undefined ? undefined : parseBool(q.is_paid, "is_paid");
    const min =
      q.min_create_date === undefined
        ? undefined
        : parseFilterDate(q.min_create_date, "min_create_date", "start");
    const max =
      q.max_create_date === undefined
        ? undefined
        : parseFilterDate(q.max_create_date, "max_create_date", "end");
    const out = [...this.orders.values()].filter((o) => {
      const t = Date.parse(o.create_date);
      return (
        o.is_completed === completed &&
        (paid === undefined || o.paid === paid) &&
        (q.status === undefined || o.status === Number(q.status)) &&
        (q.ordernumber === undefined || o.ordernumber === Number(q.ordernumber)) &&
        (q.paymethod_id === undefined || (o.fields.paymethod_id ?? null) === Number(q.paymethod_id)) &&
        (q.transaction_id === undefined || o.fields.transaction_id === q.transaction_id) &&
        (min === undefined || t >= min) &&
        (max === undefined || t <= max)
      );
    });
    return sortBy(out, q.orderby, ["id", "ordernumber", "create_date", "deliver_date"], (o, f) =>
      f === "deliver_date" ? o.fields.deliver_date : (o as unknown as Rec)[f],
    );
  }

  /** Row money as CCV reports it (§5.6.4: original_price already has the discount subtracted). */
  private rowAmounts(r: OrderRowRec) {
    const price = dec(r.price);
    const selling = price.minus(dec(r.discount));
    const extra = dec(r.extra_price);
    const count = dec(r.count);
    return {
      original_price: money(selling),
      selling_price: money(selling),
      price_without_discount: money(price),
      price_without_discount_with_attributes: money(price.plus(extra)),
      total_price: money(selling.times(count)),
      total_extra_option_price: money(extra.times(count)),
      price_with_attributes: money(selling.plus(extra)),
      total_price_with_attributes: money(selling.plus(extra).times(count)),
    };
  }

  /**
   * Order totals from the rows: rows are gross or net per `order_row_taxes_included`; the total is
   * what the customer pays (gross). [sandbox] shipping is taxed at 21 %.
   */
  private totals(o: OrderRec) {
    const rowsGross = o.fields.order_row_taxes_included !== false;
    let rowsTotal = dec(0);
    let gross = dec(0);
    let tax = dec(0);
    let discounts = dec(0);
    let weight = dec(0);
    for (const r of o.rows) {
      const line = dec(this.rowAmounts(r).total_price_with_attributes);
      const rate = dec(r.tax).div(100);
      rowsTotal = rowsTotal.plus(line);
      const rowTax = rowsGross ? line.times(rate).div(rate.plus(1)) : line.times(rate);
      tax = tax.plus(rowTax);
      gross = gross.plus(rowsGross ? line : line.plus(rowTax));
      discounts = discounts.plus(dec(r.discount).times(dec(r.count)));
      weight = weight.plus(dec(r.weight).times(dec(r.count)));
    }
    const shipping = dec((o.fields.total_shipping as number | undefined) ?? 0);
    const shipRate = dec(0.21);
    const shippingGross = o.fields.shipping_taxes_included !== false;
    const shippingTax = shippingGross
      ? shipping.times(shipRate).div(shipRate.plus(1))
      : shipping.times(shipRate);
    const extras = dec((o.fields.extra_costs as number | undefined) ?? 0).plus(
      dec((o.fields.paymethod_costs as number | undefined) ?? 0),
    );
    return {
      total_orderrow_price: money(rowsTotal),
      total_discounts: money(discounts),
      total_shipping: money(shipping),
      total_tax: money(tax.plus(shippingTax)),
      total_price: money(gross.plus(shippingGross ? shipping : shipping.plus(shippingTax)).plus(extras)),
      total_weight: num(weight),
    };
  }

  renderOrder(o: OrderRec): Rec {
    const f = o.fields;
    const root = this.apiRoot.replace(/\/api\/rest\/v1$/, "");
    const paymethod =
      f.paymethod_id === undefined ? undefined : this.paymethods.get(f.paymethod_id as number);
    return {
      href: this.href(`/orders/${o.id}`),
      id: o.id,
      ordernumber_prefix: o.ordernumber_prefix,
      ordernumber: o.ordernumber,
      ordernumber_full: o.ordernumber_full,
      invoicenumber: f.invoicenumber ?? null,
      transaction_id: f.transaction_id ?? null,
      create_date: o.create_date,
      deliver_method: f.deliver_method,
      deliver_date: f.deliver_date ?? null,
      take_out_window: { start: null, end: null },
      is_platform_sale: f.is_platform_sale ?? false,
      orderedinlng: f.orderedinlng,
      status: o.status,
      is_completed: o.is_completed,
      basket_href: o.is_completed ? null : `${root}/basket/${o.id}`,
      checkout_href: o.is_completed ? null : `${root}/checkout/${o.id}`,
      paid: o.paid,
      safety_deposit_returned: f.safety_deposit_returned ?? false,
      paymethod_id: paymethod?.id ?? 0,
      paymethod: paymethod?.combined_name ?? "",
      paymethod_label: paymethod?.label ?? "",
      taxes_included: f.taxes_included,
      order_row_taxes_included: f.order_row_taxes_included,
      shipping_taxes_included: f.shipping_taxes_included,
      shipping_tax_percentage: 21,
      is_intra_community_order: f.is_intra_community_order ?? false,
      ...this.totals(o),
      currency: f.currency,
      extra_price: 0,
      paymethod_costs: f.paymethod_costs ?? 0,
      credit_point_discount: 0,
      extra_costs: f.extra_costs ?? 0,
      extra_costs_description: f.extra_costs_description ?? "",
      track_and_trace_code: f.track_and_trace_code ?? "",
      track_and_trace_carrier: f.track_and_trace_carrier ?? null,
      track_and_trace_deeplink: "",
      reservationnumber: f.reservationnumber ?? null,
      delivery_option: null,
      // real payloads carry the user id as a string (§5.6.1)
      user:
        o.user_id === null
          ? null
          : { id: String(o.user_id), discount_percentage: 0, href: this.href(`/users/${o.user_id}`) },
      discountcoupon: null,
      customer: o.customer,
      pickup_address: null,
      packing_slip_deeplink: null,
      orderrows: { href: this.href(`/orders/${o.id}/orderrows`) },
      ordernotes: { href: this.href(`/orders/${o.id}/ordernotes`) },
      invoices: { href: this.href(`/orders/${o.id}/invoices`) },
      terminalreceipts: { href: this.href(`/orders/${o.id}/terminalreceipts`) },
      fiscaltransactionsignatures: { href: this.href(`/orders/${o.id}/fiscaltransactionsignatures`) },
      parent: { href: this.href("/orders") },
    };
  }

  renderOrderRow(r: OrderRowRec): Rec {
    const pkg = r.package_id === null ? undefined : this.packages.get(r.package_id);
    const product = r.product_id === null ? undefined : this.products.get(r.product_id);
    return {
      href: this.href(`/orderrows/${r.id}`),
      id: r.id,
      order_id: r.order_id,
      product_type: r.product_type,
      product_name: r.product_name,
      product_name_google: r.product_name,
      product_number: r.product_number,
      sub_product_number: r.sub_product_number,
      sub_sku_number: r.sub_sku_number,
      sub_ean_number: r.sub_ean_number,
      product_id: r.product_id,
      product_href: r.product_id === null ? null : `${this.apiRoot}/products/${r.product_id}`,
      count: r.count,
      price: r.price,
      product_purchase_price: r.product_purchase_price,
      discount: r.discount,
      custom_price: r.custom_price,
      tax: r.tax,
      unit: r.unit,
      weight: r.weight,
      memo: r.memo,
      package_id: r.package_id,
      package_name: pkg?.name ?? "",
      stock_location: product?.stocklocation ?? "",
      supplier: "",
      user_discount: 0,
      ...this.rowAmounts(r),
      attributes: r.attributes.map((a) => ({
        href: this.href(`/orderrowattributevalues/${a.id}`),
        id: a.id,
        option_name: a.option_name,
        value_name: a.value_name,
        price: a.price,
        parent: { href: this.href(`/orderrows/${r.id}`) },
      })),
      uploads: [],
      parent: { href: `${this.apiRoot}/orders/${r.order_id}` },
    };
  }

  findOrderRow(id: number): { order: OrderRec; row: OrderRowRec } {
    for (const order of this.orders.values()) {
      const row = order.rows.find((r) => r.id === id);
      if (row) return { order, row };
    }
    throw notFound("Order row", id);
  }

  /** Row writes are for open baskets only (§5.6.4). */
  private requireOpen(order: OrderRec): void {
    if (order.is_completed) {
      throw new CcvSandboxError(
        500,
        CCV_ERROR.METHOD_NOT_ALLOWED_ON_RESOURCE,
        "Order rows of a completed order cannot be changed.",
      );
    }
  }

  addOrderRow(orderId: number, body: unknown): OrderRowRec {
    const o = this.getOrder(orderId);
    this.requireOpen(o);
    const row = this.buildRow(o.id, body);
    o.rows.push(row);
    return row;
  }

  putOrderRows(orderId: number, body: unknown): void {
    const o = this.getOrder(orderId);
    this.requireOpen(o);
    const b = validateBody(body, { orderrows: "!array" }, { resource: "orderrows" });
    o.rows = (b.orderrows as unknown[]).map((r) => this.buildRow(o.id, r));
  }

  patchOrderRow(id: number, body: unknown): void {
    const { order, row } = this.findOrderRow(id);
    this.requireOpen(order);
    const b = validateBody(
      body,
      { count: "number", price: "number", discount: "number" },
      { partial: true, resource: "orderrows" },
    );
    if (b.price !== undefined) row.custom_price = true;
    Object.assign(row, b);
  }

  deleteOrderRow(id: number): void {
    const { order } = this.findOrderRow(id);
    this.requireOpen(order);
    order.rows = order.rows.filter((r) => r.id !== id);
  }

  /** §5.9.3 envelope; event-specific keys go between the totals and the customer keys (as captured). */
  private orderPayload(o: OrderRec, specific: Rec): Rec {
    const t = this.totals(o);
    const billing = (o.customer.billingaddress ?? {}) as Rec;
    return {
      triggered_at: this.now(),
      href: `${this.apiRoot}/orders/${o.id}`,
      id: o.id,
      order_number: o.ordernumber,
      ordernumber_prefix: o.ordernumber_prefix,
      ordernumber_full: o.ordernumber_full,
      total_price: t.total_price,
      ...specific,
      customer_email: (o.customer.email as string | undefined) ?? "",
      customer_mobile: (billing.mobile as string | undefined) ?? "",
    };
  }

  /** §5.9.3 [inferred] products.*, categories.*: `{triggered_at, href, id}`. */
  private entityPayload(path: string, id: number): Rec {
    return { triggered_at: this.now(), href: `${this.apiRoot}${path}`, id };
  }

  // -------------------------------------------------------------------------------------------
  // users (§5.7)

  getUser(id: number): UserRec {
    const u = this.users.get(id);
    if (!u) throw notFound("User", id);
    return u;
  }

  createUser(body: unknown): UserRec {
    const b = validateBody(body, USER_FIELDS, { resource: "users" });
    this.requireUniqueUsername(b.username as string);
    const rec: UserRec = {
      id: this.next("user"),
      createdate: this.now(),
      username: b.username as string,
      password: b.password as string,
      group_id: (b.group_id as number | null | undefined) ?? null,
      status: (b.status as boolean | undefined) ?? true,
      approval_status: "accepted",
      product_in_category_discount: (b.product_in_category_discount as string | undefined) ?? "highest",
      userinfo: (b.userinfo as Rec | undefined) ?? {},
    };
    this.users.set(rec.id, rec);
    return rec;
  }

  private requireUniqueUsername(username: string, except?: number): void {
    const clash = [...this.users.values()].find(
      (u) => u.id !== except && u.username.toLowerCase() === username.toLowerCase(),
    );
    if (clash)
      throw new CcvSandboxError(
        500,
        CCV_ERROR.PROPERTY_ALREADY_EXISTS,
        `Username '${username}' already exists.`,
      );
  }

  patchUser(id: number, body: unknown): void {
    const u = this.getUser(id);
    const b = validateBody(body, USER_PATCH_FIELDS, { partial: true, resource: "users" });
    if (b.username !== undefined) this.requireUniqueUsername(b.username as string, id);
    if (
      b.approval_status !== undefined &&
      b.approval_status !== "pending" &&
      b.approval_status !== "accepted"
    ) {
      throw invalid("'approval_status' must be pending or accepted.");
    }
    const { userinfo, ...rest } = b;
    Object.assign(u, rest);
    if (userinfo !== undefined) u.userinfo = { ...u.userinfo, ...(userinfo as Rec) };
  }

  deleteUser(id: number): void {
    this.getUser(id);
    this.users.delete(id);
  }

  filterUsers(q: Record<string, string>): UserRec[] {
    const out = [...this.users.values()].filter(
      (u) => q.approval_status === undefined || u.approval_status === q.approval_status,
    );
    return sortBy(out, q.orderby, ["id", "first_name", "last_name"], (u, f) =>
      f === "id" ? u.id : ((u.userinfo.billingaddress as Rec | undefined)?.[f] ?? ""),
    );
  }

  renderUser(u: UserRec): Rec {
    return {
      href: this.href(`/users/${u.id}`),
      id: u.id,
      username: u.username,
      group_id: u.group_id,
      status: u.status,
      approval_status: u.approval_status,
      product_in_category_discount: u.product_in_category_discount,
      userinfo: u.userinfo,
      creditpoints: { href: this.href(`/users/${u.id}/creditpoints`) },
      creditpointmutations: { href: this.href(`/users/${u.id}/creditpointmutations`) },
      disabledpaymethods: { href: this.href(`/users/${u.id}/disabledpaymethods`) },
      parent: { href: this.href("/users") },
    };
  }

  // -------------------------------------------------------------------------------------------
  // webhooks (§5.9)

  getWebhook(id: number): WebhookRec {
    const w = this.webhooks.get(id);
    if (!w) throw notFound("Webhook", id);
    return w;
  }

  createWebhook(body: unknown): WebhookRec {
    const b = validateBody(
      body,
      { event: "!string", address: "!string", is_active: "boolean" },
      { resource: "webhooks" },
    );
    // [3p] list of valid names; the status for an invalid one is [unknown]
    if (!(CCV_WEBHOOK_EVENTS as readonly string[]).includes(b.event as string))
      throw invalid(`'${String(b.event)}' is not a webhook event.`);
    if (!/^https?:\/\//.test(b.address as string)) throw invalid("'address' must be an http(s) URL.");
    const rec: WebhookRec = {
      id: this.next("webhook"),
      createdate: this.now(),
      event: b.event as string,
      address: b.address as string,
      key: randomBytes(24).toString("hex"),
      is_active: (b.is_active as boolean | undefined) ?? true,
    };
    this.webhooks.set(rec.id, rec);
    return rec;
  }

  patchWebhook(id: number, body: unknown): void {
    const w = this.getWebhook(id);
    // the event is immutable (§5.9.1)
    Object.assign(
      w,
      validateBody(
        body,
        { address: "string", is_active: "boolean" },
        { partial: true, resource: "webhooks" },
      ),
    );
  }

  deleteWebhook(id: number): void {
    this.getWebhook(id);
    this.webhooks.delete(id);
  }

  renderWebhook(w: WebhookRec): Rec {
    return {
      href: this.href(`/webhooks/${w.id}`),
      id: w.id,
      createdate: w.createdate,
      event: w.event,
      address: w.address,
      key: w.key,
      is_active: w.is_active,
      parent: { href: this.href("/webhooks") },
    };
  }

  // -------------------------------------------------------------------------------------------
  // seeding and reading back (tests): no signatures, no limits, no webhooks

  /** Adds a product directly; `fields` uses the POST field names (price, discount, active…). */
  seedProduct(
    fields: Partial<Omit<ProductRec, "id" | "extra" | "createdate" | "modifydate">> & { name: string },
  ): ProductRec {
    const emit = this.emit;
    this.emit = () => undefined;
    try {
      return this.createProduct({
        price: 10,
        discount: 0,
        taxtariff: "normal",
        package_id: [...this.packages.keys()][0],
        ...fields,
      });
    } finally {
      this.emit = emit;
    }
  }

  /** Adds many products at once (paging tests). */
  seedProducts(count: number, make: (i: number) => Parameters<CcvStore["seedProduct"]>[0]): ProductRec[] {
    return Array.from({ length: count }, (_, i) => this.seedProduct(make(i)));
  }

  seedUser(email: string, userinfo: Rec = {}, username = email): UserRec {
    return this.createUser({
      username,
      password: randomBytes(12).toString("hex"),
      userinfo: { email, ...userinfo },
    });
  }
}

// ---------------------------------------------------------------------------------------------

export function parseBool(v: string, name: string): boolean {
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw invalid(`'${name}' must be true, false, 1 or 0.`);
}

/** [unknown] format of date filters: accepts `YYYY-MM-DD` (whole day) and ISO date-times. */
function parseFilterDate(v: string, name: string, edge: "start" | "end"): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const t = Date.parse(`${v}T00:00:00Z`);
    if (!Number.isNaN(t)) return edge === "start" ? t : t + 86_400_000 - 1;
  }
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalid(`'${name}' must be a date (YYYY-MM-DD) or an ISO date-time.`);
  return t;
}

/** `orderby=<field>` ascending, `<field>_desc` descending (§3.3); default by id. */
function sortBy<T extends { id: number }>(
  items: T[],
  orderby: string | undefined,
  allowed: string[],
  get: (x: T, f: string) => unknown,
): T[] {
  let field = "id";
  let desc = false;
  if (orderby) {
    desc = orderby.endsWith("_desc");
    field = desc ? orderby.slice(0, -5) : orderby;
    if (!allowed.includes(field))
      throw invalid(`'orderby' must be one of ${allowed.join(", ")} (optionally with _desc).`);
  }
  const cmp = (a: unknown, b: unknown) =>
    typeof a === "number" && typeof b === "number" ? a - b : String(a ?? "").localeCompare(String(b ?? ""));
  return [...items].sort((a, b) => (desc ? -1 : 1) * (cmp(get(a, field), get(b, field)) || a.id - b.id));
}
