import { ConfigureFlowDocument, RunSyncDocument, SyncRunDocument } from "../../sdk/generated/graphql";
import { WriteIntentEntity } from "../../src/db/entities/write-intent.entity";
import { INTENT_KEEP_DAYS } from "../../src/jobs/retention";
import { eventually, startWorld, type World } from "../support/world";
import { webOrder } from "../support/web-orders";

/**
 * Write-ahead intents (create-once.ts): a create is recorded before it is sent and its outcome after
 * it, so the steady state searches CCV for no reference, and a crash between the create and its
 * recording still creates nothing twice. Runs on SQLite and (TEST_DB=mysql) on MariaDB.
 */
const FLOW = "ORDERS_ECWID_TO_CCV" as const;
const FAST_QUEUE = { queue: { lockMs: 600, pollMs: 50 }, leaseTtlMs: 600 };

/** reference searches: pages of the CCV order collection (the flow reads single orders only otherwise) */
const referenceGets = (w: World) =>
  w.ccv.log.find("GET", /\/orders\/?$/).filter((e) => e.query.min_create_date !== undefined).length;
const orderPosts = (w: World) => w.ccv.log.find("POST", /\/orders\/?$/).filter((e) => e.status === 201);
const ccvOrdersFor = (w: World, reference: string) =>
  [...w.ccv.store.orders.values()].filter((o) => o.fields.reservationnumber === reference);

async function enable(w: World) {
  await w.gql(ConfigureFlowDocument, {
    integrationId: w.integrationId,
    flow: FLOW,
    input: { enabled: true },
  });
}
const startRun = async (w: World, sourceIds?: string[]) =>
  (
    await w.gql(RunSyncDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      options: sourceIds ? { sourceIds } : { full: true },
    })
  ).runSync.id;
const itemsOf = async (w: World, runId: string) =>
  (await w.gql(SyncRunDocument, { id: runId, first: 100 })).syncRun!.items.edges.map((e) => e.node);

