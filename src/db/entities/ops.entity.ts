import { Column, Entity, PrimaryColumn } from "typeorm";
import { bigintNumber, DateColumn, IdColumn, JsonColumn } from "../columns";

export type AlertChannelTypeName = "WEBHOOK" | "EMAIL";

/**
 * Where a workspace's alerts go: an outgoing webhook (JSON, HMAC-signed with `secretEnc`) or
 * e-mail over SMTP (`secretEnc` holds the SMTP password). The secret is a SecretBox ciphertext
 * bound to this row; `secretMask` is its display form. `lastAlertId` is the newest alert already
 * handed to this channel: alerts after it go out together in the next message (throttling).
 */
@Entity("alert_channel")
export class AlertChannelEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id!: string;

  @IdColumn("workspace_id")
  workspaceId!: string;

  @Column({ type: "varchar", length: 200 })
  name!: string;

  @Column({ type: "varchar", length: 16 })
  type!: AlertChannelTypeName;

  @Column({ type: "boolean" })
  enabled!: boolean;

  @JsonColumn("kinds", { nullable: false })
  kinds!: string[];

  /** non-secret settings: {url} for a webhook; {host, port, tls, username, from, to} for e-mail */
  @JsonColumn("config", { nullable: false })
  config!: Record<string, unknown>;

  @Column({ name: "secret_enc", type: "text", nullable: true })
  secretEnc!: string | null;

  @Column({ name: "secret_mask", type: "varchar", length: 200, nullable: true })
  secretMask!: string | null;

  @Column({ name: "last_alert_id", type: "integer", transformer: bigintNumber })
  lastAlertId!: number;

  @DateColumn("last_message_at", { nullable: true })
  lastMessageAt!: Date | null;

  @DateColumn("created_at")
  createdAt!: Date;

  @DateColumn("updated_at")
  updatedAt!: Date;
}

/**
 * Something wrong that lasts: a failing connection, a kind of item failure (flow + error code), a
 * flow whose runs fail, a stalled run, a silent flow, an exhausted rate budget. Alerts are sent when
 * an incident opens (and when a connection recovers), not for every occurrence: `count` grows.
 */
@Entity("alert_incident")
export class AlertIncidentEntity {
  @PrimaryColumn({ type: "varchar", length: 36 })
  id!: string;

  @IdColumn("workspace_id")
  workspaceId!: string;

