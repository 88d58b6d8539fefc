import type { IncomingMessage, ServerResponse } from "node:http";
import { ccvDate, ccvHash, hashesEqual, parseCcvDate } from "../../connectors/ccv-salespos/ccv.auth";
import {
  ccvLane,
  ccvLaneLimit,
  ccvPathTemplate,
  ccvResourcePath,
} from "../../connectors/ccv-salespos/ccv.lanes";
import {
  CCV_API_PREFIX,
  CCV_CLOCK_TOLERANCE_SECONDS,
  CCV_DEFAULT_PAGE_SIZE,
  CCV_ERROR,
  CCV_MAX_PAGE_SIZE,
  CCV_RATE_LIMITS,
  CCV_SANDBOX_AUTH_ERROR,
  CCV_TOTAL_RATE_LIMIT,
} from "../../connectors/ccv-salespos/ccv.vendor-facts";
import {
  FaultInjector,
  MinuteWindowLimiter,
  RequestLog,
  playTransportFault,
  readBody,
  startHttpServer,
  type FaultRule,
  type LoggedRequest,
  type RunningServer,
} from "../common/sandbox-http";
import { pathSegments, SandboxRouter } from "../common/sandbox-router";
import { CcvStore, type CcvProductQueryItems, type CcvSandboxSeed } from "./ccv.store";
import type { CcvRequest, CcvResult, CcvRouter } from "./ccv.table";
import { CcvSandboxError, invalid } from "./ccv.validate";
import { CcvWebhookDispatcher } from "./ccv.webhook-dispatcher";
import { phpJsonEncode } from "./php-json";
import { attributesRoutes } from "./resources/attributes.resource";
import { categoriesRoutes } from "./resources/categories.resource";
import { ordersRoutes } from "./resources/orders.resource";
import { productsRoutes } from "./resources/products.resource";
import { propertiesRoutes } from "./resources/properties.resource";
import { usersRoutes } from "./resources/users.resource";
import { webhooksRoutes } from "./resources/webhooks.resource";
import { photosRoutes } from "./resources/photos.resource";
import { webshopsRoutes } from "./resources/webshops.resource";

/**
 * A faithful CCV SalesPOS / CCV Shop REST simulator (reference §7 checklist) for tests, benchmarks
 * and the demo: request signatures checked over the raw bytes, every response signed, PHP-style
 * JSON, CCV paging, per-operation rate limits, webhooks, and test controls (faults, response
 * tampering, a request log, direct store access). Fault, tamper and log paths are the request path
 * as received, without the query (e.g. `/api/rest/v1/products/12`).
 */

export interface CcvSandboxLimits {
  /** per GET operation per minute (default 150) */
  get?: number;
  /** per write operation per minute (default 100) */
  write?: number;
  /** GET /productqueries per minute (default 30) */
  productqueries?: number;
  /** optional total per minute (→ 429.11); the real number is unknown */
  total?: number;
}

export interface CcvSandboxOptions {
  port?: number;
  publicKey?: string;
  secretKey?: string;
  /** the webshop reports `is_salespos` (default true) */
  salesPos?: boolean;
  limits?: CcvSandboxLimits;
  /**
   * length of a rate-limit window in ms (default 60 000, CCV's minute). Tests shorten it so a 429
   * clears quickly; limits stay "per window".
   */
  windowMs?: number;
  /** allowed |now − x-date| in seconds (default 300) */
  clockToleranceSeconds?: number;
  /** completed API orders decrement product/combination stock (default false; real behaviour unknown) */
  decrementStockOnOrder?: boolean;
  /** the item shape of GET /productqueries (§3.4 [unknown]); default "products-with-combinations" */
  productQueryItems?: CcvProductQueryItems;
  /** send the inferred `x-hash` header on webhook deliveries (default true) */
  signWebhooks?: boolean;
  seed?: CcvSandboxSeed;
}

