/**
 * The stock flows under load (issue 12), Ecwid as the stock master, everything in this process:
 * both sandboxes, the gateway with its worker, Ecwid webhooks delivered over HTTP.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/stock-latency.js
 *
 * 1. Latency: BENCH_RATE sales a second (default 10) for BENCH_SECONDS (20), each taking one unit of
 *    a random SKU of BENCH_SKUS (1 000) in Ecwid (product.updated → WEBHOOK run → CCV PATCH).
 *    Prints p50/p99/max from the sale to CCV holding the corrected figure (target p99 < 5 s), and
 *    CCV stock writes per sale (target ≤ 1).
 * 2. Reconcile: a scheduled-style run over BENCH_RECONCILE_SKUS (10 000) SKUs that agree on both
 *    sides: upstream requests per side, reads and writes (target: reads only, no writes, no items).
 *
 * Vendor limits are multiplied by BENCH_SCALE (default 10) on both sides (sandbox and connector):
 * at the real limits CCV's 100 writes/min (and 150 GETs/min) cap the Ecwid → CCV direction at
 * 1.67 corrected SKUs a second, below the 10 sales a second asked for; BENCH_SCALE=1 shows it.
 */
import "reflect-metadata";
import { CCV_RATE_LIMITS } from "../src/connectors/ccv-salespos/ccv.vendor-facts";
import { ECWID_RATE_LIMIT_PER_MINUTE } from "../src/connectors/ecwid/ecwid.vendor-facts";
import { closeSharedAgents } from "../src/connectors/http/transport";
import { SyncRunEntity } from "../src/db/entities/sync-run.entity";
import { CcvSandbox } from "../src/sandbox/ccv-salespos/ccv.sandbox";
import { EcwidSandbox } from "../src/sandbox/ecwid/ecwid.sandbox";
import { startBenchGateway } from "./bench-gateway";

