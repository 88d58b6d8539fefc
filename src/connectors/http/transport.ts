import { Agent, request, type Dispatcher } from "undici";
import { DelegateBackoff, handleWhen, retry } from "cockatiel";
import type { Logger } from "pino";
import type { SystemKind } from "../../domain/system";
import { ConnectorError, systemLabel } from "./connector-error";
import { REPORTED_WAIT_MS, type RateBudget } from "./rate-budget";
import type { AuthCircuit } from "./auth-circuit";
import {
  guardedConnector,
  STRICT_UPSTREAMS,
  UpstreamRefused,
  upstreamUrlProblemOf,
  type UpstreamPolicy,
} from "./upstream-guard";

/**
 * The one HTTP core every connector uses: budget → sign → send with timeouts → classify →
 * retry with exponential backoff and jitter (never sooner than Retry-After). Vendor clients supply
 * the vendor-specific parts (how to sign, how to read an error body, the lane budgets).
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface TransportRequest {
  method: HttpMethod;
  /** absolute URL */
  url: string;
  headers?: Record<string, string>;
  /** the exact text to send (vendors that sign bodies hash this same string); bytes for uploads */
  body?: string | Buffer;
  /** rate-budget lane, e.g. "ALL" (Ecwid) or "GET /products/{id}" (CCV) */
  lane: string;
  /** the lane's vendor limit per minute */
  perMinute: number;
  /**
   * Safe to send again after an ambiguous failure (timeout or reset after sending, 5xx).
   * Default: every method but POST. A POST that may have been applied is never repeated here:
   * the engine looks the record up by our reference first.
   */
  idempotent?: boolean;
  /** headers computed right before each attempt, e.g. a signature over a fresh x-date */
  sign?: () => Record<string, string>;
  signal?: AbortSignal;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** raw bytes, exactly as received (CCV signs them) */
  body: Buffer;
  text: string;
  attempts: number;
}

export interface RequestObservation {
  system: SystemKind;
  method: HttpMethod;
  lane: string;
  status: number | "error";
  durationMs: number;
  attempt: number;
}

/** Why requests of a run are waiting right now (null: they are moving again). */
export interface UpstreamWait {
  system: SystemKind;
  /** host[:port] of the vendor */
  host: string;
  /** what happened, in words ("connection refused", "rate window of 150 requests/min") */
  reason: string;
  /** when the next attempt starts */
  until: Date;
  kind: "backoff" | "rate";
}
export type UpstreamWaitListener = (w: UpstreamWait | null) => void;

export interface TransportOptions {
  system: SystemKind;
  /** non-secret fingerprint of the credential: key of its budget and of its auth circuit */
  credentialKey: string;
  budget: RateBudget;
  circuit?: AuthCircuit;
  /** null = success; otherwise the error this response means */
  classify: (res: RawResponse, req: TransportRequest) => ConnectorError | null;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  maxAttempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** a Retry-After longer than this is not waited out in-process: the caller reschedules */
  maxRetryAfterMs?: number;
  dispatcher?: Dispatcher;
  logger?: Logger;
  observe?: (o: RequestObservation) => void;
  random?: () => number;
  /**
   * Dry runs: every request but GET is refused before it leaves the process, so a plan can never
   * write upstream, whatever a flow does.
   */
  readOnly?: boolean;
  /** which upstream addresses may be connected to (default: public https only) */
  upstreams?: UpstreamPolicy;
  /** "reads": unified reads, which draw from their own share of each lane (RateBudget) */
  share?: "reads";
  /** stops every request of this transport (e.g. a GraphQL request's execution deadline) */
  signal?: AbortSignal;
  /** told when a request waits longer than REPORTED_WAIT_MS (backoff, rate window), and when it moves again */
  onWait?: UpstreamWaitListener;
}

export const TRANSPORT_DEFAULTS = {
  connectTimeoutMs: 5_000,
  readTimeoutMs: 30_000,
  maxAttempts: 5,
  initialDelayMs: 250,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

const agents = new Map<string, Agent>();
function sharedAgent(connectTimeoutMs: number, readTimeoutMs: number, policy: UpstreamPolicy): Agent {
  // a policy with its own resolver (tests) gets its own pool
  const k = `${connectTimeoutMs}/${readTimeoutMs}/${policy.allowLocal}${policy.resolve ? `/${Math.random()}` : ""}`;
  let a = agents.get(k);
  if (!a) {
    a = new Agent({
      // every connection is judged on the address it goes to (upstream-guard.ts)
      connect: guardedConnector(policy, connectTimeoutMs),
      headersTimeout: readTimeoutMs,
      bodyTimeout: readTimeoutMs,
      keepAliveTimeout: 10_000,
      connections: 32,
    });
    agents.set(k, a);
  }
  return a;
}

/** Closes the shared connection pools (tests and graceful shutdown). */
export async function closeSharedAgents(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((a) => a.close().catch(() => undefined)));
}

