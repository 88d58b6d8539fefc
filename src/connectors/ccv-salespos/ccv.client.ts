import { randomInt } from "node:crypto";
import type { Logger } from "pino";
import { toNumber, type DecimalInput } from "../../domain/money";
import { normalizeEmail } from "../../domain/party";
import type { StoreProfile } from "../../domain/store";
import { ConnectorError, isConnectorError } from "../http/connector-error";
import type { ConnectorDeps } from "../http/connector-deps";
import { credentialFingerprint } from "../http/fingerprint";
import type { AuthCircuit } from "../http/auth-circuit";
import type { RateBudget } from "../http/rate-budget";
import { HttpTransport, type HttpMethod, type RawResponse, type TransportRequest } from "../http/transport";
import { ccvDate, signCcvRequest, verifyCcvResponse } from "./ccv.auth";
import { emailHash, InMemoryCustomerEmailIndex, type CustomerEmailIndex } from "./ccv.email-index";
import { ccvErrorFromResponse, ccvShapeError, ccvSignatureError } from "./ccv.errors";
import {
  CCV_DEFAULT_LANE_LIMITS,
  ccvLane,
  ccvLaneLimit,
  ccvPathTemplate,
  type CcvLaneLimits,
} from "./ccv.lanes";
import { ccvStoreProfile, pickStoreWebshop } from "./ccv.mapper";
import type {
  CcvAttribute,
  CcvAttributeCombination,
  CcvAttributeCombinationPatch,
  CcvAttributeCreate,
  CcvAttributeValue,
  CcvAttributeValueCreate,
  CcvCategory,
  CcvCategoryCreate,
  CcvCategoryPatch,
  CcvCategoryTree,
  CcvOrder,
  CcvOrderCreate,
  CcvOrderFilter,
  CcvOrderPatch,
  CcvOrderRow,
  CcvPackage,
  CcvPage,
  CcvPaymethod,
  CcvPersonalinfo,
  CcvProduct,
  CcvProductAttributeValue,
  CcvProductAttributeValueCreate,
  CcvProductCreate,
  CcvProductPhoto,
  CcvProductPhotoCreate,
  CcvProductExpand,
  CcvProductFilter,
  CcvProductPatch,
  CcvProductProperty,
  CcvProductPropertyCreate,
  CcvProductPropertyGroup,
  CcvProductPropertyOption,
  CcvProductPropertyValue,
  CcvProductPropertyValueCreate,
  CcvProductQuery,
  CcvProductToCategory,
  CcvProductToCategoryCreate,
  CcvProductToPropertyGroup,
  CcvSettings,
  CcvUser,
  CcvUserCreate,
  CcvUserPatch,
  CcvWebhook,
  CcvWebhookCreate,
  CcvWebhookPatch,
  CcvWebshop,
} from "./ccv.types";
import {
  CCV_ACCEPT_SALESPOS,
  CCV_ACCEPT_WEBSHOP,
  CCV_API_PREFIX,
  CCV_ATTRIBUTE_TYPE_OPTION_MENU,
  CCV_COMBINATION_ATTRIBUTE_TYPES,
  CCV_ERROR,
  CCV_MAX_PAGE_SIZE,
  CCV_ORDER_DATE_FILTER_SLACK_DAYS,
  CCV_QUERY_FALSE,
  CCV_QUERY_TRUE,
  CCV_RATE_LIMIT_WAIT_MS,
  CCV_USER_PASSWORD_LENGTH,
  ccvProductQueryItemKind,
  type CcvWebhookEvent,
} from "./ccv.vendor-facts";
import type { CcvWebhookPayload } from "./ccv.webhooks";

/** How to reach one CCV shop. `salesPos` picks the SalesPOS accept header (§1.3). */
export interface CcvConnection {
  /** the shop host, e.g. https://myshop.ccvshop.nl; the client appends /api/rest/v1 */
  baseUrl: string;
  publicKey: string;
  secretKey: string;
  salesPos?: boolean;
}

export type CcvClientDeps = ConnectorDeps & { emailIndex?: CustomerEmailIndex };

export interface CcvClientOptions {
  /** wait after a 429 (CCV sends no Retry-After); default CCV_RATE_LIMIT_WAIT_MS */
  rateLimitWaitMs?: number;
  /** per-minute lane limits; default GET 150, writes 100, productqueries 30 */
  laneLimits?: Partial<CcvLaneLimits>;
  /** page size of our paged reads; default (and maximum) 250 */
  pageSize?: number;
  /** an e-mail index older than this is refreshed on a miss; default 24 h */
  emailIndexMaxAgeMs?: number;
  /** the shipping package for new products; default: the first of GET /packages, read once */
  packageId?: number;
  /** the clock used for x-date (tests) */
  clock?: () => Date;
}

export type CcvQueryValue = string | number | boolean | null | undefined | readonly string[];
export type CcvQuery = Record<string, CcvQueryValue>;

/** One option axis of a variant product (a CCV option-menu attribute) with its values. */
export interface CcvVariantAxis {
  name: string;
  /** `price`: the value's extra price on this product (productattributevalue price), default 0 */
  values: { name: string; price?: number }[];
}

/** One variant: its value per axis, and what to write on the generated combination. */
export interface CcvVariantSpec {
  options: Record<string, string>;
  sku?: string;
  ean?: string;
  stock?: number;
  active?: boolean;
}

/**
 * What createVariantProduct may reuse from the products before it in one run: the attributes and
 * each attribute's values as last read. A name it does not know is read again before anything is
 * created, so a value added in CCV meanwhile is found, not duplicated.
 */
export interface CcvAttributeMemo {
  attributes?: CcvAttribute[];
  values: Map<number, CcvAttributeValue[]>;
  /**
   * runs the find-or-create of attributes and values: callers that create several variant products
   * at once pass a lock here, so that two of them never create the same attribute or value
   */
  exclusive?: <T>(fn: () => Promise<T>) => Promise<T>;
}

export interface CcvVariantProductInput {
  /**
   * a product to create, or an existing product id (`createdNow`: the caller created it just
   * before, so it has no attribute values to read)
   */
  product:
    (Omit<CcvProductCreate, "package_id"> & { package_id?: number }) | { id: number; createdNow?: boolean };
  axes: CcvVariantAxis[];
  variants: CcvVariantSpec[];
}

