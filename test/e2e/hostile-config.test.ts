import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  ConfigureFlowDocument,
  CreateAlertChannelDocument,
  type AlertChannelInput,
  CreateIntegrationDocument,
  CreateWorkspaceDocument,
  RunSyncDocument,
  TestConnectionsDocument,
  UpdateCcvCredentialsDocument,
  UpdateEcwidCredentialsDocument,
} from "../../sdk/generated/graphql";
import type { EcwidCategory } from "../../src/connectors/ecwid";
import { json } from "../../src/db/columns";
import { FlowConfigEntity, SyncEventEntity } from "../../src/db/entities";
import { errorCode, execute, executeOk } from "../support/graphql-client";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { expectAlive, gqlPost } from "../support/hostile";
import { eventually, FAST_ENGINE, startWorld, type World } from "../support/world";

/**
 * Issue 9, points 8 and 9: vendor base URLs that reach inside are refused (contract "Vendor base
 * URLs"), connection tests say what failed without echoing a body, schedules run at most once a
 * minute, and a run that waits on an unreachable vendor says so.
 */
describe("hostile configuration: vendor base URLs on a gateway without GATEWAY_ALLOW_LOCAL_UPSTREAMS", () => {
  let t: TestGateway;
  let key: string;
  beforeAll(async () => {
    t = await startTestGateway({ env: { GATEWAY_ALLOW_LOCAL_UPSTREAMS: "false" } });
    key = (await executeOk(t.url, CreateWorkspaceDocument, { name: "inside" }, t.adminToken)).createWorkspace
      .adminKey.secret;
  });
  afterAll(() => t.stop());

  it.each([
    ["https://127.1", /127\.0\.0\.1 is a loopback address/],
    ["https://2130706433", /127\.0\.0\.1 is a loopback address/],
    ["https://0x7f.1", /127\.0\.0\.1 is a loopback address/],
    ["https://[::ffff:127.0.0.1]", /127\.0\.0\.1 is a loopback address/],
    ["https://169.254.169.254", /169\.254\.169\.254 is a link-local address/],
    ["https://10.0.0.8", /10\.0\.0\.8 is a private network address/],
    ["https://[fe80::1]", /fe80::1 is a link-local address/],
    ["http://localhost:4102", /must use https/],
    ["https://localhost", /a loopback host/],
  ])("ccv.baseUrl %s is refused in words", async (baseUrl, words) => {
    const r = await execute(
      t.url,
      CreateIntegrationDocument,
      {
        input: {
          name: "probe",
          ecwid: { storeId: 1, token: "secret_abcdefghijklmnop" },
          ccv: { baseUrl, publicKey: "pk_abcdefgh", secretKey: "sk_abcdefghijkl" },
        },
      },
      key,
    );
    expect(errorCode(r)).toBe("BAD_USER_INPUT");
    expect(r.errors![0].message).toMatch(/^ccv\.baseUrl /);
    expect(r.errors![0].message).toMatch(words);
    await expectAlive(t.url);
  });

  it("the Ecwid API base URL is judged the same way; a public https URL is accepted", async () => {
    const r = await execute(
      t.url,
      CreateIntegrationDocument,
      {
        input: {
          name: "probe",
          ecwid: { storeId: 1, token: "secret_abcdefghijklmnop", apiBaseUrl: "https://2130706433/api/v3" },
          ccv: {
            baseUrl: "https://myshop.ccvshop.nl",
            publicKey: "pk_abcdefgh",
            secretKey: "sk_abcdefghijkl",
          },
        },
      },
      key,
    );
    expect(r.errors![0].message).toMatch(/^ecwid\.apiBaseUrl .*127\.0\.0\.1 is a loopback address/);
    const ok = await executeOk(
      t.url,
      CreateIntegrationDocument,
      {
        input: {
          name: "public",
          ecwid: { storeId: 1, token: "secret_abcdefghijklmnop" },
          ccv: {
            baseUrl: "https://myshop.ccvshop.nl",
            publicKey: "pk_abcdefgh",
            secretKey: "sk_abcdefghijkl",
          },
        },
      },
      key,
    );
    expect(ok.createIntegration.ccv.label).toBe("myshop.ccvshop.nl");
  });

  // alert channels are addresses a workspace ADMIN chooses too: the same rule applies
  it.each([
    [{ type: "WEBHOOK", webhookUrl: "https://169.254.169.254/latest/meta-data" }, /^webhookUrl .*link-local/],
    [{ type: "WEBHOOK", webhookUrl: "https://2130706433/hook" }, /^webhookUrl .*loopback address/],
    [{ type: "WEBHOOK", webhookUrl: "http://127.0.0.1:9/hook" }, /^webhookUrl must use https/],
    [
      {
        type: "EMAIL",
        email: {
          host: "10.0.0.25",
          port: 25,
          tls: "NONE",
          from: "gw@shop.example",
          to: ["ops@shop.example"],
        },
      },
      /^email\.host .*10\.0\.0\.25 is a private network address/,
    ],
  ] as [Omit<AlertChannelInput, "name" | "kinds">, RegExp][])(
    "an alert channel pointing inside is refused: %j",
    async (channel, words) => {
      const r = await execute(
        t.url,
        CreateAlertChannelDocument,
        { input: { name: "probe", kinds: ["RUN_FAILED"], ...channel } },
        key,
      );
      expect(errorCode(r)).toBe("BAD_USER_INPUT");
      expect(r.errors![0].message).toMatch(words);
      await expectAlive(t.url);
    },
  );
});

