import { Column, Entity, PrimaryColumn } from "typeorm";
import { bigintNumber, DateColumn, JsonColumn } from "../columns";

/** A short-lived exclusive claim on (integration, entity, source id) while a create is decided. */
@Entity("lease")
export class LeaseEntity {
  @PrimaryColumn({ name: "lease_key", type: "varchar", length: 191 })
  key!: string;

  @Column({ type: "varchar", length: 64 })
  holder!: string;

  @DateColumn("expires_at")
  expiresAt!: Date;
}

/** The incremental watermark of a flow, and other small per-integration states. */
@Entity("sync_cursor")
export class SyncCursorEntity {
  @PrimaryColumn({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  @PrimaryColumn({ name: "cursor_key", type: "varchar", length: 64 })
  key!: string;

  @Column({ type: "varchar", length: 64 })
  value!: string;

  @DateColumn("updated_at")
  updatedAt!: Date;
}

/** The durable in-process job queue (embedded mode). Payloads carry ids, never credentials. */
@Entity("job")
export class JobEntity {
  @PrimaryColumn({ type: "integer", generated: "increment", transformer: bigintNumber })
  id!: number;

  @Column({ type: "varchar", length: 40 })
  type!: string;

  @JsonColumn("payload")
  payload!: Record<string, string | number | boolean | null>;

  /** queued | running | done | failed */
  @Column({ type: "varchar", length: 12 })
  status!: string;

  @DateColumn("run_at")
  runAt!: Date;

  @Column({ type: "integer" })
  attempts!: number;

  @Column({ name: "max_attempts", type: "integer" })
  maxAttempts!: number;

  @Column({ name: "locked_by", type: "varchar", length: 64, nullable: true })
  lockedBy!: string | null;

  @DateColumn("locked_until", { nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: "last_error", type: "text", nullable: true })
  lastError!: string | null;

  @DateColumn("created_at")
  createdAt!: Date;

  @DateColumn("updated_at")
  updatedAt!: Date;
}

/** Verified vendor webhooks, unique by (integration, system, event id): a redelivery is recognised. */
@Entity("webhook_inbox")
export class WebhookInboxEntity {
  @PrimaryColumn({ type: "integer", generated: "increment", transformer: bigintNumber })
  id!: number;

  @Column({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  @Column({ type: "varchar", length: 16 })
  system!: string;

  @Column({ name: "event_id", type: "varchar", length: 191 })
  eventId!: string;

  @Column({ name: "event_type", type: "varchar", length: 64 })
  eventType!: string;

  @Column({ name: "entity_id", type: "varchar", length: 191 })
  entityId!: string;

  @JsonColumn("payload")
  payload!: unknown;

  @DateColumn("received_at")
  receivedAt!: Date;
}

/** The persisted live-event log: subscriptions replay it after `afterId`. */
@Entity("sync_event")
export class SyncEventEntity {
  @PrimaryColumn({ type: "integer", generated: "increment", transformer: bigintNumber })
  id!: number;

  @Column({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  @Column({ type: "varchar", length: 40, nullable: true })
  flow!: string | null;

  @Column({ name: "run_id", type: "varchar", length: 36, nullable: true })
  runId!: string | null;

  @Column({ type: "varchar", length: 24 })
  type!: string;

  @DateColumn("at")
  at!: Date;

  @JsonColumn("payload")
  payload!: Record<string, unknown>;
}

/** CCV has no e-mail filter on users: e-mail hash → CCV user id, per integration. */
@Entity("ccv_customer_index")
export class CcvCustomerIndexEntity {
  @PrimaryColumn({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  @PrimaryColumn({ name: "email_hash", type: "varchar", length: 64 })
  emailHash!: string;

  @Column({ name: "user_id", type: "varchar", length: 64 })
  userId!: string;
}

/** Webhooks the gateway registered at CCV (one per event), with their key encrypted. */
@Entity("ccv_webhook")
export class CcvWebhookEntity {
  @PrimaryColumn({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  @PrimaryColumn({ type: "varchar", length: 64 })
  event!: string;

  @Column({ name: "webhook_id", type: "varchar", length: 64 })
  webhookId!: string;

  @Column({ type: "varchar", length: 500 })
  address!: string;

  @Column({ name: "key_enc", type: "text", nullable: true })
  keyEnc!: string | null;

  @DateColumn("created_at")
  createdAt!: Date;
}
