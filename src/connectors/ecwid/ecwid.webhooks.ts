import { createHmac } from "node:crypto";
import { constantTimeEqual } from "../../common/crypto";
import { ECWID_WEBHOOK_CLOCK_SKEW_SECONDS, ECWID_WEBHOOK_MAX_AGE_SECONDS } from "./ecwid.vendor-facts";

/**
 * Ecwid webhooks (reference §11): pure functions, no I/O.
 *
 * Only `eventCreated` and `eventId` are signed (§11.4), so the body proves nothing about the
 * entity: handlers treat an event as a trigger, dedupe on `eventId` and re-fetch the entity by id.
 * A failed delivery is retried for 24–48 h with the original `eventCreated`, hence the 49 h
 * default age limit.
 */

/** §11.4: base64(HMAC-SHA256(key = app client_secret, message = "<eventCreated>.<eventId>")). */
export function signEcwidWebhook(
  clientSecret: string,
  eventCreated: number | string,
  eventId: string,
): string {
  return createHmac("sha256", clientSecret).update(`${eventCreated}.${eventId}`).digest("base64");
}

/** Event type with camelCase suffixes (the official spelling), e.g. "order.updated". */
export type EcwidWebhookEventType = string;

export interface EcwidWebhookEvent {
  eventId: string;
  /** unix seconds */
  eventCreated: number;
  storeId: number;
  /** product/category/customer id; internal order id for orders; a quoted string for application.* */
  entityId: number | string;
  /** normalised to camelCase suffixes (`application.subscription_status_changed` → `application.subscriptionStatusChanged`) */
  eventType: EcwidWebhookEventType;
  /** absent for product/category/class events */
  data?: Record<string, unknown>;
}

export type EcwidWebhookVerification =
  { ok: true; event: EcwidWebhookEvent } | { ok: false; status: 400 | 401; reason: string };

export interface VerifyEcwidWebhookInput {
  /** the request body exactly as received */
  rawBody: string | Buffer;
  /** the X-Ecwid-Webhook-Signature header (Express gives string | string[] | undefined) */
  signatureHeader: string | string[] | undefined | null;
  /** the app's client_secret; null when the integration has none configured (fails closed) */
  clientSecret: string | null | undefined;
  /** unix seconds; default: now */
  now?: number;
  /** default 49 h (Ecwid redelivers for up to 48 h with the original eventCreated) */
  maxAgeSeconds?: number;
}

/**
 * [JAVA] spells some suffixes in snake_case where the docs use camelCase; accept both (§11.2).
 * Only the part after the dot is converted: entity prefixes such as `unfinished_order` and
 * `product_class` are snake_case in both spellings.
 */
export function normalizeEcwidEventType(t: string): EcwidWebhookEventType {
  const dot = t.indexOf(".");
  if (dot < 0) return t;
  const action = t.slice(dot + 1).replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return `${t.slice(0, dot)}.${action}`;
}

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);
/** eventCreated/storeId arrive as JSON numbers; a numeric string is tolerated, nothing else. */
const asInt = (v: unknown): number | undefined =>
  isInt(v) ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined;

/** Parses and checks the shape of a webhook body; no signature check. */
export function parseEcwidWebhook(
  rawBody: string | Buffer,
): { ok: true; event: EcwidWebhookEvent } | { ok: false; reason: string } {
  let body: unknown;
  try {
    body = JSON.parse(typeof rawBody === "string" ? rawBody : rawBody.toString("utf8"));
  } catch {
    return { ok: false, reason: "the body is not JSON" };
  }
  if (!body || typeof body !== "object" || Array.isArray(body))
    return { ok: false, reason: "the body is not a JSON object" };
  const b = body as Record<string, unknown>;
  const eventCreated = asInt(b.eventCreated);
  const storeId = asInt(b.storeId);
  if (typeof b.eventId !== "string" || b.eventId === "") return { ok: false, reason: "eventId is missing" };
  if (eventCreated === undefined)
    return { ok: false, reason: "eventCreated is missing or not a unix timestamp" };
  if (storeId === undefined) return { ok: false, reason: "storeId is missing" };
  if (typeof b.eventType !== "string" || !b.eventType.includes("."))
    return { ok: false, reason: "eventType is missing" };
  if (!(typeof b.entityId === "number" || typeof b.entityId === "string"))
    return { ok: false, reason: "entityId is missing" };
  if (b.data !== undefined && b.data !== null && (typeof b.data !== "object" || Array.isArray(b.data)))
    return { ok: false, reason: "data is not an object" };
  const event: EcwidWebhookEvent = {
    eventId: b.eventId,
    eventCreated,
    storeId,
    entityId: b.entityId,
    eventType: normalizeEcwidEventType(b.eventType),
  };
  if (b.data) event.data = b.data as Record<string, unknown>;
  return { ok: true, event };
}

