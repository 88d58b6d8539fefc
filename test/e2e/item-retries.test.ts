import {
  ConfigureFlowDocument,
  RunSyncDocument,
  SyncRunDocument,
  SyncRunsDocument,
} from "../../sdk/generated/graphql";
import type { EcwidProduct } from "../../src/connectors/ecwid";
import {
  LEGACY_REASON_MARKER,
  SyncItemMissingSkuEntity,
} from "../../src/db/entities/sync-item-missing-sku.entity";
import { WriteIntentEntity } from "../../src/db/entities/write-intent.entity";
import { HEAL_WINDOW_DAYS } from "../../src/jobs/item-retries";
import { AUTO_RETRY_DELAYS_MS } from "../../src/sync/engine/error-policy";
import type { FlowDefinition } from "../../src/sync/engine/flow-definition";
import { ALL_FLOWS } from "../../src/sync/flows";
import { eventually, startWorld, type World } from "../support/world";
import { webOrder } from "../support/web-orders";

/**
 * Automatic retries of failed items whose cause can heal (error-policy.ts, jobs/item-retries.ts):
 * the item shows its next attempt, a worker's pass queues a RETRY run when it is due, and a
 * MISSING_PRODUCT item is tried at once when a product flow links its SKU.
 */
const ORDERS = "ORDERS_ECWID_TO_CCV" as const;

/**
 * A stand-in for the products flow (written elsewhere): an Ecwid product becomes a CCV product
 * through the CCV client, and the item records the PRODUCT link with its SKU, as product flows do.
 */
const productsStandIn: FlowDefinition = {
  kind: "PRODUCTS_ECWID_TO_CCV",
  entity: "PRODUCT",
  source: "ECWID",
  target: "CCV_SALESPOS",
  defaultMappings: [],
  async *discover() {},
  async fetchOne(rt, id) {
    const [p] = await rt.clients.ecwid.getProducts([Number(id)]);
    return p ? { id, entity: "PRODUCT", sku: p.sku ?? null, payload: p } : null;
  },
  async syncItem(rt, record) {
    const p = record.payload as EcwidProduct;
    const created = await rt.clients.ccv.createProduct({
      name: p.name ?? p.sku!,
      price: p.price ?? 0,
      discount: 0,
      taxtariff: "normal",
      productnumber: p.sku!,
    });
    return {
      action: "CREATE",
      targetId: String(created.id),
      links: [
        {
          entity: "PRODUCT",
          ecwidId: record.id,
          ccvId: String(created.id),
          createdBy: "CCV_SALESPOS",
          sku: p.sku,
        },
      ],
    };
  },
};

let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

async function startRetryWorld(): Promise<World> {
  const w = await startWorld({
    engine: {
      flows: [...ALL_FLOWS.filter((f) => f.kind !== productsStandIn.kind), productsStandIn],
      // the automatic pass is driven by the test (its clock), never by the interval
      itemRetries: { intervalMs: 3_600_000, now: clock },
    },
  });
  for (const flow of [ORDERS, productsStandIn.kind] as const)
    await w.gql(ConfigureFlowDocument, { integrationId: w.integrationId, flow, input: { enabled: true } });
  return w;
}

const runFor = async (w: World, flow: typeof ORDERS | "PRODUCTS_ECWID_TO_CCV", sourceIds: string[]) =>
  w.waitRun(
    (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow, options: { sourceIds } })).runSync
      .id,
  );
const onlyItem = async (w: World, runId: string) =>
  (await w.gql(SyncRunDocument, { id: runId })).syncRun!.items.edges[0].node;
const retryRuns = async (w: World) =>
  (await w.gql(SyncRunsDocument, { integrationId: w.integrationId, flow: ORDERS })).syncRuns.edges
    .map((e) => e.node)
    .filter((r) => r.trigger === "RETRY");
const missingSkusOf = async (w: World, itemId: string) =>
  (
    await w.t.gw.dataSource.manager.find(SyncItemMissingSkuEntity, {
      where: { itemId: Number(itemId) },
      order: { sku: "ASC" },
    })
  ).map((m) => m.sku);
/** the products flow links an Ecwid product with this SKU (created in CCV by the stand-in) */
let nextProductId = 881000;
async function linkProduct(w: World, sku: string) {
  const id = nextProductId++;
  w.ecwid.store.seedProduct({ id, sku, name: `Product ${sku}`, price: 10, enabled: true } as EcwidProduct);
  const r = await runFor(w, "PRODUCTS_ECWID_TO_CCV", [String(id)]);
  expect(r.counts).toMatchObject({ created: 1, failed: 0 });
}
const ccvOrdersFor = (w: World, reference: string) =>
  [...w.ccv.store.orders.values()].filter((o) => o.fields.reservationnumber === reference);

