import { randomUUID } from "node:crypto";
import { Mutex } from "async-mutex";
import type { DataSource, EntityManager } from "typeorm";
import { In, LessThan, MoreThan } from "typeorm";
import type { Logger } from "pino";
import type { OpsConfig } from "../../config/config";
import { json } from "../../db/columns";
import { FlowConfigEntity } from "../../db/entities/flow-config.entity";
import { SyncEventEntity } from "../../db/entities/infra.entity";
import { IntegrationEntity } from "../../db/entities/integration.entity";
import {
  AlertEntity,
  AlertIncidentEntity,
  ConnectionEventEntity,
  OpsStateEntity,
} from "../../db/entities/ops.entity";
import { SyncItemEntity } from "../../db/entities/sync-item.entity";
import { SyncRunEntity } from "../../db/entities/sync-run.entity";
import type { SyncEventData } from "../../events/event.types";
import type { LeaseStore } from "../../sync/engine/leases";
import type { IncidentKindName } from "./alert-kinds";
import type { AlertText, AlertWriter, RecordRef } from "./alert-messages";
import type { BudgetPressure } from "./budget-pressure";
import { cronPeriodMs } from "./cron-period";

/** the failed items of one flow and error code within a batch of events */
interface FailureGroup {
  integrationId: string;
  flow: string;
  code: string;
  count: number;
  reason: string | null;
  refs: RecordRef[];
}

interface IntegrationInfo {
  id: string;
  name: string;
  workspaceId: string;
}

export interface EvaluationResult {
  alerts: number;
  opened: number;
  resolved: number;
}

const EVENT_WATERMARK = "alerts:sync-event";
const CONNECTION_WATERMARK = "alerts:connection-event";
const BATCH = 2000;
/** item records named in an alert; the console link lists them all */
const SAMPLE = 5;
/** a flow that ran less than this after the expected period plus twice the period is "silent" */
const SILENT_GRACE_MS = 5 * 60_000;

/**
 * Turns what happened into incidents and alerts. Reads the persisted event log and the
 * connection transitions after its watermarks (never touching the sync path: a run never waits
 * for an alert), and looks for stalled runs, silent flows and exhausted rate budgets. An alert is
 * written when an incident opens (and when a connection recovers); further occurrences only count,
 * and an incident that lasts is reported again after ALERT_REPEAT_HOURS. One evaluator at a time
 * (a lease across processes). The clock is injected, so tests move time instead of waiting.
 */
export class AlertMonitor {
  private readonly mutex = new Mutex();
  /** told of every alert made (metrics) */
  onAlert?: (kind: string) => void;
  private names = new Map<string, IntegrationInfo>();

  constructor(
    private readonly ds: DataSource,
    private readonly writer: AlertWriter,
    private readonly cfg: OpsConfig,
    private readonly leases: LeaseStore,
    private readonly budget: BudgetPressure,
    private readonly logger: Logger,
    readonly clock: () => Date = () => new Date(),
  ) {}

  /** on worker start: alerts are about what happens from now on, not about history */
  async init(): Promise<void> {
    const m = this.ds.manager;
    if ((await this.state(EVENT_WATERMARK)) === undefined) {
      const max = await m.createQueryBuilder(SyncEventEntity, "e").select("MAX(e.id)", "m").getRawOne();
      await this.setState(EVENT_WATERMARK, String(Number(max?.m ?? 0)));
    }
    if ((await this.state(CONNECTION_WATERMARK)) === undefined) {
      const max = await m.createQueryBuilder(ConnectionEventEntity, "e").select("MAX(e.id)", "m").getRawOne();
      await this.setState(CONNECTION_WATERMARK, String(Number(max?.m ?? 0)));
    }
  }

  async evaluate(now = this.clock()): Promise<EvaluationResult> {
    return this.mutex.runExclusive(async () => {
      const result: EvaluationResult = { alerts: 0, opened: 0, resolved: 0 };
      if (!(await this.leases.acquire("ops:alert-monitor", 15_000))) return result;
      try {
        this.names = new Map();
        await this.init();
        await this.fromEvents(now, result);
        await this.fromConnections(now, result);
        await this.stalledRuns(now, result);
        await this.silentFlows(now, result);
        await this.budgets(now, result);
        await this.remindAndExpire(now, result);
      } finally {
        await this.leases.release("ops:alert-monitor");
      }
      if (result.alerts || result.opened || result.resolved)
        this.logger.info({ ...result }, "alert evaluation");
      return result;
    });
  }

