import { In, type DataSource } from "typeorm";
import type { Logger } from "pino";
import { FlowConfigEntity } from "../../../db/entities/flow-config.entity";
import { SyncItemEntity } from "../../../db/entities/sync-item.entity";
import { SyncRunEntity } from "../../../db/entities/sync-run.entity";
import type { SyncEventData } from "../../../events/event.types";
import type { EventLog } from "../../../events/event-log";
import { PostponeJob, type JobQueue, type RunningJob } from "../../../jobs/job-queue";
import { FINAL_STATUSES } from "../../engine/records";
import { ORDER_FLOWS } from "./stock-jobs";
import type { FlowKindName } from "../../engine/flow-settings";
import type { RunService } from "../../run.service";

/** how often the after-orders job looks again while its order run is going */
const AFTER_ORDERS_POLL_MS = 1000;

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
 *
 * Durable: every order-flow run is queued with a STOCK_AFTER_ORDERS_JOB in the same transaction;
 * once the run has finished, that job reads the run's booked items from the database and triggers
 * the stock flow for their products (`afterOrders`), on whichever worker claims it — a crash
 * between booking and triggering loses nothing. Fast path: an order booked by a WEBHOOK run (one
 * sale, as it happens) triggers at once from this process's events; the job then skips the
 * products already triggered here (after a crash it triggers them again: harmless, the stock flow
 * writes only what differs).
 */
export class StockTriggers {
  /** product ids already triggered by the fast path, per order run, until its job has run */
  private readonly triggered = new Map<string, { ecwid: Set<string>; ccv: Set<string> }>();
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
      return;
    }
    if (e.type !== "ITEM_SUCCEEDED" || !e.item) return;
    if (e.item.status !== "SUCCEEDED" || (e.item.action !== "CREATE" && e.item.action !== "UPDATE")) return;
    const payloads = [e.item.sourcePayload, e.item.sentPayload];
    const integrationId = e.integrationId;
    this.detach(
      integrationId,
      this.triggerOf(runId).then(async (t) => {
        if (t !== "WEBHOOK") return;
        const ids = {
          ecwid: new Set(orderProductIds(payloads, "ECWID")),
          ccv: new Set(orderProductIds(payloads, "CCV_SALESPOS")),
        };
        await this.onBooked(integrationId, ids);
        const seen = this.triggered.get(runId) ?? { ecwid: new Set<string>(), ccv: new Set<string>() };
        for (const id of ids.ecwid) seen.ecwid.add(id);
        for (const id of ids.ccv) seen.ccv.add(id);
        this.triggered.set(runId, seen);
        // a run whose job another worker ran must not hold its entry for ever
        if (this.triggered.size > 10_000) this.triggered.delete(this.triggered.keys().next().value!);
      }),
    );
  };

  /** the STOCK_AFTER_ORDERS_JOB handler: waits for the run to finish, then triggers for its orders */
  readonly afterOrders = async (job: RunningJob): Promise<void> => {
    const runId = String(job.payload.runId);
    const run = await this.ds.manager.findOne(SyncRunEntity, {
      select: { id: true, integrationId: true, status: true },
      where: { id: runId },
    });
    if (!run) return;
    if (!FINAL_STATUSES.has(run.status))
      throw new PostponeJob(AFTER_ORDERS_POLL_MS, "the order run is going");
    const items = await this.ds.manager.find(SyncItemEntity, {
      select: { id: true, sourcePayload: true, sentPayload: true },
      where: { runId, status: "SUCCEEDED", action: In(["CREATE", "UPDATE"]) },
    });
    const seen = this.triggered.get(runId);
    this.triggered.delete(runId);
    const payloads = items.flatMap((i) => [i.sourcePayload, i.sentPayload]);
    const ids = {
      ecwid: new Set(orderProductIds(payloads, "ECWID").filter((id) => !seen?.ecwid.has(id))),
      ccv: new Set(orderProductIds(payloads, "CCV_SALESPOS").filter((id) => !seen?.ccv.has(id))),
    };
    await this.onBooked(run.integrationId, ids);
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
