import {
  ConfigureFlowDocument,
  RetryFailedItemsDocument,
  RunSyncDocument,
  SetFieldMappingsDocument,
  SetValueMappingsDocument,
  SyncRunDocument,
  SyncRunsDocument,
  type ItemFieldsFragment,
  type RunFieldsFragment,
} from "../../sdk/generated/graphql";
import type { EcwidOrder, EcwidProduct } from "../../src/connectors/ecwid";
import { CcvWebhookEntity } from "../../src/db/entities/infra.entity";
import { LinkEntity } from "../../src/db/entities/link.entity";
import type { OrderRec, ProductRec } from "../../src/sandbox/ccv-salespos/ccv.store";
import { LinkStore } from "../../src/sync/engine/links";
import { webOrder } from "../support/web-orders";
import { eventually, startWorld, type World } from "../support/world";

/**
 * Orders after they are booked (issue 10, item 8): a linked order follows the later status changes of
 * its source into the other system — statuses only, through the ORDER_STATUS value map (which
 * holds both directions), echo-safe, and only when something differs — and a returning POS
 * customer updates the Ecwid customer per the write policies. Real HTTP against both sandboxes.
 */

type Flow = "ORDERS_ECWID_TO_CCV" | "ORDERS_CCV_TO_ECWID";

const helpers = (w: World, flow: Flow) => ({
  run: async (options?: { dryRun?: boolean; sourceIds?: string[] }): Promise<RunFieldsFragment> =>
    w.waitRun((await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow, options })).runSync.id),
  itemFor: async (runId: string, sourceId: string): Promise<ItemFieldsFragment> => {
    const items = (await w.gql(SyncRunDocument, { id: runId, first: 100 })).syncRun!.items.edges;
    const item = items.map((e) => e.node).find((i) => i.sourceId === sourceId);
    if (!item) throw new Error(`run ${runId} has no item for ${sourceId}`);
    return item;
  },
  setValueMap: (kind: "ORDER_STATUS", entries: { from: string; to: string }[]) =>
    w.gql(SetValueMappingsDocument, { integrationId: w.integrationId, kind, entries }),
  configure: (input: { enabled?: boolean; settings?: { updateExisting?: boolean } }) =>
    w.gql(ConfigureFlowDocument, { integrationId: w.integrationId, flow, input }),
  webhookItem: (sourceId: string, wanted: (i: ItemFieldsFragment) => boolean) =>
    eventually(async () => {
      const runs = (
        await w.gql(SyncRunsDocument, { integrationId: w.integrationId, flow, first: 50 })
      ).syncRuns.edges.map((e) => e.node);
      for (const r of runs.filter((x) => x.trigger === "WEBHOOK" && x.finishedAt)) {
        const items = (await w.gql(SyncRunDocument, { id: r.id, first: 100 })).syncRun!.items.edges;
        const item = items.map((e) => e.node).find((i) => i.sourceId === sourceId && wanted(i));
        if (item) return item;
      }
      return undefined;
    }, `a WEBHOOK run with ${sourceId}`),
});

// Ecwid → CCV entries are keyed by Ecwid statuses; "7" → DELIVERED is the other direction's entry
// and must not be taken for one of these.
const ECWID_TO_CCV_STATUSES = [
  { from: "CANCELLED", to: "8" },
  { from: "REFUNDED", to: "Cancelled" },
  { from: "AWAITING_PROCESSING", to: "1" },
  { from: "SHIPPED", to: "5" },
  { from: "OUT_FOR_DELIVERY", to: "5" },
  { from: "DELIVERED", to: "6" },
  { from: "7", to: "DELIVERED" },
];