describe("automatic retries of failed items", () => {
  let w: World;
  beforeAll(async () => {
    w = await startRetryWorld();
  });
  afterAll(() => w.stop());
  beforeEach(() => {
    offsetMs = 0;
  });

  it("a MISSING_PRODUCT item shows its next attempt and heals by itself once a product flow links the SKU", async () => {
    const order = w.ecwid.store.createOrder(webOrder("heal@example.com", "LAMP-77")).orderId;
    const failed = await runFor(w, ORDERS, [order]);
    expect(failed.status).toBe("FAILED");
    const item = await onlyItem(w, failed.id);
    expect(item).toMatchObject({ status: "FAILED", errorCode: "MISSING_PRODUCT" });
    expect(Date.parse(item.nextAttemptAt!) - Date.parse(item.updatedAt)).toBe(AUTO_RETRY_DELAYS_MS[0]);
    expect(await retryRuns(w)).toHaveLength(0);

    // the product appears in Ecwid and the products flow creates and links it in CCV
    w.ecwid.store.seedProduct({
      id: 880077,
      sku: "LAMP-77",
      name: "Lamp",
      price: 12.5,
      enabled: true,
    } as EcwidProduct);
    const products = await runFor(w, "PRODUCTS_ECWID_TO_CCV", ["880077"]);
    expect(products.counts).toMatchObject({ created: 1, failed: 0 });

    // no clock moved: the link itself made the order due
    const [retry] = await eventually(async () => {
      const r = await retryRuns(w);
      return r.length > 0 ? r : null;
    }, "the automatic RETRY run");
    const healed = await w.waitRun(retry.id);
    expect(healed.counts).toMatchObject({ total: 1, created: 1, failed: 0 });
    expect(ccvOrdersFor(w, order)).toHaveLength(1);
    // the failed item is no longer waiting
    expect((await onlyItem(w, failed.id)).nextAttemptAt).toBeNull();
  });

  it("a due item is retried by the worker's pass with growing delays, and not again once it went through", async () => {
    const before = (await retryRuns(w)).length;
    const order = w.ecwid.store.createOrder(webOrder("later@example.com", "DESK-5")).orderId;
    const first = await onlyItem(w, (await runFor(w, ORDERS, [order])).id);
    expect(first.errorCode).toBe("MISSING_PRODUCT");
    expect(await w.t.gw.engine.itemRetries.runDue()).toEqual([]);

    // 5 minutes later the pass retries it; still missing: the next attempt is 30 minutes after that
    offsetMs = AUTO_RETRY_DELAYS_MS[0];
    const [second] = await w.t.gw.engine.itemRetries.runDue();
    const secondRun = await w.waitRun(second);
    expect(secondRun.trigger).toBe("RETRY");
    const again = await onlyItem(w, secondRun.id);
    expect(again).toMatchObject({ status: "FAILED", errorCode: "MISSING_PRODUCT" });
    expect(Date.parse(again.nextAttemptAt!) - Date.parse(again.updatedAt)).toBe(AUTO_RETRY_DELAYS_MS[1]);
    expect((await onlyItem(w, (await w.gql(SyncRunDocument, { id: secondRun.id })).syncRun!.id)).id).toBe(
      again.id,
    );

    // made in CCV by hand (no link): the scheduled pass picks it up when it is due
    w.ccv.store.seedProduct({ name: "Desk", productnumber: "DESK-5", price: 12.5 });
    // its next attempt is 30 minutes after the second one (recorded moments ago)
    offsetMs = AUTO_RETRY_DELAYS_MS[1] - 60_000;
    expect(await w.t.gw.engine.itemRetries.runDue()).toEqual([]);
    offsetMs = AUTO_RETRY_DELAYS_MS[1] + 1_000;
    const [third] = await w.t.gw.engine.itemRetries.runDue();
    expect((await w.waitRun(third)).counts).toMatchObject({ created: 1, failed: 0 });
    expect(ccvOrdersFor(w, order)).toHaveLength(1);
    expect((await onlyItem(w, third)).nextAttemptAt).toBeNull();
    offsetMs = 7 * 24 * 3600_000;
    expect(await w.t.gw.engine.itemRetries.runDue()).toEqual([]);
    expect((await retryRuns(w)).length).toBe(before + 2);
  });

  it("causes that cannot heal by themselves get no next attempt", async () => {
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: ORDERS,
      input: { settings: { useDefaultDebtor: false } },
    });
    w.ccv.store.seedProduct({ name: "Cup", productnumber: "CUP-1", price: 12.5 });
    w.ccv.faults.add({ method: "POST", path: /\/orders\/?$/, kind: "status", status: 422 });
    const order = w.ecwid.store.createOrder(webOrder("refused@example.com", "CUP-1")).orderId;
    const item = await onlyItem(w, (await runFor(w, ORDERS, [order])).id);
    expect(item).toMatchObject({ status: "FAILED", errorCode: "VALIDATION", nextAttemptAt: null });
    // a refusal created nothing: its intent is gone, so a retry needs no reference search
    expect(
      await w.t.gw.dataSource.manager.countBy(WriteIntentEntity, {
        integrationId: w.integrationId,
        sourceId: order,
      }),
    ).toBe(0);
  });

  it("a MISSING_PRODUCT item records the SKUs it misses and heals only when exactly one of them is linked, not a SKU containing it or contained in it", async () => {
    const order = w.ecwid.store.createOrder(webOrder("exact@example.com", "ROD-12")).orderId;
    const failed = await runFor(w, ORDERS, [order]);
    const item = await onlyItem(w, failed.id);
    expect(item).toMatchObject({ status: "FAILED", errorCode: "MISSING_PRODUCT" });
    expect(await missingSkusOf(w, item.id)).toEqual(["ROD-12"]);
    const waiting = item.nextAttemptAt;
    expect(waiting).not.toBeNull();
    const retries = (await retryRuns(w)).length;

    // "ROD-1" is in the reason's words ("…: ROD-12. …"), "ROD-123" contains the SKU: neither heals it
    for (const sku of ["ROD-1", "ROD-123"]) {
      await linkProduct(w, sku);
      expect(await retryRuns(w)).toHaveLength(retries);
      expect((await onlyItem(w, failed.id)).nextAttemptAt).toBe(waiting);
    }

    await linkProduct(w, "ROD-12");
    const [retry] = await eventually(async () => {
      const r = await retryRuns(w);
      return r.length > retries ? r : null;
    }, "the automatic RETRY run");
    expect((await w.waitRun(retry.id)).counts).toMatchObject({ total: 1, created: 1, failed: 0 });
    expect(ccvOrdersFor(w, order)).toHaveLength(1);
    expect((await onlyItem(w, failed.id)).nextAttemptAt).toBeNull();
  });

  it("only the SKUs go into the record of an item's missing products (not the names of lines without one); a preview records none", async () => {
    const order = w.ecwid.store.createOrder({
      ...webOrder("two@example.com", "BOLT-3"),
      items: [
        ...webOrder("two@example.com", "BOLT-3").items!,
        { name: "Gift wrap", quantity: 1, price: 2 },
        { name: "Nut", sku: "NUT-4", quantity: 1, price: 1 },
      ],
    }).orderId;
    const item = await onlyItem(w, (await runFor(w, ORDERS, [order])).id);
    expect(item.reason).toContain('"Gift wrap" (no SKU)');
    expect(await missingSkusOf(w, item.id)).toEqual(["BOLT-3", "NUT-4"]);

    const preview = await w.waitRun(
      (
        await w.gql(RunSyncDocument, {
          integrationId: w.integrationId,
          flow: ORDERS,
          options: { sourceIds: [order], dryRun: true },
        })
      ).runSync.id,
    );
    const previewed = await onlyItem(w, preview.id);
    expect(previewed).toMatchObject({ status: "FAILED", errorCode: "MISSING_PRODUCT" });
    expect(await missingSkusOf(w, previewed.id)).toEqual([]);
  });

  it("an item failed before the SKUs were recorded (marked by the migration) still heals by its reason", async () => {
    const order = w.ecwid.store.createOrder(webOrder("legacy@example.com", "OLD-9")).orderId;
    const failed = await runFor(w, ORDERS, [order]);
    const item = await onlyItem(w, failed.id);
    // what the migration leaves for an item recorded before it: no SKUs, the marker
    const m = w.t.gw.dataSource.manager;
    await m.delete(SyncItemMissingSkuEntity, { itemId: Number(item.id) });
    await m.insert(SyncItemMissingSkuEntity, {
      itemId: Number(item.id),
      integrationId: w.integrationId,
      sku: LEGACY_REASON_MARKER,
      createdAt: new Date(),
    });
    const retries = (await retryRuns(w)).length;
    await linkProduct(w, "OLD-9");
    const [retry] = await eventually(async () => {
      const r = await retryRuns(w);
      return r.length > retries ? r : null;
    }, "the automatic RETRY run");
    expect((await w.waitRun(retry.id)).counts).toMatchObject({ total: 1, created: 1, failed: 0 });
    expect(ccvOrdersFor(w, order)).toHaveLength(1);
  });

  it("the retention drops the missing SKUs of items past the heal window (the items stay); recent ones are kept", async () => {
    const runOf = async (sku: string) =>
      onlyItem(
        w,
        (await runFor(w, ORDERS, [w.ecwid.store.createOrder(webOrder("aged@example.com", sku)).orderId])).id,
      );
    const old = await runOf("AGED-1");
    const recent = await runOf("FRESH-1");
    const m = w.t.gw.dataSource.manager;
    await m.update(
      SyncItemMissingSkuEntity,
      { itemId: Number(old.id) },
      { createdAt: new Date(Date.now() - (HEAL_WINDOW_DAYS + 1) * 24 * 3600_000) },
    );
    await w.t.gw.engine.retention.purge();
    expect(await missingSkusOf(w, old.id)).toEqual([]);
    expect(await missingSkusOf(w, recent.id)).toEqual(["FRESH-1"]);
    expect((await onlyItem(w, old.runId)).id).toBe(old.id);
  });
});
