/**
 * A first catalogue load, PRODUCTS_ECWID_TO_CCV: BENCH_PRODUCTS Ecwid products (default 1 000; the
 * estimate is for BENCH_TARGET_PRODUCTS, default 10 000) with 3 variants each, against both sandboxes (in a child process) at their real rate limits
 * multiplied by one time factor (BENCH_TIME_FACTOR, default 50: a minute of the vendors' limits
 * passes in 1.2 s; at 100 this 2-core machine's CPU, not the limits, bounds the run). Then a second,
 * unchanged run.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/catalog-sync.js
 *
 * Prints per vendor lane (Ecwid: all requests of the token; CCV: each operation on its own, CCV §4.4)
 * the achieved rate as a ratio of its (scaled) limit (target ≥ 0.9 on the
 * busiest lane), upstream requests per product, the gateway's CPU per product (target < 5 ms), the
 * wall time a real first load would take at the real limits, next to the ideal those limits allow
 * (the busiest lane's requests ÷ its limit), and what the unchanged second run cost.
 * Env: BENCH_PRODUCTS, BENCH_TIME_FACTOR, BENCH_TIMEOUT_S (stop and report after, default 600),
 * DATABASE_URL (default: a temporary SQLite file).
 */
import "reflect-metadata";
import { fork } from "node:child_process";
import { CCV_RATE_LIMITS } from "../src/connectors/ccv-salespos/ccv.vendor-facts";
import { ECWID_RATE_LIMIT_PER_MINUTE } from "../src/connectors/ecwid/ecwid.vendor-facts";
import { closeSharedAgents } from "../src/connectors/http/transport";
import type { EcwidProduct } from "../src/connectors/ecwid";
import { SyncRunEntity } from "../src/db/entities/sync-run.entity";
import { ccvLane, ccvLaneLimit } from "../src/connectors/ccv-salespos/ccv.lanes";
import { CcvSandbox } from "../src/sandbox/ccv-salespos/ccv.sandbox";
import { EcwidSandbox } from "../src/sandbox/ecwid/ecwid.sandbox";
import { PRODUCT_ITEMS_IN_FLIGHT } from "../src/sync/flows/products/catalog-writes";
import { startBenchGateway, StatementCounter } from "./bench-gateway";
import { pacedRequestFloorUs, steadyIdleCpuPerMs } from "./cpu-floor";

/** products in the sandbox (a full 10 000 takes the gateway minutes of CPU: too long for a shared bench) */
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 1_000);
/** the catalogue the wall-time estimate is for */
const TARGET = Number(process.env.BENCH_TARGET_PRODUCTS ?? 10_000);
const FACTOR = Number(process.env.BENCH_TIME_FACTOR ?? 50);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 600);
const SIZES = ["S", "M", "L"];

const LIMITS = {
  ecwid: ECWID_RATE_LIMIT_PER_MINUTE,
  get: CCV_RATE_LIMITS.GET,
  write: CCV_RATE_LIMITS.WRITE,
  productqueries: CCV_RATE_LIMITS.PRODUCTQUERIES,
};
type Lane = keyof typeof LIMITS;

interface Ready {
  type: "ready";
  ecwid: { url: string; storeId: number; token: string };
  ccv: { baseUrl: string; publicKey: string; secretKey: string };
}
type Stats = Record<Lane, number> & {
  products: number;
  combinations: number;
  /** CCV requests per operation lane ("POST /products/{id}/productattributevalues"): CCV limits each on its own */
  ccvLanes: Record<string, number>;
};

function product(i: number): EcwidProduct {
  const sku = `BENCH-${i}`;
  return {
    id: 10_000_000 + i,
    sku,
    name: `Bench product ${i}`,
    price: 12.1,
    enabled: true,
    unlimited: true,
    tax: { taxable: true, enabledManualTaxes: [] },
    options: [{ type: "SIZE", name: "Size", choices: SIZES.map((text) => ({ text, priceModifier: 0 })) }],
    combinations: SIZES.map((s, j) => ({
      id: 20_000_000 + i * 3 + j,
      options: [{ name: "Size", value: s }],
      sku: `${sku}-${s}`,
      quantity: 5,
      unlimited: false,
    })),
  } as EcwidProduct;
}

