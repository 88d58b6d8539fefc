/**
 * Order throughput of the two order flows against the sandboxes at the vendors' REAL limits, scaled
 * together by a time factor (issue 10 acceptance):
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/orders-throughput.js
 *
 * ORDERS_ECWID_TO_CCV: BENCH_ORDERS (400) PAID Ecwid web orders of 3 lines each (a third of the
 * lines variants; half of the orders from a customer who ordered before) through one gateway to a
 * CCV sandbox with CCV's limits — 150 GET, 100 writes per operation, 30 GET /productqueries a
 * minute — where a "minute" lasts 60/BENCH_FACTOR seconds (the gateway's client is told the same
 * scaled limits). The catalogue index is built before the run ("warm"). Prints order POSTs a
 * minute as a ratio of the POST /orders lane limit (target ≥ 0.9), CCV GETs per order (≤ 1 once
 * the index is warm) by operation, the 429 share of all vendor requests (≤ 1 %), and the gateway's
 * CPU time per order (< 2 ms) with the CPU an idle gateway spends over the same time taken off.
 *
 * ORDERS_CCV_TO_ECWID: the same number of completed, paid POS sales (3 rows, a third variants,
 * half from returning customers) to an Ecwid sandbox at 600 requests a minute (scaled alike):
 * Ecwid order POSTs and all Ecwid requests a minute as ratios of that limit, GETs per order on both
 * sides, 429 share, CPU per order.
 *
 * The sandboxes run in a child process (their CPU is not the gateway's). Env: BENCH_ORDERS (400),
 * BENCH_FACTOR (8), BENCH_FLOWS (`ecwid-to-ccv,ccv-to-ecwid`), DATABASE_URL (default: a temporary
 * SQLite file).
 */
import "reflect-metadata";
import { fork, type ChildProcess } from "node:child_process";
import { CCV_RATE_LIMITS } from "../src/connectors/ccv-salespos/ccv.vendor-facts";
import { ECWID_RATE_LIMIT_PER_MINUTE } from "../src/connectors/ecwid";
import { closeSharedAgents } from "../src/connectors/http/transport";
import { SyncRunEntity } from "../src/db/entities/sync-run.entity";
import type { LoggedRequest } from "../src/sandbox/common/sandbox-http";
import { CcvSandbox } from "../src/sandbox/ccv-salespos/ccv.sandbox";
import { EcwidSandbox } from "../src/sandbox/ecwid/ecwid.sandbox";
import { DbCatalogIndex } from "../src/sync/catalog/catalog-index";
import { ORDER_ITEMS_IN_FLIGHT } from "../src/sync/flows/orders/order-items";
import { startBenchGateway, StatementCounter } from "./bench-gateway";
import { pacedRequestFloorUs, steadyIdleCpuPerMs } from "./cpu-floor";

const ORDERS = Number(process.env.BENCH_ORDERS ?? 400);
const FACTOR = Number(process.env.BENCH_FACTOR ?? 8);
/** orders in flight per run (the flows' own setting unless BENCH_IN_FLIGHT caps it) */
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? ORDER_ITEMS_IN_FLIGHT);
const FLOWS = (process.env.BENCH_FLOWS ?? "ecwid-to-ccv,ccv-to-ecwid").split(",").map((s) => s.trim());
const SIMPLE = 60;
const VARIANT_PRODUCTS = 20;
const SIZES = ["S", "M", "L"];

const CCV_LIMITS = {
  get: CCV_RATE_LIMITS.GET,
  write: CCV_RATE_LIMITS.WRITE,
  productqueries: CCV_RATE_LIMITS.PRODUCTQUERIES,
};
const scaled = (perMinute: number) => perMinute * FACTOR;

type Scenario = "ecwid-to-ccv" | "ccv-to-ecwid";

interface Ready {
  type: "ready";
  ecwid: { url: string; storeId: number; token: string };
  ccv: { baseUrl: string; publicKey: string; secretKey: string };
}

interface Summary {
  /** "METHOD /template" → status → count */
  lanes: Record<string, Record<string, number>>;
  /** ms timestamps of the order POSTs */
  orderPosts: number[];
}
interface Stats {
  type: "stats";
  ecwid: Summary;
  ccv: Summary;
}

