import type { DataSource, EntityManager } from "typeorm";
import type { Logger } from "pino";
import { ConnectorError } from "../../connectors/http/connector-error";
import { isDuplicateKeyError } from "../../db/data-source";
import { SyncCursorEntity } from "../../db/entities/infra.entity";
import { SyncItemEntity } from "../../db/entities/sync-item.entity";
import {
  MISSING_SKU_MAX_LENGTH,
  SyncItemMissingSkuEntity,
} from "../../db/entities/sync-item-missing-sku.entity";
import { FastSql } from "../../db/fast-sql";
import { SyncRunEntity, type RunStateData } from "../../db/entities/sync-run.entity";
import type { EventLog } from "../../events/event-log";
import type { SyncEventData } from "../../events/event.types";
import { PostponeJob } from "../../jobs/job-queue";
import { decide, HEALABLE_CODES, ITEM_RETRY_DELAY_MS, nextAttemptAt } from "./error-policy";
import type { IntentHooks } from "./create-once";
import { type FlowDefinition, type FlowRuntime, type ItemResult, type SourceRecord } from "./flow-definition";
import type { EntityName, FlowKindName } from "./flow-settings";
import type { FlowRegistry } from "./flow-registry";
import type { LeaseStore } from "./leases";
import { estimateFinish, observeItem, type FlowCost } from "./finish-estimate";
import { countsOf, FINAL_STATUSES, finalStatus, itemData, progressOf } from "./records";
import { buildRuntime, loadSettings, type ClientProvider } from "./runtime";
import { LinkStore } from "./links";
import { RunWaitReporter } from "./run-waits";
import { json } from "../../db/columns";
import { redactEmails } from "../../common/personal-data";

export interface ExecutorOptions {
  /** the incremental window starts this much before the last watermark (late-arriving updates) */
  lookbackMs: number;
  /** how long an item waits for another worker's lease on the same record */
  leaseWaitMs: number;
  /** delays between in-run attempts of an item (error-policy.ts bounds how many there are) */
  itemRetryDelaysMs: number[];
  /** how often a running run looks for a cancel request */
  cancelCheckMs: number;
  /**
   * the most items of one run in flight at once, for flows that allow more than one
   * (FlowDefinition.maxItemsInFlight); 1 = one item at a time for every flow
   */
  maxItemsInFlight: number;
}

export const DEFAULT_EXECUTOR_OPTIONS: ExecutorOptions = {
  lookbackMs: 5 * 60_000,
  leaseWaitMs: 30_000,
  itemRetryDelaysMs: [ITEM_RETRY_DELAY_MS],
  cancelCheckMs: 250,
  maxItemsInFlight: 8,
};

/** Test hooks: crash points inside an item's processing. */
export interface ExecutorHooks {
  /** called after the flow wrote upstream and before the item is recorded */
  beforeRecord?: (runId: string, sourceId: string) => void | Promise<void>;
  /** called after an upstream create answered and before its intent's outcome is recorded */
  afterCreate?: IntentHooks["afterCreate"];
}

export interface ExecutorDeps {
  ds: DataSource;
  logger: Logger;
  events: EventLog;
  registry: FlowRegistry;
  clients: ClientProvider;
  leases: LeaseStore;
  /** marks a connection failing after an AUTH error (CONNECTION_FAILED) */
  onConnectionFailed?: (
    integrationId: string,
    system: "ECWID" | "CCV_SALESPOS",
    message: string,
  ) => Promise<void>;
  options?: Partial<ExecutorOptions>;
  hooks?: ExecutorHooks;
  /**
   * told after commit when an item recorded PRODUCT/VARIANT links with these SKUs (items that
   * failed for want of them are tried again: ItemRetries.healSkus)
   */
  onSkusLinked?: (integrationId: string, skus: string[]) => Promise<void>;
}

class RunAborted extends Error {
  constructor(
    readonly status: "FAILED" | "CANCELLED",
    message: string,
  ) {
    super(message);
  }
}

