/**
 * Ecwid REST v3 wire shapes (reference §2–§10), exactly as Ecwid spells them. Ecwid omits many
 * empty optional fields (`quantity` when unlimited, inherited variation fields, `compareToPrice`
 * when unset), so almost everything is optional: missing means "not set / inherited" (§12).
 * Vendor field names appear nowhere outside src/connectors/ecwid (ARCHITECTURE §5).
 */

/** "yyyy-MM-dd HH:mm:ss Z", e.g. "2024-09-04 07:20:11 +0000" (§13) */
export type EcwidDateString = string;
/** { "<iso639-1>": "<text>" } (§5) */
export type EcwidTranslations = Record<string, string>;

// ------------------------------------------------------------------ envelopes and results

/** §2.1: every paged search answer. */
export interface EcwidPage<T> {
  total: number;
  count: number;
  offset: number;
  limit: number;
  items: T[];
}

/** §2.1: customers add the number of unique customers of the store. */
export interface EcwidCustomerPage extends EcwidPage<EcwidCustomer> {
  allCustomerCount?: number;
}

export interface EcwidCreateResult {
  id: number;
}
export interface EcwidUpdateResult {
  updateCount: number;
}
export interface EcwidDeleteResult {
  deleteCount: number;
}
/** §6.6: `warning` = "Product has negative stock." when the result went below zero. */
export interface EcwidInventoryResult {
  updateCount: number;
  warning?: string;
}
/** §8.6: numeric internal `id` (deprecated) plus the string `orderId`; one docs example spells it `orderid`. */
export interface EcwidOrderCreateResult {
  id: number;
  orderId: string;
}

/** §3.1: `errorCode` is often absent; pre-2019 batch bodies used snake_case. */
export interface EcwidErrorBody {
  errorMessage?: string;
  errorCode?: string;
  args?: Record<string, string>;
  error_message?: string;
}

// ------------------------------------------------------------------ shared value objects

/** §5 PersonInfo: order billing/shipping person, customer billing person. */
export interface EcwidPerson {
  name?: string;
  firstName?: string;
  lastName?: string;
  companyName?: string;
  /** line 1 and line 2 joined with "\n" */
  street?: string;
  city?: string;
  countryCode?: string;
  /** output only */
  countryName?: string;
  postalCode?: string;
  stateOrProvinceCode?: string;
  /** output only */
  stateOrProvinceName?: string;
  phone?: string;
}

export interface EcwidDimensions {
  length?: number;
  width?: number;
  height?: number;
}

export interface EcwidWholesalePrice {
  quantity: number;
  price: number;
}

// ------------------------------------------------------------------ catalogue (§6, §7)

/** §6.2 `tax`; there is no `defaultTaxes` field. */
export interface EcwidProductTax {
  taxable?: boolean;
  /** output only */
  defaultLocationIncludedTaxRate?: number;
  /** ids of `taxSettings.taxes[]` */
  enabledManualTaxes?: number[];
  taxClassCode?: string;
}

/** §6.5 attribute value as read. */
export interface EcwidAttributeValue {
  id: number;
  name?: string;
  nameTranslated?: EcwidTranslations;
  value: string;
  valueTranslated?: EcwidTranslations;
  /** CUSTOM, UPC, BRAND, GENDER, AGE_GROUP, COLOR, SIZE, PRICE_PER_UNIT, UNITS_IN_PRODUCT, EXTERNAL_*, … */
  type?: string;
  /** NOTSHOW, DESCR, PRICE */
  show?: string;
}

/** §6.5 attribute value as written: by id or by alias (UPC, BRAND, PRICE_PER_UNIT, UNITS_IN_PRODUCT). */
export type EcwidAttributeWrite = { id: number; value: string } | { alias: string; value: string };

export type EcwidOptionType =
  "SELECT" | "RADIO" | "CHECKBOX" | "TEXTFIELD" | "TEXTAREA" | "DATE" | "FILES" | "SIZE" | "SWATCHES";