async function child(): Promise<void> {
  // a clean exit on kill, so that a CPU profile (BENCH_CHILD_PROF) is written
  process.on("SIGTERM", () => process.exit(0));
  const ecwid = await EcwidSandbox.start({
    rateLimitPerMinute: LIMITS.ecwid * FACTOR,
    deliverWebhooks: false,
    seed: { products: Array.from({ length: PRODUCTS }, (_, i) => product(i)) },
  });
  const ccv = await CcvSandbox.start({
    limits: {
      get: LIMITS.get * FACTOR,
      write: LIMITS.write * FACTOR,
      productqueries: LIMITS.productqueries * FACTOR,
    },
  });
  const ready: Ready = {
    type: "ready",
    ecwid: { url: ecwid.url, storeId: ecwid.storeId, token: ecwid.token },
    ccv: { baseUrl: ccv.baseUrl, publicKey: ccv.publicKey, secretKey: ccv.secretKey },
  };
  process.send!(ready);
  process.on("message", (m: { type: string }) => {
    if (m.type !== "stats") return;
    const ccvEntries = ccv.log.entries;
    const stats: Stats = {
      ecwid: ecwid.log.entries.length,
      productqueries: ccvEntries.filter((e) => /productqueries/.test(e.path)).length,
      get: ccvEntries.filter((e) => e.method === "GET" && !/productqueries/.test(e.path)).length,
      write: ccvEntries.filter((e) => e.method !== "GET").length,
      ccvLanes: ccvEntries.reduce<Record<string, number>>((acc, e) => {
        const lane = ccvLane(e.method, e.path);
        acc[lane] = (acc[lane] ?? 0) + 1;
        return acc;
      }, {}),
      products: ccv.store.products.size,
      combinations: ccv.store.combinations.size,
    };
    process.send!({ type: "stats", stats });
  });
}

