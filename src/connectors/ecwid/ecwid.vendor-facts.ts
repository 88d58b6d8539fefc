/**
 * Every Ecwid fact the connector (and the sandbox) depends on that is either [INFERRED] or easy to
 * get wrong, in one place, each citing its section of docs/vendors/ecwid.md. When a real
 * store proves one wrong, change it here.
 *
 * Marks: "doc" = documented by an official source; "INFERRED" = a guess or a behaviour we chose
 * where the sources are silent.
 */

/** doc §1.1: store-scoped base; the client appends `/{storeId}/…`. */
export const ECWID_DEFAULT_API_BASE_URL = "https://app.ecwid.com/api/v3";

/** doc §3.3: 600 requests per minute per token (older 800/min per store is superseded). */
export const ECWID_RATE_LIMIT_PER_MINUTE = 600;

/**
 * §3.3: how long to wait after a 429 that carries no Retry-After. Ecwid's own Java client waits
 * 10 s; the API docs state no default. INFERRED.
 */
export const ECWID_DEFAULT_RETRY_AFTER_MS = 10_000;

/** doc §2.1: default and maximum `limit` of every paged search. */
export const ECWID_PAGE_LIMIT = 100;

/**
 * §2.2 / §2.3: how many ids one `productId` / `ids` csv may carry. Not documented; one page worth
 * keeps each answer inside a single page. INFERRED.
 */
export const ECWID_IDS_PER_REQUEST = 100;

/**
 * §2.3: without a `paymentStatus` filter Ecwid hides unfinished (INCOMPLETE) orders (doc [DOC20]).
 * Whether the `ids` filter is subject to the same rule is not documented (INFERRED: it may be), so
 * `getOrders(ids)` falls back to GET-by-id for ids the search did not return.
 */
export const ECWID_HIDDEN_BY_DEFAULT_PAYMENT_STATUS = "INCOMPLETE";

/** doc §8.2 */
export const ECWID_PAYMENT_STATUSES = [
  "AWAITING_PAYMENT",
  "PAID",
  "CANCELLED",
  "REFUNDED",
  "PARTIALLY_REFUNDED",
  "INCOMPLETE",
  "CUSTOM_PAYMENT_STATUS_1",
  "CUSTOM_PAYMENT_STATUS_2",
  "CUSTOM_PAYMENT_STATUS_3",
] as const;

/** doc §8.2 */
export const ECWID_FULFILLMENT_STATUSES = [
  "AWAITING_PROCESSING",
  "PROCESSING",
  "SHIPPED",
  "DELIVERED",
  "WILL_NOT_DELIVER",
  "RETURNED",
  "READY_FOR_PICKUP",
  "OUT_FOR_DELIVERY",
  "CUSTOM_FULFILLMENT_STATUS_1",
  "CUSTOM_FULFILLMENT_STATUS_2",
  "CUSTOM_FULFILLMENT_STATUS_3",
] as const;

/**
 * §1.1: Ecwid answers 200 to every success, creates included ([JAVA] treats only 200 as success).
 * The connector accepts any 2xx so that a proxy or a re-implementation answering 201/204 does not
 * turn a success into an error. INFERRED leniency.
 */
export const isEcwidSuccessStatus = (status: number): boolean => status >= 200 && status < 300;

/**
 * §3.2: error codes. INVALID_API_TOKEN (403, not 401) condemns the token: the auth circuit opens.
 * INSUFFICIENT_APP_SCOPE (403) only means one scope is missing: the token still works elsewhere.
 * A 403 without an errorCode is not documented; INFERRED: treated like a missing scope (an alert,
 * without opening the circuit), because condemning a token on a guess would stop every flow.
 */
export const ECWID_INVALID_TOKEN_CODE = "INVALID_API_TOKEN";
export const ECWID_INSUFFICIENT_SCOPE_CODE = "INSUFFICIENT_APP_SCOPE";
export const ECWID_RATE_LIMITED_CODE = "RATE_LIMITED";

/** doc §3.2: temporary statuses besides 5xx: 408 TIMEOUT and 449 "catalog locked by an import". */
export const ECWID_TEMPORARY_STATUSES: readonly number[] = [408, 449];

/**
 * §9 / §3.2: a customer create (or an e-mail change) with an e-mail that already exists answers
 * 409; no errorCode is documented for it, so callers recognise it by status 409 on /customers.
 * The sandbox's message and code for it are INFERRED.
 */
export const ECWID_DUPLICATE_CUSTOMER_STATUS = 409;
export const ECWID_DUPLICATE_CUSTOMER_CODE = "CONSTRAINT_VIOLATION";

