import { randomUUID } from "node:crypto";
import {
  abortableSleep,
  ConnectorError,
  credentialFingerprint,
  HttpTransport,
  isConnectorError,
  STRICT_UPSTREAMS,
  type ConnectorDeps,
  type HttpMethod,
  type UpstreamPolicy,
} from "../http";
import { toUnixSeconds } from "./ecwid.dates";
import { classifyEcwidResponse, isEcwidMissingScope } from "./ecwid.errors";
import { ECWID_SCOPE_PURPOSE, type EcwidScope } from "./ecwid.scopes";
import type {
  EcwidBatchItemWire,
  EcwidProductClass,
  EcwidBatchRequest,
  EcwidBatchResult,
  EcwidBatchStatusWire,
  EcwidCategory,
  EcwidCategoryWrite,
  EcwidCreateResult,
  EcwidCustomer,
  EcwidCustomerPage,
  EcwidCustomerWrite,
  EcwidDeletedItem,
  EcwidDeleteResult,
  EcwidFulfillmentStatus,
  EcwidInventoryResult,
  EcwidLatestStats,
  EcwidOrder,
  EcwidOrderCreateResult,
  EcwidOrderWrite,
  EcwidPage,
  EcwidPaymentStatus,
  EcwidProduct,
  EcwidProductWrite,
  EcwidStoreProfile,
  EcwidUpdateResult,
  EcwidVariation,
  EcwidVariationWrite,
} from "./ecwid.types";
import {
  ECWID_BATCH_MAX_REQUESTS,
  ECWID_BATCH_NOT_EXECUTED_STATUS_CODE,
  ECWID_DEFAULT_API_BASE_URL,
  ECWID_DELTA_ON_UNLIMITED_IS_UNDEFINED,
  ECWID_IDS_PER_REQUEST,
  ECWID_PAGE_LIMIT,
  ECWID_RATE_LIMIT_PER_MINUTE,
  ECWID_VARIATION_WITHOUT_SKU_SHARES_PRODUCT_STOCK,
  ecwidImageUploadContentType,
} from "./ecwid.vendor-facts";

/**
 * The Ecwid REST v3 client (docs/vendors/ecwid.md). Returns wire DTOs; the
 * mapper turns them into domain types. Every call goes through one HttpTransport: Bearer auth
 * (never a token in a URL), timeouts, retries of temporary errors with backoff and jitter, 429s
 * waited out per Retry-After, one 600/min budget per token shared by everything in the process
 * that uses it, and an auth circuit that stops calling with a token Ecwid rejected.
 */

export interface EcwidConnection {
  storeId: number;
  /** the secret_… access token */
  token: string;
  /** the app's client_secret (webhook signatures only; never sent to the API) */
  clientSecret?: string | null;
  /** default https://app.ecwid.com/api/v3; the client appends /{storeId}/… */
  apiBaseUrl?: string;
}

export interface EcwidClientOptions {
  /**
   * The token's request budget per minute (default: Ecwid's 600). Only a sandbox or a benchmark
   * with a scaled limit changes it.
   */
  requestsPerMinute?: number;
  /** first wait between batch status polls (default 250 ms, growing to 5 s) */
  batchPollIntervalMs?: number;
  /** how long to wait for a batch to complete before giving up (default 10 min) */
  batchTimeoutMs?: number;
}

/** A filter time: a Date, or unix seconds (what Ecwid recommends and the client always sends, §13). */
export type EcwidTime = Date | number;

export interface EcwidProductFilters {
  /** exact ids; Ecwid ignores every other filter when present (§2.2) */
  productIds?: number[];
  /** exact product or variation SKU (§2.2) */
  sku?: string;
  keyword?: string;
  categories?: number[];
  includeProductsFromSubcategories?: boolean;
  enabled?: boolean;
  inStock?: boolean;
  createdFrom?: EcwidTime;
  createdTo?: EcwidTime;
  updatedFrom?: EcwidTime;
  updatedTo?: EcwidTime;
  sortBy?: string;
}

export interface EcwidOrderFilters {
  /** string ids, prefixed ids or internal ids (§2.3) */
  ids?: (string | number)[];
  email?: string;
  customerId?: number;
  productIds?: number[];
  keywords?: string;
  /** without it Ecwid hides INCOMPLETE orders (§2.3) */
  paymentStatus?: EcwidPaymentStatus[];
  fulfillmentStatus?: EcwidFulfillmentStatus[];
  createdFrom?: EcwidTime;
  createdTo?: EcwidTime;
  updatedFrom?: EcwidTime;
  updatedTo?: EcwidTime;
}

export interface EcwidCustomerFilters {
  /** partial match unless `useExactEmailMatch` (§2.4) */
  email?: string;
  useExactEmailMatch?: boolean;
  keyword?: string;
  name?: string;
  createdFrom?: EcwidTime;
  createdTo?: EcwidTime;
  updatedFrom?: EcwidTime;
  updatedTo?: EcwidTime;
  sortBy?: string;
}