export interface CcvSkuMatch {
  /** the CCV product id (for a variant: its combination's product_id) */
  productId: number;
  /** the product, when the lookup read it (a combination-shaped productqueries hit does not) */
  product?: CcvProduct;
  /** set when the SKU/EAN belongs to a variant */
  combination?: CcvAttributeCombination;
}

/** One `GET /productqueries` item, by its shape (§3.4 [unknown]; see ccvProductQueryItemKind). */
export type CcvProductQueryHit =
  { kind: "product"; product: CcvProduct } | { kind: "combination"; combination: CcvAttributeCombination };

export interface CcvWebhookRegistration {
  event: CcvWebhookEvent;
  id: number;
  address: string;
  /** the secret to verify deliveries with; store it with the address */
  key: string;
}

export type CcvWebhookSubject =
  | { entity: "order"; order: CcvOrder; rows: CcvOrderRow[] }
  | { entity: "product"; product: CcvProduct }
  | { entity: "category"; category: CcvCategory }
  | { entity: "invoice" | "return"; data: Record<string, unknown> }
  | { entity: CcvWebhookPayload["entity"]; gone: true; id: string };

export interface CcvConnectionCheck {
  ok: boolean;
  message: string;
  webshopName?: string;
  isSalesPos?: boolean;
  storeId?: string;
}

type Id = number | string;

const SYSTEM = "CCV_SALESPOS" as const;
const DAY_MS = 86_400_000;

/**
 * Lanes seen per (budget, credential), so a `429.11` (the shop's total budget) can block every lane
 * of the credential, including lanes first used during the penalty.
 */
const laneRegistry = new WeakMap<RateBudget, Map<string, { lanes: Set<string>; blockedUntil: number }>>();

/**
 * The CCV SalesPOS REST client (reference §1–§6). Every request is signed per attempt with a fresh
 * x-date; every 2xx response is verified over its raw bytes before it is parsed; every request
 * spends from the credential's per-operation budget (`${METHOD} ${pathTemplate}` lanes).
 */
export class CcvClient {
  readonly credentialKey: string;
  readonly emailIndex: CustomerEmailIndex;
  private readonly transport: HttpTransport;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly accept: string;
  private readonly limits: CcvLaneLimits;
  private readonly rateLimitWaitMs: number;
  private readonly pageSize: number;
  private readonly emailIndexMaxAgeMs: number;
  private readonly clock: () => Date;
  private readonly logger?: Logger;
  private packageId?: Promise<number>;
  private indexRefresh?: Promise<void>;

