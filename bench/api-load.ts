/**
 * The GraphQL API under load, on one gateway process: autocannon (programmatic, in a child process
 * so its CPU is not the gateway's) against
 *   1. a cheap query (`viewer`), and
 *   2. a warm `products(first: 50)` page (the catalogue snapshots already loaded),
 * with the sandboxes (in another child process) at the vendors' real rate limits. Prints
 * requests/s, p50/p99 latency, non-2xx/GraphQL errors, and upstream requests per page (cold and warm).
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/api-load.js
 *
 * Env: BENCH_SECONDS (15 per scenario), BENCH_CONNECTIONS (10), BENCH_PRODUCTS (300, in both
 * systems), DATABASE_URL (default: a temporary SQLite file).
 */
import "reflect-metadata";
import { fork, type ChildProcess } from "node:child_process";
import autocannon from "autocannon";
import { closeSharedAgents } from "../src/connectors/http/transport";
import { CcvSandbox } from "../src/sandbox/ccv-salespos/ccv.sandbox";
import { EcwidSandbox } from "../src/sandbox/ecwid/ecwid.sandbox";
import { startBenchGateway } from "./bench-gateway";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 300);

const CHEAP = "query Viewer { viewer { role workspace { id } } }";
const PRODUCTS_PAGE = `query ProductsPage($integrationId: ID!) {
  products(integrationId: $integrationId, first: 50) {
    pageInfo { hasNextPage endCursor }
    edges { node { sku name linked
      ecwid { id price { amount currency } quantity enabled }
      ccv { id price { amount currency } quantity enabled }
      differences { field before after }
      stock { ecwid ccv reserved computed inSync } } }
  }
}`;

interface Ready {
  type: "ready";
  ecwid: { url: string; storeId: number; token: string };
  ccv: { baseUrl: string; publicKey: string; secretKey: string };
}
interface Counts {
  type: "counts";
  ecwid: number;
  ccv: number;
}
interface LoadResult {
  type: "result";
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  graphqlErrors: number;
}

/** child "sandboxes": both vendors at their real limits, the same SKUs on both sides */
async function sandboxes(): Promise<void> {
  const ecwid = await EcwidSandbox.start({
    deliverWebhooks: false,
    seed: {
      products: Array.from({ length: PRODUCTS }, (_, i) => ({
        id: 800_000 + i,
        sku: `SKU-${String(i).padStart(5, "0")}`,
        name: `Product ${i}`,
        price: 10 + (i % 50),
        quantity: i % 17,
        unlimited: false,
        enabled: true,
      })),
    },
  });
  const ccv = await CcvSandbox.start({});
  const packageId = [...ccv.store.packages.keys()][0];
  for (let i = 0; i < PRODUCTS; i++) {
    ccv.store.products.create({
      package_id: packageId,
      name: `Product ${i}`,
      productnumber: `SKU-${String(i).padStart(5, "0")}`,
      price: 10 + (i % 50),
      discount: 0,
      taxtariff: "normal",
      stockenabled: true,
      stock: i % 13,
    });
  }
  const ready: Ready = {
    type: "ready",
    ecwid: { url: ecwid.url, storeId: ecwid.storeId, token: ecwid.token },
    ccv: { baseUrl: ccv.baseUrl, publicKey: ccv.publicKey, secretKey: ccv.secretKey },
  };
  process.send!(ready);
  process.on("message", (m: { type: string }) => {
    if (m.type === "counts")
      process.send!({ type: "counts", ecwid: ecwid.log.entries.length, ccv: ccv.log.entries.length });
  });
}

/** child "load": one autocannon scenario; counts GraphQL errors in the answers too */
async function load(): Promise<void> {
  const { url, key, body } = JSON.parse(process.argv[3]) as { url: string; key: string; body: string };
  let graphqlErrors = 0;
  const r = await autocannon({
    url: `${url}/graphql`,
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body,
    connections: CONNECTIONS,
    duration: SECONDS,
    setupClient: (client) => {
      client.on("body", (b: Buffer) => {
        if (b.includes('"errors"')) graphqlErrors++;
      });
    },
  });
  const out: LoadResult = {
    type: "result",
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    graphqlErrors,
  };
  process.send!(out);
}