async function main(): Promise<void> {
  const proc = fork(__filename, ["child"], {
    stdio: "inherit",
    // BENCH_CHILD_PROF=<dir>: a CPU profile of the sandboxes (a slow sandbox must not pass for a slow gateway)
    execArgv: process.env.BENCH_CHILD_PROF
      ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CHILD_PROF}`]
      : [],
  });
  const ready = await new Promise<Ready>((resolve) => proc.once("message", (m) => resolve(m as Ready)));
  const stats = () =>
    new Promise<Stats>((resolve) => {
      proc.once("message", (m) => resolve((m as { stats: Stats }).stats));
      proc.send({ type: "stats" });
    });
  // database statements during a run (BENCH_SQL=1 lists them by shape)
  const statements = new StatementCounter();
  const { gw, remove } = await startBenchGateway(
    { WORKER_CONCURRENCY: "1" },
    {
      onQuery: statements.onQuery,
      engine: {
        connectors: {
          ecwid: { requestsPerMinute: LIMITS.ecwid * FACTOR },
          ccv: {
            laneLimits: {
              get: LIMITS.get * FACTOR,
              write: LIMITS.write * FACTOR,
              productqueries: LIMITS.productqueries * FACTOR,
            },
          },
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
  await s.flows.configure(workspace.id, integration.id, "PRODUCTS_ECWID_TO_CCV", { enabled: true });
  await s.flows.setValueMappings(workspace.id, integration.id, "TAX_RATE", [{ from: "21", to: "normal" }]);

  // what the idle gateway spends (queue polling, scheduler), taken off the runs' CPU
  const idleCpuPerMs = await steadyIdleCpuPerMs();
  const runOnce = async (label: string, first: boolean) => {
    const before = await stats();
    statements.reset();
    statements.on = true;
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const run = await s.runs.runSync(workspace.id, integration.id, "PRODUCTS_ECWID_TO_CCV", {});
    let final: SyncRunEntity;
    const deadline = Date.now() + TIMEOUT_S * 1000;
    for (;;) {
      final = (await gw.dataSource.manager.findOneByOrFail(SyncRunEntity, { id: run.id }))!;
      if (["SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED"].includes(final.status)) break;
      if (Date.now() > deadline) {
        await s.runs.cancelRun(workspace.id, run.id).catch(() => undefined);
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    statements.on = false;
    const after = await stats();
    const n = Math.max(1, final.total);
    const used = Object.fromEntries(
      (Object.keys(LIMITS) as Lane[]).map((l) => [l, after[l] - before[l]]),
    ) as Record<Lane, number>;
    console.log(
      `${label}: ${final.total} of ${PRODUCTS} products in ${wallS.toFixed(1)} s, status ${final.status} ` +
        `(${final.created} created, ${final.updated} updated, ${final.skipped} skipped, ${final.failed} failed); ` +
        `CCV now has ${after.products} products, ${after.combinations} combinations`,
    );
    // Ecwid limits all requests of a token together; CCV each operation on its own (CCV §4.4)
    const lanes: [string, number, number][] = [["Ecwid (all requests)", used.ecwid, LIMITS.ecwid]];
    for (const [lane, count] of Object.entries(after.ccvLanes)) {
      const c = count - (before.ccvLanes[lane] ?? 0);
      if (c > 0) lanes.push([`CCV ${lane}`, c, ccvLaneLimit(lane)]);
    }
    lanes.sort((a, b) => b[1] / b[2] - a[1] / a[2]);
    for (const [lane, c, limit] of lanes) {
      const ratio = ((c / wallS) * 60) / (limit * FACTOR);
      console.log(
        `  ${lane.padEnd(50)} ${String(c).padStart(7)} requests  ${(c / n).toFixed(2)}/product  ` +
          (first ? `${ratio.toFixed(3)} of its ${limit}/min` : ""),
      );
    }
    const [busiest, busiestCount, busiestLimit] = lanes[0];
    const total = Object.values(used).reduce((a, b) => a + b, 0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    console.log(`  upstream requests/product ${(total / n).toFixed(2)}`);
    console.log(
      `  DB statements/product     ${(statements.count / n).toFixed(1)} (the queue's and the bench's polling included)`,
    );
    statements.print(n);
    const busyMs = Math.max(0, cpuMs - idleCpuPerMs * wallS * 1000);
    console.log(
      `  gateway CPU per product   ${(busyMs / n).toFixed(2)} ms excluding idle (target < 5 ms); ${(cpuMs / n).toFixed(2)} ms raw; idle ${(idleCpuPerMs * 1000).toFixed(1)} ms CPU/s (steady)`,
    );
    if (first) {
      // the floor: a bare client's CPU for the same upstream requests at the same pace (cpu-floor.ts)
      const rate = total / wallS;
      const floorUs = await pacedRequestFloorUs(
        rate,
        Math.min(1_000, total),
        PRODUCT_ITEMS_IN_FLIGHT,
        idleCpuPerMs,
      );
      const floorMs = (floorUs * (total / n)) / 1000;
      console.log(
        `  of it, the machine's floor ${floorMs.toFixed(2)} ms: ${(total / n).toFixed(2)} upstream requests per product at ` +
          `${rate.toFixed(0)}/s, where a bare undici client spends ${(floorUs / 1000).toFixed(3)} ms CPU per request; ` +
          `the gateway's own work ${Math.max(0, busyMs / n - floorMs).toFixed(2)} ms per product`,
      );
    }
    if (first) {
      const idealMin = ((busiestCount / n) * TARGET) / busiestLimit;
      const realMin = (wallS * FACTOR * (TARGET / n)) / 60;
      console.log(
        `  busiest lane ${busiest}: a real first load of ${TARGET} products takes ≈ ${realMin.toFixed(0)} min ` +
          `(${(realMin / 60).toFixed(1)} h) at this pace; the limits allow ${idealMin.toFixed(0)} min ` +
          `(ratio ${(idealMin / realMin).toFixed(3)}, target ≥ 0.9)`,
      );
    }
    return final;
  };

  await runOnce("first load", true);
  await runOnce("second, unchanged run", false);
  await gw.close();
  await closeSharedAgents();
  proc.kill();
  remove();
}

if (process.argv[2] === "child") void child();
else
  void main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
