/**
 * CCV SalesPOS write throughput against the sandbox's per-operation limits.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/ccv-throughput.js
 *
 * The sandbox runs in a child process, so the CPU time measured here is the connector's (signing,
 * response verification, budget, JSON). Writes are driven on several lanes at once, each with a few
 * concurrent workers, through one CcvClient and the real SharedRateBudget. Prints, per lane, the
 * sustained writes per minute divided by the lane's limit (target ≥ 0.9), the 429 answers seen,
 * and the connector's CPU time per request.
 *
 * Env: BENCH_SECONDS (default 20) — run length; BENCH_SCALE (default 10) — multiplies CCV's limits
 * (write 100/min → 1000/min) on both sides to shorten the run: the ratio is scale-invariant;
 * BENCH_WORKERS (default 4) — concurrent callers per lane.
 */
import { fork, type ChildProcess } from "node:child_process";
import { CcvClient } from "../src/connectors/ccv-salespos/ccv.client";
import { CCV_RATE_LIMITS } from "../src/connectors/ccv-salespos/ccv.vendor-facts";
import { AuthCircuit } from "../src/connectors/http/auth-circuit";
import { SharedRateBudget } from "../src/connectors/http/rate-budget";
import { closeSharedAgents, type RequestObservation } from "../src/connectors/http/transport";
import { LOCAL_UPSTREAMS } from "../src/connectors/http/upstream-guard";
import { CcvSandbox } from "../src/sandbox/ccv-salespos/ccv.sandbox";

interface Ready {
  type: "ready";
  baseUrl: string;
  publicKey: string;
  secretKey: string;
  productId: number;
  combinationId: number;
  categoryId: number;
}
interface Stats {
  type: "stats";
  byLaneStatus: Record<string, Record<string, number>>;
  cpuMicros: number;
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const SCALE = Number(process.env.BENCH_SCALE ?? 10);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
const limits = {
  get: CCV_RATE_LIMITS.GET * SCALE,
  write: CCV_RATE_LIMITS.WRITE * SCALE,
  productqueries: CCV_RATE_LIMITS.PRODUCTQUERIES * SCALE,
};

// ---------------------------------------------------------------------------------------------
// child: the sandbox

async function runSandbox(): Promise<void> {
  const cpu0 = process.cpuUsage();
  const sb = await CcvSandbox.start({ limits });
  const product = sb.store.seedProduct({ name: "Bench", stockenabled: true, stock: 0 });
  const attribute = sb.store.createAttribute({ name: "Maat", type: "option_menu_required" });
  const value = sb.store.createAttributeValue(attribute.id, { name: "M", default_price: 0 });
  sb.store.createProductAttributeValue(product.id, { optionvalue: value.id, price: 0 });
  const category = sb.store.createCategory({ name: "Bench" });
  const ready: Ready = {
    type: "ready",
    ...sb.connection,
    productId: product.id,
    combinationId: sb.store.combinationsOf(product.id)[0].id,
    categoryId: category.id,
  };
  process.send?.(ready);
  process.on("message", async (m: { type: string }) => {
    if (m.type !== "stats") return;
    const byLaneStatus: Stats["byLaneStatus"] = {};
    for (const e of sb.log.entries) {
      const lane = `${e.method} ${e.path.replace(/^\/api\/rest\/v1/, "").replace(/\/\d+/g, "/{id}")}`;
      byLaneStatus[lane] ??= {};
      const k = String(e.status ?? "none");
      byLaneStatus[lane][k] = (byLaneStatus[lane][k] ?? 0) + 1;
    }
    const cpu = process.cpuUsage(cpu0);
    const stats: Stats = { type: "stats", byLaneStatus, cpuMicros: cpu.user + cpu.system };
    process.send?.(stats, () => {
      void sb.stop().then(() => process.exit(0));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// parent: the connector

function once<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type?: string }) => {
      if (m.type === type) {
        child.off("message", onMessage);
        resolve(m as T);
      }
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`sandbox process exited (${code})`)));
  });
}

