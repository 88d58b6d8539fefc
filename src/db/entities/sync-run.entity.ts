import { Column, Entity, PrimaryColumn } from "typeorm";
import { DateColumn, JsonColumn } from "../columns";

export interface RunOptionsData {
  sourceIds?: string[];
  full?: boolean;
  /** RETRY runs: the run whose failed items this run retries */
  retryOf?: string;
  /** replay of one item */
  replayOf?: string;
}

/** The observed pace of a run's items (finish estimates; see sync/engine/finish-estimate). */
export interface RunPaceData {
  /** moving average of the time between item completions */
  msPerItem: number;
  /** items observed */
  samples: number;
  /** when the last item finished (ISO) */
  lastAt: string;
}

/** Where a run is: survives restarts, so a resumed run continues instead of starting over. */
export interface RunStateData {
  /** the incremental window, fixed when the run started (the watermark is taken before the read) */
  windowFrom?: string | null;
  windowTo?: string;
  /** the discovery position reached (flow-specific, e.g. a page offset) */
  checkpoint?: unknown;
  /** true once discovery has seen every record */
  discovered?: boolean;
  pace?: RunPaceData;
}

@Entity("sync_run")
export class SyncRunEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id!: string;

  @Column({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  @Column({ type: "varchar", length: 40 })
  flow!: string;

  @Column({ type: "varchar", length: 16 })
  trigger!: string;

  @Column({ name: "dry_run", type: "boolean" })
  dryRun!: boolean;

  @Column({ type: "varchar", length: 16 })
  status!: string;

  @DateColumn("queued_at")
  queuedAt!: Date;

  @DateColumn("started_at", { nullable: true })
  startedAt!: Date | null;

  @DateColumn("finished_at", { nullable: true })
  finishedAt!: Date | null;

  @Column({ name: "count_total", type: "integer" })
  total!: number;

  @Column({ name: "count_created", type: "integer" })
  created!: number;

  @Column({ name: "count_updated", type: "integer" })
  updated!: number;

  @Column({ name: "count_skipped", type: "integer" })
  skipped!: number;

  @Column({ name: "count_failed", type: "integer" })
  failed!: number;

  @Column({ name: "expected_total", type: "integer", nullable: true })
  expectedTotal!: number | null;

  @Column({ type: "text", nullable: true })
  error!: string | null;

  @Column({ name: "cancel_requested", type: "boolean" })
  cancelRequested!: boolean;

  @JsonColumn("options")
  options!: RunOptionsData | null;

  @JsonColumn("state")
  state!: RunStateData | null;

  @DateColumn("updated_at")
  updatedAt!: Date;

  /** why the run is waiting right now (an unreachable vendor, a rate window); null while it moves */
  @Column({ name: "waiting_reason", type: "varchar", length: 500, nullable: true })
  waitingReason!: string | null;

  @DateColumn("waiting_until", { nullable: true })
  waitingUntil!: Date | null;
}