/** doc §3.2 / §14.8: duplicate product SKU (409) and duplicate variation (409). */
export const ECWID_SKU_EXISTS_CODE = "SKU_ALREADY_EXISTS";
export const ECWID_COMBINATION_DUPLICATED_CODE = "COMBINATION_DUPLICATED";

/** doc §6.6: the inventory endpoint's warning when stock went below zero (stock is still applied). */
export const ECWID_NEGATIVE_STOCK_WARNING = "Product has negative stock.";

/**
 * §6.6: the effect of an inventory delta on an `unlimited: true` product is not documented.
 * INFERRED: the connector never sends a delta to an untracked product or variation; setting an
 * absolute quantity on one switches tracking on with a plain PUT of `quantity` + `unlimited:false`.
 */
export const ECWID_DELTA_ON_UNLIMITED_IS_UNDEFINED = true;

/**
 * §6.4: a variation without its own SKU inherits the product SKU and shares the product's stock
 * (doc [DOC20]); its inventory endpoint answers 400 "SKU for combination is not set".
 */
export const ECWID_VARIATION_WITHOUT_SKU_SHARES_PRODUCT_STOCK = true;

/** doc §4: at most 500 requests in one batch. */
export const ECWID_BATCH_MAX_REQUESTS = 500;

/**
 * §4: the batch status answer carries `httpBody` (object) by default and `escapedHttpBody`
 * (string) with `escapedJson=true`; one docs page says bodies only come back with escapedJson.
 * INFERRED: ask for escapedJson=true and read both forms. Skipped requests (NOT_EXECUTED) carry no
 * body and `httpStatusCode` 0 (INFERRED from [JAVA] defaults). The 2020 docs name the field
 * `httpCode`; read it as a fallback.
 */
export const ECWID_BATCH_NOT_EXECUTED_STATUS_CODE = 0;

/** doc §4: a repeated batch create with the same deduplicationKey returns the first ticket (1 h). */
export const ECWID_BATCH_DEDUPLICATION_WINDOW_MS = 60 * 60 * 1000;

/**
 * §11.1: Ecwid redelivers a failed webhook for up to 24 h (older docs: up to 48 h) with its
 * original `eventCreated`, so the age limit must be longer than the redelivery horizon.
 */
export const ECWID_WEBHOOK_MAX_AGE_SECONDS = 49 * 3600;

/**
 * [inferred] How far in the future an Ecwid `eventCreated` may lie: Ecwid stamps the event when it
 * happens, so only clock drift between Ecwid's servers and the gateway's can put it ahead. Five
 * minutes covers an unsynchronised clock; an event dated further ahead is refused (401), since a
 * leaked signature could otherwise be replayed with a future date to outlive the age limit.
 */
export const ECWID_WEBHOOK_CLOCK_SKEW_SECONDS = 5 * 60;

/** doc §11.1 / §11.4 */
export const ECWID_WEBHOOK_SIGNATURE_HEADER = "x-ecwid-webhook-signature";

/** doc §11.1: the statuses Ecwid counts as "delivered"; anything else is retried. */
export const ECWID_WEBHOOK_DELIVERED_STATUSES: readonly number[] = [200, 201, 202, 204, 209];

/**
 * §8.3 / §8.4: `discount` sums the non-coupon discounts and `couponDiscount` the coupon, so the
 * order's total discount is their sum; per item, `discounts[].total` (promotions) and
 * `couponAmount` (coupon share) likewise. Not spelled out by the sources. INFERRED.
 */
export const ECWID_COUPON_DISCOUNT_IS_SEPARATE = true;

/**
 * §12 / §1.2: the legacy `?token=` query form is disabled since 2025-03-20; the exact refusal is
 * not documented. INFERRED: 403 INVALID_API_TOKEN.
 */
export const ECWID_QUERY_TOKEN_REJECTED_CODE = ECWID_INVALID_TOKEN_CODE;

/** INFERRED texts (§14.8 note): only the codes are documented, not these messages. */
export const ECWID_INFERRED_MESSAGES = {
  rateLimited: "Too many requests",
  invalidToken: "Invalid access token",
  queryToken: "Passing the access token in query parameters is discontinued; use the Authorization header",
  insufficientScope: (scopes: readonly string[]) =>
    `The access token lacks the required scope: ${scopes.join(", ")}`,
  skuExists: (sku: string) => `Product with SKU '${sku}' already exists`,
  customerExists: (email: string) => `Customer with email '${email}' already exists`,
  combinationDuplicated: "Combination with the same options already exists",
  internalError: "Internal server error",
} as const;