  // ------------------------------------------------------------------------------------ sources

  private async fromEvents(now: Date, result: EvaluationResult): Promise<void> {
    const page = (after: number) =>
      this.ds.manager.find(SyncEventEntity, {
        where: { id: MoreThan(after), type: In(["ITEM_FAILED", "RUN_FINISHED"]) },
        order: { id: "ASC" },
        take: BATCH,
      });
    await this.drain(EVENT_WATERMARK, page, async (rows) => {
      const runIds = [...new Set(rows.map((r) => r.runId).filter((x): x is string => !!x))];
      const runs = new Map(
        (runIds.length
          ? await this.ds.manager.find(SyncRunEntity, {
              select: {
                id: true,
                dryRun: true,
                flow: true,
                status: true,
                total: true,
                failed: true,
                error: true,
              },
              where: { id: In(runIds) },
            })
          : []
        ).map((r) => [r.id, r]),
      );
      const failures = new Map<string, FailureGroup>();
      for (const row of rows) {
        const e = row.payload as unknown as SyncEventData;
        const run = row.runId ? runs.get(row.runId) : undefined;
        if (!run || run.dryRun) continue; // a plan's failures are for the person reading the plan
        if (row.type === "ITEM_FAILED" && e.item) {
          const code = e.item.errorCode ?? "UNKNOWN";
          const k = `${row.integrationId}|${run.flow}|${code}`;
          let f = failures.get(k);
          if (!f) {
            f = {
              integrationId: row.integrationId,
              flow: run.flow,
              code,
              count: 0,
              reason: e.item.reason,
              refs: [],
            };
            failures.set(k, f);
          }
          f.count++;
          if (f.refs.length < SAMPLE) f.refs.push({ sourceId: e.item.sourceId, sku: e.item.sku });
        } else if (row.type === "RUN_FINISHED") {
          // item failures recorded before this finish are handled first (they share the alert batch)
          await this.itemFailures(failures, now, result);
          failures.clear();
          await this.runFinished(row.integrationId, run, e.runStatus ?? run.status, now, result);
        }
      }
      await this.itemFailures(failures, now, result);
    });
  }

  /** hands the rows after a watermark to `handle`, batch by batch, moving the watermark after each */
  private async drain<T extends { id: number }>(
    key: string,
    page: (after: number) => Promise<T[]>,
    handle: (rows: T[]) => Promise<void>,
  ): Promise<void> {
    let after = Number(await this.state(key));
    for (;;) {
      const rows = await page(after);
      if (rows.length === 0) return;
      await handle(rows);
      after = rows[rows.length - 1].id;
      await this.setState(key, String(after));
      if (rows.length < BATCH) return;
    }
  }

  private async itemFailures(
    groups: Map<string, FailureGroup>,
    now: Date,
    result: EvaluationResult,
  ): Promise<void> {
    for (const g of groups.values()) {
      const i = await this.integration(g.integrationId);
      if (!i) continue;
      const key = `${g.flow}:${g.code}`;
      const open = await this.openIncident(i.id, "ITEM_FAILURE", key);
      if (open) {
        const refs = ((open.details?.refs as RecordRef[]) ?? []).concat(g.refs).slice(0, SAMPLE);
        await this.bump(open, g.count, now, { ...(open.details ?? {}), refs });
        continue;
      }
      const text = this.writer.itemFailure(i, g.flow, g.code, g.reason, g.refs, g.count);
      await this.open(
        i,
        "ITEM_FAILURE",
        key,
        g.count,
        now,
        { flow: g.flow, errorCode: g.code, reason: g.reason, refs: g.refs },
        text,
        result,
      );
    }
  }

