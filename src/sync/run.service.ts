import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { In } from "typeorm";
import type { Logger } from "pino";
import { badInput, notFound } from "../common/errors";
import { json } from "../db/columns";
import { IntegrationEntity } from "../db/entities/integration.entity";
import { SyncItemEntity } from "../db/entities/sync-item.entity";
import { SyncRunEntity, type RunOptionsData } from "../db/entities/sync-run.entity";
import type { EventLog } from "../events/event-log";
import type { SyncEventData } from "../events/event.types";
import type { JobQueue } from "../jobs/job-queue";
import type { FlowRegistry } from "./engine/flow-registry";
import type { FlowKindName, TriggerName } from "./engine/flow-settings";
import { countsOf, FINAL_STATUSES } from "./engine/records";
import type { RunExecutor } from "./engine/run-executor";
import { z } from "zod";
import { ORDER_FLOWS, STOCK_AFTER_ORDERS_JOB } from "./flows/stock/stock-jobs";
import { cursorOffset, cursorText, decodeCursor, encodeCursor, pageSize } from "./pagination";

export const RUN_JOB = "sync-run";

export interface RunRequest {
  dryRun?: boolean;
  sourceIds?: string[];
  full?: boolean;
  retryOf?: string;
  replayOf?: string;
}

export interface Page<T> {
  nodes: { cursor: string; node: T }[];
  hasNextPage: boolean;
  endCursor: string | null;
  totalCount?: number;
}

export interface ItemFilter {
  runId?: string;
  integrationId?: string;
  flow?: string;
  status?: string;
  entity?: string;
  sourceId?: string;
  /** the item's SKU, or a SKU anywhere in its source or sent payload (an order's lines) */
  sku?: string;
  /** an e-mail address anywhere in the item's source or sent payload */
  email?: string;
  /** the order's id on either side: the item's source or target id */
  orderId?: string;
  /** newest items first (an activity log); the default is oldest first */
  newestFirst?: boolean;
}

/**
 * A LIKE pattern that finds `value` as a whole JSON string inside a stored payload. Payloads are
 * stored as JSON.stringify text (no spaces), so the quoted, escaped value is what the text holds.
 * "!" is the escape character: a backslash means different things in SQLite and MySQL literals.
 * Both databases compare case-insensitively here (SQLite's LIKE for ASCII, MySQL's _ci collation),
 * which suits SKUs and e-mail addresses typed by people.
 */
