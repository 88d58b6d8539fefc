import { Table, TableIndex, type MigrationInterface, type QueryRunner } from "typeorm";
import { cols } from "./lib";

/**
 * The sync engine: flow configuration, mappings, runs and items, links, leases, cursors, the
 * durable job queue, the webhook inbox, the persisted event log, and the CCV customer index.
 * Unique keys never contain a nullable column.
 */
export class Engine1764400000000 implements MigrationInterface {
  name = "Engine1764400000000";

  async up(qr: QueryRunner): Promise<void> {
    const c = cols(qr);
    const fkIntegration = (table: string) => ({
      name: `fk_${table}_integration`,
      columnNames: ["integration_id"],
      referencedTableName: "integration",
      referencedColumnNames: ["id"],
      onDelete: "CASCADE",
    });

    await qr.createTable(
      new Table({
        name: "flow_config",
        columns: [
          { ...c.uuid("integration_id"), isPrimary: true },
          { ...c.str("kind", 40), isPrimary: true },
          c.bool("enabled"),
          c.str("schedule", 120, true),
          c.text("settings"),
          c.date("updated_at"),
        ],
        foreignKeys: [fkIntegration("flow_config")],
      }),
    );
    await qr.createTable(
      new Table({
        name: "field_mapping",
        columns: [
          c.pk(),
          c.uuid("integration_id"),
          c.str("flow", 40),
          c.str("target", 300),
          c.str("source", 300, true),
          c.text("expression"),
          c.text("default_value"),
          c.str("policy", 16),
          c.int("position"),
          c.date("updated_at"),
        ],
        indices: [
          new TableIndex({
            name: "uq_field_mapping",
            columnNames: ["integration_id", "flow", "target"],
            isUnique: true,
          }),
        ],
        foreignKeys: [fkIntegration("field_mapping")],
      }),
    );
    await qr.createTable(
      new Table({
        name: "value_mapping",
        columns: [
          c.pk(),
          c.uuid("integration_id"),
          c.str("kind", 32),
          c.str("from_value", 191),
          c.str("to_value", 200),
        ],
        indices: [
          new TableIndex({
            name: "uq_value_mapping",
            columnNames: ["integration_id", "kind", "from_value"],
            isUnique: true,
          }),
        ],
        foreignKeys: [fkIntegration("value_mapping")],
      }),
    );
    await qr.createTable(
      new Table({
        name: "sync_run",
        columns: [
          c.pk(),
          c.uuid("integration_id"),
          c.str("flow", 40),
          c.str("trigger", 16),
          c.bool("dry_run"),
          c.str("status", 16),
          c.date("queued_at"),
          c.date("started_at", true),
          c.date("finished_at", true),
          c.int("count_total", false, 0),
          c.int("count_created", false, 0),
          c.int("count_updated", false, 0),
          c.int("count_skipped", false, 0),
          c.int("count_failed", false, 0),
          c.int("expected_total", true),
          c.text("error"),
          c.bool("cancel_requested", false, false),
          c.text("options"),
          c.text("state"),
          c.date("updated_at"),
        ],
        indices: [
          new TableIndex({ name: "ix_sync_run_flow", columnNames: ["integration_id", "flow", "queued_at"] }),
          new TableIndex({ name: "ix_sync_run_status", columnNames: ["integration_id", "status"] }),
        ],
        foreignKeys: [fkIntegration("sync_run")],
      }),
    );
    await qr.createTable(
      new Table({
        name: "sync_item",
        columns: [
          c.serial(),
          c.uuid("run_id"),
          c.uuid("integration_id"),
          c.str("flow", 40),
          c.str("entity", 16),
          c.str("source_id", 191),
          c.str("target_id", 191, true),
          c.str("sku", 191, true),
          c.str("action", 8),
          c.str("status", 12),
          c.text("reason"),
          c.str("error_code", 40, true),
          c.text("changes"),
          c.text("source_payload"),
          c.text("sent_payload"),
          c.int("attempts", false, 1),
          c.date("created_at"),
          c.date("updated_at"),
        ],
        indices: [
          // one item per record and run: a resumed run never handles a record twice
          new TableIndex({
            name: "uq_sync_item_run_record",
            columnNames: ["run_id", "entity", "source_id"],
            isUnique: true,
          }),
          new TableIndex({ name: "ix_sync_item_integration", columnNames: ["integration_id", "flow", "id"] }),
          new TableIndex({ name: "ix_sync_item_source", columnNames: ["integration_id", "source_id"] }),
          new TableIndex({ name: "ix_sync_item_created", columnNames: ["created_at"] }),
        ],
        foreignKeys: [
          fkIntegration("sync_item"),
          {
            name: "fk_sync_item_run",
            columnNames: ["run_id"],
            referencedTableName: "sync_run",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: "link",
        columns: [
          c.pk(),
          c.uuid("integration_id"),
          c.str("entity", 16),
          c.str("ecwid_id", 191),
          c.str("ccv_id", 191),
          c.str("created_by", 16),
          c.str("hash_to_ccv", 64),
          c.str("hash_to_ecwid", 64),
          c.str("sku", 191, true),
          c.date("created_at"),
          c.date("updated_at"),
        ],
        indices: [
          new TableIndex({
            name: "uq_link_ecwid",
            columnNames: ["integration_id", "entity", "ecwid_id"],
            isUnique: true,
          }),
          new TableIndex({
            name: "uq_link_ccv",
            columnNames: ["integration_id", "entity", "ccv_id"],
            isUnique: true,
          }),
          new TableIndex({ name: "ix_link_sku", columnNames: ["integration_id", "entity", "sku"] }),
        ],
        foreignKeys: [fkIntegration("link")],
      }),
    );
    await qr.createTable(
      new Table({
        name: "lease",
        columns: [{ ...c.str("lease_key", 191), isPrimary: true }, c.str("holder", 64), c.date("expires_at")],
      }),
    );
    await qr.createTable(
      new Table({
        name: "sync_cursor",
        columns: [
          { ...c.uuid("integration_id"), isPrimary: true },
          { ...c.str("cursor_key", 64), isPrimary: true },
          c.str("value", 64),
          c.date("updated_at"),
        ],
        foreignKeys: [fkIntegration("sync_cursor")],
      }),
    );
    await qr.createTable(
      new Table({
        name: "job",
        columns: [
          c.serial(),
          c.str("type", 40),
          c.text("payload"),
          c.str("status", 12),
          c.date("run_at"),
          c.int("attempts", false, 0),
          c.int("max_attempts", false, 10),
          c.str("locked_by", 64, true),
          c.date("locked_until", true),
          c.text("last_error"),
          c.date("created_at"),
          c.date("updated_at"),
        ],
        indices: [new TableIndex({ name: "ix_job_due", columnNames: ["status", "run_at"] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: "webhook_inbox",
        columns: [
          c.serial(),
          c.uuid("integration_id"),
          c.str("system", 16),
          c.str("event_id", 191),
          c.str("event_type", 64),
          c.str("entity_id", 191),
          c.text("payload"),
          c.date("received_at"),
        ],
        indices: [
          new TableIndex({
            name: "uq_webhook_event",
            columnNames: ["integration_id", "system", "event_id"],
            isUnique: true,
          }),
          new TableIndex({ name: "ix_webhook_received", columnNames: ["received_at"] }),
        ],
        foreignKeys: [fkIntegration("webhook_inbox")],
      }),
    );
    await qr.createTable(
      new Table({
        name: "sync_event",
        columns: [
          c.serial(),
          c.uuid("integration_id"),
          c.str("flow", 40, true),
          c.str("run_id", 36, true),
          c.str("type", 24),
          c.date("at"),
          c.text("payload"),
        ],
        indices: [
          new TableIndex({ name: "ix_sync_event_integration", columnNames: ["integration_id", "id"] }),
          new TableIndex({ name: "ix_sync_event_at", columnNames: ["at"] }),
        ],
        foreignKeys: [fkIntegration("sync_event")],
      }),
    );
    await qr.createTable(
      new Table({
        name: "ccv_customer_index",
        columns: [
          { ...c.uuid("integration_id"), isPrimary: true },
          { ...c.str("email_hash", 64), isPrimary: true },
          c.str("user_id", 64),
        ],
        foreignKeys: [fkIntegration("ccv_customer_index")],
      }),
    );
    await qr.createTable(
      new Table({
        name: "ccv_webhook",
        columns: [
          { ...c.uuid("integration_id"), isPrimary: true },
          { ...c.str("event", 64), isPrimary: true },
          c.str("webhook_id", 64),
          c.str("address", 500),
          c.text("key_enc"),
          c.date("created_at"),
        ],
        foreignKeys: [fkIntegration("ccv_webhook")],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of [
      "ccv_webhook",
      "ccv_customer_index",
      "sync_event",
      "webhook_inbox",
      "job",
      "sync_cursor",
      "lease",
      "link",
      "sync_item",
      "sync_run",
      "value_mapping",
      "field_mapping",
      "flow_config",
    ]) {
      await qr.dropTable(t);
    }
  }
}
