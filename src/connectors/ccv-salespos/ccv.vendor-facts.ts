/**
 * Every CCV SalesPOS fact the connector (and the sandbox) depends on, in one place, with its evidence
 * mark (docs/vendors/ccv-salespos.md, whose sections the § numbers cite):
 *   [seen]     stated by an official CCV source or visible in a captured payload
 *   [3p]       seen only in third-party code
 *   [inferred] our deduction — change it here when the vendor proves otherwise
 *   [unknown]  looked for, not found — the value below is our working choice
 *   [sandbox]  a simulator invention (the real answer is unknown); the connector must not rely on it
 * Nothing else in the code base should hard-code one of these.
 */

/** §1.1 [seen] — appended to the shop host. */
export const CCV_API_PREFIX = "/api/rest/v1";

/** §1.2/§1.3 [seen] official SDK accept headers; the SalesPOS one selects SalesPOS schemas. */
export const CCV_ACCEPT_WEBSHOP = "application/vnd.verto.webshop+json";
export const CCV_ACCEPT_SALESPOS = "application/vnd.verto.salespos+json";

/** §2.1 [seen] the x-date must be within 5 minutes of the server clock. */
export const CCV_CLOCK_TOLERANCE_SECONDS = 300;

/** §3.2 [inferred] default page size when `size` is omitted (a client's example next link uses 25). */
export const CCV_DEFAULT_PAGE_SIZE = 25;
/** §3.2 [3p] largest page size known to work (a generated client clamps to 1..250). */
export const CCV_MAX_PAGE_SIZE = 250;

/**
 * §4.4 [seen] per-operation limits per minute: each method of each resource has its own budget.
 * A "lane" is `${METHOD} ${pathTemplate}` (see ccv.lanes.ts).
 */
export const CCV_RATE_LIMITS = {
  GET: 150,
  WRITE: 100,
  /** GET /productqueries only */
  PRODUCTQUERIES: 30,
} as const;

/** §4.4 [unknown] the total per-minute budget behind `429.11`; undefined = no number known. */
export const CCV_TOTAL_RATE_LIMIT: number | undefined = undefined;

/**
 * §4.4 [unknown] CCV sends no Retry-After or X-RateLimit-* header that anyone has seen; limits are
 * per-minute windows whose alignment is unknown, so after a 429 we wait a full minute (third-party
 * clients do the same).
 */
export const CCV_RATE_LIMIT_WAIT_MS = 60_000;

/** §4.3 [seen] vendor error codes the connector acts on (strings, "<status>.<sub>"). */
export const CCV_ERROR = {
  INVALID_RESOURCE_NAME: "404.20",
  METHOD_NOT_ALLOWED: "405.10",
  RATE_LIMIT_RESOURCE: "429.10",
  RATE_LIMIT_TOTAL: "429.11",
  RATE_LIMIT_UNKNOWN: "500.10",
  OUTPUT_SCHEMA_MISMATCH: "500.20",
  FILE_SIZE_EXCEEDED: "500.21",
  FILE_TYPE_NOT_VALID: "500.22",
  FILE_NOT_SAVED: "500.23",
  FILE_NOT_FOUND: "500.24",
  JSON_SCHEMA_NOT_FOUND: "500.25",
  PROPERTY_ALREADY_EXISTS: "500.40",
  SAME_VALUE: "500.50",
  PRODUCT_LIMIT_EXCEEDED: "500.60",
  METHOD_NOT_ALLOWED_ON_RESOURCE: "500.70",
  REQUESTED_PAYLOAD_TOO_BIG: "500.80",
  REQUIRED_APP_NOT_INSTALLED: "500.90",
  METHOD_NOT_IMPLEMENTED: "501.10",
  RESOURCE_NOT_IMPLEMENTED: "501.20",
  RESOURCE_READONLY: "501.30",
} as const;

/**
 * §2.1/§4.3 [sandbox] the status/code for a refused signature or stale x-date, and for a body that
 * fails validation, are unknown. The sandbox answers with these; the connector classifies by HTTP
 * status (401/403 → AUTH, 400 → VALIDATION) and never by these codes.
 */
export const CCV_SANDBOX_AUTH_ERROR = { status: 401, code: "401.10" } as const;
export const CCV_SANDBOX_VALIDATION_ERROR = { status: 400, code: "400.10" } as const;
/** [sandbox] an id that does not exist (the real code is unknown; the status 404 is what matters) */
export const CCV_SANDBOX_NOT_FOUND_ERROR = { status: 404, code: "404.10" } as const;

/** §5.1 [seen] product tax tariffs (official SDK constants); either this or `vatrate` on POST. */
export const CCV_TAX_TARIFFS = ["normal", "low a", "low b", "extra low", "zero"] as const;

/**
 * §5.1/§6 [unknown] literals of product `stocktype` (stock on the product or on its attribute
 * combinations). The connector never writes `stocktype` — an independent server could reject a
 * guessed literal — and reads it only as an opaque string. The sandbox uses these values.
 */
