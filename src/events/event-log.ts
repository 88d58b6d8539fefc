import type { DataSource, EntityManager } from "typeorm";
import { MoreThan } from "typeorm";
import type { Logger } from "pino";
import { redactEmails } from "../common/personal-data";
import { json } from "../db/columns";
import { SyncEventEntity } from "../db/entities/infra.entity";
import { FastSql } from "../db/fast-sql";
import type { EventBus } from "./event-bus";
import type { SyncEventData } from "./event.types";

export type NewEvent = Omit<SyncEventData, "id" | "at"> & { at?: Date };

/**
 * The persisted event log. `record` writes an event inside the caller's transaction and returns it;
 * the caller publishes it with `publish` after the commit, so subscribers never see an event of a
 * change that was rolled back.
 */
export class EventLog {
  private readonly taps: ((e: SyncEventData) => void)[] = [];
  private fast: FastSql<SyncEventEntity> | undefined;

  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {}

  async record(em: EntityManager, e: NewEvent): Promise<SyncEventData> {
    const at = e.at ?? new Date();
    // messages quote vendor answers, which may echo an e-mail address: never kept (GDPR)
    const base = {
      ...e,
      message: redactEmails(e.message),
      item: e.item ? { ...e.item, reason: redactEmails(e.item.reason) } : e.item,
      at: at.toISOString(),
    };
    // a plain statement (fast-sql.ts): one event per synced item
    this.fast ??= new FastSql(this.ds, SyncEventEntity);
    const id = String(
      await this.fast.insertReturningId(
        {
          integrationId: e.integrationId,
          flow: e.flow,
          runId: e.runId,
          type: e.type,
          at,
          payload: json(base),
        },
        em,
      ),
    );
    return { ...base, id } as SyncEventData;
  }

  /** observes every event this process publishes (metrics); a tap must be cheap and never throw */
  tap(listener: (e: SyncEventData) => void): void {
    this.taps.push(listener);
  }

  /** publishes events recorded in a committed transaction; a publish failure never undoes the work */
  async publish(events: SyncEventData[]): Promise<void> {
    for (const e of events) {
      for (const t of this.taps) {
        try {
          t(e);
        } catch (err) {
          this.logger.warn({ err, eventId: e.id }, "an event tap failed");
        }
      }
      try {
        await this.bus.publish(e);
      } catch (err) {
        this.logger.warn({ err, eventId: e.id }, "publishing a sync event failed (it stays in the log)");
      }
    }
  }

  /** records and publishes one event in its own transaction */
  async emit(e: NewEvent): Promise<SyncEventData> {
    const ev = await this.ds.transaction((em) => this.record(em, e));
    await this.publish([ev]);
    return ev;
  }

  /** persisted events of an integration after `afterId`, oldest first, in pages */
  async after(integrationId: string, afterId: number, limit = 500): Promise<SyncEventData[]> {
    const rows = await this.ds.manager.find(SyncEventEntity, {
      where: { integrationId, id: MoreThan(afterId) },
      order: { id: "ASC" },
      take: limit,
    });
    return rows.map((r) => ({ ...(r.payload as unknown as SyncEventData), id: String(r.id) }));
  }

  get eventBus(): EventBus {
    return this.bus;
  }
}