export interface EcwidOptionChoice {
  text: string;
  textTranslated?: EcwidTranslations;
  /** default 0; may be negative */
  priceModifier?: number;
  /** default ABSOLUTE */
  priceModifierType?: "ABSOLUTE" | "PERCENT";
  hexCodes?: string[];
  imageId?: string;
}

/** §6.3 */
export interface EcwidProductOption {
  type: EcwidOptionType;
  name: string;
  nameTranslated?: EcwidTranslations;
  /** only for choice-based types */
  choices?: EcwidOptionChoice[];
  defaultChoice?: number | null;
  required?: boolean;
  useImageAsSwatchSelector?: boolean;
}

export interface EcwidVariationOption {
  name: string;
  nameTranslated?: EcwidTranslations;
  value: string;
  valueTranslated?: EcwidTranslations;
}

/** §6.4 variation ("combination"). Omitted fields are inherited from the product. */
export interface EcwidVariation {
  id: number;
  combinationNumber?: number;
  options: EcwidVariationOption[];
  /** omitted ⇒ inherits the product SKU and shares the product's stock */
  sku?: string;
  /** omitted when unlimited (or inherited) */
  quantity?: number;
  unlimited?: boolean;
  inStock?: boolean;
  price?: number;
  compareToPrice?: number;
  costPrice?: number;
  wholesalePrices?: EcwidWholesalePrice[];
  weight?: number;
  dimensions?: EcwidDimensions;
  warningLimit?: number;
  attributes?: EcwidAttributeValue[];
  defaultDisplayedPrice?: number;
  defaultDisplayedPriceFormatted?: string;
  thumbnailUrl?: string;
  imageUrl?: string;
  smallThumbnailUrl?: string;
  hdThumbnailUrl?: string;
  originalImageUrl?: string;
  alt?: unknown;
  isShippingRequired?: boolean;
  outOfStockVisibilityBehaviour?: "SHOW" | "HIDE" | "ALLOW_PREORDER";
  minPurchaseQuantity?: number;
  maxPurchaseQuantity?: number;
  externalReferenceId?: string;
  locationInventory?: Record<string, number>;
}

/** What a variation create/update sends (§6.4, §14.2). */
export interface EcwidVariationWrite {
  options?: EcwidVariationOption[];
  sku?: string;
  quantity?: number;
  unlimited?: boolean;
  price?: number;
  compareToPrice?: number;
  costPrice?: number;
  wholesalePrices?: EcwidWholesalePrice[];
  weight?: number;
  dimensions?: EcwidDimensions;
  warningLimit?: number;
  attributes?: EcwidAttributeWrite[];
  isShippingRequired?: boolean;
  outOfStockVisibilityBehaviour?: "SHOW" | "HIDE" | "ALLOW_PREORDER";
  externalReferenceId?: string;
}

/** §6.2 media image; `id` is a string ("0", "1", …). */
export interface EcwidMediaImage {
  id: string;
  isMain?: boolean;
  orderBy?: number;
  alt?: unknown;
  image160pxUrl?: string;
  image400pxUrl?: string;
  image800pxUrl?: string;
  image1500pxUrl?: string;
  imageOriginalUrl?: string;
}

export interface EcwidGalleryImage {
  id: number;
  url?: string;
  thumbnail?: string;
  originalImageUrl?: string;
  imageUrl?: string;
  hdThumbnailUrl?: string;
  thumbnailUrl?: string;
  smallThumbnailUrl?: string;
  width?: number;
  height?: number;
  orderBy?: number;
  alt?: unknown;
}

export interface EcwidProductShipping {
  type?: "GLOBAL_METHODS" | "SELECTED_METHODS" | "FLAT_RATE" | "FREE_SHIPPING";
  methodMarkup?: number;
  flatRate?: number;
  disabledMethods?: string[];
  enabledMethods?: string[];
}

