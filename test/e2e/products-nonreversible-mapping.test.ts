import {
  SetFieldMappingsDocument,
  SyncRunsDocument,
  type ItemFieldsFragment,
} from "../../sdk/generated/graphql";
import { LeaseStore } from "../../src/sync/engine/leases";
import {
  ccvWebhooksRegistered,
  ccvWrites,
  deliverEcwidWebhooks,
  enableFlows,
  linksOf,
  PRODUCT_FLOWS,
  runItems,
  runOne,
  startWorld,
  type World,
} from "../support/world";

/**
 * Both product flows on, webhooks of both vendors delivering every write (so each write the
 * gateway makes comes back as a webhook-triggered run of the other flow), and a mapping that cannot
 * be inverted: PRODUCTS_ECWID_TO_CCV writes the name upper-cased. A change travels once; the product
 * the gateway just wrote is not written back (the per-direction content hashes of the link), and
 * nothing ping-pongs.
 */
describe("both product flows with a non-reversible mapping ($uppercase(name) Ecwid → CCV)", () => {
  let w: World;
  const links = () => linksOf(w);
  const ecwidWrites = () => w.ecwid.log.writes().filter((e) => /\/products/.test(e.path)).length;

  /** the ids of every run so far */
  async function runIds(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const flow of PRODUCT_FLOWS)
      for (const r of (await w.gql(SyncRunsDocument, { integrationId: w.integrationId, flow, first: 100 }))
        .syncRuns.edges)
        ids.add(r.node.id);
    return ids;
  }
  /** every webhook delivered and every run it caused finished; answers the runs started meanwhile */
  async function settle(since: Set<string>) {
    const started: { flow: string; trigger: string; items: ItemFieldsFragment[] }[] = [];
    const seen = new Set(since);
    for (let i = 0; i < 4; i++) {
      await w.ccv.webhooks.idle();
      await w.ecwid.webhooks.flush();
      for (const flow of PRODUCT_FLOWS) {
        const runs = (await w.gql(SyncRunsDocument, { integrationId: w.integrationId, flow, first: 100 }))
          .syncRuns.edges;
        for (const r of runs) {
          await w.waitRun(r.node.id);
          if (seen.has(r.node.id)) continue;
          seen.add(r.node.id);
          const items = await runItems(w, r.node.id);
          started.push({ flow, trigger: r.node.trigger, items });
        }
      }
    }
    return started;
  }
  const writingItems = (runs: Awaited<ReturnType<typeof settle>>) =>
    runs.flatMap((r) => r.items.filter((i) => i.action !== "SKIP").map((i) => `${r.flow} ${i.action}`));

  beforeAll(async () => {
    w = await startWorld({ ccv: { seed: { pricesIncludeVat: false } }, taxRates: true });
    await w.gql(SetFieldMappingsDocument, {
      integrationId: w.integrationId,
      flow: "PRODUCTS_ECWID_TO_CCV",
      mappings: [{ target: "name", expression: "$uppercase(name)" }],
    });
    await enableFlows(w, ...PRODUCT_FLOWS);
    deliverEcwidWebhooks(w);
    // the CCV webhooks the gateway registers when the flows are enabled (with their keys)
    await ccvWebhooksRegistered(w, 3, "the CCV product webhooks to be registered");
  });
  afterAll(() => w.stop());

  it("a product made in Ecwid and its later changes on either side travel once; no write-back, no ping-pong", async () => {
    // made in Ecwid: its webhook creates it in CCV as "DESK LAMP"; CCV's webhook of that write
    // starts a CCV→Ecwid run, which writes nothing
    let mark = await runIds();
    const ecwidId = w.ecwid.store.products.create({ sku: "DESK-1", name: "Desk lamp", price: 36.3 });
    let ecwidBefore = ecwidWrites();
    let runs = await settle(mark);
    expect(writingItems(runs)).toEqual(["PRODUCTS_ECWID_TO_CCV CREATE"]);
    expect(runs.filter((r) => r.flow === "PRODUCTS_CCV_TO_ECWID").map((r) => r.trigger)).toContain("WEBHOOK");
    const ccvId = Number((await links().byEcwid("PRODUCT", String(ecwidId)))!.ccvId);
    expect(w.ccv.store.getProduct(ccvId)).toMatchObject({ name: "DESK LAMP", price: 30 });
    expect(w.ecwid.store.getProduct(ecwidId).name).toBe("Desk lamp");
    expect(ecwidWrites()).toBe(ecwidBefore);
    // asked again, both directions skip without a write
    let ccvBefore = ccvWrites(w);
    expect(await runOne(w, "PRODUCTS_CCV_TO_ECWID", ccvId)).toMatchObject({ action: "SKIP" });
    expect(await runOne(w, "PRODUCTS_ECWID_TO_CCV", ecwidId)).toMatchObject({ action: "SKIP" });
    expect([ecwidWrites(), ccvWrites(w)]).toEqual([ecwidBefore, ccvBefore]);

    // a price change in Ecwid: to CCV once, nothing back
    mark = await runIds();
    w.ecwid.store.products.update(ecwidId, { price: 48.4 });
    ecwidBefore = ecwidWrites();
    runs = await settle(mark);
    expect(writingItems(runs)).toEqual(["PRODUCTS_ECWID_TO_CCV UPDATE"]);
    expect(w.ccv.store.getProduct(ccvId)).toMatchObject({ name: "DESK LAMP", price: 40 });
    expect(w.ecwid.store.getProduct(ecwidId)).toMatchObject({ name: "Desk lamp", price: 48.4 });
    expect(ecwidWrites()).toBe(ecwidBefore);

    // a rename in Ecwid: CCV gets the upper-cased name once; Ecwid keeps its own spelling
    mark = await runIds();
    w.ecwid.store.products.update(ecwidId, { name: "Desk lamp XL" });
    ecwidBefore = ecwidWrites();
    runs = await settle(mark);
    expect(writingItems(runs)).toEqual(["PRODUCTS_ECWID_TO_CCV UPDATE"]);
    expect(w.ccv.store.getProduct(ccvId).name).toBe("DESK LAMP XL");
    expect(w.ecwid.store.getProduct(ecwidId).name).toBe("Desk lamp XL");
    expect(ecwidWrites()).toBe(ecwidBefore);

    // a change made in CCV (the description): to Ecwid once, nothing back to CCV
    mark = await runIds();
    w.ccv.store.patchProduct(ccvId, { description: "<p>LED, dimmable</p>" });
    ccvBefore = ccvWrites(w);
    runs = await settle(mark);
    expect(writingItems(runs)).toEqual(["PRODUCTS_CCV_TO_ECWID UPDATE"]);
    expect(w.ecwid.store.getProduct(ecwidId).description).toBe("<p>LED, dimmable</p>");
    expect(ccvWrites(w)).toBe(ccvBefore);
    expect(w.ccv.store.getProduct(ccvId)).toMatchObject({ name: "DESK LAMP XL", price: 40 });
    // a change made in CCV sends the product's mapped fields: the name as CCV has it comes with it
    // (the mapping cannot be inverted; README: give such a field CREATE_ONLY in the reverse flow)
    expect(w.ecwid.store.getProduct(ecwidId).name).toBe("DESK LAMP XL");

    // and quiet afterwards: both directions skip
    ecwidBefore = ecwidWrites();
    expect(await runOne(w, "PRODUCTS_CCV_TO_ECWID", ccvId)).toMatchObject({ action: "SKIP" });
    expect(await runOne(w, "PRODUCTS_ECWID_TO_CCV", ecwidId)).toMatchObject({ action: "SKIP" });
    expect([ecwidWrites(), ccvWrites(w)]).toEqual([ecwidBefore, ccvBefore]);
  });

  it("with the reverse name mapping CREATE_ONLY, a change made in CCV leaves Ecwid's own spelling", async () => {
    await w.gql(SetFieldMappingsDocument, {
      integrationId: w.integrationId,
      flow: "PRODUCTS_CCV_TO_ECWID",
      mappings: [{ target: "name", source: "name", policy: "CREATE_ONLY" }],
    });
    let mark = await runIds();
    const ecwidId = w.ecwid.store.products.create({ sku: "DESK-2", name: "Floor lamp", price: 36.3 });
    let runs = await settle(mark);
    expect(writingItems(runs)).toEqual(["PRODUCTS_ECWID_TO_CCV CREATE"]);
    const ccvId = Number((await links().byEcwid("PRODUCT", String(ecwidId)))!.ccvId);
    expect(w.ccv.store.getProduct(ccvId).name).toBe("FLOOR LAMP");

    mark = await runIds();
    w.ccv.store.patchProduct(ccvId, { price: 50 });
    const ccvBefore = ccvWrites(w);
    runs = await settle(mark);
    expect(writingItems(runs)).toEqual(["PRODUCTS_CCV_TO_ECWID UPDATE"]);
    expect(w.ecwid.store.getProduct(ecwidId)).toMatchObject({ name: "Floor lamp", price: 60.5 });
    expect(ccvWrites(w)).toBe(ccvBefore);
  });

  it("a product pair the other direction holds for too long: the item fails TEMPORARY (retried later), nothing is written", async () => {
    const ecwidId = w.ecwid.store.products.create({ sku: "DESK-3", name: "Wall lamp", price: 36.3 });
    await settle(await runIds());
    const ccvId = (await links().byEcwid("PRODUCT", String(ecwidId)))!.ccvId;
    // another worker's item on the pair (the test engine waits 2 s for a lease)
    const other = new LeaseStore(w.t.gw.dataSource, "other-worker");
    const key = `${w.integrationId}:pair:PRODUCT:ccv:${ccvId}`;
    expect(await other.tryAcquire(key)).toBe(true);
    try {
      w.ecwid.store.products.update(ecwidId, { price: 60.5 });
      const before = ccvWrites(w);
      const item = await runOne(w, "PRODUCTS_ECWID_TO_CCV", ecwidId);
      expect(item).toMatchObject({ status: "FAILED", errorCode: "TEMPORARY" });
      expect(item.reason).toMatch(/other direction was syncing the linked record/);
      expect(item.nextAttemptAt).toBeTruthy();
      expect(ccvWrites(w)).toBe(before);
    } finally {
      await other.release(key);
    }
    // (the webhook of the price change may be the one that takes it over)
    await settle(await runIds());
    const retried = await runOne(w, "PRODUCTS_ECWID_TO_CCV", ecwidId);
    expect(retried.status).not.toBe("FAILED");
    expect(w.ccv.store.getProduct(Number(ccvId)).price).toBe(50);
  });
});
