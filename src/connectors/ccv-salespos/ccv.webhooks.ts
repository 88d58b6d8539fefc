import { createHmac } from "node:crypto";
import { hashesEqual } from "./ccv.auth";
import { CCV_WEBHOOK_EVENTS, CCV_WEBHOOK_SIGNATURE, type CcvWebhookEvent } from "./ccv.vendor-facts";

/**
 * CCV webhooks (§5.9): one registered URL per event (the event name is not in the body, so it comes
 * from the URL path: `POST /webhooks/ccv/:integrationId/:event`), a per-webhook `key`, and a small
 * payload that is only a trigger — the entity is always re-fetched through the signed API.
 */

export { CCV_WEBHOOK_EVENTS, type CcvWebhookEvent };

export function isCcvWebhookEvent(name: string): name is CcvWebhookEvent {
  return (CCV_WEBHOOK_EVENTS as readonly string[]).includes(name);
}

/** The resource a webhook event is about. */
export type CcvWebhookEntity = "order" | "invoice" | "product" | "category" | "return";

export function webhookEntity(event: CcvWebhookEvent): CcvWebhookEntity {
  const r = event.split(".")[0];
  return r === "orders"
    ? "order"
    : r === "invoices"
      ? "invoice"
      : r === "products"
        ? "product"
        : r === "categories"
          ? "category"
          : "return";
}

/**
 * The ONE place the [inferred] signature scheme lives (§5.9.4):
 * `x-hash = hex(HMAC_SHA512(key, "<address>|<raw body>"))`, where `address` is the URL exactly as
 * registered and the body the raw bytes received.
 */
export function ccvWebhookSignature(key: string, address: string, rawBody: string | Buffer): string {
  const h = createHmac(CCV_WEBHOOK_SIGNATURE.algorithm, key);
  h.update(`${address}${CCV_WEBHOOK_SIGNATURE.separator}`, "utf8");
  if (typeof rawBody === "string") h.update(rawBody, "utf8");
  else h.update(rawBody);
  return h.digest("hex");
}

/**
 * 'require': reject deliveries without a valid hash; 'if-present' (default): verify when the header
 * is there, accept unsigned ones (the vendor's scheme is unconfirmed); 'off': never verify.
 * Whatever the mode, payload contents are never trusted: the entity is re-fetched.
 */
export type CcvWebhookVerificationMode = "require" | "if-present" | "off";
export const DEFAULT_WEBHOOK_VERIFICATION: CcvWebhookVerificationMode = "if-present";

export type CcvWebhookVerification =
  { ok: true; verified: boolean } | { ok: false; reason: "missing-signature" | "bad-signature" };

export function verifyCcvWebhook(input: {
  key: string;
  /** the address the webhook was registered with */
  address: string;
  rawBody: string | Buffer;
  headers: Record<string, string | string[] | undefined>;
  mode?: CcvWebhookVerificationMode;
}): CcvWebhookVerification {
  const mode = input.mode ?? DEFAULT_WEBHOOK_VERIFICATION;
  if (mode === "off") return { ok: true, verified: false };
  const raw =
    input.headers[CCV_WEBHOOK_SIGNATURE.header] ?? input.headers[CCV_WEBHOOK_SIGNATURE.header.toUpperCase()];
  const received = Array.isArray(raw) ? raw[0] : raw;
  if (!received)
    return mode === "require" ? { ok: false, reason: "missing-signature" } : { ok: true, verified: false };
  const expected = ccvWebhookSignature(input.key, input.address, input.rawBody);
  return hashesEqual(expected, received)
    ? { ok: true, verified: true }
    : { ok: false, reason: "bad-signature" };
}

/** §5.9.3 payload as parsed: the common envelope plus the event-specific fields. */
export interface CcvWebhookPayload {
  event: CcvWebhookEvent;
  entity: CcvWebhookEntity;
  /** the entity id as a string (ids are integers on the wire) */
  id: string;
  href: string | null;
  triggeredAt: Date | null;
  /** orders.* only */
  order?: {
    orderNumber: number | null;
    orderNumberPrefix: string | null;
    orderNumberFull: string | null;
    totalPrice: number | null;
    customerEmail: string | null;
    customerMobile: string | null;
    previousStatus?: number | null;
    status?: number | null;
    paid?: boolean;
    trackAndTraceCode?: string | null;
    trackAndTraceCarrier?: string | null;
  };
  /** the decoded body, for logging and the inbox */
  raw: Record<string, unknown>;
}

export class CcvWebhookParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CcvWebhookParseError";
  }
}

const str = (v: unknown): string | null =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : null;
const num = (v: unknown): number | null => {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return null;
};

/** The id from `id`, or else from the last numeric segment of `href`. */
function entityId(body: Record<string, unknown>): string | null {
  const id = num(body.id);
  if (id !== null) return String(id);
  const href = str(body.href);
  const m = href ? /\/(\d+)\/?(?:\?.*)?$/.exec(href) : null;
  return m ? m[1] : null;
}

/**
 * Parses a delivery. `event` comes from the URL path the gateway registered (never from the body).
 * Throws CcvWebhookParseError for an unknown event, non-JSON, or a body without an entity id.
 */
export function parseCcvWebhook(event: string, rawBody: string | Buffer): CcvWebhookPayload {
  if (!isCcvWebhookEvent(event)) throw new CcvWebhookParseError(`"${event}" is not a CCV webhook event.`);
  let body: unknown;
  try {
    body = JSON.parse(typeof rawBody === "string" ? rawBody : rawBody.toString("utf8"));
  } catch {
    throw new CcvWebhookParseError("The CCV webhook body is not JSON.");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw new CcvWebhookParseError("The CCV webhook body is not a JSON object.");
  }
  const b = body as Record<string, unknown>;
  const id = entityId(b);
  if (!id) throw new CcvWebhookParseError("The CCV webhook body names no record (no id or href).");
  const triggered = str(b.triggered_at);
  const t = triggered ? Date.parse(triggered) : NaN;
  const entity = webhookEntity(event);
  const out: CcvWebhookPayload = {
    event,
    entity,
    id,
    href: str(b.href),
    triggeredAt: Number.isNaN(t) ? null : new Date(t),
    raw: b,
  };
  if (entity === "order") {
    out.order = {
      // webhooks say `order_number`, the order resource says `ordernumber` (§5.9.3)
      orderNumber: num(b.order_number),
      orderNumberPrefix: str(b.ordernumber_prefix),
      orderNumberFull: str(b.ordernumber_full),
      totalPrice: num(b.total_price),
      customerEmail: str(b.customer_email),
      customerMobile: str(b.customer_mobile),
    };
    if (event === "orders.updated.status") {
      out.order.previousStatus = num(b.previous_status);
      out.order.status = num(b.status);
    } else if (event === "orders.updated.ispaid") {
      out.order.paid = b.paid === true || b.paid === 1 || b.paid === "1" || b.paid === "true";
    } else if (event === "orders.updated.trackandtrace") {
      out.order.trackAndTraceCode = str(b.track_and_trace_code);
      out.order.trackAndTraceCarrier = str(b.track_and_trace_carrier);
    }
  }
  return out;
}

/**
 * The address to register for one event: `<gateway>/webhooks/ccv/<integrationId>/<event>`. The same
 * string must be used to verify deliveries, so it is stored with the webhook's key.
 */
export function ccvWebhookAddress(
  gatewayBaseUrl: string,
  integrationId: string,
  event: CcvWebhookEvent,
): string {
  return `${gatewayBaseUrl.replace(/\/+$/, "")}/webhooks/ccv/${encodeURIComponent(integrationId)}/${event}`;
}