describe("write-ahead intents of order creates", () => {
  it("a bulk run sends every order with no reference search; a second run sends nothing", async () => {
    const w = await startWorld();
    try {
      await enable(w);
      w.ccv.store.seedProduct({ name: "Mug", productnumber: "MUG-01", price: 12.5 });
      const ids = Array.from(
        { length: 12 },
        (_, i) => w.ecwid.store.createOrder(webOrder(`bulk${i % 4}@example.com`, "MUG-01")).orderId,
      );
      const run = await w.waitRun(await startRun(w));
      expect(run.counts).toMatchObject({ total: 12, created: 12, failed: 0 });
      expect(orderPosts(w)).toHaveLength(12);
      expect(referenceGets(w)).toBe(0);
      const intents = await w.t.gw.dataSource.manager.findBy(WriteIntentEntity, {
        integrationId: w.integrationId,
      });
      expect(intents.map((i) => i.sourceId).sort()).toEqual([...ids].sort());
      expect(intents.every((i) => i.targetId !== null && i.reference === i.sourceId)).toBe(true);

      const again = await w.waitRun(await startRun(w));
      expect(again.counts).toMatchObject({ total: 12, created: 0, skipped: 12 });
      expect(orderPosts(w)).toHaveLength(12);
      expect(referenceGets(w)).toBe(0);
    } finally {
      await w.stop();
    }
  });

  it("retention deletes settled intents past INTENT_KEEP_DAYS, never one without an outcome: that one still recovers by reference", async () => {
    let victim = "";
    const w = await startWorld({
      engine: {
        hooks: {
          // the create happened upstream, its outcome is never recorded (the item fails INTERNAL)
          afterCreate: (key) => {
            if (key.sourceId === victim) throw new Error("lost before the outcome was recorded");
          },
        },
      },
    });
    try {
      await enable(w);
      w.ccv.store.seedProduct({ name: "Mug", productnumber: "MUG-01", price: 12.5 });
      const ids = [0, 1, 2, 3].map(
        (i) => w.ecwid.store.createOrder(webOrder(`kept${i}@example.com`, "MUG-01")).orderId,
      );
      victim = ids[3];
      const run = await w.waitRun(await startRun(w));
      expect(run.counts).toMatchObject({ total: 4, created: 3, failed: 1 });
      expect(ccvOrdersFor(w, victim)).toHaveLength(1);
      victim = "";
      const m = w.t.gw.dataSource.manager;
      const intents = () =>
        m.find(WriteIntentEntity, { where: { integrationId: w.integrationId }, order: { sourceId: "ASC" } });
      expect((await intents()).map((i) => [i.sourceId, i.targetId !== null])).toEqual(
        [...ids].sort().map((id) => [id, id !== ids[3]]),
      );

      // two settled intents and the one without an outcome are older than the retention; one settled is recent
      const old = new Date(Date.now() - (INTENT_KEEP_DAYS + 1) * 24 * 3600_000);
      const inside = new Date(Date.now() - (INTENT_KEEP_DAYS - 1) * 24 * 3600_000);
      for (const id of [ids[0], ids[1], ids[3]])
        await m.update(
          WriteIntentEntity,
          { integrationId: w.integrationId, sourceId: id },
          { updatedAt: old },
        );
      await m.update(
        WriteIntentEntity,
        { integrationId: w.integrationId, sourceId: ids[2] },
        { updatedAt: inside },
      );
      const r = await w.t.gw.engine.retention.purge();
      expect(r.intentsDeleted).toBe(2);
      expect((await intents()).map((i) => [i.sourceId, i.targetId])).toEqual(
        [ids[2], ids[3]].sort().map((id) => [id, id === ids[3] ? null : expect.any(String)]),
      );
      expect(await w.t.gw.engine.retention.purge()).toMatchObject({ intentsDeleted: 0 });

      // the purged ones are linked: nothing is sent again; the kept one is found by its reference
      const posts = orderPosts(w).length;
      const again = await w.waitRun(await startRun(w));
      expect(again.counts).toMatchObject({ total: 4, created: 1, skipped: 3, failed: 0 });
      expect(orderPosts(w)).toHaveLength(posts);
      expect(referenceGets(w)).toBe(1);
      for (const id of ids) expect(ccvOrdersFor(w, id)).toHaveLength(1);
      const recovered = (await itemsOf(w, again.id)).find((i) => i.sourceId === ids[3])!;
      expect(recovered.reason).toMatch(/an earlier attempt created it \(found by its reservation number /);
    } finally {
      await w.stop();
    }
  });

  async function crashAndResume(point: "afterCreate" | "beforeRecord") {
    let crashed = false;
    let victim = "";
    const a: World = await startWorld({
      engine: {
        ...FAST_QUEUE,
        hooks: {
          [point]: (...args: unknown[]) => {
            const sourceId =
              point === "afterCreate" ? (args[0] as { sourceId: string }).sourceId : (args[1] as string);
            if (sourceId === victim && !crashed) {
              crashed = true;
              // the worker dies here: its handlers are aborted at once, nothing after this point is recorded
              void a.t.gw.engine.queue.crash!();
              if (point === "afterCreate") throw new Error("worker crashed");
            }
          },
        },
      },
    });
    let b: World | undefined;
    try {
      await enable(a);
      a.ccv.store.seedProduct({ name: "Mug", productnumber: "MUG-01", price: 12.5 });
      const ids = [0, 1, 2, 3].map(
        (i) => a.ecwid.store.createOrder(webOrder(`crash${i}@example.com`, "MUG-01")).orderId,
      );
      victim = ids[2];
      const runId = await startRun(a);
      await eventually(async () => crashed, "the crash point");
      // the create happened upstream; the item was not recorded
      expect(ccvOrdersFor(a, victim)).toHaveLength(1);
      const intent = await a.t.gw.dataSource.manager.findOneByOrFail(WriteIntentEntity, {
        integrationId: a.integrationId,
        sourceId: victim,
      });
      expect(intent.targetId === null).toBe(point === "afterCreate");

      b = await startWorld({
        join: {
          db: a.t.db,
          integrationId: a.integrationId,
          key: a.key,
          workspaceId: a.workspaceId,
          ecwid: a.ecwid,
          ccv: a.ccv,
        },
        engine: FAST_QUEUE,
      });
      const final = await b.waitRun(runId);
      expect(final.counts).toMatchObject({ total: 4, created: 4, failed: 0 });
      for (const id of ids) expect(ccvOrdersFor(a, id)).toHaveLength(1);
      expect(orderPosts(a)).toHaveLength(4);
      const resumed = (await itemsOf(b, runId)).find((i) => i.sourceId === victim)!;
      const [stored] = ccvOrdersFor(a, victim);
      expect(resumed).toMatchObject({ action: "CREATE", status: "SUCCEEDED", targetId: String(stored.id) });
      return { resumed, stored, a };
    } finally {
      await b?.stop();
      await a.stop();
    }
  }

  it("a crash between the create and the recording of its outcome (intent without outcome): found by reference, created once", async () => {
    const { resumed, stored, a } = await crashAndResume("afterCreate");
    expect(resumed.reason).toBe(
      `Already in CCV SalesPOS as order ${stored.ordernumber_full}: an earlier attempt created it (found by its reservation number ${resumed.sourceId}); linked, not sent again.`,
    );
    // exactly the one search of the intent without an outcome (one page of the day's orders)
    expect(referenceGets(a)).toBe(1);
  });

  it("a crash after the outcome was recorded but before the item was: linked from the intent, no search", async () => {
    const { resumed, stored, a } = await crashAndResume("beforeRecord");
    expect(resumed.reason).toBe(
      `Already in CCV SalesPOS as order ${stored.ordernumber_full}: an earlier attempt created it (recorded when it was sent, with reservation number ${resumed.sourceId}); linked, not sent again.`,
    );
    expect(referenceGets(a)).toBe(0);
  });

  it("the reverse flow too: a POS sale whose Ecwid create was not recorded (crash) is booked once", async () => {
    let crashed = false;
    let victim = "";
    const a: World = await startWorld({
      ecwid: {
        seed: {
          products: [
            {
              id: 700100,
              name: "Mug",
              sku: "MUG-01",
              price: 12.5,
              quantity: 40,
              unlimited: false,
              enabled: true,
            },
          ],
        },
      },
      engine: {
        ...FAST_QUEUE,
        hooks: {
          afterCreate: (key) => {
            if (key.sourceId === victim && !crashed) {
              crashed = true;
              void a.t.gw.engine.queue.crash!();
              throw new Error("worker crashed");
            }
          },
        },
      },
    });
    let b: World | undefined;
    const ecwidOrdersFor = (reference: string) =>
      a.ecwid.store
        .orderRows()
        .map((r) => a.ecwid.store.renderOrder(r))
        .filter((o) => o.externalOrderId === reference);
    try {
      const mug = a.ccv.store.seedProduct({ name: "Mug", productnumber: "MUG-01", price: 12.5 });
      const sales = [1, 2, 3].map((i) => {
        const o = a.ccv.store.createOrder({
          customer: {
            email: `pos${i}@example.com`,
            customertype: "b2c",
            billingaddress: { first_name: "Piet", last_name: "Klant", city: "Utrecht", country_code: "NL" },
          },
          orderrows: [{ product_id: mug.id, count: 1 }],
          is_completed: true,
          paid: true,
          status: 7,
          total_shipping: 0,
        });
        o.fields.paymethod_id = [...a.ccv.store.paymethods.values()].find(
          (p) => p.combined_name === "PinTerminal",
        )!.id;
        return String(o.id);
      });
      victim = sales[1];
      const runId = (
        await a.gql(RunSyncDocument, {
          integrationId: a.integrationId,
          flow: "ORDERS_CCV_TO_ECWID",
          options: { sourceIds: sales },
        })
      ).runSync.id;
      await eventually(async () => crashed, "the crash point");
      expect(ecwidOrdersFor(victim)).toHaveLength(1);

      b = await startWorld({
        join: {
          db: a.t.db,
          integrationId: a.integrationId,
          key: a.key,
          workspaceId: a.workspaceId,
          ecwid: a.ecwid,
          ccv: a.ccv,
        },
        engine: FAST_QUEUE,
      });
      const final = await b.waitRun(runId);
      expect(final.counts).toMatchObject({ total: 3, created: 3, failed: 0 });
      for (const id of sales) expect(ecwidOrdersFor(id)).toHaveLength(1);
      const resumed = (await itemsOf(b, runId)).find((i) => i.sourceId === victim)!;
      const [stored] = ecwidOrdersFor(victim);
      expect(resumed).toMatchObject({ action: "CREATE", status: "SUCCEEDED", targetId: stored.id });
      expect(resumed.reason).toBe(
        `Already in Ecwid as order ${stored.id}: an earlier attempt created it (found by its externalOrderId ${victim}); linked, not sent again.`,
      );
    } finally {
      await b?.stop();
      await a.stop();
    }
  });
});
