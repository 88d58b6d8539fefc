import { Table, TableIndex, type MigrationInterface, type QueryRunner } from "typeorm";
import { cols } from "./lib";

/**
 * The catalogue index (src/sync/catalog): per integration, every product and variant of both
 * systems with its SKU and EAN, so an order line, a stock change or a product sync finds the
 * record on the other side without a vendor lookup. One row per product (`combination_id` '') and
 * per variant; the key never holds a nullable column.
 */
export class CatalogIndex1765500100000 implements MigrationInterface {
  name = "CatalogIndex1765500100000";

  async up(qr: QueryRunner): Promise<void> {
    const c = cols(qr);
    await qr.createTable(
      new Table({
        name: "catalog_entry",
        columns: [
          { ...c.uuid("integration_id"), isPrimary: true },
          { ...c.str("system", 16), isPrimary: true },
          { ...c.str("product_id", 64), isPrimary: true },
          { ...c.str("combination_id", 64), isPrimary: true },
          c.str("sku", 191, true),
          c.str("ean", 64, true),
          c.str("modified", 32, true),
          c.date("updated_at"),
        ],
        indices: [
          new TableIndex({ name: "ix_catalog_entry_sku", columnNames: ["integration_id", "sku"] }),
          new TableIndex({ name: "ix_catalog_entry_ean", columnNames: ["integration_id", "ean"] }),
        ],
        foreignKeys: [
          {
            name: "fk_catalog_entry_integration",
            columnNames: ["integration_id"],
            referencedTableName: "integration",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          },
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable("catalog_entry");
  }
}
