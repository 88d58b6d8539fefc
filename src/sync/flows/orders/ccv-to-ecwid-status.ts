import type { CcvOrder } from "../../../connectors/ccv-salespos";
import type { EcwidOrderWrite } from "../../../connectors/ecwid";
import { isConnectorError } from "../../../connectors/http/connector-error";
import type { LinkEntity } from "../../../db/entities/link.entity";
import type { FlowRuntime, ItemResult, LinkWrite } from "../../engine/flow-definition";
import { diffFields, hashOf } from "../../engine/hash";
import { describeCcvStatus, ecwidFulfillmentStatus, ecwidPaymentStatus } from "./ccv-to-ecwid-payment";
import { STATUS_BASELINE } from "./ecwid-to-ccv-status";

/**
 * ORDERS_CCV_TO_ECWID after the sale is booked: a linked POS sale whose status or payment changes
 * in CCV SalesPOS updates its Ecwid order's paymentStatus and fulfillmentStatus (the fulfilment
 * through the ORDER_STATUS value map, CCV code → Ecwid status), when updating existing records is
 * on. Nothing else of the Ecwid order is touched (Ecwid §8.5: a PUT is partial).
 *
 * Echo-safe: the link's hashToEcwid holds the CCV status and payment last followed (the create
 * records them too). Only a change in CCV since then is followed, so a fulfilment the shop set in
 * Ecwid's admin is not put back while the sale stays as it was; and only what differs is written.
 */

/** The CCV status and payment a linked Ecwid order last followed, as stored in the link's hashToEcwid. */
export function ccvStatusHash(sale: CcvOrder): string {
  const hash = hashOf({
    saleStatus: {
      status: sale.status ?? null,
      paid: sale.paid === true,
      completed: sale.is_completed === true,
    },
  });
  // the same form as the other direction's; a link from before holds another hash and is compared
  return STATUS_BASELINE + hash.slice(STATUS_BASELINE.length);
}

export async function followLinkedSale(
  rt: FlowRuntime,
  sale: CcvOrder,
  link: LinkEntity,
): Promise<ItemResult> {
  const ecwidId = link.ecwidId;
  const already: ItemResult = {
    action: "SKIP",
    targetId: ecwidId,
    reason: `Already in Ecwid as order ${ecwidId}.`,
  };
  const seen = ccvStatusHash(sale);
  if (!rt.settings.updateExisting || sale.is_completed !== true || link.hashToEcwid === seen) return already;

  const wanted = {
    paymentStatus: ecwidPaymentStatus(sale),
    fulfillmentStatus: ecwidFulfillmentStatus(rt, sale.status),
  };
  let current;
  try {
    current = await rt.clients.ecwid.getOrder(ecwidId);
  } catch (e) {
    if (!isConnectorError(e) || e.code !== "NOT_FOUND") throw e;
    return {
      ...already,
      reason: `Already booked in Ecwid as order ${ecwidId}, which no longer has it (deleted there?); it is not booked again.`,
    };
  }
  const changes = diffFields(
    { paymentStatus: current.paymentStatus, fulfillmentStatus: current.fulfillmentStatus },
    wanted,
  );
  const baseline: LinkWrite = {
    entity: "ORDER",
    ecwidId,
    ccvId: link.ccvId,
    createdBy: link.createdBy as LinkWrite["createdBy"],
    hashToEcwid: seen,
  };
  if (changes.length === 0) return { ...already, links: [baseline] };

  const body = Object.fromEntries(changes.map((c) => [c.field, c.after])) as EcwidOrderWrite;
  const what = changes.map((c) => `${c.field} ${String(c.before)} → ${String(c.after)}`).join(", ");
  const sale_ = `CCV SalesPOS status ${describeCcvStatus(sale.status)}, ${sale.paid ? "paid" : "not paid"}`;
  if (rt.dryRun) {
    return {
      action: "UPDATE",
      targetId: ecwidId,
      changes,
      sentPayload: body,
      sourcePayload: sale,
      reason: `Ecwid order ${ecwidId} would follow the sale (${sale_}): ${what}.`,
    };
  }
  await rt.clients.ecwid.updateOrder(ecwidId, body);
  return {
    action: "UPDATE",
    targetId: ecwidId,
    changes,
    sentPayload: body,
    sourcePayload: sale,
    reason: `Ecwid order ${ecwidId} follows the sale (${sale_}): ${what}.`,
    links: [baseline],
  };
}