  constructor(
    private readonly conn: CcvConnection,
    private readonly deps: CcvClientDeps,
    opts: CcvClientOptions = {},
  ) {
    const base = new URL(conn.baseUrl);
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, "");
    this.accept = conn.salesPos ? CCV_ACCEPT_SALESPOS : CCV_ACCEPT_WEBSHOP;
    this.limits = { ...CCV_DEFAULT_LANE_LIMITS, ...opts.laneLimits };
    this.rateLimitWaitMs = opts.rateLimitWaitMs ?? CCV_RATE_LIMIT_WAIT_MS;
    this.pageSize = Math.max(1, Math.min(opts.pageSize ?? CCV_MAX_PAGE_SIZE, CCV_MAX_PAGE_SIZE));
    this.emailIndexMaxAgeMs = opts.emailIndexMaxAgeMs ?? DAY_MS;
    this.clock = opts.clock ?? (() => new Date());
    if (opts.packageId !== undefined) this.packageId = Promise.resolve(opts.packageId);
    this.emailIndex = deps.emailIndex ?? new InMemoryCustomerEmailIndex();
    this.logger = deps.logger;
    this.credentialKey = credentialFingerprint("ccv", `${this.origin}${this.basePath}`, conn.publicKey);
    this.transport = new HttpTransport({
      system: SYSTEM,
      credentialKey: this.credentialKey,
      budget: deps.budget,
      // CCV budgets belong to the public key, but a refusal belongs to the key pair: a corrected
      // secret key must not stay blocked by the circuit its wrong predecessor tripped
      circuit: deps.circuit && pairCircuit(deps.circuit, credentialFingerprint(conn.secretKey)),
      classify: (res, req) => this.classify(res, req),
      logger: deps.logger,
      observe: deps.observe,
      ...deps.transport,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Core: signing, sending, verifying, paging

  /** The request target as signed and sent: base path + prefix + path + query. */
  uri(path: string, query: CcvQuery = {}): string {
    const qs = encodeQuery(query);
    return `${this.basePath}${CCV_API_PREFIX}${path}${qs ? `?${qs}` : ""}`;
  }

  /** A `first/previous/next` link → our uri: everything before /api is dropped (§3.1). */
  private uriFromLink(link: string): string {
    const i = link.indexOf(`${CCV_API_PREFIX}/`);
    if (i < 0) throw ccvShapeError("GET", "a collection", "a paging link outside the API");
    return `${this.basePath}${link.slice(i)}`;
  }

  private lanes(): { lanes: Set<string>; blockedUntil: number } {
    let byKey = laneRegistry.get(this.deps.budget);
    if (!byKey) {
      byKey = new Map();
      laneRegistry.set(this.deps.budget, byKey);
    }
    let entry = byKey.get(this.credentialKey);
    if (!entry) {
      entry = { lanes: new Set(), blockedUntil: 0 };
      byKey.set(this.credentialKey, entry);
    }
    return entry;
  }

  private useLane(lane: string): void {
    const entry = this.lanes();
    if (!entry.lanes.has(lane)) {
      entry.lanes.add(lane);
      if (entry.blockedUntil > Date.now())
        this.deps.budget.penalize(this.credentialKey, lane, entry.blockedUntil);
    }
  }

  /** 429.11: the total budget is spent — no lane of this credential may start before `until`. */
  private penalizeAllLanes(until: number): void {
    const entry = this.lanes();
    entry.blockedUntil = Math.max(entry.blockedUntil, until);
    for (const lane of entry.lanes) this.deps.budget.penalize(this.credentialKey, lane, entry.blockedUntil);
  }

  private classify(res: RawResponse, req: TransportRequest): ConnectorError | null {
    const uri = req.url.slice(this.origin.length);
    const resource = ccvPathTemplate(uri);
    if (res.status >= 200 && res.status < 300) {
      const ok = verifyCcvResponse(this.conn.secretKey, {
        publicKey: this.conn.publicKey,
        method: req.method,
        uri,
        rawBody: res.body,
        date: res.headers["x-date"],
        hash: res.headers["x-hash"],
      });
      return ok ? null : ccvSignatureError(res.status, req.method, resource, !res.headers["x-hash"]);
    }
    const e = ccvErrorFromResponse(res.status, res.text, {
      method: req.method,
      resource,
      rateLimitWaitMs: this.rateLimitWaitMs,
    });
    if (e.code === "RATE_LIMITED" && e.vendorCode === CCV_ERROR.RATE_LIMIT_TOTAL) {
      this.penalizeAllLanes(Date.now() + this.rateLimitWaitMs);
    }
    return e;
  }

  /**
   * Sends one request. The body is serialised once; that exact text is signed and sent. Resolves
   * with the verified raw response and its parsed JSON (undefined for an empty body).
   */
  private async send<T>(
    method: HttpMethod,
    uri: string,
    payload?: unknown,
    signal?: AbortSignal,
  ): Promise<{ status: number; data: T | undefined }> {
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    const lane = ccvLane(method, uri);
    this.useLane(lane);
    const headers: Record<string, string> = { accept: this.accept };
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await this.transport.send({
      method,
      url: `${this.origin}${uri}`,
      headers,
      body,
      lane,
      perMinute: ccvLaneLimit(lane, this.limits),
      sign: () =>
        signCcvRequest(
          this.conn.publicKey,
          this.conn.secretKey,
          method,
          uri,
          body ?? "",
          ccvDate(this.clock()),
        ),
      signal,
    });
    if (res.text.trim() === "") return { status: res.status, data: undefined };
    try {
      return { status: res.status, data: JSON.parse(res.text) as T };
    } catch {
      throw ccvShapeError(method, ccvPathTemplate(uri), "a body that is not JSON");
    }
  }

  private async getJson<T>(path: string, query?: CcvQuery): Promise<T> {
    const { data } = await this.send<T>("GET", this.uri(path, query));
    if (data === undefined) throw ccvShapeError("GET", ccvPathTemplate(path), "an empty body");
    return data;
  }

  /**
   * POST that returns the created resource (§4.1: 201 + resource). CCV sometimes answers a
   * successful POST without content; then the new record cannot be named, so the error says the
   * write may have happened (the engine looks it up by our reference before trying again).
   */
  private async create<T>(path: string, payload: unknown): Promise<T> {
    const { data } = await this.send<T>("POST", this.uri(path), payload);
    if (data === undefined || data === null || typeof data !== "object") {
      throw new ConnectorError({
        system: SYSTEM,
        code: "TEMPORARY",
        message: `CCV SalesPOS accepted POST ${ccvPathTemplate(path)} but did not return the new record; the gateway looks it up before trying again.`,
        ambiguous: true,
      });
    }
    return data;
  }

  private async write(method: "PATCH" | "PUT" | "DELETE", path: string, payload?: unknown): Promise<void> {
    await this.send(method, this.uri(path), payload);
  }

  /**
   * Every item of a paged collection (§3.1): asks for `size` items per page (250 by default) and
   * follows `next` until it is null, re-signing the link's path + query exactly as given.
   */
  async *paginate<T>(
    path: string,
    query: CcvQuery = {},
    opts: { size?: number; signal?: AbortSignal } = {},
  ): AsyncGenerator<T> {
    const size = Math.max(1, Math.min(opts.size ?? this.pageSize, CCV_MAX_PAGE_SIZE));
    yield* this.walk<T>(this.uri(path, { ...query, start: 0, size }), opts.signal);
  }

  /**
   * One page of a paged collection from offset `start`: what a resumable scan reads per step
   * (it keeps `start` between runs). `hasNext` follows the server's `next` link.
   */
  async page<T>(
    path: string,
    start: number,
    query: CcvQuery = {},
    opts: { size?: number; signal?: AbortSignal } = {},
  ): Promise<{ items: T[]; hasNext: boolean }> {
    const size = Math.max(1, Math.min(opts.size ?? this.pageSize, CCV_MAX_PAGE_SIZE));
    const uri = this.uri(path, { ...query, start, size });
    const { data } = await this.send<CcvPage<T>>("GET", uri, undefined, opts.signal);
    if (!data || !Array.isArray(data.items))
      throw ccvShapeError("GET", ccvPathTemplate(uri), "something that is not a collection");
    return { items: data.items, hasNext: !!data.next && data.items.length > 0 };
  }

  /**
   * Every item of a collection CCV does not page (`{href, items}`, §3.1); follows `next` if a
   * server pages it after all.
   */
  async list<T>(path: string, query: CcvQuery = {}): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this.walk<T>(this.uri(path, query))) out.push(item);
    return out;
  }

  private async *walk<T>(first: string, signal?: AbortSignal): AsyncGenerator<T> {
    const seen = new Set<string>();
    let uri: string | null = first;
    while (uri) {
      if (seen.has(uri))
        throw ccvShapeError(
          "GET",
          ccvPathTemplate(uri),
          "a paging link that points back to a page already read",
        );
      seen.add(uri);
      const page: { data: CcvPage<T> | undefined } = await this.send<CcvPage<T>>(
        "GET",
        uri,
        undefined,
        signal,
      );
      const data = page.data;
      if (!data || !Array.isArray(data.items)) {
        throw ccvShapeError("GET", ccvPathTemplate(uri), "something that is not a collection");
      }
      for (const item of data.items) yield item;
      uri = data.next && data.items.length > 0 ? this.uriFromLink(data.next) : null;
    }
  }

  private async collect<T>(it: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  }

  /** getMany for DataLoaders: CCV has no batch read, so one GET per id (deduplicated); missing → null. */
  private async getMany<T>(ids: readonly Id[], get: (id: Id) => Promise<T>): Promise<(T | null)[]> {
    const unique = [...new Set(ids.map(String))];
    const found = new Map<string, T | null>();
    await Promise.all(
      unique.map(async (id) => {
        try {
          found.set(id, await get(id));
        } catch (e) {
          if (isConnectorError(e) && e.code === "NOT_FOUND") found.set(id, null);
          else throw e;
        }
      }),
    );
    return ids.map((id) => found.get(String(id)) ?? null);
  }

  // -------------------------------------------------------------------------------------------
  // Webshops, settings, store profile, connection test (§5.10)

  async getWebshops(): Promise<CcvWebshop[]> {
    return this.list<CcvWebshop>("/webshops");
  }

  async getWebshop(id: Id): Promise<CcvWebshop> {
    return this.getJson<CcvWebshop>(`/webshops/${id}`);
  }