const cursorKey = (flow: FlowKindName) => `cursor:${flow}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Executes one run: discovery (or the given source ids), then every item exactly once under a
 * lease, each recorded with its links, counts and event in one transaction. Resumable: a run
 * picked up after a crash continues from its recorded items and checkpoint.
 */
export class RunExecutor {
  private readonly o: ExecutorOptions;
  /** plain statements for the per-item writes (fast-sql.ts) */
  private readonly runSql: FastSql<SyncRunEntity>;
  private readonly itemSql: FastSql<SyncItemEntity>;
  private readonly missingSkuSql: FastSql<SyncItemMissingSkuEntity>;

  constructor(private readonly d: ExecutorDeps) {
    this.o = { ...DEFAULT_EXECUTOR_OPTIONS, ...(d.options ?? {}) };
    this.runSql = new FastSql(d.ds, SyncRunEntity);
    this.itemSql = new FastSql(d.ds, SyncItemEntity);
    this.missingSkuSql = new FastSql(d.ds, SyncItemMissingSkuEntity);
  }

  async execute(runId: string, signal: AbortSignal): Promise<void> {
    const { ds } = this.d;
    let run = await ds.manager.findOneBy(SyncRunEntity, { id: runId });
    if (!run || FINAL_STATUSES.has(run.status)) return;
    const def = this.d.registry.get(run.flow as FlowKindName);
    if (run.cancelRequested) {
      await this.finish(run, "CANCELLED", "cancelled before it started", false);
      return;
    }
    if (run.status === "QUEUED") run = await this.begin(run);

    const waits = new RunWaitReporter(ds, this.d.events, run, this.d.logger);
    const rt = await buildRuntime({
      ds,
      def,
      integrationId: run.integrationId,
      runId,
      dryRun: run.dryRun,
      clients: this.d.clients,
      logger: this.d.logger,
      signal,
      onWait: waits.listener,
      intentHooks: { afterCreate: this.d.hooks?.afterCreate },
    });
    const done = new Set(
      (
        await ds.manager.find(SyncItemEntity, { select: { sourceId: true, entity: true }, where: { runId } })
      ).map((i) => `${i.entity}:${i.sourceId}`),
    );
    let lastCancelCheck = 0;
    const checkCancel = async () => {
      if (signal.aborted) throw signal.reason ?? new Error("aborted");
      if (Date.now() - lastCancelCheck < this.o.cancelCheckMs) return;
      lastCancelCheck = Date.now();
      const r = await ds.manager.findOne(SyncRunEntity, {
        select: { id: true, cancelRequested: true },
        where: { id: runId },
      });
      if (r?.cancelRequested) throw new RunAborted("CANCELLED", "cancelled by a user");
    };

    // items in flight at once (the connectors' lanes pace the requests): a flow that needs its
    // records in discovery order (parents before children) keeps the default of one
    const pool = new ItemPool(Math.max(1, Math.min(def.maxItemsInFlight ?? 1, this.o.maxItemsInFlight)));
    const checkpoints = new CheckpointSequencer();
    try {
      const state: RunStateData = run.state ?? {};
      if (run.options?.sourceIds?.length) {
        await this.setExpected(run, run.options.sourceIds.length);
        for (const sourceId of run.options.sourceIds) {
          await checkCancel();
          const key = `${def.entity}:${sourceId}`;
          if (done.has(key)) continue;
          done.add(key);
          const record = await this.fetch(def, rt, sourceId);
          await pool.add(
            () =>
              this.processItem(
                run!,
                def,
                rt,
                record ?? { id: sourceId, payload: null },
                record === null,
                undefined,
              ),
            record && def.itemGroup?.(record),
          );
        }
        await pool.drain();
      } else {
        const since = state.windowFrom ? new Date(state.windowFrom) : null;
        let seen = 0;
        for await (const { record, checkpoint } of def.discover(rt, {
          since,
          until: new Date(state.windowTo!),
          checkpoint: state.checkpoint,
          setExpectedTotal: (n) => void this.setExpected(run!, n),
        })) {
          seen++;
          await checkCancel();
          const key = `${record.entity ?? def.entity}:${record.id}`;
          // recorded by an earlier execution (or a duplicate of discovery): nothing to wait for
          const seq = checkpoints.next(checkpoint, done.has(key));
          if (done.has(key)) continue;
          done.add(key);
          await pool.add(
            () => this.processItem(run!, def, rt, record, false, checkpoints.ticket(seq)),
            def.itemGroup?.(record),
          );
        }
        await pool.drain();
        await ds.manager.update(
          SyncRunEntity,
          { id: runId },
          {
            state: json({
              ...(run.state ?? state),
              // every item is recorded now: the checkpoint of the whole discovery (items recorded
              // in flight may have committed older ones last)
              ...(checkpoints.recordedUpTo() !== undefined ? { checkpoint: checkpoints.recordedUpTo() } : {}),
              discovered: true,
            }),
          },
        );
        if (run.expectedTotal === null || run.expectedTotal < run.total)
          await this.setExpected(run, Math.max(seen, run.total));
      }
      const latest = await ds.manager.findOneByOrFail(SyncRunEntity, { id: runId });
      await this.finish(
        latest,
        finalStatus(latest),
        null,
        !latest.dryRun && !latest.options?.sourceIds?.length,
      );
    } catch (e) {
      // the items still in flight finish (and are recorded) before the run stops
      await pool.settle();
      if (e instanceof RunAborted) {
        const latest = await ds.manager.findOneByOrFail(SyncRunEntity, { id: runId });
        await this.finish(latest, e.status, e.message, false);
        return;
      }
      throw e;
    }
  }

  private async begin(run: SyncRunEntity): Promise<SyncRunEntity> {
    const { ds } = this.d;
    const settingsStart = await this.windowFrom(run);
    const state: RunStateData = { windowFrom: settingsStart, windowTo: new Date().toISOString() };
    const started = new Date();
    const ev = await ds.transaction(async (em) => {
      await em.update(
        SyncRunEntity,
        { id: run.id },
        { status: "RUNNING", startedAt: started, state: json(state), updatedAt: started },
      );
      return this.d.events.record(em, {
        type: "RUN_STARTED",
        integrationId: run.integrationId,
        flow: run.flow,
        runId: run.id,
        runStatus: "RUNNING",
        counts: countsOf(run),
        progress: 0,
        item: null,
        message: state.windowFrom ? `changes since ${state.windowFrom}` : "all records",
      });
    });
    await this.d.events.publish([ev]);
    return { ...run, status: "RUNNING", startedAt: started, state };
  }

  /** the incremental window's start: last watermark minus lookback; else the flow's startDate; else everything */
  private async windowFrom(run: SyncRunEntity): Promise<string | null> {
    const flow = run.flow as FlowKindName;
    const settings = await loadSettings(this.d.ds, run.integrationId, flow);
    const start = settings.startDate ? new Date(settings.startDate) : null;
    if (run.options?.full) return start ? start.toISOString() : null;
    const c = await this.d.ds.manager.findOneBy(SyncCursorEntity, {
      integrationId: run.integrationId,
      key: cursorKey(flow),
    });
    if (!c) return start ? start.toISOString() : null;
    const from = new Date(new Date(c.value).getTime() - this.o.lookbackMs);
    return (start && start > from ? start : from).toISOString();
  }

  private async setExpected(run: SyncRunEntity, n: number) {
    run.expectedTotal = n;
    await this.d.ds.manager.update(SyncRunEntity, { id: run.id }, { expectedTotal: n });
  }

  private async fetch(def: FlowDefinition, rt: FlowRuntime, sourceId: string): Promise<SourceRecord | null> {
    try {
      return await def.fetchOne(rt, sourceId);
    } catch (e) {
      if (e instanceof ConnectorError && e.code === "NOT_FOUND") return null;
      throw e;
    }
  }

  private async processItem(
    run: SyncRunEntity,
    def: FlowDefinition,
    rt: FlowRuntime,
    record: SourceRecord,
    missing: boolean,
    checkpoint: CheckpointTicket | undefined,
  ): Promise<void> {
    const entity: EntityName = record.entity ?? def.entity;
    const leaseKey = `${run.integrationId}:${entity}:${record.id}`;
    const leased = await this.d.leases.acquire(leaseKey, this.o.leaseWaitMs, rt.signal);
    if (!leased) {
      await this.record(
        run,
        entity,
        record,
        checkpoint,
        {
          action: "SKIP",
          reason: "Another run was handling this record at the same time; it was left to that run.",
        },
        1,
      );
      return;
    }
    // the lease lives only while this worker does: renewed while the item is worked on, it expires
    // soon after a crash (ITEM_LEASE_TTL_MS), so a resumed run takes the record over quickly.
    // `held`: the leases to give up; the item's record releases them in its own transaction (one
    // commit fewer per item), whatever is left is released at the end
    const held: string[] = [leaseKey];
    let pairKey: string | null = null;
    const renewal = setInterval(
      () => {
        void this.d.leases.renew(leaseKey).catch(() => undefined);
        if (pairKey) void this.d.leases.renew(pairKey).catch(() => undefined);
      },
      Math.max(50, Math.floor(this.d.leases.ttlMs / 3)),
    );
    try {
      let attempts = 0;
      let result: ItemResult;
      // the flow syncing the same records the other way: one of the two at a time, until recorded
      const pair = !missing && def.pairLease ? await def.pairLease(rt, record) : null;
      if (pair) {
        const key = `${run.integrationId}:pair:${pair}`;
        if (!(await this.d.leases.acquire(key, this.o.leaseWaitMs, rt.signal))) {
          await this.record(
            run,
            entity,
            record,
            checkpoint,
            {
              action: "SKIP",
              status: "FAILED",
              errorCode: "TEMPORARY",
              reason:
                "The other direction was syncing the linked record for too long; this change is tried again later.",
            },
            1,
          );
          return;
        }
        pairKey = key;
        held.unshift(key);
        if (def.reread) record = await def.reread(rt, record);
      }
      if (missing) {
        attempts = 1;
        result = {
          action: "SKIP",
          reason: `The ${entity.toLowerCase()} no longer exists in ${def.source === "ECWID" ? "Ecwid" : "CCV SalesPOS"}.`,
        };
      } else {
        for (;;) {
          attempts++;
          try {
            result = await def.syncItem(rt, record);
            break;
          } catch (e) {
            const d = decide(e, attempts, {
              retryDelaysMs: this.o.itemRetryDelaysMs,
              aborted: rt.signal.aborted,
            });
            if (d.kind === "RETRY_NOW") {
              rt.logger.warn(
                { sourceId: record.id, attempt: attempts, err: d.reason },
                "item failed temporarily; retrying",
              );
              await sleep(d.delayMs);
              continue;
            }
            if (d.kind === "POSTPONE_RUN") {
              // the vendor wants us to wait longer than the transport will: resume the run later
              throw new PostponeJob(d.untilMs, d.reason);
            }
            if (d.kind === "FAIL_RUN") throw new RunAborted("FAILED", d.reason);
            if (d.errorCode === "INTERNAL")
              rt.logger.error({ err: e }, "item failed with an unexpected error");
            result = {
              action: "SKIP",
              ...(d.kind === "FAIL_ITEM" ? (d.details ?? {}) : {}),
              status: "FAILED",
              errorCode: d.errorCode,
              reason: d.reason,
            };
            if (d.kind === "MARK_CONNECTION") {
              await this.record(run, entity, record, checkpoint, result, attempts);
              await this.d.onConnectionFailed?.(run.integrationId, d.system, d.reason);
              await this.d.events.emit({
                type: "CONNECTION_FAILED",
                integrationId: run.integrationId,
                flow: run.flow,
                runId: run.id,
                runStatus: "FAILED",
                counts: null,
                progress: null,
                item: null,
                message: d.reason,
              });
              throw new RunAborted("FAILED", d.reason);
            }
            break;
          }
        }
      }
      if (this.d.hooks?.beforeRecord) await this.d.hooks.beforeRecord(run.id, record.id);
      if (rt.signal.aborted) throw rt.signal.reason ?? new Error("aborted");
      await this.record(run, entity, record, checkpoint, result!, attempts, held);
    } finally {
      clearInterval(renewal);
      if (!rt.signal.aborted) for (const key of held) await this.d.leases.release(key);
    }
  }

  private costOf(flow: string): FlowCost | undefined {
    return this.d.registry.has(flow as FlowKindName)
      ? this.d.registry.get(flow as FlowKindName).cost
      : undefined;
  }

  /** item + links + counts + checkpoint + event in one transaction; the event is published after commit */
  private async record(
    run: SyncRunEntity,
    entity: EntityName,
    record: SourceRecord,
    checkpoint: CheckpointTicket | undefined,
    result: ItemResult,
    attempts: number,
    /** leases to release in the item's transaction; emptied when it commits */
    leases: string[] = [],
  ): Promise<void> {
    const { ds } = this.d;
    const status =
      result.status ?? (result.action === "SKIP" ? "SKIPPED" : run.dryRun ? "PENDING" : "SUCCEEDED");
    const now = new Date();
    let published: SyncEventData | undefined;
    let undo: (() => void) | undefined;
    try {
      published = await ds.transaction(async (em: EntityManager) => {
        const fields = {
          runId: run.id,
          integrationId: run.integrationId,
          flow: run.flow,
          entity: result.entity ?? entity,
          sourceId: record.id,
          targetId: result.targetId ?? null,
          sku: result.sku ?? record.sku ?? null,
          action: result.action,
          status,
          // vendor messages quoted in a reason may echo an e-mail address: never kept (GDPR)
          reason: redactEmails(result.reason ?? null),
          errorCode: result.errorCode ?? null,
          changes: result.changes ?? [],
          sourcePayload: result.sourcePayload ?? record.payload ?? null,
          sentPayload: result.sentPayload ?? null,
          attempts,
          createdAt: now,
          updatedAt: now,
        };
        // the run's row first: with items in flight, concurrent records of one run queue on its lock
        // here (MariaDB), instead of deadlocking after the item insert's foreign key check took a
        // shared lock on it in each of them
        const inc = {
          created: status !== "FAILED" && status !== "SKIPPED" && result.action === "CREATE" ? 1 : 0,
          updated: status !== "FAILED" && status !== "SKIPPED" && result.action === "UPDATE" ? 1 : 0,
          skipped: status === "SKIPPED" ? 1 : 0,
          failed: status === "FAILED" ? 1 : 0,
        };
        // the run's state carries its observed pace (finish estimates) and, when given, the checkpoint
        // of discovery up to which every item is recorded (this one included)
        const safe = checkpoint?.safe();
        const state: RunStateData = {
          ...(run.state ?? {}),
          ...(safe !== undefined ? { checkpoint: safe } : {}),
          pace: observeItem(run.state?.pace, now.getTime(), (run.startedAt ?? now).getTime()),
        };
        await this.runSql.update({ id: run.id }, { updatedAt: now, state: json(state) }, em, {
          total: 1,
          ...inc,
        });
        // the run's counters are kept in memory too (one executor per run), saving a read per item;
        // taken back when the transaction does not commit
        const stateBefore = run.state;
        undo = () => {
          run.total -= 1;
          run.created -= inc.created;
          run.updated -= inc.updated;
          run.skipped -= inc.skipped;
          run.failed -= inc.failed;
          if (run.state === state) run.state = stateBefore;
        };
        run.total += 1;
        run.created += inc.created;
        run.updated += inc.updated;
        run.skipped += inc.skipped;
        run.failed += inc.failed;
        const counts = run;
        run.state = state;
        const retry = await this.nextAttempt(em, run, fields, now);
        const insertedId = await this.itemSql.insertReturningId(
          {
            ...fields,
            ...retry,
            changes: json(fields.changes),
            sourcePayload: json(fields.sourcePayload),
            sentPayload: json(fields.sentPayload),
          },
          em,
        );
        const item = Object.assign(new SyncItemEntity(), fields, retry, { id: insertedId });
        // the SKUs a failed item waits for, as data (ItemRetries.healSkus); a preview waits for nothing
        if (status === "FAILED" && !run.dryRun) {
          for (const sku of recordableSkus(result.missingSkus))
            await this.missingSkuSql.insert(
              { itemId: insertedId, integrationId: run.integrationId, sku, createdAt: now },
              em,
            );
        }
        if (!run.dryRun) {
          const links = new LinkStore(ds, run.integrationId);
          for (const l of result.links ?? []) await links.upsert(em, l);
        }
        for (const key of leases) await this.d.leases.release(key, em);
        return this.d.events.record(em, {
          type:
            status === "FAILED" ? "ITEM_FAILED" : status === "SKIPPED" ? "ITEM_SKIPPED" : "ITEM_SUCCEEDED",
          integrationId: run.integrationId,
          flow: run.flow,
          runId: run.id,
          runStatus: "RUNNING",
          counts: countsOf(counts),
          progress: progressOf(counts),
          estimatedFinishAt: estimateFinish(run, this.costOf(run.flow), now)?.toISOString() ?? null,
          item: itemData(item),
          message: item.reason,
        });
      });
    } catch (e) {
      undo?.();
      // the item was recorded by another execution of this run (a resumed run racing a stale one)
      if (isDuplicateKeyError(e)) {
        checkpoint?.recorded();
        return;
      }
      throw e;
    }
    leases.length = 0;
    checkpoint?.recorded();
    if (published) await this.d.events.publish([published]);
    const skus = run.dryRun
      ? []
      : [
          ...new Set(
            (result.links ?? [])
              .filter((l) => (l.entity === "PRODUCT" || l.entity === "VARIANT") && l.sku)
              .map((l) => l.sku!),
          ),
        ];
    if (skus.length > 0 && this.d.onSkusLinked) {
      await this.d
        .onSkusLinked(run.integrationId, skus)
        .catch((e) =>
          this.d.logger.warn(
            { err: e, integrationId: run.integrationId },
            "items waiting for linked SKUs not retried",
          ),
        );
    }
  }

  /**
   * A failed item whose cause can heal gets its next automatic attempt (error-policy.ts): the
   * round follows the record's previous item when that one failed the same healable way.
   */
  private async nextAttempt(
    em: EntityManager,
    run: SyncRunEntity,
    item: { status: string; errorCode: string | null; entity: string; sourceId: string },
    now: Date,
  ): Promise<{ nextAttemptAt: Date | null; retryRound: number }> {
    if (run.dryRun || item.status !== "FAILED" || !item.errorCode || !HEALABLE_CODES.has(item.errorCode))
      return { nextAttemptAt: null, retryRound: 0 };
    const previous = await em.findOne(SyncItemEntity, {
      select: { id: true, status: true, errorCode: true, retryRound: true },
      where: {
        integrationId: run.integrationId,
        flow: run.flow,
        entity: item.entity,
        sourceId: item.sourceId,
      },
      order: { id: "DESC" },
    });
    const round =
      previous?.status === "FAILED" && previous.errorCode && HEALABLE_CODES.has(previous.errorCode)
        ? previous.retryRound + 1
        : 0;
    return { nextAttemptAt: nextAttemptAt(item.errorCode, round, now), retryRound: round };
  }

  private async finish(
    run: SyncRunEntity,
    status: string,
    error: string | null,
    advanceCursor: boolean,
  ): Promise<void> {
    const { ds } = this.d;
    const now = new Date();
    const ev = await ds.transaction(async (em) => {
      await em.update(
        SyncRunEntity,
        { id: run.id },
        {
          status,
          finishedAt: now,
          error: redactEmails(error),
          updatedAt: now,
          waitingReason: null,
          waitingUntil: null,
        },
      );
      if (advanceCursor && run.state?.windowTo) {
        await em.upsert(
          SyncCursorEntity,
          {
            integrationId: run.integrationId,
            key: cursorKey(run.flow as FlowKindName),
            value: run.state.windowTo,
            updatedAt: now,
          },
          ["integrationId", "key"],
        );
      }
      const fresh = await em.findOneByOrFail(SyncRunEntity, { id: run.id });
      return this.d.events.record(em, {
        type: "RUN_FINISHED",
        integrationId: run.integrationId,
        flow: run.flow,
        runId: run.id,
        runStatus: status,
        counts: countsOf(fresh),
        progress: 1,
        item: null,
        message: error ?? summary(fresh),
      });
    });
    await this.d.events.publish([ev]);
  }
}

/** Where an item stands among the run's discovered records (CheckpointSequencer). */
interface CheckpointTicket {
  /** the checkpoint to record with this item: discovery is recorded up to it once this item is */
  safe(): unknown;
  /** the item is durably recorded */
  recorded(): void;
}

/**
 * Resumable checkpoints with items in flight: a checkpoint may only advance past items that are
 * durably recorded. Each discovered record gets a sequence number; an item's transaction records
 * the checkpoint of the longest prefix of discovery whose items are all recorded, counting itself
 * (it commits with it). An item recorded out of order therefore records an older checkpoint, and a
 * resumed run re-reads from there; its items already recorded are skipped, never done twice. Under
 * MariaDB two items' transactions may commit in either order, so the stored checkpoint may step
 * back to an older (equally safe) one, never past an unrecorded item; the end of discovery stores
 * the checkpoint of all of it.
 */
class CheckpointSequencer {
  /** per discovered record: the latest checkpoint given up to it, and whether it is recorded */
  private readonly entries: { checkpoint: unknown; recorded: boolean }[] = [];
  /** every entry up to this index is recorded */
  private prefix = -1;

  /** the next discovered record; `recorded` when an earlier execution of the run recorded it */
  next(checkpoint: unknown, recorded: boolean): number {
    const latest = checkpoint !== undefined ? checkpoint : this.entries.at(-1)?.checkpoint;
    this.entries.push({ checkpoint: latest, recorded });
    this.advance();
    return this.entries.length - 1;
  }

  /** the checkpoint of the longest recorded prefix of discovery */
  recordedUpTo(): unknown {
    return this.prefix >= 0 ? this.entries[this.prefix].checkpoint : undefined;
  }

  ticket(seq: number): CheckpointTicket {
    return {
      safe: () => {
        let k = this.prefix;
        while (k + 1 < this.entries.length && (this.entries[k + 1].recorded || k + 1 === seq)) k++;
        return k >= 0 ? this.entries[k].checkpoint : undefined;
      },
      recorded: () => {
        this.entries[seq].recorded = true;
        this.advance();
      },
    };
  }

  private advance(): void {
    while (this.prefix + 1 < this.entries.length && this.entries[this.prefix + 1].recorded) this.prefix++;
  }
}

/**
 * Runs a run's items with at most `size` in flight. `add` returns once a slot is free again and
 * throws the first failure of any item (no item starts after it); `drain` waits for the rest.
 * With a size of 1 this is the one-item-at-a-time loop it replaces.
 */
class ItemPool {
  private readonly running = new Set<Promise<void>>();
  /** the last item of each group in flight: the next one of the group starts after it */
  private readonly groups = new Map<string, Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly size: number) {}

  async add(task: () => Promise<void>, group?: string | null): Promise<void> {
    this.check();
    const before = group ? this.groups.get(group) : undefined;
    // `before` never rejects (failures are kept aside); a group's later item does not start after a failure
    const started = before ? before.then(() => (this.failure ? undefined : task())) : task();
    const p: Promise<void> = started
      .catch((error: unknown) => {
        this.failure ??= { error };
      })
      .finally(() => {
        this.running.delete(p);
        if (group && this.groups.get(group) === p) this.groups.delete(group);
      });
    this.running.add(p);
    if (group) this.groups.set(group, p);
    while (this.running.size >= this.size) await Promise.race(this.running);
    this.check();
  }

  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.race(this.running);
    this.check();
  }

  /** waits for every item in flight, whatever their outcome */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private check(): void {
    if (this.failure) throw this.failure.error;
  }
}

function summary(r: SyncRunEntity): string {
  return `${r.total} items: ${r.created} created, ${r.updated} updated, ${r.skipped} skipped, ${r.failed} failed`;
}

/** missing SKUs as recorded: trimmed, each once; one longer than a link's SKU can never be linked */
function recordableSkus(skus: string[] | undefined): string[] {
  const out = new Set<string>();
  for (const s of skus ?? []) {
    const sku = s.trim();
    if (sku !== "" && sku.length <= MISSING_SKU_MAX_LENGTH) out.add(sku);
  }
  return [...out];
}