/** Spoils a successful response after it was signed: what a rewriting proxy or an attacker does. */
export interface TamperRule {
  method?: string;
  path: string | RegExp;
  times?: number;
  /** rewrites the body text after signing */
  mutate?: (body: string) => string;
  /** drops the x-hash header */
  dropHash?: boolean;
}

type Query = Record<string, string>;

/** The simulated resources (§5.0, the sync-relevant subset): each module registers its routes. */
const RESOURCE_ROUTES: ((api: CcvRouter, store: CcvStore) => void)[] = [
  webshopsRoutes,
  productsRoutes,
  categoriesRoutes,
  attributesRoutes,
  propertiesRoutes,
  ordersRoutes,
  usersRoutes,
  webhooksRoutes,
  photosRoutes,
];

/** The resource names of the API root listing (`GET /`). */
const ROOT_LISTING = [
  "webshops",
  "products",
  "productqueries",
  "categories",
  "categorytree",
  "attributes",
  "orders",
  "users",
  "paymethods",
  "packages",
  "webhooks",
];

/** Resource names CCV has but this sandbox does not simulate: answered 501.20 ([sandbox]). */
const NOT_SIMULATED = new Set([
  "brands",
  "suppliers",
  "conditions",
  "colors",
  "languages",
  "translations",
  "labels",
  "invoices",
  "returns",
  "merchant",
  "credentials",
  "cashups",
  "fiscaltransactionsignatures",
  "terminalreceipts",
  "apicredentialdevices",
  "apicredentialdevicesettings",
  "status",
  "productvariations",
  "productkeywords",
  "productreviews",
  "productstaggeredprices",
  "productattributesets",
  "attributecombinationphotos",
  "quotations",
  "discountcoupons",
  "usergroups",
  "takeoutslots",
  "redirects",
  "ordernotes",
  "ordermessages",
  "ordernotifications",
  "orderlabels",
  "orderrowattributevalues",
  "domains",
  "geozonecountries",
  "creditpoints",
  "creditpointmutations",
  "disabledpaymethods",
]);

export class CcvSandbox {
  readonly log = new RequestLog();
  readonly faults = new FaultInjector();
  readonly store: CcvStore;
  readonly webhooks: CcvWebhookDispatcher;
  readonly publicKey: string;
  readonly secretKey: string;
  private readonly limiter: MinuteWindowLimiter;
  private readonly limits: Required<Omit<CcvSandboxLimits, "total">> & { total?: number };
  private readonly tolerance: number;
  private tamperRules: (TamperRule & { left: number })[] = [];
  private readonly routes: CcvRouter = new SandboxRouter(/^\d+$/);
  private readonly resourceNames: Set<string>;
  private server?: RunningServer;

  private constructor(opts: CcvSandboxOptions) {
    this.publicKey = opts.publicKey ?? "pk_sandbox";
    this.secretKey = opts.secretKey ?? "sk_sandbox";
    this.limits = {
      get: opts.limits?.get ?? CCV_RATE_LIMITS.GET,
      write: opts.limits?.write ?? CCV_RATE_LIMITS.WRITE,
      productqueries: opts.limits?.productqueries ?? CCV_RATE_LIMITS.PRODUCTQUERIES,
      total: opts.limits?.total ?? CCV_TOTAL_RATE_LIMIT,
    };
    // MinuteWindowLimiter counts fixed 60 s windows; a faster clock makes them `windowMs` long
    const scale = 60_000 / (opts.windowMs ?? 60_000);
    this.limiter = new MinuteWindowLimiter(() => Date.now() * scale);
    this.tolerance = (opts.clockToleranceSeconds ?? CCV_CLOCK_TOLERANCE_SECONDS) * 1000;
    this.store = new CcvStore({
      salesPos: opts.salesPos ?? true,
      decrementStockOnOrder: opts.decrementStockOnOrder ?? false,
      productQueryItems: opts.productQueryItems ?? "products-with-combinations",
      seed: opts.seed ?? {},
    });
    this.webhooks = new CcvWebhookDispatcher(() => this.store.webhooks.values(), {
      sign: opts.signWebhooks ?? true,
    });
    this.store.onEvent((event, payload) => this.webhooks.emit(event, payload));
    this.routes.on("GET", "/", () => ({
      flat: ROOT_LISTING.map((r) => ({
        href: `${this.store.apiRoot}/${r}/`,
        title: r,
        description: r,
        uri: `${CCV_API_PREFIX}/${r}/`,
      })),
    }));
    for (const register of RESOURCE_ROUTES) register(this.routes, this.store);
    this.resourceNames = this.routes.staticNames();
  }

