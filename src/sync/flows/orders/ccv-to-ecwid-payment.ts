import { CCV_ORDER_STATUS, type CcvOrder } from "../../../connectors/ccv-salespos";
import {
  ECWID_FULFILLMENT_STATUSES,
  type EcwidFulfillmentStatus,
  type EcwidPaymentStatus,
} from "../../../connectors/ecwid";
import { ItemFailure, type FlowRuntime } from "../../engine/flow-definition";

/**
 * Status and payment of a CCV SalesPOS order as Ecwid sees them (ORDERS_CCV_TO_ECWID): the payment
 * status, the fulfillment status through the ORDER_STATUS value map, and the payment method and term
 * through the PAYMENT_METHOD / PAYMENT_TERM value maps.
 */

/** CCV §5.6.3 names by code, derived from the vendor-facts constant (IN_PROCESS → "In process"). */
const STATUS_NAMES = new Map<number, string>(
  Object.entries(CCV_ORDER_STATUS).map(([key, code]) => {
    const words = key.toLowerCase().replace(/_/g, " ");
    return [code, words.charAt(0).toUpperCase() + words.slice(1)];
  }),
);

/** "7 Completed"; "no status" for an order without one (incomplete orders, CCV §5.6.3). */
export function describeCcvStatus(status: number | null | undefined): string {
  if (status === null || status === undefined) return "no status";
  const name = STATUS_NAMES.get(status);
  return name ? `${status} ${name}` : String(status);
}

const norm = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ");

/**
 * Whether the CCV status qualifies under `orderStatuses` (empty = every status). An entry matches by
 * code ("7") or by its CCV §5.6.3 name ("Completed", "completed", "COMPLETED").
 */
export function statusQualifies(
  orderStatuses: readonly string[],
  status: number | null | undefined,
): boolean {
  if (orderStatuses.length === 0) return true;
  if (status === null || status === undefined) return false;
  const name = STATUS_NAMES.get(status);
  return orderStatuses.some(
    (s) => s.trim() === String(status) || (name !== undefined && norm(s) === norm(name)),
  );
}

/**
 * The CCV status a value-map target names: its code ("8") or its CCV §5.6.3 name ("Cancelled",
 * "CANCELLED"); undefined when it names none.
 */
export function ccvStatusCode(text: string | null | undefined): number | undefined {
  const t = (text ?? "").trim();
  if (t === "") return undefined;
  if (/^\d+$/.test(t)) return STATUS_NAMES.has(Number(t)) ? Number(t) : undefined;
  for (const [code, name] of STATUS_NAMES) if (norm(name) === norm(t)) return code;
  return undefined;
}

/**
 * Ecwid payment status. A cancelled CCV order becomes CANCELLED (Ecwid moves no stock for it, Ecwid §8.6);
 * a paid one PAID (POS sales are paid, and only PAID orders with product ids move Ecwid stock);
 * anything else AWAITING_PAYMENT.
 */
export function ecwidPaymentStatus(order: CcvOrder): EcwidPaymentStatus {
  if (order.status === CCV_ORDER_STATUS.CANCELLED) return "CANCELLED";
  return order.paid ? "PAID" : "AWAITING_PAYMENT";
}

/**
 * The fulfillment status used when ORDER_STATUS has neither an entry for the CCV code nor a "*"
 * default. Codes not listed (1 New, 4 Wait for payment, 14 Reserved, none) → AWAITING_PROCESSING.
 */
const FALLBACK_FULFILLMENT: ReadonlyMap<number, EcwidFulfillmentStatus> = new Map<
  number,
  EcwidFulfillmentStatus
