/**
 * What a product link costs the failed orders waiting for it: every PRODUCT/VARIANT link written
 * with a SKU calls ItemRetries.healSkus. BENCH_ITEMS (50 000) order items of one integration over
 * the last 29 days, 1 % of them failed MISSING_PRODUCT with their SKU recorded; then links that heal
 * nothing (the common case: a product no failed order waits for), with 1 and with 4 SKUs (a product
 * and its variants), through healSkus and through the reason LIKE statement it replaced (one per
 * SKU); milliseconds per call and their ratio.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/heal-skus.js
 *
 * Env: BENCH_ITEMS, BENCH_CALLS (200), DATABASE_URL (default: a temporary SQLite file; a MariaDB
 * database given here gets the rows).
 */
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { silentLogger } from "../src/common/logger";
import { loadConfig } from "../src/config/config";
import { openDatabase } from "../src/db/data-source";
import { SyncItemEntity } from "../src/db/entities/sync-item.entity";
import { ItemRetries } from "../src/jobs/item-retries";
import type { RunService } from "../src/sync/run.service";

const ITEMS = Number(process.env.BENCH_ITEMS ?? 50_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const DAY = 24 * 3600_000;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-bench-"));
  const config = loadConfig({
    DATABASE_URL: process.env.DATABASE_URL ?? `sqlite:${path.join(dir, "bench.sqlite")}`,
    GATEWAY_ADMIN_TOKEN: "gwadmin_bench_bench_bench_bench_bench_bench",
    GATEWAY_ENCRYPTION_KEY: "0".repeat(64),
    GATEWAY_DATA_DIR: dir,
  });
  const ds = await openDatabase(config.database);
  try {
    const q = (n: string) => ds.driver.escape(n);
    const at = (d: Date) => d.toISOString().replace("T", " ").replace("Z", "");
    const now = new Date();
    const integrationId = `bench-${Date.now()}`;
    const runId = `run-${Date.now()}`;
    await ds.query(`INSERT INTO workspace (id, name, created_at) VALUES (?, 'bench', ?)`, [
      integrationId,
      at(now),
    ]);
    await ds.query(
      "INSERT INTO integration (id, workspace_id, name, ecwid_store_id, ecwid_api_base_url, ecwid_token_enc, " +
        "ecwid_mask, ecwid_status, ccv_base_url, ccv_public_key_enc, ccv_secret_key_enc, ccv_mask, ccv_status, " +
        "created_at, updated_at) VALUES (?, ?, 'bench', 1, 'x', 'x', 'x', 'OK', 'x', 'x', 'x', 'x', 'OK', ?, ?)",
      [integrationId, integrationId, at(now), at(now)],
    );
    await ds.query(
      `INSERT INTO sync_run (id, integration_id, flow, ${q("trigger")}, dry_run, status, queued_at, updated_at) ` +
        "VALUES (?, ?, 'ORDERS_ECWID_TO_CCV', 'MANUAL', 0, 'SUCCEEDED', ?, ?)",
      [runId, integrationId, at(now), at(now)],
    );
    for (let b = 0; b < ITEMS; b += 500) {
      const values: unknown[] = [];
      const rows: string[] = [];
      for (let i = b; i < Math.min(ITEMS, b + 500); i++) {
        const failed = i % 100 === 0;
        rows.push("(?, ?, 'ORDERS_ECWID_TO_CCV', 'ORDER', ?, 'SKIP', ?, ?, ?, ?, ?)");
        values.push(
          runId,
          integrationId,
          String(i),
          failed ? "FAILED" : "SUCCEEDED",
          failed ? `1 SKU not found in CCV SalesPOS: SKU-${i}. Create the products in CCV.` : "ok",
          failed ? "MISSING_PRODUCT" : null,
          at(new Date(now.getTime() - (i % 29) * DAY)),
          at(now),
        );
      }
      await ds.query(
        "INSERT INTO sync_item (run_id, integration_id, flow, entity, source_id, action, status, reason, " +
          `error_code, created_at, updated_at) VALUES ${rows.join(", ")}`,
        values,
      );
    }
    await ds.query(
      "INSERT INTO sync_item_missing_sku (item_id, integration_id, sku, created_at) SELECT id, integration_id, " +
        (ds.options.type === "mysql" ? "CONCAT('SKU-', source_id)" : "'SKU-' || source_id") +
        ", created_at FROM sync_item WHERE integration_id = ? AND status = 'FAILED'",
      [integrationId],
    );

    const retries = new ItemRetries(ds, { enqueue: async () => null } as unknown as RunService, silentLogger);
    // the statement healSkus ran per SKU before the missing SKUs were recorded
    const byReason = (sku: string) =>
      ds.manager
        .createQueryBuilder()
        .update(SyncItemEntity)
        .set({ nextAttemptAt: now })
        .where("integration_id = :integrationId", { integrationId })
        .andWhere("status = 'FAILED' AND error_code = 'MISSING_PRODUCT'")
        .andWhere("created_at > :recent", { recent: new Date(now.getTime() - 30 * DAY) })
        .andWhere("(next_attempt_at IS NULL OR next_attempt_at > :now)", { now })
        .andWhere("reason LIKE :pattern ESCAPE '!'", { pattern: `%${sku}%` })
        .execute();
    const perCall = async (f: (i: number) => Promise<unknown>) => {
      for (let i = 0; i < 10; i++) await f(-i - 1);
      const t = process.hrtime.bigint();
      for (let i = 0; i < CALLS; i++) await f(i);
      return Number(process.hrtime.bigint() - t) / 1e6 / CALLS;
    };
    console.log(`heal-skus: ${ITEMS} items (${ITEMS / 100} failed MISSING_PRODUCT), ${ds.options.type}`);
    for (const n of [1, 4]) {
      const skus = (i: number) => Array.from({ length: n }, (_, k) => `NONE-${i}-${k}`);
      const before = await perCall(async (i) => {
        for (const sku of skus(i)) await byReason(sku);
      });
      const after = await perCall((i) => retries.healSkus(integrationId, skus(i)));
      console.log(
        `  a link with ${n} SKU${n > 1 ? "s" : ""} that heals nothing: reason LIKE ${before.toFixed(2)} ms, ` +
          `healSkus ${after.toFixed(2)} ms per call (${(before / after).toFixed(0)}× less)`,
      );
    }
  } finally {
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