describe("ORDERS_ECWID_TO_CCV: a booked web order follows its later status changes", () => {
  let w: World;
  let h: ReturnType<typeof helpers>;
  let links: LinkStore;

  beforeAll(async () => {
    w = await startWorld();
    h = helpers(w, "ORDERS_ECWID_TO_CCV");
    links = new LinkStore(w.t.gw.dataSource, w.integrationId);
    await h.configure({ enabled: true });
    w.ccv.store.seedProduct({ name: "CCV TEE", productnumber: "TEE-BLK", price: 12.5 });
    await h.setValueMap("ORDER_STATUS", ECWID_TO_CCV_STATUSES);
  });
  afterAll(() => w.stop());

  const ccvOrderOf = (orderId: string): OrderRec => {
    const found = [...w.ccv.store.orders.values()].filter((o) => o.fields.reservationnumber === orderId);
    expect(found).toHaveLength(1);
    return found[0];
  };
  const patchesOf = (ccvId: number) => w.ccv.log.find("PATCH", new RegExp(`/orders/${ccvId}$`));
  const orderPosts = () => w.ccv.log.find("POST", /\/orders\/?$/).length;

  /** A paid web order, sent to CCV by a run. */
  async function book(email: string): Promise<{ orderId: string; ccv: OrderRec }> {
    const { orderId } = w.ecwid.store.createOrder(webOrder(email, "TEE-BLK"));
    const r = await h.run({ sourceIds: [orderId] });
    expect(await h.itemFor(r.id, orderId)).toMatchObject({ action: "CREATE", status: "SUCCEEDED" });
    const ccv = ccvOrderOf(orderId);
    expect(ccv).toMatchObject({ status: 1, paid: true });
    return { orderId, ccv };
  }

  it("a cancelled web order cancels its CCV order (status through ORDER_STATUS, paid through its mapping), without re-creating it or touching its rows", async () => {
    const { orderId, ccv } = await book("cancel@example.com");
    const rows = JSON.stringify(ccv.rows);
    const posts = orderPosts();

    w.ecwid.store.updateOrder(orderId, { paymentStatus: "CANCELLED" });
    const r = await h.run({ sourceIds: [orderId] });
    const item = await h.itemFor(r.id, orderId);
    expect(item).toMatchObject({ action: "UPDATE", status: "SUCCEEDED", targetId: String(ccv.id) });
    expect(item.changes).toEqual([
      { field: "status", before: 1, after: 8 },
      { field: "paid", before: true, after: false },
    ]);
    expect(item.reason).toBe(
      `CCV SalesPOS order ${ccv.ordernumber_full} follows the Ecwid order (payment CANCELLED, fulfilment AWAITING_PROCESSING): status 1 New → 8 Cancelled, paid true → false.`,
    );
    // one PATCH with the status-like fields only; no new order, the rows as they were
    const patches = patchesOf(ccv.id);
    expect(patches.map((p) => JSON.parse(p.body) as unknown)).toEqual([{ status: 8, paid: false }]);
    expect(item.sentPayload).toEqual({ status: 8, paid: false });
    expect(orderPosts()).toBe(posts);
    expect(w.ccv.log.find("PUT", /orderrows/)).toHaveLength(0);
    const after = ccvOrderOf(orderId);
    expect(after).toMatchObject({ status: 8, paid: false });
    expect(JSON.stringify(after.rows)).toBe(rows);
    expect(await links.byEcwid("ORDER", orderId)).toMatchObject({ ccvId: String(ccv.id) });

    // unchanged since: skipped, nothing written
    const writes = w.ccv.log.writes().length;
    const again = await h.itemFor((await h.run({ sourceIds: [orderId] })).id, orderId);
    expect(again).toMatchObject({
      action: "SKIP",
      reason: `Already in CCV SalesPOS as order ${ccv.ordernumber_full}.`,
    });
    expect(w.ccv.log.writes()).toHaveLength(writes);
  });

  it("a refund sets the mapped status (a CCV status name works too) and paid false", async () => {
    const { orderId, ccv } = await book("refund@example.com");
    w.ecwid.store.updateOrder(orderId, { paymentStatus: "REFUNDED" });
    const item = await h.itemFor((await h.run({ sourceIds: [orderId] })).id, orderId);
    expect(item).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(patchesOf(ccv.id).map((p) => JSON.parse(p.body) as unknown)).toEqual([{ status: 8, paid: false }]);
    expect(ccvOrderOf(orderId)).toMatchObject({ status: 8, paid: false });
  });

  it("a fulfilment change writes only the status; a change that maps to what CCV has, or none at all, writes nothing; a status set at the till stays while Ecwid's does not change", async () => {
    const { orderId, ccv } = await book("shipped@example.com");
    w.ecwid.store.updateOrder(orderId, { fulfillmentStatus: "SHIPPED" });
    const shipped = await h.itemFor((await h.run({ sourceIds: [orderId] })).id, orderId);
    expect(shipped).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(shipped.changes).toEqual([{ field: "status", before: 1, after: 5 }]);
    expect(patchesOf(ccv.id).map((p) => JSON.parse(p.body) as unknown)).toEqual([{ status: 5 }]);
    expect(ccvOrderOf(orderId)).toMatchObject({ status: 5, paid: true });

    // OUT_FOR_DELIVERY maps to 5 as well: CCV has it already
    const writes = w.ccv.log.writes().length;
    w.ecwid.store.updateOrder(orderId, { fulfillmentStatus: "OUT_FOR_DELIVERY" });
    const same = await h.itemFor((await h.run({ sourceIds: [orderId] })).id, orderId);
    expect(same).toMatchObject({
      action: "SKIP",
      reason: `Already in CCV SalesPOS as order ${ccv.ordernumber_full}.`,
    });
    expect(w.ccv.log.writes()).toHaveLength(writes);

    // the shop moves the order on at the till; Ecwid's status did not change, so it is not put back
    w.ccv.store.patchOrder(ccv.id, { status: 10 });
    const kept = await h.itemFor((await h.run({ sourceIds: [orderId] })).id, orderId);
    expect(kept.action).toBe("SKIP");
    expect(w.ccv.log.writes()).toHaveLength(writes);
    expect(ccvOrderOf(orderId).status).toBe(10);
  });

  it("a dry run shows the planned update and writes nothing; the real run then makes it", async () => {
    const { orderId } = await book("dry@example.com");
    w.ecwid.store.updateOrder(orderId, { fulfillmentStatus: "DELIVERED" });
    const writes = w.ccv.log.writes().length;
    const dry = await h.run({ dryRun: true, sourceIds: [orderId] });
    expect(dry.dryRun).toBe(true);
    const planned = await h.itemFor(dry.id, orderId);
    expect(planned).toMatchObject({ action: "UPDATE", status: "PENDING", sentPayload: { status: 6 } });
    expect(planned.changes).toEqual([{ field: "status", before: 1, after: 6 }]);
    expect(planned.reason).toMatch(/would follow the Ecwid order .*status 1 New → 6 Delivered/);
    expect(w.ccv.log.writes()).toHaveLength(writes);
    expect(ccvOrderOf(orderId).status).toBe(1);

    const real = await h.itemFor((await h.run({ sourceIds: [orderId] })).id, orderId);
    expect(real).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(ccvOrderOf(orderId).status).toBe(6);
  });

  it("a status without a value mapping fails the item saying which entry to add; a target that is no CCV status fails too; the retry follows once it is mapped", async () => {
    const { orderId, ccv } = await book("custom@example.com");
    w.ecwid.store.updateOrder(orderId, { fulfillmentStatus: "CUSTOM_FULFILLMENT_STATUS_1" });
    const writes = w.ccv.log.writes().length;
    const r = await h.run({ sourceIds: [orderId] });
    expect(r.counts).toMatchObject({ total: 1, failed: 1 });
    const failed = await h.itemFor(r.id, orderId);
    expect(failed).toMatchObject({ status: "FAILED", errorCode: "VALUE_MAPPING" });
    expect(failed.reason).toContain("ORDER_STATUS has no entry for PAID or CUSTOM_FULFILLMENT_STATUS_1");
    expect(failed.reason).toContain("setValueMappings(kind: ORDER_STATUS");
    expect(w.ccv.log.writes()).toHaveLength(writes);

    await h.setValueMap("ORDER_STATUS", [
      ...ECWID_TO_CCV_STATUSES,
      { from: "CUSTOM_FULFILLMENT_STATUS_1", to: "Packed" },
    ]);
    const bad = await h.itemFor((await h.run({ sourceIds: [orderId] })).id, orderId);
    expect(bad).toMatchObject({ status: "FAILED", errorCode: "VALUE_MAPPING" });
    expect(bad.reason).toContain(
      'ORDER_STATUS maps Ecwid status "CUSTOM_FULFILLMENT_STATUS_1" to "Packed", which is not a CCV SalesPOS order status',
    );
    expect(w.ccv.log.writes()).toHaveLength(writes);

    await h.setValueMap("ORDER_STATUS", [
      ...ECWID_TO_CCV_STATUSES,
      { from: "CUSTOM_FULFILLMENT_STATUS_1", to: "Is being packaged" },
    ]);
    const retry = await w.waitRun(
      (await w.gql(RetryFailedItemsDocument, { runId: r.id })).retryFailedItems.id,
    );
    expect(retry.counts).toMatchObject({ total: 1, updated: 1, failed: 0 });
    expect(ccvOrderOf(orderId).status).toBe(10);
    expect(patchesOf(ccv.id).map((p) => JSON.parse(p.body) as unknown)).toEqual([{ status: 10 }]);
    await h.setValueMap("ORDER_STATUS", ECWID_TO_CCV_STATUSES);
  });

  it("an order linked before statuses were followed adopts its statuses as they are, then follows later changes", async () => {
    const { orderId, ccv } = await book("legacy@example.com");
    // what the link held before: the hash of the whole order body that was sent
    await w.t.gw.dataSource.manager.update(
      LinkEntity,
      { integrationId: w.integrationId, entity: "ORDER", ecwidId: orderId },
      { hashToCcv: "a".repeat(64) },
    );
    w.ecwid.store.updateOrder(orderId, { fulfillmentStatus: "SHIPPED" });
    const adopted = await h.itemFor((await h.run({ sourceIds: [orderId] })).id, orderId);
    expect(adopted).toMatchObject({
      action: "SKIP",
      reason: `Already in CCV SalesPOS as order ${ccv.ordernumber_full}.`,
    });
    expect(patchesOf(ccv.id)).toHaveLength(0);
    expect((await links.byEcwid("ORDER", orderId))!.hashToCcv).toMatch(/^st:/);

    w.ecwid.store.updateOrder(orderId, { paymentStatus: "CANCELLED" });
    const followed = await h.itemFor((await h.run({ sourceIds: [orderId] })).id, orderId);
    expect(followed).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(ccvOrderOf(orderId)).toMatchObject({ status: 8, paid: false });
  });

  it("with updateExisting off a booked order is left as it is", async () => {
    const { orderId, ccv } = await book("frozen@example.com");
    await h.configure({ settings: { updateExisting: false } });
    try {
      w.ecwid.store.updateOrder(orderId, { paymentStatus: "CANCELLED" });
      const item = await h.itemFor((await h.run({ sourceIds: [orderId] })).id, orderId);
      expect(item).toMatchObject({ action: "SKIP", status: "SKIPPED" });
      expect(patchesOf(ccv.id)).toHaveLength(0);
      expect(ccvOrderOf(orderId).status).toBe(1);
    } finally {
      await h.configure({ settings: { updateExisting: true } });
    }
  });

  it("Ecwid's order.updated webhook makes the CCV order follow a cancellation", async () => {
    w.ecwid.registerWebhook(`${w.t.url}/webhooks/ecwid/${w.integrationId}`, [
      "order.created",
      "order.updated",
    ]);
    const { orderId } = w.ecwid.store.createOrder(webOrder("hooked@example.com", "TEE-BLK"));
    await w.ecwid.webhooks.flush();
    await h.webhookItem(orderId, (i) => i.action === "CREATE");
    const ccv = ccvOrderOf(orderId);
    expect(ccv.status).toBe(1);

    w.ecwid.store.updateOrder(orderId, { paymentStatus: "CANCELLED" });
    await w.ecwid.webhooks.flush();
    const followed = await h.webhookItem(orderId, (i) => i.action === "UPDATE");
    expect(followed.status).toBe("SUCCEEDED");
    expect(ccvOrderOf(orderId)).toMatchObject({ status: 8, paid: false });
    expect(w.ecwid.webhooks.deliveries.every((d) => d.status === 200)).toBe(true);
  });
});

