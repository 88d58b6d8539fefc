import type { Category, Product, ProductOption, Variant } from "../../domain/catalog";
import { dec, optDecimal, toDecimalString, toNumber, type DecimalString } from "../../domain/money";
import type { Order, OrderLine } from "../../domain/orders";
import { emptyAddress, normalizeEmail, type Address, type Customer } from "../../domain/party";
import type { StoreProfile } from "../../domain/store";
import type {
  CcvAddress,
  CcvAttributeCombination,
  CcvCategory,
  CcvCategoryTree,
  CcvCategoryTreeNode,
  CcvOrder,
  CcvOrderCreate,
  CcvOrderRow,
  CcvOrderRowInput,
  CcvPersonalinfo,
  CcvProduct,
  CcvProductCreate,
  CcvSettings,
  CcvUser,
  CcvWebshop,
} from "./ccv.types";
import { CCV_DELIVER_METHOD, CCV_TAX_TARIFFS } from "./ccv.vendor-facts";

/**
 * CCV wire DTOs ⇄ domain types. Pure functions; no I/O. Conventions:
 * - ids become strings; money and quantities become canonical decimal strings;
 * - a product's domain `price` is CCV's sell price (`price − discount`, §5.1), the figure a customer
 *   pays and the one other systems call "price"; writes send it as `price` with `discount` 0;
 * - the tax basis of catalogue prices is the shop setting `prices_include_vat`, passed in by the caller.
 */

const SYSTEM = "CCV_SALESPOS" as const;

const s = (v: string | null | undefined): string | null =>
  v === undefined || v === null || v === "" ? null : v;
const date = (v: string | null | undefined): Date | null => {
  if (!v) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t);
};

// ---------------------------------------------------------------------------------------------
// Store

/** The webshop that is "the store": the SalesPOS one when the key sees one, else the first (§5.10). */
export function pickStoreWebshop(webshops: CcvWebshop[]): CcvWebshop | undefined {
  return webshops.find((w) => w.is_salespos === true) ?? webshops[0];
}

export function ccvStoreProfile(webshop: CcvWebshop, settings: CcvSettings | null): StoreProfile {
  return {
    system: SYSTEM,
    storeId: String(webshop.id),
    name: s(webshop.name),
    currency: s(settings?.currency),
    pricesIncludeTax: typeof settings?.prices_include_vat === "boolean" ? settings.prices_include_vat : null,
    isSalesPos: webshop.is_salespos === true,
  };
}

// ---------------------------------------------------------------------------------------------
// Catalogue

export function ccvCombinationToVariant(
  c: CcvAttributeCombination,
  stockEnabled: boolean | null = true,
): Variant {
  const unlimited = stockEnabled === false;
  return {
    system: SYSTEM,
    id: String(c.id),
    // CCV has a separate sku_number; older data may only carry product_number on the combination
    sku: s(c.sku_number) ?? s(c.product_number),
    ean: s(c.ean_number),
    options: (c.combination ?? []).map((p) => ({ name: p.attribute.name, value: p.attribute_value.name })),
    price: null,
    priceDifference: optDecimal(c.netto_extra_price),
    quantity: unlimited ? null : optDecimal(c.stock),
    unlimited,
    enabled: c.active !== false,
  };
}

/** The option axes a set of combinations spans, in first-seen order, each value with its extra price. */
export function ccvOptionsFromCombinations(combinations: CcvAttributeCombination[]): ProductOption[] {
  const axes = new Map<string, Map<string, DecimalString>>();
  for (const c of combinations) {
    for (const p of c.combination ?? []) {
      let values = axes.get(p.attribute.name);
      if (!values) {
        values = new Map();
        axes.set(p.attribute.name, values);
      }
      if (!values.has(p.attribute_value.name)) {
        values.set(p.attribute_value.name, optDecimal(p.extra_price) ?? "0");
      }
    }
  }
  return [...axes].map(([name, values]) => ({
    name,
    values: [...values].map(([value, priceModifier]) => ({ name: value, priceModifier })),
  }));
}

export interface CcvProductMapOptions {
  /** shop setting prices_include_vat; null when unknown */
  pricesIncludeTax?: boolean | null;
  /** category ids from producttocategories (expanded or read separately) */
  categoryIds?: string[];
  /** attribute combinations (expanded or read separately); else taken from an expanded product */
  combinations?: CcvAttributeCombination[];
}

