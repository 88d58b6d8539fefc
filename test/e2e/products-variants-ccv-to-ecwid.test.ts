import {
  ConfigureFlowDocument,
  SyncRunsDocument,
  type ItemFieldsFragment,
  type RunSyncOptions,
} from "../../sdk/generated/graphql";
import type { CcvClient } from "../../src/connectors/ccv-salespos";
import type { EcwidProduct } from "../../src/connectors/ecwid";
import {
  ccvClientOf,
  ccvWrites,
  ecwidBySku,
  enableFlows,
  itemOf,
  linksOf,
  runFlow,
  runItems,
  startWorld,
  type World,
} from "../support/world";

const FLOW = "PRODUCTS_CCV_TO_ECWID" as const;

const run = (w: World, options?: RunSyncOptions) => runFlow(w, FLOW, options);

/** every webhook delivered and every run it caused finished; the items of all runs for one record */
async function settledItems(w: World, sourceId: string): Promise<ItemFieldsFragment[]> {
  await w.ccv.webhooks.idle();
  const runs = (await w.gql(SyncRunsDocument, { integrationId: w.integrationId, flow: FLOW })).syncRuns.edges;
  const items: ItemFieldsFragment[] = [];
  for (const r of runs) {
    await w.waitRun(r.node.id);
    items.push(...(await runItems(w, r.node.id)).filter((i) => i.sourceId === sourceId));
  }
  return items;
}

/** the Ecwid variations as the test reads them over HTTP-free store access */
const variations = (p: EcwidProduct) =>
  (p.combinations ?? [])
    .map((v) => ({
      id: v.id,
      options: v.options.map((o) => `${o.name}=${o.value}`).join(","),
      sku: v.sku,
      upc: (v.attributes ?? []).find((a) => a.type === "UPC")?.value,
      quantity: v.quantity,
      hidden: v.outOfStockVisibilityBehaviour === "HIDE",
    }))
    .sort((a, b) => a.options.localeCompare(b.options));

