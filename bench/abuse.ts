/**
 * Abuse against one gateway process while a normal client polls it (issue 9 acceptance): the
 * normal client's p99 latency without abuse, then with three attackers at once — anonymous 2 MB
 * documents, a VIEWER key sending 200 aliases of products(first: 100), and previews of a mapping
 * whose expression is a catastrophic regular expression — and the ratio (target ≤ 2).
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/abuse.js
 *
 * Three processes: the gateway (with both sandboxes), the attackers (at the lowest CPU priority:
 * real attackers do not share the gateway's machine), and this one, the normal client (its admin
 * key and the attackers' keys have separate rate budgets). The
 * gateway runs with its default per-key rate limits; BENCH_RATE_LIMITS=off switches them off, so
 * that every attack reaches the limit it is about (body size, aliases/cost, the expression
 * worker's hard limit) instead of a 429. Env: BENCH_SECONDS (20 per phase: a p99 over ~750 requests), BENCH_POLL_MS (20),
 * BENCH_ATTACKS (huge,aliases,slow: a subset runs only those).
 */
import "reflect-metadata";
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { silentLogger } from "../src/common/logger";
import { loadConfig } from "../src/config/config";
import { CcvSandbox } from "../src/sandbox/ccv-salespos/ccv.sandbox";
import { EcwidSandbox } from "../src/sandbox/ecwid/ecwid.sandbox";
import { startGateway } from "../src/server/app";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 20);
/** BENCH_RATE_LIMITS=off: per-key rate limits off, so every attack reaches the limit it is about */
const RATE_LIMITS = process.env.BENCH_RATE_LIMITS !== "off";
/** which attacks run (all three by default): huge, aliases, slow */
const ATTACKS = (process.env.BENCH_ATTACKS ?? "huge,aliases,slow").split(",");

interface Ready {
  type: "ready";
  url: string;
  admin: string;
  viewer: string;
  integrationId: string;
}

/** no request of the bench may hang it: every one gives up after this long */
const REQUEST_TIMEOUT_MS = 35_000;

async function post(url: string, body: string, key?: string): Promise<number> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  await res.arrayBuffer();
  return res.status;
}
const q = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, variables });

/** the gateway process: sandboxes, a gateway, a workspace with an integration and a slow mapping */
async function server(): Promise<void> {
  const ecwid = await EcwidSandbox.start({
    deliverWebhooks: false,
    seed: { categories: [{ id: 501, name: "Mugs", orderBy: 10, enabled: true }] },
  });
  const ccv = await CcvSandbox.start({});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-abuse-"));
  const adminToken = `gwadmin_${randomBytes(24).toString("base64url")}`;
  const gw = await startGateway(
    loadConfig({
      PORT: "0",
      DATABASE_URL: `sqlite:${path.join(dir, "bench.sqlite")}`,
      GATEWAY_ADMIN_TOKEN: adminToken,
      GATEWAY_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      GATEWAY_DATA_DIR: dir,
      LOG_LEVEL: "silent",
      GATEWAY_ALLOW_LOCAL_UPSTREAMS: "true",
      ...(RATE_LIMITS
        ? // the normal client (an ADMIN key polling every 20 ms) must not meet its own budget in long phases
          { RATE_LIMIT_ADMIN_PER_MINUTE: "100000" }
        : {
            RATE_LIMIT_ADMIN_PER_MINUTE: "0",
            RATE_LIMIT_OPERATOR_PER_MINUTE: "0",
            RATE_LIMIT_VIEWER_PER_MINUTE: "0",
            RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0",
          }),
    }),
    { logger: silentLogger },
  );
  const call = async (query: string, key: string, variables?: Record<string, unknown>) => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: q(query, variables),
    });
    const j = (await res.json()) as { data?: unknown; errors?: unknown[] };
    if (j.errors) throw new Error(JSON.stringify(j.errors));
    return j.data as unknown;
  };
  const ws = await call(`mutation { createWorkspace(name: "abuse") { adminKey { secret } } }`, adminToken);
  const admin = (ws as { createWorkspace: { adminKey: { secret: string } } }).createWorkspace.adminKey.secret;
  const viewer = (
    (await call(`mutation { createApiKey(name: "leaked", role: VIEWER) { secret } }`, admin)) as {
      createApiKey: { secret: string };
    }
  ).createApiKey.secret;
  const integ = (await call(
    `mutation($i: CreateIntegrationInput!) { createIntegration(input: $i) { id } }`,
    admin,
    {
      i: {
        name: "abuse",
        ecwid: { storeId: ecwid.storeId, token: ecwid.token, apiBaseUrl: ecwid.url },
        ccv: { baseUrl: ccv.baseUrl, publicKey: ccv.publicKey, secretKey: ccv.secretKey },
      },
    },
  )) as { createIntegration: { id: string } };
  const integrationId = integ.createIntegration.id;
  await call(
    `mutation($id: ID!, $m: [FieldMappingInput!]!) { setFieldMappings(integrationId: $id, flow: CATEGORIES_ECWID_TO_CCV, mappings: $m) { kind } }`,
    admin,
    {
      id: integrationId,
      m: [{ target: "description", expression: `$match("${"a".repeat(34)}!", /(a+)+$/)`, policy: "ALWAYS" }],
    },
  );
  // a clean exit, so that a CPU profile (BENCH_PROF) is written
  process.on("SIGTERM", () => process.exit(0));
  const ready: Ready = { type: "ready", url: gw.url, admin, viewer, integrationId };
  process.send!(ready);
  process.on("message", () => {
    const cpu = process.cpuUsage();
    process.send!({ type: "cpu", ms: (cpu.user + cpu.system) / 1000 });
  });
}