  async getSettings(webshopId: Id): Promise<CcvSettings> {
    return this.getJson<CcvSettings>(`/webshops/${webshopId}/settings`);
  }

  /** Webshop (the SalesPOS one when present, else the first) + its settings → StoreProfile. */
  async getStoreProfile(): Promise<StoreProfile> {
    const webshop = pickStoreWebshop(await this.getWebshops());
    if (!webshop) {
      throw new ConnectorError({
        system: SYSTEM,
        code: "VALIDATION",
        message: "CCV SalesPOS: this API key sees no webshop. Create the key in the shop's own back office.",
      });
    }
    return ccvStoreProfile(webshop, await this.getSettings(webshop.id));
  }

  /**
   * Signs a request to /webshops and verifies the signed answer (any tampering or a wrong secret
   * fails here); reports the webshop and whether it is a SalesPOS account.
   */
  async testConnection(): Promise<CcvConnectionCheck> {
    try {
      const webshop = pickStoreWebshop(await this.getWebshops());
      if (!webshop)
        return { ok: false, message: "Connected to CCV SalesPOS, but this API key sees no webshop." };
      const kind = webshop.is_salespos ? "a CCV SalesPOS account" : "a CCV webshop (not a SalesPOS account)";
      return {
        ok: true,
        message: `Connected to "${webshop.name}", ${kind}.`,
        webshopName: webshop.name,
        isSalesPos: webshop.is_salespos === true,
        storeId: String(webshop.id),
      };
    } catch (e) {
      if (isConnectorError(e)) return { ok: false, message: e.message };
      throw e;
    }
  }

  async listPackages(): Promise<CcvPackage[]> {
    return this.list<CcvPackage>("/packages");
  }

  /**
   * The shipping package new products get (`package_id` is required on POST /products, §5.1):
   * the configured one, else the first of GET /packages, read once per client.
   */
  async defaultPackageId(): Promise<number> {
    if (!this.packageId) {
      this.packageId = this.listPackages().then((p) => {
        if (p.length === 0) {
          throw new ConnectorError({
            system: SYSTEM,
            code: "VALIDATION",
            message:
              "CCV SalesPOS has no shipping package, which every product needs. Create one in the CCV back office.",
          });
        }
        return p[0].id;
      });
      this.packageId.catch(() => (this.packageId = undefined));
    }
    return this.packageId;
  }

  async listPaymethods(): Promise<CcvPaymethod[]> {
    return this.list<CcvPaymethod>("/paymethods");
  }

  // -------------------------------------------------------------------------------------------
  // Products (§5.1) and lookups (§3.4 productqueries)

  paginateProducts(filter: CcvProductFilter = {}): AsyncGenerator<CcvProduct> {
    return this.paginate<CcvProduct>("/products", productQuery(filter));
  }

  async listProducts(filter: CcvProductFilter = {}): Promise<CcvProduct[]> {
    return this.collect(this.paginateProducts(filter));
  }

  async getProduct(id: Id, opts: { expand?: CcvProductExpand[] } = {}): Promise<CcvProduct> {
    return this.getJson<CcvProduct>(`/products/${id}`, { expand: opts.expand });
  }

  async getProducts(
    ids: readonly Id[],
    opts: { expand?: CcvProductExpand[] } = {},
  ): Promise<(CcvProduct | null)[]> {
    return this.getMany(ids, (id) => this.getProduct(id, opts));
  }

  /** POST /products; `package_id` defaults to `defaultPackageId()`. */
  async createProduct(
    input: Omit<CcvProductCreate, "package_id"> & { package_id?: number },
  ): Promise<CcvProduct> {
    const body: CcvProductCreate = {
      ...input,
      package_id: input.package_id ?? (await this.defaultPackageId()),
    };
    return this.create<CcvProduct>("/products", body);
  }

  async updateProduct(id: Id, patch: CcvProductPatch): Promise<void> {
    await this.write("PATCH", `/products/${id}`, patch);
  }

  /**
   * GET /productqueries (30/min lane): products and attribute combinations matching a number
   * (§3.4). The item shape is [unknown]: each item is classified by its fields
   * (`ccvProductQueryItemKind`) into a product (maybe with its matching combinations embedded) or an
   * attribute combination with its `product_id`; items of neither shape are left out.
   */
  async productQuery(q: CcvProductQuery): Promise<CcvProductQueryHit[]> {
    if (!q.productnumber && !q.eannumber && !q.mpnnumber && !q.skunumber) {
      throw new ConnectorError({
        system: SYSTEM,
        code: "VALIDATION",
        message: "A CCV product query needs a number to search for.",
      });
    }
    const hits: CcvProductQueryHit[] = [];
    for await (const item of this.paginate<unknown>("/productqueries", { ...q })) {
      const kind = ccvProductQueryItemKind(item);
      if (kind === "combination") hits.push({ kind, combination: item as CcvAttributeCombination });
      else if (kind === "product") hits.push({ kind, product: item as CcvProduct });
    }
    return hits;
  }

  /**
   * Finds the product or variant with this SKU. For when the gateway's own links and catalogue index
   * miss: first the products filter (150/min lane), then productqueries (30/min) for combinations.
   */
  async findBySku(sku: string): Promise<CcvSkuMatch | undefined> {
    return this.findByNumber("sku", sku);
  }

  /** Finds the product or variant with this EAN (same strategy as findBySku). */
  async findByEan(ean: string): Promise<CcvSkuMatch | undefined> {
    return this.findByNumber("ean", ean);
  }

  private async findByNumber(kind: "sku" | "ean", value: string): Promise<CcvSkuMatch | undefined> {
    const v = value.trim();
    if (v === "") return undefined;
    // the filter's match semantics (exact or LIKE) are not documented: check equality ourselves
    const products = await this.listProducts(kind === "sku" ? { productnumber: v } : { eannumber: v });
    const product = products.find((p) => (kind === "sku" ? p.productnumber : p.eannumber) === v);
    if (product) return { productId: product.id, product };
    const hits = await this.productQuery(kind === "sku" ? { skunumber: v } : { eannumber: v });
    const matches = (c: CcvAttributeCombination) =>
      kind === "sku" ? c.sku_number === v || (!c.sku_number && c.product_number === v) : c.ean_number === v;
    // a combination item names its product by product_id; its own id is never a product id
    const combination = hits.find(
      (h): h is Extract<CcvProductQueryHit, { kind: "combination" }> =>
        h.kind === "combination" && matches(h.combination),
    )?.combination;
    if (combination) return { productId: combination.product_id, combination };
    for (const h of hits) {
      if (h.kind !== "product") continue;
      const p = h.product;
      if ((kind === "sku" ? p.productnumber : p.eannumber) === v) return { productId: p.id, product: p };
      const combos = p.attributecombinations?.collection ?? (await this.listAttributeCombinations(p.id));
      const c = combos.find(matches);
      if (c) return { productId: p.id, product: p, combination: c };
    }
    return undefined;
  }

