import {
  dec,
  optDecimal,
  sum,
  toDecimalString,
  toNumber,
  type Address,
  type Category,
  type Customer,
  type DecimalString,
  type Order,
  type OrderLine,
  type Product,
  type ProductFeature,
  type ProductOption,
  type StoreProfile,
  type Variant,
} from "../../domain";
import { formatEcwidDate, parseEcwidDate } from "./ecwid.dates";
import type {
  EcwidAttributeValue,
  EcwidCategory,
  EcwidCategoryWrite,
  EcwidCustomer,
  EcwidCustomerWrite,
  EcwidFulfillmentStatus,
  EcwidOrder,
  EcwidOrderItem,
  EcwidOrderWrite,
  EcwidPaymentStatus,
  EcwidPerson,
  EcwidProduct,
  EcwidProductOption,
  EcwidProductWrite,
  EcwidStoreProfile,
  EcwidStoreTax,
  EcwidVariation,
  EcwidVariationWrite,
} from "./ecwid.types";
import { ECWID_COUPON_DISCOUNT_IS_SEPARATE } from "./ecwid.vendor-facts";

/**
 * Ecwid wire DTOs ⇄ domain types. Reads are total (missing = not set / inherited, §12); writes
 * build partial bodies that only carry what the domain value states.
 */

/** Store-level facts a product or order does not carry itself (from GET /profile). */
export interface EcwidMappingContext {
  /** taxSettings.pricesIncludeTax */
  pricesIncludeTax?: boolean | null;
  /** taxSettings.taxes, to turn `tax.enabledManualTaxes` ids into a rate */
  taxes?: EcwidStoreTax[];
  /** formatsAndUnits.currency */
  currency?: string | null;
}

/** Ecwid sends "" for unset strings (§5): both become null. */
const str = (v: string | null | undefined): string | null =>
  v === undefined || v === null || v.trim() === "" ? null : v;

const date = (s: string | undefined, ts: number | undefined): Date | null =>
  ts !== undefined ? parseEcwidDate(ts) : parseEcwidDate(s);

/**
 * Barcodes have no field of their own (§6.2): the UPC/EAN lives in `attributes` with type UPC, or
 * one of the POS-synced EXTERNAL_* types.
 */
const BARCODE_TYPES = ["UPC", "EXTERNAL_EAN", "EXTERNAL_UPC", "EXTERNAL_JAN", "EXTERNAL_ISBN"];
export function barcodeOf(attrs: EcwidAttributeValue[] | undefined): string | null {
  for (const t of BARCODE_TYPES) {
    const a = attrs?.find((x) => x.type === t && str(x.value));
    if (a) return a.value;
  }
  return null;
}

// ------------------------------------------------------------------ store profile

export function mapEcwidStoreProfile(p: EcwidStoreProfile, storeId: number): StoreProfile {
  return {
    system: "ECWID",
    storeId: String(p.generalInfo?.storeId ?? storeId),
    name: str(p.settings?.storeName) ?? str(p.account?.accountName),
    currency: str(p.formatsAndUnits?.currency),
    pricesIncludeTax: p.taxSettings?.pricesIncludeTax ?? null,
  };
}

/** The mapping context products and orders need, from the profile. */
export function ecwidMappingContext(p: EcwidStoreProfile): EcwidMappingContext {
  return {
    pricesIncludeTax: p.taxSettings?.pricesIncludeTax ?? null,
    taxes: p.taxSettings?.taxes ?? [],
    currency: str(p.formatsAndUnits?.currency),
  };
}

// ------------------------------------------------------------------ products

/** A choice's modifier in money: PERCENT modifiers are a share of the base price (§6.3). */
function modifierAmount(
  priceModifier: number | undefined,
  type: string | undefined,
  basePrice: number | undefined,
): DecimalString {
  const m = priceModifier ?? 0;
  if (type === "PERCENT")
    return toDecimalString(
      dec(basePrice ?? 0)
        .times(m)
        .div(100),
    );
  return toDecimalString(m);
}

