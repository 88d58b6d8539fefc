import type { DataSource } from "typeorm";
import { In } from "typeorm";
import { ccvOrderRowToLine, type CcvOrder, type CcvOrderRow } from "../../../connectors/ccv-salespos";
import type { EcwidOrder } from "../../../connectors/ecwid";
import { isConnectorError } from "../../../connectors/http";
import { dec, toDecimalString, type DecimalString } from "../../../domain/money";
import { LinkEntity } from "../../../db/entities/link.entity";
import { SyncItemEntity } from "../../../db/entities/sync-item.entity";
import { SyncRunEntity } from "../../../db/entities/sync-run.entity";
import type { IntegrationClients } from "../../engine/flow-definition";
import type { FlowKindName, SystemName } from "../../engine/flow-settings";
import { loadSettings } from "../../engine/runtime";

/**
 * Reservations (ARCHITECTURE §4): what the other side has already sold that the stock master has
 * not booked yet — the orders of the reverse order flow that are queued, running or failed. The
 * master's figure does not hold them yet; writing it over the other side's figure would "un-sell"
 * them, so `AVAILABLE_MINUS_RESERVED` subtracts them.
 */

export type ReservationState = "QUEUED" | "RUNNING" | "FAILED";

/** One order of the other side that the master has not booked yet. */
export interface PendingOrder {
  /** the system the sale happened on (the order flow's source) */
  system: SystemName;
  orderId: string;
  state: ReservationState;
  /** when the master started waiting for it: its first attempt in the order flow, or its run queued */
  since: Date;
  lines: { sku: string; quantity: DecimalString }[];
}

export interface Reservation {
  system: SystemName;
  orderId: string;
  state: ReservationState;
  since: Date;
  quantity: DecimalString;
}

export interface Reserved {
  quantity: DecimalString;
  orders: Reservation[];
}

export interface ReservationContext {
  ds: DataSource;
  integrationId: string;
  clients: IntegrationClients;
}

/** The order flow whose sales the master has not booked yet: the one writing into the master. */
export const reverseOrderFlow = (master: SystemName): FlowKindName =>
  master === "ECWID" ? "ORDERS_CCV_TO_ECWID" : "ORDERS_ECWID_TO_CCV";

/**
 * Order lines by order, kept a while per process: reservations are computed for every stock item,
 * and the lines of a sale do not change while it waits to be booked. Only orders that count (a
 * completed sale, an order in a booked status) are kept.
 */
const LINES_TTL_MS = 10 * 60_000;
const LINES_MAX = 10_000;
const linesCache = new Map<string, { at: number; lines: PendingOrder["lines"] }>();

function cached(key: string): PendingOrder["lines"] | undefined {
  const hit = linesCache.get(key);
  if (!hit) return undefined;
  if (Date.now() - hit.at > LINES_TTL_MS) {
    linesCache.delete(key);
    return undefined;
  }
  return hit.lines;
}

function remember(key: string, lines: PendingOrder["lines"]): void {
  if (linesCache.size >= LINES_MAX) linesCache.delete(linesCache.keys().next().value!);
  linesCache.set(key, { at: Date.now(), lines });
}

const text = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

function ccvLines(rows: CcvOrderRow[]): PendingOrder["lines"] {
  return rows.flatMap((r) => {
    const line = ccvOrderRowToLine(r);
    const sku = text(line.sku);
    return sku ? [{ sku, quantity: line.quantity }] : [];
  });
}

function ecwidLines(o: EcwidOrder): PendingOrder["lines"] {
  return (o.items ?? []).flatMap((it) => {
    const sku = text(it.sku);
    return sku ? [{ sku, quantity: toDecimalString(String(it.quantity ?? 0)) }] : [];
  });
}

