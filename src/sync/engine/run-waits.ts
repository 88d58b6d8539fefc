import type { DataSource } from "typeorm";
import type { Logger } from "pino";
import { systemLabel, type UpstreamWait, type UpstreamWaitListener } from "../../connectors/http";
import { SyncRunEntity } from "../../db/entities/sync-run.entity";
import type { EventLog } from "../../events/event-log";

/** the same wait is told again (row and event) at most this often */
const RETELL_MS = 15_000;

export function waitMessage(w: UpstreamWait): string {
  return `Waiting for ${systemLabel(w.system)} at ${w.host}: ${w.reason}; next attempt at ${w.until.toISOString()}.`;
}

/**
 * Makes a run's waiting visible: when its transports back off on an unreachable vendor or wait for
 * a rate window, the run row says why and until when (SyncRun.waiting / waitingUntil) and a
 * RUN_WAITING event tells live monitors; when requests move again the row is cleared. Writes are
 * serialised and throttled (one per distinct reason, at most every RETELL_MS), never in the way
 * of the run: a failure to record a wait is logged and forgotten.
 */
export class RunWaitReporter {
  private chain: Promise<void> = Promise.resolve();
  private told: { key: string; at: number } | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly events: EventLog,
    private readonly run: { id: string; integrationId: string; flow: string },
    private readonly logger: Logger,
  ) {}

  readonly listener: UpstreamWaitListener = (w) => {
    if (w === null) {
      if (!this.told) return;
      this.told = null;
      this.enqueue(() =>
        this.ds.manager.update(
          SyncRunEntity,
          { id: this.run.id },
          { waitingReason: null, waitingUntil: null },
        ),
      );
      return;
    }
    const key = `${w.system}|${w.host}|${w.reason}`;
    const now = Date.now();
    if (this.told && this.told.key === key && now - this.told.at < RETELL_MS) return;
    this.told = { key, at: now };
    const message = waitMessage(w).slice(0, 500);
    this.logger.info({ runId: this.run.id, system: w.system, host: w.host, until: w.until }, message);
    this.enqueue(async () => {
      await this.ds.manager.update(
        SyncRunEntity,
        { id: this.run.id },
        { waitingReason: message, waitingUntil: w.until },
      );
      await this.events.emit({
        type: "RUN_WAITING",
        integrationId: this.run.integrationId,
        flow: this.run.flow,
        runId: this.run.id,
        runStatus: "RUNNING",
        counts: null,
        progress: null,
        item: null,
        message,
      });
    });
  };

  /** waits until every recorded wait is written (the run's end clears the row after this) */
  settled(): Promise<void> {
    return this.chain;
  }

  private enqueue(write: () => Promise<unknown>): void {
    this.chain = this.chain
      .then(write)
      .then(() => undefined)
      .catch((e) => this.logger.warn({ err: e, runId: this.run.id }, "recording why a run waits failed"));
  }
}
