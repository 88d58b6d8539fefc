/**
 * The engine's own cost per item: a CATEGORIES_ECWID_TO_CCV run of BENCH_ITEMS (default 10 000)
 * records against sandboxes with no latency and no rate limits, in a child process, so what this
 * process spends is the gateway's: discovery, leases, mapping, the CCV create through the signed
 * client, recording item + link + counts + event, and publishing.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/engine-overhead.js
 *
 * Prints CPU time per item (target < 2 ms), database statements per item and upstream requests per
 * item. Env: BENCH_ITEMS, DATABASE_URL (default: a temporary SQLite file).
 */
import "reflect-metadata";
import { fork } from "node:child_process";
import { closeSharedAgents } from "../src/connectors/http/transport";
import { CcvSandbox } from "../src/sandbox/ccv-salespos/ccv.sandbox";
import { EcwidSandbox } from "../src/sandbox/ecwid/ecwid.sandbox";
import { SyncRunEntity } from "../src/db/entities/sync-run.entity";
import { startBenchGateway } from "./bench-gateway";

const ITEMS = Number(process.env.BENCH_ITEMS ?? 10_000);
const UNLIMITED = 10_000_000;

interface Ready {
  type: "ready";
  ecwid: { url: string; storeId: number; token: string };
  ccv: { baseUrl: string; publicKey: string; secretKey: string };
}

async function child(): Promise<void> {
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
  const ready: Ready = {
    type: "ready",
    ecwid: { url: ecwid.url, storeId: ecwid.storeId, token: ecwid.token },
    ccv: { baseUrl: ccv.baseUrl, publicKey: ccv.publicKey, secretKey: ccv.secretKey },
  };
  process.send!(ready);
  process.on("message", (m: { type: string }) => {
    if (m.type === "stats") {
      process.send!({
        type: "stats",
        ecwid: ecwid.log.entries.length,
        ccv: ccv.log.entries.length,
        ccvCategories: ccv.store.categories.size,
      });
    }
  });
}

async function main(): Promise<void> {
  const proc = fork(__filename, ["child"], { stdio: "inherit" });
  const ready = await new Promise<Ready>((resolve) => proc.once("message", (m) => resolve(m as Ready)));
  let statements = 0;
  let counting = false;
  const { gw, remove } = await startBenchGateway(
    { WORKER_CONCURRENCY: "1" },
    {
      onQuery: () => {
        if (counting) statements++;
      },
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
  const integration = await s.integrations.create(
    workspace.id,
    "bench",
    { storeId: ready.ecwid.storeId, token: ready.ecwid.token, apiBaseUrl: ready.ecwid.url },
    { baseUrl: ready.ccv.baseUrl, publicKey: ready.ccv.publicKey, secretKey: ready.ccv.secretKey },
  );
  await s.flows.configure(workspace.id, integration.id, "CATEGORIES_ECWID_TO_CCV", { enabled: true });

  counting = true;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const run = await s.runs.runSync(workspace.id, integration.id, "CATEGORIES_ECWID_TO_CCV", {});
  let final: SyncRunEntity;
  for (;;) {
    final = (await gw.dataSource.manager.findOneByOrFail(SyncRunEntity, { id: run.id }))!;
    if (["SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED"].includes(final.status)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  counting = false;
  proc.send({ type: "stats" });
  const stats = await new Promise<{ ecwid: number; ccv: number; ccvCategories: number }>((resolve) =>
    proc.once("message", (m) => resolve(m as { ecwid: number; ccv: number; ccvCategories: number })),
  );
  const n = final.total;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const dbKind = gw.config.database.kind;
  await gw.close();
  await closeSharedAgents();
  proc.kill();
  remove();
  console.log(
    `engine-overhead (${dbKind}): ${n} items, status ${final.status}, ${final.created} created, ${final.failed} failed`,
  );
  console.log(
    `  wall time                 ${(wallMs / 1000).toFixed(1)} s  (${(n / (wallMs / 1000)).toFixed(0)} items/s)`,
  );
  console.log(
    `  gateway CPU per item      ${(cpuMs / n).toFixed(3)} ms   (target < 2 ms; includes the signed HTTP client)`,
  );
  console.log(`  DB statements per item    ${(statements / n).toFixed(2)}`);
  console.log(
    `  upstream requests / item  ${((stats.ecwid + stats.ccv) / n).toFixed(2)}  (Ecwid ${stats.ecwid}, CCV ${stats.ccv}); CCV categories: ${stats.ccvCategories}`,
  );
  // polling the run row adds statements too; subtract them for the engine's own figure
}

if (process.argv[2] === "child") void child();
else
  void main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
