import { Table, TableIndex, type MigrationInterface, type QueryRunner } from "typeorm";
import { cols } from "./lib";

/** ItemRetries' heal window (30 days), as it was when this migration was written */
const HEAL_WINDOW_MS = 30 * 24 * 3600_000;

/**
 * `sync_item_missing_sku`: the SKUs a failed MISSING_PRODUCT item waits for, one row each, so that
 * linking a product heals the items that miss exactly its SKU (ItemRetries.healSkus) instead of
 * those whose reason merely contains it. A side table rather than a column: only these failures
 * write it (no cost for every other item), and an exact, indexed match needs no JSON functions,
 * which SQLite and MariaDB spell differently.
 *
 * Items that failed before this migration (within the heal window, not in a preview) have their
 * SKUs only in their reason: each gets one row with sku "" so that the old reason match still heals
 * them (and only them) until the retention drops the rows past the heal window.
 */
export class MissingSkus1765600100000 implements MigrationInterface {
  name = "MissingSkus1765600100000";

  async up(qr: QueryRunner): Promise<void> {
    const c = cols(qr);
    await qr.createTable(
      new Table({
        name: "sync_item_missing_sku",
        columns: [
          c.serial(),
          c.bigint("item_id"),
          c.uuid("integration_id"),
          c.str("sku", 191),
          c.date("created_at"),
        ],
        indices: [
          new TableIndex({ name: "ix_missing_sku_sku", columnNames: ["integration_id", "sku"] }),
          new TableIndex({ name: "ix_missing_sku_item", columnNames: ["item_id"] }),
          new TableIndex({ name: "ix_missing_sku_created", columnNames: ["created_at"] }),
        ],
        foreignKeys: [
          {
            name: "fk_missing_sku_item",
            columnNames: ["item_id"],
            referencedTableName: "sync_item",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
      }),
    );
    // only what healSkus still reads (its 30-day window); Date parameters converted by the driver
    const [sql, params] = qr.connection.driver.escapeQueryWithParameters(
      "INSERT INTO sync_item_missing_sku (item_id, integration_id, sku, created_at) " +
        "SELECT id, integration_id, '', created_at FROM sync_item " +
        "WHERE status = 'FAILED' AND error_code = 'MISSING_PRODUCT' AND created_at > :cutoff " +
        // a preview's item waits for nothing (a heal would queue a real run for it)
        "AND run_id IN (SELECT r.id FROM sync_run r WHERE r.dry_run = 0)",
      { cutoff: new Date(Date.now() - HEAL_WINDOW_MS) },
    );
    await qr.query(sql, params);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable("sync_item_missing_sku");
  }
}