  private async runFinished(
    integrationId: string,
    run: SyncRunEntity,
    status: string,
    now: Date,
    result: EvaluationResult,
  ): Promise<void> {
    const i = await this.integration(integrationId);
    if (!i) return;
    if (status === "SUCCEEDED" || status === "PARTIAL") {
      for (const kind of status === "SUCCEEDED"
        ? (["RUN_FAILED", "RUN_PARTIAL"] as const)
        : (["RUN_FAILED"] as const)) {
        const open = await this.openIncident(i.id, kind, run.flow);
        if (open) await this.resolve(open, now, result);
      }
    }
    if (status !== "FAILED" && status !== "PARTIAL") return;
    const kind = status === "FAILED" ? "RUN_FAILED" : "RUN_PARTIAL";
    const open = await this.openIncident(i.id, kind, run.flow);
    if (open) {
      await this.bump(open, 1, now, { ...(open.details ?? {}), lastRunId: run.id });
      return;
    }
    const groups = await this.failureGroups(run.id);
    const text = this.writer.runFinished(i, { ...run, status }, groups);
    await this.open(i, kind, run.flow, 1, now, { lastRunId: run.id }, text, result);
  }

  /** the run's failed items by error code, each with one reason as an example */
  private async failureGroups(
    runId: string,
  ): Promise<{ errorCode: string; count: number; reason: string | null }[]> {
    const rows: { code: string | null; n: string | number }[] = await this.ds.manager
      .createQueryBuilder(SyncItemEntity, "s")
      .select("s.error_code", "code")
      .addSelect("COUNT(*)", "n")
      .where("s.run_id = :runId AND s.status = :failed", { runId, failed: "FAILED" })
      .groupBy("s.error_code")
      .orderBy("n", "DESC")
      .limit(5)
      .getRawMany();
    const out = [];
    for (const r of rows) {
      const sample = await this.ds.manager.findOne(SyncItemEntity, {
        select: { id: true, reason: true },
        where: { runId, status: "FAILED", ...(r.code ? { errorCode: r.code } : {}) },
        order: { id: "ASC" },
      });
      out.push({ errorCode: r.code ?? "UNKNOWN", count: Number(r.n), reason: sample?.reason ?? null });
    }
    return out;
  }

  private async fromConnections(now: Date, result: EvaluationResult): Promise<void> {
    const page = (after: number) =>
      this.ds.manager.find(ConnectionEventEntity, {
        where: { id: MoreThan(after) },
        order: { id: "ASC" },
        take: BATCH,
      });
    await this.drain(CONNECTION_WATERMARK, page, async (rows) => {
      for (const r of rows) {
        const i = await this.integration(r.integrationId);
        if (!i) continue;
        const open = await this.openIncident(i.id, "CONNECTION_FAILING", r.system);
        if (r.toStatus === "FAILING") {
          if (open) await this.bump(open, 1, now, { ...(open.details ?? {}), message: r.message });
          else
            await this.open(
              i,
              "CONNECTION_FAILING",
              r.system,
              1,
              now,
              { message: r.message, failingSince: r.at.toISOString() },
              this.writer.connectionFailing(i, r.system, r.message),
              result,
            );
        } else if (r.toStatus === "OK" && open) {
          await this.resolve(open, now, result);
          const since = new Date(String(open.details?.failingSince ?? open.openedAt.toISOString()));
          await this.alert(i, this.writer.connectionRecovered(i, r.system, since), open.id, now, result);
        }
      }
    });
  }

  private async stalledRuns(now: Date, result: EvaluationResult): Promise<void> {
    const limit = new Date(now.getTime() - this.cfg.runStalledMinutes * 60_000);
    const stalled = await this.ds.manager
      .createQueryBuilder(SyncRunEntity, "r")
      .where(
        "(r.status = :running AND r.updated_at < :limit) OR (r.status = :queued AND r.queued_at < :limit)",
        {
          running: "RUNNING",
          queued: "QUEUED",
          limit,
        },
      )
      .take(200)
      .getMany();
    for (const run of stalled) {
      const i = await this.integration(run.integrationId);
      if (!i || (await this.openIncident(i.id, "RUN_STALLED", run.id))) continue;
      const last = run.status === "QUEUED" ? run.queuedAt : run.updatedAt;
      await this.open(
        i,
        "RUN_STALLED",
        run.id,
        1,
        now,
        { runId: run.id, progressAt: last.toISOString() },
        this.writer.runStalled(i, run, now.getTime() - last.getTime()),
        result,
      );
    }
    // a stalled run that moved on (or ended) closes its incident; the clock is not asked
    for (const inc of await this.openIncidents("RUN_STALLED")) {
      const run = await this.ds.manager.findOneBy(SyncRunEntity, { id: inc.groupKey });
      const progressAt = run ? (run.status === "QUEUED" ? run.queuedAt : run.updatedAt) : null;
      if (
        !run ||
        !["QUEUED", "RUNNING"].includes(run.status) ||
        progressAt!.toISOString() !== inc.details?.progressAt
      )
        await this.resolve(inc, now, result);
    }
  }