/** doc §3.1 / §6.4 / §7 / §8.2 texts confirmed by sources */
export const ECWID_DOCUMENTED_MESSAGES = {
  productNotFound: (id: number | string) => `Product #${id} not found`,
  orderNotFound: (id: number | string) => `Order #${id} not found`,
  customerNotFound: (id: number | string) => `Customer #${id} not found`,
  categoryNotFound: (id: number | string) => `Category #${id} not found`,
  unsupportedContentType: "Unsupported content-type: expected application/json or text/json",
  queuedDeprecated: "Status QUEUED is deprecated, use AWAITING_PAYMENT instead",
  itemQuantityAbsent: "Field OrderItem.quantity is absent",
  combinationSkuNotSet: "SKU for combination is not set",
  categoryNameEmpty: "Category name must not be empty",
} as const;

/**
 * §13: search filters take unix seconds (what [JAVA] sends, recommended) or date strings; bound
 * inclusiveness is undocumented (INFERRED: the sandbox treats both bounds as inclusive, and the
 * gateway's own watermarks include a lookback so they never depend on it).
 */
export const ECWID_DATE_BOUNDS_INCLUSIVE = true;

/** §2.1: `limit` above 100 is undocumented; INFERRED: clamped to 100 and echoed as 100. */
export const ECWID_LIMIT_ABOVE_MAX_IS_CLAMPED = true;

/** §2.3: order search sort is undocumented; INFERRED: newest first by creation. */
export const ECWID_ORDERS_NEWEST_FIRST = true;

/**
 * §8.7: stock effects of orders. API create with PAID + valid product ids + email/customerId
 * decrements (doc); a change into CANCELLED restocks (doc for the admin, INFERRED for the API);
 * moving back out of CANCELLED decrements again (INFERRED); refunds, returns and deletes leave
 * stock alone (INFERRED). Used by the sandbox.
 */
export const ECWID_API_CANCEL_RESTOCKS = true;

// ---------------------------------------------------------------------------------------------
// Order-booking facts the order flows rely on (ORDERS_CCV_TO_ECWID). One place to change them.

/**
 * §2.3 [inferred] orders cannot be filtered by `externalOrderId` (and `keywords` does not search
 * it): an order carrying our reference is found by the customer's e-mail in a window starting this
 * long before the sale (whether `createdFrom` uses a back-dated `createDate` is also unknown).
 */
export const ECWID_ORDER_REFERENCE_LOOKBACK_MS = 24 * 3600_000;

/**
 * §8.7 [inferred] setting an API-created order's paymentStatus to PAID later moves stock like a
 * PAID create does; documented only for creates and admin cancellations.
 */
export const ECWID_PAID_UPDATE_MOVES_STOCK = true;

// ---------------------------------------------------------------------------------------------
// Product-flow facts (PRODUCTS_CCV_TO_ECWID variants).

/**
 * §6.4 [inferred] an Ecwid variation has no enabled/active flag (none is documented, nor in the
 * Java client). A variant that is inactive in CCV SalesPOS is made unbuyable and hidden instead:
 * no stock of its own left and hidden when out of stock; it is never deleted, so its id (which
 * orders and VARIANT links carry) stays valid. Reactivating sets `outOfStockVisibilityBehaviour`
 * back to SHOW.
 */
export const ECWID_INACTIVE_VARIATION = {
  unlimited: false,
  quantity: 0,
  outOfStockVisibilityBehaviour: "HIDE",
} as const;

/**
 * §6.1: the Content-Type of an image uploaded as bytes. The reference shows the raw body but names
 * no media type; the gateway sends the image's own type (image/png, image/jpeg…), and
 * application/octet-stream when it has none. INFERRED.
 */
export function ecwidImageUploadContentType(imageType: string | null | undefined): string {
  const t = (imageType ?? "").split(";")[0].trim().toLowerCase();
  return /^image\/[a-z0-9.+-]+$/.test(t) ? t : "application/octet-stream";
}

/**
 * §6.1/§6.2 [inferred] an image uploaded to a product keeps the URLs the product shows right after
 * the upload (`media.images[].imageOriginalUrl` …) for as long as it is not replaced, and a
 * replaced image gets new URLs. PRODUCTS_ECWID_TO_CCV recognises the images PRODUCTS_CCV_TO_ECWID
 * uploaded by those URLs (no download, never sent back). Were it false, such an image would be
 * fetched and compared by content instead, and could be written back to CCV once.
 */
export const ECWID_UPLOADED_IMAGE_URLS_STABLE = true;
