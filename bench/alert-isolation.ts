/**
 * Does a failing alert channel slow the sync? Two CATEGORIES_ECWID_TO_CCV runs of BENCH_ITEMS
 * records each (sandboxes without latency or limits, in a child process): the first with no
 * alert channel, the second while BENCH_DELIVERIES messages are on their way to a webhook receiver
 * that never answers (every attempt waits out its 10 s timeout, then is retried). Prints both
 * wall times and their ratio (target ≈ 1.0: deliveries run on a queue lane of their own).
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/alert-isolation.js
 *
 * Env: BENCH_ITEMS (2000), BENCH_DELIVERIES (40), DATABASE_URL (default: a temporary SQLite file).
 */
import "reflect-metadata";
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { silentLogger } from "../src/common/logger";
import { loadConfig } from "../src/config/config";
import { closeSharedAgents } from "../src/connectors/http/transport";
import { CcvSandbox } from "../src/sandbox/ccv-salespos/ccv.sandbox";
import { EcwidSandbox } from "../src/sandbox/ecwid/ecwid.sandbox";
import { startGateway } from "../src/server/app";
import { AlertDeliveryEntity } from "../src/db/entities/ops.entity";
import { SyncRunEntity } from "../src/db/entities/sync-run.entity";

const ITEMS = Number(process.env.BENCH_ITEMS ?? 2_000);
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 40);
const UNLIMITED = 10_000_000;

interface Pair {
  ecwid: { url: string; storeId: number; token: string };
  ccv: { baseUrl: string; publicKey: string; secretKey: string };
}

async function child(): Promise<void> {
  const pairs: Pair[] = [];
  for (let p = 0; p < 2; p++) {
    const ecwid = await EcwidSandbox.start({
      rateLimitPerMinute: UNLIMITED,
      deliverWebhooks: false,
      seed: {
        categories: Array.from({ length: ITEMS }, (_, i) => ({
          id: 1_000_000 + i,
          name: `Category ${i}`,
          orderBy: (i + 1) * 10,
          enabled: true,
        })),
      },
    });
    const ccv = await CcvSandbox.start({
      limits: { get: UNLIMITED, write: UNLIMITED, productqueries: UNLIMITED },
    });
    pairs.push({
      ecwid: { url: ecwid.url, storeId: ecwid.storeId, token: ecwid.token },
      ccv: { baseUrl: ccv.baseUrl, publicKey: ccv.publicKey, secretKey: ccv.secretKey },
    });
  }
  process.send!({ type: "ready", pairs });
}

async function main(): Promise<void> {
  const proc = fork(__filename, ["child"], { stdio: "inherit" });
  const { pairs } = await new Promise<{ pairs: Pair[] }>((resolve) =>
    proc.once("message", (m) => resolve(m as { pairs: Pair[] })),
  );
  // a receiver that takes every delivery and never answers
  const hung = http.createServer(() => undefined);
  await new Promise<void>((r) => hung.listen(0, "127.0.0.1", r));
  const hookUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/alerts`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-bench-"));
  const gw = await startGateway(
    loadConfig({
      PORT: "0",
      DATABASE_URL: process.env.DATABASE_URL ?? `sqlite:${path.join(dir, "bench.sqlite")}`,
      GATEWAY_ADMIN_TOKEN: `gwadmin_${randomBytes(24).toString("base64url")}`,
      GATEWAY_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      GATEWAY_DATA_DIR: dir,
      LOG_LEVEL: "silent",
      WORKER_CONCURRENCY: "1",
      HEALTH_CHECK_MINUTES: "0",
    }),
    {
      logger: silentLogger,
      engine: {
        connectors: {
          ecwid: { requestsPerMinute: UNLIMITED },
          ccv: { laneLimits: { get: UNLIMITED, write: UNLIMITED, productqueries: UNLIMITED } },
        },
        executor: { cancelCheckMs: 1_000 },
        queue: { pollMs: 20 },
      },
    },
  );
  const s = gw.services;
  const { workspace } = await s.tenancy.createWorkspace("bench");
  const runOn = async (p: Pair): Promise<{ ms: number; run: SyncRunEntity }> => {
    const i = await s.integrations.create(
      workspace.id,
      "bench",
      { storeId: p.ecwid.storeId, token: p.ecwid.token, apiBaseUrl: p.ecwid.url },
      { baseUrl: p.ccv.baseUrl, publicKey: p.ccv.publicKey, secretKey: p.ccv.secretKey },
    );
    await s.flows.configure(workspace.id, i.id, "CATEGORIES_ECWID_TO_CCV", { enabled: true });
    const t0 = process.hrtime.bigint();
    const run = await s.runs.runSync(workspace.id, i.id, "CATEGORIES_ECWID_TO_CCV", {});
    for (;;) {
      const r = await gw.dataSource.manager.findOneByOrFail(SyncRunEntity, { id: run.id });
      if (["SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED"].includes(r.status))
        return { ms: Number(process.hrtime.bigint() - t0) / 1e6, run: r };
      await new Promise((res) => setTimeout(res, 100));
    }
  };

  const quiet = await runOn(pairs[0]);
  const { channel } = await s.alerts.create(workspace.id, {
    name: "hung",
    type: "WEBHOOK",
    kinds: ["RUN_FAILED"],
    webhookUrl: hookUrl,
  });
  for (let k = 0; k < DELIVERIES; k++) await s.alertDispatch.test(channel);
  const busy = await runOn(pairs[1]);
  const attempts = (await gw.dataSource.manager.find(AlertDeliveryEntity)).filter(
    (d) => d.status === "PENDING",
  );
  await gw.close();
  await closeSharedAgents();
  hung.closeAllConnections();
  hung.close();
  proc.kill();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`alert-isolation (${gw.config.database.kind}): ${ITEMS} items per run`);
  console.log(`  run without a channel           ${(quiet.ms / 1000).toFixed(1)} s (${quiet.run.status})`);
  console.log(
    `  run beside ${DELIVERIES} hung deliveries   ${(busy.ms / 1000).toFixed(1)} s (${busy.run.status}); ${attempts.length} deliveries still pending`,
  );
  console.log(`  ratio (target ≈ 1.0)            ${(busy.ms / quiet.ms).toFixed(2)}`);
}

if (process.argv[2] === "child") void child();
else
  void main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