  /** Stock is an absolute figure; CCV has no delta endpoint (§6). */
  async setProductStock(productId: Id, quantity: DecimalInput): Promise<void> {
    await this.updateProduct(productId, { stock: toNumber(quantity) });
  }

  async setCombinationStock(combinationId: Id, quantity: DecimalInput): Promise<void> {
    await this.updateAttributeCombination(combinationId, { stock: toNumber(quantity) });
  }

  // -------------------------------------------------------------------------------------------
  // Product photos (§5.2)

  async listProductPhotos(productId: Id): Promise<CcvProductPhoto[]> {
    return this.list<CcvProductPhoto>(`/products/${productId}/productphotos`);
  }

  async createProductPhoto(productId: Id, input: CcvProductPhotoCreate): Promise<CcvProductPhoto> {
    return this.create<CcvProductPhoto>(`/products/${productId}/productphotos`, input);
  }

  /** PUT: replaces all photos of the product (an empty list deletes them all) */
  async replaceProductPhotos(productId: Id, photos: CcvProductPhotoCreate[]): Promise<void> {
    await this.write("PUT", `/products/${productId}/productphotos`, { productphotos: photos });
  }

  // -------------------------------------------------------------------------------------------
  // Categories (§5.3)

  paginateCategories(): AsyncGenerator<CcvCategory> {
    return this.paginate<CcvCategory>("/categories");
  }

  async getCategory(id: Id): Promise<CcvCategory> {
    return this.getJson<CcvCategory>(`/categories/${id}`);
  }

  async getCategories(ids: readonly Id[]): Promise<(CcvCategory | null)[]> {
    return this.getMany(ids, (id) => this.getCategory(id));
  }

  async createCategory(input: CcvCategoryCreate): Promise<CcvCategory> {
    return this.create<CcvCategory>("/categories", input);
  }

  async updateCategory(id: Id, patch: CcvCategoryPatch): Promise<void> {
    await this.write("PATCH", `/categories/${id}`, patch);
  }

  async getCategoryTree(): Promise<CcvCategoryTree> {
    return this.getJson<CcvCategoryTree>("/categorytree");
  }

  async listProductToCategories(productId: Id): Promise<CcvProductToCategory[]> {
    return this.list<CcvProductToCategory>(`/products/${productId}/producttocategories`);
  }

  async createProductToCategory(input: CcvProductToCategoryCreate): Promise<CcvProductToCategory> {
    return this.create<CcvProductToCategory>("/producttocategories", input);
  }

  async deleteProductToCategory(id: Id): Promise<void> {
    await this.write("DELETE", `/producttocategories/${id}`);
  }

  // -------------------------------------------------------------------------------------------
  // Attributes, values, product attribute values, combinations (§5.4)

  async listAttributes(): Promise<CcvAttribute[]> {
    return this.list<CcvAttribute>("/attributes");
  }

  async createAttribute(input: CcvAttributeCreate): Promise<CcvAttribute> {
    return this.create<CcvAttribute>("/attributes", input);
  }

  async listAttributeValues(attributeId: Id): Promise<CcvAttributeValue[]> {
    return this.list<CcvAttributeValue>(`/attributes/${attributeId}/attributevalues`);
  }

  async createAttributeValue(attributeId: Id, input: CcvAttributeValueCreate): Promise<CcvAttributeValue> {
    return this.create<CcvAttributeValue>(`/attributes/${attributeId}/attributevalues`, input);
  }

  /**
   * The option-menu attribute with this name (case- and space-insensitive), created when missing.
   * Pass `known` (from listAttributes) to save the read when resolving several names.
   */
  async findOrCreateAttribute(name: string, known?: CcvAttribute[]): Promise<CcvAttribute> {
    const all = known ?? (await this.listAttributes());
    const hit = all.find((a) => sameName(a.name, name) && CCV_COMBINATION_ATTRIBUTE_TYPES.includes(a.type));
    if (hit) return hit;
    const created = await this.createAttribute({ name: name.trim(), type: CCV_ATTRIBUTE_TYPE_OPTION_MENU });
    known?.push(created);
    return created;
  }

  async findOrCreateAttributeValue(
    attributeId: Id,
    name: string,
    defaultPrice = 0,
    known?: CcvAttributeValue[],
  ): Promise<CcvAttributeValue> {
    const all = known ?? (await this.listAttributeValues(attributeId));
    const hit = all.find((v) => sameName(v.name, name));
    if (hit) return hit;
    const created = await this.createAttributeValue(attributeId, {
      name: name.trim(),
      default_price: defaultPrice,
    });
    known?.push(created);
    return created;
  }

  async listProductAttributeValues(productId: Id): Promise<CcvProductAttributeValue[]> {
    return this.collect(
      this.paginate<CcvProductAttributeValue>(`/products/${productId}/productattributevalues`),
    );
  }

  async createProductAttributeValue(
    productId: Id,
    input: CcvProductAttributeValueCreate,
  ): Promise<CcvProductAttributeValue> {
    return this.create<CcvProductAttributeValue>(`/products/${productId}/productattributevalues`, input);
  }

  /** PATCH /productattributevalues/{id} (CCV §5.4): the value's extra price on this product, its positions */
  async updateProductAttributeValue(
    id: Id,
    patch: { price?: number; position?: number; optionposition?: number },
  ): Promise<void> {
    await this.write("PATCH", `/productattributevalues/${id}`, patch);
  }

  async listAttributeCombinations(productId: Id): Promise<CcvAttributeCombination[]> {
    return this.list<CcvAttributeCombination>(`/products/${productId}/attributecombinations`);
  }

  async getAttributeCombination(id: Id): Promise<CcvAttributeCombination> {
    return this.getJson<CcvAttributeCombination>(`/attributecombinations/${id}`);
  }

  async updateAttributeCombination(id: Id, patch: CcvAttributeCombinationPatch): Promise<void> {
    await this.write("PATCH", `/attributecombinations/${id}`, patch);
  }