describe("PRODUCTS_CCV_TO_ECWID: products with variants", () => {
  let w: World;
  let ccv: CcvClient;
  let ccvId: number;
  const links = () => linksOf(w);

  beforeAll(async () => {
    // CCV prices net, Ecwid gross (the sandbox default): extra prices convert with the product's 21 %
    w = await startWorld({ ccv: { seed: { pricesIncludeVat: false } }, taxRates: true });
    ccv = ccvClientOf(w);
    const { product } = await ccv.createVariantProduct({
      product: {
        name: "Trui",
        productnumber: "SWEATER",
        price: 40,
        discount: 0,
        taxtariff: "normal",
        stockenabled: true,
      },
      axes: [{ name: "Maat", values: [{ name: "S" }, { name: "M", price: 2.5 }] }],
      variants: [
        { options: { Maat: "S" }, sku: "SWEATER-S", ean: "8712345000011", stock: 4, active: true },
        { options: { Maat: "M" }, sku: "SWEATER-M", stock: 6, active: true },
      ],
    });
    ccvId = product.id;
    // switched on after the seeding: the runs below are the test's own
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      input: { enabled: true, settings: { manageStock: true } },
    });
  });
  afterAll(() => w.stop());

  it("dry run: plans the options and the variations, writes nothing", async () => {
    const writes = w.ecwid.log.writes().length;
    const r = await run(w, { dryRun: true, sourceIds: [String(ccvId)] });
    const item = await itemOf(w, r.id, String(ccvId));
    expect([item.action, item.reason]).toEqual(["CREATE", null]);
    const sent = item.sentPayload as {
      options: { name: string; choices: { text: string; priceModifier: number }[] }[];
      variations: { sku?: string }[];
    };
    expect(sent.options).toEqual([
      expect.objectContaining({
        type: "SELECT",
        name: "Maat",
        choices: [
          { text: "S", priceModifier: 0, priceModifierType: "ABSOLUTE" },
          { text: "M", priceModifier: 3.03, priceModifierType: "ABSOLUTE" },
        ],
      }),
    ]);
    expect(sent.variations.map((v) => v.sku).sort()).toEqual(["SWEATER-M", "SWEATER-S"]);
    expect(w.ecwid.log.writes().length).toBe(writes);
    expect(ecwidBySku(w, "SWEATER")).toBeUndefined();
  });

  it("creates the Ecwid product with its option, one variation per combination (SKU, UPC, stock) and VARIANT links", async () => {
    const before = w.ecwid.log.entries.length;
    const r = await run(w, { sourceIds: [String(ccvId)] });
    const item = await itemOf(w, r.id, String(ccvId));
    expect([item.errorCode, item.status]).toEqual([null, "SUCCEEDED"]);
    expect(item.action).toBe("CREATE");
    expect(item.reason).toMatch(/2 variant\(s\) linked/);
    const p = ecwidBySku(w, "SWEATER")!;
    expect(p.options?.[0].choices?.map((c) => [c.text, c.priceModifier])).toEqual([
      ["S", 0],
      ["M", 3.03],
    ]);
    expect(variations(p)).toEqual([
      expect.objectContaining({ options: "Maat=M", sku: "SWEATER-M", quantity: 6, hidden: false }),
      expect.objectContaining({ options: "Maat=S", sku: "SWEATER-S", upc: "8712345000011", quantity: 4 }),
    ]);
    // POST product, POST 2 combinations; reads: product after (+ lookups), nothing else written
    const entries = w.ecwid.log.entries.slice(before);
    expect(entries.filter((e) => e.method === "POST").map((e) => e.path.replace(/\d+/g, "N"))).toEqual([
      expect.stringMatching(/\/products$/),
      expect.stringMatching(/\/products\/N\/combinations$/),
      expect.stringMatching(/\/products\/N\/combinations$/),
    ]);
    expect(entries.filter((e) => e.method === "PUT")).toHaveLength(0);
    const combos = w.ccv.store.combinationsOf(ccvId);
    for (const c of combos) {
      const l = await links().byCcv("VARIANT", String(c.id));
      // the gateway made the variation in Ecwid
      expect(l).toMatchObject({ createdBy: "ECWID" });
      expect(p.combinations!.some((v) => String(v.id) === l!.ecwidId)).toBe(true);
    }
  });

  it("unchanged: a second run writes nothing", async () => {
    const writes = w.ecwid.log.writes().length;
    const r = await run(w, { sourceIds: [String(ccvId)] });
    expect((await itemOf(w, r.id, String(ccvId))).action).toBe("SKIP");
    expect(w.ecwid.log.writes().length).toBe(writes);
  });

  it("a value added in CCV adds the variation; a combination deactivated in CCV hides the Ecwid variation; extra price changes follow", async () => {
    await ccv.createVariantProduct({
      product: { id: ccvId },
      axes: [{ name: "Maat", values: [{ name: "S" }, { name: "M", price: 2.5 }, { name: "L", price: 4 }] }],
      variants: [{ options: { Maat: "L" }, sku: "SWEATER-L", stock: 3, active: true }],
    });
    const small = w.ccv.store
      .combinationsOf(ccvId)
      .find(
        (c) => (w.ccv.store.combinations.render(c) as { sku_number: string }).sku_number === "SWEATER-S",
      )!;
    w.ccv.store.patchCombination(small.id, { active: false });

    // the CCV webhooks of these writes start runs; an explicit run picks up what they left
    const seen = await settledItems(w, String(ccvId));
    const r = await run(w, { sourceIds: [String(ccvId)] });
    const items = [...seen, await itemOf(w, r.id, String(ccvId))];
    expect(items.filter((i) => i.errorCode)).toEqual([]);
    expect(
      items
        .filter((i) => i.action === "UPDATE")
        .map((i) => i.reason)
        .join(" "),
    ).toMatch(/1 Ecwid variation\(s\) deactivated/);
    const p = ecwidBySku(w, "SWEATER")!;
    expect(p.options?.[0].choices?.map((c) => [c.text, c.priceModifier])).toEqual(
      expect.arrayContaining([
        ["L", 4.84],
        ["M", 3.03],
        ["S", 0],
      ]),
    );
    expect(variations(p)).toEqual([
      expect.objectContaining({ options: "Maat=L", sku: "SWEATER-L", quantity: 3, hidden: false }),
      expect.objectContaining({ options: "Maat=M", sku: "SWEATER-M", hidden: false }),
      expect.objectContaining({ options: "Maat=S", sku: "SWEATER-S", quantity: 0, hidden: true }),
    ]);
    const large = w.ccv.store
      .combinationsOf(ccvId)
      .find(
        (c) => (w.ccv.store.combinations.render(c) as { sku_number: string }).sku_number === "SWEATER-L",
      )!;
    expect((await links().byCcv("VARIANT", String(large.id)))?.sku).toBe("SWEATER-L");

    // and again: nothing more to do
    const writes = w.ecwid.log.writes().length;
    const again = await run(w, { sourceIds: [String(ccvId)] });
    expect((await itemOf(w, again.id, String(ccvId))).action).toBe("SKIP");
    expect(w.ecwid.log.writes().length).toBe(writes);
  });

  it("a value removed in CCV (its combinations are gone) hides its Ecwid variation, which keeps its choice and id", async () => {
    const large = (await ccv.listProductAttributeValues(ccvId)).find((v) => v.optionvalue_name === "L")!;
    const ecwidLarge = ecwidBySku(w, "SWEATER")!.combinations!.find((v) => v.sku === "SWEATER-L")!;
    w.ccv.store.productAttributeValues.remove(large.id);
    expect(w.ccv.store.combinationsOf(ccvId)).toHaveLength(2);

    const r = await run(w, { sourceIds: [String(ccvId)] });
    const item = await itemOf(w, r.id, String(ccvId));
    expect([item.action, item.errorCode]).toEqual(["UPDATE", null]);
    expect(item.reason).toContain(
      `deactivated because the CCV SalesPOS combination is inactive or its value was removed (${ecwidLarge.id})`,
    );
    const p = ecwidBySku(w, "SWEATER")!;
    expect(variations(p).find((v) => v.sku === "SWEATER-L")).toEqual(
      expect.objectContaining({ id: ecwidLarge.id, quantity: 0, hidden: true }),
    );
    expect(p.options?.[0].choices?.map((c) => c.text)).toEqual(["S", "M", "L"]);

    const writes = w.ecwid.log.writes().length;
    const again = await run(w, { sourceIds: [String(ccvId)] });
    expect((await itemOf(w, again.id, String(ccvId))).action).toBe("SKIP");
    expect(w.ecwid.log.writes().length).toBe(writes);
  });

  it("echo: with PRODUCTS_ECWID_TO_CCV on too, the variant product the gateway wrote is not sent back to CCV", async () => {
    await enableFlows(w, "PRODUCTS_ECWID_TO_CCV");
    const before = ccvWrites(w);
    const p = ecwidBySku(w, "SWEATER")!;
    const r = await runFlow(w, "PRODUCTS_ECWID_TO_CCV", { sourceIds: [String(p.id)] });
    const item = await itemOf(w, r.id, String(p.id));
    expect([item.action, item.errorCode]).toEqual(["SKIP", null]);
    expect(item.reason).toMatch(/^Unchanged since the last sync/);
    expect(ccvWrites(w)).toBe(before);
  });
});
