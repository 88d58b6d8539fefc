import { randomUUID } from "node:crypto";
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import { ALL_ECWID_SCOPES, requiredEcwidScopes } from "../../connectors/ecwid/ecwid.scopes";
import type {
  EcwidBatchItemStatus,
  EcwidBatchStatus,
  EcwidCategory,
  EcwidCustomer,
  EcwidOrder,
  EcwidProduct,
  EcwidStoreProfile,
} from "../../connectors/ecwid/ecwid.types";
import {
  ECWID_BATCH_DEDUPLICATION_WINDOW_MS,
  ECWID_BATCH_MAX_REQUESTS,
  ECWID_BATCH_NOT_EXECUTED_STATUS_CODE,
  ECWID_DOCUMENTED_MESSAGES as DOC,
  ECWID_INFERRED_MESSAGES as INF,
  ECWID_INSUFFICIENT_SCOPE_CODE,
  ECWID_INVALID_TOKEN_CODE,
  ECWID_QUERY_TOKEN_REJECTED_CODE,
  ECWID_RATE_LIMIT_PER_MINUTE,
  ECWID_RATE_LIMITED_CODE,
} from "../../connectors/ecwid/ecwid.vendor-facts";
import {
  FaultInjector,
  playTransportFault,
  readBody,
  RequestLog,
  startHttpServer,
  TokenBucketLimiter,
  type LoggedRequest,
  type RunningServer,
} from "../common/sandbox-http";
import { pathSegments, SandboxRouter } from "../common/sandbox-router";
import { applyResponseFields, parseResponseFields, type Query } from "./ecwid.query";
import { EcwidSandboxStore } from "./ecwid.store";
import type { EcwidResult as RouteResult, EcwidRouter } from "./ecwid.table";
import { EcwidApiError, wrongParameter } from "./ecwid.validate";
import { EcwidSandboxWebhooks, type WebhookEndpoint } from "./ecwid.webhook-dispatcher";
import { categoriesRoutes } from "./resources/categories.resource";
import { combinationsRoutes } from "./resources/combinations.resource";
import { customersRoutes } from "./resources/customers.resource";
import { imagesRoutes } from "./resources/images.resource";
import { inventoryRoutes } from "./resources/inventory.resource";
import { ordersRoutes } from "./resources/orders.resource";
import { productsRoutes } from "./resources/products.resource";
import { profileRoutes } from "./resources/profile.resource";

/**
 * A faithful local Ecwid REST v3 (docs/vendors/ecwid.md) for tests, benchmarks
 * and the demo: an HTTP server on loopback with an in-memory store, Ecwid's shapes, status codes
 * and error bodies, Bearer-only auth with per-token scopes, a per-token rate limit answering 429 +
 * Retry-After, the batch API, webhook deliveries signed like Ecwid's, fault injection by route and a
 * request log to assert on.
 */

export interface EcwidSandboxSeed {
  products?: EcwidProduct[];
  categories?: EcwidCategory[];
  orders?: EcwidOrder[];
  customers?: EcwidCustomer[];
}

export interface EcwidSandboxOptions {
  /** 0 (default) = any free port */
  port?: number;
  storeId?: number;
  /** the main token (default: a random secret_… value) */
  token?: string;
  /** scopes of the main token (default: every data scope) */
  scopes?: readonly string[];
  /** the app's client_secret that signs webhooks */
  clientSecret?: string;
  /** requests per minute per token (default 600, §3.3) */
  rateLimitPerMinute?: number;
  seed?: EcwidSandboxSeed;
  /** merged over the default profile (one level deep per top-level object) */
  profile?: Partial<EcwidStoreProfile>;
  /** send webhooks to registered URLs (default true) */
  deliverWebhooks?: boolean;
  /** delay between the inner requests of a batch, to observe QUEUED/IN_PROGRESS (default 0) */
  batchStepDelayMs?: number;
  /** epoch ms (default Date.now); entity timestamps and webhook eventCreated come from it */
  clock?: () => number;
}

