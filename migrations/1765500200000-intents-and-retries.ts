import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from "typeorm";
import { cols } from "./lib";

/**
 * Write-ahead intents and automatic retries.
 *
 * `write_intent`: before a create upstream the engine records which record it is about to create
 * and the reference it carries (unique per integration, target system and entity), and the created
 * record's id once the vendor answered. Only an intent without an outcome (a crash or an ambiguous
 * failure in between) makes the next attempt search the vendor by reference.
 *
 * `sync_item.next_attempt_at` / `retry_round`: when a failed item whose cause can heal is tried
 * again by itself, and how many automatic attempts its record has had.
 */
export class IntentsAndRetries1765500200000 implements MigrationInterface {
  name = "IntentsAndRetries1765500200000";

  async up(qr: QueryRunner): Promise<void> {
    const c = cols(qr);
    await qr.createTable(
      new Table({
        name: "write_intent",
        columns: [
          c.pk(),
          c.uuid("integration_id"),
          c.str("target", 16),
          c.str("entity", 16),
          c.str("reference", 191),
          c.str("source_id", 191),
          c.uuid("run_id"),
          c.str("target_id", 191, true),
          c.str("target_label", 191, true),
          c.date("created_at"),
          c.date("updated_at"),
        ],
        indices: [
          new TableIndex({
            name: "ux_write_intent_reference",
            columnNames: ["integration_id", "target", "entity", "reference"],
            isUnique: true,
          }),
          new TableIndex({
            name: "ix_write_intent_source",
            columnNames: ["integration_id", "target", "entity", "source_id"],
          }),
        ],
        foreignKeys: [
          {
            name: "fk_write_intent_integration",
            columnNames: ["integration_id"],
            referencedTableName: "integration",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
      }),
    );
    await qr.addColumns("sync_item", [
      new TableColumn(c.date("next_attempt_at", true)),
      new TableColumn(c.int("retry_round", false, 0)),
    ]);
    await qr.createIndex(
      "sync_item",
      new TableIndex({ name: "ix_sync_item_next_attempt", columnNames: ["next_attempt_at"] }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex("sync_item", "ix_sync_item_next_attempt");
    await qr.dropColumn("sync_item", "retry_round");
    await qr.dropColumn("sync_item", "next_attempt_at");
    await qr.dropTable("write_intent");
  }
}