export const CCV_STOCKTYPE = { PRODUCT: "product", ATTRIBUTE_COMBINATIONS: "attributecombinations" } as const;

/** §5.1 [seen] default of `ordering_without_stock`; other literals [unknown]. */
export const CCV_ORDERING_WITHOUT_STOCK_DEFAULT = "global_setting";

/**
 * §5.4 [seen] the literal `option_menu_required` is the only attribute type seen in writing; it makes
 * an option menu (a variant axis) whose choice is required — what a webshop variant is.
 */
export const CCV_ATTRIBUTE_TYPE_OPTION_MENU = "option_menu_required";
/** §5.4 [inferred] attribute types that generate attribute combinations (option menus). */
export const CCV_COMBINATION_ATTRIBUTE_TYPES: readonly string[] = ["option_menu", "option_menu_required"];

/** §5.6.1 [seen] `shipping`; [inferred] `delivery` and `pickup` (take-out literals unknown). */
export const CCV_DELIVER_METHOD = { SHIPPING: "shipping", DELIVERY: "delivery", PICKUP: "pickup" } as const;

/** §5.6.3 [seen] order status codes. `status` is null for incomplete orders. */
export const CCV_ORDER_STATUS = {
  NEW: 1,
  IN_PROCESS: 2,
  WAIT_FOR_MANUFACTURER: 3,
  WAIT_FOR_PAYMENT: 4,
  SENT: 5,
  DELIVERED: 6,
  COMPLETED: 7,
  CANCELLED: 8,
  WAIT_FOR_SUPPLIER: 9,
  IS_BEING_PACKAGED: 10,
  READY_TO_BE_COLLECTED: 11,
  IS_BEING_ASSEMBLED: 12,
  BACKORDER: 13,
  RESERVED: 14,
} as const;
export const CCV_ORDER_STATUS_CODES: readonly number[] = Object.values(CCV_ORDER_STATUS);

/** §5.6.2 [seen] `product` is the only order-row product_type literal seen (deposit literals unknown). */
export const CCV_ORDER_ROW_PRODUCT_TYPE = "product";

/**
 * §3.4 [unknown] the format of the order `min_create_date`/`max_create_date` filters, and the time
 * zone they are read in. We send a date (`YYYY-MM-DD`) widened by one day on each side and filter
 * the exact range on `create_date` ourselves, which is correct whatever the server does with it.
 */
export const CCV_ORDER_DATE_FILTER_SLACK_DAYS = 1;

/** §5.9.2 [3p, consistent across three codebases] webhook event names; short forms are invalid. */
export const CCV_WEBHOOK_EVENTS = [
  "orders.created",
  "orders.updated.ispaid",
  "orders.updated.status",
  "orders.updated.trackandtrace",
  "orders.deleted",
  "invoices.updated.status",
  "products.created",
  "products.updated",
  "products.deleted",
  "categories.created",
  "categories.updated",
  "categories.deleted",
  "returns.created",
  "returns.updated",
  "returns.deleted",
] as const;
export type CcvWebhookEvent = (typeof CCV_WEBHOOK_EVENTS)[number];

/**
 * §5.9.4 [inferred] webhook signature: by analogy with CCV's App Store calls,
 * `x-hash = hex(HMAC_SHA512(key, "<address>|<raw body>"))`. Only ccv.webhooks.ts applies it.
 * [inferred] CCV signs every delivery of a webhook that has a `key` (§5.9.1: the key exists "to
 * calculate a hash"), so the gateway refuses a delivery without a valid hash for every webhook it
 * registered and holds the key of (401; nothing stored). If the real scheme differs, deliveries are
 * refused and the scheduled runs still pick every change up: a missed trigger, never a forged one.
 */
export const CCV_WEBHOOK_SIGNATURE = {
  header: "x-hash",
  algorithm: "sha512",
  separator: "|",
} as const;

/**
 * §5.7 [seen] users need `username` + `password` on POST; the password policy is [unknown]. The
 * connector uses the e-mail as username and a long random password with every character class.
 */
export const CCV_USER_PASSWORD_LENGTH = 32;

/** §5.6.1 [seen] booleans in queries: `true/false` and `1/0` both work; we send `true/false`. */
export const CCV_QUERY_TRUE = "true";
export const CCV_QUERY_FALSE = "false";

// ---------------------------------------------------------------------------------------------
// Order-booking facts the order flows rely on (ORDERS_ECWID_TO_CCV). One place to change them.

/** §5.10 [inferred] a shop whose settings do not state `prices_include_vat` is taken as gross: SalesPOS sells at consumer prices. */
export const CCV_PRICES_INCLUDE_VAT_WHEN_UNSET = true;

/**
 * §5.6.2 [inferred] row prices are stored with at least 4 decimals: per-unit discounts that do not
 * divide in cents (1.00 over 3 units) stay exact to the cent for a line.
 */
