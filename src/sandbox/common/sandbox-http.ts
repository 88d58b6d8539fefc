import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * Shared plumbing of the vendor sandboxes: an HTTP server that can be started and stopped from
 * code on any port, a request log to assert on, and fault injection by route. The vendor
 * behaviour itself (routes, shapes, signing, limits) lives in each sandbox.
 */

export interface LoggedRequest {
  method: string;
  /** path without the query string */
  path: string;
  /** the raw query string (without "?"), exactly as received */
  rawQuery: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** raw request body text */
  body: string;
  status?: number;
  at: Date;
}

export class RequestLog {
  readonly entries: LoggedRequest[] = [];
  add(e: LoggedRequest) {
    this.entries.push(e);
  }
  clear() {
    this.entries.length = 0;
  }
  /** requests that could change state */
  writes(): LoggedRequest[] {
    return this.entries.filter((e) => e.method !== "GET" && e.method !== "HEAD");
  }
  find(method: string, pathPattern: string | RegExp): LoggedRequest[] {
    return this.entries.filter(
      (e) =>
        e.method === method &&
        (typeof pathPattern === "string" ? e.path === pathPattern : pathPattern.test(e.path)),
    );
  }
}

export type FaultKind = "status" | "hang" | "reset" | "slow-body";

export interface FaultRule {
  /** HTTP method to match; any when omitted */
  method?: string;
  /** exact path, or a pattern tested against the path (without query) */
  path: string | RegExp;
  kind: FaultKind;
  /** how many matching requests the fault hits (default 1; Infinity for "always") */
  times?: number;
  /** kind "status": the status to answer (500, 429, 503…) */
  status?: number;
  /** kind "status": the JSON body; the sandbox's own error shape when omitted */
  body?: unknown;
  /** kind "status" with 429: the Retry-After header value */
  retryAfter?: string;
  /** kind "slow-body": delay between the headers and the body */
  delayMs?: number;
  /**
   * apply the request first, then fail (e.g. a 500 after the order was stored, a reset after the
   * create): the client cannot tell whether it worked
   */
  afterApply?: boolean;
}

export class FaultInjector {
  private rules: (FaultRule & { left: number })[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** the first active rule matching the request; consumes one of its `times` */
  take(method: string, path: string): FaultRule | undefined {
    const r = this.rules.find(
      (x) =>
        x.left > 0 &&
        (!x.method || x.method.toUpperCase() === method) &&
        (typeof x.path === "string" ? x.path === path : x.path.test(path)),
    );
    if (!r) return undefined;
    r.left -= 1;
    return r;
  }
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts a server for `handler` on 127.0.0.1:`port` (0 = any free port). `close()` also destroys
 * open sockets, including requests a "hang" fault left without an answer.
 */
export async function startHttpServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  port = 0,
  host = "127.0.0.1",
): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: String(e) }));
      } else res.destroy();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${host}:${addr.port}`,
    port: addr.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Plays a fault that is not a plain status answer. Returns true when the response has been dealt
 * with (hang: never answered, reset: socket destroyed, slow-body: answered late).
 */
export function playTransportFault(
  rule: FaultRule,
  res: ServerResponse,
  slowBody?: { status: number; headers: Record<string, string>; body: string },
): boolean {
  if (rule.kind === "hang") return true; // leave the request open; the client must time out
  if (rule.kind === "reset") {
    res.socket?.destroy();
    return true;
  }
  if (rule.kind === "slow-body" && slowBody) {
    res.writeHead(slowBody.status, slowBody.headers);
    res.flushHeaders();
    setTimeout(() => res.end(slowBody.body), rule.delayMs ?? 5_000);
    return true;
  }
  return false;
}

/** A fixed 60 s window counter per key: vendor-style "N requests per minute". */
export class MinuteWindowLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  /** counts the request; returns the ms until the window resets when over `limit`, else 0 */
  hit(key: string, limit: number): number {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= 60_000) {
      w = { start: t, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    return w.count > limit ? w.start + 60_000 - t : 0;
  }

  reset(): void {
    this.windows.clear();
  }
}

/** A token bucket: `capacity` tokens, refilled continuously at capacity per minute. */
export class TokenBucketLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  /** takes a token; returns the ms until one is available when empty, else 0 */
  take(key: string, perMinute: number): number {
    const t = this.now();
    const rate = perMinute / 60_000;
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: perMinute, at: t };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(perMinute, b.tokens + (t - b.at) * rate);
    b.at = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / rate);
  }

  reset(): void {
    this.buckets.clear();
  }
}