function mapOptions(p: EcwidProduct): ProductOption[] {
  return (p.options ?? [])
    .filter((o) => (o.choices?.length ?? 0) > 0)
    .map((o) => ({
      name: o.name,
      values: (o.choices ?? []).map((c) => ({
        name: c.text,
        priceModifier: modifierAmount(c.priceModifier, c.priceModifierType, p.price),
      })),
    }));
}

function mapFeatures(attrs: EcwidAttributeValue[] | undefined): ProductFeature[] {
  return (attrs ?? [])
    .filter((a) => str(a.value) !== null && str(a.name) !== null)
    .map((a) => ({ name: a.name as string, value: a.value, type: a.type ?? null }));
}

/**
 * The product's VAT rate when it can be known: 0 when not taxable; else the manual taxes enabled on
 * it (their default rates from the profile, summed); else the rate included in the displayed
 * price (`defaultLocationIncludedTaxRate`, only non-zero for gross-price stores).
 */
function taxRateOf(p: EcwidProduct, ctx: EcwidMappingContext): DecimalString | null {
  const t = p.tax;
  if (!t) return null;
  if (t.taxable === false) return "0";
  const ids = t.enabledManualTaxes ?? [];
  if (ids.length > 0 && ctx.taxes && ctx.taxes.length > 0) {
    const rates = ids.map((id) => ctx.taxes?.find((x) => x.id === id)?.defaultTax);
    if (rates.every((r) => r !== undefined)) return sum(rates as number[]);
  }
  if (t.defaultLocationIncludedTaxRate) return toDecimalString(t.defaultLocationIncludedTaxRate);
  return null;
}

function mediaUrlsOf(p: EcwidProduct): string[] {
  const images = [...(p.media?.images ?? [])].sort(
    (a, b) => Number(b.isMain ?? false) - Number(a.isMain ?? false) || (a.orderBy ?? 0) - (b.orderBy ?? 0),
  );
  const fromMedia = images
    .map(
      (i) => i.imageOriginalUrl ?? i.image1500pxUrl ?? i.image800pxUrl ?? i.image400pxUrl ?? i.image160pxUrl,
    )
    .filter((u): u is string => !!u);
  if (fromMedia.length > 0) return fromMedia;
  // stores and clients that predate `media` only have the legacy gallery and main-image fields
  const main = p.originalImageUrl ?? p.imageUrl;
  const gallery = [...(p.galleryImages ?? [])]
    .sort((a, b) => (a.orderBy ?? 0) - (b.orderBy ?? 0))
    .map((g) => g.originalImageUrl ?? g.url ?? g.imageUrl)
    .filter((u): u is string => !!u);
  return [...(main ? [main] : []), ...gallery.filter((u) => u !== main)];
}

/**
 * A variation: its own price when set, else product price + the modifiers of its choices; its own
 * stock only when it has its own SKU (§6.4: without one it inherits SKU and stock).
 */
export function mapEcwidVariation(v: EcwidVariation, p: EcwidProduct): Variant {
  const modifiers = v.options.map((o) => {
    const choice = p.options?.find((po) => po.name === o.name)?.choices?.find((c) => c.text === o.value);
    return modifierAmount(choice?.priceModifier, choice?.priceModifierType, p.price);
  });
  const ownStock = v.sku !== undefined && v.sku !== "";
  const unlimited = ownStock
    ? (v.unlimited ?? v.quantity === undefined)
    : (p.unlimited ?? p.quantity === undefined);
  const quantity = unlimited ? null : optDecimal(ownStock ? v.quantity : p.quantity);
  return {
    system: "ECWID",
    id: String(v.id),
    sku: ownStock ? (v.sku as string) : null,
    ean: barcodeOf(v.attributes),
    options: v.options.map((o) => ({ name: o.name, value: o.value })),
    price: optDecimal(v.price),
    priceDifference:
      v.price !== undefined && p.price !== undefined
        ? toDecimalString(dec(v.price).minus(p.price))
        : sum(modifiers),
    quantity,
    unlimited,
    enabled: true,
  };
}