export interface EcwidCategoryFilters {
  /** 0 = root categories; omitted = all */
  parent?: number;
  parentIds?: number[];
  withSubcategories?: boolean;
  /** Ecwid returns only enabled categories unless `hidden_categories=true` (§2.5) */
  includeHidden?: boolean;
  /** adds `productIds` and `enabledProductCount` to each category */
  productIds?: boolean;
  keyword?: string;
}

export interface EcwidDeletedFilters {
  from?: EcwidTime;
  to?: EcwidTime;
}

export interface EcwidPageRequest {
  offset?: number;
  /** at most 100 */
  limit?: number;
}

/** What an absolute stock write did. */
export interface EcwidQuantityChange {
  /** "delta": read, PUT …/inventory with the difference, re-read. "absolute": PUT quantity (untracked stock). */
  method: "delta" | "absolute" | "unchanged";
  /** the quantity read before the write (null when stock was not tracked) */
  before: number | null;
  delta: number;
  /** the quantity read after the write */
  after: number;
  /** true when `after` is not the target: someone else changed the stock in between (e.g. a sale) */
  concurrentChange: boolean;
  /** Ecwid's "Product has negative stock." */
  warning?: string;
}

export interface EcwidConnectionTest {
  ok: boolean;
  message: string;
  storeName?: string;
  /** read scopes the flows need that the token lacks */
  missingScopes: EcwidScope[];
}

export interface EcwidBatchOptions {
  /** default true (Ecwid's default): after a failure the rest is NOT_EXECUTED */
  stopOnFirstFailure?: boolean;
  signal?: AbortSignal;
}

type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];
type Query = Record<string, QueryValue>;

interface CallOptions {
  query?: Query;
  body?: unknown;
  /** raw bytes sent as they are (image uploads, §6.1) with this content type */
  bytes?: { data: Buffer; contentType: string };
  /** override the transport default (every method but POST is retried after an ambiguous failure) */
  idempotent?: boolean;
  signal?: AbortSignal;
}

const csv = (v: readonly (string | number)[] | undefined) => (v && v.length > 0 ? v.join(",") : undefined);
const time = (v: EcwidTime | undefined) => (v === undefined ? undefined : toUnixSeconds(v));
const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping the order of results. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The path part of the store base URL; a base that is not an http(s) URL is refused in words. */
function storePathPrefixOf(storeBase: string): string {
  let u: URL | undefined;
  try {
    u = new URL(storeBase);
  } catch {
    u = undefined;
  }
  if (!u || (u.protocol !== "https:" && u.protocol !== "http:")) {
    throw new ConnectorError({
      system: "ECWID",
      code: "VALIDATION",
      message: `The Ecwid API base URL must be an http(s) URL such as https://app.ecwid.com/api/v3 (got "${storeBase}").`,
    });
  }
  return u.pathname;
}

/** A lookup by id that turns NOT_FOUND into null (for getMany). */
const orNull = async <T>(p: Promise<T>): Promise<T | null> => {
  try {
    return await p;
  } catch (e) {
    if (isConnectorError(e) && e.code === "NOT_FOUND") return null;
    throw e;
  }
};

/** Per-id reads for getMany of entities without an id-list filter: few in flight, the budget paces them. */
const PER_ID_CONCURRENCY = 4;

export class EcwidClient {
  readonly storeId: number;
  /** non-secret key of this token's budget and auth circuit */
  readonly credentialKey: string;
  private readonly token: string;
  private readonly storeBase: string;
  private readonly storePathPrefix: string;
  private readonly perMinute: number;
  private readonly transport: HttpTransport;
  private readonly batchPollIntervalMs: number;
  private readonly batchTimeoutMs: number;
  /**
   * which addresses this gateway connects to (its vendor transports' policy): anything else the
   * gateway fetches for this store, such as product image bytes, is judged by the same rule
   */
  readonly upstreams: UpstreamPolicy;

  constructor(conn: EcwidConnection, deps: ConnectorDeps, opts: EcwidClientOptions = {}) {
    this.upstreams = deps.transport?.upstreams ?? STRICT_UPSTREAMS;
    this.storeId = conn.storeId;
    this.token = conn.token;
    const apiBase = (conn.apiBaseUrl ?? ECWID_DEFAULT_API_BASE_URL).replace(/\/+$/, "");
    this.storeBase = `${apiBase}/${conn.storeId}`;
    this.storePathPrefix = storePathPrefixOf(this.storeBase);
    this.perMinute = opts.requestsPerMinute ?? ECWID_RATE_LIMIT_PER_MINUTE;
    this.batchPollIntervalMs = opts.batchPollIntervalMs ?? 250;
    this.batchTimeoutMs = opts.batchTimeoutMs ?? 10 * 60_000;
    this.credentialKey = credentialFingerprint("ecwid", String(conn.storeId), conn.token);
    this.transport = new HttpTransport({
      system: "ECWID",
      credentialKey: this.credentialKey,
      budget: deps.budget,
      circuit: deps.circuit,
      logger: deps.logger,
      observe: deps.observe,
      ...deps.transport,
      classify: (res, req) =>
        classifyEcwidResponse(res, {
          storeId: this.storeId,
          method: req.method,
          storePath: this.storePathOf(req.url),
          scrub: (t) => this.scrub(t),
        }),
    });
  }