  /**
   * Creates (or extends) a product with variants the CCV way (§5.4): find-or-create one option-menu
   * attribute per axis and its values, attach every value to the product (CCV then generates the
   * attribute combinations as the cartesian product), read the generated combinations, and PATCH
   * each with its variant's SKU, EAN, stock and active flag. Returns the product and its
   * combinations as read back (one GET with expand=attributecombinations).
   *
   * Every variant must name exactly one listed value per axis; this is checked before any write.
   */
  async createVariantProduct(
    input: CcvVariantProductInput,
    memo?: CcvAttributeMemo,
  ): Promise<{ product: CcvProduct; combinations: CcvAttributeCombination[] }> {
    validateVariants(input);
    const isNew = !("id" in input.product) || input.product.createdNow === true;
    const productId = "id" in input.product ? input.product.id : (await this.createProduct(input.product)).id;

    // the attributes and their values: from the memo of earlier products of the run, read again
    // before anything is created for a name the memo does not know (someone may have added it)
    const m: CcvAttributeMemo = memo ?? { values: new Map() };
    let freshAttributes = false;
    const readAttributes = async () => {
      m.attributes = await this.listAttributes();
      freshAttributes = true;
      return m.attributes;
    };
    const valueIds = new Map<string, Map<string, number>>(); // axis → value name (normalised) → attributevalue id
    const resolve = async () => {
      let attributes = m.attributes ?? (await readAttributes());
      for (const axis of input.axes) {
        const isAxis = (a: CcvAttribute) =>
          sameName(a.name, axis.name) && CCV_COMBINATION_ATTRIBUTE_TYPES.includes(a.type);
        if (!freshAttributes && !attributes.some(isAxis)) attributes = await readAttributes();
        const before = attributes.length;
        // findOrCreateAttribute adds what it creates to the list (the memo's own)
        const attribute = await this.findOrCreateAttribute(axis.name, attributes);
        // an attribute created just now has no values yet: nothing to read
        const createdNow = attributes.length > before;
        let known = m.values.get(attribute.id);
        const missing = (list: CcvAttributeValue[]) =>
          axis.values.some((v) => !list.some((k) => sameName(k.name, v.name)));
        if (!known || (!createdNow && missing(known))) {
          known = createdNow ? [] : await this.listAttributeValues(attribute.id);
          m.values.set(attribute.id, known);
        }
        const ids = new Map<string, number>();
        for (const v of axis.values) {
          ids.set(norm(v.name), (await this.findOrCreateAttributeValue(attribute.id, v.name, 0, known)).id);
        }
        valueIds.set(norm(axis.name), ids);
      }
    };
    await (m.exclusive ? m.exclusive(resolve) : resolve());

    // a product created just now has no attribute values attached
    const attached = new Set(
      isNew ? [] : (await this.listProductAttributeValues(productId)).map((pav) => pav.optionvalue_id),
    );
    for (const axis of input.axes) {
      for (const v of axis.values) {
        const id = valueIds.get(norm(axis.name))!.get(norm(v.name))!;
        if (attached.has(id)) continue;
        await this.createProductAttributeValue(productId, { optionvalue: id, price: v.price ?? 0 });
        attached.add(id);
      }
    }

    const combinations = await this.listAttributeCombinations(productId);
    const byKey = new Map(
      combinations.map((c) => [combinationKey((c.combination ?? []).map((p) => p.attribute_value.id)), c]),
    );
    for (const variant of input.variants) {
      const ids = Object.entries(variant.options).map(([axis, value]) =>
        valueIds.get(norm(axis))!.get(norm(value))!,
      );
      const combination = byKey.get(combinationKey(ids));
      if (!combination) {
        throw new ConnectorError({
          system: SYSTEM,
          code: "VALIDATION",
          message: `CCV SalesPOS did not generate a variant for ${describeOptions(variant.options)} on product ${productId}.`,
        });
      }
      const patch: CcvAttributeCombinationPatch = {};
      if (variant.sku !== undefined) patch.sku_number = variant.sku;
      if (variant.ean !== undefined) patch.ean_number = variant.ean;
      if (variant.stock !== undefined) patch.stock = variant.stock;
      if (variant.active !== undefined) patch.active = variant.active;
      if (Object.keys(patch).length > 0) await this.updateAttributeCombination(combination.id, patch);
    }

    const product = await this.getProduct(productId, { expand: ["attributecombinations"] });
    const readBack =
      product.attributecombinations?.collection ?? (await this.listAttributeCombinations(productId));
    return { product, combinations: readBack };
  }

  // -------------------------------------------------------------------------------------------
  // Product properties / features (§5.5)

  async listPropertyGroups(): Promise<CcvProductPropertyGroup[]> {
    return this.list<CcvProductPropertyGroup>("/productpropertygroups");
  }

  async createPropertyGroup(name: string): Promise<CcvProductPropertyGroup> {
    return this.create<CcvProductPropertyGroup>("/productpropertygroups", { name });
  }

  async listProperties(groupId: Id): Promise<CcvProductProperty[]> {
    return this.list<CcvProductProperty>(`/productpropertygroups/${groupId}/productproperties`);
  }

  async createProperty(groupId: Id, input: CcvProductPropertyCreate): Promise<CcvProductProperty> {
    return this.create<CcvProductProperty>(`/productpropertygroups/${groupId}/productproperties`, input);
  }

  async listPropertyOptions(propertyId: Id): Promise<CcvProductPropertyOption[]> {
    return this.list<CcvProductPropertyOption>(`/productproperties/${propertyId}/productpropertyoptions`);
  }

  async createPropertyOption(
    propertyId: Id,
    input: { name: string; position?: number },
  ): Promise<CcvProductPropertyOption> {
    return this.create<CcvProductPropertyOption>(
      `/productproperties/${propertyId}/productpropertyoptions`,
      input,
    );
  }

  async listProductToPropertyGroups(productId: Id): Promise<CcvProductToPropertyGroup[]> {
    return this.list<CcvProductToPropertyGroup>(`/products/${productId}/producttopropertygroups`);
  }

  async createProductToPropertyGroup(productId: number, groupId: number): Promise<CcvProductToPropertyGroup> {
    return this.create<CcvProductToPropertyGroup>("/producttopropertygroups", {
      product_id: productId,
      product_property_group_id: groupId,
    });
  }

  async createProductPropertyValue(input: CcvProductPropertyValueCreate): Promise<CcvProductPropertyValue> {
    return this.create<CcvProductPropertyValue>("/productpropertyvalues", input);
  }