export function ccvProductToDomain(p: CcvProduct, opts: CcvProductMapOptions = {}): Product {
  const combinations = opts.combinations ?? p.attributecombinations?.collection ?? [];
  const categoryIds =
    opts.categoryIds ?? (p.producttocategories?.collection ?? []).map((l) => String(l.category_id));
  const unlimited = p.stockenabled === false;
  return {
    system: SYSTEM,
    id: String(p.id),
    sku: s(p.productnumber),
    name: p.name,
    description: s(p.description),
    shortDescription: s(p.shortdescription),
    price: toDecimalString(dec(String(p.price ?? 0)).minus(dec(String(p.discount ?? 0)))),
    priceIncludesTax: opts.pricesIncludeTax ?? null,
    taxRate: optDecimal(p.vatrate),
    taxClass: s(p.taxtariff),
    ean: s(p.eannumber),
    quantity: unlimited ? null : optDecimal(p.stock),
    unlimited,
    enabled: p.is_active !== false,
    categoryIds,
    features: [],
    options: ccvOptionsFromCombinations(combinations),
    variants: combinations.map((c) => ccvCombinationToVariant(c, p.stockenabled ?? null)),
    mediaUrls: p.productmainphoto ? [p.productmainphoto] : [],
    weight: optDecimal(p.weight),
    createdAt: date(p.createdate),
    updatedAt: date(p.modifydate),
  };
}

/**
 * A domain product → POST /products body. `packageId` is required by CCV (§5.1). The tax is sent as
 * `vatrate` when the product states a rate, else as `taxtariff` when its tax class is a CCV tariff,
 * else the tariff `normal`.
 */
export function productToCcvCreate(p: Product, packageId: number): CcvProductCreate {
  const body: CcvProductCreate = {
    name: p.name,
    price: toNumber(p.price ?? "0"),
    discount: 0,
    package_id: packageId,
    active: p.enabled,
  };
  if (p.taxRate !== null) body.vatrate = toNumber(p.taxRate);
  else
    body.taxtariff = (CCV_TAX_TARIFFS as readonly string[]).includes(p.taxClass ?? "")
      ? p.taxClass!
      : "normal";
  if (p.sku) body.productnumber = p.sku;
  if (p.ean) body.eannumber = p.ean;
  if (p.shortDescription !== null) body.shortdescription = p.shortDescription;
  if (p.description !== null) body.description = p.description;
  if (p.weight !== null) body.weight = toNumber(p.weight);
  body.stockenabled = !p.unlimited;
  if (!p.unlimited && p.quantity !== null) body.stock = toNumber(p.quantity);
  return body;
}

export function ccvCategoryToDomain(c: CcvCategory): Category {
  return {
    system: SYSTEM,
    id: String(c.id),
    parentId: c.parentcategory?.id ? String(c.parentcategory.id) : null,
    name: c.name,
    description: s(c.description),
    enabled: c.show_on_website !== false,
    position: typeof c.position === "number" ? c.position : null,
  };
}