const p99 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))];
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** the normal client: a dashboard query, one after the other, every POLL_MS */
async function poll(r: Ready, until: number): Promise<number[]> {
  const out: number[] = [];
  const body = q(
    `query Integrations { integrations { id name ecwid { status } ccv { status } flows { kind enabled } } }`,
  );
  while (performance.now() < until) {
    const t0 = performance.now();
    const status = await post(r.url, body, r.admin);
    if (status !== 200) throw new Error(`the normal client got HTTP ${status}`);
    out.push(performance.now() - t0);
    await sleep(POLL_MS);
  }
  return out;
}

type Counts = Record<"huge" | "aliases" | "slow", Record<string, number>>;

/** the attackers, in a process of their own (building and sending 2 MB bodies costs CPU too) */
async function attackers(): Promise<void> {
  const r = await new Promise<Ready>((resolve) => process.once("message", (m) => resolve(m as Ready)));
  const huge = q(`{ ${"viewer { role } ".repeat(130_000)} }`);
  const aliases = q(
    `{ ${Array.from({ length: 200 }, (_, i) => `p${i}: products(integrationId: "${r.integrationId}", first: 100) { edges { node { sku } } }`).join(" ")} }`,
  );
  const preview = q(
    `{ previewMapping(integrationId: "${r.integrationId}", flow: CATEGORIES_ECWID_TO_CCV, sourceId: "501") { errors } }`,
  );
  const counts: Counts = { huge: {}, aliases: {}, slow: {} };
  let stop = false;
  process.once("message", () => {
    stop = true;
  });
  const attacker = async (what: keyof Counts, body: string, key?: string) => {
    while (!stop) {
      const s = await post(r.url, body, key).catch(() => -1);
      counts[what][s] = (counts[what][s] ?? 0) + 1;
    }
  };
  const on = (what: string) => ATTACKS.includes(what);
  process.send!({ type: "started" });
  await Promise.all([
    ...Array.from({ length: on("huge") ? 4 : 0 }, () => attacker("huge", huge)),
    ...Array.from({ length: on("aliases") ? 4 : 0 }, () => attacker("aliases", aliases, r.viewer)),
    ...Array.from({ length: on("slow") ? 2 : 0 }, () => attacker("slow", preview, r.viewer)),
  ]);
  process.send!({ type: "counts", counts });
}

/** the child processes, killed whatever way this process ends (a failed poll must not leave them running) */
const children: ChildProcess[] = [];
process.on("exit", () => {
  for (const c of children) c.kill("SIGKILL");
});

async function main(): Promise<void> {
  const child = fork(__filename, ["server"], {
    stdio: "inherit",
    execArgv: process.env.BENCH_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [],
  });
  children.push(child);
  const r = await new Promise<Ready>((resolve) => child.once("message", (m) => resolve(m as Ready)));

  const gatewayCpu = () =>
    new Promise<number>((resolve) => {
      child.once("message", (m) => resolve((m as { ms: number }).ms));
      child.send({ type: "cpu" });
    });
  await poll(r, performance.now() + 2_000); // warm-up
  const c0 = await gatewayCpu();
  const base = await poll(r, performance.now() + SECONDS * 1000);
  const c1 = await gatewayCpu();

  const att = fork(__filename, ["attackers"], { stdio: "inherit" });
  children.push(att);
  // Real attackers do not run on the gateway's machine: their own CPU (building and sending 2 MB
  // bodies in a loop) runs at the lowest priority here, so it does not starve the gateway.
  os.setPriority(att.pid!, 19);
  const started = new Promise((resolve) => att.once("message", resolve));
  att.send(r);
  await started;
  const abused = await poll(r, performance.now() + SECONDS * 1000);
  const c2 = await gatewayCpu();
  const done = new Promise<{ counts: Counts }>((resolve) => att.once("message", (m) => resolve(m as never)));
  att.send({ type: "stop" });
  // the attackers finish the requests they have in flight (each gives up after REQUEST_TIMEOUT_MS)
  const counts = await Promise.race([
    done.then((d) => d.counts),
    sleep(REQUEST_TIMEOUT_MS + 5_000).then(() => null),
  ]);
  att.kill("SIGKILL");
  // SIGTERM: the gateway exits cleanly (and writes its CPU profile under BENCH_PROF)
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill();
  await Promise.race([exited, sleep(10_000)]);

  const b = p99(base);
  const a = p99(abused);
  const fmt = (m: Record<string, number> | undefined) =>
    Object.entries(m ?? {})
      .map(([s, n]) => `${n}×${s}`)
      .join(" ") || "-";
  console.log(
    `abuse: ${SECONDS} s per phase, normal client polling every ${POLL_MS} ms, per-key rate limits ${RATE_LIMITS ? "on (defaults)" : "off"}`,
  );
  console.log(
    `  attacks answered (count×HTTP status): 2 MB documents ${fmt(counts?.huge)}; 200 aliases ${fmt(counts?.aliases)}; slow expression previews ${fmt(counts?.slow)}${counts ? "" : " (the attackers did not report: killed)"}`,
  );
  console.log(`  normal client p99 without abuse: ${b.toFixed(1)} ms (${base.length} requests)`);
  console.log(`  normal client p99 under abuse:   ${a.toFixed(1)} ms (${abused.length} requests)`);
  console.log(`  ratio: ${(a / b).toFixed(2)} (target ≤ 2)`);
  console.log(
    `  gateway process CPU: ${((c1 - c0) / SECONDS / 10).toFixed(1)} % of a core without abuse, ${((c2 - c1) / SECONDS / 10).toFixed(1)} % under abuse (worker threads included); machine load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores`,
  );
}

if (process.argv[2] === "server") void server();
else if (process.argv[2] === "attackers") void attackers();
else
  void main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