/**
 * Verifies an Ecwid webhook delivery: malformed body → 400; missing secret, missing or wrong
 * signature, an event older than `maxAgeSeconds` or dated in the future beyond the clock skew → 401. Fails closed: a request without the
 * header never passes (Ecwid's PHP sample gets this wrong, §11.4).
 */
export function verifyEcwidWebhook(input: VerifyEcwidWebhookInput): EcwidWebhookVerification {
  const parsed = parseEcwidWebhook(input.rawBody);
  if (!parsed.ok) return { ok: false, status: 400, reason: parsed.reason };
  const { event } = parsed;
  const header = Array.isArray(input.signatureHeader) ? input.signatureHeader[0] : input.signatureHeader;
  if (!input.clientSecret)
    return { ok: false, status: 401, reason: "no client secret is configured to verify Ecwid webhooks" };
  if (!header || header.trim() === "")
    return { ok: false, status: 401, reason: "the X-Ecwid-Webhook-Signature header is missing" };
  const expected = signEcwidWebhook(input.clientSecret, event.eventCreated, event.eventId);
  if (!constantTimeEqual(header.trim(), expected))
    return { ok: false, status: 401, reason: "the signature does not match" };
  const now = input.now ?? Math.floor(Date.now() / 1000);
  const maxAge = input.maxAgeSeconds ?? ECWID_WEBHOOK_MAX_AGE_SECONDS;
  if (now - event.eventCreated > maxAge) {
    return { ok: false, status: 401, reason: `the event is older than ${Math.round(maxAge / 3600)} h` };
  }
  if (event.eventCreated - now > ECWID_WEBHOOK_CLOCK_SKEW_SECONDS) {
    return {
      ok: false,
      status: 401,
      reason: `the event is dated ${event.eventCreated - now} s in the future (more than the ${ECWID_WEBHOOK_CLOCK_SKEW_SECONDS} s clock skew allowed)`,
    };
  }
  return { ok: true, event };
}

/** What a handler re-fetches for an event (the body is not signed, so its data is only a hint). */
export type EcwidWebhookTarget =
  | { kind: "product" | "category" | "customer"; id: number; action: string }
  /** orders: the string id from data.orderId when present, else the internal id (both are accepted by GET /orders/{id}) */
  | { kind: "order" | "unfinished_order"; id: string; action: string }
  | { kind: "other"; entity: string; action: string };

export function ecwidWebhookTarget(e: EcwidWebhookEvent): EcwidWebhookTarget {
  const dot = e.eventType.indexOf(".");
  const entity = e.eventType.slice(0, dot);
  const action = e.eventType.slice(dot + 1);
  const numericId = typeof e.entityId === "number" ? e.entityId : Number(e.entityId);
  switch (entity) {
    case "product":
    case "category":
    case "customer":
      if (Number.isSafeInteger(numericId) && numericId > 0) return { kind: entity, id: numericId, action };
      return { kind: "other", entity, action };
    case "order":
    case "unfinished_order": {
      const orderId = e.data?.orderId;
      // unfinished orders of 2020-era stores carry entityId -1: only data.orderId identifies them
      const id =
        typeof orderId === "string" && orderId !== ""
          ? orderId
          : numericId > 0
            ? String(numericId)
            : undefined;
      return id ? { kind: entity, id, action } : { kind: "other", entity, action };
    }
    default:
      return { kind: "other", entity, action };
  }
}
