import type { DataSource } from "typeorm";
import { IsNull, LessThanOrEqual, MoreThan, Not } from "typeorm";
import type { Logger } from "pino";
import { FastSql } from "../db/fast-sql";
import { SyncItemEntity } from "../db/entities/sync-item.entity";
import { LEGACY_REASON_MARKER, SyncItemMissingSkuEntity } from "../db/entities/sync-item-missing-sku.entity";
import type { FlowKindName } from "../sync/engine/flow-settings";
import type { RunService } from "../sync/run.service";

/** how many due items one pass takes (the rest are taken by the next pass) */
const BATCH = 500;
/** how far back a linked SKU heals failed items (the retention drops older missing-SKU rows) */
export const HEAL_WINDOW_DAYS = 30;
const HEAL_WINDOW_MS = HEAL_WINDOW_DAYS * 24 * 3600_000;

/**
 * Automatic retries of failed items whose cause can heal (error-policy.ts sets their
 * `nextAttemptAt`). A periodic pass in every worker takes the due items — each claimed with a
 * conditional update, so two workers never take the same one — and queues one RETRY run per
 * integration and flow with their records. An item whose record was handled again since (a later
 * item exists) is dropped: the later item carries its own next attempt, if any.
 *
 * `healSkus` is the hook of the link path: when PRODUCT/VARIANT links with SKUs are written,
 * items that failed with MISSING_PRODUCT missing exactly one of them are due at once.
 */
export class ItemRetries {
  private timer?: NodeJS.Timeout;
  private passing?: Promise<string[]>;
  private missingSkus?: FastSql<SyncItemMissingSkuEntity>;

  constructor(
    private readonly ds: DataSource,
    private readonly runs: RunService,
    private readonly logger: Logger,
    private readonly opts: { intervalMs?: number; now?: () => Date } = {},
  ) {}

  start(): void {
    const every = this.opts.intervalMs ?? 30_000;
    this.timer = setInterval(() => void this.runDue().catch((e) => this.fail(e)), every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.passing?.catch(() => undefined);
  }

  /** Queues RETRY runs for the due items; returns the runs' ids. One pass at a time per process. */
  async runDue(): Promise<string[]> {
    if (this.passing) await this.passing.catch(() => undefined);
    this.passing = this.pass();
    try {
      return await this.passing;
    } finally {
      this.passing = undefined;
    }
  }

  private async pass(): Promise<string[]> {
    const now = this.opts.now?.() ?? new Date();
    const due = await this.ds.manager.find(SyncItemEntity, {
      select: {
        id: true,
        integrationId: true,
        flow: true,
        entity: true,
        sourceId: true,
        nextAttemptAt: true,
      },
      where: { nextAttemptAt: LessThanOrEqual(now) },
      order: { nextAttemptAt: "ASC" },
      take: BATCH,
    });
    const groups = new Map<string, { integrationId: string; flow: FlowKindName; sourceIds: Set<string> }>();
    for (const item of due) {
      const claimed = await this.ds.manager.update(
        SyncItemEntity,
        { id: item.id, nextAttemptAt: Not(IsNull()) },
        { nextAttemptAt: null },
      );
      if ((claimed.affected ?? 0) === 0) continue;
      const later = await this.ds.manager.exists(SyncItemEntity, {
        where: {
          integrationId: item.integrationId,
          flow: item.flow,
          entity: item.entity,
          sourceId: item.sourceId,
          id: MoreThan(item.id),
        },
      });
      if (later) continue;
      const k = `${item.integrationId}:${item.flow}`;
      const g = groups.get(k) ?? {
        integrationId: item.integrationId,
        flow: item.flow as FlowKindName,
        sourceIds: new Set<string>(),
      };
      g.sourceIds.add(item.sourceId);
      groups.set(k, g);
    }
    const ids: string[] = [];
    for (const g of groups.values()) {
      const run = await this.runs.enqueue(g.integrationId, g.flow, "RETRY", { sourceIds: [...g.sourceIds] });
      if (run) {
        ids.push(run.id);
        this.logger.info(
          { integrationId: g.integrationId, flow: g.flow, runId: run.id, items: g.sourceIds.size },
          "failed items retried automatically",
        );
      }
    }
    return ids;
  }

  /**
   * PRODUCT/VARIANT links with these SKUs were written: failed MISSING_PRODUCT items of the
   * integration that miss exactly one of them (recorded with the item: sync_item_missing_sku) and
   * still wait for an automatic attempt are due now. Returns the RETRY runs queued.
   */
  async healSkus(integrationId: string, skus: string[]): Promise<string[]> {
    const now = this.opts.now?.() ?? new Date();
    const wanted = [...new Set(skus.map((s) => s.trim()).filter((s) => s !== ""))];
    if (wanted.length === 0) return [];
    // one indexed read of the (small) missing-SKU table; most links heal nothing and stop here
    // (a plain statement: every product a product flow links asks this, fast-sql.ts)
    this.missingSkus ??= new FastSql(this.ds, SyncItemMissingSkuEntity);
    const rows = await this.missingSkus.find(
      [...wanted, LEGACY_REASON_MARKER].map((sku) => ({ integrationId, sku })),
    );
    const exact = [...new Set(rows.filter((r) => r.sku !== LEGACY_REASON_MARKER).map((r) => r.itemId))];
    const legacy = [...new Set(rows.filter((r) => r.sku === LEGACY_REASON_MARKER).map((r) => r.itemId))];
    let touched = 0;
    if (exact.length > 0) {
      const r = await this.waiting(integrationId, now).andWhere("id IN (:...exact)", { exact }).execute();
      touched += r.affected ?? 0;
    }
    if (legacy.length > 0) {
      // items failed before the SKUs were recorded name them only in their reason (the migration
      // marked them); such a reason also matches a SKU that merely contains the linked one
      const patterns = Object.fromEntries(wanted.map((sku, i) => [`p${i}`, `%${likeEscape(sku)}%`]));
      const r = await this.waiting(integrationId, now)
        .andWhere("id IN (:...legacy)", { legacy })
        .andWhere(`(${wanted.map((_, i) => `reason LIKE :p${i} ESCAPE '!'`).join(" OR ")})`, patterns)
        .execute();
      touched += r.affected ?? 0;
    }
    return touched > 0 ? this.runDue() : [];
  }

  /** makes due the failed MISSING_PRODUCT items of the integration that the statement narrows down */
  private waiting(integrationId: string, now: Date) {
    return (
      this.ds.manager
        .createQueryBuilder()
        .update(SyncItemEntity)
        .set({ nextAttemptAt: now })
        .where("integration_id = :integrationId", { integrationId })
        .andWhere("status = 'FAILED' AND error_code = 'MISSING_PRODUCT'")
        // recent failures, including those whose automatic attempts are spent; items handled again
        // since are dropped when the pass claims them
        .andWhere("created_at > :recent", { recent: new Date(now.getTime() - HEAL_WINDOW_MS) })
        .andWhere("(next_attempt_at IS NULL OR next_attempt_at > :now)", { now })
    );
  }

  private fail(e: unknown) {
    this.logger.error({ err: e }, "automatic item retries failed");
  }
}

const likeEscape = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);
