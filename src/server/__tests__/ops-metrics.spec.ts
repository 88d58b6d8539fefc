import { Registry } from "prom-client";
import { OpsMetrics } from "../ops-metrics";

/**
 * The operations metrics the gateway exports — names, help, types and label names — are a
 * contract with dashboards and alert rules (test/ops/metrics.test.ts checks their values end to end).
 */
describe("operations metrics definitions", () => {
  it("export the same names, help, types and label names", async () => {
    const registry = new Registry();
    const m = new OpsMetrics(registry);
    const defs = (await registry.getMetricsAsJSON()).map((j) => ({
      name: j.name,
      help: j.help,
      type: j.type,
      labelNames: (registry.getSingleMetric(j.name) as unknown as { labelNames: string[] }).labelNames,
    }));
    expect(defs).toMatchSnapshot();
    // the typed counters are the registered ones
    m.counters.runs.inc({ integration: "i", flow: "f", status: "SUCCEEDED" });
    m.counters.budgetWait.inc({ integration: "i", system: "ECWID", lane: "l" }, 2);
    expect(await registry.getSingleMetricAsString("gateway_sync_runs_total")).toContain(
      'gateway_sync_runs_total{integration="i",flow="f",status="SUCCEEDED"} 1',
    );
    expect(await registry.getSingleMetricAsString("gateway_rate_budget_wait_seconds_total")).toContain(
      'gateway_rate_budget_wait_seconds_total{integration="i",system="ECWID",lane="l"} 2',
    );
  });
});