/** §6.2 product as read. */
export interface EcwidProduct {
  id: number;
  sku?: string;
  name: string;
  nameTranslated?: EcwidTranslations;
  description?: string;
  descriptionTranslated?: EcwidTranslations;
  subtitle?: string;
  price?: number;
  priceInProductList?: number;
  defaultDisplayedPrice?: number;
  defaultDisplayedPriceFormatted?: string;
  costPrice?: number;
  compareToPrice?: number;
  wholesalePrices?: EcwidWholesalePrice[];
  /** omitted when `unlimited` is true; may be negative */
  quantity?: number;
  unlimited?: boolean;
  inStock?: boolean;
  warningLimit?: number;
  outOfStockVisibilityBehaviour?: "SHOW" | "HIDE" | "ALLOW_PREORDER";
  locationInventory?: Record<string, number>;
  enabled?: boolean;
  isShippingRequired?: boolean;
  weight?: number;
  dimensions?: EcwidDimensions;
  shipping?: EcwidProductShipping;
  fixedShippingRateOnly?: boolean;
  fixedShippingRate?: number;
  hasFreeShipping?: boolean;
  tax?: EcwidProductTax;
  categoryIds?: number[];
  categories?: { id: number; enabled?: boolean; name?: string; nameTranslated?: EcwidTranslations }[];
  defaultCategoryId?: number;
  showOnFrontpage?: number;
  productClassId?: number;
  attributes?: EcwidAttributeValue[];
  options?: EcwidProductOption[];
  combinations?: EcwidVariation[];
  defaultCombinationId?: number;
  media?: { images?: EcwidMediaImage[]; videos?: unknown[] };
  galleryImages?: EcwidGalleryImage[];
  thumbnailUrl?: string;
  imageUrl?: string;
  smallThumbnailUrl?: string;
  hdThumbnailUrl?: string;
  originalImageUrl?: string;
  files?: { id: number; name?: string; description?: string; size?: number; adminUrl?: string }[];
  relatedProducts?: {
    productIds?: number[];
    relatedCategory?: { enabled?: boolean; categoryId?: number; productCount?: number };
  };
  url?: string;
  autogeneratedSlug?: string;
  customSlug?: string;
  seoTitle?: string;
  seoDescription?: string;
  created?: EcwidDateString;
  updated?: EcwidDateString;
  createTimestamp?: number;
  updateTimestamp?: number;
  externalReferenceId?: string;
  isSampleProduct?: boolean;
  isGiftCard?: boolean;
  discountsAllowed?: boolean;
  minPurchaseQuantity?: number;
  maxPurchaseQuantity?: number;
}

/** §6.2 writable product fields (create and partial update). */
export interface EcwidProductWrite {
  sku?: string;
  name?: string;
  nameTranslated?: EcwidTranslations;
  description?: string;
  descriptionTranslated?: EcwidTranslations;
  subtitle?: string;
  price?: number;
  costPrice?: number;
  compareToPrice?: number;
  wholesalePrices?: EcwidWholesalePrice[];
  quantity?: number;
  unlimited?: boolean;
  warningLimit?: number;
  enabled?: boolean;
  isShippingRequired?: boolean;
  weight?: number;
  dimensions?: EcwidDimensions;
  shipping?: EcwidProductShipping;
  tax?: Pick<EcwidProductTax, "taxable" | "enabledManualTaxes" | "taxClassCode">;
  categoryIds?: number[];
  defaultCategoryId?: number;
  showOnFrontpage?: number;
  productClassId?: number;
  attributes?: EcwidAttributeWrite[];
  options?: EcwidProductOption[];
  /** stored only with `saveCombinations=true` */
  combinations?: EcwidVariationWrite[];
  seoTitle?: string;
  seoDescription?: string;
  customSlug?: string;
  externalReferenceId?: string;
}

/** §7 category. `productIds`/`enabledProductCount` only with `?productIds=true`. */
export interface EcwidCategory {
  id: number;
  /** absent or 0 for a root category */
  parentId?: number;
  orderBy?: number;
  name: string;
  nameTranslated?: EcwidTranslations;
  description?: string;
  descriptionTranslated?: EcwidTranslations;
  enabled?: boolean;
  productIds?: number[];
  productCount?: number;
  productCountWithoutSubcategories?: number;
  enabledProductCount?: number;
  url?: string;
  autogeneratedSlug?: string;
  customSlug?: string;
  hdThumbnailUrl?: string;
  thumbnailUrl?: string;
  imageUrl?: string;
  originalImageUrl?: string;
  seoTitle?: string;
  seoDescription?: string;
  externalReferenceId?: string;
  isSampleCategory?: boolean;
}