describe("ORDERS_CCV_TO_ECWID: a booked POS sale follows its later status changes; a returning customer is updated", () => {
  const MUG: EcwidProduct = {
    id: 700100,
    name: "Mug",
    sku: "MUG-01",
    price: 12.5,
    quantity: 500,
    unlimited: false,
    enabled: true,
  };
  const PIET_ID = 170_000_500;
  let w: World;
  let h: ReturnType<typeof helpers>;
  let mug: ProductRec;

  beforeAll(async () => {
    w = await startWorld({
      ecwid: {
        seed: {
          products: [MUG],
          customers: [
            {
              id: PIET_ID,
              email: "piet@example.com",
              b2b_b2c: "b2c",
              billingPerson: {
                name: "Piet Klant",
                street: "Dorpsweg 7",
                city: "Utrecht",
                postalCode: "3511 AA",
                countryCode: "NL",
              },
            },
          ],
        },
      },
    });
    h = helpers(w, "ORDERS_CCV_TO_ECWID");
    mug = w.ccv.store.seedProduct({ name: "Mug", productnumber: "MUG-01", price: 12.5 });
    // both directions in one map: "5" → SHIPPED is this flow's; CANCELLED → 8 and the "*" default
    // giving a CCV code belong to ORDERS_ECWID_TO_CCV and must not be used here
    await h.setValueMap("ORDER_STATUS", [
      { from: "5", to: "SHIPPED" },
      { from: "CANCELLED", to: "8" },
      { from: "*", to: "2" },
    ]);
  });
  afterAll(() => w.stop());

  const customer = (email: string, o: { first?: string; city?: string } = {}) => ({
    email,
    customertype: "b2c",
    billingaddress: {
      first_name: o.first ?? "Piet",
      last_name: "Klant",
      street: "Dorpsweg",
      housenumber: 7,
      zipcode: "3511 AA",
      city: o.city ?? "Utrecht",
      country_code: "NL",
    },
  });
  /** A completed, paid sale at the till. */
  function sale(o: { customer?: Record<string, unknown>; status?: number } = {}): string {
    const order = w.ccv.store.createOrder({
      customer: o.customer ?? customer("walk@example.com"),
      orderrows: [{ product_id: mug.id, count: 1 }],
      is_completed: true,
      paid: true,
      status: o.status ?? 7,
      total_shipping: 0,
    });
    order.fields.paymethod_id = [...w.ccv.store.paymethods.values()].find(
      (p) => p.combined_name === "PinTerminal",
    )!.id;
    return String(order.id);
  }
  const ecwidOrderOf = (ccvId: string): EcwidOrder => {
    const found = w.ecwid.store
      .orderRows()
      .map((r) => w.ecwid.store.renderOrder(r))
      .filter((o) => o.externalOrderId === ccvId);
    expect(found).toHaveLength(1);
    return found[0];
  };
  const orderPuts = (ecwidId: string) => w.ecwid.log.find("PUT", new RegExp(`/orders/${ecwidId}$`));
  const orderGets = (ecwidId: string) => w.ecwid.log.find("GET", new RegExp(`/orders/${ecwidId}$`));
  const customerPuts = () => w.ecwid.log.find("PUT", /\/customers\/\d+$/);

  async function book(o: Parameters<typeof sale>[0] = {}): Promise<{ id: string; ecwidId: string }> {
    const id = sale(o);
    const r = await h.run({ sourceIds: [id] });
    expect(await h.itemFor(r.id, id)).toMatchObject({ action: "CREATE", status: "SUCCEEDED" });
    return { id, ecwidId: ecwidOrderOf(id).id! };
  }

  it("a sale sent or cancelled later updates the Ecwid order's statuses through ORDER_STATUS; unchanged sales are not even read again; Ecwid's own later fulfilment stays", async () => {
    const { id, ecwidId } = await book();
    // 7 has no entry of this direction: the fallback (the "*" giving a CCV code is not used here)
    expect(ecwidOrderOf(id)).toMatchObject({ paymentStatus: "PAID", fulfillmentStatus: "DELIVERED" });

    w.ccv.store.patchOrder(Number(id), { status: 5 });
    const sent = await h.itemFor((await h.run({ sourceIds: [id] })).id, id);
    expect(sent).toMatchObject({ action: "UPDATE", status: "SUCCEEDED", targetId: ecwidId });
    expect(sent.changes).toEqual([{ field: "fulfillmentStatus", before: "DELIVERED", after: "SHIPPED" }]);
    expect(orderPuts(ecwidId).map((p) => JSON.parse(p.body) as unknown)).toEqual([
      { fulfillmentStatus: "SHIPPED" },
    ]);
    expect(ecwidOrderOf(id)).toMatchObject({ paymentStatus: "PAID", fulfillmentStatus: "SHIPPED" });

    // unchanged in CCV: skipped without reading or writing the Ecwid order
    const gets = orderGets(ecwidId).length;
    const again = await h.itemFor((await h.run({ sourceIds: [id] })).id, id);
    expect(again).toMatchObject({ action: "SKIP", reason: `Already in Ecwid as order ${ecwidId}.` });
    expect(orderGets(ecwidId)).toHaveLength(gets);
    expect(orderPuts(ecwidId)).toHaveLength(1);

    // the shop marks it out for delivery in Ecwid; the sale did not change, so that stays
    w.ecwid.store.updateOrder(ecwidId, { fulfillmentStatus: "OUT_FOR_DELIVERY" });
    await h.run({ sourceIds: [id] });
    expect(ecwidOrderOf(id).fulfillmentStatus).toBe("OUT_FOR_DELIVERY");
    expect(orderPuts(ecwidId)).toHaveLength(1);

    w.ccv.store.patchOrder(Number(id), { status: 8 });
    const cancelled = await h.itemFor((await h.run({ sourceIds: [id] })).id, id);
    expect(cancelled).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(ecwidOrderOf(id)).toMatchObject({
      paymentStatus: "CANCELLED",
      fulfillmentStatus: "WILL_NOT_DELIVER",
    });
  });

  it("a dry run shows the planned Ecwid update and writes nothing", async () => {
    const { id, ecwidId } = await book();
    w.ccv.store.patchOrder(Number(id), { status: 5 });
    const writes = w.ecwid.log.writes().length;
    const dry = await h.run({ dryRun: true, sourceIds: [id] });
    const planned = await h.itemFor(dry.id, id);
    expect(planned).toMatchObject({
      action: "UPDATE",
      status: "PENDING",
      sentPayload: { fulfillmentStatus: "SHIPPED" },
    });
    expect(planned.reason).toMatch(new RegExp(`^Ecwid order ${ecwidId} would follow the sale`));
    expect(w.ecwid.log.writes()).toHaveLength(writes);
    expect(ecwidOrderOf(id).fulfillmentStatus).toBe("DELIVERED");
    await h.run({ sourceIds: [id] });
    expect(ecwidOrderOf(id).fulfillmentStatus).toBe("SHIPPED");
  });

  it("a status mapped to something Ecwid does not know fails the item with VALUE_MAPPING and writes nothing", async () => {
    const { id, ecwidId } = await book();
    await h.setValueMap("ORDER_STATUS", [
      { from: "5", to: "SHIPPED" },
      { from: "6", to: "Handed over" },
    ]);
    try {
      w.ccv.store.patchOrder(Number(id), { status: 6 });
      const failed = await h.itemFor((await h.run({ sourceIds: [id] })).id, id);
      expect(failed).toMatchObject({ status: "FAILED", errorCode: "VALUE_MAPPING" });
      expect(failed.reason).toMatch(/"Handed over", which is not an Ecwid fulfillment status/);
      expect(orderPuts(ecwidId)).toHaveLength(0);
    } finally {
      await h.setValueMap("ORDER_STATUS", [{ from: "5", to: "SHIPPED" }]);
    }
  });

  it("CCV's orders.updated.status webhook makes the Ecwid order follow", async () => {
    await h.configure({ enabled: true });
    try {
      // enabling registers the gateway's CCV webhooks (the status events included) with their keys
      const events = ["orders.created", "orders.updated.status", "orders.updated.ispaid"];
      await eventually(async () => {
        const keys = await w.t.gw.dataSource.manager.findBy(CcvWebhookEntity, {
          integrationId: w.integrationId,
        });
        return events.every((e) => keys.some((k) => k.event === e && k.keyEnc)) || undefined;
      }, "the CCV webhook registrations");
      const id = sale();
      await h.webhookItem(id, (i) => i.action === "CREATE");
      w.ccv.store.patchOrder(Number(id), { status: 5 });
      await w.ccv.webhooks.waitFor(
        (d) => d.event === "orders.updated.status" && JSON.parse(d.body).id === Number(id),
      );
      const followed = await h.webhookItem(id, (i) => i.action === "UPDATE");
      expect(followed.status).toBe("SUCCEEDED");
      expect(ecwidOrderOf(id).fulfillmentStatus).toBe("SHIPPED");
    } finally {
      await h.configure({ enabled: false });
    }
  });

  it("a returning POS customer updates the Ecwid customer per the write policies: a CREATE_ONLY field is left alone; the same data writes nothing; a dry run only plans it", async () => {
    await w.gql(SetFieldMappingsDocument, {
      integrationId: w.integrationId,
      flow: "ORDERS_CCV_TO_ECWID",
      mappings: [
        { target: "billingPerson.name", expression: "$ctx.billingPerson.name", policy: "CREATE_ONLY" },
      ],
    });
    try {
      const puts = customerPuts().length;
      const id = sale({ customer: customer("Piet@Example.com", { first: "Pieter", city: "Zwolle" }) });
      const r = await h.run({ sourceIds: [id] });
      const item = await h.itemFor(r.id, id);
      expect(item).toMatchObject({ action: "CREATE", status: "SUCCEEDED" });
      expect(item.changes).toContainEqual({
        field: "customer.billingPerson.city",
        before: "Utrecht",
        after: "Zwolle",
      });
      expect(item.changes!.some((c) => c.field === "customer.billingPerson.name")).toBe(false);
      // the order carries the sale's name; the customer keeps its own (CREATE_ONLY)
      expect(ecwidOrderOf(id)).toMatchObject({
        customerId: PIET_ID,
        billingPerson: { name: "Pieter Klant" },
      });
      expect(w.ecwid.store.findCustomerIdByEmail("piet@example.com")).toBe(PIET_ID);
      expect(w.ecwid.store.getCustomer(PIET_ID)).toMatchObject({
        name: "Piet Klant",
        billingPerson: { name: "Piet Klant", city: "Zwolle", street: "Dorpsweg 7" },
      });
      const sentCustomer = customerPuts().slice(puts);
      expect(sentCustomer).toHaveLength(1);
      expect(sentCustomer[0].path).toMatch(new RegExp(`/customers/${PIET_ID}$`));
      expect(JSON.parse(sentCustomer[0].body)).toEqual({
        billingPerson: {
          name: "Piet Klant",
          street: "Dorpsweg 7",
          city: "Zwolle",
          postalCode: "3511 AA",
          countryCode: "NL",
        },
      });

      // the next sale with the same data leaves the customer alone
      const same = sale({ customer: customer("piet@example.com", { first: "Pieter", city: "Zwolle" }) });
      const second = await h.itemFor((await h.run({ sourceIds: [same] })).id, same);
      expect(second.action).toBe("CREATE");
      expect(second.changes!.some((c) => c.field.startsWith("customer."))).toBe(false);
      expect(customerPuts()).toHaveLength(puts + 1);

      // a dry run plans the update and writes nothing
      const moved = sale({ customer: customer("piet@example.com", { city: "Delft" }) });
      const writes = w.ecwid.log.writes().length;
      const planned = await h.itemFor((await h.run({ dryRun: true, sourceIds: [moved] })).id, moved);
      expect(planned).toMatchObject({ action: "CREATE", status: "PENDING" });
      expect(planned.changes).toContainEqual({
        field: "customer.billingPerson.city",
        before: "Zwolle",
        after: "Delft",
      });
      expect(w.ecwid.log.writes()).toHaveLength(writes);
      expect(w.ecwid.store.getCustomer(PIET_ID).billingPerson!.city).toBe("Zwolle");
    } finally {
      await w.gql(SetFieldMappingsDocument, {
        integrationId: w.integrationId,
        flow: "ORDERS_CCV_TO_ECWID",
        mappings: [],
      });
    }
  });
});
