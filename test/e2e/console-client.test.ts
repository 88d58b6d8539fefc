import net from "node:net";
import WebSocket from "ws";
import { createGatewayClient, GatewayError } from "../../console/src/api/client";
import {
  ConfigureFlowDocument,
  RunSyncDocument,
  SyncEventsDocument,
  type SyncEventsSubscription,
} from "../../sdk/generated/graphql";
import type { EcwidProduct } from "../../src/connectors/ecwid";
import { webOrder } from "../support/web-orders";
import { eventually, startWorld, type World } from "../support/world";

/**
 * The console's GraphQL client (the interface the partner SDK shares): requests, typed errors, and
 * a subscription that survives a dropped connection by resuming after the last event it received,
 * so a monitor misses nothing and sees nothing twice.
 */
const ORDERS = 20;
const products: EcwidProduct[] = [
  { id: 700100, name: "Mug", sku: "MUG-01", price: 12.5, quantity: 40, unlimited: false, enabled: true },
];

describe("console GraphQL client", () => {
  let w: World;
  let proxy: net.Server;
  let proxyUrl: string;
  const sockets = new Set<net.Socket>();
  let connections = 0;

  beforeAll(async () => {
    w = await startWorld({
      ecwid: { seed: { products } },
      // a steady pace so the connection can be cut while the run is going (nothing is timed)
      engine: { hooks: { beforeRecord: () => new Promise((r) => setTimeout(r, 60)) } },
    });
    w.ccv.store.seedProduct({ name: "Mug", productnumber: "MUG-01", price: 12.5 });
    for (let n = 1; n <= ORDERS; n++)
      w.ecwid.store.createOrder(webOrder(`k${n}@example.com`, "MUG-01", 700100));
    const target = new URL(w.t.url);
    // a TCP hop in front of the gateway that the test can cut, as a flaky network would
    proxy = net.createServer((client) => {
      connections++;
      const upstream = net.connect(Number(target.port), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
        s.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => proxy.close(r));
    await w.stop();
  });

  it("answers requests with typed data and throws GatewayError with the error's code", async () => {
    let key: string | undefined = w.key;
    const client = createGatewayClient({ url: `${proxyUrl}/graphql`, apiKey: () => key });
    const flow = await client.request(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      input: { schedule: "0 3 * * *" },
    });
    expect(flow.configureFlow.schedule).toBe("0 3 * * *");
    const refused = await client
      .request(ConfigureFlowDocument, {
        integrationId: w.integrationId,
        flow: "PRODUCTS_ECWID_TO_CCV",
        input: { settings: { orderStatuses: ["PAID"] } },
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(GatewayError);
    expect((refused as GatewayError).code).toBe("BAD_USER_INPUT");
    expect((refused as GatewayError).message).toMatch(/does not use the setting orderStatuses/);
    key = undefined; // signed out: the key is read per request
    const anonymous = await client
      .request(RunSyncDocument, { integrationId: w.integrationId, flow: "ORDERS_ECWID_TO_CCV" })
      .catch((e: unknown) => e);
    expect((anonymous as GatewayError).code).toBe("UNAUTHENTICATED");
    await client.close();
  });

  it("resumes a subscription after a dropped connection with afterId: every event once, in order", async () => {
    const client = createGatewayClient({ url: proxyUrl, apiKey: w.key, webSocketImpl: WebSocket });
    const seen: SyncEventsSubscription["syncEvents"][] = [];
    const errors: unknown[] = [];
    const stop = client.subscribe(
      SyncEventsDocument,
      { integrationId: w.integrationId },
      { next: (d) => seen.push(d.syncEvents), error: (e) => errors.push(e) },
    );
    await eventually(async () => connections > 0 && sockets.size > 0, "the subscription's connection");
    await new Promise((r) => setTimeout(r, 300)); // let graphql-ws finish its handshake
    const before = connections;
    const run = await w.gql(RunSyncDocument, {
      integrationId: w.integrationId,
      flow: "ORDERS_ECWID_TO_CCV",
      options: { full: true },
    });
    await eventually(async () => seen.filter((e) => e.type === "ITEM_SUCCEEDED").length >= 3, "first items");
    for (const s of sockets) s.destroy(); // the network drops mid-run
    await eventually(
      async () => seen.some((e) => e.type === "RUN_FINISHED" && e.runId === run.runSync.id),
      "the end of the run after reconnecting",
      60_000,
    );
    stop();
    await client.close();
    expect(errors).toEqual([]);
    expect(connections).toBeGreaterThan(before); // it did reconnect
    const ofRun = seen.filter((e) => e.runId === run.runSync.id);
    const ids = ofRun.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ofRun.filter((e) => e.type === "ITEM_SUCCEEDED")).toHaveLength(ORDERS);
    expect(ofRun.map((e) => e.type)).toEqual(
      expect.arrayContaining(["RUN_QUEUED", "RUN_STARTED", "ITEM_SUCCEEDED", "RUN_FINISHED"]),
    );
  });
});
