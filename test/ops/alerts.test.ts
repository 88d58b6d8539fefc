import {
  ConfigureFlowDocument,
  RunSyncDocument,
  UpdateCcvCredentialsDocument,
  AlertChannelDeliveriesDocument,
  AlertIncidentsDocument,
  ConnectionHistoryDocument,
  AlertChannelsDocument,
} from "../../sdk/generated/graphql";
import { ALERT_KINDS } from "../../src/ops/alerts/alert-kinds";
import {
  MailReceiver,
  WebhookReceiver,
  webOrder,
  type ReceivedAlert,
  startMugWorld,
  subscribe,
} from "../support/alert-receivers";
import { eventually, type World } from "../support/world";

const MIN = 60_000;
const SMTP_USER = "alerts@shop.example";
const SMTP_PASSWORD = "smtp-Secret-4711";

/** one alert seen through both channels: the webhook's JSON and the e-mail's text */
interface Seen {
  hook: ReceivedAlert[];
  mail: string[];
}

describe("alerts: every kind arrives once, in words, by signed webhook and by e-mail", () => {
  let w: World;
  let hook: WebhookReceiver;
  let mail: MailReceiver;
  let offset = 0;
  let block: Promise<void> | undefined;
  let release: () => void = () => undefined;
  const clock = () => new Date(Date.now() + offset);
  const ops = () => w.t.gw.engine.ops;
  let seenHook = 0;
  let seenMail = 0;

  /** one round of the monitor at the test clock, then waits for both channels to have what it sent */
  async function round(): Promise<Seen> {
    await ops().tick(clock());
    await eventually(async () => {
      const d = await w.t.gw.dataSource.query(
        "SELECT COUNT(*) AS n FROM alert_delivery WHERE status = 'PENDING'",
      );
      return Number(d[0].n) === 0;
    }, "deliveries done");
    const out = {
      hook: hook.messages.slice(seenHook).flatMap((m) => m.alerts),
      mail: mail.messages.slice(seenMail).map((m) => `${m.subject}\n${m.text}`),
    };
    seenHook = hook.messages.length;
    seenMail = mail.messages.length;
    return out;
  }
  const kinds = (s: Seen) => s.hook.map((a) => a.kind).sort();
  const healthChecksDone = () =>
    eventually(async () => {
      const r = await w.t.gw.dataSource.query(
        "SELECT COUNT(*) AS n FROM job WHERE type = 'health-check' AND status IN ('queued', 'running')",
      );
      return Number(r[0].n) === 0;
    }, "the health checks");

  beforeAll(async () => {
    hook = await WebhookReceiver.start();
    mail = await MailReceiver.start(SMTP_USER, SMTP_PASSWORD);
    w = await startMugWorld({
      gateway: {
        env: {
          ALERT_EVALUATE_SECONDS: "3600",
          ALERT_MIN_INTERVAL_SECONDS: "0",
          // reminders of lasting incidents have a test of their own
          ALERT_REPEAT_HOURS: "720",
          HEALTH_CHECK_MINUTES: "5",
          GATEWAY_PUBLIC_URL: "https://gw.example.com",
        },
      },
      engine: {
        ops: { clock },
        hooks: { beforeRecord: async () => block },
      },
    });
    await subscribe(w, hook, mail, [...ALERT_KINDS], { user: SMTP_USER, password: SMTP_PASSWORD });
  });
  afterEach(() => {
    // a failed step never leaves the worker blocked for the next one
    release();
    block = undefined;
  });
  afterAll(async () => {
    release();
    await w.stop();
    await hook.stop();
    await mail.stop();
  });

  it("shows channels without their secrets", async () => {
    const chans = (await w.gql(AlertChannelsDocument, {})).alertChannels;
    expect(chans.map((c) => c.type).sort()).toEqual(["EMAIL", "WEBHOOK"]);
    const text = JSON.stringify(chans);
    expect(text).not.toContain(hook.secret);
    expect(text).not.toContain(SMTP_PASSWORD);
    expect(chans.find((c) => c.type === "EMAIL")!.maskedSecret).toBe(`(set, ${SMTP_PASSWORD.length} chars)`);
  });

  it("CONNECTION_FAILING from a scheduled health check, then CONNECTION_RECOVERED; both recorded in the history", async () => {
    await w.gql(UpdateCcvCredentialsDocument, {
      integrationId: w.integrationId,
      input: { baseUrl: w.ccv.baseUrl, publicKey: w.ccv.publicKey, secretKey: "sk_wrong_secret_987" },
    });
    expect(await ops().scheduleHealthChecks(clock())).toBe(1);
    await eventually(
      async () =>
        (await w.gql(ConnectionHistoryDocument, { id: w.integrationId })).integration!.ccv.status ===
        "FAILING",
      "the health check",
    );
    const failing = await round();
    expect(kinds(failing)).toEqual(["CONNECTION_FAILING"]);
    const a = failing.hook[0];
    expect(a.title).toBe("[Sandbox pair] The CCV SalesPOS connection is failing");
    expect(a.text).toMatch(/cannot work with CCV SalesPOS/);
    expect(a.text).toMatch(/What to do: check the CCV SalesPOS credentials/);
    expect(a.link).toBe(`https://gw.example.com/app/i/${w.integrationId}/setup`);
    expect(failing.mail).toHaveLength(1);
    expect(failing.mail[0]).toContain("The CCV SalesPOS connection is failing");
    expect(failing.mail[0]).toContain(a.link);
    expect(mail.messages[0].user).toBe(SMTP_USER);
    expect(mail.messages[0].to).toEqual(["ops@shop.example"]);

    // the next check fails again: no new alert (one incident)
    offset += 6 * MIN;
    await ops().scheduleHealthChecks(clock());
    await healthChecksDone();
    expect(kinds(await round())).toEqual([]);

    await w.gql(UpdateCcvCredentialsDocument, {
      integrationId: w.integrationId,
      input: { baseUrl: w.ccv.baseUrl, publicKey: w.ccv.publicKey, secretKey: w.ccv.secretKey },
    });
    offset += 6 * MIN;
    await ops().scheduleHealthChecks(clock());
    await eventually(
      async () =>
        (await w.gql(ConnectionHistoryDocument, { id: w.integrationId })).integration!.ccv.status === "OK",
      "the recovery",
    );
    const recovered = await round();
    expect(kinds(recovered)).toEqual(["CONNECTION_RECOVERED"]);
    expect(recovered.hook[0].text).toMatch(/works again \(failing since/);
    const history = (await w.gql(ConnectionHistoryDocument, { id: w.integrationId })).integration!
      .connectionHistory;
    expect(history.filter((h) => h.system === "CCV_SALESPOS").map((h) => [h.from, h.to, h.source])).toEqual([
      ["UNTESTED", "OK", "HEALTH"],
      ["UNTESTED", "FAILING", "HEALTH"],
    ]);
  });

  it("RUN_PARTIAL and ITEM_FAILURE (grouped by flow and error code) with the item's words and the records", async () => {
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "ORDERS_ECWID_TO_CCV",
      input: { enabled: true },
    });
    const ghosts = [1, 2, 3].map(() => w.ecwid.store.createOrder(webOrder("GHOST-9", 700100399)));
    w.ecwid.store.createOrder(webOrder("MUG-001", 700100300));
    const run = await w.waitRun(
      (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "ORDERS_ECWID_TO_CCV" })).runSync
        .id,
    );
    expect(run.status).toBe("PARTIAL");
    const seen = await round();
    expect(kinds(seen)).toEqual(["ITEM_FAILURE", "RUN_PARTIAL"]);
    const item = seen.hook.find((a) => a.kind === "ITEM_FAILURE")!;
    expect(item.title).toBe("[Sandbox pair] ORDERS_ECWID_TO_CCV: a new kind of failure, MISSING_PRODUCT");
    expect(item.text).toMatch(/3 items failed with MISSING_PRODUCT/);
    expect(item.text).toMatch(
      /Reason: 1 SKU not found in CCV SalesPOS: GHOST-9\. Create the products in CCV/,
    );
    const records = /Records: (.*)\./.exec(item.text)![1].split(", ").sort();
    expect(records).toEqual(ghosts.map((g) => g.orderId).sort());
    expect(item.text).toMatch(
      /What to do: Create or sync the missing products, then retry the failed items\./,
    );
    expect(item.link).toBe(
      `https://gw.example.com/app/i/${w.integrationId}/activity?flow=ORDERS_ECWID_TO_CCV&status=FAILED&errorCode=MISSING_PRODUCT`,
    );
    const partial = seen.hook.find((a) => a.kind === "RUN_PARTIAL")!;
    expect(partial.text).toMatch(/finished with 3 failed items of 4/);
    expect(partial.link).toContain(
      `/app/i/${w.integrationId}/activity?flow=ORDERS_ECWID_TO_CCV&run=${run.id}`,
    );
    expect(seen.mail).toHaveLength(1);
    expect(seen.mail[0]).toMatch(/^\[Ops|\[Test shop\] 2 alerts/);

    // the same failures again in another run: counted, not sent again
    const retry = await w.waitRun(
      (
        await w.gql(RunSyncDocument, {
          integrationId: w.integrationId,
          flow: "ORDERS_ECWID_TO_CCV",
          options: { sourceIds: ghosts.map((g) => g.orderId) },
        })
      ).runSync.id,
    );
    expect(retry.status).toBe("FAILED");
    const again = await round();
    expect(kinds(again)).toEqual(["RUN_FAILED"]);
    expect(again.hook[0].text).toMatch(/What to do: Create or sync the missing products/);
    const open = (await w.gql(AlertIncidentsDocument, { integrationId: w.integrationId })).alertIncidents;
    expect(open.find((i) => i.kind === "ITEM_FAILURE")!.count).toBe(6);
  });

  it("RUN_STALLED: a run without progress is found with the test clock, and closes when it moves on", async () => {
    block = new Promise<void>((r) => (release = r));
    w.ecwid.store.createOrder(webOrder("MUG-001", 700100300));
    const run = (
      await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "ORDERS_ECWID_TO_CCV" })
    ).runSync;
    await eventually(
      async () => (await w.t.gw.services.runs.getRun(w.workspaceId, run.id))?.status === "RUNNING",
      "the run started",
    );
    expect(kinds(await round())).toEqual([]);
    offset += 20 * MIN;
    const stalled = await round().finally(() => undefined);
    expect(kinds(stalled)).toEqual(["RUN_STALLED"]);
    const idle = Number(
      /has made no progress for (\d+) minutes \(0( of \d+)? items done\)/.exec(stalled.hook[0].text)![1],
    );
    expect(idle).toBeGreaterThanOrEqual(20);
    expect(stalled.hook[0].text).toMatch(/What to do: check the connections and the worker's log/);
    release();
    block = undefined;
    await w.waitRun(run.id);
    expect(kinds(await round())).toEqual([]);
    const open = (await w.gql(AlertIncidentsDocument, { integrationId: w.integrationId })).alertIncidents;
    expect(open.some((i) => i.kind === "RUN_STALLED")).toBe(false);
  });

  it("RATE_BUDGET_EXHAUSTED after the lane stayed at its limit", async () => {
    const lane = { integrationId: w.integrationId, system: "CCV_SALESPOS", lane: "GET /products/{id}" };
    // whole minutes: 140 requests written across a minute boundary would count as two quiet minutes
    const start = Math.floor(clock().getTime() / MIN) * MIN - 16 * MIN;
    for (let m = 0; m < 16; m++)
      for (let k = 0; k < 140; k++) ops().pressure.started(lane, 150, new Date(start + m * MIN + k * 10));
    ops().pressure.throttled(lane, new Date(start + 5 * MIN));
    const seen = await round();
    expect(kinds(seen)).toEqual(["RATE_BUDGET_EXHAUSTED"]);
    expect(seen.hook[0].text).toMatch(
      /"GET \/products\/\{id\}" have been at the vendor's limit \(150 per minute\) for 16 minutes; CCV SalesPOS refused 1 request with 429/,
    );
    expect(kinds(await round())).toEqual([]);
  });

  it("FLOW_SILENT: a scheduled flow without a successful run for twice its interval", async () => {
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      input: { enabled: true, schedule: "0 3 * * *" },
    });
    expect(kinds(await round())).toEqual([]);
    offset += 3 * 24 * 60 * MIN;
    const seen = await round();
    expect(kinds(seen)).toEqual(["FLOW_SILENT"]);
    expect(seen.hook[0].text).toMatch(
      /schedule "0 3 \* \* \*" \(about every 24 hours\), but it has never finished a run successfully/,
    );
    expect(kinds(await round())).toEqual([]);
  });

  it("each kind arrived exactly once per channel, every delivery signed; a daily digest on request", async () => {
    const count = new Map<string, number>();
    for (const m of hook.messages) for (const a of m.alerts) count.set(a.kind, (count.get(a.kind) ?? 0) + 1);
    expect(Object.fromEntries(count)).toEqual({
      CONNECTION_FAILING: 1,
      CONNECTION_RECOVERED: 1,
      ITEM_FAILURE: 1,
      RUN_PARTIAL: 1,
      RUN_FAILED: 1,
      RUN_STALLED: 1,
      RATE_BUDGET_EXHAUSTED: 1,
      FLOW_SILENT: 1,
    });
    expect(hook.messages.every((m) => m.signatureOk)).toBe(true);
    expect(mail.messages).toHaveLength(hook.messages.length);

    // the last 24 hours of real time, where the runs happened
    expect(await ops().dispatch.digest(new Date())).toBe(2);
    await eventually(
      async () =>
        hook.messages.some((m) => m.type === "digest") &&
        mail.messages.some((m) => /Daily digest/.test(m.subject)),
      "the digest",
    );
    seenHook = hook.messages.length;
    seenMail = mail.messages.length;
    const digest = hook.messages.find((m) => m.type === "digest")!.alerts[0];
    expect(digest.text).toMatch(/Sandbox pair: Ecwid (OK|UNTESTED), CCV SalesPOS OK/);
    expect(digest.text).toMatch(/item\(s\) failed in ORDERS_ECWID_TO_CCV with MISSING_PRODUCT/);
  });

  it("a failing channel is retried with backoff, logged, and never holds up a sync", async () => {
    const channels = (await w.gql(AlertChannelsDocument, {})).alertChannels;
    const hookId = channels.find((c) => c.type === "WEBHOOK")!.id;
    hook.failNext = 2;
    w.ecwid.store.createOrder(webOrder("GHOST-10", 700100398));
    // a different error group: a new alert; the receiver refuses it twice
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "ORDERS_ECWID_TO_CCV",
      input: { settings: { useDefaultDebtor: true, defaultDebtor: "999999" } },
    });
    const run = await w.waitRun(
      (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "ORDERS_ECWID_TO_CCV" })).runSync
        .id,
    );
    expect(run.counts.failed).toBeGreaterThan(0);
    const seen = await round();
    expect(kinds(seen)).toEqual(["ITEM_FAILURE"]);
    expect(hook.refused).toHaveLength(2);
    const log = (await w.gql(AlertChannelDeliveriesDocument, { id: hookId, first: 1 })).alertChannel!
      .deliveries.edges[0].node;
    expect(log).toMatchObject({ status: "DELIVERED", attempts: 3, lastError: null, responseStatus: 204 });

    // a receiver that never answers: the delivery waits on its own lane while a run completes
    hook.hang = true;
    offset += MIN;
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "ORDERS_ECWID_TO_CCV",
      input: { settings: { useDefaultDebtor: false } },
    });
    await w.gql(UpdateCcvCredentialsDocument, {
      integrationId: w.integrationId,
      input: { baseUrl: w.ccv.baseUrl, publicKey: w.ccv.publicKey, secretKey: "sk_wrong_again_1" },
    });
    await w.t.gw.services.connections.test(w.workspaceId, w.integrationId, "HEALTH");
    await ops().tick(clock());
    await eventually(async () => {
      const d = (await w.gql(AlertChannelDeliveriesDocument, { id: hookId, first: 1 })).alertChannel!
        .deliveries.edges[0].node;
      return d.status === "PENDING" && d.attempts === 0 ? d : undefined;
    }, "a delivery in flight");
    await w.gql(UpdateCcvCredentialsDocument, {
      integrationId: w.integrationId,
      input: { baseUrl: w.ccv.baseUrl, publicKey: w.ccv.publicKey, secretKey: w.ccv.secretKey },
    });
    const fresh = w.ecwid.store.createOrder(webOrder("MUG-001", 700100300));
    const during = await w.waitRun(
      (
        await w.gql(RunSyncDocument, {
          integrationId: w.integrationId,
          flow: "ORDERS_ECWID_TO_CCV",
          options: { sourceIds: [fresh.orderId] },
        })
      ).runSync.id,
    );
    expect(during.status).toBe("SUCCEEDED");
    const pending = (await w.gql(AlertChannelDeliveriesDocument, { id: hookId, first: 1 })).alertChannel!
      .deliveries.edges[0].node;
    expect(pending.status).toBe("PENDING");
    hook.hang = false;
  });

  it("the retention purge removes alerts, deliveries, closed incidents and connection history past LOG_RETENTION_DAYS", async () => {
    const ds = w.t.gw.dataSource;
    const n = async (t: string) => Number((await ds.query(`SELECT COUNT(*) AS n FROM ${t}`))[0].n);
    expect(await n("alert")).toBeGreaterThan(5);
    const first = await w.t.gw.engine.retention.purge();
    expect(first.alertsDeleted).toBe(0);
    // (some alerts were made at the test clock, days ahead)
    const later = new Date(Date.now() + 40 * 24 * 3600_000);
    const r = await w.t.gw.engine.retention.purge(later);
    expect(r.alertsDeleted).toBeGreaterThan(5);
    for (const t of ["alert", "alert_delivery", "connection_event"]) expect([t, await n(t)]).toEqual([t, 0]);
    expect(await n("alert_incident WHERE status = 'RESOLVED'")).toBe(0);
  });
});