interface BatchItem {
  id?: string;
  status: EcwidBatchItemStatus;
  httpStatusCode: number;
  body?: unknown;
}

interface Batch {
  ticket: string;
  status: EcwidBatchStatus;
  requests: { id?: string; path: string; method: string; body?: unknown }[];
  responses: BatchItem[];
  stopOnFirstFailure: boolean;
  scopes: ReadonlySet<string>;
}

const JSON_TYPE = /^\s*(application|text)\/json\b/i;
/** image uploads (§6.1) send the raw bytes */
const IMAGE_TYPE = /^\s*(image\/[\w.+-]+|application\/octet-stream)\b/i;
const IMAGE_UPLOAD = /^\/products\/\d+\/(image|gallery)$/;

/** The simulated resources under /api/v3/{storeId}: each module registers its routes. */
const RESOURCE_ROUTES: ((api: EcwidRouter, store: EcwidSandboxStore) => void)[] = [
  profileRoutes,
  productsRoutes,
  combinationsRoutes,
  inventoryRoutes,
  imagesRoutes,
  categoriesRoutes,
  ordersRoutes,
  customersRoutes,
];

export function defaultEcwidProfile(storeId: number): EcwidStoreProfile {
  return {
    generalInfo: {
      storeId,
      storeUrl: `https://store${storeId}.company.site`,
      starterSite: {
        ecwidSubdomain: `store${storeId}`,
        generatedUrl: `https://store${storeId}.company.site`,
      },
      websitePlatform: "instantsite",
    },
    account: {
      accountName: "Sandbox Owner",
      accountNickName: "sandbox",
      accountEmail: "owner@example.com",
      availableFeatures: [],
      suspended: false,
    },
    settings: { storeName: "Sandbox Store", storeDescription: "", closed: false },
    company: {
      companyName: "Sandbox B.V.",
      email: "owner@example.com",
      street: "Damrak 1",
      city: "Amsterdam",
      countryCode: "NL",
      postalCode: "1012 LG",
      phone: "+31 20 000 0000",
    },
    formatsAndUnits: {
      currency: "EUR",
      currencyPrefix: "€",
      currencySuffix: "",
      currencyPrecision: 2,
      weightUnit: "KILOGRAM",
      dimensionsUnit: "CM",
      timezone: "Europe/Amsterdam",
      orderNumberPrefix: "",
      orderNumberSuffix: "",
    },
    languages: { enabledLanguages: ["en", "nl"], defaultLanguage: "en" },
    taxSettings: {
      automaticTaxEnabled: false,
      pricesIncludeTax: true,
      taxExemptBusiness: false,
      taxOnShippingCalculationScheme: "AUTOMATIC",
      taxes: [
        {
          id: 1117939042,
          name: "BTW",
          enabled: true,
          includeInPrice: true,
          useShippingAddress: false,
          taxShipping: true,
          appliedByDefault: true,
          defaultTax: 21,
          rules: [],
        },
        {
          id: 1117939043,
          name: "BTW laag",
          enabled: true,
          includeInPrice: true,
          useShippingAddress: false,
          taxShipping: false,
          appliedByDefault: false,
          defaultTax: 9,
          rules: [],
        },
      ],
    },
    zones: [],
  };
}

export class EcwidSandbox {
  readonly log = new RequestLog();
  readonly faults = new FaultInjector();
  readonly store: EcwidSandboxStore;
  readonly webhooks: EcwidSandboxWebhooks;
  readonly storeId: number;
  readonly token: string;
  readonly clientSecret: string;
  /** the API base URL to give the client: http://127.0.0.1:PORT/api/v3 */
  url = "";
  rateLimitPerMinute: number;

  private server?: RunningServer;
  private readonly tokens = new Map<string, ReadonlySet<string>>();
  private readonly limiter: TokenBucketLimiter;
  private readonly routes: EcwidRouter = new SandboxRouter();
  private readonly batches = new Map<string, Batch>();
  private readonly dedup = new Map<string, { ticket: string; at: number }>();
  private batchChain: Promise<void> = Promise.resolve();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly batchStepDelayMs: number;
  private readonly clock: () => number;
  private stopped = false;