export interface EcwidCategoryWrite {
  name?: string;
  nameTranslated?: EcwidTranslations;
  parentId?: number;
  orderBy?: number;
  description?: string;
  descriptionTranslated?: EcwidTranslations;
  enabled?: boolean;
  productIds?: number[];
  seoTitle?: string;
  seoDescription?: string;
  customSlug?: string;
  externalReferenceId?: string;
}

// ------------------------------------------------------------------ orders (§8)

export type EcwidPaymentStatus =
  | "AWAITING_PAYMENT"
  | "PAID"
  | "CANCELLED"
  | "REFUNDED"
  | "PARTIALLY_REFUNDED"
  | "INCOMPLETE"
  | "CUSTOM_PAYMENT_STATUS_1"
  | "CUSTOM_PAYMENT_STATUS_2"
  | "CUSTOM_PAYMENT_STATUS_3";

export type EcwidFulfillmentStatus =
  | "AWAITING_PROCESSING"
  | "PROCESSING"
  | "SHIPPED"
  | "DELIVERED"
  | "WILL_NOT_DELIVER"
  | "RETURNED"
  | "READY_FOR_PICKUP"
  | "OUT_FOR_DELIVERY"
  | "CUSTOM_FULFILLMENT_STATUS_1"
  | "CUSTOM_FULFILLMENT_STATUS_2"
  | "CUSTOM_FULFILLMENT_STATUS_3";

/** §8.4 selectedOptions[] */
export interface EcwidSelectedOption {
  name: string;
  nameTranslated?: EcwidTranslations;
  /** CHOICE, CHOICES, TEXT, DATE, FILES, SWATCH_CHOICE */
  type?: string;
  /** CHOICES: comma-joined */
  value?: string;
  valuesArray?: string[];
  valueTranslated?: EcwidTranslations;
  selections?: {
    selectionTitle: string;
    selectionModifier?: number;
    selectionModifierType?: "PERCENT" | "ABSOLUTE";
  }[];
  files?: { id: number; name?: string; size?: number; url?: string }[];
}

/** §8.4 taxes[] */
export interface EcwidItemTax {
  name?: string;
  /** percent */
  value?: number;
  total?: number;
  taxOnDiscountedSubtotal?: number;
  taxOnShipping?: number;
  taxOnHandlingFee?: number;
  includeInPrice?: boolean;
  sourceTaxRateId?: number;
  sourceTaxRateType?: "AUTO" | "MANUAL" | "CUSTOM" | "LEGACY";
  taxType?: string;
  taxClassCode?: string;
  taxClassName?: string;
}

export interface EcwidDiscountInfo {
  id?: number;
  value?: number;
  type?: "ABS" | "PERCENT" | "FIXED_PRICE";
  base?:
    "ON_TOTAL" | "ON_MEMBERSHIP" | "ON_TOTAL_AND_MEMBERSHIP" | "SUBTOTAL" | "ITEM" | "SHIPPING" | "CUSTOM";
  orderTotal?: number;
  description?: string;
  appliesToProducts?: number[];
  appliesToItems?: number[];
  membershipId?: number;
}