/** Flattens GET /categorytree (parents before children). */
export function ccvCategoryTreeToDomain(tree: CcvCategoryTree): Category[] {
  const out: Category[] = [];
  const walk = (nodes: CcvCategoryTreeNode[], parentId: string | null) => {
    for (const n of nodes) {
      out.push({
        system: SYSTEM,
        id: String(n.id),
        parentId,
        name: n.name,
        description: s(n.description),
        enabled: n.show_on_website !== false,
        position: typeof n.position === "number" ? n.position : null,
      });
      walk(n.children ?? [], String(n.id));
    }
  };
  walk(tree.root_categories ?? [], null);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parties

export function ccvAddressToDomain(a: CcvAddress | null | undefined): Address | null {
  if (!a) return null;
  const first = s(a.first_name);
  const last = s(a.last_name);
  const name = s(a.full_name) ?? ([first, last].filter(Boolean).join(" ") || null);
  const hasStreet = s(a.street) !== null;
  return {
    ...emptyAddress(),
    name,
    firstName: first,
    lastName: last,
    companyName: s(a.company),
    // CCV uses either street + housenumber or address_line_1/2 (§5.7)
    street: hasStreet ? s(a.street) : s(a.address_line_1),
    houseNumber: a.housenumber === null || a.housenumber === undefined ? null : String(a.housenumber),
    houseNumberSuffix: s(a.housenumber_suffix),
    street2: hasStreet ? null : s(a.address_line_2),
    postalCode: s(a.zipcode),
    city: s(a.city),
    countryCode: s(a.country_code)?.toUpperCase() ?? null,
    province: s(a.province),
    phone: s(a.telephone) ?? s(a.mobile),
  };
}

/** Splits "12", "12a", "12-3" into CCV's integer housenumber and suffix. */
export function splitHouseNumber(houseNumber: string): { housenumber: number; suffix: string | null } | null {
  const m = /^\s*(\d+)\s*[-/ ]?\s*(.*?)\s*$/.exec(houseNumber);
  if (!m) return null;
  return { housenumber: Number(m[1]), suffix: m[2] === "" ? null : m[2] };
}

/** Domain address → CCV address; a delivery address has no first/last name or fax (§5.7). */
export function domainAddressToCcv(a: Address, kind: "billing" | "delivery"): CcvAddress {
  const out: CcvAddress = {};
  const [first, last] = splitName(a);
  if (kind === "billing") {
    if (first) out.first_name = first;
    if (last) out.last_name = last;
  }
  if (a.companyName) out.company = a.companyName;
  const hn = a.houseNumber ? splitHouseNumber(a.houseNumber) : null;
  if (a.street && hn) {
    out.street = a.street;
    out.housenumber = hn.housenumber;
    const suffix = a.houseNumberSuffix ?? hn.suffix;
    if (suffix) out.housenumber_suffix = suffix;
  } else if (a.street) {
    // no separate house number (Ecwid keeps it in the street line): use the free address lines
    out.address_line_1 = a.street;
    if (a.street2) out.address_line_2 = a.street2;
  }
  if (a.postalCode) out.zipcode = a.postalCode;
  if (a.city) out.city = a.city;
  if (a.province) out.province = a.province;
  if (a.countryCode) out.country_code = a.countryCode.toUpperCase();
  if (a.phone) out.telephone = a.phone;
  return out;
}

function splitName(a: Address): [string | null, string | null] {
  if (a.firstName || a.lastName) return [a.firstName, a.lastName];
  if (!a.name) return [null, null];
  const parts = a.name.trim().split(/\s+/);
  return parts.length === 1 ? [null, parts[0]] : [parts[0], parts.slice(1).join(" ")];
}

export function ccvPersonalinfoToCustomer(id: string, info: CcvPersonalinfo | null | undefined): Customer {
  const billing = ccvAddressToDomain(info?.billingaddress);
  const shipping = ccvAddressToDomain(info?.deliveryaddress);
  return {
    system: SYSTEM,
    id,
    email: normalizeEmail(info?.email ?? null),
    name: billing?.name ?? null,
    companyName: billing?.companyName ?? null,
    isCompany: info?.customertype === "b2b",
    vatNumber: s(info?.btw),
    billing,
    shipping,
    updatedAt: null,
  };
}

export function ccvUserToCustomer(u: CcvUser): Customer {
  const c = ccvPersonalinfoToCustomer(String(u.id), u.userinfo);
  // accounts the gateway creates use the e-mail as username; back-office ones may lack userinfo.email
  if (!c.email && u.username.includes("@")) c.email = normalizeEmail(u.username);
  return c;
}

/**
 * Customer data → Personalinfo. A business (company name, or isCompany) becomes `customertype b2b`
 * with the company on the billing address and the person as its contact; otherwise `b2c`.
 */
export function customerToCcvPersonalinfo(c: {
  email: string | null;
  isCompany: boolean;
  companyName: string | null;
  vatNumber: string | null;
  billing: Address | null;
  shipping: Address | null;
}): CcvPersonalinfo {
  const company = c.companyName ?? c.billing?.companyName ?? null;
  const b2b = c.isCompany || company !== null;
  const info: CcvPersonalinfo = { customertype: b2b ? "b2b" : "b2c" };
  if (c.email) info.email = c.email.trim();
  if (c.billing) info.billingaddress = domainAddressToCcv({ ...c.billing, companyName: company }, "billing");
  else if (company) info.billingaddress = { company };
  if (c.shipping) info.deliveryaddress = domainAddressToCcv(c.shipping, "delivery");
  if (b2b && c.vatNumber) info.btw = c.vatNumber;
  return info;
}

// ---------------------------------------------------------------------------------------------
// Orders

export function ccvOrderRowToLine(r: CcvOrderRow): OrderLine {
  const unit = r.price_without_discount_with_attributes ?? r.price;
  return {
    id: String(r.id),
    productId: r.product_id ? String(r.product_id) : null,
    // rows do not carry the combination id; the sub_* numbers identify the variant
    variantId: null,
    sku: s(r.sub_sku_number) ?? s(r.sub_product_number) ?? s(r.product_number),
    name: r.product_name,
    quantity: toDecimalString(String(r.count)),
    unitPrice: toDecimalString(String(unit)),
    taxRate: optDecimal(r.tax),
    discount: toDecimalString(dec(String(r.discount ?? 0)).times(String(r.count))),
    options: (r.attributes ?? []).map((a) => ({ name: a.option_name, value: a.value_name })),
  };
}

export function ccvOrderToDomain(o: CcvOrder, rows: CcvOrderRow[] = o.orderrows?.collection ?? []): Order {
  const customer = ccvPersonalinfoToCustomer(String(o.user?.id ?? ""), o.customer);
  return {
    system: SYSTEM,
    id: String(o.id),
    number: s(o.ordernumber_full) ?? (o.ordernumber ? String(o.ordernumber) : null),
    email: customer.email,
    status: o.status === null || o.status === undefined ? null : String(o.status),
    paymentStatus: o.paid ? "PAID" : "UNPAID",
    paid: o.paid === true,
    completed: o.is_completed !== false,
    currency: s(o.currency),
    pricesIncludeTax: o.order_row_taxes_included !== false,
    subtotal: toDecimalString(String(o.total_orderrow_price ?? 0)),
    shippingCost: toDecimalString(String(o.total_shipping ?? 0)),
    discountTotal: toDecimalString(String(o.total_discounts ?? 0)),
    tax: toDecimalString(String(o.total_tax ?? 0)),
    total: toDecimalString(String(o.total_price ?? 0)),
    shippingMethod: s(o.deliver_method),
    paymentMethod: s(o.paymethod),
    customerName: customer.name,
    companyName: customer.companyName,
    isCompany: customer.isCompany,
    billing: customer.billing,
    shipping: customer.shipping,
    lines: rows.map(ccvOrderRowToLine),
    externalReference: s(o.reservationnumber),
    createdAt: date(o.create_date),
    updatedAt: null,
  };
}

/** Where an order line goes in CCV: a product, optionally one of its attribute combinations. */
export interface CcvLineTarget {
  productId: number;
  combinationId?: number;
}

export interface OrderToCcvOptions {
  /** our reference, stored in `reservationnumber` so the order can be found again before a re-create */
  reference: string;
  /** resolves a line's SKU to CCV ids; null = the SKU is not in CCV */
  resolveLine: (line: OrderLine) => CcvLineTarget | null;
  status?: number;
  deliverMethod?: string;
  userId?: number;
  language?: string;
}

/**
 * A domain order → POST /orders body. Row prices come from the source order (CCV would otherwise
 * take the product's current price); the discount is sent per unit, as CCV stores it. Lines whose
 * SKU does not resolve are returned in `unresolved` and left out: the caller fails the item.
 */
export function orderToCcvCreate(
  order: Order,
  opts: OrderToCcvOptions,
): { body: CcvOrderCreate; unresolved: OrderLine[] } {
  const unresolved: OrderLine[] = [];
  const orderrows: CcvOrderRowInput[] = [];
  for (const line of order.lines) {
    const target = opts.resolveLine(line);
    if (!target) {
      unresolved.push(line);
      continue;
    }
    const qty = dec(line.quantity);
    const row: CcvOrderRowInput = {
      product_id: target.productId,
      count: toNumber(qty),
      price: toNumber(line.unitPrice),
      discount: qty.isZero() ? 0 : toNumber(dec(line.discount).div(qty).toDecimalPlaces(4)),
    };
    if (target.combinationId !== undefined) row.attribute_combination_id = target.combinationId;
    if (line.taxRate !== null) row.tax = toNumber(line.taxRate);
    orderrows.push(row);
  }
  const body: CcvOrderCreate = {
    is_completed: true,
    paid: order.paid,
    customer: customerToCcvPersonalinfo({
      email: order.email,
      isCompany: order.isCompany,
      companyName: order.companyName,
      vatNumber: null,
      billing: order.billing,
      shipping: order.shipping,
    }),
    orderrows,
    taxes_included: true,
    order_row_taxes_included: order.pricesIncludeTax,
    total_shipping: toNumber(order.shippingCost),
    deliver_method: opts.deliverMethod ?? CCV_DELIVER_METHOD.SHIPPING,
    reservationnumber: opts.reference,
  };
  if (order.currency) body.currency = order.currency;
  if (opts.status !== undefined) body.status = opts.status;
  if (opts.userId !== undefined) body.user_id = opts.userId;
  if (opts.language) body.orderedinlng = opts.language;
  return { body, unresolved };
}