/** The order's lines when it is a sale the reverse flow books; null when it is not (or is gone). */
async function orderLines(
  ctx: ReservationContext,
  system: SystemName,
  orderId: string,
  payload: unknown,
  bookedStatuses: string[],
): Promise<{ lines: PendingOrder["lines"]; ids: string[] } | null> {
  const key = `${ctx.integrationId}|${system}|${orderId}`;
  const hit = cached(key);
  if (hit) return { lines: hit, ids: [orderId] };
  try {
    if (system === "CCV_SALESPOS") {
      const given = payload as (CcvOrder & { orderrows?: { collection?: CcvOrderRow[] } }) | null;
      const order = given?.id ? given : await ctx.clients.ccv.getOrder(orderId);
      // an open basket is not a sale (ARCHITECTURE §4: only completed orders are booked)
      if (order.is_completed !== true) return null;
      const rows = order.orderrows?.collection ?? (await ctx.clients.ccv.listOrderRows(orderId));
      const lines = ccvLines(rows);
      remember(key, lines);
      return { lines, ids: [orderId, String(order.id)] };
    }
    const given = payload as EcwidOrder | null;
    const order = given?.items ? given : await ctx.clients.ecwid.getOrder(orderId);
    const status = String(order.paymentStatus ?? "");
    if (bookedStatuses.length > 0 && !bookedStatuses.includes(status)) return null;
    const lines = ecwidLines(order);
    remember(key, lines);
    // a webhook names an order by its internal id, the flow's items by the public one
    return { lines, ids: [orderId, String(order.id), String(order.internalId ?? "")].filter(Boolean) };
  } catch (e) {
    if (isConnectorError(e) && e.code === "NOT_FOUND") return null;
    throw e;
  }
}

/**
 * The other side's orders the master has not booked: in queued or running runs of the reverse
 * order flow and not recorded there yet, or whose latest item failed; an order with an ORDER link
 * is booked and never counts. Dry runs book nothing and are left out.
 */
export function pendingOrders(ctx: ReservationContext, master: SystemName): Promise<PendingOrder[]> {
  return pendingOf(ctx, reverseOrderFlow(master), master === "ECWID" ? "CCV_SALESPOS" : "ECWID", true);
}

/**
 * The master's own sales on their way to the other side (queued or running in the forward order
 * flow): booking one there moves that side's stock too (an API order with product ids, Ecwid §8.7),
 * so a figure written before it lands would be lowered a second time. Failed ones are not waited for.
 */
export function ordersOnTheirWay(ctx: ReservationContext, master: SystemName): Promise<PendingOrder[]> {
  return pendingOf(ctx, master === "ECWID" ? "ORDERS_ECWID_TO_CCV" : "ORDERS_CCV_TO_ECWID", master, false);
}

