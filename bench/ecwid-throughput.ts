/**
 * Ecwid connector throughput against the sandbox's per-token rate limit.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/ecwid-throughput.js
 *
 * Env: BENCH_LIMIT_PER_MIN (default 600, Ecwid's limit), BENCH_SECONDS (default 60),
 * BENCH_WORKERS (default 8 concurrent callers). The ratio is scale-invariant, so a run can be
 * shortened by scaling the limit up (e.g. BENCH_LIMIT_PER_MIN=6000 BENCH_SECONDS=20).
 *
 * The sandbox runs in a child process (this same file with `--sandbox`), so `process.cpuUsage()`
 * in this process measures the client side only: the connector, undici and this loop. Prints the
 * requests sent, the 429s among them, the sustained rate of successful requests as a ratio of the
 * limit (target ≥ 0.9 with ≤ 1 % 429s) and the client's CPU time per request.
 */
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { performance } from "node:perf_hooks";
import { EcwidClient } from "../src/connectors/ecwid/ecwid.client";
import { LOCAL_UPSTREAMS } from "../src/connectors/http/upstream-guard";
import {
  AuthCircuit,
  closeSharedAgents,
  SharedRateBudget,
  type RequestObservation,
} from "../src/connectors/http";
import { ECWID_FIXTURE_SEED } from "../src/sandbox/ecwid/ecwid.fixtures";
import { EcwidSandbox } from "../src/sandbox/ecwid/ecwid.sandbox";

interface Ready {
  url: string;
  token: string;
  storeId: number;
  productIds: number[];
}

interface SandboxStats {
  requests: number;
  limited: number;
}

const envInt = (name: string, def: number): number => {
  const v = process.env[name];
  if (v === undefined || v === "") return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, not ${v}`);
  return n;
};

/** Child: the sandbox, seeded with the §14 store plus 200 products; answers "stop" with its own counts. */
async function runSandbox(): Promise<void> {
  const limit = envInt("BENCH_LIMIT_PER_MIN", 600);
  const sb = await EcwidSandbox.start({
    rateLimitPerMinute: limit,
    seed: ECWID_FIXTURE_SEED,
    deliverWebhooks: false,
  });
  const productIds: number[] = [];
  for (let i = 0; i < 200; i++) {
    const id = 800_000_000 + i;
    sb.store.seedProduct({
      id,
      sku: `BENCH-${i}`,
      name: `Bench product ${i}`,
      price: 10 + i,
      quantity: 1_000,
      unlimited: false,
    });
    productIds.push(id);
  }
  process.on("message", async (m) => {
    if (m !== "stop") return;
    const entries = sb.log.entries;
    const stats: SandboxStats = {
      requests: entries.length,
      limited: entries.filter((e) => e.status === 429).length,
    };
    await sb.stop();
    process.send?.(stats, () => process.exit(0));
  });
  const ready: Ready = { url: sb.url, token: sb.token, storeId: sb.storeId, productIds };
  process.send?.(ready);
}

/** One caller: a read-heavy mix with some stock writes, as a sync run does. */
async function worker(
  client: EcwidClient,
  productIds: number[],
  deadline: number,
  seed: number,
): Promise<number> {
  let calls = 0;
  let i = seed;
  while (performance.now() < deadline) {
    const pick = i % 10;
    const pid = productIds[(i * 7919) % productIds.length];
    if (pick < 6) await client.getProduct(pid);
    else if (pick < 8) await client.searchProducts({}, { offset: (i % 3) * 100 });
    else if (pick < 9) await client.getOrder("XJ12H");
    else await client.adjustProductQuantity(pid, i % 2 === 0 ? -1 : 1);
    calls += 1;
    i += 1;
  }
  return calls;
}

async function main(): Promise<void> {
  const limit = envInt("BENCH_LIMIT_PER_MIN", 600);
  const seconds = envInt("BENCH_SECONDS", 60);
  const workers = envInt("BENCH_WORKERS", 8);
  const child: ChildProcess = fork(__filename, ["--sandbox"], {
    env: process.env,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [ready] = (await once(child, "message")) as [Ready];

  const statuses = new Map<string, number>();
  const observe = (o: RequestObservation) =>
    statuses.set(String(o.status), (statuses.get(String(o.status)) ?? 0) + 1);
  const client = new EcwidClient(
    { storeId: ready.storeId, token: ready.token, apiBaseUrl: ready.url },
    {
      budget: new SharedRateBudget(),
      circuit: new AuthCircuit(),
      observe,
      transport: { upstreams: LOCAL_UPSTREAMS },
    },
    { requestsPerMinute: limit },
  );

  console.log(
    `Ecwid throughput: limit ${limit}/min per token, ${seconds} s, ${workers} workers (sandbox pid ${child.pid})`,
  );
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  const calls = (
    await Promise.all(
      Array.from({ length: workers }, (_, w) => worker(client, ready.productIds, deadline, w)),
    )
  ).reduce((a, b) => a + b, 0);
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);

  child.send("stop");
  const [server] = (await once(child, "message")) as [SandboxStats];
  await closeSharedAgents();

  const sent = [...statuses.values()].reduce((a, b) => a + b, 0);
  const ok = statuses.get("200") ?? 0;
  const limited = statuses.get("429") ?? 0;
  const perMinute = ok / (elapsedMs / 60_000);
  const ratio = perMinute / limit;
  const cpuMsPerRequest = (cpu.user + cpu.system) / 1000 / Math.max(1, sent);
  const rows: [string, string][] = [
    ["calls completed", String(calls)],
    ["requests sent (client)", String(sent)],
    ["requests seen (sandbox)", String(server.requests)],
    [
      "429 answers",
      `${limited} (${((100 * limited) / Math.max(1, sent)).toFixed(2)} %; sandbox counted ${server.limited})`,
    ],
    ["elapsed", `${(elapsedMs / 1000).toFixed(1)} s`],
    ["sustained rate (200s)", `${perMinute.toFixed(1)}/min`],
    ["rate / limit", ratio.toFixed(3)],
    [
      "client CPU per request",
      `${cpuMsPerRequest.toFixed(3)} ms (user ${(cpu.user / 1000).toFixed(0)} ms + system ${(cpu.system / 1000).toFixed(0)} ms)`,
    ],
  ];
  for (const [k, v] of rows) console.log(`  ${k.padEnd(26)} ${v}`);
  const pass = ratio >= 0.9 && limited <= 0.01 * sent;
  console.log(
    pass ? "  target met: ratio ≥ 0.9 with ≤ 1 % 429s" : "  target MISSED: ratio ≥ 0.9 with ≤ 1 % 429s",
  );
  process.exitCode = pass ? 0 : 1;
}

if (process.argv.includes("--sandbox")) {
  runSandbox().catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
