import WebSocket from "ws";
import {
  ConfigureFlowDocument,
  createGatewayClient,
  GatewayError,
  IntegrationsDocument,
  RunSyncDocument,
  SyncEventsDocument,
  ViewerDocument,
  type ConnectionState,
  type SyncEventsSubscription,
} from "../../sdk/src";
import type { EcwidCategory } from "../../src/connectors/ecwid";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { eventually, startWorld, type World } from "../support/world";

type Ev = SyncEventsSubscription["syncEvents"];

const cats: EcwidCategory[] = Array.from({ length: 6 }, (_, i) => ({
  id: 700 + i,
  name: `Resume ${i}`,
  orderBy: i,
  enabled: true,
}));

describe("sdk client: typed requests and subscriptions that survive a dropped connection", () => {
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

  it("resolves typed data, and throws GatewayError with the gateway's code", async () => {
    // the /graphql endpoint works as the URL too
    const c = createGatewayClient({ url: `${w.t.url}/graphql`, apiKey: w.key });
    expect(c.endpoints).toEqual({
      http: `${w.t.url}/graphql`,
      ws: `${w.t.url.replace("http", "ws")}/graphql`,
    });
    const list = await c.request(IntegrationsDocument, {});
    expect(list.integrations.map((i) => i.id)).toEqual([w.integrationId]);
    expect(list.integrations[0].ecwid.maskedCredentials).not.toContain(w.ecwid.token);

    const anonymous = createGatewayClient({ url: w.t.url });
    const err = await anonymous.request(IntegrationsDocument, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ code: "UNAUTHENTICATED" });
    expect((err as GatewayError).errors).toHaveLength(1);
  });

  it("reads the key per request: a function key follows sign-in and sign-out", async () => {
    let key: string | undefined = w.key;
    const c = createGatewayClient({ url: w.t.url, apiKey: () => key });
    expect((await c.request(ViewerDocument)).viewer.role).toBe("ADMIN");
    key = undefined;
    await expect(c.request(ViewerDocument)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("an unreachable gateway is a NETWORK_ERROR that names the URL and never the key", async () => {
    const proxy = await startTcpProxy(w.t.url);
    const url = proxy.url;
    await proxy.close();
    const c = createGatewayClient({ url, apiKey: w.key });
    const err = (await c.request(ViewerDocument).catch((e: unknown) => e)) as GatewayError;
    expect(err.code).toBe("NETWORK_ERROR");
    expect(err.message).toContain(url);
    expect(err.message).not.toContain(w.key);
  });

  it("a subscription with a wrong key ends with CONNECTION_CLOSED 4403 instead of reconnecting forever", async () => {
    const c = createGatewayClient({
      url: w.t.url,
      apiKey: "gwk_wrong",
      webSocketImpl: WebSocket,
      reconnect: { initialDelayMs: 10, maxDelayMs: 20 },
    });
    const err = await new Promise<unknown>((resolve) => {
      c.subscribe(
        SyncEventsDocument,
        { integrationId: w.integrationId },
        { next: () => undefined, error: resolve },
      );
    });
    expect(err).toMatchObject({ code: "CONNECTION_CLOSED", closeCode: 4403 });
    await c.close();
  });

  it("resumes after the connection is cut mid-stream: every event once, in order", async () => {
    const proxy: TcpProxy = await startTcpProxy(w.t.url);
    const states: ConnectionState[] = [];
    const c = createGatewayClient({
      url: proxy.url,
      apiKey: w.key,
      webSocketImpl: WebSocket,
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
      onConnectionChange: (s) => states.push(s),
    });
    const events: Ev[] = [];
    const errors: unknown[] = [];
    let cutAt = -1;
    let runId = "";
    const stop = c.subscribe(
      SyncEventsDocument,
      { integrationId: w.integrationId },
      {
        next: (d) => {
          events.push(d.syncEvents);
          // cut the connection (server side of the client's socket) right after the first item,
          // and keep refusing reconnects until the run is over: the rest must come from the replay
          if (cutAt < 0 && d.syncEvents.type.startsWith("ITEM_")) {
            cutAt = events.length;
            proxy.drop({ refuse: true });
          }
        },
        error: (e) => errors.push(e),
      },
    );
    try {
      await eventually(async () => states.includes("connected"), "the live connection");
      // the run is started past the proxy, so it goes on while the client is cut off
      runId = (
        await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "CATEGORIES_ECWID_TO_CCV" })
      ).runSync.id;
      await eventually(async () => cutAt > 0, "the cut");
      const run = await w.waitRun(runId);
      expect(run.counts.total).toBe(cats.length);
      expect(events.some((e) => e.type === "RUN_FINISHED")).toBe(false);
      proxy.allow();
      await eventually(
        async () => events.find((e) => e.type === "RUN_FINISHED"),
        "RUN_FINISHED after resuming",
      );
    } finally {
      // a failed expectation must not leave a client reconnecting behind (Jest would never exit)
      stop();
      await c.close();
      await proxy.close();
    }

    expect(errors).toEqual([]);
    expect(states).toContain("reconnecting");
    expect(proxy.accepted).toBeGreaterThanOrEqual(2);
    const mine = events.filter((e) => e.runId === runId);
    expect(mine.map((e) => e.type)).toEqual([
      "RUN_QUEUED",
      "RUN_STARTED",
      ...cats.map(() => "ITEM_SUCCEEDED"),
      "RUN_FINISHED",
    ]);
    expect(mine.slice(2, -1).map((e) => e.item?.sourceId)).toEqual(cats.map((x) => String(x.id)));
    const ids = events.map((e) => Number(e.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    // most of the stream arrived after the cut, through the resume
    expect(mine.length - cutAt).toBeGreaterThan(cats.length - 2);
  });
});