  // ---------------------------------------------------------------- plumbing

  /** Vendor texts go into messages; a token must never do so. */
  private scrub(text: string): string {
    return this.token ? text.split(this.token).join("[token]") : text;
  }

  private storePathOf(url: string): string {
    const p = new URL(url).pathname;
    return p.startsWith(this.storePathPrefix) ? p.slice(this.storePathPrefix.length) || "/" : p;
  }

  private url(path: string, query?: Query): string {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      const s = Array.isArray(v) ? csv(v) : String(v);
      if (s === undefined) continue;
      // encodeURIComponent also encodes "+" (a "+0000" offset would otherwise decode to a space, §13)
      parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(s)}`);
    }
    return `${this.storeBase}${path}${parts.length > 0 ? `?${parts.join("&")}` : ""}`;
  }

  private async call<T>(method: HttpMethod, path: string, opts: CallOptions = {}): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: "application/json",
    };
    let body: string | Buffer | undefined;
    if (opts.bytes) {
      headers["content-type"] = opts.bytes.contentType;
      body = opts.bytes.data;
    } else if (opts.body !== undefined) {
      headers["content-type"] = "application/json;charset=utf-8";
      body = JSON.stringify(opts.body);
    }
    const res = await this.transport.send({
      method,
      url: this.url(path, opts.query),
      headers,
      body,
      lane: "ALL",
      perMinute: this.perMinute,
      idempotent: opts.idempotent,
      signal: opts.signal,
    });
    try {
      return JSON.parse(res.text) as T;
    } catch (e) {
      throw new ConnectorError({
        system: "ECWID",
        code: "UNKNOWN",
        status: res.status,
        message: `Ecwid answered ${method} ${path} with HTTP ${res.status} but a body that is not JSON.`,
        cause: e,
      });
    }
  }

  /**
   * Every item of a paged search (§2.1), as an async iterator. Steps `offset` by what each page
   * returned (100 at most) and stops at `offset >= total`, on an empty page or on a short page (a
   * page shorter than the limit the server echoed). Items already yielded are skipped: offset paging
   * over a list that changes meanwhile can repeat an item.
   */
  async *paginate<T>(
    path: string,
    query: Query = {},
    signal?: AbortSignal,
  ): AsyncGenerator<T, void, undefined> {
    const seen = new Set<unknown>();
    let offset = 0;
    for (;;) {
      const page = await this.call<EcwidPage<T>>("GET", path, {
        query: { ...query, offset, limit: ECWID_PAGE_LIMIT },
        signal,
      });
      const items = page.items ?? [];
      for (const item of items) {
        const id = (item as { id?: unknown }).id;
        if (id !== undefined) {
          if (seen.has(id)) continue;
          seen.add(id);
        }
        yield item;
      }
      offset += items.length;
      const pageLimit = Math.min(ECWID_PAGE_LIMIT, page.limit || ECWID_PAGE_LIMIT);
      if (items.length === 0 || offset >= page.total || items.length < pageLimit) return;
    }
  }

  private page<T>(path: string, query: Query, page: EcwidPageRequest): Promise<EcwidPage<T>> {
    return this.call<EcwidPage<T>>("GET", path, {
      query: {
        ...query,
        offset: page.offset ?? 0,
        limit: Math.min(page.limit ?? ECWID_PAGE_LIMIT, ECWID_PAGE_LIMIT),
      },
    });
  }

  private async collect<T>(it: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  }

  // ---------------------------------------------------------------- store

  /** GET /profile (§10.1): currency in formatsAndUnits, gross/net in taxSettings.pricesIncludeTax. */
  getProfile(): Promise<EcwidStoreProfile> {
    return this.call<EcwidStoreProfile>("GET", "/profile");
  }

  /** GET /latest-stats (§10.2): cheap change detection for polling. */
  getLatestStats(): Promise<EcwidLatestStats> {
    return this.call<EcwidLatestStats>("GET", "/latest-stats");
  }

  /**
   * Reads the profile and probes the read scopes the flows need, writing nothing. Missing scopes
   * are reported in words; Ecwid has no endpoint that lists a token's write scopes, so those show
   * up on the first write that needs one.
   */
  async testConnection(): Promise<EcwidConnectionTest> {
    const missing: EcwidScope[] = [];
    let storeName: string | undefined;
    try {
      const profile = await this.getProfile();
      storeName = profile.settings?.storeName || profile.account?.accountName || undefined;
    } catch (e) {
      if (isEcwidMissingScope(e)) missing.push("read_store_profile");
      else return { ok: false, message: this.describe(e), missingScopes: [] };
    }
    const probes: [EcwidScope, string][] = [
      ["read_catalog", "/products"],
      ["read_orders", "/orders"],
      ["read_customers", "/customers"],
    ];
    for (const [scope, path] of probes) {
      try {
        await this.call("GET", path, { query: { limit: 1, responseFields: "total" } });
      } catch (e) {
        if (isEcwidMissingScope(e)) missing.push(scope);
        else return { ok: false, message: this.describe(e), storeName, missingScopes: missing };
      }
    }
    const store = storeName ? `"${storeName}" (${this.storeId})` : String(this.storeId);
    if (missing.length === 0)
      return { ok: true, message: `Connected to Ecwid store ${store}.`, storeName, missingScopes: [] };
    const what = missing.map((s) => `${s} (to ${ECWID_SCOPE_PURPOSE[s]})`).join(", ");
    return {
      ok: false,
      message: `Connected to Ecwid store ${store}, but the token lacks ${missing.length === 1 ? "the scope" : "the scopes"} ${what}. Reinstall the app with ${missing.length === 1 ? "that permission" : "those permissions"}.`,
      storeName,
      missingScopes: missing,
    };
  }

  private describe(e: unknown): string {
    return isConnectorError(e) ? e.message : `Ecwid could not be checked: ${this.scrub(String(e))}`;
  }

  // ---------------------------------------------------------------- products (§6)

  private productQuery(f: EcwidProductFilters): Query {
    return {
      productId: csv(f.productIds),
      sku: f.sku,
      keyword: f.keyword,
      categories: csv(f.categories),
      includeProductsFromSubcategories: f.includeProductsFromSubcategories,
      enabled: f.enabled,
      inStock: f.inStock,
      createdFrom: time(f.createdFrom),
      createdTo: time(f.createdTo),
      updatedFrom: time(f.updatedFrom),
      updatedTo: time(f.updatedTo),
      sortBy: f.sortBy,
    };
  }

  paginateProducts(filters: EcwidProductFilters = {}): AsyncGenerator<EcwidProduct, void, undefined> {
    return this.paginate<EcwidProduct>("/products", this.productQuery(filters));
  }

  searchProducts(
    filters: EcwidProductFilters = {},
    page: EcwidPageRequest = {},
  ): Promise<EcwidPage<EcwidProduct>> {
    return this.page<EcwidProduct>("/products", this.productQuery(filters), page);
  }

  getProduct(id: number): Promise<EcwidProduct> {
    return this.call<EcwidProduct>("GET", `/products/${id}`);
  }

  /** getMany for DataLoaders: one search per 100 ids (`productId` csv); null where a product does not exist. */
  async getProducts(ids: readonly number[]): Promise<(EcwidProduct | null)[]> {
    const found = new Map<number, EcwidProduct>();
    const unique = [...new Set(ids)];
    for (const part of chunk(unique, ECWID_IDS_PER_REQUEST)) {
      for await (const p of this.paginateProducts({ productIds: part })) found.set(p.id, p);
    }
    return ids.map((id) => found.get(id) ?? null);
  }

  /** Products whose own SKU or one of whose variation SKUs equals `sku` exactly. */
  async findProductsBySku(sku: string): Promise<EcwidProduct[]> {
    const all = await this.collect(this.paginateProducts({ sku }));
    // the filter is exact in Ecwid (§2.2); checking again keeps a looser implementation from matching wrongly
    return all.filter((p) => p.sku === sku || (p.combinations ?? []).some((c) => c.sku === sku));
  }

  createProduct(
    body: EcwidProductWrite,
    opts: { saveCombinations?: boolean } = {},
  ): Promise<EcwidCreateResult> {
    return this.call<EcwidCreateResult>("POST", "/products", {
      body,
      query: { saveCombinations: opts.saveCombinations },
    });
  }

  updateProduct(
    id: number,
    body: EcwidProductWrite,
    opts: {
      saveCombinations?: boolean;
      rebuildVariationsOnOptionsUpdate?: boolean;
      checkLowStockNotification?: boolean;
    } = {},
  ): Promise<EcwidUpdateResult> {
    return this.call<EcwidUpdateResult>("PUT", `/products/${id}`, { body, query: { ...opts } });
  }

  deleteProduct(id: number): Promise<EcwidDeleteResult> {
    return this.call<EcwidDeleteResult>("DELETE", `/products/${id}`);
  }

  /** §6.5 a product class ("product type"; id 0 = General) with its attributes */
  getProductClass(id: number): Promise<EcwidProductClass> {
    return this.call<EcwidProductClass>("GET", `/classes/${id}`);
  }

  /** §6.5 send ALL attributes (existing with `id`, new without): omitted ones are deleted */
  updateProductClass(
    id: number,
    body: { name?: string; attributes: { id?: number; name?: string; type?: string; show?: string }[] },
  ): Promise<EcwidUpdateResult> {
    return this.call<EcwidUpdateResult>("PUT", `/classes/${id}`, { body });
  }

  /** §6.4: a bare array, not a paged envelope. */
  getCombinations(productId: number): Promise<EcwidVariation[]> {
    return this.call<EcwidVariation[]>("GET", `/products/${productId}/combinations`);
  }

  getCombination(productId: number, combinationId: number): Promise<EcwidVariation> {
    return this.call<EcwidVariation>("GET", `/products/${productId}/combinations/${combinationId}`);
  }

  /**
   * Sets the product's main image (§6.1): the bytes themselves, or a URL Ecwid downloads
   * (`?externalUrl=`). Answers `{id}` of the new image; Ecwid refuses more than 20 MB.
   */
  uploadProductImage(
    productId: number,
    image: { bytes: Buffer; contentType: string } | { externalUrl: string },
    signal?: AbortSignal,
  ): Promise<EcwidCreateResult> {
    return this.imageUpload(`/products/${productId}/image`, image, signal);
  }

  /** Adds one gallery image (§6.1), by bytes or by URL; answers `{id}`. */
  uploadGalleryImage(
    productId: number,
    image: { bytes: Buffer; contentType: string } | { externalUrl: string },
    signal?: AbortSignal,
  ): Promise<EcwidCreateResult> {
    return this.imageUpload(`/products/${productId}/gallery`, image, signal);
  }

  private imageUpload(
    path: string,
    image: { bytes: Buffer; contentType: string } | { externalUrl: string },
    signal?: AbortSignal,
  ): Promise<EcwidCreateResult> {
    return "externalUrl" in image
      ? this.call("POST", path, { query: { externalUrl: image.externalUrl }, signal })
      : this.call("POST", path, {
          bytes: { data: image.bytes, contentType: ecwidImageUploadContentType(image.contentType) },
          signal,
        });
  }

  /** Removes the main image (§6.1). */
  deleteProductImage(productId: number, signal?: AbortSignal): Promise<{ deleteCount: number }> {
    return this.call("DELETE", `/products/${productId}/image`, { signal });
  }

  /** Removes one gallery image, or all of them without `imageId` (§6.1). */
  deleteGalleryImages(
    productId: number,
    imageId?: number,
    signal?: AbortSignal,
  ): Promise<{ deleteCount: number }> {
    return this.call(
      "DELETE",
      imageId === undefined ? `/products/${productId}/gallery` : `/products/${productId}/gallery/${imageId}`,
      { signal },
    );
  }

  /** One variation per call; options that do not exist yet are created as SELECT options (§6.4). 409 on a duplicate SKU or option set. */
  createCombination(productId: number, body: EcwidVariationWrite): Promise<EcwidCreateResult> {
    return this.call<EcwidCreateResult>("POST", `/products/${productId}/combinations`, { body });
  }

  updateCombination(
    productId: number,
    combinationId: number,
    body: EcwidVariationWrite,
  ): Promise<EcwidUpdateResult> {
    return this.call<EcwidUpdateResult>("PUT", `/products/${productId}/combinations/${combinationId}`, {
      body,
    });
  }

  deleteCombination(productId: number, combinationId: number): Promise<EcwidDeleteResult> {
    return this.call<EcwidDeleteResult>("DELETE", `/products/${productId}/combinations/${combinationId}`);
  }

  /**
   * PUT …/inventory with a delta (§6.6). A delta is not idempotent: after an ambiguous failure
   * (timeout after sending, 5xx) it is not repeated, and the caller re-reads before trying again.
   */
  adjustProductQuantity(productId: number, quantityDelta: number): Promise<EcwidInventoryResult> {
    return this.call<EcwidInventoryResult>("PUT", `/products/${productId}/inventory`, {
      body: { quantityDelta },
      idempotent: false,
    });
  }

  adjustCombinationQuantity(
    productId: number,
    combinationId: number,
    quantityDelta: number,
  ): Promise<EcwidInventoryResult> {
    return this.call<EcwidInventoryResult>(
      "PUT",
      `/products/${productId}/combinations/${combinationId}/inventory`,
      {
        body: { quantityDelta },
        idempotent: false,
      },
    );
  }

  /**
   * Sets a product's stock to an absolute figure. Chosen approach: read the current quantity, PUT
   * …/inventory with the difference, re-read. Unlike `PUT /products/{id} {quantity}`, a sale
   * between our read and our write is not overwritten: Ecwid applies our delta on top of it, and
   * the re-read reports it (`concurrentChange`) instead of erasing it. Safe to call again after a
   * failure: it always starts from a fresh read. An untracked (unlimited) product gets a plain
   * absolute PUT that switches tracking on (a delta on unlimited stock is undocumented).
   */
  async setProductQuantity(productId: number, target: number): Promise<EcwidQuantityChange> {
    const readQ = () =>
      this.call<Pick<EcwidProduct, "id" | "quantity" | "unlimited">>("GET", `/products/${productId}`, {
        query: { responseFields: "id,quantity,unlimited" },
      });
    const current = await readQ();
    return this.applyQuantity(
      current,
      target,
      () => this.updateProduct(productId, { quantity: target, unlimited: false }),
      (d) => this.adjustProductQuantity(productId, d),
      readQ,
    );
  }

  /**
   * Sets a variation's own stock to an absolute figure, like `setProductQuantity`. A variation
   * without its own SKU shares the product's stock (§6.4) and has no stock of its own to set.
   */
  async setCombinationQuantity(
    productId: number,
    combinationId: number,
    target: number,
  ): Promise<EcwidQuantityChange> {
    const read = () => this.getCombination(productId, combinationId);
    const current = await read();
    if (ECWID_VARIATION_WITHOUT_SKU_SHARES_PRODUCT_STOCK && !current.sku) {
      throw new ConnectorError({
        system: "ECWID",
        code: "VALIDATION",
        message: `Ecwid variation ${combinationId} of product ${productId} has no SKU of its own, so it shares the product's stock; set the product's quantity instead.`,
      });
    }
    return this.applyQuantity(
      current,
      target,
      () => this.updateCombination(productId, combinationId, { quantity: target, unlimited: false }),
      (d) => this.adjustCombinationQuantity(productId, combinationId, d),
      read,
    );
  }

  private async applyQuantity(
    current: { quantity?: number; unlimited?: boolean },
    target: number,
    putAbsolute: () => Promise<unknown>,
    putDelta: (delta: number) => Promise<EcwidInventoryResult>,
    reread: () => Promise<{ quantity?: number }>,
  ): Promise<EcwidQuantityChange> {
    if (!Number.isSafeInteger(target)) {
      throw new ConnectorError({
        system: "ECWID",
        code: "VALIDATION",
        message: `Ecwid stock must be a whole number, not ${target}.`,
      });
    }
    const untracked = current.unlimited === true || current.quantity === undefined;
    if (untracked && ECWID_DELTA_ON_UNLIMITED_IS_UNDEFINED) {
      await putAbsolute();
      const after = (await reread()).quantity ?? target;
      return { method: "absolute", before: null, delta: target, after, concurrentChange: after !== target };
    }
    const before = current.quantity as number;
    const delta = target - before;
    if (delta === 0) return { method: "unchanged", before, delta: 0, after: before, concurrentChange: false };
    const r = await putDelta(delta);
    const after = (await reread()).quantity ?? before + delta;
    const change: EcwidQuantityChange = {
      method: "delta",
      before,
      delta,
      after,
      concurrentChange: after !== target,
    };
    if (r.warning) change.warning = r.warning;
    return change;
  }

  // ---------------------------------------------------------------- categories (§7)

  private categoryQuery(f: EcwidCategoryFilters): Query {
    return {
      parent: f.parent,
      parentIds: csv(f.parentIds),
      withSubcategories: f.withSubcategories,
      hidden_categories: f.includeHidden,
      productIds: f.productIds,
      keyword: f.keyword,
    };
  }

  paginateCategories(filters: EcwidCategoryFilters = {}): AsyncGenerator<EcwidCategory, void, undefined> {
    return this.paginate<EcwidCategory>("/categories", this.categoryQuery(filters));
  }

  searchCategories(
    filters: EcwidCategoryFilters = {},
    page: EcwidPageRequest = {},
  ): Promise<EcwidPage<EcwidCategory>> {
    return this.page<EcwidCategory>("/categories", this.categoryQuery(filters), page);
  }

  getCategory(id: number, opts: { productIds?: boolean } = {}): Promise<EcwidCategory> {
    return this.call<EcwidCategory>("GET", `/categories/${id}`, { query: { productIds: opts.productIds } });
  }

  /** getMany: categories have no documented id-list filter, so one GET each (null when missing). */
  getCategories(ids: readonly number[]): Promise<(EcwidCategory | null)[]> {
    return mapLimit(ids, PER_ID_CONCURRENCY, (id) => orNull(this.getCategory(id)));
  }

  createCategory(body: EcwidCategoryWrite): Promise<EcwidCreateResult> {
    return this.call<EcwidCreateResult>("POST", "/categories", { body });
  }

  updateCategory(id: number, body: EcwidCategoryWrite): Promise<EcwidUpdateResult> {
    return this.call<EcwidUpdateResult>("PUT", `/categories/${id}`, { body });
  }

  deleteCategory(id: number): Promise<EcwidDeleteResult> {
    return this.call<EcwidDeleteResult>("DELETE", `/categories/${id}`);
  }

  // ---------------------------------------------------------------- orders (§8)

  private orderQuery(f: EcwidOrderFilters): Query {
    return {
      ids: csv(f.ids),
      email: f.email,
      customerId: f.customerId,
      productId: csv(f.productIds),
      keywords: f.keywords,
      paymentStatus: csv(f.paymentStatus),
      fulfillmentStatus: csv(f.fulfillmentStatus),
      createdFrom: time(f.createdFrom),
      createdTo: time(f.createdTo),
      updatedFrom: time(f.updatedFrom),
      updatedTo: time(f.updatedTo),
    };
  }

  paginateOrders(filters: EcwidOrderFilters = {}): AsyncGenerator<EcwidOrder, void, undefined> {
    return this.paginate<EcwidOrder>("/orders", this.orderQuery(filters));
  }

  searchOrders(filters: EcwidOrderFilters = {}, page: EcwidPageRequest = {}): Promise<EcwidPage<EcwidOrder>> {
    return this.page<EcwidOrder>("/orders", this.orderQuery(filters), page);
  }

  /** Accepts the string id (with or without prefix), the internal id or the order number (§8.1). */
  getOrder(id: string | number): Promise<EcwidOrder> {
    return this.call<EcwidOrder>("GET", `/orders/${encodeURIComponent(String(id))}`);
  }

  /**
   * getMany for DataLoaders: one search per 100 ids (`ids` csv). An order matches a requested id by
   * any of its ids. Ids the search did not return are read one by one, because whether `ids` also
   * hides INCOMPLETE orders is undocumented (vendor facts); truly missing ones become null.
   */
  async getOrders(ids: readonly (string | number)[]): Promise<(EcwidOrder | null)[]> {
    const keyOf = (v: string | number) => String(v).trim().toUpperCase();
    const found = new Map<string, EcwidOrder>();
    const unique = [...new Set(ids.map(keyOf))];
    for (const part of chunk(unique, ECWID_IDS_PER_REQUEST)) {
      for await (const o of this.paginateOrders({ ids: part })) {
        for (const k of [o.id, o.internalId, o.orderNumber, o.vendorOrderNumber])
          if (k !== undefined) found.set(keyOf(k), o);
      }
    }
    const missing = unique.filter((k) => !found.has(k));
    const fetched = await mapLimit(missing, PER_ID_CONCURRENCY, (k) => orNull(this.getOrder(k)));
    missing.forEach((k, i) => {
      const o = fetched[i];
      if (o) found.set(k, o);
    });
    return ids.map((id) => found.get(keyOf(id)) ?? null);
  }

  /**
   * POST /orders (§8.6): one order, nothing calculated. Not repeated after an ambiguous failure
   * (an order must never be created twice): the caller looks it up by its externalOrderId first.
   */
  async createOrder(body: EcwidOrderWrite): Promise<EcwidOrderCreateResult> {
    const r = await this.call<{ id: number; orderId?: string; orderid?: string }>("POST", "/orders", {
      body,
    });
    // one docs example spells it `orderid` (§8.1)
    return { id: r.id, orderId: r.orderId ?? r.orderid ?? String(r.id) };
  }

  /** Partial update; `items`, when sent, replaces every item (§8.5). */
  updateOrder(id: string | number, body: EcwidOrderWrite): Promise<EcwidUpdateResult> {
    return this.call<EcwidUpdateResult>("PUT", `/orders/${encodeURIComponent(String(id))}`, { body });
  }

  deleteOrder(id: string | number): Promise<EcwidDeleteResult> {
    return this.call<EcwidDeleteResult>("DELETE", `/orders/${encodeURIComponent(String(id))}`);
  }

  // ---------------------------------------------------------------- customers (§9)

  private customerQuery(f: EcwidCustomerFilters): Query {
    return {
      email: f.email,
      useExactEmailMatch: f.useExactEmailMatch,
      keyword: f.keyword,
      name: f.name,
      createdFrom: time(f.createdFrom),
      createdTo: time(f.createdTo),
      updatedFrom: time(f.updatedFrom),
      updatedTo: time(f.updatedTo),
      sortBy: f.sortBy,
    };
  }

  paginateCustomers(filters: EcwidCustomerFilters = {}): AsyncGenerator<EcwidCustomer, void, undefined> {
    return this.paginate<EcwidCustomer>("/customers", this.customerQuery(filters));
  }

  searchCustomers(
    filters: EcwidCustomerFilters = {},
    page: EcwidPageRequest = {},
  ): Promise<EcwidCustomerPage> {
    return this.page<EcwidCustomer>(
      "/customers",
      this.customerQuery(filters),
      page,
    ) as Promise<EcwidCustomerPage>;
  }

  getCustomer(id: number): Promise<EcwidCustomer> {
    return this.call<EcwidCustomer>("GET", `/customers/${id}`);
  }

  /** getMany: customers have no id-list filter, so one GET each (null when missing). */
  getCustomers(ids: readonly number[]): Promise<(EcwidCustomer | null)[]> {
    return mapLimit(ids, PER_ID_CONCURRENCY, (id) => orNull(this.getCustomer(id)));
  }

  /** The customer with exactly this e-mail address (case-insensitive, trimmed), or null. */
  async findCustomerByEmail(email: string): Promise<EcwidCustomer | null> {
    const want = email.trim().toLowerCase();
    if (want === "") return null;
    for await (const c of this.paginateCustomers({ email: email.trim(), useExactEmailMatch: true })) {
      if ((c.email ?? "").trim().toLowerCase() === want) return c;
    }
    return null;
  }

  /** 409 (VALIDATION, status 409) when the e-mail already exists: see `isEcwidDuplicateCustomer`. */
  createCustomer(body: EcwidCustomerWrite): Promise<EcwidCreateResult> {
    return this.call<EcwidCreateResult>("POST", "/customers", { body });
  }

  updateCustomer(id: number, body: EcwidCustomerWrite): Promise<EcwidUpdateResult> {
    return this.call<EcwidUpdateResult>("PUT", `/customers/${id}`, { body });
  }

  deleteCustomer(id: number): Promise<EcwidDeleteResult> {
    return this.call<EcwidDeleteResult>("DELETE", `/customers/${id}`);
  }

  // ---------------------------------------------------------------- deleted items (§10.3)

  private deletedQuery(f: EcwidDeletedFilters): Query {
    return { from_date: time(f.from), to_date: time(f.to) };
  }

  paginateDeletedProducts(
    filters: EcwidDeletedFilters = {},
  ): AsyncGenerator<EcwidDeletedItem, void, undefined> {
    return this.paginateDeleted("/products/deleted", filters);
  }

  paginateDeletedOrders(
    filters: EcwidDeletedFilters = {},
  ): AsyncGenerator<EcwidDeletedItem, void, undefined> {
    return this.paginateDeleted("/orders/deleted", filters);
  }

  paginateDeletedCustomers(
    filters: EcwidDeletedFilters = {},
  ): AsyncGenerator<EcwidDeletedItem, void, undefined> {
    return this.paginateDeleted("/customers/deleted", filters);
  }

  /** Deleted-item entries repeat an id when it was deleted more than once, so they are not deduplicated. */
  private async *paginateDeleted(
    path: string,
    f: EcwidDeletedFilters,
  ): AsyncGenerator<EcwidDeletedItem, void, undefined> {
    let offset = 0;
    for (;;) {
      const page = await this.page<EcwidDeletedItem>(path, this.deletedQuery(f), { offset });
      const items = page.items ?? [];
      yield* items;
      offset += items.length;
      const pageLimit = Math.min(ECWID_PAGE_LIMIT, page.limit || ECWID_PAGE_LIMIT);
      if (items.length === 0 || offset >= page.total || items.length < pageLimit) return;
    }
  }

  // ---------------------------------------------------------------- batch (§4)

  /**
   * Runs requests through the batch API: POST /batch (at most 500 per batch, so larger lists go as
   * consecutive batches), then polls the ticket until COMPLETED. Results come back in request
   * order with their bodies parsed (from `escapedHttpBody` or `httpBody`). Each batch carries a
   * fresh `deduplicationKey`, which makes its POST safe to repeat after an ambiguous failure: Ecwid
   * answers a repeat with the first ticket.
   */
  async batch(
    requests: readonly EcwidBatchRequest[],
    opts: EcwidBatchOptions = {},
  ): Promise<EcwidBatchResult[]> {
    const stopOnFirstFailure = opts.stopOnFirstFailure ?? true;
    const results: EcwidBatchResult[] = [];
    for (const part of chunk(requests, ECWID_BATCH_MAX_REQUESTS)) {
      if (stopOnFirstFailure && results.some((r) => r.status === "FAILED")) {
        for (const r of part)
          results.push({
            id: r.id,
            status: "NOT_EXECUTED",
            httpStatusCode: ECWID_BATCH_NOT_EXECUTED_STATUS_CODE,
            body: undefined,
          });
        continue;
      }
      const { ticket } = await this.call<{ ticket: string }>("POST", "/batch", {
        query: { stopOnFirstFailure, deduplicationKey: randomUUID() },
        body: part,
        idempotent: true,
        signal: opts.signal,
      });
      results.push(...(await this.awaitBatch(ticket, opts.signal)));
    }
    return results;
  }

  private async awaitBatch(ticket: string, signal?: AbortSignal): Promise<EcwidBatchResult[]> {
    const deadline = Date.now() + this.batchTimeoutMs;
    let wait = this.batchPollIntervalMs;
    for (;;) {
      const s = await this.call<EcwidBatchStatusWire>("GET", "/batch", {
        query: { ticket, escapedJson: true },
        signal,
      });
      if (s.status === "COMPLETED") return (s.responses ?? []).map(normaliseBatchItem);
      if (Date.now() + wait > deadline) {
        throw new ConnectorError({
          system: "ECWID",
          code: "TEMPORARY",
          message: `Ecwid has not finished batch ${ticket} after ${Math.round(this.batchTimeoutMs / 1000)} s (${s.completedRequests ?? 0} of ${s.totalRequests ?? "?"} done); batches of one store run one after another, so an earlier one may still be running.`,
        });
      }
      await abortableSleep(wait, signal);
      wait = Math.min(wait * 1.5, 5_000);
    }
  }
}

/** One inner batch response in a single form: status code and parsed body (§4). */
export function normaliseBatchItem(r: EcwidBatchItemWire): EcwidBatchResult {
  let body: unknown = r.httpBody;
  if (typeof r.escapedHttpBody === "string") {
    try {
      body = r.escapedHttpBody === "" ? undefined : JSON.parse(r.escapedHttpBody);
    } catch {
      body = r.escapedHttpBody;
    }
  }
  const httpStatusCode = r.httpStatusCode ?? r.httpCode ?? ECWID_BATCH_NOT_EXECUTED_STATUS_CODE;
  const out: EcwidBatchResult = { status: r.status, httpStatusCode, body };
  if (r.id !== undefined) out.id = r.id;
  return out;
}