const SKUS = Number(process.env.BENCH_SKUS ?? 1_000);
const RATE = Number(process.env.BENCH_RATE ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const SCALE = Number(process.env.BENCH_SCALE ?? 10);
const RECONCILE_SKUS = Number(process.env.BENCH_RECONCILE_SKUS ?? 10_000);
const START = 1_000;
const CLIENT_SECRET = "bench_client_secret";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const limits = {
  get: CCV_RATE_LIMITS.GET * SCALE,
  write: CCV_RATE_LIMITS.WRITE * SCALE,
  productqueries: CCV_RATE_LIMITS.PRODUCTQUERIES * SCALE,
};

async function world(skus: number) {
  const ecwid = await EcwidSandbox.start({
    clientSecret: CLIENT_SECRET,
    rateLimitPerMinute: ECWID_RATE_LIMIT_PER_MINUTE * SCALE,
    seed: {
      products: Array.from({ length: skus }, (_, i) => ({
        id: 800_000 + i,
        sku: `SKU-${i}`,
        name: `Product ${i}`,
        price: 1,
        quantity: START,
        unlimited: false,
        enabled: true,
      })),
    },
  });
  const ccv = await CcvSandbox.start({ limits });
  const ccvIds = ccv.store
    .seedProducts(skus, (i) => ({
      name: `Product ${i}`,
      productnumber: `SKU-${i}`,
      price: 1,
      stockenabled: true,
      stock: START,
    }))
    .map((p) => p.id);
  const { gw, remove } = await startBenchGateway(
    {},
    {
      engine: {
        connectors: {
          ecwid: { requestsPerMinute: ECWID_RATE_LIMIT_PER_MINUTE * SCALE },
          ccv: { laneLimits: limits },
        },
        queue: { pollMs: 20 },
      },
    },
  );
  const s = gw.services;
  const { workspace } = await s.tenancy.createWorkspace("bench");
  const integration = await s.integrations.create(
    workspace.id,
    "bench",
    { storeId: ecwid.storeId, token: ecwid.token, clientSecret: CLIENT_SECRET, apiBaseUrl: ecwid.url },
    { baseUrl: ccv.baseUrl, publicKey: ccv.publicKey, secretKey: ccv.secretKey },
  );
  await s.flows.configure(workspace.id, integration.id, "STOCK_ECWID_TO_CCV", { enabled: true });
  return {
    ecwid,
    ccv,
    ccvIds,
    gw,
    workspaceId: workspace.id,
    integrationId: integration.id,
    async close() {
      await gw.close();
      await ecwid.stop();
      await ccv.stop();
      remove();
    },
  };
}

const pct = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function latency(): Promise<void> {
  const w = await world(SKUS);
  w.ecwid.registerWebhook(`${w.gw.url}/webhooks/ecwid/${w.integrationId}`, ["product.updated"]);
  const writesBefore = w.ccv.log.writes().length;
  const open: { i: number; expected: number; at: number }[] = [];
  const latencies: number[] = [];
  const stock = (i: number) => w.ccv.store.getProduct(w.ccvIds[i]).stock as number;
  let watching = true;
  let lastSale = performance.now();
  const watcher = (async () => {
    while (watching || open.length > 0) {
      const now = performance.now();
      for (let k = open.length - 1; k >= 0; k--) {
        if (stock(open[k].i) <= open[k].expected) {
          latencies.push(now - open[k].at);
          open.splice(k, 1);
        }
      }
      if (!watching && now - lastSale > 60_000) break;
      await sleep(5);
    }
  })();
  const total = RATE * SECONDS;
  const t0 = performance.now();
  for (let n = 0; n < total; n++) {
    const due = t0 + (n * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const i = Math.floor(Math.random() * SKUS);
    w.ecwid.store.inventory.adjustProduct(800_000 + i, { quantityDelta: -1 });
    const expected = w.ecwid.store.getProduct(800_000 + i).quantity!;
    lastSale = performance.now();
    open.push({ i, expected, at: lastSale });
  }
  watching = false;
  await watcher;
  await w.ecwid.webhooks.flush();
  const stockWrites = w.ccv.log
    .writes()
    .slice(writesBefore)
    .filter((e) => e.method === "PATCH" && e.path.startsWith("/api/rest/v1/products/")).length;
  const sorted = [...latencies].sort((a, b) => a - b);
  const runs = await w.gw.dataSource.manager.countBy(SyncRunEntity, { integrationId: w.integrationId });
  console.log(
    `stock-latency: ${total} sales at ${RATE}/s over ${SKUS} SKUs (Ecwid master, limits ×${SCALE}, ${w.gw.config.database.kind})`,
  );
  console.log(
    `  sale → corrected CCV figure  p50 ${(pct(sorted, 50) / 1000).toFixed(2)} s  p99 ${(pct(sorted, 99) / 1000).toFixed(2)} s  max ${(sorted.at(-1)! / 1000).toFixed(2)} s  (target p99 < 5 s)`,
  );
  console.log(`  not corrected within 60 s     ${open.length}`);
  console.log(
    `  CCV stock writes per sale     ${(stockWrites / total).toFixed(3)}  (${stockWrites} writes; target ≤ 1)`,
  );
  console.log(`  webhook runs                  ${runs}`);
  await w.close();
}

async function reconcile(): Promise<void> {
  const w = await world(RECONCILE_SKUS);
  const e0 = w.ecwid.log.entries.length;
  const c0 = w.ccv.log.entries.length;
  const t0 = performance.now();
  const run = await w.gw.services.runs.runSync(w.workspaceId, w.integrationId, "STOCK_ECWID_TO_CCV", {});
  let final: SyncRunEntity;
  for (;;) {
    final = await w.gw.dataSource.manager.findOneByOrFail(SyncRunEntity, { id: run.id });
    if (["SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED"].includes(final.status)) break;
    await sleep(100);
  }
  const wall = performance.now() - t0;
  const e = w.ecwid.log.entries.slice(e0);
  const c = w.ccv.log.entries.slice(c0);
  const reads = (l: { method: string }[]) => l.filter((x) => x.method === "GET").length;
  console.log(
    `stock reconcile over ${RECONCILE_SKUS} unchanged SKUs: run ${final.status}, ${final.total} items`,
  );
  console.log(
    `  requests  Ecwid ${e.length} (${reads(e)} reads)  CCV ${c.length} (${reads(c)} reads)  → ${(((e.length + c.length) / RECONCILE_SKUS) * 1000).toFixed(1)} per 1 000 SKUs, ${e.length - reads(e) + c.length - reads(c)} writes (target 0)`,
  );
  console.log(`  wall time ${(wall / 1000).toFixed(1)} s`);
  await w.close();
}

async function main(): Promise<void> {
  if (process.env.BENCH_PART !== "reconcile") await latency();
  if (process.env.BENCH_PART !== "latency") await reconcile();
  await closeSharedAgents();
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