async function runBench(): Promise<void> {
  const child = fork(__filename, ["--sandbox"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ready = await once<Ready>(child, "ready");

  const observed = new Map<string, { ok: number; limited: number; other: number }>();
  const observe = (o: RequestObservation) => {
    const s = observed.get(o.lane) ?? { ok: 0, limited: 0, other: 0 };
    if (o.status === 429) s.limited += 1;
    else if (typeof o.status === "number" && o.status < 300) s.ok += 1;
    else s.other += 1;
    observed.set(o.lane, s);
  };
  const client = new CcvClient(
    { baseUrl: ready.baseUrl, publicKey: ready.publicKey, secretKey: ready.secretKey },
    {
      budget: new SharedRateBudget(),
      circuit: new AuthCircuit(),
      observe,
      transport: { upstreams: LOCAL_UPSTREAMS },
    },
    { laneLimits: limits },
  );

  // three write lanes, driven concurrently
  let n = 0;
  const lanes: { lane: string; write: () => Promise<unknown> }[] = [
    { lane: "PATCH /products/{id}", write: () => client.setProductStock(ready.productId, ++n % 1000) },
    {
      lane: "PATCH /attributecombinations/{id}",
      write: () => client.setCombinationStock(ready.combinationId, ++n % 1000),
    },
    {
      lane: "PATCH /categories/{id}",
      write: () => client.updateCategory(ready.categoryId, { description: `run ${++n}` }),
    },
  ];
  const done = new Map<string, number>(lanes.map((l) => [l.lane, 0]));
  const failures: string[] = [];

  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    lanes.flatMap((l) =>
      Array.from({ length: WORKERS }, async () => {
        while (performance.now() < deadline) {
          try {
            await l.write();
            if (performance.now() <= deadline) done.set(l.lane, (done.get(l.lane) ?? 0) + 1);
          } catch (e) {
            failures.push(`${l.lane}: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
      }),
    ),
  );
  // only writes that finished inside the window are counted, over exactly the window
  const elapsedMin = (deadline - started) / 60_000;
  const cpu = process.cpuUsage(cpu0);

  child.send({ type: "stats" });
  const stats = await once<Stats>(child, "stats");
  await closeSharedAgents();

  const requests = [...observed.values()].reduce((s, x) => s + x.ok + x.limited + x.other, 0);
  const pad = (s: string | number, w: number) => String(s).padStart(w);
  console.log(
    `CCV write throughput — ${SECONDS} s, ${WORKERS} workers per lane, limits ×${SCALE} ` +
      `(write ${limits.write}/min, GET ${limits.get}/min), sandbox in a child process`,
  );
  console.log(
    `${"lane".padEnd(36)}${pad("writes", 8)}${pad("writes/min", 12)}${pad("limit/min", 11)}${pad("ratio", 8)}${pad("429s", 6)}`,
  );
  let worst = Infinity;
  for (const l of lanes) {
    const count = done.get(l.lane) ?? 0;
    const perMin = count / elapsedMin;
    const ratio = perMin / limits.write;
    worst = Math.min(worst, ratio);
    const limited = stats.byLaneStatus[l.lane]?.["429"] ?? 0;
    console.log(
      `${l.lane.padEnd(36)}${pad(count, 8)}${pad(perMin.toFixed(1), 12)}${pad(limits.write, 11)}${pad(ratio.toFixed(3), 8)}${pad(limited, 6)}`,
    );
  }
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    `connector CPU: ${(cpu.user / 1000).toFixed(0)} ms user + ${(cpu.system / 1000).toFixed(0)} ms system over ${requests} requests` +
      ` = ${((cpuMs * 1000) / Math.max(1, requests)).toFixed(0)} µs/request (sandbox process: ${(stats.cpuMicros / Math.max(1, requests)).toFixed(0)} µs/request)`,
  );
  console.log(`lowest ratio ${worst.toFixed(3)} (target ≥ 0.9): ${worst >= 0.9 ? "OK" : "BELOW TARGET"}`);
  if (failures.length > 0) console.log(`${failures.length} failed writes, first: ${failures[0]}`);
  process.exitCode = worst >= 0.9 && failures.length === 0 ? 0 : 1;
}

if (process.argv.includes("--sandbox")) {
  void runSandbox();
} else {
  runBench().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
