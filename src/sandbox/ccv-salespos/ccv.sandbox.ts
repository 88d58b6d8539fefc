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
import { CcvStore, type CcvSandboxSeed } from "./ccv.store";
import { CcvSandboxError, invalid } from "./ccv.validate";
import { CcvWebhookDispatcher } from "./ccv.webhook-dispatcher";
import { phpJsonEncode } from "./php-json";

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

interface Ctx {
  ids: number[];
  query: Query;
  body: unknown;
  expand: Set<string>;
}

type Result =
  { status: 200 | 201; body: unknown } | { status: 204 } | { paged: unknown[] } | { flat: unknown[] };

interface Route {
  method: string;
  template: string;
  handle: (c: Ctx) => Result;
}

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
  "productphotos",
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
  private readonly routes: Route[];
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
      seed: opts.seed ?? {},
    });
    this.webhooks = new CcvWebhookDispatcher(() => this.store.webhooks.values(), {
      sign: opts.signWebhooks ?? true,
    });
    this.store.onEvent((event, payload) => this.webhooks.emit(event, payload));
    this.routes = this.buildRoutes();
    this.resourceNames = new Set(
      this.routes.flatMap((r) => r.template.split("/").filter((x) => x && x !== "{id}")),
    );
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
      const { route, ids } = this.match(method, resourcePath);

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
      const result = route.handle({ ids, query, body, expand });
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

  private match(method: string, resourcePath: string): { route: Route; ids: number[] } {
    const segs = resourcePath.split("/").filter(Boolean);
    let pathKnown = false;
    for (const r of this.routes) {
      const t = r.template.split("/").filter(Boolean);
      if (t.length !== segs.length) continue;
      const ids: number[] = [];
      const ok = t.every((p, i) => {
        if (p === "{id}") {
          if (!/^\d+$/.test(segs[i])) return false;
          ids.push(Number(segs[i]));
          return true;
        }
        return p === segs[i];
      });
      if (!ok) continue;
      pathKnown = true;
      if (r.method === method) return { route: r, ids };
    }
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
  private render(result: Result, path: string, query: Query): { status: number; body?: string } {
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

  // -------------------------------------------------------------------------------------------
  // routes (§5.0, the sync-relevant subset)

  private buildRoutes(): Route[] {
    const s = this.store;
    const routes: Route[] = [];
    const on = (method: string, template: string, handle: (c: Ctx) => Result) =>
      routes.push({ method, template, handle });
    const ok = (body: unknown): Result => ({ status: 200, body });
    const created = (body: unknown): Result => ({ status: 201, body });
    const done: Result = { status: 204 };

    on("GET", "/", () => ({
      flat: [
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
      ].map((r) => ({
        href: `${s.apiRoot}/${r}/`,
        title: r,
        description: r,
        uri: `${CCV_API_PREFIX}/${r}/`,
      })),
    }));

    // webshops, settings, packages, paymethods
    on("GET", "/webshops", () => ({ flat: [s.renderWebshop()] }));
    on("GET", "/webshops/{id}", (c) => (s.requireWebshop(c.ids[0]), ok(s.renderWebshop())));
    on("GET", "/webshops/{id}/settings", (c) => (s.requireWebshop(c.ids[0]), ok(s.renderSettings())));
    on("PUT", "/webshops/{id}/settings", (c) => (s.requireWebshop(c.ids[0]), s.putSettings(c.body), done));
    on(
      "GET",
      "/webshops/{id}/products",
      (c) => (
        s.requireWebshop(c.ids[0]),
        { paged: s.filterProducts(c.query).map((p) => s.renderProduct(p, c.expand)) }
      ),
    );
    on("GET", "/packages", () => ({ flat: [...s.packages.values()].map((p) => s.renderPackage(p)) }));
    on("POST", "/packages", (c) => created(s.renderPackage(s.createPackage(c.body))));
    on("GET", "/packages/{id}", (c) => ok(s.renderPackage(s.getPackage(c.ids[0]))));
    on("PATCH", "/packages/{id}", (c) => {
      const p = s.getPackage(c.ids[0]);
      p.name = validateName(c.body, "packages");
      return done;
    });
    on("DELETE", "/packages/{id}", (c) => (s.getPackage(c.ids[0]), s.packages.delete(c.ids[0]), done));
    on("GET", "/paymethods", () => ({ flat: [...s.paymethods.values()].map((p) => s.renderPaymethod(p)) }));

    // products
    on("GET", "/products", (c) => ({
      paged: s.filterProducts(c.query).map((p) => s.renderProduct(p, c.expand)),
    }));
    on("POST", "/products", (c) => created(s.renderProduct(s.createProduct(c.body))));
    on("GET", "/products/{id}", (c) => ok(s.renderProduct(s.getProduct(c.ids[0]), c.expand)));
    on("PATCH", "/products/{id}", (c) => (s.patchProduct(c.ids[0], c.body), done));
    on("DELETE", "/products/{id}", (c) => (s.deleteProduct(c.ids[0]), done));
    on("GET", "/productqueries", (c) => ({ paged: s.productQuery(c.query) }));
    on("GET", "/categories/{id}/products", (c) => {
      s.getCategory(c.ids[0]);
      const inCategory = new Set(
        [...s.productToCategories.values()]
          .filter((l) => l.category_id === c.ids[0])
          .map((l) => l.product_id),
      );
      return {
        paged: s
          .filterProducts(
            c.query,
            [...s.products.values()].filter((p) => inCategory.has(p.id)),
          )
          .map((p) => s.renderProduct(p, c.expand)),
      };
    });

    // categories and links
    on("GET", "/categories", (c) => ({ paged: s.sortedCategories(c.query).map((x) => s.renderCategory(x)) }));
    on("POST", "/categories", (c) => created(s.renderCategory(s.createCategory(c.body))));
    on("GET", "/categories/{id}", (c) => ok(s.renderCategory(s.getCategory(c.ids[0]))));
    on("PATCH", "/categories/{id}", (c) => (s.patchCategory(c.ids[0], c.body), done));
    on("DELETE", "/categories/{id}", (c) => (s.deleteCategory(c.ids[0]), done));
    on(
      "GET",
      "/categories/{id}/categories",
      (c) => (
        s.getCategory(c.ids[0]),
        { paged: s.sortedCategories(c.query, c.ids[0]).map((x) => s.renderCategory(x)) }
      ),
    );
    on("GET", "/categorytree", () => ok(s.renderCategoryTree()));
    on("GET", "/categories/{id}/producttocategories", (c) => {
      s.getCategory(c.ids[0]);
      return {
        flat: [...s.productToCategories.values()]
          .filter((l) => l.category_id === c.ids[0])
          .map((l) => s.renderProductToCategory(l)),
      };
    });
    on(
      "GET",
      "/products/{id}/producttocategories",
      (c) => (
        s.getProduct(c.ids[0]),
        { flat: s.productToCategoriesOf(c.ids[0]).map((l) => s.renderProductToCategory(l)) }
      ),
    );
    on("POST", "/producttocategories", (c) =>
      created(s.renderProductToCategory(s.createProductToCategory(c.body))),
    );
    on("GET", "/producttocategories/{id}", (c) =>
      ok(s.renderProductToCategory(s.getProductToCategory(c.ids[0]))),
    );
    on("PATCH", "/producttocategories/{id}", (c) => (s.patchProductToCategory(c.ids[0], c.body), done));
    on(
      "DELETE",
      "/producttocategories/{id}",
      (c) => (s.getProductToCategory(c.ids[0]), s.productToCategories.delete(c.ids[0]), done),
    );

    // attributes, values, product attribute values, combinations
    on("GET", "/attributes", () => ({ flat: [...s.attributes.values()].map((a) => s.renderAttribute(a)) }));
    on("POST", "/attributes", (c) => created(s.renderAttribute(s.createAttribute(c.body))));
    on("GET", "/attributes/{id}", (c) => ok(s.renderAttribute(s.getAttribute(c.ids[0]))));
    on("PATCH", "/attributes/{id}", (c) => (s.patchAttribute(c.ids[0], c.body), done));
    on("DELETE", "/attributes/{id}", (c) => (s.deleteAttribute(c.ids[0]), done));
    on(
      "GET",
      "/attributes/{id}/attributevalues",
      (c) => (s.getAttribute(c.ids[0]), { flat: s.valuesOf(c.ids[0]).map((v) => s.renderAttributeValue(v)) }),
    );
    on("POST", "/attributes/{id}/attributevalues", (c) =>
      created(s.renderAttributeValue(s.createAttributeValue(c.ids[0], c.body))),
    );
    on("GET", "/attributevalues/{id}", (c) => ok(s.renderAttributeValue(s.getAttributeValue(c.ids[0]))));
    on("PATCH", "/attributevalues/{id}", (c) => (s.patchAttributeValue(c.ids[0], c.body), done));
    on("DELETE", "/attributevalues/{id}", (c) => (s.deleteAttributeValue(c.ids[0]), done));
    on("GET", "/products/{id}/productattributevalues", (c) => {
      s.getProduct(c.ids[0]);
      return { paged: s.productAttributeValuesOf(c.ids[0]).map((v) => s.renderProductAttributeValue(v)) };
    });
    on("POST", "/products/{id}/productattributevalues", (c) =>
      created(s.renderProductAttributeValue(s.createProductAttributeValue(c.ids[0], c.body))),
    );
    on("GET", "/productattributevalues/{id}", (c) =>
      ok(s.renderProductAttributeValue(s.getProductAttributeValue(c.ids[0]))),
    );
    on(
      "PATCH",
      "/productattributevalues/{id}",
      (c) => (s.patchProductAttributeValue(c.ids[0], c.body), done),
    );
    on("DELETE", "/productattributevalues/{id}", (c) => (s.deleteProductAttributeValue(c.ids[0]), done));
    on(
      "GET",
      "/products/{id}/attributecombinations",
      (c) => (
        s.getProduct(c.ids[0]),
        { flat: s.combinationsOf(c.ids[0]).map((x) => s.renderCombination(x)) }
      ),
    );
    on("GET", "/attributecombinations/{id}", (c) => ok(s.renderCombination(s.getCombination(c.ids[0]))));
    on("PATCH", "/attributecombinations/{id}", (c) => (s.patchCombination(c.ids[0], c.body), done));

    // product properties
    on("GET", "/productpropertygroups", () => ({
      paged: [...s.propertyGroups.values()].map((g) => s.renderPropertyGroup(g)),
    }));
    on("POST", "/productpropertygroups", (c) =>
      created(s.renderPropertyGroup(s.createPropertyGroup(c.body))),
    );
    on("GET", "/productpropertygroups/{id}", (c) => ok(s.renderPropertyGroup(s.getPropertyGroup(c.ids[0]))));
    on("GET", "/productpropertygroups/{id}/productproperties", (c) => {
      s.getPropertyGroup(c.ids[0]);
      return {
        flat: [...s.properties.values()]
          .filter((p) => p.group_id === c.ids[0])
          .map((p) => s.renderProperty(p)),
      };
    });
    on("POST", "/productpropertygroups/{id}/productproperties", (c) =>
      created(s.renderProperty(s.createProperty(c.ids[0], c.body))),
    );
    on("GET", "/productproperties/{id}", (c) => ok(s.renderProperty(s.getProperty(c.ids[0]))));
    on(
      "GET",
      "/productproperties/{id}/productpropertyoptions",
      (c) => (s.getProperty(c.ids[0]), { flat: s.optionsOf(c.ids[0]).map((o) => s.renderPropertyOption(o)) }),
    );
    on("POST", "/productproperties/{id}/productpropertyoptions", (c) =>
      created(s.renderPropertyOption(s.createPropertyOption(c.ids[0], c.body))),
    );
    on("GET", "/products/{id}/producttopropertygroups", (c) => {
      s.getProduct(c.ids[0]);
      return { flat: s.productToPropertyGroupsOf(c.ids[0]).map((l) => s.renderProductToPropertyGroup(l)) };
    });
    on("POST", "/producttopropertygroups", (c) =>
      created(s.renderProductToPropertyGroup(s.createProductToPropertyGroup(c.body))),
    );
    on("GET", "/producttopropertygroups/{id}", (c) =>
      ok(s.renderProductToPropertyGroup(s.getProductToPropertyGroup(c.ids[0]))),
    );
    on(
      "DELETE",
      "/producttopropertygroups/{id}",
      (c) => (s.getProductToPropertyGroup(c.ids[0]), s.productToPropertyGroups.delete(c.ids[0]), done),
    );
    on("POST", "/productpropertyvalues", (c) =>
      created(s.renderPropertyValue(s.createPropertyValue(c.body))),
    );
    on("GET", "/productpropertyvalues/{id}", (c) => ok(s.renderPropertyValue(s.getPropertyValue(c.ids[0]))));
    on("PATCH", "/productpropertyvalues/{id}", (c) => (s.patchPropertyValue(c.ids[0], c.body), done));
    on(
      "DELETE",
      "/productpropertyvalues/{id}",
      (c) => (s.getPropertyValue(c.ids[0]), s.propertyValues.delete(c.ids[0]), done),
    );

    // orders and rows
    on("GET", "/orders", (c) => ({ paged: s.filterOrders(c.query).map((o) => s.renderOrder(o)) }));
    on("POST", "/orders", (c) => created(s.renderOrder(s.createOrder(c.body))));
    on("GET", "/orders/{id}", (c) => ok(s.renderOrder(s.getOrder(c.ids[0]))));
    on("PATCH", "/orders/{id}", (c) => (s.patchOrder(c.ids[0], c.body), done));
    on("GET", "/orders/{id}/orderrows", (c) => ({
      paged: s.getOrder(c.ids[0]).rows.map((r) => s.renderOrderRow(r)),
    }));
    on("POST", "/orders/{id}/orderrows", (c) => created(s.renderOrderRow(s.addOrderRow(c.ids[0], c.body))));
    on("PUT", "/orders/{id}/orderrows", (c) => (s.putOrderRows(c.ids[0], c.body), done));
    on("GET", "/orderrows/{id}", (c) => ok(s.renderOrderRow(s.findOrderRow(c.ids[0]).row)));
    on("PATCH", "/orderrows/{id}", (c) => (s.patchOrderRow(c.ids[0], c.body), done));
    on("DELETE", "/orderrows/{id}", (c) => (s.deleteOrderRow(c.ids[0]), done));

    // users
    on("GET", "/users", (c) => ({ paged: s.filterUsers(c.query).map((u) => s.renderUser(u)) }));
    on("POST", "/users", (c) => created(s.renderUser(s.createUser(c.body))));
    on("GET", "/users/{id}", (c) => ok(s.renderUser(s.getUser(c.ids[0]))));
    on("PATCH", "/users/{id}", (c) => (s.patchUser(c.ids[0], c.body), done));
    on("DELETE", "/users/{id}", (c) => (s.deleteUser(c.ids[0]), done));

    // webhooks
    on("GET", "/webhooks", () => ({ paged: [...s.webhooks.values()].map((w) => s.renderWebhook(w)) }));
    on("POST", "/webhooks", (c) => created(s.renderWebhook(s.createWebhook(c.body))));
    on("GET", "/webhooks/{id}", (c) => ok(s.renderWebhook(s.getWebhook(c.ids[0]))));
    on("PATCH", "/webhooks/{id}", (c) => (s.patchWebhook(c.ids[0], c.body), done));
    on("DELETE", "/webhooks/{id}", (c) => (s.deleteWebhook(c.ids[0]), done));

    return routes;
  }
}

function validateName(body: unknown, resource: string): string {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw invalid(`The body of ${resource} must be a JSON object.`);
  const keys = Object.keys(body);
  const name = (body as { name?: unknown }).name;
  if (keys.some((k) => k !== "name") || (name !== undefined && typeof name !== "string")) {
    throw invalid(`Only 'name' (a string) can be changed on ${resource}.`);
  }
  if (typeof name !== "string") throw invalid(`Property 'name' is required on ${resource}.`);
  return name;
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
