import { TableIndex, type MigrationInterface, type QueryRunner } from "typeorm";

/**
 * Retention of settled write-ahead intents (jobs/retention.ts): the daily purge deletes intents with
 * an outcome whose outcome is older than INTENT_KEEP_DAYS. The index on updated_at keeps that a
 * range read of the old rows instead of a scan (and, on MariaDB, row locks on every intent) of a
 * table that grows with every order created.
 */
export class IntentRetention1765600000000 implements MigrationInterface {
  name = "IntentRetention1765600000000";

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex(
      "write_intent",
      new TableIndex({ name: "ix_write_intent_updated", columnNames: ["updated_at"] }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex("write_intent", "ix_write_intent_updated");
  }
}
