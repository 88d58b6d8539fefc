import fs from "node:fs";
import path from "node:path";
import { ConfigureFlowDocument, RunSyncDocument } from "../../sdk/generated/graphql";
import { webOrder, startMugWorld } from "../support/alert-receivers";
import type { World } from "../support/world";

/** every metric name a PromQL expression mentions (histogram series map to their histogram) */
export const metricNames = (expr: string) =>
  [...expr.matchAll(/\bgateway_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ""));

describe("metrics: runs, items, queue, lanes, webhooks; bounded labels; a dashboard that uses only real metrics", () => {
  let w: World;
  let text = "";
  beforeAll(async () => {
    w = await startMugWorld({
      gateway: { env: { ALERT_EVALUATE_SECONDS: "3600", HEALTH_CHECK_MINUTES: "0" } },
    });
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "ORDERS_ECWID_TO_CCV",
      input: { enabled: true },
    });
    w.ecwid.store.createOrder(webOrder("MUG-001", 700100300, "metrics.person@example.com"));
    w.ecwid.store.createOrder(webOrder("SECRET-SKU-77", 700100301, "metrics.person@example.com"));
    const run = await w.waitRun(
      (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "ORDERS_ECWID_TO_CCV" })).runSync
        .id,
    );
    expect(run.status).toBe("PARTIAL");
    // a forged webhook (rejected) and a queued job that waits
    const hook = await fetch(`${w.t.url}/webhooks/ecwid/${w.integrationId}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-ecwid-webhook-signature": "forged" },
      body: JSON.stringify({
        eventId: "e1",
        eventType: "order.created",
        storeId: w.ecwid.storeId,
        entityId: 1,
      }),
    });
    expect(hook.status).toBeGreaterThanOrEqual(400);
    await w.t.gw.engine.stopWorker();
    await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "CATEGORIES_ECWID_TO_CCV" });
    text = await (await fetch(`${w.t.url}/metrics`)).text();
  });
  afterAll(() => w.stop());

  const line = (re: RegExp) => text.split("\n").find((l) => re.test(l));

  it("counts runs and items by outcome, per integration and flow", () => {
    const i = w.integrationId;
    expect(
      line(
        new RegExp(
          `^gateway_sync_runs_total\\{integration="${i}",flow="ORDERS_ECWID_TO_CCV",status="PARTIAL"\\} 1$`,
        ),
      ),
    ).toBeTruthy();
    expect(
      line(
        new RegExp(
          `^gateway_sync_items_total\\{integration="${i}",flow="ORDERS_ECWID_TO_CCV",status="SUCCEEDED"\\} 1$`,
        ),
      ),
    ).toBeTruthy();
    expect(
      line(
        new RegExp(
          `^gateway_sync_items_total\\{integration="${i}",flow="ORDERS_ECWID_TO_CCV",status="FAILED"\\} 1$`,
        ),
      ),
    ).toBeTruthy();
    expect(
      line(
        new RegExp(
          `^gateway_sync_item_failures_total\\{integration="${i}",flow="ORDERS_ECWID_TO_CCV",error_code="MISSING_PRODUCT"\\} 1$`,
        ),
      ),
    ).toBeTruthy();
  });

  it("shows the queue: depth by type and state, and the oldest due job's age", () => {
    expect(line(/^gateway_job_queue_depth\{type="sync-run",state="due"\} 1$/)).toBeTruthy();
    expect(
      Number(line(/^gateway_job_queue_oldest_age_seconds\{type="sync-run"\}/)!.split(" ")[1]),
    ).toBeGreaterThanOrEqual(0);
    expect(
      line(
        /^gateway_sync_runs_active\{integration="[^"]+",flow="CATEGORIES_ECWID_TO_CCV",status="QUEUED"\} 1$/,
      ),
    ).toBeTruthy();
  });

  it("shows the rate budget use per lane and the webhook deliveries by outcome", () => {
    expect(
      line(
        new RegExp(
          `^gateway_rate_budget_utilization_ratio\\{integration="${w.integrationId}",system="ECWID",lane="[^"]+"\\} [0-9.e-]+$`,
        ),
      ),
    ).toBeTruthy();
    expect(
      line(
        /^gateway_rate_budget_utilization_ratio\{integration="[^"]+",system="CCV_SALESPOS",lane="GET \/[a-z/{}]*"\}/,
      ),
    ).toBeTruthy();
    expect(line(/^gateway_webhook_deliveries_total\{system="ECWID",outcome="rejected"\} 1$/)).toBeTruthy();
    expect(line(/^gateway_connection_up/)).toBeUndefined(); // untested connections have no value
  });

  it("the new metrics never label by SKU, e-mail or record id", () => {
    const labels = text
      .split("\n")
      .filter((l) => l.startsWith("gateway_") && l.includes("{"))
      .map((l) => l.slice(l.indexOf("{"), l.lastIndexOf("}") + 1));
    expect(labels.length).toBeGreaterThan(20);
    const all = labels.join("\n");
    expect(all).not.toMatch(/SECRET-SKU-77|MUG-001|@example\.com/);
    for (const o of w.ecwid.store.orderRows())
      expect(all).not.toContain(`"${(o as unknown as { orderId?: string }).orderId}"`);
    // every label value comes from a bounded set: ids of integrations, enums, lanes (path templates)
    for (const m of all.matchAll(/lane="([^"]*)"/g)) expect(m[1]).not.toMatch(/\/\d+/);
  });

  it("the Grafana dashboard is valid JSON and uses only metrics the gateway exports", async () => {
    const dash = JSON.parse(fs.readFileSync(path.join(__dirname, "../../docs/grafana/gateway.json"), "utf8"));
    const exprs: string[] = dash.panels.flatMap((p: { targets?: { expr: string }[] }) =>
      (p.targets ?? []).map((t) => t.expr),
    );
    expect(exprs.length).toBeGreaterThan(15);
    const exported = new Set((await w.t.gw.metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    const used = new Set(exprs.flatMap(metricNames));
    for (const name of used) expect([name, exported.has(name)]).toEqual([name, true]);
    // the issue's list is on it
    for (const name of [
      "gateway_sync_runs_total",
      "gateway_sync_items_total",
      "gateway_job_queue_depth",
      "gateway_job_queue_oldest_age_seconds",
      "gateway_upstream_requests_total",
      "gateway_upstream_throttled_total",
      "gateway_rate_budget_utilization_ratio",
      "gateway_webhook_deliveries_total",
    ])
      expect(used).toContain(name);
  });
});