export function jsonStringPattern(value: string): string {
  return `%${JSON.stringify(value).replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** Runs and items: enqueue, cancel, retry, replay, and the workspace-scoped reads. */
export class RunService {
  constructor(
    private readonly ds: DataSource,
    private readonly queue: JobQueue,
    private readonly events: EventLog,
    private readonly registry: FlowRegistry,
    private readonly executor: RunExecutor,
    private readonly logger: Logger,
  ) {}

  /** what one item of the flow costs upstream (finish estimates) */
  costOf(flow: string): { requestsPerItem: number; lanePerMinute: number } | undefined {
    return this.registry.has(flow as FlowKindName) ? this.registry.get(flow as FlowKindName).cost : undefined;
  }

  /** the integration if it belongs to the workspace; NOT_FOUND otherwise (without saying which) */
  async integrationOf(workspaceId: string, integrationId: string): Promise<IntegrationEntity> {
    const i = await this.ds.manager.findOneBy(IntegrationEntity, { id: integrationId, workspaceId });
    if (!i) throw notFound("Integration", integrationId);
    return i;
  }

  async runSync(
    workspaceId: string,
    integrationId: string,
    flow: FlowKindName,
    req: RunRequest,
  ): Promise<SyncRunEntity> {
    await this.integrationOf(workspaceId, integrationId);
    // refuses a kind this engine has no definition for (only an engine built with fewer flows)
    this.registry.get(flow);
    if (req.sourceIds && req.sourceIds.length > 1000)
      throw badInput("A run can be limited to at most 1000 source ids.");
    return (await this.enqueue(integrationId, flow, "MANUAL", req))!;
  }

  /**
   * Creates a QUEUED run and its job in one transaction, then announces it. SCHEDULE runs are
   * skipped (null) while a run of the same flow is queued or running: one run per flow at a time.
   */
  async enqueue(
    integrationId: string,
    flow: FlowKindName,
    trigger: TriggerName,
    req: RunRequest,
  ): Promise<SyncRunEntity | null> {
    const r = await this.ds.transaction((em) => this.enqueueIn(em, integrationId, flow, trigger, req));
    if (!r) {
      this.logger.info(
        { integrationId, flow, trigger },
        "a run of this flow is already queued or running; tick skipped",
      );
      return null;
    }
    await this.events.publish([r.event]);
    this.queue.nudge();
    return r.run;
  }

  /** the same inside the caller's transaction; the caller publishes the event after its commit */
  async enqueueIn(
    em: EntityManager,
    integrationId: string,
    flow: FlowKindName,
    trigger: TriggerName,
    req: RunRequest,
  ): Promise<{ run: SyncRunEntity; event: SyncEventData } | null> {
    if (trigger === "SCHEDULE") {
      const active = await em.count(SyncRunEntity, {
        where: { integrationId, flow, status: In(["QUEUED", "RUNNING"]) },
      });
      if (active > 0) return null;
    }
    const now = new Date();
    const options: RunOptionsData = {
      ...(req.sourceIds?.length ? { sourceIds: [...new Set(req.sourceIds)] } : {}),
      ...(req.full ? { full: true } : {}),
      ...(req.retryOf ? { retryOf: req.retryOf } : {}),
      ...(req.replayOf ? { replayOf: req.replayOf } : {}),
    };
    const run: SyncRunEntity = Object.assign(new SyncRunEntity(), {
      id: randomUUID(),
      integrationId,
      flow,
      trigger,
      dryRun: !!req.dryRun,
      status: "QUEUED",
      queuedAt: now,
      startedAt: null,
      finishedAt: null,
      total: 0,
      created: 0,
      updated: 0,
      skipped: 0,
      failed: 0,
      expectedTotal: options.sourceIds?.length ?? null,
      error: null,
      cancelRequested: false,
      options,
      state: null,
      updatedAt: now,
    });
    await em.insert(SyncRunEntity, { ...run, options: json(options), state: json(null) });
    // a replay runs inline in the request; everything else goes through the queue
    if (!req.replayOf) await this.queue.enqueue({ type: RUN_JOB, payload: { runId: run.id } }, em);
    // the orders this run books move stock: the follow-up is stored with the run, so a crash loses none
    if (ORDER_FLOWS.has(flow) && !run.dryRun)
      await this.queue.enqueue(
        { type: STOCK_AFTER_ORDERS_JOB, payload: { runId: run.id }, maxAttempts: 50 },
        em,
      );
    const event = await this.events.record(em, {
      type: "RUN_QUEUED",
      integrationId,
      flow,
      runId: run.id,
      runStatus: "QUEUED",
      counts: countsOf(run),
      progress: 0,
      item: null,
      message: `${trigger.toLowerCase()} run queued${run.dryRun ? " (dry run)" : ""}`,
    });
    return { run, event };
  }

  /** whether a queued (not yet picked up) webhook run of this flow already holds this record */
  async pendingForWebhook(
    em: EntityManager,
    integrationId: string,
    flow: FlowKindName,
    sourceId: string,
  ): Promise<boolean> {
    const queued = await em.find(SyncRunEntity, {
      where: { integrationId, flow, trigger: "WEBHOOK", status: "QUEUED", dryRun: false },
    });
    return queued.some((r) => r.options?.sourceIds?.includes(sourceId));
  }

  /**
   * A webhook asks for one record: joins a WEBHOOK run of the flow that has not started yet
   * (coalescing bursts into one run), or queues a new one. Runs inside the inbox transaction.
   */
  async enqueueForWebhook(
    em: EntityManager,
    integrationId: string,
    flow: FlowKindName,
    sourceId: string,
  ): Promise<SyncEventData[]> {
    const queued = await em.findOne(SyncRunEntity, {
      where: { integrationId, flow, trigger: "WEBHOOK", status: "QUEUED", dryRun: false },
      order: { queuedAt: "DESC" },
    });
    if (queued && (queued.options?.sourceIds?.length ?? 0) < 500) {
      const ids = queued.options?.sourceIds ?? [];
      if (ids.includes(sourceId)) return [];
      const options = { ...(queued.options ?? {}), sourceIds: [...ids, sourceId] };
      const r = await em
        .createQueryBuilder()
        .update(SyncRunEntity)
        .set({ options: json(options), expectedTotal: options.sourceIds.length, updatedAt: new Date() })
        .where("id = :id AND status = :s", { id: queued.id, s: "QUEUED" })
        .execute();
      if ((r.affected ?? 0) > 0) return [];
    }
    const r = await this.enqueueIn(em, integrationId, flow, "WEBHOOK", { sourceIds: [sourceId] });
    return r ? [r.event] : [];
  }

  async cancelRun(workspaceId: string, id: string): Promise<SyncRunEntity> {
    const run = await this.getRun(workspaceId, id);
    if (!run) throw notFound("Run", id);
    if (FINAL_STATUSES.has(run.status)) return run;
    await this.ds.manager.update(SyncRunEntity, { id }, { cancelRequested: true, updatedAt: new Date() });
    if (run.status === "QUEUED") {
      // not started: the worker will find it cancelled; mark it now so the answer is final
      await this.executor.execute(id, new AbortController().signal);
    }
    return (await this.getRun(workspaceId, id))!;
  }

  /** a RETRY run of exactly the failed items of a run */
  async retryFailedItems(workspaceId: string, runId: string): Promise<SyncRunEntity> {
    const run = await this.getRun(workspaceId, runId);
    if (!run) throw notFound("Run", runId);
    if (!FINAL_STATUSES.has(run.status))
      throw badInput("The run is still going; retry its failed items when it has finished.");
    const failed = await this.ds.manager.find(SyncItemEntity, {
      select: { sourceId: true },
      where: { runId, status: "FAILED" },
      order: { id: "ASC" },
    });
    if (failed.length === 0) throw badInput("The run has no failed items to retry.");
    return (await this.enqueue(run.integrationId, run.flow as FlowKindName, "RETRY", {
      sourceIds: failed.map((f) => f.sourceId),
      retryOf: runId,
      dryRun: run.dryRun,
    }))!;
  }

  /** runs one item again now, with the current mappings and settings, and returns the new item */
  async replayItem(workspaceId: string, itemId: string): Promise<SyncItemEntity> {
    const item = await this.getItem(workspaceId, itemId);
    if (!item) throw notFound("Item", itemId);
    const run = await this.ds.manager.findOneByOrFail(SyncRunEntity, { id: item.runId });
    const replay = (await this.enqueue(run.integrationId, run.flow as FlowKindName, "MANUAL", {
      sourceIds: [item.sourceId],
      replayOf: String(item.id),
    }))!;
    await this.executor.execute(replay.id, new AbortController().signal);
    const fresh = await this.ds.manager.findOne(SyncItemEntity, {
      where: { runId: replay.id },
      order: { id: "DESC" },
    });
    if (!fresh) throw new Error("the replay recorded no item");
    return fresh;
  }

  // ------------------------------------------------------------------ reads (workspace-scoped)

  async getRun(workspaceId: string, id: string): Promise<SyncRunEntity | null> {
    return this.ds.manager
      .createQueryBuilder(SyncRunEntity, "r")
      .innerJoin(IntegrationEntity, "i", "i.id = r.integration_id AND i.workspace_id = :ws", {
        ws: workspaceId,
      })
      .where("r.id = :id", { id })
      .getOne();
  }

  async lastRun(integrationId: string, flow: string): Promise<SyncRunEntity | null> {
    return this.ds.manager.findOne(SyncRunEntity, {
      where: { integrationId, flow },
      order: { queuedAt: "DESC", id: "DESC" },
    });
  }

  async listRuns(
    workspaceId: string,
    integrationId: string,
    flow: string | undefined,
    first: number | undefined,
    after: string | undefined,
  ): Promise<Page<SyncRunEntity>> {
    await this.integrationOf(workspaceId, integrationId);
    const n = pageSize(first, 20);
    const pos = decodeCursor(after, z.object({ q: z.string().datetime(), id: cursorText }).strict());
    const qb = this.ds.manager
      .createQueryBuilder(SyncRunEntity, "r")
      .where("r.integration_id = :integrationId", { integrationId })
      .orderBy("r.queued_at", "DESC")
      .addOrderBy("r.id", "DESC")
      .take(n + 1);
    if (flow) qb.andWhere("r.flow = :flow", { flow });
    if (pos)
      qb.andWhere("(r.queued_at < :q OR (r.queued_at = :q AND r.id < :id))", {
        q: new Date(pos.q),
        id: pos.id,
      });
    const rows = await qb.getMany();
    const page = rows.slice(0, n);
    const nodes = page.map((r) => ({
      cursor: encodeCursor({ q: r.queuedAt.toISOString(), id: r.id }),
      node: r,
    }));
    return { nodes, hasNextPage: rows.length > n, endCursor: nodes.at(-1)?.cursor ?? null };
  }

  async getItem(workspaceId: string, id: string): Promise<SyncItemEntity | null> {
    if (!/^\d+$/.test(id)) return null;
    return this.ds.manager
      .createQueryBuilder(SyncItemEntity, "s")
      .innerJoin(IntegrationEntity, "i", "i.id = s.integration_id AND i.workspace_id = :ws", {
        ws: workspaceId,
      })
      .where("s.id = :id", { id: Number(id) })
      .getOne();
  }

  /** items by id order; the caller has already checked the workspace (integration or run) */
  async listItems(
    filter: ItemFilter,
    first: number | undefined,
    after: string | undefined,
  ): Promise<Page<SyncItemEntity>> {
    const n = pageSize(first, 50);
    const pos = decodeCursor(after, z.object({ id: cursorOffset }).strict());
    const qb = this.ds.manager.createQueryBuilder(SyncItemEntity, "s");
    if (filter.runId) qb.andWhere("s.run_id = :runId", { runId: filter.runId });
    if (filter.integrationId) qb.andWhere("s.integration_id = :iid", { iid: filter.integrationId });
    if (filter.flow) qb.andWhere("s.flow = :flow", { flow: filter.flow });
    if (filter.status) qb.andWhere("s.status = :status", { status: filter.status });
    if (filter.entity) qb.andWhere("s.entity = :entity", { entity: filter.entity });
    if (filter.sourceId) qb.andWhere("s.source_id = :sourceId", { sourceId: filter.sourceId });
    const sku = filter.sku?.trim();
    if (sku) {
      qb.andWhere(
        "(s.sku = :sku OR s.source_payload LIKE :skuLike ESCAPE '!' OR s.sent_payload LIKE :skuLike ESCAPE '!')",
        { sku, skuLike: jsonStringPattern(sku) },
      );
    }
    const email = filter.email?.trim();
    if (email) {
      qb.andWhere(
        "(s.source_payload LIKE :emailLike ESCAPE '!' OR s.sent_payload LIKE :emailLike ESCAPE '!')",
        { emailLike: jsonStringPattern(email) },
      );
    }
    const orderId = filter.orderId?.trim();
    if (orderId) {
      qb.andWhere("s.entity = 'ORDER' AND (s.source_id = :orderId OR s.target_id = :orderId)", { orderId });
    }
    const totalCount = await qb.getCount();
    const desc = !!filter.newestFirst;
    if (pos) qb.andWhere(desc ? "s.id < :after" : "s.id > :after", { after: pos.id });
    const rows = await qb
      .orderBy("s.id", desc ? "DESC" : "ASC")
      .take(n + 1)
      .getMany();
    const page = rows.slice(0, n);
    const nodes = page.map((r) => ({ cursor: encodeCursor({ id: r.id }), node: r }));
    return { nodes, hasNextPage: rows.length > n, endCursor: nodes.at(-1)?.cursor ?? null, totalCount };
  }
}