>([
  [CCV_ORDER_STATUS.IN_PROCESS, "PROCESSING"],
  [CCV_ORDER_STATUS.WAIT_FOR_MANUFACTURER, "PROCESSING"],
  [CCV_ORDER_STATUS.SENT, "SHIPPED"],
  [CCV_ORDER_STATUS.DELIVERED, "DELIVERED"],
  [CCV_ORDER_STATUS.COMPLETED, "DELIVERED"],
  [CCV_ORDER_STATUS.CANCELLED, "WILL_NOT_DELIVER"],
  [CCV_ORDER_STATUS.WAIT_FOR_SUPPLIER, "PROCESSING"],
  [CCV_ORDER_STATUS.IS_BEING_PACKAGED, "PROCESSING"],
  [CCV_ORDER_STATUS.READY_TO_BE_COLLECTED, "READY_FOR_PICKUP"],
  [CCV_ORDER_STATUS.IS_BEING_ASSEMBLED, "PROCESSING"],
  [CCV_ORDER_STATUS.BACKORDER, "PROCESSING"],
]);

/**
 * Ecwid fulfillment status: the ORDER_STATUS value map (CCV code → Ecwid status), else the fallback
 * table. A mapped value Ecwid does not know fails the item (Ecwid would refuse the order).
 */
export function ecwidFulfillmentStatus(
  rt: FlowRuntime,
  status: number | null | undefined,
): EcwidFulfillmentStatus {
  const known = status === null || status === undefined ? undefined : status;
  const code = known === undefined ? "" : String(known);
  // ORDER_STATUS holds both directions: a "*" default giving a CCV code is the other direction's
  const mapped = rt.valueMaps.lookupOneWay("ORDER_STATUS", code, (to) => !/^\s*\d+\s*$/.test(to));
  if (mapped === undefined)
    return (known !== undefined && FALLBACK_FULFILLMENT.get(known)) || "AWAITING_PROCESSING";
  const upper = mapped.trim().toUpperCase();
  if (!(ECWID_FULFILLMENT_STATUSES as readonly string[]).includes(upper)) {
    throw new ItemFailure(
      "VALUE_MAPPING",
      `ORDER_STATUS maps CCV status "${code}" to "${mapped}", which is not an Ecwid fulfillment status (${ECWID_FULFILLMENT_STATUSES.join(", ")}): correct it with setValueMappings(kind: ORDER_STATUS, …).`,
    );
  }
  return upper as EcwidFulfillmentStatus;
}

export interface EcwidPayment {
  /** Ecwid paymentMethod; undefined when the order has no payment method and no "*" default applies */
  method?: string;
  /** the mapped payment term; undefined when PAYMENT_TERM does not apply */
  term?: string;
}

const text = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/**
 * Payment method and term. The code is CCV's `paymethod` (`<psp><method>`, e.g. "PinTerminal");
 * an order that only carries `paymethod_id` is looked up in GET /paymethods (read once per run).
 * - PAYMENT_METHOD with entries: the code must map (or "*"), else MissingValueMapping fails the item;
 *   without entries, Ecwid gets CCV's human label (`paymethod_label`, e.g. "Pinnen") as free text.
 * - PAYMENT_TERM: CCV orders carry no term of their own, so the term is keyed by the same payment
 *   method code (e.g. "BankTransfer" → "14 days"); applied only when the map has entries, with the
 *   same rule for a code without an entry.
 * Throws MissingValueMapping (the engine records it as VALUE_MAPPING).
 */
export async function ecwidPayment(rt: FlowRuntime, order: CcvOrder): Promise<EcwidPayment> {
  let code = text(order.paymethod);
  let label = text(order.paymethod_label);
  if ((!code || !label) && order.paymethod_id) {
    const methods = await rt.memo("ccv-paymethods", () => rt.clients.ccv.listPaymethods());
    const pm = methods.find((m) => m.id === order.paymethod_id);
    code = code ?? text(pm?.combined_name);
    label = label ?? text(pm?.label);
  }
  if (!code) {
    // no payment method on the order: only a "*" default says what to write
    return {
      method: rt.valueMaps.lookup("PAYMENT_METHOD", ""),
      term: rt.valueMaps.lookup("PAYMENT_TERM", ""),
    };
  }
  const method = rt.valueMaps.has("PAYMENT_METHOD")
    ? rt.valueMaps.require("PAYMENT_METHOD", code)
    : (label ?? code);
  const term = rt.valueMaps.has("PAYMENT_TERM") ? rt.valueMaps.require("PAYMENT_TERM", code) : undefined;
  return { method, term };
}