/** §8.4 order item */
export interface EcwidOrderItem {
  id?: number;
  productId?: number;
  combinationId?: number;
  categoryId?: number;
  sku?: string;
  name?: string;
  nameTranslated?: EcwidTranslations;
  shortDescription?: string;
  quantity: number;
  price?: number;
  productPrice?: number;
  priceWithoutTax?: number;
  costPrice?: number;
  tax?: number;
  shipping?: number;
  handlingFee?: number;
  couponAmount?: number;
  fixedShippingRate?: number;
  /** stock before the order was placed */
  quantityInStock?: number;
  weight?: number;
  dimensions?: EcwidDimensions;
  isShippingRequired?: boolean;
  trackQuantity?: boolean;
  fixedShippingRateOnly?: boolean;
  digital?: boolean;
  productAvailable?: boolean;
  couponApplied?: boolean;
  giftCard?: boolean;
  isPreorder?: boolean;
  taxable?: boolean;
  discountsAllowed?: boolean;
  imageUrl?: string;
  smallThumbnailUrl?: string;
  hdThumbnailUrl?: string;
  selectedOptions?: EcwidSelectedOption[];
  taxes?: EcwidItemTax[];
  discounts?: { discountInfo?: EcwidDiscountInfo; total?: number }[];
  attributes?: { name: string; value: string }[];
  externalReferenceId?: string;
  taxClassCode?: string;
}

/** §8.3 shippingOption */
export interface EcwidShippingOption {
  shippingMethodId?: string;
  shippingCarrierName?: string;
  shippingMethodName?: string;
  shippingRate?: number;
  shippingRateWithoutTax?: number;
  discountedShippingRate?: number;
  estimatedTransitTime?: string;
  isPickup?: boolean;
  pickupInstruction?: string;
  /** [JAVA] enum upper case; docs show lower case */
  fulfillmentType?: string;
  locationId?: string;
  timeSlotLengthInMinutes?: number;
  scheduled?: boolean;
}

/** §8.3 order as read. */
export interface EcwidOrder {
  /** the public string id, e.g. "K8XTQ" (may carry the store prefix/suffix) */
  id: string;
  internalId?: number;
  /** legacy; equals internalId in current stores */
  orderNumber?: number;
  vendorOrderNumber?: string;
  publicUid?: string;
  email?: string;
  paymentStatus?: EcwidPaymentStatus;
  fulfillmentStatus?: EcwidFulfillmentStatus;
  paymentMethod?: string;
  paymentModule?: string;
  paymentParams?: Record<string, string>;
  additionalInfo?: Record<string, string>;
  paymentMessage?: string;
  paymentSubtype?: string;
  externalTransactionId?: string;
  paymentReference?: string;
  subtotal?: number;
  subtotalWithoutTax?: number;
  total?: number;
  totalWithoutTax?: number;
  usdTotal?: number;
  tax?: number;
  pricesIncludeTax?: boolean;
  customerTaxExempt?: boolean;
  customerTaxId?: string;
  customerTaxIdValid?: boolean;
  reversedTaxApplied?: boolean;
  b2b_b2c?: "b2b" | "b2c";
  discount?: number;
  couponDiscount?: number;
  volumeDiscount?: number;
  membershipBasedDiscount?: number;
  totalAndMembershipBasedDiscount?: number;
  customDiscount?: number[];
  discountInfo?: EcwidDiscountInfo[];
  discountCoupon?: {
    id?: number;
    name?: string;
    code?: string;
    discountType?: string;
    discount?: number;
    [k: string]: unknown;
  };
  customSurcharges?: {
    id?: string;
    value?: number;
    type?: "PERCENT" | "ABSOLUTE";
    total?: number;
    totalWithoutTax?: number;
    description?: string;
    taxable?: boolean;
  }[];
  customerId?: number;
  customerGroupId?: number;
  customerGroup?: string;
  acceptMarketing?: boolean | null;
  ipAddress?: string;
  refererUrl?: string;
  lang?: string;
  createDate?: EcwidDateString;
  updateDate?: EcwidDateString;
  createTimestamp?: number;
  updateTimestamp?: number;
  hidden?: boolean;
  items?: EcwidOrderItem[];
  billingPerson?: EcwidPerson;
  shippingPerson?: EcwidPerson;
  shippingOption?: EcwidShippingOption;
  handlingFee?: { name?: string; value?: number; valueWithoutTax?: number; description?: string };
  taxesOnShipping?: { name?: string; value?: number; total?: number }[] | null;
  predictedPackage?: {
    length?: number;
    width?: number;
    height?: number;
    weight?: number;
    declaredValue?: number;
  }[];
  trackingNumber?: string;
  trackingUrl?: string;
  refundedAmount?: number;
  refunds?: { date?: EcwidDateString; source?: string; reason?: string; amount?: number }[];
  orderComments?: string;
  privateAdminNotes?: string;
  extraFields?: Record<string, string>;
  orderExtraFields?: {
    id?: string;
    value?: string;
    customerInputType?: string;
    title?: string;
    orderDetailsDisplaySection?: string;
    orderBy?: string;
  }[];
  externalFulfillment?: boolean;
  externalOrderId?: string;
  disableAllCustomerNotifications?: boolean;
}

