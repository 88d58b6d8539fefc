/**
 * What evaluating user expressions in the worker pool costs per MappingSet.apply (issue 9): the 37
 * ORDERS_ECWID_TO_CCV mappings (defaults, main thread) plus N user expressions, applied to a
 * real-shaped Ecwid order, once with the user expressions evaluated on the main thread (as before
 * issue 9) and once in the worker pool (one round trip per apply, however many expressions).
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/mapping-apply.js
 *
 * Prints CPU time of the process (all threads) and wall time per apply, and what the worker adds.
 * An order costs two applies (the order, the customer). Env: BENCH_APPLIES (2000).
 */
import "reflect-metadata";
import { performance } from "node:perf_hooks";
import { closeExpressionPool } from "../src/mapping/expression-pool";
import { MappingSet, resolveMappings, type FieldMappingDef } from "../src/mapping/field-mapping";
import { ECWID_FIXTURE_ORDER } from "../src/sandbox/ecwid/ecwid.fixtures";
import { ORDERS_ECWID_TO_CCV_MAPPINGS } from "../src/sync/flows/orders-ecwid-to-ccv.flow";

const APPLIES = Number(process.env.BENCH_APPLIES ?? 2000);
const ctx = {
  storeId: "1",
  currency: "EUR",
  ecwidPricesIncludeTax: true,
  ccvPricesIncludeTax: true,
  rowsIncludeTax: true,
  rows: [],
};

const user = (n: number): FieldMappingDef[] =>
  Array.from({ length: n }, (_, i) => ({
    target: `custom${i}`,
    expression: `$uppercase(billingPerson.name) & " " & $string(total)`,
    policy: "ALWAYS" as const,
  }));

async function measure(set: MappingSet): Promise<{ wallMs: number; cpuMs: number }> {
  const apply = () => set.apply(ECWID_FIXTURE_ORDER, { isCreate: true, bindings: { ctx } });
  for (let i = 0; i < 200; i++) await apply();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < APPLIES; i++) await apply();
  const c = process.cpuUsage(cpu0);
  return { wallMs: (performance.now() - t0) / APPLIES, cpuMs: (c.user + c.system) / 1000 / APPLIES };
}

async function main(): Promise<void> {
  const defaults = ORDERS_ECWID_TO_CCV_MAPPINGS;
  console.log(
    `mapping-apply: ${defaults.length} default mappings + N user expressions, ${APPLIES} applies each`,
  );
  const fmt = (r: { wallMs: number; cpuMs: number }) =>
    `${r.cpuMs.toFixed(3)} ms CPU, ${r.wallMs.toFixed(3)} ms wall`;
  console.log(`  N=0: ${fmt(await measure(new MappingSet(resolveMappings(defaults, []))))} per apply`);
  for (const n of [1, 5]) {
    // as before issue 9: every expression on the main thread (marked as defaults)
    const inline = await measure(
      new MappingSet(resolveMappings([...defaults, ...user(n)], []).map((m) => ({ ...m, isDefault: true }))),
    );
    const pooled = await measure(new MappingSet(resolveMappings(defaults, user(n))));
    console.log(
      `  N=${n}: main thread ${fmt(inline)}; worker pool ${fmt(pooled)}; the worker adds ${(pooled.cpuMs - inline.cpuMs).toFixed(3)} ms CPU per apply`,
    );
  }
  await closeExpressionPool();
}

void main();