export function mapEcwidProduct(p: EcwidProduct, ctx: EcwidMappingContext = {}): Product {
  const unlimited = p.unlimited ?? p.quantity === undefined;
  return {
    system: "ECWID",
    id: String(p.id),
    sku: str(p.sku),
    name: p.name,
    description: str(p.description),
    // Ecwid has no short description; the subtitle (a line under the name) is the nearest field
    shortDescription: str(p.subtitle),
    price: optDecimal(p.price),
    priceIncludesTax: ctx.pricesIncludeTax ?? null,
    taxRate: taxRateOf(p, ctx),
    taxClass: str(p.tax?.taxClassCode),
    ean: barcodeOf(p.attributes),
    quantity: unlimited ? null : optDecimal(p.quantity),
    unlimited,
    enabled: p.enabled ?? true,
    categoryIds: (p.categoryIds ?? []).map(String),
    features: mapFeatures(p.attributes),
    options: mapOptions(p),
    variants: (p.combinations ?? []).map((v) => mapEcwidVariation(v, p)),
    mediaUrls: mediaUrlsOf(p),
    weight: optDecimal(p.weight),
    createdAt: date(p.created, p.createTimestamp),
    updatedAt: date(p.updated, p.updateTimestamp),
  };
}

/** The barcode as an attribute write: by alias, so the attribute id need not be known (§6.5). */
const upcAttribute = (ean: string | null) => (ean ? [{ alias: "UPC", value: ean }] : undefined);

/** The option list Ecwid needs before variations can use these choices (SELECT options). */
export function toEcwidOptions(options: ProductOption[]): EcwidProductOption[] {
  return options.map((o) => ({
    type: "SELECT" as const,
    name: o.name,
    choices: o.values.map((v) => ({
      text: v.name,
      priceModifier: toNumber(v.priceModifier),
      priceModifierType: "ABSOLUTE" as const,
    })),
    defaultChoice: 0,
    required: true,
  }));
}

export interface EcwidProductWriteOptions {
  /** Ecwid category ids (already resolved through links) */
  categoryIds?: number[];
  /** include stock fields (off when the stock flow owns stock, or manageStock is off) */
  includeStock?: boolean;
}

/**
 * A product body for create or update. Prices go as stored by the source; converting between
 * gross and net is the flow's job (it knows both stores' tax modes). Variants are written through
 * the combination endpoints, options here.
 */
export function toEcwidProductWrite(p: Product, opts: EcwidProductWriteOptions = {}): EcwidProductWrite {
  const w: EcwidProductWrite = { name: p.name };
  if (p.sku !== null) w.sku = p.sku;
  if (p.description !== null) w.description = p.description;
  if (p.shortDescription !== null) w.subtitle = p.shortDescription;
  if (p.price !== null) w.price = toNumber(p.price);
  if (p.weight !== null) w.weight = toNumber(p.weight);
  w.enabled = p.enabled;
  if (opts.includeStock) {
    w.unlimited = p.unlimited;
    if (!p.unlimited && p.quantity !== null) w.quantity = Math.trunc(toNumber(p.quantity));
  }
  if (opts.categoryIds) w.categoryIds = opts.categoryIds;
  if (p.taxClass !== null) w.tax = { taxClassCode: p.taxClass };
  const attrs = upcAttribute(p.ean);
  if (attrs) w.attributes = attrs;
  if (p.options.length > 0) w.options = toEcwidOptions(p.options);
  return w;
}

/** A variation body: options identify it; price is absolute when the source states one. */
export function toEcwidVariationWrite(
  v: Variant,
  productPrice: DecimalString | null,
  opts: { includeStock?: boolean } = {},
): EcwidVariationWrite {
  const w: EcwidVariationWrite = { options: v.options.map((o) => ({ name: o.name, value: o.value })) };
  if (v.sku !== null) w.sku = v.sku;
  if (v.price !== null) w.price = toNumber(v.price);
  else if (v.priceDifference !== null && productPrice !== null)
    w.price = toNumber(dec(productPrice).plus(v.priceDifference));
  if (opts.includeStock) {
    w.unlimited = v.unlimited;
    if (!v.unlimited && v.quantity !== null) w.quantity = Math.trunc(toNumber(v.quantity));
  }
  const attrs = upcAttribute(v.ean);
  if (attrs) w.attributes = attrs;
  return w;
}