  private constructor(opts: EcwidSandboxOptions) {
    this.storeId = opts.storeId ?? 1003;
    this.token = opts.token ?? `secret_${randomUUID().replace(/-/g, "")}`;
    this.clientSecret = opts.clientSecret ?? `sandbox_client_secret_${this.storeId}`;
    this.rateLimitPerMinute = opts.rateLimitPerMinute ?? ECWID_RATE_LIMIT_PER_MINUTE;
    this.batchStepDelayMs = opts.batchStepDelayMs ?? 0;
    this.clock = opts.clock ?? Date.now;
    this.limiter = new TokenBucketLimiter(this.clock);
    this.tokens.set(this.token, new Set(opts.scopes ?? ALL_ECWID_SCOPES));
    this.webhooks = new EcwidSandboxWebhooks(
      this.storeId,
      () => this.clientSecret,
      this.clock,
      opts.deliverWebhooks ?? true,
    );
    const profile = defaultEcwidProfile(this.storeId);
    for (const [k, v] of Object.entries(opts.profile ?? {})) {
      const base = profile[k];
      profile[k] = isPlainObject(base) && isPlainObject(v) ? { ...base, ...v } : v;
    }
    this.store = new EcwidSandboxStore({
      storeId: this.storeId,
      profile,
      clock: this.clock,
      onEvent: (type, entityId, data) => this.webhooks.emit(type, entityId, data),
    });
    const seed = opts.seed ?? {};
    // products first: a seeded category's productIds become links on the products
    for (const p of seed.products ?? []) this.store.seedProduct(p);
    for (const c of seed.categories ?? []) this.store.seedCategory(c);
    for (const c of seed.customers ?? []) this.store.seedCustomer(c);
    for (const o of seed.orders ?? []) this.store.seedOrder(o);
    for (const register of RESOURCE_ROUTES) register(this.routes, this.store);
  }

  static async start(opts: EcwidSandboxOptions = {}): Promise<EcwidSandbox> {
    const sb = new EcwidSandbox(opts);
    sb.server = await startHttpServer((req, res) => sb.onRequest(req, res), opts.port ?? 0);
    sb.url = `${sb.server.url}/api/v3`;
    return sb;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.server?.close();
    await this.webhooks.close();
  }

  /** The full request path for a store path, e.g. path("/products") → "/api/v3/1003/products" (for faults and log queries). */
  path(storePath: string): string {
    return `/api/v3/${this.storeId}${storePath}`;
  }

  /** Another token for this store, e.g. one lacking a scope. */
  addToken(token: string, scopes: readonly string[] = ALL_ECWID_SCOPES): void {
    this.tokens.set(token, new Set(scopes));
  }

  /** The app was uninstalled: the token answers 403 INVALID_API_TOKEN from now on. */
  revokeToken(token: string): void {
    this.tokens.delete(token);
  }

  registerWebhook(url: string, eventTypes?: string[], headers?: Record<string, string>): void {
    const ep: WebhookEndpoint = { url };
    if (eventTypes) ep.eventTypes = eventTypes;
    if (headers) ep.headers = headers;
    this.webhooks.register(ep);
  }

  get deliverWebhooks(): boolean {
    return this.webhooks.enabled;
  }

  set deliverWebhooks(v: boolean) {
    this.webhooks.enabled = v;
  }

  // ---------------------------------------------------------------- HTTP

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const u = new URL(req.url ?? "/", "http://sandbox");
    const method = (req.method ?? "GET").toUpperCase();
    const entry: LoggedRequest = {
      method,
      path: u.pathname,
      rawQuery: u.search.slice(1),
      query: Object.fromEntries(u.searchParams),
      headers: req.headers,
      body: raw.toString("utf8"),
      at: new Date(),
    };
    this.log.add(entry);

