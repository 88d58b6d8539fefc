import { TableIndex, type MigrationInterface, type QueryRunner } from "typeorm";

/**
 * Stock reservations (ARCHITECTURE §4) look up, for every stock item, the order flow's failed items
 * of one integration: an index on (integration_id, flow, status) keeps that a read of the failed
 * items instead of a scan of every item the order flow ever recorded.
 */
export class StockReservations1765500500000 implements MigrationInterface {
  name = "StockReservations1765500500000";

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex(
      "sync_item",
      new TableIndex({
        name: "ix_sync_item_flow_status",
        columnNames: ["integration_id", "flow", "status"],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex("sync_item", "ix_sync_item_flow_status");
  }
}
