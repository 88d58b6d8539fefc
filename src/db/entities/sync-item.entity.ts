import { Column, Entity, PrimaryColumn } from "typeorm";
import { bigintNumber, DateColumn, JsonColumn } from "../columns";

export interface FieldChangeData {
  field: string;
  before: unknown;
  after: unknown;
}

/** One record handled by a run: what came in, what was decided, what was sent, and why. */
@Entity("sync_item")
export class SyncItemEntity {
  @PrimaryColumn({ type: "integer", generated: "increment", transformer: bigintNumber })
  id!: number;

  @Column({ name: "run_id", type: "varchar", length: 36 })
  runId!: string;

  @Column({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  @Column({ type: "varchar", length: 40 })
  flow!: string;

  @Column({ type: "varchar", length: 16 })
  entity!: string;

  @Column({ name: "source_id", type: "varchar", length: 191 })
  sourceId!: string;

  @Column({ name: "target_id", type: "varchar", length: 191, nullable: true })
  targetId!: string | null;

  @Column({ type: "varchar", length: 191, nullable: true })
  sku!: string | null;

  @Column({ type: "varchar", length: 8 })
  action!: string;

  @Column({ type: "varchar", length: 12 })
  status!: string;

  @Column({ type: "text", nullable: true })
  reason!: string | null;

  @Column({ name: "error_code", type: "varchar", length: 40, nullable: true })
  errorCode!: string | null;

  @JsonColumn("changes")
  changes!: FieldChangeData[] | null;

  @JsonColumn("source_payload")
  sourcePayload!: unknown;

  @JsonColumn("sent_payload")
  sentPayload!: unknown;

  @Column({ type: "integer" })
  attempts!: number;

  /** when a FAILED item whose cause can heal is tried again by itself (error-policy.ts); null = not */
  @DateColumn("next_attempt_at", { nullable: true })
  nextAttemptAt!: Date | null;

  /** automatic attempts its record has had since it last went through (picks the next delay) */
  @Column({ name: "retry_round", type: "integer", default: 0 })
  retryRound!: number;

  @DateColumn("created_at")
  createdAt!: Date;

  @DateColumn("updated_at")
  updatedAt!: Date;
}