  async getProductPropertyValue(id: Id): Promise<CcvProductPropertyValue> {
    return this.getJson<CcvProductPropertyValue>(`/productpropertyvalues/${id}`);
  }

  async updateProductPropertyValue(id: Id, value: boolean | number | string): Promise<void> {
    await this.write("PATCH", `/productpropertyvalues/${id}`, { value });
  }

  // -------------------------------------------------------------------------------------------
  // Orders and order rows (§5.6)

  /**
   * Orders, oldest filters first. The date filters' format and time zone are unknown (§3.4), so the
   * server filter is widened by a day on each side and the exact range is applied on `create_date`.
   */
  async *paginateOrders(filter: CcvOrderFilter = {}): AsyncGenerator<CcvOrder> {
    const q: CcvQuery = {
      ordernumber: filter.ordernumber,
      status: filter.status,
      is_paid: filter.is_paid,
      is_completed: filter.is_completed,
      paymethod_id: filter.paymethod_id,
      transaction_id: filter.transaction_id,
      orderby: filter.orderby,
    };
    const slack = CCV_ORDER_DATE_FILTER_SLACK_DAYS * DAY_MS;
    if (filter.min_create_date) q.min_create_date = isoDay(filter.min_create_date.getTime() - slack);
    if (filter.max_create_date) q.max_create_date = isoDay(filter.max_create_date.getTime() + slack);
    const min = filter.min_create_date?.getTime();
    const max = filter.max_create_date?.getTime();
    for await (const o of this.paginate<CcvOrder>("/orders", q)) {
      const t = Date.parse(o.create_date);
      if (!Number.isNaN(t) && ((min !== undefined && t < min) || (max !== undefined && t > max))) continue;
      yield o;
    }
  }

  async getOrder(id: Id): Promise<CcvOrder> {
    return this.getJson<CcvOrder>(`/orders/${id}`);
  }

  async getOrders(ids: readonly Id[]): Promise<(CcvOrder | null)[]> {
    return this.getMany(ids, (id) => this.getOrder(id));
  }

  async createOrder(input: CcvOrderCreate): Promise<CcvOrder> {
    return this.create<CcvOrder>("/orders", input);
  }

  async updateOrder(id: Id, patch: CcvOrderPatch): Promise<void> {
    await this.write("PATCH", `/orders/${id}`, patch);
  }

  async listOrderRows(orderId: Id): Promise<CcvOrderRow[]> {
    return this.collect(this.paginate<CcvOrderRow>(`/orders/${orderId}/orderrows`));
  }

