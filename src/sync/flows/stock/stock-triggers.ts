import type { DataSource } from "typeorm";
import type { Logger } from "pino";
import { FlowConfigEntity } from "../../../db/entities/flow-config.entity";
import { SyncRunEntity } from "../../../db/entities/sync-run.entity";
import type { SyncEventData } from "../../../events/event.types";
import type { EventLog } from "../../../events/event-log";
import type { JobQueue } from "../../../jobs/job-queue";
import type { FlowKindName } from "../../engine/flow-settings";
import type { RunService } from "../../run.service";

const ORDER_FLOWS = new Set(["ORDERS_ECWID_TO_CCV", "ORDERS_CCV_TO_ECWID"]);

const ids = (v: unknown): string[] =>
  typeof v === "number" && Number.isSafeInteger(v) && v > 0
    ? [String(v)]
    : typeof v === "string" && /^\d+$/.test(v)
      ? [v]
      : [];

/**
 * The product ids an order names on one side, from the order as the order flow recorded it (its
 * source payload and the payload it sent): Ecwid order items carry `productId` (Ecwid §8.4), CCV
 * order rows `product_id` (CCV §5.6.4).
 */
export function orderProductIds(payloads: unknown[], side: "ECWID" | "CCV_SALESPOS"): string[] {
  const out = new Set<string>();
  for (const p of payloads) {
    if (!p || typeof p !== "object") continue;
    const o = p as Record<string, unknown>;
    if (side === "ECWID") {
      for (const it of Array.isArray(o.items) ? o.items : [])
        for (const id of ids((it as Record<string, unknown>)?.productId)) out.add(id);
    } else {
      const rows = o.orderrows as unknown;
      const list = Array.isArray(rows)
        ? rows
        : rows && typeof rows === "object" && Array.isArray((rows as { collection?: unknown }).collection)
          ? (rows as { collection: unknown[] }).collection
          : [];
      for (const r of list) for (const id of ids((r as Record<string, unknown>)?.product_id)) out.add(id);
    }
  }
  return [...out];
}

/**
 * Near real time for stock (ARCHITECTURE §4): an order booked by either order flow changes the
 * stock master's figure (the master took a sale) or the target's (an API order moved its stock), so
 * the enabled stock flow is run for the order's products through the webhook path — joining a
 * queued WEBHOOK run of the flow, so a burst for one product becomes one item and at most one write.
 * An order booked by a WEBHOOK run (one sale, as it happens) triggers at once; the orders of a
 * manual, scheduled or retry run are collected and trigger one stock run when that run finishes.
 * A tap on the published events of this process (the worker that ran the order items); a trigger
 * lost in a crash is caught by the stock flow's scheduled reconcile.
 */
export class StockTriggers {
  /** product ids of orders booked by a run, per side, until the run finishes (or at once for WEBHOOK runs) */
  private readonly collected = new Map<
    string,
    { integrationId: string; ecwid: Set<string>; ccv: Set<string> }
  >();
  private readonly triggers = new Map<string, Promise<string | null>>();

  constructor(
    private readonly ds: DataSource,
    private readonly runs: RunService,
    private readonly events: EventLog,
    private readonly queue: JobQueue,
    private readonly logger: Logger,
  ) {}

  /** an EventLog tap: cheap and never throws; the work runs detached */
  readonly listener = (e: SyncEventData): void => {
    if (!e.flow || !ORDER_FLOWS.has(e.flow) || !e.runId) return;
    const runId = e.runId;
    if (e.type === "RUN_FINISHED") {
      this.triggers.delete(runId);
      this.detach(e.integrationId, this.flush(runId));
      return;
    }
    if (e.type !== "ITEM_SUCCEEDED" || !e.item) return;
    if (e.item.status !== "SUCCEEDED" || (e.item.action !== "CREATE" && e.item.action !== "UPDATE")) return;
    const payloads = [e.item.sourcePayload, e.item.sentPayload];
    const c = this.collected.get(runId) ?? {
      integrationId: e.integrationId,
      ecwid: new Set(),
      ccv: new Set(),
    };
    for (const id of orderProductIds(payloads, "ECWID")) c.ecwid.add(id);
    for (const id of orderProductIds(payloads, "CCV_SALESPOS")) c.ccv.add(id);
    this.collected.set(runId, c);
    this.detach(
      e.integrationId,
      this.triggerOf(runId).then((t) => (t === "WEBHOOK" ? this.flush(runId) : undefined)),
    );
  };

  private detach(integrationId: string, p: Promise<unknown>): void {
    void p.catch((err: unknown) =>
      this.logger.warn({ err, integrationId }, "could not trigger the stock flow after an order"),
    );
  }

  private triggerOf(runId: string): Promise<string | null> {
    let t = this.triggers.get(runId);
    if (!t) {
      t = this.ds.manager
        .findOne(SyncRunEntity, { select: { id: true, trigger: true }, where: { id: runId } })
        .then((r) => r?.trigger ?? null);
      this.triggers.set(runId, t);
      // a run this process never sees finish must not hold its entry for ever
      if (this.triggers.size > 10_000) this.triggers.delete(this.triggers.keys().next().value!);
    }
    return t;
  }

  private async flush(runId: string): Promise<void> {
    const c = this.collected.get(runId);
    if (!c) return;
    this.collected.delete(runId);
    await this.onBooked(c.integrationId, c);
  }

  async onBooked(
    integrationId: string,
    productIds: { ecwid: Set<string>; ccv: Set<string> },
  ): Promise<FlowKindName[]> {
    const enabled = await this.ds.manager.findBy(FlowConfigEntity, { integrationId, enabled: true });
    const flow = (["STOCK_ECWID_TO_CCV", "STOCK_CCV_TO_ECWID"] as const).find((k) =>
      enabled.some((f) => f.kind === k),
    );
    if (!flow) return [];
    const ids = [...(flow === "STOCK_ECWID_TO_CCV" ? productIds.ecwid : productIds.ccv)];
    if (ids.length === 0) return [];
    const events = await this.ds.transaction(async (em) => {
      const out: SyncEventData[] = [];
      for (const id of ids) out.push(...(await this.runs.enqueueForWebhook(em, integrationId, flow, id)));
      return out;
    });
    await this.events.publish(events);
    this.queue.nudge();
    return [flow];
  }
}