  static async start(opts: CcvSandboxOptions = {}): Promise<CcvSandbox> {
    const sb = new CcvSandbox(opts);
    sb.server = await startHttpServer((req, res) => sb.handle(req, res), opts.port ?? 0);
    sb.store.apiRoot = `${sb.server.url}${CCV_API_PREFIX}`;
    return sb;
  }

  /** The shop host to give the client (http://127.0.0.1:PORT). */
  get baseUrl(): string {
    if (!this.server) throw new Error("CCV sandbox not started");
    return this.server.url;
  }

  get connection(): { baseUrl: string; publicKey: string; secretKey: string } {
    return { baseUrl: this.baseUrl, publicKey: this.publicKey, secretKey: this.secretKey };
  }

  async stop(): Promise<void> {
    await this.webhooks.idle();
    await this.server?.close();
  }

  /** Spoil the next matching successful response(s) after signing. */
  tamper(rule: TamperRule): void {
    this.tamperRules.push({ ...rule, left: rule.times ?? 1 });
  }

  /** Forget rate-limit windows, faults, tamper rules and the request log. */
  resetControls(): void {
    this.limiter.reset();
    this.faults.clear();
    this.tamperRules = [];
    this.log.clear();
  }

  // -------------------------------------------------------------------------------------------
  // HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const target = req.url ?? "/";
    const q = target.indexOf("?");
    const path = q < 0 ? target : target.slice(0, q);
    const rawQuery = q < 0 ? "" : target.slice(q + 1);
    const method = (req.method ?? "GET").toUpperCase();
    const entry: LoggedRequest = {
      method,
      path,
      rawQuery,
      query: parseQuery(rawQuery),
      headers: req.headers,
      body: raw.toString("utf8"),
      at: new Date(),
    };
    this.log.add(entry);