  /**
   * The order that carries our reference in `reservationnumber`, created since `since`. CCV has no
   * filter on it, so this pages the orders of that period: for the check before a (re-)create.
   */
  async findOrderByReference(reference: string, since: Date): Promise<CcvOrder | undefined> {
    for await (const o of this.paginateOrders({ min_create_date: since })) {
      if (o.reservationnumber === reference) return o;
    }
    return undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Users (customers) and the e-mail index (§5.7)

  paginateUsers(filter: { approval_status?: "pending" | "accepted" } = {}): AsyncGenerator<CcvUser> {
    return this.paginate<CcvUser>("/users", { ...filter });
  }

  async getUser(id: Id): Promise<CcvUser> {
    return this.getJson<CcvUser>(`/users/${id}`);
  }

  async getUsers(ids: readonly Id[]): Promise<(CcvUser | null)[]> {
    return this.getMany(ids, (id) => this.getUser(id));
  }

  /**
   * Creates a customer account (POST /users needs username + password). The username is the
   * e-mail; the password is a random 32-character secret nobody knows: the account exists for
   * bookkeeping, and the customer uses "forgot password" to log in. The index learns the new id.
   */
  async createUser(input: {
    userinfo: CcvPersonalinfo;
    group_id?: number;
    status?: boolean;
  }): Promise<CcvUser> {
    const email = normalizeEmail(input.userinfo.email ?? null);
    if (!email) {
      throw new ConnectorError({
        system: SYSTEM,
        code: "VALIDATION",
        message: "A CCV customer account needs an e-mail address.",
      });
    }
    const body: CcvUserCreate = {
      username: email,
      password: randomPassword(),
      ...input,
      userinfo: { ...input.userinfo, email },
    };
    const user = await this.create<CcvUser>("/users", body);
    await this.emailIndex.set(emailHash(email)!, String(user.id));
    return user;
  }

  async updateUser(id: Id, patch: CcvUserPatch): Promise<void> {
    await this.write("PATCH", `/users/${id}`, patch);
    const h = emailHash(patch.userinfo?.email ?? null);
    if (h) await this.emailIndex.set(h, String(id));
  }

  /**
   * The CCV user with this e-mail. Index hit → the user is read and its e-mail confirmed (a stale
   * entry is dropped). Miss → when the index was never filled or is older than the maximum age,
   * it is rebuilt once by paging all users and consulted again; a fresh index is trusted, so a
   * lookup never scans all users.
   */
  async findUserByEmail(email: string): Promise<CcvUser | undefined> {
    const h = emailHash(email);
    if (!h) return undefined;
    const hit = await this.userFromIndex(h);
    if (hit) return hit;
    const refreshed = await this.emailIndex.lastRefreshedAt();
    if (refreshed && this.clock().getTime() - refreshed.getTime() < this.emailIndexMaxAgeMs) return undefined;
    await this.refreshEmailIndex();
    return this.userFromIndex(h);
  }

  private async userFromIndex(h: string): Promise<CcvUser | undefined> {
    const id = await this.emailIndex.get(h);
    if (!id) return undefined;
    try {
      const user = await this.getUser(id);
      if (emailHash(userEmail(user)) === h) return user;
    } catch (e) {
      if (!isConnectorError(e) || e.code !== "NOT_FOUND") throw e;
    }
    await this.emailIndex.delete(h);
    return undefined;
  }

  /** Rebuilds the index from all users (concurrent callers share one walk). */
  async refreshEmailIndex(): Promise<void> {
    if (!this.indexRefresh) {
      this.indexRefresh = (async () => {
        const startedAt = this.clock();
        const entries = new Map<string, string>();
        for await (const u of this.paginateUsers()) {
          const h = emailHash(userEmail(u));
          // two accounts with one e-mail: the first (oldest) one wins
          if (h && !entries.has(h)) entries.set(h, String(u.id));
        }
        await this.emailIndex.setMany([...entries]);
        await this.emailIndex.markRefreshed(startedAt);
        this.logger?.debug({ system: SYSTEM, users: entries.size }, "CCV e-mail index refreshed");
      })().finally(() => (this.indexRefresh = undefined));
    }
    return this.indexRefresh;
  }

  // -------------------------------------------------------------------------------------------
  // Webhooks (§5.9)

  async listWebhooks(): Promise<CcvWebhook[]> {
    return this.collect(this.paginate<CcvWebhook>("/webhooks"));
  }

  /** Registers one URL for one event; the answer carries the webhook's `key`. */
  async createWebhook(event: CcvWebhookEvent, address: string, isActive = true): Promise<CcvWebhook> {
    const body: CcvWebhookCreate = { event, address, is_active: isActive };
    return this.create<CcvWebhook>("/webhooks", body);
  }

  async updateWebhook(id: Id, patch: CcvWebhookPatch): Promise<void> {
    await this.write("PATCH", `/webhooks/${id}`, patch);
  }

  async deleteWebhook(id: Id): Promise<void> {
    await this.write("DELETE", `/webhooks/${id}`);
  }

  /**
   * Makes sure each event has exactly our address registered (one URL per event, §5.9.2): reuses an
   * existing registration (re-activating it), creates missing ones; returns each with its key.
   */
  async ensureWebhooks(
    events: readonly CcvWebhookEvent[],
    addressFor: (event: CcvWebhookEvent) => string,
  ): Promise<CcvWebhookRegistration[]> {
    const existing = await this.listWebhooks();
    const out: CcvWebhookRegistration[] = [];
    for (const event of events) {
      const address = addressFor(event);
      let hook = existing.find((w) => w.event === event && w.address === address);
      if (hook && !hook.is_active) await this.updateWebhook(hook.id, { is_active: true });
      if (!hook) hook = await this.createWebhook(event, address);
      out.push({ event, id: hook.id, address, key: hook.key });
    }
    return out;
  }

  /** Re-reads what a webhook is about through the signed API (payloads are triggers, never truth). */
  async fetchWebhookSubject(p: CcvWebhookPayload): Promise<CcvWebhookSubject> {
    try {
      switch (p.entity) {
        case "order": {
          const [order, rows] = await Promise.all([this.getOrder(p.id), this.listOrderRows(p.id)]);
          return { entity: "order", order, rows };
        }
        case "product":
          return {
            entity: "product",
            product: await this.getProduct(p.id, { expand: ["attributecombinations"] }),
          };
        case "category":
          return { entity: "category", category: await this.getCategory(p.id) };
        case "invoice":
          return {
            entity: "invoice",
            data: await this.getJson<Record<string, unknown>>(`/invoices/${p.id}`),
          };
        case "return":
          return { entity: "return", data: await this.getJson<Record<string, unknown>>(`/returns/${p.id}`) };
      }
    } catch (e) {
      if (isConnectorError(e) && e.code === "NOT_FOUND") return { entity: p.entity, gone: true, id: p.id };
      throw e;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// helpers

/**
 * Query string as CCV clients send it: RFC 3986 percent-encoding (`,` → `%2C`, space → `%20`),
 * booleans as true/false, lists comma-joined; undefined/null/empty lists are left out.
 */
export function encodeQuery(query: CcvQuery): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    let text: string;
    if (Array.isArray(v)) {
      if (v.length === 0) continue;
      text = v.join(",");
    } else if (typeof v === "boolean") text = v ? CCV_QUERY_TRUE : CCV_QUERY_FALSE;
    else text = String(v);
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(text)}`);
  }
  return parts.join("&");
}

function productQuery(f: CcvProductFilter): CcvQuery {
  return {
    productnumber: f.productnumber,
    eannumber: f.eannumber,
    mpnnumber: f.mpnnumber,
    productname: f.productname,
    active: f.active,
    orderby: f.orderby,
    expand: f.expand,
  };
}

const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();
const sameName = (a: string, b: string) => norm(a) === norm(b);
const combinationKey = (valueIds: number[]) => [...valueIds].sort((a, b) => a - b).join(",");
const describeOptions = (o: Record<string, string>) =>
  Object.entries(o)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The e-mail of an account: its userinfo e-mail, else a username that is an e-mail. */
function userEmail(u: CcvUser): string | null {
  return u.userinfo?.email || (u.username?.includes("@") ? u.username : null);
}

function validateVariants(input: CcvVariantProductInput): void {
  const fail = (message: string) => new ConnectorError({ system: SYSTEM, code: "VALIDATION", message });
  if (input.axes.length === 0) throw fail("A product with variants needs at least one option.");
  const axes = new Map(input.axes.map((a) => [norm(a.name), new Set(a.values.map((v) => norm(v.name)))]));
  if (axes.size !== input.axes.length) throw fail("Two options of the product have the same name.");
  const seen = new Set<string>();
  for (const v of input.variants) {
    const names = Object.keys(v.options).map(norm);
    if (names.length !== axes.size || names.some((n) => !axes.has(n))) {
      throw fail(
        `The variant ${describeOptions(v.options)} must name one value for each option (${input.axes.map((a) => a.name).join(", ")}).`,
      );
    }
    for (const [axis, value] of Object.entries(v.options)) {
      if (!axes.get(norm(axis))!.has(norm(value)))
        throw fail(`"${value}" is not a value of the option "${axis}".`);
    }
    const key = Object.entries(v.options)
      .map(([a, val]) => `${norm(a)}=${norm(val)}`)
      .sort()
      .join("|");
    if (seen.has(key)) throw fail(`The variant ${describeOptions(v.options)} is listed twice.`);
    seen.add(key);
  }
}

const PASSWORD_CLASSES = ["ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!#%+-=?@_"];

/** A random password with every character class (the vendor's password policy is unknown). */
export function randomPassword(length = CCV_USER_PASSWORD_LENGTH): string {
  const all = PASSWORD_CLASSES.join("");
  const chars = PASSWORD_CLASSES.map((c) => c[randomInt(c.length)]);
  while (chars.length < length) chars.push(all[randomInt(all.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join("");
}

/** the shared auth circuit, keyed by the budget's key plus the secret's fingerprint */
function pairCircuit(circuit: AuthCircuit, secretPrint: string): AuthCircuit {
  const k = (key: string) => `${key}|${secretPrint}`;
  return {
    trip: (key: string, message: string) => circuit.trip(k(key), message),
    check: (key: string) => circuit.check(k(key)),
    reset: (key: string) => circuit.reset(k(key)),
  } as unknown as AuthCircuit;
}