async function pendingOf(
  ctx: ReservationContext,
  flow: FlowKindName,
  source: SystemName,
  withFailed: boolean,
): Promise<PendingOrder[]> {
  const { ds, integrationId } = ctx;
  const settings = await loadSettings(ds, integrationId, flow);
  const candidates = new Map<
    string,
    { state: ReservationState; since: Date; payload: unknown; recorded: Set<string> }
  >();

  const active = await ds.manager.find(SyncRunEntity, {
    where: { integrationId, flow, status: In(["QUEUED", "RUNNING"]), dryRun: false },
  });
  const withIds = active.filter((r) => (r.options?.sourceIds?.length ?? 0) > 0);
  if (withIds.length > 0) {
    const items = await ds.manager.find(SyncItemEntity, {
      select: { runId: true, sourceId: true },
      where: { runId: In(withIds.map((r) => r.id)) },
    });
    for (const r of withIds) {
      const recorded = new Set(items.filter((i) => i.runId === r.id).map((i) => i.sourceId));
      for (const id of r.options!.sourceIds!) {
        if (recorded.has(id) || candidates.has(id)) continue;
        candidates.set(id, {
          state: r.status as ReservationState,
          since: r.queuedAt,
          payload: null,
          recorded,
        });
      }
    }
  }

  // the latest item of each order, when it failed (a later success or skip ends the reservation)
  const failed = !withFailed
    ? []
    : await ds.manager
        .createQueryBuilder(SyncItemEntity, "s")
        .innerJoin(SyncRunEntity, "r", "r.id = s.run_id AND r.dry_run = :dry", { dry: false })
        .where("s.integration_id = :iid AND s.flow = :flow AND s.status = :failed", {
          iid: integrationId,
          flow,
          failed: "FAILED",
        })
        .andWhere(
          `NOT EXISTS (SELECT 1 FROM sync_item t INNER JOIN sync_run r2 ON r2.id = t.run_id AND r2.dry_run = :dry
        WHERE t.integration_id = s.integration_id AND t.flow = s.flow AND t.source_id = s.source_id AND t.id > s.id)`,
        )
        .getMany();
  for (const f of failed) {
    if (!candidates.has(f.sourceId))
      candidates.set(f.sourceId, {
        state: "FAILED",
        since: f.createdAt,
        payload: f.sourcePayload,
        recorded: new Set(),
      });
  }
  if (candidates.size === 0) return [];
  // a failed order waits since its first attempt (retries do not make it younger)
  const failedIds = [...candidates].filter(([, c]) => c.state === "FAILED").map(([id]) => id);
  if (failedIds.length > 0) {
    const firsts = await ds.manager
      .createQueryBuilder(SyncItemEntity, "s")
      .select("s.source_id", "sourceId")
      .addSelect("MIN(s.created_at)", "first")
      .where("s.integration_id = :iid AND s.flow = :flow AND s.source_id IN (:...ids)", {
        iid: integrationId,
        flow,
        ids: failedIds,
      })
      .groupBy("s.source_id")
      .getRawMany<{ sourceId: string; first: Date | string }>();
    for (const f of firsts) {
      const c = candidates.get(String(f.sourceId));
      const first = f.first instanceof Date ? f.first : new Date(f.first);
      if (c && !Number.isNaN(first.getTime()) && first < c.since) c.since = first;
    }
  }

  const sourceIds = [...candidates.keys()];
  const links = await ds.manager.find(LinkEntity, {
    where:
      source === "ECWID"
        ? { integrationId, entity: "ORDER", ecwidId: In(sourceIds) }
        : { integrationId, entity: "ORDER", ccvId: In(sourceIds) },
  });
  const booked = new Set(links.map((l) => (source === "ECWID" ? l.ecwidId : l.ccvId)));

  const out: PendingOrder[] = [];
  for (const [orderId, c] of candidates) {
    if (booked.has(orderId)) continue;
    const read = await orderLines(
      ctx,
      source,
      orderId,
      c.payload,
      source === "ECWID" ? settings.orderStatuses : [],
    );
    if (!read) continue;
    // recorded under another of its ids (an Ecwid order's public id), or booked under it
    if (read.ids.some((id) => id !== orderId && (c.recorded.has(id) || booked.has(id)))) continue;
    if (read.ids.length > 1 && source === "ECWID") {
      const other = read.ids.filter((id) => id !== orderId);
      const l = await ds.manager.count(LinkEntity, {
        where: { integrationId, entity: "ORDER", ecwidId: In(other) },
      });
      if (l > 0) continue;
    }
    out.push({ system: source, orderId, state: c.state, since: c.since, lines: read.lines });
  }
  return out;
}

/** Pending orders → per SKU, the quantity and the orders it comes from. */
export function reservedBySku(pending: PendingOrder[]): Map<string, Reserved> {
  const out = new Map<string, Reserved>();
  for (const o of pending) {
    const perSku = new Map<string, DecimalString>();
    for (const l of o.lines)
      perSku.set(l.sku, toDecimalString(dec(perSku.get(l.sku) ?? 0).plus(dec(l.quantity))));
    for (const [sku, quantity] of perSku) {
      const r = out.get(sku) ?? { quantity: "0", orders: [] };
      r.quantity = toDecimalString(dec(r.quantity).plus(dec(quantity)));
      r.orders.push({ system: o.system, orderId: o.orderId, state: o.state, since: o.since, quantity });
      out.set(sku, r);
    }
  }
  return out;
}

/** The ids of the pending orders (to see whether one was booked while the master was read). */
export const pendingIds = (p: PendingOrder[]): string[] => p.map((o) => `${o.system}:${o.orderId}`);
