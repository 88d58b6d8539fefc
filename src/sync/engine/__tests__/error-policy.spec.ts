import { ConnectorError } from "../../../connectors/http/connector-error";
import { MissingValueMapping } from "../../../mapping/value-maps";
import {
  AUTO_RETRY_DELAYS_MS,
  decide,
  HEALABLE_CODES,
  ITEM_ATTEMPTS,
  nextAttemptAt,
  totalUpstreamAttempts,
} from "../error-policy";
import { ItemFailure } from "../flow-definition";

const err = (
  code: ConnectorError["code"],
  extra: Partial<ConstructorParameters<typeof ConnectorError>[0]> = {},
) => new ConnectorError({ system: "CCV_SALESPOS", code, message: `${code} happened`, ...extra });

describe("error policy", () => {
  it("retries an ambiguous write now (the transport could not), up to ITEM_ATTEMPTS attempts in all", () => {
    const e = err("TEMPORARY", { ambiguous: true, status: 500 });
    expect(decide(e, 1, { retryDelaysMs: [25] })).toEqual({
      kind: "RETRY_NOW",
      delayMs: 25,
      errorCode: "TEMPORARY",
      reason: "TEMPORARY happened",
    });
    expect(decide(e, ITEM_ATTEMPTS, { retryDelaysMs: [25, 50, 75] })).toMatchObject({
      kind: "FAIL_ITEM",
      errorCode: "TEMPORARY",
    });
    // a stopping run retries nothing
    expect(decide(e, 1, { aborted: true })).toMatchObject({ kind: "FAIL_ITEM" });
  });

  it("does not nest item retries around a failure the transport already retried", () => {
    expect(decide(err("TEMPORARY", { status: 503 }), 1)).toMatchObject({
      kind: "FAIL_ITEM",
      errorCode: "TEMPORARY",
    });
    // the total bound: transport attempts times item attempts, however the delays are configured
    expect(totalUpstreamAttempts(5)).toBe(5 * ITEM_ATTEMPTS);
    expect(decide(err("TEMPORARY", { ambiguous: true }), 1, { retryDelaysMs: [] })).toMatchObject({
      kind: "FAIL_ITEM",
    });
  });

  it("postpones the run on a rate limit longer than the transport waits, honouring Retry-After", () => {
    expect(decide(err("RATE_LIMITED", { retryAfterMs: 90_000 }), 1)).toEqual({
      kind: "POSTPONE_RUN",
      untilMs: 90_000,
      reason: "RATE_LIMITED happened",
    });
    expect(decide(err("RATE_LIMITED"), 1)).toMatchObject({ kind: "POSTPONE_RUN", untilMs: 60_000 });
  });

  it("marks the connection on AUTH", () => {
    expect(decide(err("AUTH"), 1)).toEqual({
      kind: "MARK_CONNECTION",
      errorCode: "AUTH",
      reason: "AUTH happened",
      system: "CCV_SALESPOS",
    });
  });

  it("fails the item with its class for data problems", () => {
    expect(decide(err("VALIDATION"), 1)).toMatchObject({ kind: "FAIL_ITEM", errorCode: "VALIDATION" });
    expect(decide(err("NOT_FOUND"), 1)).toMatchObject({ kind: "FAIL_ITEM", errorCode: "NOT_FOUND" });
    expect(decide(err("UNKNOWN"), 1)).toMatchObject({ kind: "FAIL_ITEM", errorCode: "UPSTREAM" });
    const f = new ItemFailure("MISSING_PRODUCT", "SKU X missing", { sku: "X" });
    expect(decide(f, 1)).toEqual({
      kind: "FAIL_ITEM",
      errorCode: "MISSING_PRODUCT",
      reason: "SKU X missing",
      details: { sku: "X" },
    });
    expect(decide(new MissingValueMapping("ORDER_STATUS", "5"), 1)).toMatchObject({
      kind: "FAIL_ITEM",
      errorCode: "VALUE_MAPPING",
    });
    expect(decide(new Error("boom"), 1)).toEqual({
      kind: "FAIL_ITEM",
      errorCode: "INTERNAL",
      reason: "Unexpected error in the gateway: boom",
    });
  });

  it("schedules automatic attempts for causes that can heal: 5 min, 30 min, 2 h, 12 h, then none", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect([...HEALABLE_CODES].sort()).toEqual(
      ["DEFAULT_DEBTOR", "MISSING_PRODUCT", "RATE_LIMITED", "TEMPORARY", "VALUE_MAPPING"].sort(),
    );
    const at = [0, 1, 2, 3].map((r) => nextAttemptAt("MISSING_PRODUCT", r, now)!.getTime() - now.getTime());
    expect(at).toEqual([300_000, 1_800_000, 7_200_000, 43_200_000]);
    expect(at).toEqual(AUTO_RETRY_DELAYS_MS);
    expect(nextAttemptAt("MISSING_PRODUCT", 4, now)).toBeNull();
    expect(nextAttemptAt("VALIDATION", 0, now)).toBeNull();
    expect(nextAttemptAt(null, 0, now)).toBeNull();
  });
});