/** Network failures: which of them may have reached the vendor after the request was sent. */
const NOT_SENT = new Set([
  "ECONNREFUSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return "the vendor";
  }
};

/** short words for a network failure, for "why a run waits" */
const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_HEADERS_TIMEOUT: "no answer in time",
  UND_ERR_BODY_TIMEOUT: "no answer in time",
  ENOTFOUND: "host not found (DNS)",
  EAI_AGAIN: "host not found (DNS)",
  ECONNRESET: "connection reset",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

function refusedError(system: SystemKind, url: string, reason: string): ConnectorError {
  return new ConnectorError({
    system,
    code: "VALIDATION",
    vendorCode: "UPSTREAM_REFUSED",
    message: `${systemLabel(system)} at ${hostOf(url)} was not contacted: ${reason}. Change the base URL of this connection.`,
  });
}

function networkError(system: SystemKind, e: unknown, url: string): ConnectorError {
  const err = e as { code?: string; cause?: { code?: string; reason?: string }; message?: string };
  if (e instanceof UpstreamRefused) return refusedError(system, url, e.reason);
  if (err.cause instanceof UpstreamRefused) return refusedError(system, url, err.cause.reason);
  const code = err.code ?? err.cause?.code ?? "UNKNOWN";
  const host = hostOf(url);
  const what =
    code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT"
      ? "did not answer in time"
      : code === "UND_ERR_CONNECT_TIMEOUT"
        ? "could not be reached in time"
        : code === "ECONNREFUSED"
          ? "refused the connection"
          : code === "ENOTFOUND" || code === "EAI_AGAIN"
            ? "could not be found (DNS)"
            : `closed the connection (${code})`;
  return new ConnectorError({
    system,
    code: "TEMPORARY",
    message: `${systemLabel(system)} at ${host} ${what}; the gateway will try again.`,
    vendorCode: code,
    ambiguous: !NOT_SENT.has(code),
  });
}

export function parseRetryAfter(v: string | undefined, now = Date.now()): number | undefined {
  if (!v) return undefined;
  const s = Number(v.trim());
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const d = Date.parse(v);
  return Number.isNaN(d) ? undefined : Math.max(0, d - now);
}

export class HttpTransport {
  private readonly o: Required<
    Pick<
      TransportOptions,
      | "connectTimeoutMs"
      | "readTimeoutMs"
      | "maxAttempts"
      | "initialDelayMs"
      | "maxDelayMs"
      | "maxRetryAfterMs"
    >
  > &
    TransportOptions;
  private readonly dispatcher: Dispatcher;
  private readonly upstreams: UpstreamPolicy;

  constructor(opts: TransportOptions) {
    this.o = { ...TRANSPORT_DEFAULTS, ...opts };
    this.upstreams = opts.upstreams ?? STRICT_UPSTREAMS;
    this.dispatcher =
      opts.dispatcher ?? sharedAgent(this.o.connectTimeoutMs, this.o.readTimeoutMs, this.upstreams);
  }

  /** reports a wait to the listener (and remembers it, so the end of the wait is reported too) */
  private waited = false;
  private reportWait(w: UpstreamWait | null): void {
    if (!this.o.onWait) return;
    if (w === null && !this.waited) return;
    this.waited = w !== null;
    try {
      this.o.onWait(w);
    } catch {
      // a listener's failure never fails a request
    }
  }

  get system(): SystemKind {
    return this.o.system;
  }

  /** Sends with budget, retries and classification; resolves only with a success response. */
  async send(req: TransportRequest): Promise<RawResponse> {
    const idempotent = req.idempotent ?? req.method !== "POST";
    const rnd = this.o.random ?? Math.random;
    const signal =
      this.o.signal && req.signal
        ? AbortSignal.any([this.o.signal, req.signal])
        : (this.o.signal ?? req.signal);
    const policy = retry(
      handleWhen((e) => {
        if (!(e instanceof ConnectorError)) return false;
        if (e.code === "RATE_LIMITED") return (e.retryAfterMs ?? 0) <= this.o.maxRetryAfterMs;
        if (e.code === "TEMPORARY") return idempotent || !e.ambiguous;
        return false;
      }),
      {
        maxAttempts: this.o.maxAttempts - 1,
        backoff: new DelegateBackoff((ctx: { attempt: number; result: unknown }) => {
          const base = Math.min(this.o.maxDelayMs, this.o.initialDelayMs * 2 ** (ctx.attempt - 1));
          const jittered = base / 2 + rnd() * (base / 2);
          const err = (ctx.result as { error?: unknown }).error;
          const after = err instanceof ConnectorError ? (err.retryAfterMs ?? 0) : 0;
          const delay = Math.max(jittered, after);
          if (delay >= REPORTED_WAIT_MS && err instanceof ConnectorError) {
            this.reportWait({
              system: this.o.system,
              host: hostOf(req.url),
              reason:
                NETWORK_WORDS[err.vendorCode ?? ""] ??
                err.message.replace(/[.;] the gateway will try again\.?$/i, ""),
              until: new Date(Date.now() + delay),
              kind: err.code === "RATE_LIMITED" ? "rate" : "backoff",
            });
          }
          return delay;
        }),
      },
    );
    let attempt = 0;
    const res = await policy.execute(async () => {
      attempt += 1;
      return this.attempt({ ...req, signal }, attempt);
    }, signal);
    this.reportWait(null);
    return res;
  }

