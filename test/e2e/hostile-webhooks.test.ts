import { ConfigureFlowDocument } from "../../sdk/generated/graphql";
import { ccvWebhookSignature } from "../../src/connectors/ccv-salespos/ccv.webhooks";
import { signEcwidWebhook } from "../../src/connectors/ecwid/ecwid.webhooks";
import { ECWID_WEBHOOK_CLOCK_SKEW_SECONDS } from "../../src/connectors/ecwid/ecwid.vendor-facts";
import { CcvWebhookEntity, WebhookInboxEntity } from "../../src/db/entities/infra.entity";
import { In } from "typeorm";
import { SyncRunEntity } from "../../src/db/entities/sync-run.entity";
import { CCV_SAME_SECOND_REQUEUE_MS } from "../../src/sync/webhook.service";
import { expectAlive, expectNoLeak, send, vendorRequests } from "../support/hostile";
import { eventually, startWorld, type World } from "../support/world";

/**
 * Issue 9, point 7: forged, tampered, unsigned, future-dated, unheard-of and oversized webhook
 * deliveries are refused or dropped without storing anything or starting a run; a properly signed
 * one is taken.
 */
describe("hostile webhooks", () => {
  let w: World;
  let ccvKey: string;
  let ccvAddress: string;
  const stored = () => w.t.gw.dataSource.manager.count(WebhookInboxEntity);
  const runs = () => w.t.gw.dataSource.manager.count(SyncRunEntity);

  beforeAll(async () => {
    w = await startWorld();
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "ORDERS_CCV_TO_ECWID",
      input: { enabled: true },
    });
    await eventually(async () => {
      const reg = await w.t.gw.dataSource.manager.findOneBy(CcvWebhookEntity, {
        integrationId: w.integrationId,
        event: "orders.updated.status",
      });
      return reg?.keyEnc ? reg : undefined;
    }, "the CCV webhook registration");
    const hook = [...w.ccv.store.webhooks.values()].find((h) => h.event === "orders.updated.status")!;
    ccvKey = hook.key;
    ccvAddress = hook.address;
  });
  afterAll(() => w.stop());
  afterEach(async () => {
    await expectAlive(w.t.url);
  });

  // CCV §8.6, the body exactly as CCV signs it
  const body = (id: number) =>
    `{"triggered_at":"2024-05-01T12:00:05Z","href":"https://demo-shop.example/api/rest/v1/orders/${id}","id":${id},"order_number":1042,"ordernumber_prefix":null,"ordernumber_full":"1042","total_price":24.95,"previous_status":1,"status":5,"customer_email":"jan@example.com","customer_mobile":""}`;
  const ccvPost = (event: string, raw: string, hash?: string) =>
    send(`${w.t.url}/webhooks/ccv/${w.integrationId}/${event}`, {
      body: raw,
      headers: { "content-type": "application/json", ...(hash ? { "x-hash": hash } : {}) },
    });

  describe("CCV SalesPOS", () => {
    it("a delivery signed with the webhook's key is taken", async () => {
      const raw = body(500000901);
      const a = await ccvPost("orders.updated.status", raw, ccvWebhookSignature(ccvKey, ccvAddress, raw));
      expect(a.status).toBe(200);
      expect(a.json).toMatchObject({ status: "accepted", flows: ["ORDERS_CCV_TO_ECWID"] });
    });

    it.each([
      ["unsigned", (raw: string) => ({ raw, hash: undefined }), /missing-signature/],
      [
        "signed with another key",
        (raw: string) => ({ raw, hash: ccvWebhookSignature("whk_forged", ccvAddress, raw) }),
        /bad-signature/,
      ],
      [
        "tampered in one byte after signing",
        (raw: string) => ({
          raw: raw.replace('"status":5', '"status":6'),
          hash: ccvWebhookSignature(ccvKey, ccvAddress, raw),
        }),
        /bad-signature/,
      ],
    ])("a delivery %s is refused with 401, nothing stored, no run", async (_what, make, reason) => {
      // the run the accepted delivery above started reads the vendors: let it finish first
      await eventually(
        async () =>
          (await w.t.gw.dataSource.manager.countBy(SyncRunEntity, { status: In(["QUEUED", "RUNNING"]) })) ===
          0,
        "no run going",
      );
      const [s0, r0, v0] = [await stored(), await runs(), vendorRequests(w)];
      const { raw, hash } = make(body(500000902));
      const a = await ccvPost("orders.updated.status", raw, hash);
      expect(a.status).toBe(401);
      expectNoLeak(a);
      expect(a.text).toMatch(reason);
      expect([await stored(), await runs(), vendorRequests(w)]).toEqual([s0, r0, v0]);
    });

    it("a signed body seen before: absorbed until its run picks the record up, then one more run (coalesced); replayed after the window, absorbed", async () => {
      const noRunGoing = () =>
        eventually(
          async () =>
            (await w.t.gw.dataSource.manager.countBy(SyncRunEntity, {
              status: In(["QUEUED", "RUNNING"]),
            })) === 0,
          "no run going",
        );
      const raw = body(500000904);
      const post = async () =>
        (await ccvPost("orders.updated.status", raw, ccvWebhookSignature(ccvKey, ccvAddress, raw))).json;
      await noRunGoing();
      await w.t.gw.engine.stopWorker();
      try {
        const r0 = await runs();
        expect(await post()).toMatchObject({ status: "accepted" });
        // CCV sent the same bytes again before the run started: that run reads the order anyway
        expect(await post()).toMatchObject({ status: "duplicate" });
        expect(await runs()).toBe(r0 + 1);
        await w.t.gw.engine.startWorker();
        await noRunGoing();
        await w.t.gw.engine.stopWorker();
        // the run has read the order: a same-second second change needs one more run, only one
        expect(await post()).toMatchObject({ status: "requeued", flows: ["ORDERS_CCV_TO_ECWID"] });
        expect(await post()).toMatchObject({ status: "duplicate" });
        expect(await runs()).toBe(r0 + 2);
        await w.t.gw.engine.startWorker();
        await noRunGoing();
        await w.t.gw.engine.stopWorker();
        // a capture replayed after the window is a plain redelivery
        await w.t.gw.dataSource.manager.update(
          WebhookInboxEntity,
          { integrationId: w.integrationId, eventType: "orders.updated.status", entityId: "500000904" },
          { receivedAt: new Date(Date.now() - CCV_SAME_SECOND_REQUEUE_MS - 1000) },
        );
        expect(await post()).toMatchObject({ status: "duplicate" });
        expect(await runs()).toBe(r0 + 2);
      } finally {
        await w.t.gw.engine.startWorker();
      }
    });

    it("a delivery for an event the gateway never registered is refused", async () => {
      const s0 = await stored();
      const a = await ccvPost("products.updated", '{"id":5,"href":"x"}');
      expect(a.status).toBe(401);
      expect(await stored()).toBe(s0);
    });

    it("an oversized delivery gets a JSON 413 and is not stored", async () => {
      const s0 = await stored();
      const raw = `{"id":1,"pad":"${"x".repeat(200 * 1024)}"}`;
      const a = await ccvPost("orders.updated.status", raw, ccvWebhookSignature(ccvKey, ccvAddress, raw));
      expect(a.status).toBe(413);
      expectNoLeak(a);
      expect(a.json).toMatchObject({ code: "PAYLOAD_TOO_LARGE", max: 65536 });
      expect(await stored()).toBe(s0);
    });

    it("a signed delivery no enabled flow listens to is acknowledged and dropped without storing it", async () => {
      await w.gql(ConfigureFlowDocument, {
        integrationId: w.integrationId,
        flow: "ORDERS_CCV_TO_ECWID",
        input: { enabled: false },
      });
      try {
        const [s0, r0] = [await stored(), await runs()];
        const raw = body(500000903);
        const a = await ccvPost("orders.updated.status", raw, ccvWebhookSignature(ccvKey, ccvAddress, raw));
        expect(a.status).toBe(200);
        expect(a.json).toMatchObject({ status: "ignored" });
        expect([await stored(), await runs()]).toEqual([s0, r0]);
      } finally {
        await w.gql(ConfigureFlowDocument, {
          integrationId: w.integrationId,
          flow: "ORDERS_CCV_TO_ECWID",
          input: { enabled: true },
        });
      }
    });
  });

  describe("Ecwid", () => {
    const ecwidPost = (event: Record<string, unknown>, signature?: string) =>
      send(`${w.t.url}/webhooks/ecwid/${w.integrationId}`, {
        body: JSON.stringify(event),
        headers: {
          "content-type": "application/json",
          ...(signature ? { "x-ecwid-webhook-signature": signature } : {}),
        },
      });
    const event = (eventType: string, eventCreated: number, eventId = `ev-${Math.random()}`) => ({
      eventId,
      eventCreated,
      storeId: w.ecwid.storeId,
      entityId: 42,
      eventType,
      data: { orderId: "XJ12H" },
    });
    const signed = (e: { eventId: string; eventCreated: number }) =>
      signEcwidWebhook(w.ecwid.clientSecret!, e.eventCreated, e.eventId);
    const now = () => Math.floor(Date.now() / 1000);

    it("an event dated beyond the clock skew is refused, one within it is taken", async () => {
      await w.gql(ConfigureFlowDocument, {
        integrationId: w.integrationId,
        flow: "ORDERS_ECWID_TO_CCV",
        input: { enabled: true },
      });
      const [s0, r0] = [await stored(), await runs()];
      const future = event("order.updated", now() + ECWID_WEBHOOK_CLOCK_SKEW_SECONDS + 3600);
      const a = await ecwidPost(future, signed(future));
      expect(a.status).toBe(401);
      expectNoLeak(a);
      expect(a.json).toMatchObject({ error: expect.stringMatching(/dated \d+ s in the future/) });
      expect([await stored(), await runs()]).toEqual([s0, r0]);
      const skewed = event("order.updated", now() + 60);
      expect((await ecwidPost(skewed, signed(skewed))).status).toBe(200);
    });

    it("an unsigned event is refused; a signed one no enabled flow listens to is acknowledged and not stored", async () => {
      const s0 = await stored();
      const e = event("product.updated", now());
      expect((await ecwidPost(e)).status).toBe(401);
      const ok = await ecwidPost(e, signed(e));
      expect(ok.status).toBe(200);
      expect(ok.json).toMatchObject({ status: "ignored" });
      expect(await stored()).toBe(s0);
    });

    it("oversized or malformed bodies get JSON errors", async () => {
      const big = await send(`${w.t.url}/webhooks/ecwid/${w.integrationId}`, {
        body: "x".repeat(100 * 1024),
        headers: { "content-type": "application/json" },
      });
      expect(big.status).toBe(413);
      expectNoLeak(big);
      const bad = await send(`${w.t.url}/webhooks/ecwid/${w.integrationId}`, {
        body: "{ not json",
        headers: { "content-type": "application/json" },
      });
      expect(bad.status).toBe(400);
      expectNoLeak(bad);
    });
  });
});