  private async silentFlows(now: Date, result: EvaluationResult): Promise<void> {
    const flows = await this.ds.manager.findBy(FlowConfigEntity, { enabled: true });
    const watched = new Set<string>();
    for (const f of flows) {
      if (!f.schedule) continue;
      const i = await this.integration(f.integrationId);
      if (!i) continue;
      watched.add(`${f.integrationId}|${f.kind}`);
      const period = cronPeriodMs(f.schedule);
      const threshold = 2 * period + SILENT_GRACE_MS;
      const lastSuccess = await this.lastSuccess(f.integrationId, f.kind);
      const since = Math.max(lastSuccess?.getTime() ?? 0, f.updatedAt.getTime());
      const busy = await this.ds.manager.count(SyncRunEntity, {
        where: {
          integrationId: f.integrationId,
          flow: f.kind,
          status: "RUNNING",
          updatedAt: MoreThan(new Date(now.getTime() - threshold)),
        },
      });
      const open = await this.openIncident(i.id, "FLOW_SILENT", f.kind);
      if (open) {
        if ((lastSuccess?.toISOString() ?? null) !== (open.details?.lastSuccessAt ?? null))
          await this.resolve(open, now, result);
        continue;
      }
      if (busy === 0 && now.getTime() - since > threshold) {
        await this.open(
          i,
          "FLOW_SILENT",
          f.kind,
          1,
          now,
          { lastSuccessAt: lastSuccess?.toISOString() ?? null },
          this.writer.flowSilent(i, f.kind, f.schedule, lastSuccess, period),
          result,
        );
      }
    }
    // a flow turned off (or unscheduled) is not silent any more
    for (const inc of await this.openIncidents("FLOW_SILENT"))
      if (!watched.has(`${inc.integrationId}|${inc.groupKey}`)) await this.resolve(inc, now, result);
  }

  private async lastSuccess(integrationId: string, flow: string): Promise<Date | null> {
    const r = await this.ds.manager.findOne(SyncRunEntity, {
      select: { id: true, finishedAt: true },
      where: { integrationId, flow, status: In(["SUCCEEDED", "PARTIAL"]), dryRun: false },
      order: { finishedAt: "DESC" },
    });
    return r?.finishedAt ?? null;
  }

  private async budgets(now: Date, result: EvaluationResult): Promise<void> {
    for (const l of this.budget.exhausted(this.cfg.budgetExhaustedMinutes, now)) {
      const i = await this.integration(l.integrationId);
      if (!i) continue;
      const key = `${l.system}:${l.lane}`.slice(0, 191);
      const open = await this.openIncident(i.id, "RATE_BUDGET_EXHAUSTED", key);
      if (open) await this.bump(open, 0, now, open.details ?? {});
      else
        await this.open(
          i,
          "RATE_BUDGET_EXHAUSTED",
          key,
          1,
          now,
          { system: l.system, lane: l.lane },
          this.writer.budgetExhausted(i, l),
          result,
        );
    }
    for (const inc of await this.openIncidents("RATE_BUDGET_EXHAUSTED")) {
      const lane = {
        integrationId: inc.integrationId,
        system: String(inc.details?.system),
        lane: String(inc.details?.lane),
      };
      // another process may be the one that sees this lane: it closes once nobody saw it for an hour
      if (this.budget.relieved(lane, now) || inc.lastSeenAt.getTime() < now.getTime() - 3600_000)
        await this.resolve(inc, now, result);
    }
  }

