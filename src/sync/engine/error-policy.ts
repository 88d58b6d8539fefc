import { ConnectorError } from "../../connectors/http/connector-error";
import { TRANSPORT_DEFAULTS } from "../../connectors/http/transport";
import { MissingValueMapping } from "../../mapping/value-maps";
import { ItemFailure } from "./flow-definition";

/**
 * The engine's one error policy: what happens after an item's step threw. Every decision the
 * engine takes on an error comes from `decide`, and the bounds on attempts live here:
 *
 * - RETRY_NOW: the same item again in the same run, after `delayMs`. Only for a failure the
 *   transport could not retry itself (an ambiguous write: the request may have been applied, so the
 *   next attempt goes through the item's idempotency steps), and at most `ITEM_ATTEMPTS` attempts
 *   in all. A failure the transport already retried (up to its own maxAttempts) is not retried
 *   again inside the item: the TOTAL number of upstream attempts of one request within one run is
 *   at most `totalUpstreamAttempts()`.
 * - POSTPONE_RUN: the vendor asked to wait longer than the transport waits in-process; the run's
 *   job is rescheduled and the item done when it resumes (not recorded now).
 * - FAIL_ITEM: the item is recorded FAILED with `errorCode`. When the cause can heal by itself
 *   (`HEALABLE_CODES`), the item gets its next automatic attempt (`AUTO_RETRY_DELAYS_MS`).
 * - MARK_CONNECTION: the credentials or scopes are broken: the item fails, the connection is
 *   marked failing and the run stops (FAILED) — every further item would fail the same way.
 * - FAIL_RUN: the run cannot go on at all (not an item's problem).
 */
export type ErrorDecision =
  | { kind: "RETRY_NOW"; delayMs: number; errorCode: string; reason: string }
  | { kind: "POSTPONE_RUN"; untilMs: number; reason: string }
  | { kind: "FAIL_ITEM"; errorCode: string; reason: string; details?: ItemFailure["details"] }
  | {
      kind: "MARK_CONNECTION";
      errorCode: string;
      reason: string;
      system: ConnectorError["system"];
    }
  | { kind: "FAIL_RUN"; reason: string };

/** attempts of one item inside one run (the first one included) */
export const ITEM_ATTEMPTS = 2;
/** delay before an in-run retry (tests shorten it through the executor options) */
export const ITEM_RETRY_DELAY_MS = 1_000;
/** how long a run waits when the vendor says "too many requests" without a Retry-After */
export const DEFAULT_POSTPONE_MS = 60_000;

/** item error codes whose cause can go away without anyone changing the item: retried automatically */
export const HEALABLE_CODES: ReadonlySet<string> = new Set([
  "TEMPORARY",
  "RATE_LIMITED",
  "MISSING_PRODUCT",
  "VALUE_MAPPING",
  "DEFAULT_DEBTOR",
]);

/** the automatic attempts after a healable failure: 5 min, 30 min, 2 h, 12 h; then it stays FAILED */
export const AUTO_RETRY_DELAYS_MS: readonly number[] = [5 * 60_000, 30 * 60_000, 2 * 3600_000, 12 * 3600_000];

/**
 * When the next automatic attempt of a failed item is due. `round` counts the automatic attempts
 * already made for the same record since its last success (0 after a first failure); null when the
 * code cannot heal by itself or the attempts are spent.
 */
export function nextAttemptAt(errorCode: string | null | undefined, round: number, now: Date): Date | null {
  if (!errorCode || !HEALABLE_CODES.has(errorCode)) return null;
  const delay = AUTO_RETRY_DELAYS_MS[round];
  return delay === undefined ? null : new Date(now.getTime() + delay);
}

/** the most upstream attempts one request can get within one item of one run (transport × item) */
export function totalUpstreamAttempts(transportMaxAttempts = TRANSPORT_DEFAULTS.maxAttempts): number {
  return transportMaxAttempts * ITEM_ATTEMPTS;
}

export interface PolicyOptions {
  /** delays between in-run attempts; its length + 1 may lower ITEM_ATTEMPTS (never raise it) */
  retryDelaysMs?: readonly number[];
  /** the run is stopping (cancel, crash, lost job): nothing is retried now */
  aborted?: boolean;
}

/** The decision for an error thrown by attempt `attempt` (1-based) of an item. */
export function decide(e: unknown, attempt: number, o: PolicyOptions = {}): ErrorDecision {
  if (e instanceof ItemFailure)
    return { kind: "FAIL_ITEM", errorCode: e.errorCode, reason: e.message, details: e.details };
  if (e instanceof MissingValueMapping)
    return { kind: "FAIL_ITEM", errorCode: "VALUE_MAPPING", reason: e.message };
  if (e instanceof ConnectorError) {
    switch (e.code) {
      case "AUTH":
        return { kind: "MARK_CONNECTION", errorCode: "AUTH", reason: e.message, system: e.system };
      case "RATE_LIMITED":
        return { kind: "POSTPONE_RUN", untilMs: e.retryAfterMs ?? DEFAULT_POSTPONE_MS, reason: e.message };
      case "TEMPORARY": {
        const delays = o.retryDelaysMs ?? [ITEM_RETRY_DELAY_MS];
        const maxAttempts = Math.min(ITEM_ATTEMPTS, delays.length + 1);
        // the transport retried a failure that was not ambiguous already: no nested retries
        if (e.ambiguous && attempt < maxAttempts && !o.aborted)
          return {
            kind: "RETRY_NOW",
            delayMs: delays[attempt - 1] ?? 0,
            errorCode: "TEMPORARY",
            reason: e.message,
          };
        return { kind: "FAIL_ITEM", errorCode: "TEMPORARY", reason: e.message };
      }
      case "UNKNOWN":
        return { kind: "FAIL_ITEM", errorCode: "UPSTREAM", reason: e.message };
      default:
        return { kind: "FAIL_ITEM", errorCode: e.code, reason: e.message };
    }
  }
  return {
    kind: "FAIL_ITEM",
    errorCode: "INTERNAL",
    reason: `Unexpected error in the gateway: ${(e as Error)?.message ?? String(e)}`,
  };
}
