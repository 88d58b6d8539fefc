import { Table, TableIndex, type MigrationInterface, type QueryRunner } from "typeorm";
import { cols } from "./lib";

/**
 * Operations: alert channels, incidents, alerts and their deliveries; connection health
 * transitions; the audit log; and the small state the alert monitor keeps (watermarks).
 * Alerts and audit entries keep no foreign key to the integration: they outlive a deleted one.
 */
export class Operations1765400000000 implements MigrationInterface {
  name = "Operations1765400000000";

  async up(qr: QueryRunner): Promise<void> {
    const c = cols(qr);
    const fkWorkspace = (table: string) => ({
      name: `fk_${table}_workspace`,
      columnNames: ["workspace_id"],
      referencedTableName: "workspace",
      referencedColumnNames: ["id"],
      onDelete: "CASCADE",
    });
    await qr.createTable(
      new Table({
        name: "alert_channel",
        columns: [
          c.pk(),
          c.uuid("workspace_id"),
          c.str("name", 200),
          c.str("type", 16),
          c.bool("enabled"),
          c.text("kinds", false),
          c.text("config", false),
          c.text("secret_enc"),
          c.str("secret_mask", 200, true),
          c.bigint("last_alert_id"),
          c.date("last_message_at", true),
          c.date("created_at"),
          c.date("updated_at"),
        ],
        indices: [new TableIndex({ name: "ix_alert_channel_workspace", columnNames: ["workspace_id"] })],
        foreignKeys: [fkWorkspace("alert_channel")],
      }),
    );
    await qr.createTable(
      new Table({
        name: "alert_incident",
        columns: [
          c.pk(),
          c.uuid("workspace_id"),
          c.str("integration_id", 36),
          c.str("kind", 32),
          c.str("group_key", 191),
          c.str("status", 12),
          c.date("opened_at"),
          c.date("last_seen_at"),
          c.date("resolved_at", true),
          c.date("last_notified_at", true),
          c.int("count", false, 0),
          c.int("notified_count", false, 0),
          c.text("details"),
        ],
        indices: [
          new TableIndex({
            name: "ix_alert_incident_group",
            columnNames: ["integration_id", "kind", "group_key", "status"],
          }),
          new TableIndex({ name: "ix_alert_incident_status", columnNames: ["workspace_id", "status"] }),
        ],
        foreignKeys: [fkWorkspace("alert_incident")],
      }),
    );
    await qr.createTable(
      new Table({
        name: "alert",
        columns: [
          c.serial(),
          c.uuid("workspace_id"),
          c.str("integration_id", 36),
          c.str("kind", 32),
          c.str("incident_id", 36, true),
          c.str("title", 300),
          c.text("body", false),
          c.str("link", 500),
          c.text("facts"),
          c.date("created_at"),
        ],
        indices: [
          new TableIndex({ name: "ix_alert_workspace", columnNames: ["workspace_id", "id"] }),
          new TableIndex({ name: "ix_alert_created", columnNames: ["created_at"] }),
        ],
        foreignKeys: [fkWorkspace("alert")],
      }),
    );
    await qr.createTable(
      new Table({
        name: "alert_delivery",
        columns: [
          c.serial(),
          c.uuid("channel_id"),
          c.uuid("workspace_id"),
          c.str("kind", 16),
          c.text("alert_ids", false),
          c.str("subject", 300),
          c.str("status", 12),
          c.int("attempts", false, 0),
          c.text("last_error"),
          c.int("response_status", true),
          c.date("created_at"),
          c.date("updated_at"),
          c.date("delivered_at", true),
        ],
        indices: [
          new TableIndex({ name: "ix_alert_delivery_channel", columnNames: ["channel_id", "id"] }),
          new TableIndex({ name: "ix_alert_delivery_created", columnNames: ["created_at"] }),
        ],
        foreignKeys: [
          {
            name: "fk_alert_delivery_channel",
            columnNames: ["channel_id"],
            referencedTableName: "alert_channel",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: "connection_event",
        columns: [
          c.serial(),
          c.uuid("integration_id"),
          c.str("system", 16),
          c.str("from_status", 16),
          c.str("to_status", 16),
          c.text("message"),
          c.str("source", 16),
          c.date("at"),
        ],
        indices: [new TableIndex({ name: "ix_connection_event", columnNames: ["integration_id", "id"] })],
        foreignKeys: [
          {
            name: "fk_connection_event_integration",
            columnNames: ["integration_id"],
            referencedTableName: "integration",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: "audit_log",
        columns: [
          c.serial(),
          c.uuid("workspace_id"),
          c.date("at"),
          c.str("actor", 64),
          c.str("actor_role", 16, true),
          c.str("action", 48),
          c.str("target_type", 32),
          c.str("target_id", 191, true),
          c.str("integration_id", 36, true),
          c.str("summary", 500),
          c.text("before_state"),
          c.text("after_state"),
        ],
        indices: [
          new TableIndex({ name: "ix_audit_workspace", columnNames: ["workspace_id", "id"] }),
          new TableIndex({ name: "ix_audit_at", columnNames: ["at"] }),
        ],
        foreignKeys: [fkWorkspace("audit_log")],
      }),
    );
    await qr.createTable(
      new Table({
        name: "ops_state",
        columns: [{ ...c.str("state_key", 64), isPrimary: true }, c.str("value", 191), c.date("updated_at")],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of [
      "ops_state",
      "audit_log",
      "connection_event",
      "alert_delivery",
      "alert",
      "alert_incident",
      "alert_channel",
    ])
      await qr.dropTable(t);
  }
}
