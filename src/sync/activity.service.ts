import cron from "node-cron";
import type { DataSource } from "typeorm";
import { badInput } from "../common/errors";
import { SyncItemEntity } from "../db/entities/sync-item.entity";
import type { ValueMapKindName } from "../mapping/value-maps";
import type { FlowRegistry } from "./engine/flow-registry";

export interface ActivityBucketView {
  /** the start of the hour (UTC) */
  hour: Date;
  succeeded: number;
  skipped: number;
  failed: number;
  pending: number;
}

export interface SeenCodeView {
  code: string;
  count: number;
  lastSeenAt: Date;
}

/** how many recent items are read to collect the codes a value map should cover */
const SEEN_CODES_SCAN = 500;
export const MAX_ACTIVITY_HOURS = 24 * 14;

/**
 * Read models for monitoring screens (the console's dashboard and value-map editor) computed in the
 * database from the recorded items, so a screen asks once instead of paging through every item.
 * The caller has checked that the integration belongs to its workspace.
 */
export class ActivityService {
  constructor(
    private readonly ds: DataSource,
    private readonly registry: FlowRegistry,
  ) {}

  /**
   * Items per hour by status over the last `hours`, oldest first, hours without items included.
   * SUBSTR over the stored timestamp gives "YYYY-MM-DD HH" on SQLite (text) and MySQL (DATETIME
   * converted to text) alike; both keep UTC.
   */
  async hourly(
    integrationId: string,
    flow: string | undefined,
    hours: number,
    now = new Date(),
  ): Promise<ActivityBucketView[]> {
    if (!Number.isInteger(hours) || hours < 1 || hours > MAX_ACTIVITY_HOURS)
      throw badInput(`hours must be a whole number from 1 to ${MAX_ACTIVITY_HOURS}.`);
    const end = new Date(now);
    end.setUTCMinutes(0, 0, 0);
    const start = new Date(end.getTime() - (hours - 1) * 3_600_000);
    const qb = this.ds.manager
      .createQueryBuilder(SyncItemEntity, "s")
      .select("SUBSTR(s.created_at, 1, 13)", "h")
      .addSelect("s.status", "status")
      .addSelect("COUNT(*)", "n")
      .where("s.integration_id = :integrationId", { integrationId })
      .andWhere("s.created_at >= :start", { start })
      .groupBy("h")
      .addGroupBy("s.status");
    if (flow) qb.andWhere("s.flow = :flow", { flow });
    const rows = await qb.getRawMany<{ h: string; status: string; n: number | string }>();
    const buckets: ActivityBucketView[] = [];
    const byHour = new Map<string, ActivityBucketView>();
    for (let t = start.getTime(); t <= end.getTime(); t += 3_600_000) {
      const b = { hour: new Date(t), succeeded: 0, skipped: 0, failed: 0, pending: 0 };
      buckets.push(b);
      byHour.set(b.hour.toISOString().slice(0, 13).replace("T", " "), b);
    }
    for (const r of rows) {
      const b = byHour.get(String(r.h).replace("T", " "));
      if (!b) continue;
      const n = Number(r.n);
      if (r.status === "SUCCEEDED") b.succeeded += n;
      else if (r.status === "SKIPPED") b.skipped += n;
      else if (r.status === "FAILED") b.failed += n;
      else b.pending += n;
    }
    return buckets;
  }

  /**
   * The codes of one value-map kind that recent items carried (e.g. the CCV payment methods of the
   * last POS sales), most frequent first, so a value map can be filled without guessing. Each flow
   * says where its source records hold which code (FlowDefinition.valueMapCodes).
   */
  async seenCodes(integrationId: string, kind: ValueMapKindName): Promise<SeenCodeView[]> {
    const extractors = this.registry
      .all()
      .filter((d) => d.valueMapCodes?.[kind])
      .map((d) => ({ flow: d.kind, extract: d.valueMapCodes![kind]! }));
    if (extractors.length === 0) return [];
    const rows = await this.ds.manager
      .createQueryBuilder(SyncItemEntity, "s")
      .select(["s.id", "s.flow", "s.sourcePayload", "s.createdAt"])
      .where("s.integration_id = :integrationId", { integrationId })
      .andWhere("s.flow IN (:...flows)", { flows: extractors.map((e) => e.flow) })
      .andWhere("s.source_payload IS NOT NULL")
      .orderBy("s.id", "DESC")
      .take(SEEN_CODES_SCAN)
      .getMany();
    const seen = new Map<string, SeenCodeView>();
    for (const r of rows) {
      const extract = extractors.find((e) => e.flow === r.flow)?.extract;
      const raw = extract?.(r.sourcePayload);
      const code = raw === null || raw === undefined ? "" : String(raw).trim();
      if (code === "") continue;
      const s = seen.get(code);
      if (s) {
        s.count++;
        if (r.createdAt > s.lastSeenAt) s.lastSeenAt = r.createdAt;
      } else seen.set(code, { code, count: 1, lastSeenAt: r.createdAt });
    }
    return [...seen.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  }

  /** the next time a schedule fires (null when the flow has none or is off) */
  nextRunAt(flow: { enabled: boolean; schedule: string | null }): Date | null {
    if (!flow.enabled || !flow.schedule || !cron.validate(flow.schedule)) return null;
    // a stopped task computes matches without starting a timer; destroy() unregisters it again
    const task = cron.createTask(flow.schedule, () => undefined);
    try {
      return task.getNextRuns(1)[0] ?? null;
    } finally {
      void task.destroy();
    }
  }
}