  private async attempt(req: TransportRequest, attempt: number): Promise<RawResponse> {
    const { system, credentialKey } = this.o;
    const open = this.o.circuit?.check(credentialKey);
    if (open) {
      throw new ConnectorError({
        system,
        code: "AUTH",
        message: `${open.message} The gateway stopped calling ${systemLabel(system)} with these credentials at ${open.at.toISOString()}; update them to resume.`,
        credentialRejected: true,
      });
    }
    if (this.o.readOnly && req.method !== "GET") {
      throw new ConnectorError({
        system,
        code: "VALIDATION",
        vendorCode: "DRY_RUN",
        message: `Dry run: the gateway does not send ${req.method} requests to ${systemLabel(system)}.`,
      });
    }
    const problem = upstreamUrlProblemOf(req.url, this.upstreams);
    if (problem) throw refusedError(system, req.url, `the base URL ${problem}`);
    await this.o.budget.acquire(credentialKey, req.lane, req.perMinute, req.signal, {
      share: this.o.share,
      onWait: (ms) =>
        this.reportWait({
          system,
          host: hostOf(req.url),
          reason: `rate window of ${req.perMinute} requests/min (${req.lane})`,
          until: new Date(Date.now() + ms),
          kind: "rate",
        }),
    });
    const headers: Record<string, string> = { ...(req.headers ?? {}), ...(req.sign ? req.sign() : {}) };
    const started = process.hrtime.bigint();
    let res: RawResponse;
    try {
      const r = await request(req.url, {
        method: req.method,
        headers,
        body: req.body,
        dispatcher: this.dispatcher,
        signal: req.signal,
      });
      const body = Buffer.from(await r.body.arrayBuffer());
      const hdrs: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.headers))
        if (v !== undefined) hdrs[k] = Array.isArray(v) ? v.join(", ") : v;
      res = { status: r.statusCode, headers: hdrs, body, text: body.toString("utf8"), attempts: attempt };
    } catch (e) {
      if (req.signal?.aborted) throw e;
      this.observe(req, "error", started, attempt);
      const err = networkError(system, e, req.url);
      this.o.logger?.warn(
        { system, method: req.method, lane: req.lane, attempt, err: err.message },
        "upstream request failed",
      );
      throw err;
    }
    this.observe(req, res.status, started, attempt);
    const err = this.o.classify(res, req);
    if (!err) return res;
    if (err.code === "RATE_LIMITED" && err.retryAfterMs !== undefined) {
      this.o.budget.penalize(credentialKey, req.lane, Date.now() + err.retryAfterMs);
    }
    if (err.code === "AUTH" && err.credentialRejected) this.o.circuit?.trip(credentialKey, err.message);
    // a 5xx may have been applied: like a timeout, it is ambiguous for a request that is not idempotent
    const ambiguous = err.code === "TEMPORARY" && !(req.idempotent ?? req.method !== "POST");
    this.o.logger?.warn(
      {
        system,
        method: req.method,
        lane: req.lane,
        status: res.status,
        code: err.code,
        vendorCode: err.vendorCode,
        attempt,
      },
      "upstream answered with an error",
    );
    if (ambiguous && !err.ambiguous) {
      throw new ConnectorError({
        system: err.system,
        code: err.code,
        message: err.message,
        status: err.status,
        vendorCode: err.vendorCode,
        retryAfterMs: err.retryAfterMs,
        ambiguous: true,
      });
    }
    throw err;
  }

  private observe(req: TransportRequest, status: number | "error", started: bigint, attempt: number) {
    if (!this.o.observe) return;
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    this.o.observe({
      system: this.o.system,
      method: req.method,
      lane: req.lane,
      status,
      durationMs,
      attempt,
    });
  }
}