// ------------------------------------------------------------------ categories

export function mapEcwidCategory(c: EcwidCategory): Category {
  const out: Category = {
    system: "ECWID",
    id: String(c.id),
    parentId: c.parentId ? String(c.parentId) : null,
    name: c.name,
    description: str(c.description),
    enabled: c.enabled ?? true,
    position: c.orderBy ?? null,
  };
  if (c.productIds) out.productIds = c.productIds.map(String);
  return out;
}

/** `parentId`: the Ecwid id of the parent (resolved through links); 0 or undefined = root. */
export function toEcwidCategoryWrite(c: Category, parentId?: number): EcwidCategoryWrite {
  const w: EcwidCategoryWrite = { name: c.name, enabled: c.enabled };
  if (parentId !== undefined) w.parentId = parentId;
  if (c.description !== null) w.description = c.description;
  if (c.position !== null) w.orderBy = c.position;
  return w;
}

// ------------------------------------------------------------------ parties

/** Ecwid joins street lines with "\n" (§5); the domain keeps line 1 and the rest apart. */
export function mapEcwidPerson(p: EcwidPerson | undefined): Address | null {
  if (!p) return null;
  const lines = (p.street ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const name = str(p.name);
  // firstName/lastName are only sent when the name has two words or more (§5)
  const [first, ...rest] = (name ?? "").split(/\s+/).filter(Boolean);
  const address: Address = {
    name,
    firstName: str(p.firstName) ?? (rest.length > 0 ? first : null),
    lastName: str(p.lastName) ?? (rest.length > 0 ? rest.join(" ") : null),
    companyName: str(p.companyName),
    street: lines[0] ?? null,
    houseNumber: null,
    houseNumberSuffix: null,
    street2: lines.length > 1 ? lines.slice(1).join(", ") : null,
    postalCode: str(p.postalCode),
    city: str(p.city),
    countryCode: str(p.countryCode),
    province: str(p.stateOrProvinceCode) ?? str(p.stateOrProvinceName),
    phone: str(p.phone),
  };
  const empty = Object.values(address).every((v) => v === null);
  return empty ? null : address;
}

/** Address → PersonInfo; output-only fields (countryName, stateOrProvinceName) are never sent. */
export function toEcwidPerson(a: Address): EcwidPerson {
  const streetLine1 = [a.street, [a.houseNumber, a.houseNumberSuffix].filter(Boolean).join("")]
    .filter(Boolean)
    .join(" ");
  const street = [streetLine1, a.street2].filter((l) => l && l.trim() !== "").join("\n");
  const name = a.name ?? ([a.firstName, a.lastName].filter(Boolean).join(" ") || null);
  const p: EcwidPerson = {};
  if (name) p.name = name;
  if (a.companyName) p.companyName = a.companyName;
  if (street) p.street = street;
  if (a.city) p.city = a.city;
  if (a.countryCode) p.countryCode = a.countryCode;
  if (a.postalCode) p.postalCode = a.postalCode;
  if (a.province) p.stateOrProvinceCode = a.province;
  if (a.phone) p.phone = a.phone;
  return p;
}

export function mapEcwidCustomer(c: EcwidCustomer): Customer {
  const billing = mapEcwidPerson(c.billingPerson);
  const addresses = c.shippingAddresses ?? [];
  const shippingWire = addresses.find((a) => a.defaultAddress) ?? addresses[0];
  const companyName = str(c.billingPerson?.companyName);
  return {
    system: "ECWID",
    id: String(c.id),
    email: str(c.email),
    name: str(c.name) ?? billing?.name ?? null,
    companyName,
    isCompany: companyName !== null,
    vatNumber: str(c.taxId),
    billing,
    shipping: mapEcwidPerson(shippingWire),
    updatedAt: parseEcwidDate(c.updated),
  };
}

/** A customer body for create or update (§9). A company name makes the customer b2b. */
export function toEcwidCustomerWrite(c: Customer): EcwidCustomerWrite {
  const w: EcwidCustomerWrite = {};
  if (c.email) w.email = c.email;
  const billing = c.billing ? toEcwidPerson(c.billing) : {};
  if (c.name && !billing.name) billing.name = c.name;
  if (c.companyName && !billing.companyName) billing.companyName = c.companyName;
  if (Object.keys(billing).length > 0) w.billingPerson = billing;
  if (c.shipping) w.shippingAddresses = [{ ...toEcwidPerson(c.shipping), defaultAddress: true }];
  if (c.vatNumber) w.taxId = c.vatNumber;
  w.b2b_b2c = c.isCompany ? "b2b" : "b2c";
  return w;
}

// ------------------------------------------------------------------ orders

function mapOrderLine(i: EcwidOrderItem): OrderLine {
  const rates = (i.taxes ?? []).map((t) => t.value).filter((v): v is number => typeof v === "number");
  const promotions = (i.discounts ?? []).map((d) => d.total ?? 0);
  return {
    id: i.id !== undefined ? String(i.id) : null,
    productId: i.productId ? String(i.productId) : null,
    variantId: i.combinationId ? String(i.combinationId) : null,
    sku: str(i.sku),
    name: i.name ?? "",
    quantity: toDecimalString(i.quantity),
    unitPrice: toDecimalString(i.price ?? 0),
    taxRate: rates.length > 0 ? sum(rates) : null,
    discount: ECWID_COUPON_DISCOUNT_IS_SEPARATE ? sum([...promotions, i.couponAmount ?? 0]) : sum(promotions),
    options: (i.selectedOptions ?? []).map((o) => ({
      name: o.name,
      value: o.value ?? (o.valuesArray ?? []).join(", "),
    })),
  };
}

/** Payment statuses after which the money was received (a partial refund keeps the rest paid). */
const PAID_STATUSES: ReadonlySet<string> = new Set(["PAID", "PARTIALLY_REFUNDED"]);

export function mapEcwidOrder(o: EcwidOrder, ctx: EcwidMappingContext = {}): Order {
  const billing = mapEcwidPerson(o.billingPerson);
  const shipping = mapEcwidPerson(o.shippingPerson);
  const companyName = billing?.companyName ?? null;
  const discountTotal = ECWID_COUPON_DISCOUNT_IS_SEPARATE
    ? sum([o.discount ?? 0, o.couponDiscount ?? 0])
    : toDecimalString(o.discount ?? 0);
  return {
    system: "ECWID",
    // old stores only have the numeric orderNumber (§8.1)
    id: o.id ?? String(o.orderNumber),
    number: o.id ?? str(o.vendorOrderNumber) ?? (o.orderNumber !== undefined ? String(o.orderNumber) : null),
    email: str(o.email),
    status: o.fulfillmentStatus ?? null,
    paymentStatus: o.paymentStatus ?? null,
    paid: PAID_STATUSES.has(o.paymentStatus ?? ""),
    completed: o.paymentStatus !== "INCOMPLETE",
    currency: ctx.currency ?? null,
    pricesIncludeTax: o.pricesIncludeTax ?? ctx.pricesIncludeTax ?? false,
    subtotal: toDecimalString(o.subtotal ?? 0),
    shippingCost: toDecimalString(o.shippingOption?.shippingRate ?? 0),
    discountTotal,
    tax: toDecimalString(o.tax ?? 0),
    total: toDecimalString(o.total ?? 0),
    shippingMethod: str(o.shippingOption?.shippingMethodName),
    // the display name is the only distinguishing value for offline methods (paymentModule is "")
    paymentMethod: str(o.paymentMethod) ?? str(o.paymentModule),
    customerName: billing?.name ?? shipping?.name ?? null,
    companyName,
    isCompany: companyName !== null,
    billing,
    shipping,
    lines: (o.items ?? []).map(mapOrderLine),
    externalReference: str(o.externalOrderId),
    createdAt: date(o.createDate, o.createTimestamp),
    updatedAt: date(o.updateDate, o.updateTimestamp),
  };
}

/** One order line for an Ecwid create; product ids are the Ecwid ids the flow resolved (by SKU). */
export interface EcwidOrderLineRefs {
  productId?: number;
  combinationId?: number;
}

export interface EcwidOrderCreateOptions {
  paymentStatus: EcwidPaymentStatus;
  fulfillmentStatus?: EcwidFulfillmentStatus;
  /** per line, in the order of `order.lines` */
  lineRefs?: EcwidOrderLineRefs[];
  /** our reference in Ecwid (§8.3 externalOrderId), so a timed-out create can be found again */
  externalOrderId?: string;
  paymentMethod?: string;
  customerId?: number;
  /** true: the order is fulfilled elsewhere (e.g. a POS sale); the Ecwid admin hides fulfilment controls */
  externalFulfillment?: boolean;
  /** default true: the shop's customers are not e-mailed about orders the gateway books */
  disableAllCustomerNotifications?: boolean;
  privateAdminNotes?: string;
}

/**
 * An order create body (§8.6). Ecwid's create calculates nothing: totals, tax and shipping are
 * stored as sent. Stock moves only when the order is PAID, items carry valid product ids and the
 * body carries the customer's e-mail or id (§8.6/§8.7) — the flow sets `lineRefs` for that.
 */
export function toEcwidOrderCreate(order: Order, opts: EcwidOrderCreateOptions): EcwidOrderWrite {
  const items: EcwidOrderItem[] = order.lines.map((l, i) => {
    const refs = opts.lineRefs?.[i] ?? {};
    const item: EcwidOrderItem = {
      name: l.name,
      quantity: toNumber(l.quantity),
      price: toNumber(l.unitPrice),
    };
    if (l.sku) item.sku = l.sku;
    if (refs.productId) item.productId = refs.productId;
    if (refs.combinationId) item.combinationId = refs.combinationId;
    if (l.options.length > 0)
      item.selectedOptions = l.options.map((o) => ({ name: o.name, type: "CHOICE", value: o.value }));
    if (l.taxRate !== null)
      item.taxes = [{ name: "VAT", value: toNumber(l.taxRate), includeInPrice: order.pricesIncludeTax }];
    return item;
  });
  const w: EcwidOrderWrite = {
    email: order.email ?? "",
    paymentStatus: opts.paymentStatus,
    fulfillmentStatus: opts.fulfillmentStatus ?? "AWAITING_PROCESSING",
    subtotal: toNumber(order.subtotal),
    total: toNumber(order.total),
    tax: toNumber(order.tax),
    pricesIncludeTax: order.pricesIncludeTax,
    items,
    disableAllCustomerNotifications: opts.disableAllCustomerNotifications ?? true,
  };
  if (dec(order.discountTotal).gt(0)) w.discount = toNumber(order.discountTotal);
  if (order.createdAt) w.createDate = formatEcwidDate(order.createdAt);
  if (opts.paymentMethod ?? order.paymentMethod)
    w.paymentMethod = (opts.paymentMethod ?? order.paymentMethod) as string;
  if (opts.customerId) w.customerId = opts.customerId;
  if (order.billing) w.billingPerson = toEcwidPerson(order.billing);
  if (order.shipping) w.shippingPerson = toEcwidPerson(order.shipping);
  if (order.shippingMethod || dec(order.shippingCost).gt(0)) {
    w.shippingOption = {
      shippingMethodName: order.shippingMethod ?? "Shipping",
      shippingRate: toNumber(order.shippingCost),
    };
  }
  if (order.isCompany) w.b2b_b2c = "b2b";
  if (opts.externalOrderId) w.externalOrderId = opts.externalOrderId;
  if (opts.externalFulfillment !== undefined) w.externalFulfillment = opts.externalFulfillment;
  if (opts.privateAdminNotes) w.privateAdminNotes = opts.privateAdminNotes;
  return w;
}
