import cron, { type ScheduledTask } from "node-cron";
import type { DataSource } from "typeorm";
import { LessThan } from "typeorm";
import type { Logger } from "pino";
import { json } from "../db/columns";
import { JobEntity, LeaseEntity, SyncEventEntity, WebhookInboxEntity } from "../db/entities/infra.entity";
import { SyncItemEntity } from "../db/entities/sync-item.entity";
import { SyncItemMissingSkuEntity } from "../db/entities/sync-item-missing-sku.entity";
import { WriteIntentEntity } from "../db/entities/write-intent.entity";
import { HEAL_WINDOW_DAYS } from "./item-retries";
import {
  AlertDeliveryEntity,
  AlertEntity,
  AlertIncidentEntity,
  ConnectionEventEntity,
} from "../db/entities/ops.entity";

/** Vendors redeliver webhooks for up to 48 h: inbox rows are kept well past that. */
export const INBOX_KEEP_DAYS = 7;
/**
 * Settled write-ahead intents (with the created record's id) are kept this long after their outcome
 * was recorded. The item that records the link follows the outcome within the same attempt, or —
 * after a crash in between — when the run resumes (seconds to minutes later), so an intent this old
 * has done its work: its record's link says "created" from then on. Intents WITHOUT an outcome are
 * never purged: they are what crash recovery searches the vendor by.
 */
export const INTENT_KEEP_DAYS = 30;
const DAY = 24 * 3600_000;

export interface RetentionResult {
  itemPayloadsCleared: number;
  eventsDeleted: number;
  inboxDeleted: number;
  jobsDeleted: number;
  /** alerts, their deliveries, closed incidents and connection history past LOG_RETENTION_DAYS */
  alertsDeleted: number;
  /** audit entries past AUDIT_RETENTION_DAYS */
  auditDeleted: number;
  /** write-ahead intents with an outcome recorded more than INTENT_KEEP_DAYS ago */
  intentsDeleted: number;
}

/** the audit log keeps its own (longer) retention */
export interface AuditPurge {
  purge(now: Date): Promise<number>;
}

/**
 * GDPR-minded log retention: item payloads (source and sent data, field changes), events, alerts
 * and their deliveries, closed incidents and connection history older than LOG_RETENTION_DAYS are
 * deleted, webhook inbox rows after at least INBOX_KEEP_DAYS; the items themselves, run counts and
 * links stay, so history and idempotency survive. The audit log has its own, longer retention
 * (AUDIT_RETENTION_DAYS); settled write-ahead intents go after INTENT_KEEP_DAYS, intents without an
 * outcome never. Item reasons and event messages carry no personal data (they name
 * records by id), so they may outlive the payloads. Runs daily.
 */
export class Retention {
  private task?: ScheduledTask;

  constructor(
    private readonly ds: DataSource,
    private readonly days: number,
    private readonly logger: Logger,
    private readonly audit?: AuditPurge,
  ) {}

  start(expr = "17 3 * * *"): void {
    this.task = cron.schedule(
      expr,
      () => void this.purge().catch((e) => this.logger.error({ err: e }, "retention purge failed")),
      {
        name: "retention",
        noOverlap: true,
      },
    );
  }

  async stop(): Promise<void> {
    if (this.task) await this.task.destroy();
  }

  async purge(now = new Date()): Promise<RetentionResult> {
    const cutoff = new Date(now.getTime() - this.days * DAY);
    const items = await this.ds.manager
      .createQueryBuilder()
      .update(SyncItemEntity)
      .set({ sourcePayload: json(null), sentPayload: json(null), changes: json(null) })
      .where("created_at < :cutoff", { cutoff })
      .andWhere("(source_payload IS NOT NULL OR sent_payload IS NOT NULL OR changes IS NOT NULL)")
      .execute();
    const events = await this.ds.manager.delete(SyncEventEntity, { at: LessThan(cutoff) });
    const inboxCutoff = new Date(now.getTime() - Math.max(this.days, INBOX_KEEP_DAYS) * DAY);
    const inbox = await this.ds.manager.delete(WebhookInboxEntity, { receivedAt: LessThan(inboxCutoff) });
    const jobs = await this.ds.manager
      .createQueryBuilder()
      .delete()
      .from(JobEntity)
      .where("status IN (:...s) AND updated_at < :c", {
        s: ["done", "failed"],
        c: new Date(now.getTime() - INBOX_KEEP_DAYS * DAY),
      })
      .execute();
    // expired leases (schedule ticks, crashed holders) are only history
    await this.ds.manager.delete(LeaseEntity, { expiresAt: LessThan(new Date(now.getTime() - 3600_000)) });
    // what alerts say is about records (ids and reasons), and it is a log: kept as long as the items'
    const alerts = (await this.ds.manager.delete(AlertEntity, { createdAt: LessThan(cutoff) })).affected ?? 0;
    await this.ds.manager.delete(AlertDeliveryEntity, { createdAt: LessThan(cutoff) });
    await this.ds.manager.delete(AlertIncidentEntity, { status: "RESOLVED", resolvedAt: LessThan(cutoff) });
    await this.ds.manager.delete(ConnectionEventEntity, { at: LessThan(cutoff) });
    // only settled intents: one without an outcome may stand for a create that happened upstream
    const intents = await this.ds.manager
      .createQueryBuilder()
      .delete()
      .from(WriteIntentEntity)
      .where("target_id IS NOT NULL AND updated_at < :c", {
        c: new Date(now.getTime() - INTENT_KEEP_DAYS * DAY),
      })
      .execute();
    // the SKUs failed items miss are only read within the heal window (ItemRetries.healSkus)
    await this.ds.manager.delete(SyncItemMissingSkuEntity, {
      createdAt: LessThan(new Date(now.getTime() - HEAL_WINDOW_DAYS * DAY)),
    });
    const r = {
      itemPayloadsCleared: items.affected ?? 0,
      eventsDeleted: events.affected ?? 0,
      inboxDeleted: inbox.affected ?? 0,
      jobsDeleted: jobs.affected ?? 0,
      alertsDeleted: alerts,
      auditDeleted: (await this.audit?.purge(now)) ?? 0,
      intentsDeleted: intents.affected ?? 0,
    };
    this.logger.info({ ...r, retentionDays: this.days }, "retention purge done");
    return r;
  }
}