// ---------------------------------------------------------------------------------------------
// child: both sandboxes with one catalogue and the orders of the scenario

const simpleSku = (i: number) => `P-${String(i).padStart(3, "0")}`;
const variantSku = (i: number, size: string) => `V-${String(i).padStart(2, "0")}-${size}`;
const email = (i: number) => `customer${i < ORDERS / 2 ? i : i - Math.floor(ORDERS / 2)}@example.com`;

function summarize(entries: LoggedRequest[], orderPost: RegExp): Summary {
  const lanes: Summary["lanes"] = {};
  const orderPosts: number[] = [];
  for (const e of entries) {
    const template = e.path
      .replace(/^\/api\/rest\/v1/, "")
      .replace(/^\/api\/v3\/\d+/, "")
      .replace(/\/\d+/g, "/{id}");
    const lane = `${e.method} ${template}`;
    lanes[lane] ??= {};
    const k = String(e.status ?? "none");
    lanes[lane][k] = (lanes[lane][k] ?? 0) + 1;
    if (e.method === "POST" && orderPost.test(e.path) && e.status && e.status < 300) orderPosts.push(+e.at);
  }
  return { lanes, orderPosts };
}

async function child(scenario: Scenario): Promise<void> {
  const ecwidProducts = [
    ...Array.from({ length: SIMPLE }, (_, i) => ({
      id: 100_000 + i,
      sku: simpleSku(i),
      name: `Product ${i}`,
      price: 12.5,
      enabled: true,
      unlimited: true,
    })),
    ...Array.from({ length: VARIANT_PRODUCTS }, (_, i) => ({
      id: 200_000 + i,
      sku: `V-${String(i).padStart(2, "0")}`,
      name: `Variant product ${i}`,
      price: 12.5,
      enabled: true,
      unlimited: true,
      options: [{ type: "SELECT", name: "Size", choices: SIZES.map((text) => ({ text })) }],
      combinations: SIZES.map((size, j) => ({
        id: 300_000 + i * 10 + j,
        sku: variantSku(i, size),
        unlimited: true,
        options: [{ name: "Size", value: size }],
      })),
    })),
  ];
  const ecwid = await EcwidSandbox.start({
    rateLimitPerMinute: scaled(ECWID_RATE_LIMIT_PER_MINUTE),
    deliverWebhooks: false,
    seed: { products: ecwidProducts as never },
  });
  const ccv = await CcvSandbox.start({ limits: CCV_LIMITS, windowMs: 60_000 / FACTOR });
  const s = ccv.store;
  const ccvSimple = Array.from({ length: SIMPLE }, (_, i) =>
    s.seedProduct({ name: `Product ${i}`, productnumber: simpleSku(i), price: 12.5 }),
  );
  const size = s.createAttribute({ name: "Size", type: "option_menu_required" });
  const values = SIZES.map((name) => s.createAttributeValue(size.id, { name, default_price: 0 }));
  const ccvVariants = Array.from({ length: VARIANT_PRODUCTS }, (_, i) => {
    const p = s.seedProduct({
      name: `Variant product ${i}`,
      productnumber: `V-${String(i).padStart(2, "0")}`,
      price: 12.5,
    });
    for (const v of values) s.createProductAttributeValue(p.id, { optionvalue: v.id, price: 0 });
    const combos = SIZES.map((name, j) => {
      const c = s
        .combinationsOf(p.id)
        .find((x) =>
          x.pavIds.some((id) => s.getProductAttributeValue(id).attributevalue_id === values[j].id),
        )!;
      s.patchCombination(c.id, { sku_number: variantSku(i, name) });
      return c.id;
    });
    return { product: p, combos };
  });

  for (let i = 0; i < ORDERS; i++) {
    const simple = [simpleSku((i * 2) % SIMPLE), simpleSku((i * 2 + 1) % SIMPLE)];
    const vi = i % VARIANT_PRODUCTS;
    const vs = SIZES[i % SIZES.length];
    if (scenario === "ecwid-to-ccv") {
      const line = (sku: string, productId: number, combinationId?: number) => ({
        productId,
        ...(combinationId ? { combinationId } : {}),
        sku,
        name: `Product ${sku}`,
        quantity: 1,
        price: 12.5,
        tax: 2.17,
        taxes: [{ name: "BTW", value: 21, total: 2.17, includeInPrice: true }],
      });
      ecwid.store.createOrder({
        email: email(i),
        paymentStatus: "PAID",
        fulfillmentStatus: "AWAITING_PROCESSING",
        pricesIncludeTax: true,
        subtotal: 37.5,
        total: 37.5,
        tax: 6.51,
        items: [
          line(simple[0], 100_000 + ((i * 2) % SIMPLE)),
          line(simple[1], 100_000 + ((i * 2 + 1) % SIMPLE)),
          line(variantSku(vi, vs), 200_000 + vi, 300_000 + vi * 10 + (i % SIZES.length)),
        ],
        billingPerson: {
          name: `Customer ${email(i).split("@")[0]}`,
          street: "Dorpsstraat 12",
          city: "Utrecht",
          postalCode: "3511 AB",
          countryCode: "NL",
        },
      });
    } else {
      const order = s.createOrder({
        customer: {
          email: email(i),
          customertype: "b2c",
          billingaddress: {
            first_name: "Piet",
            last_name: `Klant ${email(i).split("@")[0]}`,
            street: "Dorpsweg",
            housenumber: 7,
            zipcode: "3511 AA",
            city: "Utrecht",
            country_code: "NL",
          },
        },
        orderrows: [
          { product_id: ccvSimple[(i * 2) % SIMPLE].id, count: 1 },
          { product_id: ccvSimple[(i * 2 + 1) % SIMPLE].id, count: 1 },
          {
            product_id: ccvVariants[vi].product.id,
            attribute_combination_id: ccvVariants[vi].combos[i % SIZES.length],
            count: 1,
          },
        ],
        is_completed: true,
        paid: true,
        status: 7,
        total_shipping: 0,
      });
      order.fields.paymethod_id = [...s.paymethods.values()].find(
        (p) => p.combined_name === "PinTerminal",
      )!.id;
    }
  }
  ecwid.log.clear();
  ccv.log.clear();

  const ready: Ready = {
    type: "ready",
    ecwid: { url: ecwid.url, storeId: ecwid.storeId, token: ecwid.token },
    ccv: ccv.connection,
  };
  process.send!(ready);
  process.on("message", (m: { type: string }) => {
    if (m.type === "reset") {
      ecwid.log.clear();
      ccv.log.clear();
      process.send!({ type: "reset" });
    }
    if (m.type === "stats") {
      const stats: Stats = {
        type: "stats",
        ecwid: summarize(ecwid.log.entries, /\/orders$/),
        ccv: summarize(ccv.log.entries, /\/orders\/?$/),
      };
      process.send!(stats);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// parent: one gateway per scenario

function ask<T>(proc: ChildProcess, type: string): Promise<T> {
  return new Promise<T>((resolve) => {
    const on = (m: { type: string }) => {
      if (m.type !== type) return;
      proc.off("message", on);
      resolve(m as T);
    };
    proc.on("message", on);
    proc.send({ type });
  });
}

const sum = (r: Record<string, number> | undefined) => Object.values(r ?? {}).reduce((a, b) => a + b, 0);
const total = (s: Summary) => Object.values(s.lanes).reduce((a, r) => a + sum(r), 0);
const count429 = (s: Summary) => Object.values(s.lanes).reduce((a, r) => a + (r["429"] ?? 0), 0);
const gets = (s: Summary) =>
  Object.entries(s.lanes)
    .filter(([lane]) => lane.startsWith("GET "))
    .sort((a, b) => sum(b[1]) - sum(a[1]));
/** order POSTs a minute between the first and the last one (the steady state) and over the run */
function perMinute(times: number[], wallMs: number): { steady: number; overall: number } {
  const steady =
    times.length > 1 ? ((times.length - 1) / (Math.max(...times) - Math.min(...times))) * 60_000 : 0;
  return { steady, overall: (times.length / wallMs) * 60_000 };
}

async function scenario(name: Scenario): Promise<void> {
  const flow = name === "ecwid-to-ccv" ? "ORDERS_ECWID_TO_CCV" : "ORDERS_CCV_TO_ECWID";
  const proc = fork(__filename, ["child", name], { stdio: "inherit" });
  // time the gateway spends waiting on each vendor operation during the run (latency, not budget waits)
  let timing = false;
  const upstreamMs = new Map<string, number>();
  // database statements during the run, by statement shape (BENCH_SQL=1 prints the top ones)
  const statements = new StatementCounter();
  const ready = await new Promise<Ready>((resolve) => proc.once("message", (m) => resolve(m as Ready)));
  const { gw, remove } = await startBenchGateway(
    { WORKER_CONCURRENCY: "2" },
    {
      onQuery: statements.onQuery,
      engine: {
        connectors: {
          observe: (o) => {
            if (!timing) return;
            const key = `${o.system === "ECWID" ? "Ecwid" : "CCV"} ${o.lane}`;
            upstreamMs.set(key, (upstreamMs.get(key) ?? 0) + o.durationMs);
          },
          ecwid: { requestsPerMinute: scaled(ECWID_RATE_LIMIT_PER_MINUTE) },
          ccv: {
            laneLimits: {
              get: scaled(CCV_LIMITS.get),
              write: scaled(CCV_LIMITS.write),
              productqueries: scaled(CCV_LIMITS.productqueries),
            },
            rateLimitWaitMs: 60_000 / FACTOR,
          },
        },
        queue: { pollMs: 50 },
        executor: { maxItemsInFlight: IN_FLIGHT },
      },
    },
  );
  const s = gw.services;
  const { workspace } = await s.tenancy.createWorkspace("bench");
  const integration = await s.integrations.create(
    workspace.id,
    "bench",
    { storeId: ready.ecwid.storeId, token: ready.ecwid.token, apiBaseUrl: ready.ecwid.url },
    ready.ccv,
  );
  // the catalogue index is warm before the run (what a running installation has)
  await new DbCatalogIndex(gw.dataSource, integration.id, () =>
    gw.engine.hub.clients(integration.id, { readOnly: true }),
  ).refresh({ full: true });
  // what an idle gateway (worker polling its queue, scheduler) spends in steady state, to take off
  // the run's CPU (right after start it still spends ≈ 3× that on compiling the start-up)
  const idleCpuPerMs = await steadyIdleCpuPerMs();
  await ask(proc, "reset");

  timing = true;
  statements.on = true;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const run = await s.runs.runSync(workspace.id, integration.id, flow, {});
  let final: SyncRunEntity;
  for (;;) {
    final = (await gw.dataSource.manager.findOneByOrFail(SyncRunEntity, { id: run.id }))!;
    if (["SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED"].includes(final.status)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  timing = false;
  statements.on = false;
  const stats = await ask<Stats>(proc, "stats");
  await gw.close();
  await closeSharedAgents();
  proc.kill();
  remove();

  const cpuMs = (cpu.user + cpu.system) / 1000;
  const busyCpuMs = Math.max(0, cpuMs - idleCpuPerMs * wallMs);
  const n = final.total;
  const all = total(stats.ecwid) + total(stats.ccv);
  const tooMany = count429(stats.ecwid) + count429(stats.ccv);
  const target = name === "ecwid-to-ccv" ? stats.ccv : stats.ecwid;
  const limit = name === "ecwid-to-ccv" ? scaled(CCV_LIMITS.write) : scaled(ECWID_RATE_LIMIT_PER_MINUTE);
  const posts = perMinute(target.orderPosts, wallMs);
  const f = (x: number, d = 3) => x.toFixed(d);
  console.log(
    `\n${flow} (${gw.config.database.kind}, time factor ${FACTOR}): ${n} orders, status ${final.status}, ` +
      `${final.created} created, ${final.skipped} skipped, ${final.failed} failed, ${f(wallMs / 1000, 1)} s`,
  );
  const lane = name === "ecwid-to-ccv" ? "POST /orders lane" : "Ecwid token";
  console.log(
    `  order POSTs a minute      ${f(posts.steady, 0)} steady / ${f(posts.overall, 0)} over the run; ` +
      `ratio to the ${lane} limit ${limit}/min: ${f(posts.steady / limit)} steady, ${f(posts.overall / limit)} overall (target ≥ 0.9)`,
  );
  if (name === "ccv-to-ecwid") {
    const rate = (total(stats.ecwid) / wallMs) * 60_000;
    console.log(`  Ecwid requests a minute   ${f(rate, 0)} = ${f(rate / limit)} of the limit`);
  }
  // the lane that bounds the flow: requests a minute over the run as a ratio of each lane's limit
  // (CCV: per operation; Ecwid: all requests of the token)
  const lanes: [string, number][] = Object.entries(stats.ccv.lanes).map(([l, r]) => {
    const perMin =
      l === "GET /productqueries"
        ? CCV_LIMITS.productqueries
        : l.startsWith("GET ")
          ? CCV_LIMITS.get
          : CCV_LIMITS.write;
    return [`CCV ${l}`, ((sum(r) / wallMs) * 60_000) / scaled(perMin)];
  });
  lanes.push([
    "Ecwid (all requests)",
    ((total(stats.ecwid) / wallMs) * 60_000) / scaled(ECWID_RATE_LIMIT_PER_MINUTE),
  ]);
  const [busiest, ratio] = lanes.sort((a, b) => b[1] - a[1])[0];
  console.log(`  busiest lane              ${busiest}: ${f(ratio)} of its limit over the run`);
  for (const [side, summary] of [
    ["CCV", stats.ccv],
    ["Ecwid", stats.ecwid],
  ] as const) {
    const g = gets(summary);
    const allGets = g.reduce((a, [, r]) => a + sum(r), 0);
    const detail = g
      .slice(0, 6)
      .map(([l, r]) => `${l} ${f(sum(r) / n, 2)}`)
      .join(", ");
    console.log(
      `  ${side} GETs per order${" ".repeat(8 - side.length)}  ${f(allGets / n, 2)}  (${detail || "none"})`,
    );
  }
  const writes = (sm: Summary) =>
    Object.entries(sm.lanes)
      .filter(([l]) => !l.startsWith("GET "))
      .map(([l, r]) => `${l} ${sum(r)}`)
      .join(", ");
  console.log(
    `  writes                    CCV: ${writes(stats.ccv) || "none"}; Ecwid: ${writes(stats.ecwid) || "none"}`,
  );
  console.log(
    `  DB statements per order   ${f(statements.count / n, 1)} (the queue's and the bench's polling included)`,
  );
  statements.print(n);
  const waited = [...upstreamMs].sort((a, b) => b[1] - a[1]);
  console.log(
    `  wall time per order       ${f(wallMs / n, 1)} ms (up to ${IN_FLIGHT} orders in flight); in vendor requests: ` +
      waited
        .slice(0, 5)
        .map(([l, ms]) => `${l} ${f(ms / n, 1)}`)
        .join(", "),
  );
  console.log(
    `  429 share                 ${f((tooMany / Math.max(1, all)) * 100, 2)} %  (${tooMany} of ${all} vendor requests)`,
  );
  console.log(
    `  gateway CPU per order     ${f(busyCpuMs / n)} ms excluding idle (target < 2 ms); ${f(cpuMs / n)} ms raw; ` +
      `idle ${f(idleCpuPerMs * 1000, 1)} ms CPU/s (steady)`,
  );
  // the floor: what a bare client spends on the same upstream requests at the same pace
  const perOrder = all / n;
  const floorUs = await pacedRequestFloorUs((all / wallMs) * 1000, Math.min(600, all), IN_FLIGHT);
  const floorMs = (floorUs * perOrder) / 1000;
  console.log(
    `  of it, the machine's floor ${f(floorMs)} ms: ${f(perOrder, 2)} upstream requests per order at ${f((all / wallMs) * 1000, 1)}/s, ` +
      `where a bare undici client (no gateway code) spends ${f(floorUs / 1000)} ms CPU per request; ` +
      `the gateway's own work ${f(Math.max(0, busyCpuMs / n - floorMs))} ms per order`,
  );
}

async function main(): Promise<void> {
  for (const name of FLOWS) await scenario(name as Scenario);
}

if (process.argv[2] === "child") void child(process.argv[3] as Scenario);
else
  void main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
