import { TableIndex, type MigrationInterface, type QueryRunner } from "typeorm";

/**
 * The console's activity chart counts an integration's items per hour over the last days
 * (syncActivity): an index on (integration_id, created_at) keeps that a range read of one
 * integration instead of a scan of every integration's recent items.
 */
export class ConsoleActivity1765300000000 implements MigrationInterface {
  name = "ConsoleActivity1765300000000";

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex(
      "sync_item",
      new TableIndex({
        name: "ix_sync_item_integration_created",
        columnNames: ["integration_id", "created_at"],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex("sync_item", "ix_sync_item_integration_created");
  }
}