describe("hostile configuration on the sandboxes", () => {
  let w: World;
  let inside: http.Server;
  let insidePort: number;
  let insideHits = 0;
  beforeAll(async () => {
    const cats: EcwidCategory[] = [{ id: 901, name: "Waits", orderBy: 1, enabled: true }];
    w = await startWorld({
      ecwid: { seed: { categories: cats } },
      // backoffs long enough to be reported (≥ 1 s), few enough to end
      engine: {
        connectors: {
          ...FAST_ENGINE.connectors,
          transport: { initialDelayMs: 2_500, maxDelayMs: 2_500, maxAttempts: 2, connectTimeoutMs: 1_000 },
        },
        executor: { itemRetryDelaysMs: [], leaseWaitMs: 2_000, cancelCheckMs: 0 },
      },
    });
    // a loopback service that answers with an internal page, like an admin panel would
    inside = http.createServer((_q, r) => {
      insideHits++;
      r.writeHead(500, { "content-type": "text/html" });
      r.end("<html><body>internal admin panel SECRET-INSIDE /etc/passwd</body></html>");
    });
    await new Promise<void>((res) => inside.listen(0, "127.0.0.1", res));
    insidePort = (inside.address() as AddressInfo).port;
  });
  afterAll(async () => {
    inside.closeAllConnections();
    await new Promise((r) => inside.close(r));
    await w.stop();
  });

  it("testConnections says what failed in words and never echoes the answer's body", async () => {
    await w.gql(UpdateEcwidCredentialsDocument, {
      integrationId: w.integrationId,
      input: {
        storeId: w.ecwid.storeId,
        token: w.ecwid.token,
        apiBaseUrl: `http://127.0.0.1:${insidePort}/api/v3`,
      },
    });
    const checks = (await w.gql(TestConnectionsDocument, { integrationId: w.integrationId })).testConnections;
    const ecwid = checks.find((c) => c.system === "ECWID")!;
    expect(insideHits).toBeGreaterThan(0);
    expect(ecwid.ok).toBe(false);
    expect(ecwid.message).toMatch(/Ecwid had a temporary problem \(HTTP 500\)/);
    expect(JSON.stringify(checks)).not.toMatch(/SECRET-INSIDE|<html|passwd/);
    await w.gql(UpdateEcwidCredentialsDocument, {
      integrationId: w.integrationId,
      input: { storeId: w.ecwid.storeId, token: w.ecwid.token, apiBaseUrl: w.ecwid.url },
    });
    await expectAlive(w.t.url);
  });

  it.each(["* * * * * *", "*/5 * * * * *", "0-30 * * * * *", "1,2 * * * * *"])(
    "a schedule that runs more than once a minute (%s) is refused",
    async (schedule) => {
      const r = await execute(
        w.t.url,
        ConfigureFlowDocument,
        { integrationId: w.integrationId, flow: "CATEGORIES_ECWID_TO_CCV", input: { schedule } },
        w.key,
      );
      expect(errorCode(r)).toBe("BAD_USER_INPUT");
      expect(r.errors![0].message).toMatch(
        /would run more than once a minute; the shortest interval is one minute/,
      );
    },
  );

  it("schedules of once a minute or slower are accepted", async () => {
    for (const schedule of ["* * * * *", "30 * * * * *", "*/15 * * * *"]) {
      const f = await w.gql(ConfigureFlowDocument, {
        integrationId: w.integrationId,
        flow: "CATEGORIES_ECWID_TO_CCV",
        input: { schedule },
      });
      expect(f.configureFlow.schedule).toBe(schedule);
    }
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      input: { schedule: null },
    });
  });

  it("a per-second schedule saved by an older version is not scheduled", async () => {
    await w.t.gw.dataSource.manager.upsert(
      FlowConfigEntity,
      {
        integrationId: w.integrationId,
        kind: "CATEGORIES_ECWID_TO_CCV",
        enabled: true,
        schedule: "* * * * * *",
        settings: json({}),
        updatedAt: new Date(),
      },
      ["integrationId", "kind"],
    );
    await w.t.gw.engine.scheduler.reload();
    expect(w.t.gw.engine.scheduler.registered()).toEqual([]);
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      input: { enabled: false, schedule: null },
    });
  });

  it("a run waiting on an unreachable vendor says why and until when, and stops saying so when it ends", async () => {
    // a closed port on loopback: connection refused
    const closed = http.createServer();
    await new Promise<void>((res) => closed.listen(0, "127.0.0.1", res));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await w.gql(UpdateCcvCredentialsDocument, {
      integrationId: w.integrationId,
      input: { baseUrl: `http://127.0.0.1:${port}`, publicKey: w.ccv.publicKey, secretKey: w.ccv.secretKey },
    });
    const run = (
      await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "CATEGORIES_ECWID_TO_CCV" })
    ).runSync;
    const waiting = await eventually(async () => {
      const a = await gqlPost(w.t.url, `{ syncRun(id: "${run.id}") { status waiting waitingUntil } }`, w.key);
      const r = (a.json as { data: { syncRun: { waiting: string | null; waitingUntil: string | null } } })
        .data.syncRun;
      return r.waiting ? r : undefined;
    }, "the run to say why it waits");
    expect(waiting.waiting).toMatch(
      new RegExp(
        `^Waiting for CCV SalesPOS at 127\\.0\\.0\\.1:${port}: connection refused; next attempt at \\d{4}-`,
      ),
    );
    expect(Date.parse(waiting.waitingUntil!)).toBeGreaterThan(Date.now() - 60_000);
    // live monitors get it too: a RUN_WAITING event with the same words
    const event = await eventually(
      () => w.t.gw.dataSource.manager.findOneBy(SyncEventEntity, { runId: run.id, type: "RUN_WAITING" }),
      "the RUN_WAITING event",
    );
    expect(event.payload.message).toMatch(
      /^Waiting for CCV SalesPOS at 127\.0\.0\.1:\d+: connection refused/,
    );
    await w.waitRun(run.id, 60_000);
    const after = await gqlPost(
      w.t.url,
      `{ syncRun(id: "${run.id}") { status waiting waitingUntil } }`,
      w.key,
    );
    expect(after.json).toMatchObject({ data: { syncRun: { waiting: null, waitingUntil: null } } });
    await expectAlive(w.t.url);
  });
});
