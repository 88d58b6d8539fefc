import type { Redis } from "ioredis";
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import type { GatewayConfig } from "../config/config";
import type { Principal } from "../services/principal";

export type RateLimitClass = "ADMIN" | "OPERATOR" | "VIEWER" | "ANONYMOUS";

export type RateDecision =
  { ok: true } | { ok: false; retryAfterMs: number; perMinute: number; who: RateLimitClass };

/**
 * Requests per minute per API key, by role (rate-limiter-flexible; counted in Redis when REDIS_URL
 * is set, so every API process shares a key's budget). The instance operator counts as ADMIN.
 * Anonymous callers (no or an unknown key) are counted per client address. The defaults are far
 * above what a person in the playground or a monitoring screen does (README "Configuration").
 */
export class KeyRateLimits {
  private readonly limiters = new Map<RateLimitClass, RateLimiterAbstract>();

  constructor(
    private readonly perMinute: GatewayConfig["rateLimits"],
    redis?: Redis,
    prefix = "gw:",
  ) {
    for (const who of ["ADMIN", "OPERATOR", "VIEWER", "ANONYMOUS"] as const) {
      const points = perMinute[who];
      if (points <= 0) continue;
      const memory = new RateLimiterMemory({ points, duration: 60, keyPrefix: `rl-${who}` });
      this.limiters.set(
        who,
        redis
          ? new RateLimiterRedis({
              storeClient: redis,
              points,
              duration: 60,
              keyPrefix: `${prefix}rl-${who}`,
              // Redis unreachable: keep limiting per process rather than not at all
              insuranceLimiter: memory,
            })
          : memory,
      );
    }
  }

  static classOf(p: Principal | undefined): RateLimitClass {
    if (!p) return "ANONYMOUS";
    return p.kind === "instance" ? "ADMIN" : p.role;
  }

  private static keyOf(p: Principal | undefined, clientAddress: string | undefined): string {
    return !p ? `ip:${clientAddress ?? "unknown"}` : p.kind === "instance" ? "instance" : p.keyId;
  }

  /** counts one request of this caller */
  async take(p: Principal | undefined, clientAddress: string | undefined): Promise<RateDecision> {
    const who = KeyRateLimits.classOf(p);
    const limiter = this.limiters.get(who);
    if (!limiter) return { ok: true };
    const key = KeyRateLimits.keyOf(p, clientAddress);
    try {
      await limiter.consume(key, 1);
      return { ok: true };
    } catch (e) {
      if (e instanceof RateLimiterRes)
        return { ok: false, retryAfterMs: e.msBeforeNext, perMinute: this.perMinute[who], who };
      throw e;
    }
  }

  /** a request of this caller was refused for a limit: it counts REFUSAL_PENALTY requests in all */
  async penalize(p: Principal | undefined, clientAddress: string | undefined): Promise<void> {
    const limiter = this.limiters.get(KeyRateLimits.classOf(p));
    if (!limiter) return;
    await limiter.penalty(KeyRateLimits.keyOf(p, clientAddress), REFUSAL_PENALTY - 1).catch(() => undefined);
  }
}

/**
 * A request refused for a limit (a body over the size limit, a document over the token, depth,
 * alias or cost limits) counts this many requests in all: a script that keeps sending what is
 * refused reaches its 429s ten times sooner, and 429s cost the gateway nothing but the answer.
 * A person who trips a limit once in the playground does not notice.
 */
export const REFUSAL_PENALTY = 10;

export function rateLimitMessage(d: Extract<RateDecision, { ok: false }>): string {
  const seconds = Math.max(1, Math.ceil(d.retryAfterMs / 1000));
  const whom =
    d.who === "ANONYMOUS" ? "requests without an API key from one address" : `an API key with role ${d.who}`;
  return `Too many requests: ${whom} may send ${d.perMinute} per minute. Try again in ${seconds} s.`;
}
