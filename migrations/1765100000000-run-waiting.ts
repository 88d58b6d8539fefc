import { TableColumn, type MigrationInterface, type QueryRunner } from "typeorm";
import { cols } from "./lib";

/**
 * Why a run waits: while the transport backs off on an unreachable vendor or waits for a rate
 * window, the run shows the reason and when the next attempt starts (SyncRun.waiting,
 * SyncRun.waitingUntil); cleared as soon as requests move again.
 */
export class RunWaiting1765100000000 implements MigrationInterface {
  name = "RunWaiting1765100000000";

  async up(qr: QueryRunner): Promise<void> {
    const c = cols(qr);
    await qr.addColumns("sync_run", [
      new TableColumn(c.str("waiting_reason", 500, true)),
      new TableColumn(c.date("waiting_until", true)),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn("sync_run", "waiting_until");
    await qr.dropColumn("sync_run", "waiting_reason");
  }
}