  private async remindAndExpire(now: Date, result: EvaluationResult): Promise<void> {
    const repeat = this.cfg.repeatHours * 3600_000;
    const old = new Date(now.getTime() - repeat);
    for (const inc of await this.ds.manager.find(AlertIncidentEntity, {
      where: { status: "OPEN", lastNotifiedAt: LessThan(old) },
      take: 500,
    })) {
      if (inc.kind === "ITEM_FAILURE" && inc.lastSeenAt < old) {
        await this.resolve(inc, now, result); // not seen for a while: the next one is "new" again
        continue;
      }
      if (inc.count <= inc.notifiedCount && inc.kind !== "CONNECTION_FAILING" && inc.kind !== "FLOW_SILENT")
        continue;
      const i = await this.integration(inc.integrationId);
      const text = inc.details?.text as AlertText | undefined;
      if (!i || !text) continue;
      const more = inc.count - inc.notifiedCount;
      await this.alert(
        i,
        {
          ...text,
          title: `Still: ${text.title}`,
          body: `This is still going on (since ${inc.openedAt.toISOString()}${more > 0 ? `; ${more} more occurrence${more === 1 ? "" : "s"} since the last alert` : ""}).\n${text.body}`,
        },
        inc.id,
        now,
        result,
      );
      await this.ds.manager.update(
        AlertIncidentEntity,
        { id: inc.id },
        { lastNotifiedAt: now, notifiedCount: inc.count },
      );
    }
  }

  // ------------------------------------------------------------------------------------ incidents

  private openIncident(integrationId: string, kind: IncidentKindName, groupKey: string) {
    return this.ds.manager.findOne(AlertIncidentEntity, {
      where: { integrationId, kind, groupKey, status: "OPEN" },
    });
  }

  private openIncidents(kind: IncidentKindName) {
    return this.ds.manager.find(AlertIncidentEntity, { where: { kind, status: "OPEN" }, take: 1000 });
  }

  private async open(
    i: IntegrationInfo,
    kind: IncidentKindName,
    groupKey: string,
    count: number,
    now: Date,
    details: Record<string, unknown>,
    text: AlertText,
    result: EvaluationResult,
  ): Promise<void> {
    const id = randomUUID();
    await this.ds.transaction(async (em) => {
      await em.insert(AlertIncidentEntity, {
        id,
        workspaceId: i.workspaceId,
        integrationId: i.id,
        kind,
        groupKey: groupKey.slice(0, 191),
        status: "OPEN",
        openedAt: now,
        lastSeenAt: now,
        resolvedAt: null,
        lastNotifiedAt: now,
        count,
        notifiedCount: count,
        details: json({ ...details, text }),
      });
      await this.insertAlert(em, i, text, id, now);
    });
    result.opened++;
    result.alerts++;
  }

  private async bump(inc: AlertIncidentEntity, n: number, now: Date, details: Record<string, unknown>) {
    await this.ds.manager
      .createQueryBuilder()
      .update(AlertIncidentEntity)
      .set({ count: () => `count + ${Math.max(0, Math.floor(n))}`, lastSeenAt: now, details: json(details) })
      .where("id = :id", { id: inc.id })
      .execute();
  }

  private async resolve(inc: AlertIncidentEntity, now: Date, result: EvaluationResult) {
    await this.ds.manager.update(
      AlertIncidentEntity,
      { id: inc.id, status: "OPEN" },
      { status: "RESOLVED", resolvedAt: now },
    );
    result.resolved++;
  }

  private async alert(
    i: IntegrationInfo,
    text: AlertText,
    incidentId: string | null,
    now: Date,
    result: EvaluationResult,
  ) {
    await this.insertAlert(this.ds.manager, i, text, incidentId, now);
    result.alerts++;
  }

  private async insertAlert(
    em: EntityManager,
    i: IntegrationInfo,
    text: AlertText,
    incidentId: string | null,
    now: Date,
  ) {
    await em.insert(AlertEntity, {
      workspaceId: i.workspaceId,
      integrationId: i.id,
      kind: text.kind,
      incidentId,
      title: text.title.slice(0, 300),
      body: text.body,
      link: text.link.slice(0, 500),
      facts: json(text.facts),
      createdAt: now,
    });
    this.onAlert?.(text.kind);
  }

  // ------------------------------------------------------------------------------------ helpers

  private async integration(id: string): Promise<IntegrationInfo | undefined> {
    if (!this.names.has(id)) {
      const e = await this.ds.manager.findOne(IntegrationEntity, {
        select: { id: true, name: true, workspaceId: true },
        where: { id },
      });
      if (e) this.names.set(id, { id: e.id, name: e.name, workspaceId: e.workspaceId });
    }
    return this.names.get(id);
  }

  private async state(key: string): Promise<string | undefined> {
    return (await this.ds.manager.findOneBy(OpsStateEntity, { key }))?.value;
  }

  private async setState(key: string, value: string): Promise<void> {
    await this.ds.manager.upsert(OpsStateEntity, { key, value, updatedAt: new Date() }, ["key"]);
  }
}