    const fault = this.faults.take(method, u.pathname);
    // hang / reset / status before the request is applied; a slow body is played on the real answer
    if (fault && !fault.afterApply && fault.kind !== "slow-body") {
      if (fault.kind === "status") {
        entry.status = fault.status ?? 500;
        return this.write(res, this.faultAnswer(fault.status ?? 500, fault.body, fault.retryAfter));
      }
      playTransportFault(fault, res);
      return;
    }

    const answer = this.process(method, u, req.headers, raw);
    entry.status = answer.status;
    if (fault) {
      if (fault.kind === "status") {
        entry.status = fault.status ?? 500;
        return this.write(res, this.faultAnswer(fault.status ?? 500, fault.body, fault.retryAfter));
      }
      entry.status = fault.kind === "slow-body" ? answer.status : undefined;
      playTransportFault(fault, res, {
        status: answer.status,
        headers: this.headersOf(answer),
        body: JSON.stringify(answer.body),
      });
      return;
    }
    this.write(res, answer);
  }

  private faultAnswer(
    status: number,
    body: unknown,
    retryAfter?: string,
  ): RouteResult & { headers?: Record<string, string> } {
    if (status === 429) {
      return {
        status,
        body: body ?? { errorMessage: INF.rateLimited, errorCode: ECWID_RATE_LIMITED_CODE },
        headers: { "retry-after": retryAfter ?? "1" },
      };
    }
    return {
      status,
      body:
        body ??
        (status >= 500
          ? { errorMessage: INF.internalError, errorCode: "INTERNAL_ERROR" }
          : { errorMessage: STATUS_CODES[status] ?? "Error" }),
    };
  }

  private headersOf(a: RouteResult & { headers?: Record<string, string> }): Record<string, string> {
    return { "content-type": "application/json;charset=utf-8", ...(a.headers ?? {}) };
  }

  private write(res: ServerResponse, a: RouteResult & { headers?: Record<string, string> }): void {
    res.writeHead(a.status, this.headersOf(a));
    res.end(JSON.stringify(a.body));
  }

  private error(e: EcwidApiError): RouteResult {
    return { status: e.status, body: e.body };
  }

  /** Auth → rate limit → content type → JSON → scopes → route (+ responseFields). */
  private process(
    method: string,
    u: URL,
    headers: IncomingMessage["headers"],
    raw: Buffer,
  ): RouteResult & { headers?: Record<string, string> } {
    const prefix = `/api/v3/`;
    if (!u.pathname.startsWith(prefix))
      return this.error(new EcwidApiError(404, `Resource ${u.pathname} not found`));
    const [storeSeg, ...rest] = u.pathname.slice(prefix.length).split("/");
    if (!/^\d+$/.test(storeSeg ?? ""))
      return this.error(new EcwidApiError(404, `Resource ${u.pathname} not found`));

    // Bearer only: the legacy ?token= form is disabled since 2025-03-20 (§1.2)
    if (u.searchParams.has("token"))
      return this.error(new EcwidApiError(403, INF.queryToken, ECWID_QUERY_TOKEN_REJECTED_CODE));
    const auth = /^Bearer\s+(\S+)\s*$/i.exec(String(headers.authorization ?? ""));
    const token = auth?.[1];
    const scopes = token !== undefined ? this.tokens.get(token) : undefined;
    if (!token || !scopes || Number(storeSeg) !== this.storeId) {
      return this.error(new EcwidApiError(403, INF.invalidToken, ECWID_INVALID_TOKEN_CODE));
    }

    const waitMs = this.limiter.take(token, this.rateLimitPerMinute);
    if (waitMs > 0) {
      return {
        status: 429,
        body: { errorMessage: INF.rateLimited, errorCode: ECWID_RATE_LIMITED_CODE },
        headers: { "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))) },
      };
    }

    const storePath = `/${rest.join("/")}`;
    const query = Object.fromEntries(u.searchParams);
    if (
      raw.length > 0 &&
      method === "POST" &&
      IMAGE_UPLOAD.test(storePath) &&
      IMAGE_TYPE.test(String(headers["content-type"] ?? ""))
    )
      return this.dispatch(method, storePath, query, undefined, scopes, raw);
    if (raw.length > 0 && !JSON_TYPE.test(String(headers["content-type"] ?? ""))) {
      return { status: 415, body: { errorMessage: DOC.unsupportedContentType } };
    }
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        return this.error(new EcwidApiError(400, "Request body is not valid JSON", "WRONG_PARAMETER"));
      }
    }
    if (storePath === "/batch") return this.batchEndpoint(method, query, body, scopes);
    return this.dispatch(method, storePath, query, body, scopes);
  }

  /** One API call after auth: scope check, route, responseFields on reads. Also runs batch items. */
  private dispatch(
    method: string,
    path: string,
    query: Record<string, string>,
    body: unknown,
    scopes: ReadonlySet<string>,
    raw?: Buffer,
  ): RouteResult {
    const missing = requiredEcwidScopes(method, path).filter((s) => !scopes.has(s));
    if (missing.length > 0)
      return this.error(
        new EcwidApiError(403, INF.insufficientScope(missing), ECWID_INSUFFICIENT_SCOPE_CODE),
      );
    try {
      const r = this.route(method, path, query, body, raw);
      if (method === "GET" && query.responseFields)
        return {
          status: r.status,
          body: applyResponseFields(r.body, parseResponseFields(query.responseFields)),
        };
      return r;
    } catch (e) {
      if (e instanceof EcwidApiError) return this.error(e);
      throw e;
    }
  }

  /** The resource route for the call; throws EcwidApiError for Ecwid's error answers. */
  private route(method: string, path: string, query: Query, body: unknown, raw?: Buffer): RouteResult {
    const segments = pathSegments(path);
    const { route } = this.routes.match(method, segments);
    if (route) {
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = pathParam(name, route.params[i])));
      return route.handler({ method, path, query, body, params, ...(raw ? { raw } : {}) });
    }
    // ids in the path are checked before anything else, as the handlers would have
    for (const p of this.routes.paramsAlongPath(segments)) pathParam(p.name, p.value);
    if (this.routes.roots().has(segments[0] ?? ""))
      throw new EcwidApiError(405, `Method ${method} is not allowed for ${path}`, "METHOD_NOT_ALLOWED");
    throw new EcwidApiError(404, `Resource ${path} not found`);
  }

  // ---------------------------------------------------------------- batch (§4)

  private batchEndpoint(
    method: string,
    query: Record<string, string>,
    body: unknown,
    scopes: ReadonlySet<string>,
  ): RouteResult {
    if (method === "POST") return this.createBatch(query, body, scopes);
    if (method !== "GET")
      return this.error(
        new EcwidApiError(405, `Method ${method} is not allowed for /batch`, "METHOD_NOT_ALLOWED"),
      );
    const ticket = query.ticket;
    if (!ticket)
      return this.error(new EcwidApiError(400, "Parameter 'ticket' is required", "WRONG_PARAMETER"));
    const b = this.batches.get(ticket);
    if (!b) return this.error(new EcwidApiError(404, `Batch request ${ticket} not found`));
    const escaped = query.escapedJson === "true";
    return {
      status: 200,
      body: {
        status: b.status,
        totalRequests: b.requests.length,
        completedRequests: b.responses.length,
        responses: b.responses.map((r) => {
          const out: Record<string, unknown> = { id: r.id, status: r.status };
          if (r.status !== "NOT_EXECUTED") {
            if (escaped) out.escapedHttpBody = JSON.stringify(r.body);
            else out.httpBody = r.body;
          }
          out.httpStatusCode = r.httpStatusCode;
          out.httpStatusLine = r.status === "NOT_EXECUTED" ? "" : (STATUS_CODES[r.httpStatusCode] ?? "");
          return out;
        }),
      },
    };
  }

  private createBatch(
    query: Record<string, string>,
    body: unknown,
    scopes: ReadonlySet<string>,
  ): RouteResult {
    const invalid = (where: string) =>
      this.error(
        new EcwidApiError(
          400,
          `Can't create batch. Batch request body is invalid. Path ${where} contains bad value`,
          "WRONG_PARAMETER",
        ),
      );
    if (!Array.isArray(body)) return invalid("$");
    if (body.length === 0 || body.length > ECWID_BATCH_MAX_REQUESTS) {
      return this.error(
        new EcwidApiError(400, `A batch holds 1 to ${ECWID_BATCH_MAX_REQUESTS} requests`, "WRONG_PARAMETER"),
      );
    }
    const requests: Batch["requests"] = [];
    for (const [i, r] of body.entries()) {
      if (typeof r !== "object" || r === null || Array.isArray(r)) return invalid(`$[${i}]`);
      const x = r as Record<string, unknown>;
      if (x.id !== undefined && typeof x.id !== "string") return invalid(`$[${i}].id`);
      if (typeof x.path !== "string" || !x.path.startsWith("/")) return invalid(`$[${i}].path`);
      if (typeof x.method !== "string" || !["GET", "POST", "PUT", "DELETE"].includes(x.method))
        return invalid(`$[${i}].method`);
      requests.push({ id: x.id as string | undefined, path: x.path, method: x.method, body: x.body });
    }
    const key = query.deduplicationKey;
    const now = this.clock();
    if (key) {
      const seen = this.dedup.get(key);
      if (seen && now - seen.at < ECWID_BATCH_DEDUPLICATION_WINDOW_MS)
        return { status: 200, body: { ticket: seen.ticket } };
    }
    const ticket = randomUUID();
    const batch: Batch = {
      ticket,
      status: "QUEUED",
      requests,
      responses: [],
      stopOnFirstFailure: query.stopOnFirstFailure !== "false",
      scopes,
    };
    this.batches.set(ticket, batch);
    if (key) this.dedup.set(key, { ticket, at: now });
    // batches of one store run strictly one after another, after the create has been answered
    this.batchChain = this.batchChain.then(() => this.runBatch(batch));
    return { status: 200, body: { ticket } };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private async runBatch(b: Batch): Promise<void> {
    await this.sleep(this.batchStepDelayMs);
    for (const r of b.requests) {
      if (this.stopped) return;
      if (b.stopOnFirstFailure && b.responses.some((x) => x.status === "FAILED")) {
        b.responses.push({
          id: r.id,
          status: "NOT_EXECUTED",
          httpStatusCode: ECWID_BATCH_NOT_EXECUTED_STATUS_CODE,
        });
        continue;
      }
      const u = new URL(r.path, "http://sandbox");
      const body = innerBody(r.body);
      const answer = body.ok
        ? this.dispatch(r.method, u.pathname, Object.fromEntries(u.searchParams), body.value, b.scopes)
        : this.error(new EcwidApiError(400, "Request body is not valid JSON", "WRONG_PARAMETER"));
      b.responses.push({
        id: r.id,
        status: answer.status === 200 ? "COMPLETED" : "FAILED",
        httpStatusCode: answer.status,
        body: answer.body,
      });
      b.status = b.responses.length === b.requests.length ? "COMPLETED" : "IN_PROGRESS";
      if (this.batchStepDelayMs > 0) await this.sleep(this.batchStepDelayMs);
    }
    b.status = "COMPLETED";
  }
}

/** A batch item's body: the docs type it as a string, current clients send an object; "" means none (§4). */
function innerBody(v: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof v !== "string") return { ok: true, value: v };
  if (v === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(v) };
  } catch {
    return { ok: false };
  }
}

/** A path parameter: `{orderId}` is any order key (decoded); every other `{…Id}` an integer. */
function pathParam(name: string, value: string): string {
  if (name === "orderId") return decodeURIComponent(value);
  if (!/^\d+$/.test(value)) throw wrongParameter(`Wrong parameter '${name}' value`);
  return value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
