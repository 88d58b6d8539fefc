import type { CcvOrder, CcvOrderPatch } from "../../../connectors/ccv-salespos";
import type { EcwidOrder } from "../../../connectors/ecwid";
import { isConnectorError } from "../../../connectors/http/connector-error";
import type { LinkEntity } from "../../../db/entities/link.entity";
import { MappingSet } from "../../../mapping/field-mapping";
import { ItemFailure, type FlowRuntime, type ItemResult, type LinkWrite } from "../../engine/flow-definition";
import { diffFields, hashOf } from "../../engine/hash";
import { ccvStatusCode, describeCcvStatus } from "./ccv-to-ecwid-payment";

/**
 * ORDERS_ECWID_TO_CCV after the order is booked: a linked web order that is later cancelled,
 * refunded or changes fulfilment status updates its CCV SalesPOS order. Only the status-like fields
 * CCV lets a PATCH change (CCV §5.6.1) are written: `status` (through the ORDER_STATUS value map)
 * and `paid` (through the flow's own `paid` mapping and its write policy). The order is never
 * created again and its rows are never touched; CCV is not asked to e-mail the customer.
 *
 * Echo-safe: the link's hashToCcv holds the Ecwid statuses last followed (the create records
 * them too; a link from before this holds another hash and adopts the statuses it finds). Only a change of the Ecwid statuses since then is followed, so a status the shop set
 * in CCV itself is not overwritten while Ecwid's stays as it was; and a write happens only when
 * CCV's status or payment differs from what Ecwid's maps to.
 */

/** Marks a link hash as a status baseline (links recorded before statuses were followed hold another hash). */
export const STATUS_BASELINE = "st:";

/** The Ecwid statuses a linked CCV order last followed, as stored in the link's hashToCcv (64 characters). */
export function ecwidStatusHash(o: EcwidOrder): string {
  const hash = hashOf({
    orderStatus: { payment: o.paymentStatus ?? null, fulfillment: o.fulfillmentStatus ?? null },
  });
  return STATUS_BASELINE + hash.slice(STATUS_BASELINE.length);
}

/** Payment statuses that void the order whatever its fulfilment: their ORDER_STATUS entry comes first. */
const VOIDING_PAYMENT = new Set(["CANCELLED", "REFUNDED"]);

const ccvOrderNumber = (o: CcvOrder) =>
  o.ordernumber_full ?? (o.ordernumber ? String(o.ordernumber) : `id ${o.id}`);

const isCcvCode = (to: string) => /^\s*\d+\s*$/.test(to);

/**
 * The CCV status Ecwid's statuses map to through ORDER_STATUS, in this direction (entries whose
 * `from` is an Ecwid status; the other direction's entries are keyed by CCV codes). The payment
 * status comes first when it voids the order (CANCELLED, REFUNDED), else the fulfilment status,
 * then the payment status, then a "*" default that gives a CCV code. Undefined when none applies.
 * A target that is no CCV status (code or CCV §5.6.3 name) fails the item with VALUE_MAPPING.
 */
export function ccvStatusFor(rt: FlowRuntime, o: EcwidOrder): number | undefined {
  const payment = o.paymentStatus ?? null;
  const fulfillment = o.fulfillmentStatus ?? null;
  const keys = [
    ...(payment && VOIDING_PAYMENT.has(payment) ? [payment] : []),
    ...(fulfillment ? [fulfillment] : []),
    ...(payment && !VOIDING_PAYMENT.has(payment) ? [payment] : []),
  ];
  let to: string | undefined;
  let from = "*";
  for (const k of keys) {
    to = rt.valueMaps.lookupOneWay("ORDER_STATUS", k, () => false);
    if (to !== undefined) {
      from = k;
      break;
    }
  }
  to ??= rt.valueMaps.lookupOneWay("ORDER_STATUS", "", isCcvCode);
  if (to === undefined) return undefined;
  const code = ccvStatusCode(to);
  if (code === undefined) {
    throw new ItemFailure(
      "VALUE_MAPPING",
      `ORDER_STATUS maps Ecwid status "${from}" to "${to}", which is not a CCV SalesPOS order status (a code 1–14 or its name, CCV §5.6.3): correct it with setValueMappings(kind: ORDER_STATUS, …).`,
    );
  }
  return code;
}

/** The `paid` mapping alone (the default or the user's), compiled once per run. */
const paidMapping = (rt: FlowRuntime) =>
  rt.memo(
    "ecwid-to-ccv:paid-mapping",
    async () => new MappingSet(rt.mappings.mappings.filter((m) => m.target === "paid")),
  );