/** §8.6 order create / §8.5 partial update (items are replace-all when sent). */
export interface EcwidOrderWrite {
  email?: string;
  paymentStatus?: EcwidPaymentStatus;
  fulfillmentStatus?: EcwidFulfillmentStatus;
  paymentMethod?: string;
  paymentModule?: string;
  subtotal?: number;
  total?: number;
  tax?: number;
  pricesIncludeTax?: boolean;
  discount?: number;
  couponDiscount?: number;
  customerId?: number;
  b2b_b2c?: "b2b" | "b2c";
  customerTaxId?: string;
  createDate?: EcwidDateString;
  items?: EcwidOrderItem[];
  billingPerson?: EcwidPerson;
  shippingPerson?: EcwidPerson;
  shippingOption?: EcwidShippingOption;
  trackingNumber?: string;
  orderComments?: string;
  privateAdminNotes?: string;
  externalFulfillment?: boolean;
  externalOrderId?: string;
  externalTransactionId?: string;
  disableAllCustomerNotifications?: boolean;
  hidden?: boolean;
  acceptMarketing?: boolean;
}

// ------------------------------------------------------------------ customers (§9)

export interface EcwidShippingAddress extends EcwidPerson {
  id?: number;
  note?: string;
  createdDate?: EcwidDateString;
  defaultAddress?: boolean;
  orderBy?: number;
  addressFormatted?: string;
}

export interface EcwidCustomerContact {
  id?: number;
  contact: string;
  handle?: string;
  note?: string;
  type: string;
  default?: boolean;
  orderBy?: number;
  timestamp?: EcwidDateString;
}

export interface EcwidCustomer {
  id: number;
  email: string;
  /** = billingPerson.name */
  name?: string;
  /** registration datetime (not a boolean) */
  registered?: EcwidDateString;
  updated?: EcwidDateString;
  customerGroupId?: number;
  customerGroupName?: string;
  billingPerson?: EcwidPerson;
  shippingAddresses?: EcwidShippingAddress[];
  contacts?: EcwidCustomerContact[];
  taxId?: string;
  taxIdValid?: boolean;
  taxExempt?: boolean;
  b2b_b2c?: "b2b" | "b2c";
  fiscalCode?: string;
  acceptMarketing?: boolean | null;
  lang?: string;
  stats?: {
    numberOfOrders?: number;
    salesValue?: number;
    averageOrderValue?: number;
    firstOrderDate?: EcwidDateString;
    lastOrderDate?: EcwidDateString;
  };
  privateAdminNotes?: string;
  favorites?: { productId: number; addedTimestamp?: number }[];
  externalReferenceId?: string;
  /** search results only */
  totalOrderCount?: number;
}

export interface EcwidCustomerWrite {
  email?: string;
  billingPerson?: EcwidPerson;
  shippingAddresses?: Omit<
    EcwidShippingAddress,
    "countryName" | "stateOrProvinceName" | "addressFormatted"
  >[];
  contacts?: EcwidCustomerContact[];
  customerGroupId?: number;
  b2b_b2c?: "b2b" | "b2c";
  taxId?: string;
  taxIdValid?: boolean;
  taxExempt?: boolean;
  acceptMarketing?: boolean;
  lang?: string;
  privateAdminNotes?: string;
  externalReferenceId?: string;
}

// ------------------------------------------------------------------ store (§10)

