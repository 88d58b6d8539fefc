import {
  ConfigureFlowDocument,
  CreateApiKeyDocument,
  CreateIntegrationDocument,
  RevokeApiKeyDocument,
  CreateWorkspaceDocument,
  RunSyncDocument,
  SyncEventsDocument,
  type SyncEventsSubscription,
} from "../../sdk/generated/graphql";
import type { EcwidCategory } from "../../src/connectors/ecwid";
import { executeOk, sdkClient } from "../support/graphql-client";
import { eventually, startWorld, type World } from "../support/world";

type Ev = SyncEventsSubscription["syncEvents"];
const cats: EcwidCategory[] = [1, 2, 3].map((i) => ({
  id: 500 + i,
  name: `Live ${i}`,
  orderBy: i * 10,
  enabled: true,
}));

/** subscribes through the SDK client like a monitoring screen; collects events and errors */
function monitor(w: World, key: string, vars: { integrationId: string; runId?: string; afterId?: string }) {
  const events: Ev[] = [];
  const errors: unknown[] = [];
  const client = sdkClient(w.t.url, key);
  const stop = client.subscribe(SyncEventsDocument, vars, {
    next: (v) => events.push(v.syncEvents),
    error: (e) => errors.push(e),
  });
  return {
    events,
    errors,
    close: async () => stop(),
  };
}

describe("live sync events over graphql-ws", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ ecwid: { seed: { categories: cats } } });
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      input: { enabled: true },
    });
  });
  afterAll(() => w.stop());

  it("streams RUN_QUEUED, RUN_STARTED, one event per item and RUN_FINISHED with the final counts", async () => {
    const m = monitor(w, w.key, { integrationId: w.integrationId });
    // the subscription is live once a first event could arrive; give the socket its handshake
    await new Promise((r) => setTimeout(r, 200));
    const run = (
      await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "CATEGORIES_ECWID_TO_CCV" })
    ).runSync;
    await eventually(
      async () => m.events.find((e) => e.type === "RUN_FINISHED" && e.runId === run.id),
      "RUN_FINISHED",
    );
    await m.close();
    const mine = m.events.filter((e) => e.runId === run.id);
    expect(mine.map((e) => e.type)).toEqual([
      "RUN_QUEUED",
      "RUN_STARTED",
      "ITEM_SUCCEEDED",
      "ITEM_SUCCEEDED",
      "ITEM_SUCCEEDED",
      "RUN_FINISHED",
    ]);
    const finished = mine.at(-1)!;
    expect(finished).toMatchObject({
      runStatus: "SUCCEEDED",
      progress: 1,
      counts: { total: 3, created: 3, failed: 0 },
    });
    const item = mine[2].item!;
    expect(item).toMatchObject({ sourceId: "501", action: "CREATE", status: "SUCCEEDED", runId: run.id });
    expect(item.sentPayload).toMatchObject({ name: "Live 1" });
    // item events carry the run's finish estimate at the pace observed so far
    for (const e of mine.slice(2, 5)) expect(Date.parse(e.estimatedFinishAt!)).toBeGreaterThan(0);
    // ids increase: a monitor can resume after the last one it saw
    const ids = mine.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it("with afterId, replays the persisted events after that id first (a reconnecting monitor misses nothing)", async () => {
    const run = (
      await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "CATEGORIES_ECWID_TO_CCV" })
    ).runSync;
    await w.waitRun(run.id);
    const first = monitor(w, w.key, { integrationId: w.integrationId, runId: run.id, afterId: "0" });
    await eventually(
      async () => first.events.find((e) => e.type === "RUN_FINISHED"),
      "replayed RUN_FINISHED",
    );
    await first.close();
    expect(first.events.map((e) => e.type)).toEqual([
      "RUN_QUEUED",
      "RUN_STARTED",
      "ITEM_SKIPPED",
      "ITEM_SKIPPED",
      "ITEM_SKIPPED",
      "RUN_FINISHED",
    ]);
    const resumeFrom = first.events[2].id;
    const again = monitor(w, w.key, { integrationId: w.integrationId, runId: run.id, afterId: resumeFrom });
    await eventually(async () => again.events.find((e) => e.type === "RUN_FINISHED"), "replay after an id");
    await again.close();
    expect(again.events.map((e) => e.id)).toEqual(first.events.slice(3).map((e) => e.id));
  });

  it("a subscription whose key is revoked is ended instead of streaming on", async () => {
    const viewer = (await w.gql(CreateApiKeyDocument, { name: "wall screen", role: "VIEWER" })).createApiKey;
    const m = monitor(w, viewer.secret, { integrationId: w.integrationId });
    await new Promise((r) => setTimeout(r, 200));
    await w.gql(RevokeApiKeyDocument, { id: viewer.apiKey.id });
    // subscriptions re-check their key every few seconds, on the next event
    await new Promise((r) => setTimeout(r, 5_500));
    await w.waitRun(
      (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "CATEGORIES_ECWID_TO_CCV" }))
        .runSync.id,
    );
    await eventually(async () => m.errors.length > 0, "the subscription to end");
    await m.close();
    expect(JSON.stringify(m.errors)).toContain("UNAUTHENTICATED");
    expect(m.events.some((e) => e.type === "RUN_FINISHED")).toBe(false);
  });

  it("a key of another workspace is refused and receives nothing", async () => {
    const other = await executeOk(w.t.url, CreateWorkspaceDocument, { name: "Someone else" }, w.t.adminToken);
    const otherKey = other.createWorkspace.adminKey.secret;
    // the other workspace has an integration of its own, which it may watch
    await executeOk(
      w.t.url,
      CreateIntegrationDocument,
      {
        input: {
          name: "theirs",
          ecwid: { storeId: 1, token: "secret_theirs_1" },
          ccv: { baseUrl: "https://x.example", publicKey: "pk_t", secretKey: "sk_theirs" },
        },
      },
      otherKey,
    );
    const spy = monitor(w, otherKey, { integrationId: w.integrationId });
    await eventually(async () => spy.errors.length > 0, "the refusal");
    const run = (
      await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "CATEGORIES_ECWID_TO_CCV" })
    ).runSync;
    await w.waitRun(run.id);
    await spy.close();
    expect(spy.events).toEqual([]);
    expect(JSON.stringify(spy.errors)).toContain("NOT_FOUND");
  });
});