/** `paid` as the flow's mapping gives it for an update (undefined when its policy does not write it). */
async function wantedPaid(rt: FlowRuntime, o: EcwidOrder, current: CcvOrder): Promise<boolean | undefined> {
  const { payload, errors } = await (
    await paidMapping(rt)
  ).apply(o, { isCreate: false, current: { paid: current.paid }, bindings: { ctx: {} } });
  if (errors.length > 0)
    throw new ItemFailure("MAPPING", `The payment of the order could not be mapped: ${errors.join("; ")}`);
  return typeof payload.paid === "boolean" ? payload.paid : undefined;
}

const statusWords = (o: EcwidOrder) =>
  `payment ${o.paymentStatus ?? "(none)"}, fulfilment ${o.fulfillmentStatus ?? "(none)"}`;

/**
 * A web order that is linked already: an echo of a POS sale is skipped; an order this flow sent
 * follows Ecwid's status into CCV when it changed (see the module comment), else it is skipped as
 * already there.
 */
export async function followLinkedWebOrder(
  rt: FlowRuntime,
  order: EcwidOrder,
  link: LinkEntity,
): Promise<ItemResult> {
  if (link.createdBy === "ECWID") {
    return {
      action: "SKIP",
      targetId: link.ccvId,
      reason: `echo: the gateway created this Ecwid order from CCV SalesPOS order id ${link.ccvId}; it is not sent back.`,
    };
  }
  let ccv: CcvOrder;
  try {
    ccv = await rt.clients.ccv.getOrder(link.ccvId);
  } catch (e) {
    if (!isConnectorError(e) || e.code !== "NOT_FOUND") throw e;
    return {
      action: "SKIP",
      targetId: link.ccvId,
      reason: `Already sent to CCV SalesPOS (order id ${link.ccvId}), which no longer has it (deleted there?); it is not sent again.`,
    };
  }
  const number = ccvOrderNumber(ccv);
  const already: ItemResult = {
    action: "SKIP",
    targetId: link.ccvId,
    reason: `Already in CCV SalesPOS as order ${number}.`,
  };
  const seen = ecwidStatusHash(order);
  if (!rt.settings.updateExisting || link.hashToCcv === seen) return already;
  const baseline: LinkWrite = {
    entity: "ORDER",
    ecwidId: link.ecwidId,
    ccvId: link.ccvId,
    createdBy: link.createdBy as LinkWrite["createdBy"],
    hashToCcv: seen,
  };
  // linked before statuses were followed: what changed since is unknown, so the current statuses
  // become the baseline (as before, nothing is written; later changes are followed)
  if (!link.hashToCcv.startsWith(STATUS_BASELINE)) return { ...already, links: [baseline] };

  const status = ccvStatusFor(rt, order);
  if (status === undefined) {
    const codes = [order.paymentStatus, order.fulfillmentStatus].filter(Boolean).join(" or ");
    throw new ItemFailure(
      "VALUE_MAPPING",
      `The Ecwid order changed (${statusWords(order)}) after it was sent to CCV SalesPOS as order ${number}, and ORDER_STATUS has no entry for ${codes || "its status"} (nor a "*" default giving a CCV status code), so the CCV order cannot follow it: add one with setValueMappings(kind: ORDER_STATUS, entries: [{from: "${order.paymentStatus ?? order.fulfillmentStatus ?? "…"}", to: "<CCV status code, CCV §5.6.3>"}]) and retry; or set updateExisting to false to leave booked orders as they are.`,
    );
  }
  const wanted: CcvOrderPatch = { status };
  const paid = await wantedPaid(rt, order, ccv);
  if (paid !== undefined) wanted.paid = paid;

  const changes = diffFields(
    { status: ccv.status ?? null, paid: ccv.paid },
    wanted as Record<string, unknown>,
  );
  if (changes.length === 0) return { ...already, links: [baseline] };

  const patch = Object.fromEntries(changes.map((c) => [c.field, c.after])) as CcvOrderPatch;
  const what = changes
    .map((c) =>
      c.field === "status"
        ? `status ${describeCcvStatus(c.before as number | null)} → ${describeCcvStatus(c.after as number)}`
        : `paid ${String(c.before)} → ${String(c.after)}`,
    )
    .join(", ");
  if (rt.dryRun) {
    return {
      action: "UPDATE",
      targetId: link.ccvId,
      changes,
      sentPayload: patch,
      reason: `CCV SalesPOS order ${number} would follow the Ecwid order (${statusWords(order)}): ${what}.`,
    };
  }
  await rt.clients.ccv.updateOrder(link.ccvId, patch);
  return {
    action: "UPDATE",
    targetId: link.ccvId,
    changes,
    sentPayload: patch,
    reason: `CCV SalesPOS order ${number} follows the Ecwid order (${statusWords(order)}): ${what}.`,
    links: [baseline],
  };
}