export interface EcwidStoreTax {
  id: number;
  name?: string;
  enabled?: boolean;
  includeInPrice?: boolean;
  useShippingAddress?: boolean;
  taxShipping?: boolean;
  appliedByDefault?: boolean;
  /** percent */
  defaultTax?: number;
  rules?: { zoneId: string; tax: number }[];
}

/** §10.1, the parts the gateway reads. */
export interface EcwidStoreProfile {
  generalInfo?: {
    storeId?: number;
    storeUrl?: string;
    starterSite?: Record<string, unknown>;
    websitePlatform?: string;
  };
  account?: {
    accountName?: string;
    accountNickName?: string;
    accountEmail?: string;
    availableFeatures?: string[];
    suspended?: boolean;
  };
  settings?: { storeName?: string; storeDescription?: string; closed?: boolean; [k: string]: unknown };
  company?: {
    companyName?: string;
    email?: string;
    street?: string;
    city?: string;
    countryCode?: string;
    postalCode?: string;
    stateOrProvinceCode?: string;
    phone?: string;
  };
  formatsAndUnits?: {
    currency?: string;
    currencyPrefix?: string;
    currencySuffix?: string;
    currencyPrecision?: number;
    weightUnit?: string;
    dimensionsUnit?: string;
    timezone?: string;
    orderNumberPrefix?: string;
    orderNumberSuffix?: string;
    [k: string]: unknown;
  };
  languages?: { enabledLanguages?: string[]; defaultLanguage?: string };
  taxSettings?: {
    automaticTaxEnabled?: boolean;
    /** true = gross prices, false = net prices */
    pricesIncludeTax?: boolean;
    taxExemptBusiness?: boolean;
    taxOnShippingCalculationScheme?: string;
    taxes?: EcwidStoreTax[];
  };
  [k: string]: unknown;
}

/** §10.2: each a date string. */
export interface EcwidLatestStats {
  productsUpdated?: EcwidDateString;
  ordersUpdated?: EcwidDateString;
  profileUpdated?: EcwidDateString;
  categoriesUpdated?: EcwidDateString;
  discountCouponsUpdated?: EcwidDateString;
  abandonedSalesUpdated?: EcwidDateString;
  customersUpdated?: EcwidDateString;
  productCount?: number;
  categoryCount?: number;
}

/** §10.3 / §8.1 deleted-items entry; orders also carry the string `orderId`. */
export interface EcwidDeletedItem {
  id: number;
  orderId?: string;
  date: EcwidDateString;
}

// ------------------------------------------------------------------ batch (§4)

export interface EcwidBatchRequest {
  /** our correlation id, echoed in the response */
  id?: string;
  /** relative to /api/v3/{storeId}, may carry a query string, never a token */
  path: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  body?: unknown;
}

export type EcwidBatchStatus = "QUEUED" | "IN_PROGRESS" | "COMPLETED";
export type EcwidBatchItemStatus = "COMPLETED" | "FAILED" | "NOT_EXECUTED";

/** §4 one inner response as Ecwid sends it: `httpBody` or (escapedJson=true) `escapedHttpBody`. */
export interface EcwidBatchItemWire {
  id?: string;
  status: EcwidBatchItemStatus;
  httpBody?: unknown;
  escapedHttpBody?: string;
  httpStatusCode?: number;
  /** 2020 docs' spelling */
  httpCode?: number;
  httpStatusLine?: string;
}

export interface EcwidBatchStatusWire {
  status: EcwidBatchStatus;
  totalRequests?: number;
  completedRequests?: number;
  responses?: EcwidBatchItemWire[];
}

/** A batch response as the client returns it: one body form, parsed. */
export interface EcwidBatchResult {
  id?: string;
  status: EcwidBatchItemStatus;
  httpStatusCode: number;
  body: unknown;
}

/** §6.5 product class ("product type"); id 0 = General, present in every store */
export interface EcwidProductClass {
  id: number;
  name?: string;
  googleTaxonomy?: string;
  attributes?: {
    id: number;
    name: string;
    nameTranslated?: EcwidTranslations;
    type: string;
    show?: string;
  }[];
}