export const CCV_ROW_PRICE_DECIMALS = 4;

/**
 * §5.4/§5.6.2 [inferred] a row with `attribute_combination_id` and its own `price` gets the
 * combination's `netto_extra_price` added on top by CCV, so the flow sends price − extra.
 */
export const CCV_ROW_PRICE_ADDS_COMBINATION_EXTRA = true;

/**
 * §5.6.1 [inferred] how CCV rounds VAT on net rows is not documented: the flow assumes the VAT of
 * all rows is summed and rounded once per order (see ecwid-to-ccv-money.ts), and that
 * `extra_costs` are added to the total untaxed.
 */
export const CCV_NET_VAT_ROUNDING = "per-order" as const;

/**
 * §5.6.1 [inferred] an order created through the API gets a `create_date` no earlier than the
 * source order's own date; looking an order up by our reference starts this long before it.
 */
export const CCV_ORDER_REFERENCE_LOOKBACK_MS = 24 * 3600_000;

// ---------------------------------------------------------------------------------------------
// GET /productqueries and the catalogue index (§3.4, §3.3). One place to change them.

/**
 * §3.4 [unknown] the shape of a `GET /productqueries` item. Three shapes are plausible and all are
 * accepted, told apart by the fields present:
 *   - "combination": an attribute-combination resource — its own `id` and a numeric `product_id`
 *     (the `id` is a combination id: never use it as a product id);
 *   - "product": a product resource — `productnumber` or `name`, no `product_id` — with its
 *     matching combinations embedded in `attributecombinations.collection`, or without them (then
 *     they are read from `/products/{product id}/attributecombinations`).
 * An item with neither marker is ignored. The sandbox answers either shape (its
 * `productQueryItems` option; default: products with the matching combinations embedded).
 */
export type CcvProductQueryItemKind = "product" | "combination";
export function ccvProductQueryItemKind(item: unknown): CcvProductQueryItemKind | null {
  if (!item || typeof item !== "object") return null;
  const r = item as Record<string, unknown>;
  if (typeof r.id !== "number") return null;
  if (typeof r.product_id === "number") return "combination";
  if (typeof r.productnumber === "string" || typeof r.name === "string") return "product";
  return null;
}

/**
 * §3.3 [unknown] whether PATCHing an attribute combination (its SKU, EAN, stock) moves its
 * product's `modifydate`. We assume it does NOT: the incremental catalogue refresh
 * (`orderby=modifydate_desc` until an unchanged record) can then miss a combination edited in the
 * back office, which the flows' own notes and the periodic full reconcile put right.
 */
export const CCV_COMBINATION_EDIT_MOVES_PRODUCT_MODIFYDATE = false;

/**
 * §3.3 [inferred] `modifydate` has whole seconds and comes from CCV's clock (which may be off ours
 * by up to the x-date tolerance): the incremental catalogue refresh treats a product as settled
 * only when its stamp is this much older than the previous refresh began.
 */
export const CCV_MODIFYDATE_SLACK_MS = CCV_CLOCK_TOLERANCE_SECONDS * 1000;

/**
 * §3.3/§5.3/§5.5 [unknown] whether adding or removing a product↔category link
 * (`producttocategories`) or creating, changing or deleting a product property value
 * (`productpropertyvalues`) moves the product's `modifydate` or fires `products.updated`. We assume
 * it does neither (the sandbox behaves so): PRODUCTS_CCV_TO_ECWID then cannot find such a change by
 * its incremental read (`orderby=modifydate_desc`) or a webhook, and runs a budgeted full reconcile
 * (a share of the catalogue per run) comparing each linked product's fingerprint, which covers the
 * category links and property values. Were it true (and combination edits too,
 * CCV_COMBINATION_EDIT_MOVES_PRODUCT_MODIFYDATE), the reconcile could be left out.
 */
export const CCV_PRODUCT_LINK_EDIT_MOVES_MODIFYDATE = false;

/**
 * §3.5/§5.5 [inferred] a product read with `expand=producttopropertygroups` carries each group link
 * with its values embedded (`values.collection`), as `GET /products/{id}/producttopropertygroups`
 * does [seen]. If CCV gives only the link (`values: {href}`), the product fingerprint would not see
 * property values: set this to false and the flows read the group links of each product separately.
 */
export const CCV_EXPANDED_PROPERTY_GROUPS_CARRY_VALUES = true;

/**
 * §5.2 [inferred] a product photo keeps its file URL (`deeplink`) for as long as it is not replaced,
 * and a new photo gets a new one. PRODUCTS_CCV_TO_ECWID recognises the photos
 * PRODUCTS_ECWID_TO_CCV wrote by those URLs (no download, never uploaded back). Were it false,
 * such a photo would be fetched and compared by content instead, and could be uploaded back once.
 */
export const CCV_PHOTO_DEEPLINKS_STABLE = true;
