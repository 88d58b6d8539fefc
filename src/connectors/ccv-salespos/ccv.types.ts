/**
 * CCV SalesPOS wire DTOs (reference §3–§5). Field names are the vendor's, copied exactly; they appear
 * nowhere outside this connector. Read shapes list what the gateway uses plus an index signature:
 * real responses carry undocumented keys (§5.6.1) that must be tolerated. Write shapes are closed:
 * the vendor validates bodies against JSON schemas.
 */

export interface CcvLink {
  href: string;
}

/** A sub-resource link; `collection` is present when the read asked for `expand=<name>` (§3.5). */
export interface CcvExpandable<T> {
  href: string;
  collection?: T[];
}

/** Paged collection (§3.1). `first/previous/next` are absolute URLs or null/absent. */
export interface CcvPage<T> {
  href: string;
  start?: number;
  size?: number;
  first?: string | null;
  previous?: string | null;
  next?: string | null;
  items: T[];
}

/** §4.2 error body */
export interface CcvErrorBody {
  code?: string;
  status?: number;
  developermessage?: string;
  [k: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Webshops, settings, packages, paymethods (§5.10, §5.12, §5.8)

export interface CcvWebshop {
  href: string;
  id: number;
  create_date?: string;
  name: string;
  is_multishop_system?: boolean;
  is_salespos?: boolean;
  product_limit?: number;
  product_limit_left?: number;
  api_root?: string;
  [k: string]: unknown;
}

export interface CcvOrderStatusSetting {
  id: number;
  status: number;
  status_name: string;
  text_color?: string;
  background_color?: string;
}

export interface CcvSettings {
  href?: string;
  webshop_enabled?: boolean;
  currency: string;
  default_vat_rat?: number;
  prices_include_vat: boolean;
  languages?: unknown[];
  stock?: boolean;
  ordering_without_stock?: boolean | string;
  order_status?: CcvOrderStatusSetting[];
  [k: string]: unknown;
}

export interface CcvPackage {
  href: string;
  id: number;
  name: string;
  [k: string]: unknown;
}

export interface CcvPaymethod {
  id: number;
  psp: string;
  method: string;
  combined_name: string;
  label: string;
  extra_costs?: boolean;
  extra_costs_fixed?: number;
  extra_costs_percentage?: number;
  [k: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Products (§5.1)

export interface CcvProduct {
  href: string;
  id: number;
  /** read name; the write name is `active` */
  is_active: boolean;
  createdate?: string;
  modifydate?: string;
  productnumber: string;
  eannumber: string;
  mpnnumber?: string;
  name: string;
  shortdescription?: string;
  description?: string | null;
  taxtariff?: string;
  vatrate?: number;
  price: number;
  discount: number;
  purchaseprice?: number;
  unit?: string | null;
  stockenabled?: boolean | null;
  stocktype?: string | null;
  stock?: number | null;
  stocklocation?: string;
  ordering_without_stock?: string | null;
  weight?: number;
  productmainphoto?: string | null;
  deeplink?: string;
  package?: { href: string; id: number } | null;
  attributecombinations?: CcvExpandable<CcvAttributeCombination>;
  producttocategories?: CcvExpandable<CcvProductToCategory>;
  productphotos?: CcvExpandable<CcvProductPhoto>;
  /** expanded: each group link carries the product's values in it (`values.collection`, §5.5) */
  producttopropertygroups?: CcvExpandable<CcvProductToPropertyGroup>;
  [k: string]: unknown;
}

/** POST /products — `name`, `price`, `discount`, `package_id` and one of `taxtariff`/`vatrate` are required. */
export interface CcvProductCreate {
  name: string;
  price: number;
  discount: number;
  package_id: number;
  taxtariff?: string;
  vatrate?: number;
  active?: boolean;
  productnumber?: string;
  eannumber?: string;
  mpnnumber?: string;
  shortdescription?: string;
  description?: string;
  purchaseprice?: number;
  unit?: string;
  stockenabled?: boolean;
  stock?: number;
  stocklocation?: string;
  weight?: number;
  brand_id?: number;
  supplier_id?: number;
}

/** PATCH /products/{id} — partial update */
export type CcvProductPatch = Partial<Omit<CcvProductCreate, "package_id">> & { package_id?: number };

export interface CcvProductFilter {
  productnumber?: string;
  eannumber?: string;
  mpnnumber?: string;
  productname?: string;
  /** true = only active, false = only inactive, omitted = both */
  active?: boolean;
  orderby?: string;
  expand?: CcvProductExpand[];
}

export type CcvProductExpand =
  | "attributecombinations"
  | "producttocategories"
  | "productphotos"
  | "producttopropertygroups"
  | "productattributesets";

/** GET /productqueries filters (§3.4): at least one; sku exists on combinations only, mpn on products only. */
export interface CcvProductQuery {
  productnumber?: string;
  eannumber?: string;
  mpnnumber?: string;
  skunumber?: string;
}

// ---------------------------------------------------------------------------------------------
// Categories (§5.3)

export interface CcvCategory {
  href: string;
  id: number;
  name: string;
  description?: string | null;
  position?: number | null;
  show_on_website?: boolean | null;
  deeplink?: string | null;
  parentcategory?: { id: number; href: string } | null;
  [k: string]: unknown;
}

export interface CcvCategoryCreate {
  name: string;
  description?: string;
  parentcategory_id?: number;
  position?: number;
  show_on_website?: boolean;
}
export type CcvCategoryPatch = Partial<CcvCategoryCreate>;

export interface CcvCategoryTreeNode {
  href: string;
  id: number;
  name: string;
  description?: string | null;
  position?: number | null;
  show_on_website?: boolean | null;
  deeplink?: string | null;
  children: CcvCategoryTreeNode[];
}

export interface CcvCategoryTree {
  href: string;
  root_categories: CcvCategoryTreeNode[];
}

/** §5.2 product photo as read */
export interface CcvProductPhoto {
  href: string;
  id: number;
  filename?: string;
  alttext?: string | null;
  is_mainphoto: boolean;
  /** the image URL */
  deeplink?: string;
  [k: string]: unknown;
}

/** §5.2 product photo as written: `source` is base64 without a `data:` prefix */
export interface CcvProductPhotoCreate {
  file_type: string;
  source: string;
  alttext?: string;
  is_mainphoto?: boolean;
}

export interface CcvProductToCategory {
  href: string;
  id: number;
  position?: number;
  product_id: number;
  category_id: number;
  product_href?: string;
  category_href?: string;
}

export interface CcvProductToCategoryCreate {
  product_id: number;
  category_id: number;
  position?: number;
}

// ---------------------------------------------------------------------------------------------
// Attributes, values, product attribute values, combinations (§5.4)

export interface CcvAttribute {
  href: string;
  id: number;
  name: string;
  type: string;
  attribute_values?: CcvLink;
  [k: string]: unknown;
}

export interface CcvAttributeCreate {
  name: string;
  type: string;
}

export interface CcvAttributeValue {
  href: string;
  id: number;
  name: string;
  default_price: number;
  attribute_id?: number;
  [k: string]: unknown;
}

export interface CcvAttributeValueCreate {
  name: string;
  default_price: number;
}

export interface CcvProductAttributeValue {
  href: string;
  id: number;
  /** attribute id */
  optionid: number;
  optionname: string;
  optionposition?: number;
  optionvalue_id: number;
  optionvalue_name: string;
  position?: number;
  price: number;
  enable?: boolean;
  [k: string]: unknown;
}

export interface CcvProductAttributeValueCreate {
  /** attributevalue id */
  optionvalue: number;
  /** extra price of this value for this product (may be negative) */
  price: number;
  position?: number;
  /** stock given to combinations generated as a result */
  stock?: number;
}

export interface CcvCombinationPart {
  attribute: { id: number; name: string; href?: string };
  attribute_value: { id: number; name: string; href?: string };
  extra_price: number;
}

export interface CcvAttributeCombination {
  href: string;
  id: number;
  note?: string;
  product_id: number;
  stock: number | null;
  netto_extra_price: number;
  ordering_without_stock?: string | null;
  product_number?: string | null;
  ean_number?: string | null;
  sku_number?: string | null;
  delivery_time?: number | null;
  delivery_time_type?: string | null;
  delivery_default_text?: string | null;
  active: boolean;
  combination: CcvCombinationPart[];
  [k: string]: unknown;
}

export interface CcvAttributeCombinationPatch {
  note?: string;
  stock?: number;
  product_number?: string;
  ean_number?: string;
  sku_number?: string;
  delivery_time?: number;
  delivery_time_type?: string;
  delivery_default_text?: string;
  active?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Product properties (features) (§5.5)

export interface CcvProductPropertyGroup {
  href: string;
  id: number;
  name: string;
  productproperties?: CcvLink;
  [k: string]: unknown;
}

export interface CcvProductProperty {
  href: string;
  id: number;
  parent?: number | null;
  name: string;
  description?: string | null;
  position?: number | null;
  type?: string | null;
  options?: CcvExpandable<CcvProductPropertyOption>;
  [k: string]: unknown;
}

export interface CcvProductPropertyCreate {
  name: string;
  parent?: number;
  description?: string;
  position?: number;
  type?: string;
}

export interface CcvProductPropertyOption {
  href: string;
  id: number;
  name: string;
  position?: number | null;
}

export interface CcvProductToPropertyGroup {
  href: string;
  id: number;
  product_id: number;
  product_property_group_id: number;
  values?: CcvExpandable<CcvProductPropertyValue>;
  [k: string]: unknown;
}

export interface CcvProductPropertyValue {
  href: string;
  id: number;
  product_id: number;
  product_property_id: number;
  /** boolean for checkbox properties, an option id for option properties, else a string */
  value: boolean | number | string;
}

export interface CcvProductPropertyValueCreate {
  product_id: number;
  product_property_id: number;
  value: boolean | number | string;
}

// ---------------------------------------------------------------------------------------------
// Personalinfo (order `customer`, user `userinfo`) (§5.7)

export interface CcvAddress {
  gender?: string | null;
  initials?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  company?: string | null;
  address_line_1?: string | null;
  address_line_2?: string | null;
  street?: string | null;
  housenumber?: number | null;
  housenumber_suffix?: string | null;
  zipcode?: string | null;
  city?: string | null;
  province?: string | null;
  country?: string | null;
  country_code?: string | null;
  telephone?: string | null;
  fax?: string | null;
  mobile?: string | null;
  comment?: string | null;
  full_name?: string | null;
}

export type CcvCustomerType = "b2b" | "b2c";

export interface CcvPersonalinfo {
  email?: string | null;
  customertype?: CcvCustomerType | null;
  billingaddress?: CcvAddress | null;
  deliveryaddress?: CcvAddress | null;
  btw?: string | null;
  kvk?: string | null;
  reference?: string | null;
  reservationnumber?: string | null;
  [k: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Orders and order rows (§5.6)

export interface CcvOrderRowAttribute {
  href?: string;
  id?: number;
  option_name: string;
  value_name: string;
  price: number;
}

export interface CcvOrderRow {
  href: string;
  id: number;
  order_id: number;
  product_type?: string;
  product_name: string;
  product_number?: string | null;
  sub_product_number?: string | null;
  sub_sku_number?: string | null;
  sub_ean_number?: string | null;
  product_id?: number | null;
  count: number;
  price: number;
  discount: number;
  tax: number;
  unit?: string | null;
  weight?: number;
  package_id?: number | null;
  original_price?: number;
  selling_price?: number;
  price_without_discount?: number;
  price_without_discount_with_attributes?: number;
  total_price: number;
  total_extra_option_price?: number;
  price_with_attributes?: number;
  total_price_with_attributes?: number;
  attributes?: CcvOrderRowAttribute[];
  [k: string]: unknown;
}

/** One row of POST /orders `orderrows` (§5.6.2). */
export interface CcvOrderRowInput {
  product_id?: number;
  attribute_combination_id?: number;
  count: number;
  product_type?: string;
  auto_create_deposit_rows?: boolean;
  product_name?: string;
  product_number?: string;
  price?: number;
  product_purchase_price?: number;
  discount?: number;
  tax?: number;
  unit?: string;
  memo?: string;
  weight?: number;
  /** required when product_id is absent */
  package_id?: number;
}

export interface CcvOrder {
  href: string;
  id: number;
  ordernumber_prefix?: string | null;
  ordernumber?: number | null;
  ordernumber_full?: string | null;
  invoicenumber?: number | null;
  transaction_id?: string | null;
  create_date: string;
  deliver_method?: string;
  deliver_date?: string | null;
  orderedinlng?: string;
  status?: number | null;
  is_completed?: boolean | null;
  paid: boolean;
  paymethod_id?: number;
  paymethod?: string;
  paymethod_label?: string;
  taxes_included?: boolean;
  order_row_taxes_included?: boolean;
  shipping_taxes_included?: boolean;
  total_orderrow_price: number;
  total_discounts?: number;
  total_price: number;
  total_tax: number;
  total_shipping: number;
  total_weight?: number;
  currency?: string;
  extra_costs?: number;
  paymethod_costs?: number;
  track_and_trace_code?: string | null;
  track_and_trace_carrier?: string | null;
  reservationnumber?: string | null;
  /** real payloads send the id as a string although the schema says integer (§5.6.1) */
  user?: { id?: number | string | null; href?: string; discount_percentage?: number } | null;
  customer: CcvPersonalinfo | null;
  orderrows?: CcvExpandable<CcvOrderRow>;
  [k: string]: unknown;
}

/** POST /orders (§5.6.2): `customer` and `orderrows` are required. */
export interface CcvOrderCreate {
  customer: CcvPersonalinfo;
  orderrows: CcvOrderRowInput[];
  is_completed?: boolean;
  paid?: boolean;
  status?: number;
  orderedinlng?: string;
  currency?: string;
  taxes_included?: boolean;
  order_row_taxes_included?: boolean;
  shipping_taxes_included?: boolean;
  total_shipping?: number;
  deliver_method?: string;
  deliver_date?: string;
  invoicenumber?: number;
  reservationnumber?: string;
  user_id?: number;
  extra_costs?: number;
  extra_costs_description?: string;
  paymethod_costs?: number;
  track_and_trace_code?: string;
  track_and_trace_carrier?: string;
  is_platform_sale?: boolean;
  is_intra_community_order?: boolean;
}

/** PATCH /orders/{id}: `orderrows` replaces all rows; `mail`/`note` notify the customer. */
export type CcvOrderPatch = Partial<
  Omit<CcvOrderCreate, "is_completed" | "user_id" | "customer" | "orderrows"> & {
    customer: CcvPersonalinfo;
    orderrows: CcvOrderRowInput[];
    note: string;
    mail: boolean;
    safety_deposit_returned: boolean;
  }
>;

export interface CcvOrderFilter {
  ordernumber?: number;
  status?: number;
  is_paid?: boolean;
  /** the API defaults to true (unfinished baskets hidden) */
  is_completed?: boolean;
  /** exact lower bound on create_date (the client widens the server filter and trims, see vendor facts) */
  min_create_date?: Date;
  max_create_date?: Date;
  paymethod_id?: number;
  transaction_id?: string;
  orderby?: string;
}

// ---------------------------------------------------------------------------------------------
// Users (customers) (§5.7)

export interface CcvUser {
  href: string;
  id: number;
  username: string;
  group_id?: number | null;
  status?: boolean;
  approval_status?: "pending" | "accepted";
  userinfo?: CcvPersonalinfo | null;
  [k: string]: unknown;
}

export interface CcvUserCreate {
  username: string;
  password: string;
  group_id?: number;
  status?: boolean;
  userinfo?: CcvPersonalinfo;
}

export interface CcvUserPatch {
  username?: string;
  group_id?: number;
  status?: boolean;
  approval_status?: "pending" | "accepted";
  userinfo?: CcvPersonalinfo;
}

// ---------------------------------------------------------------------------------------------
// Webhooks (§5.9)

export interface CcvWebhook {
  href: string;
  id: number;
  createdate?: string;
  event: string;
  address: string;
  /** secret bound to this webhook, used to verify deliveries */
  key: string;
  is_active: boolean;
  [k: string]: unknown;
}

export interface CcvWebhookCreate {
  event: string;
  address: string;
  is_active?: boolean;
}

export interface CcvWebhookPatch {
  address?: string;
  is_active?: boolean;
}
