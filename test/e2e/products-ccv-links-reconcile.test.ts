import {
  SetFeatureMappingsDocument,
  type ItemFieldsFragment,
  type RunFieldsFragment,
  type RunSyncOptions,
} from "../../sdk/generated/graphql";
import type { CcvClient } from "../../src/connectors/ccv-salespos";
import {
  ccvCategoryOf,
  ccvClientOf,
  ccvWrites,
  ecwidAttributes as attrs,
  ecwidBySku,
  ecwidWrites,
  enableFlows,
  runFlow,
  runItems,
  startWorld,
  type World,
} from "../support/world";

type Flow = "PRODUCTS_CCV_TO_ECWID" | "PRODUCTS_ECWID_TO_CCV" | "CATEGORIES_ECWID_TO_CCV";

async function run(
  w: World,
  flow: Flow,
  options?: RunSyncOptions,
): Promise<{ run: RunFieldsFragment; items: ItemFieldsFragment[] }> {
  const r = await runFlow(w, flow, options);
  expect(r.status).toBe("SUCCEEDED");
  return { run: r, items: await runItems(w, r.id) };
}
const itemFor = (items: ItemFieldsFragment[], sourceId: number | string) =>
  items.find((i) => i.sourceId === String(sourceId));

const sorted = (ids: number[] | undefined) => [...(ids ?? [])].sort((a, b) => a - b);

/**
 * A CCV product whose only change is a category link or a property value: CCV is assumed not to move
 * the product's `modifydate` for that (nor to send `products.updated`; ccv.vendor-facts.ts), and the
 * sandbox behaves so. The incremental discovery (newest `modifydate` first) cannot see it; the
 * budgeted reconcile of PRODUCTS_CCV_TO_ECWID does, because the product fingerprint covers the
 * category links and property values. A run for the product (a webhook, a retry) writes it too.
 */