  @Column({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  @Column({ type: "varchar", length: 32 })
  kind!: string;

  @Column({ name: "group_key", type: "varchar", length: 191 })
  groupKey!: string;

  /** OPEN | RESOLVED */
  @Column({ type: "varchar", length: 12 })
  status!: string;

  @DateColumn("opened_at")
  openedAt!: Date;

  @DateColumn("last_seen_at")
  lastSeenAt!: Date;

  @DateColumn("resolved_at", { nullable: true })
  resolvedAt!: Date | null;

  @DateColumn("last_notified_at", { nullable: true })
  lastNotifiedAt!: Date | null;

  @Column({ type: "integer" })
  count!: number;

  /** `count` when the last alert about this incident was made (a reminder says what came since) */
  @Column({ name: "notified_count", type: "integer" })
  notifiedCount!: number;

  @JsonColumn("details")
  details!: Record<string, unknown> | null;
}

/** One alert in words: what happened, to which records, what to do, and the console link. */
@Entity("alert")
export class AlertEntity {
  @PrimaryColumn({ type: "integer", generated: "increment", transformer: bigintNumber })
  id!: number;

  @IdColumn("workspace_id")
  workspaceId!: string;

  @Column({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  @Column({ type: "varchar", length: 32 })
  kind!: string;

  @Column({ name: "incident_id", type: "varchar", length: 36, nullable: true })
  incidentId!: string | null;

  @Column({ type: "varchar", length: 300 })
  title!: string;

  @Column({ type: "text" })
  body!: string;

  @Column({ type: "varchar", length: 500 })
  link!: string;

  /** structured facts for webhook receivers: flow, error code, records, counts */
  @JsonColumn("facts")
  facts!: Record<string, unknown> | null;

  @DateColumn("created_at")
  createdAt!: Date;
}

/** One message to one channel (a batch of alerts, or a digest) and how its delivery went. */
@Entity("alert_delivery")
export class AlertDeliveryEntity {
  @PrimaryColumn({ type: "integer", generated: "increment", transformer: bigintNumber })
  id!: number;

  @Column({ name: "channel_id", type: "varchar", length: 36 })
  channelId!: string;

  @IdColumn("workspace_id")
  workspaceId!: string;

  /** ALERTS | DIGEST | TEST */
  @Column({ type: "varchar", length: 16 })
  kind!: string;

  @JsonColumn("alert_ids", { nullable: false })
  alertIds!: number[];

  @Column({ type: "varchar", length: 300 })
  subject!: string;

  /** PENDING | DELIVERED | FAILED */
  @Column({ type: "varchar", length: 12 })
  status!: string;

  @Column({ type: "integer" })
  attempts!: number;

  @Column({ name: "last_error", type: "text", nullable: true })
  lastError!: string | null;

  @Column({ name: "response_status", type: "integer", nullable: true })
  responseStatus!: number | null;

  @DateColumn("created_at")
  createdAt!: Date;

  @DateColumn("updated_at")
  updatedAt!: Date;

  @DateColumn("delivered_at", { nullable: true })
  deliveredAt!: Date | null;
}

/** A change of a connection's state (OK → FAILING → OK), with what caused the check. */
@Entity("connection_event")
export class ConnectionEventEntity {
  @PrimaryColumn({ type: "integer", generated: "increment", transformer: bigintNumber })
  id!: number;

  @Column({ name: "integration_id", type: "varchar", length: 36 })
  integrationId!: string;

  @Column({ type: "varchar", length: 16 })
  system!: string;

  @Column({ name: "from_status", type: "varchar", length: 16 })
  fromStatus!: string;

  @Column({ name: "to_status", type: "varchar", length: 16 })
  toStatus!: string;

  @Column({ type: "text", nullable: true })
  message!: string | null;

  /** TEST (testConnections) | HEALTH (scheduled check) | RUN (a run met an AUTH failure) */
  @Column({ type: "varchar", length: 16 })
  source!: string;

  @DateColumn("at")
  at!: Date;
}

/** Who changed which configuration when, before and after (secrets never; masks at most). */
@Entity("audit_log")
export class AuditLogEntity {
  @PrimaryColumn({ type: "integer", generated: "increment", transformer: bigintNumber })
  id!: number;

  @IdColumn("workspace_id")
  workspaceId!: string;

  @DateColumn("at")
  at!: Date;

  /** the API key's readable prefix, "operator token", or a command name */
  @Column({ type: "varchar", length: 64 })
  actor!: string;

  @Column({ name: "actor_role", type: "varchar", length: 16, nullable: true })
  actorRole!: string | null;

  @Column({ type: "varchar", length: 48 })
  action!: string;

  @Column({ name: "target_type", type: "varchar", length: 32 })
  targetType!: string;

  @Column({ name: "target_id", type: "varchar", length: 191, nullable: true })
  targetId!: string | null;

  @Column({ name: "integration_id", type: "varchar", length: 36, nullable: true })
  integrationId!: string | null;

  @Column({ type: "varchar", length: 500 })
  summary!: string;

  @JsonColumn("before_state")
  before!: unknown;

  @JsonColumn("after_state")
  after!: unknown;
}

/** Small named states of the operations parts (e.g. the alert monitor's watermarks). */
@Entity("ops_state")
export class OpsStateEntity {
  @PrimaryColumn({ name: "state_key", type: "varchar", length: 64 })
  key!: string;

  @Column({ type: "varchar", length: 191 })
  value!: string;

  @DateColumn("updated_at")
  updatedAt!: Date;
}