const next = <T>(p: ChildProcess) => new Promise<T>((resolve) => p.once("message", (m) => resolve(m as T)));

async function scenario(url: string, key: string, query: string, variables: object): Promise<LoadResult> {
  const body = JSON.stringify({ query, variables });
  const p = fork(__filename, ["load", JSON.stringify({ url, key, body })], { stdio: "inherit" });
  const r = await next<LoadResult>(p);
  p.kill();
  return r;
}

async function main(): Promise<void> {
  const sb = fork(__filename, ["sandboxes"], { stdio: "inherit" });
  const ready = await next<Ready>(sb);
  const counts = async () => {
    sb.send({ type: "counts" });
    const c = await next<Counts>(sb);
    return c.ecwid + c.ccv;
  };
  const { gw, remove } = await startBenchGateway({ GATEWAY_ALLOW_LOCAL_UPSTREAMS: "true" });
  const s = gw.services;
  const { workspace, adminKey } = await s.tenancy.createWorkspace("bench");
  const integration = await s.integrations.create(
    workspace.id,
    "bench",
    { storeId: ready.ecwid.storeId, token: ready.ecwid.token, apiBaseUrl: ready.ecwid.url },
    { baseUrl: ready.ccv.baseUrl, publicKey: ready.ccv.publicKey, secretKey: ready.ccv.secretKey },
  );
  const key = adminKey.secret;
  const vars = { integrationId: integration.id };

  // the cold page: what the first reader pays (the catalogue snapshots of both systems)
  const before = await counts();
  const t0 = process.hrtime.bigint();
  const first = await fetch(`${gw.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: PRODUCTS_PAGE, variables: vars }),
  });
  const page = (await first.json()) as { data?: { products: { edges: unknown[] } }; errors?: unknown };
  const coldMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!page.data) throw new Error(`products page failed: ${JSON.stringify(page.errors)}`);
  const cold = (await counts()) - before;

  const cpu0 = process.cpuUsage();
  const cheap = await scenario(gw.url, key, CHEAP, {});
  const cpuCheap = process.cpuUsage(cpu0);
  const warmBefore = await counts();
  const cpu1 = process.cpuUsage();
  const warm = await scenario(gw.url, key, PRODUCTS_PAGE, vars);
  const cpuWarm = process.cpuUsage(cpu1);
  const warmUpstream = (await counts()) - warmBefore;

  await gw.close();
  await closeSharedAgents();
  sb.kill();
  remove();

  const cpuPer = (c: NodeJS.CpuUsage, n: number) => ((c.user + c.system) / 1000 / Math.max(1, n)).toFixed(2);
  const line = (name: string, r: LoadResult, cpu: NodeJS.CpuUsage) =>
    `  ${name.padEnd(26)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(
      r.p99,
    ).padStart(
      4,
    )} ms   ${r.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.graphqlErrors} GraphQL errors, gateway CPU ${cpuPer(cpu, r.total)} ms/request`;
  console.log(
    `api-load (${gw.config.database.kind}, ${CONNECTIONS} connections, ${SECONDS} s each, ${PRODUCTS} products per system, vendor limits on):`,
  );
  console.log(line("cheap query (viewer)", cheap, cpuCheap));
  console.log(line("warm products(first: 50)", warm, cpuWarm));
  console.log(
    `  upstream requests per page: cold ${cold} (first page, ${coldMs.toFixed(0)} ms), warm ${(warmUpstream / Math.max(1, warm.total)).toFixed(3)} (${warmUpstream} over ${warm.total} pages)`,
  );
}

const role = process.argv[2];
const entry = role === "sandboxes" ? sandboxes : role === "load" ? load : main;
void entry().catch((e) => {
  console.error(e);
  process.exit(1);
});