    const fault = this.faults.take(method, path);
    if (fault && !fault.afterApply && fault.kind !== "slow-body") {
      this.playFault(fault, res, entry, target, method);
      return;
    }
    // a product photo's file, public like the shop's own files (the `deeplink` of a photo, CCV §5.2)
    const file = /^\/Files\/ProductPhotos\/(\d+)\.(\w+)$/.exec(path);
    if (file && method === "GET") {
      const photo = this.store.productPhotos.get(Number(file[1]));
      if (!photo || photo.file_type !== file[2]) {
        res.writeHead(404).end();
        return;
      }
      const type = photo.file_type === "jpg" ? "jpeg" : photo.file_type;
      res.writeHead(200, { "content-type": `image/${type}`, "content-length": photo.bytes.length });
      res.end(photo.bytes);
      return;
    }
    const answer = this.process(method, target, path, entry.query, raw, req.headers);
    if (fault) {
      this.playFault(fault, res, entry, target, method, answer);
      return;
    }
    this.respond(res, entry, method, target, answer);
  }

  private playFault(
    fault: FaultRule,
    res: ServerResponse,
    entry: LoggedRequest,
    target: string,
    method: string,
    applied?: { status: number; body?: string },
  ): void {
    if (fault.kind === "status") {
      const status = fault.status ?? 500;
      const body =
        fault.body !== undefined
          ? fault.body
          : {
              code: status === 429 ? CCV_ERROR.RATE_LIMIT_RESOURCE : `${status}.00`,
              status,
              developermessage: "Injected fault.",
            };
      const headers: Record<string, string> = fault.retryAfter ? { "retry-after": fault.retryAfter } : {};
      this.respond(res, entry, method, target, { status, body: phpJsonEncode(body) }, headers);
      return;
    }
    const slow = applied ?? { status: 200, body: "" };
    const signed = this.signedHeaders(method, target, slow.body ?? "");
    entry.status = slow.status;
    playTransportFault(fault, res, { status: slow.status, headers: signed, body: slow.body ?? "" });
  }

  private respond(
    res: ServerResponse,
    entry: LoggedRequest,
    method: string,
    target: string,
    answer: { status: number; body?: string },
    extraHeaders: Record<string, string> = {},
  ): void {
    let body = answer.body ?? "";
    const headers = { ...this.signedHeaders(method, target, body), ...extraHeaders };
    if (answer.status >= 200 && answer.status < 300) {
      const rule = this.tamperRules.find(
        (r) =>
          r.left > 0 &&
          (!r.method || r.method.toUpperCase() === method) &&
          (typeof r.path === "string" ? r.path === entry.path : r.path.test(entry.path)),
      );
      if (rule) {
        rule.left -= 1;
        if (rule.mutate) body = rule.mutate(body);
        if (rule.dropHash) delete headers["x-hash"];
      }
    }
    if (body === "") delete headers["content-type"];
    entry.status = answer.status;
    res.writeHead(answer.status, { ...headers, "content-length": String(Buffer.byteLength(body)) });
    res.end(body);
  }

  /** Every response is signed over its raw body with the request's method and uri (§2.2). */
  private signedHeaders(method: string, target: string, body: string): Record<string, string> {
    const date = ccvDate();
    return {
      "content-type": "application/json",
      "x-date": date,
      "x-hash": ccvHash(this.secretKey, { publicKey: this.publicKey, method, uri: target, body, date }),
    };
  }

  private error(status: number, code: string, developermessage: string): { status: number; body: string } {
    return { status, body: phpJsonEncode({ code, status, developermessage }) };
  }

  private process(
    method: string,
    target: string,
    path: string,
    query: Query,
    raw: Buffer,
    headers: IncomingMessage["headers"],
  ): { status: number; body?: string } {
    try {
      if (path !== CCV_API_PREFIX && !path.startsWith(`${CCV_API_PREFIX}/`)) {
        return this.error(404, CCV_ERROR.INVALID_RESOURCE_NAME, "The requested resource does not exist.");
      }
      const denied = this.checkSignature(method, target, raw, headers);
      if (denied) return this.error(CCV_SANDBOX_AUTH_ERROR.status, CCV_SANDBOX_AUTH_ERROR.code, denied);

      const resourcePath = ccvResourcePath(path);
      const { handle, ids } = this.match(method, resourcePath);

      const lane = ccvLane(method, resourcePath);
      if (this.limiter.hit(lane, ccvLaneLimit(lane, this.limits)) > 0) {
        return this.error(
          429,
          CCV_ERROR.RATE_LIMIT_RESOURCE,
          "Each method in each resource has a limit of requests per minute. Please lower your request rate.",
        );
      }
      if (this.limits.total !== undefined && this.limiter.hit("*total*", this.limits.total) > 0) {
        return this.error(
          429,
          CCV_ERROR.RATE_LIMIT_TOTAL,
          "The total number of requests per minute is exceeded.",
        );
      }

      let body: unknown;
      if (method === "POST" || method === "PATCH" || method === "PUT") {
        try {
          body = JSON.parse(raw.toString("utf8"));
        } catch {
          throw invalid("The request body is not valid JSON.");
        }
      }
      const expand = new Set((query.expand ?? "").split(",").filter(Boolean));
      const result = handle({ ids, query, body, expand });
      return this.render(result, path, query);
    } catch (e) {
      if (e instanceof CcvSandboxError) return this.error(e.status, e.code, e.developermessage);
      throw e;
    }
  }

  /** Returns why the request is refused, or undefined when its signature and date are good (§2.1). */
  private checkSignature(
    method: string,
    target: string,
    raw: Buffer,
    headers: IncomingMessage["headers"],
  ): string | undefined {
    const h = (n: string) => {
      const v = headers[n];
      return Array.isArray(v) ? v[0] : v;
    };
    const pub = h("x-public");
    const date = h("x-date");
    const hash = h("x-hash");
    if (!pub || !date || !hash) return "The x-public, x-date and x-hash headers are required.";
    if (pub !== this.publicKey) return "Unknown public key.";
    const t = parseCcvDate(date);
    if (t === undefined) return "The x-date header is not an ISO-8601 date.";
    if (Math.abs(Date.now() - t) > this.tolerance) return "The x-date header is more than 5 minutes off.";
    // hash over the raw body bytes and the raw path + query, never a re-serialisation
    const expected = ccvHash(this.secretKey, { publicKey: pub, method, uri: target, body: raw, date });
    return hashesEqual(expected, hash) ? undefined : "The x-hash header does not match the request.";
  }

  private match(
    method: string,
    resourcePath: string,
  ): { handle: (req: CcvRequest) => CcvResult; ids: number[] } {
    const segs = pathSegments(resourcePath);
    const { route, pathKnown } = this.routes.match(method, segs);
    if (route) return { handle: route.handler, ids: route.params.map(Number) };
    // a resource CCV has, asked with a method (or at a level) it does not offer → 405 (§5.0 [inferred])
    const lastName = [...segs].reverse().find((s) => !/^\d+$/.test(s));
    if (pathKnown || (lastName !== undefined && this.resourceNames.has(lastName))) {
      throw new CcvSandboxError(405, CCV_ERROR.METHOD_NOT_ALLOWED, "Method not allowed.");
    }
    if (segs.some((s) => NOT_SIMULATED.has(s))) {
      throw new CcvSandboxError(
        501,
        CCV_ERROR.RESOURCE_NOT_IMPLEMENTED,
        "This resource is not simulated by the sandbox.",
      );
    }
    throw new CcvSandboxError(
      404,
      CCV_ERROR.INVALID_RESOURCE_NAME,
      `Unknown resource ${ccvPathTemplate(resourcePath)}.`,
    );
  }

  /** Paged collections (§3.1): absolute links that repeat the caller's filters with a new start. */
  private render(result: CcvResult, path: string, query: Query): { status: number; body?: string } {
    const self = `${this.baseUrl}${path}`;
    if ("paged" in result) {
      const start = query.start === undefined ? 0 : intParam(query.start, "start", 0);
      const size = Math.min(
        query.size === undefined ? CCV_DEFAULT_PAGE_SIZE : intParam(query.size, "size", 1),
        CCV_MAX_PAGE_SIZE,
      );
      const link = (s: number) => `${self}?${buildQuery({ ...query, start: String(s), size: String(size) })}`;
      const total = result.paged.length;
      return {
        status: 200,
        body: phpJsonEncode({
          href: link(start),
          start,
          size,
          first: link(0),
          previous: start > 0 ? link(Math.max(0, start - size)) : null,
          next: start + size < total ? link(start + size) : null,
          items: result.paged.slice(start, start + size),
        }),
      };
    }
    if ("flat" in result) {
      const qs = buildQuery(query);
      return { status: 200, body: phpJsonEncode({ href: qs ? `${self}?${qs}` : self, items: result.flat }) };
    }
    if (result.status === 204) return { status: 204 };
    return { status: result.status, body: phpJsonEncode(result.body) };
  }
}

function parseQuery(raw: string): Query {
  const out: Query = {};
  if (!raw) return out;
  for (const part of raw.split("&")) {
    if (!part) continue;
    const i = part.indexOf("=");
    const k = i < 0 ? part : part.slice(0, i);
    const v = i < 0 ? "" : part.slice(i + 1);
    try {
      out[decodeURIComponent(k.replace(/\+/g, " "))] = decodeURIComponent(v.replace(/\+/g, " "));
    } catch {
      out[k] = v;
    }
  }
  return out;
}

function buildQuery(q: Query): string {
  return Object.entries(q)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
}

function intParam(v: string, name: string, min: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min) throw invalid(`'${name}' must be an integer ≥ ${min}.`);
  return Number(v);
}