describe("PRODUCTS_CCV_TO_ECWID: category-only and property-only changes in CCV", () => {
  let w: World;
  let ccv: CcvClient;

  beforeAll(async () => {
    w = await startWorld({ ccv: { seed: { pricesIncludeVat: false } }, taxRates: true });
    await w.gql(SetFeatureMappingsDocument, {
      integrationId: w.integrationId,
      entries: [
        { ecwidAttribute: "Country of origin", ccvPropertyGroup: "Specifications", ccvProperty: "Origin" },
      ],
    });
    ccv = ccvClientOf(w);
  });
  afterAll(() => w.stop());

  it("the reconcile finds a category move and a property change that did not move modifydate; a run for the product writes them; unchanged products are skipped without writes; no echo", async () => {
    // two Ecwid categories, linked to CCV ones by CATEGORIES_ECWID_TO_CCV
    const kitchen = w.ecwid.store.createCategory({ name: "Kitchen" });
    const garden = w.ecwid.store.createCategory({ name: "Garden" });
    await enableFlows(w, "CATEGORIES_ECWID_TO_CCV");
    await run(w, "CATEGORIES_ECWID_TO_CCV");
    const [ccvKitchen, ccvGarden] = [await ccvCategoryOf(w, kitchen), await ccvCategoryOf(w, garden)];

    // three CCV products in Kitchen with an origin, last modified long ago
    const group = await ccv.createPropertyGroup("Specifications");
    const origin = await ccv.createProperty(group.id, { name: "Origin" });
    const made = [];
    for (const [sku, country] of [
      ["MOVE-1", "Italy"],
      ["PROP-1", "Italy"],
      ["SAME-1", "France"],
    ] as const) {
      const p = await ccv.createProduct({
        name: `Product ${sku}`,
        productnumber: sku,
        price: 10,
        discount: 0,
        taxtariff: "normal",
      });
      const inKitchen = await ccv.createProductToCategory({ product_id: p.id, category_id: ccvKitchen });
      await ccv.createProductToPropertyGroup(p.id, group.id);
      const value = await ccv.createProductPropertyValue({
        product_id: p.id,
        product_property_id: origin.id,
        value: country,
      });
      made.push({ id: p.id, sku, inKitchen, value });
    }
    await w.ccv.webhooks.idle();
    for (const m of made) w.ccv.store.products.require(m.id).modifydate = "2020-01-01T00:00:00Z";
    const [moved, propd, same] = made;

    await enableFlows(w, "PRODUCTS_CCV_TO_ECWID");
    // the first run reads the whole catalogue
    const first = await run(w, "PRODUCTS_CCV_TO_ECWID");
    for (const m of made) expect(itemFor(first.items, m.id)).toMatchObject({ action: "CREATE" });
    for (const m of made) expect(ecwidBySku(w, m.sku)!.categoryIds).toEqual([kitchen]);
    expect(attrs(ecwidBySku(w, "PROP-1")!)).toMatchObject({ "Country of origin": "Italy" });

    // nothing changed: the next run (incremental, plus its share of the reconcile) writes nothing
    let writes = ecwidWrites(w);
    const idle = await run(w, "PRODUCTS_CCV_TO_ECWID");
    expect(idle.items).toEqual([]);
    expect(ecwidWrites(w)).toBe(writes);

    // in CCV: MOVE-1 moves from Kitchen to Garden, PROP-1 gets another origin; the products
    // themselves are not touched (their modifydate stays in 2020)
    await ccv.deleteProductToCategory(moved.inKitchen.id);
    await ccv.createProductToCategory({ product_id: moved.id, category_id: ccvGarden });
    await ccv.updateProductPropertyValue(propd.value.id, "Spain");
    await w.ccv.webhooks.idle();
    expect(w.ccv.store.products.require(moved.id).modifydate).toBe("2020-01-01T00:00:00Z");
    expect(w.ccv.store.products.require(propd.id).modifydate).toBe("2020-01-01T00:00:00Z");

    // a run for PROP-1 alone (what a products.updated webhook would start) writes the property
    const one = await run(w, "PRODUCTS_CCV_TO_ECWID", { sourceIds: [String(propd.id)] });
    expect(itemFor(one.items, propd.id)).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(attrs(ecwidBySku(w, "PROP-1")!)).toMatchObject({ "Country of origin": "Spain" });

    // the scheduled-style run: MOVE-1 found by the reconcile and moved; the others not even items
    writes = ecwidWrites(w);
    const scan = await run(w, "PRODUCTS_CCV_TO_ECWID");
    expect(scan.items.map((i) => [i.sourceId, i.action, i.status])).toEqual([
      [String(moved.id), "UPDATE", "SUCCEEDED"],
    ]);
    expect(itemFor(scan.items, moved.id)!.changes).toEqual([
      { field: "categoryIds", before: [kitchen], after: [garden] },
    ]);
    expect(ecwidBySku(w, "MOVE-1")!.categoryIds).toEqual([garden]);
    expect(ecwidWrites(w)).toBe(writes + 1);

    // a run for the unchanged product: skipped, no write
    writes = ecwidWrites(w);
    const unchanged = await run(w, "PRODUCTS_CCV_TO_ECWID", { sourceIds: [String(same.id)] });
    expect(itemFor(unchanged.items, same.id)).toMatchObject({ action: "SKIP" });
    expect(itemFor(unchanged.items, same.id)!.reason).toMatch(/^Unchanged since the last sync/);
    expect((await run(w, "PRODUCTS_CCV_TO_ECWID")).items).toEqual([]);
    expect(ecwidWrites(w)).toBe(writes);

    // the other direction: the gateway's writes are not sent back to CCV...
    await enableFlows(w, "PRODUCTS_ECWID_TO_CCV");
    const ccvBefore = ccvWrites(w);
    for (const sku of ["MOVE-1", "PROP-1", "SAME-1"]) {
      const id = ecwidBySku(w, sku)!.id;
      const echo = await run(w, "PRODUCTS_ECWID_TO_CCV", { sourceIds: [String(id)] });
      expect(itemFor(echo.items, id)).toMatchObject({ action: "SKIP" });
    }
    expect(ccvWrites(w)).toBe(ccvBefore);

    // ...and a category change made in Ecwid travels to CCV once: the reconcile does not bring
    // the gateway's own category write back to Ecwid
    const sameEcwid = ecwidBySku(w, "SAME-1")!;
    w.ecwid.store.products.update(sameEcwid.id, { categoryIds: [kitchen, garden] });
    const there = await run(w, "PRODUCTS_ECWID_TO_CCV", { sourceIds: [String(sameEcwid.id)] });
    expect(itemFor(there.items, sameEcwid.id)).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(sorted((await ccv.listProductToCategories(same.id)).map((l) => l.category_id))).toEqual(
      sorted([ccvKitchen, ccvGarden]),
    );
    writes = ecwidWrites(w);
    const back = await run(w, "PRODUCTS_CCV_TO_ECWID", { sourceIds: [String(same.id)] });
    expect(itemFor(back.items, same.id)).toMatchObject({ action: "SKIP" });
    for (const m of made) w.ccv.store.products.require(m.id).modifydate = "2020-01-01T00:00:00Z";
    expect((await run(w, "PRODUCTS_CCV_TO_ECWID")).items).toEqual([]);
    expect(ecwidWrites(w)).toBe(writes);
  });
});
