import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

/**
 * A per-credential, per-lane request budget ("600 requests/min per Ecwid token", "150 GETs/min per
 * CCV operation"). All callers in the process that use the same credential share it; with Redis
 * the counting limiter is shared by every process (see `createRateBudget`).
 *
 * Two mechanisms together:
 * - a counting limiter (rate-limiter-flexible, fixed 60 s windows) that never lets more than
 *   `safety × limit` requests start in a window — memory or Redis backed;
 * - an in-process spacing gate that starts requests at least 60 s / (safety × limit) apart, so a
 *   burst of concurrent callers never lands on the vendor at once (vendors count in sliding or
 *   differently aligned windows).
 * A 429 from the vendor blocks the whole lane until its Retry-After has passed (`penalize`).
 *
 * Unified reads (GraphQL queries of products, orders, customers, stock) pass `share: "reads"`: they
 * first pass a gate of their own at READ_SHARE of the lane, then the lane's, so however hard reads
 * are hammered they hold at most that share of a lane's starts and a sync run keeps the rest; with
 * no reads going on, a sync has the whole lane.
 */
export const READ_SHARE = 0.3;

export interface AcquireOptions {
  share?: "reads";
  /** told how long this acquire will wait, when that is at least REPORTED_WAIT_MS */
  onWait?: (ms: number) => void;
}

/** a wait shorter than this is ordinary pacing, not worth telling anyone about */
export const REPORTED_WAIT_MS = 1_000;

export interface RateBudget {
  /** waits until one request may start on this lane */
  acquire(
    key: string,
    lane: string,
    perMinute: number,
    signal?: AbortSignal,
    opts?: AcquireOptions,
  ): Promise<void>;
  /** the vendor said "wait": no request on this lane starts before `until` (epoch ms) */
  penalize(key: string, lane: string, until: number): void;
}

export interface RateBudgetOptions {
  /** fraction of the vendor limit we allow ourselves (default 0.97) */
  safety?: number;
  /** a limiter factory for the counting part; default in-memory */
  limiterFactory?: (points: number, keyPrefix: string) => RateLimiterAbstract;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const abortableSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
    const t = setTimeout(
      () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error("aborted"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

interface Lane {
  nextStart: number;
  blockedUntil: number;
}

export class SharedRateBudget implements RateBudget {
  private readonly lanes = new Map<string, Lane>();
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private readonly safety: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly limiterFactory: (points: number, keyPrefix: string) => RateLimiterAbstract;

  constructor(opts: RateBudgetOptions = {}) {
    this.safety = opts.safety ?? 0.97;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? abortableSleep;
    this.limiterFactory =
      opts.limiterFactory ??
      ((points, keyPrefix) => new RateLimiterMemory({ points, duration: 60, keyPrefix }));
  }

  private lane(id: string): Lane {
    let l = this.lanes.get(id);
    if (!l) {
      l = { nextStart: 0, blockedUntil: 0 };
      this.lanes.set(id, l);
    }
    return l;
  }

  private limiter(points: number): RateLimiterAbstract {
    const k = String(points);
    let l = this.limiters.get(k);
    if (!l) {
      l = this.limiterFactory(points, `gw-budget-${points}`);
      this.limiters.set(k, l);
    }
    return l;
  }

  async acquire(
    key: string,
    lane: string,
    perMinute: number,
    signal?: AbortSignal,
    opts: AcquireOptions = {},
  ): Promise<void> {
    const id = `${key}|${lane}`;
    const points = Math.max(1, Math.floor(perMinute * this.safety));
    if (opts.share === "reads")
      await this.gate(`${id}|reads`, Math.max(1, Math.floor(points * READ_SHARE)), signal, opts.onWait);
    await this.gate(id, points, signal, opts.onWait);
  }

  private async gate(
    id: string,
    points: number,
    signal: AbortSignal | undefined,
    onWait: ((ms: number) => void) | undefined,
  ): Promise<void> {
    const interval = 60_000 / points;
    const l = this.lane(id);
    // Reserve a start slot synchronously, so concurrent callers queue up in order.
    const slot = Math.max(this.now(), l.nextStart, l.blockedUntil);
    l.nextStart = slot + interval;
    const wait = slot - this.now();
    if (wait >= REPORTED_WAIT_MS) onWait?.(wait);
    if (wait > 0) await this.sleep(wait, signal);
    // The counting limiter is the hard guarantee across processes.
    for (;;) {
      try {
        await this.limiter(points).consume(id, 1);
        return;
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
        if (e.msBeforeNext >= REPORTED_WAIT_MS) onWait?.(e.msBeforeNext);
        await this.sleep(Math.max(e.msBeforeNext, 10), signal);
      }
    }
  }

  penalize(key: string, lane: string, until: number): void {
    const l = this.lane(`${key}|${lane}`);
    l.blockedUntil = Math.max(l.blockedUntil, until);
    l.nextStart = Math.max(l.nextStart, until);
  }
}
