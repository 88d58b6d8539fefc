import {
  ConfigureFlowDocument,
  DefaultFieldMappingsDocument,
  PreviewMappingDocument,
  SetFieldMappingsDocument,
  SyncRunsDocument,
  type RunSyncOptions,
} from "../../sdk/generated/graphql";
import { CatalogEntryEntity } from "../../src/db/entities/catalog.entity";
import type { ProductRec } from "../../src/sandbox/ccv-salespos/ccv.store";
import {
  ccvCategoryOf,
  ccvWrites,
  deliverEcwidWebhooks,
  enableFlows,
  eventually,
  itemOf,
  linksOf,
  mapTaxRates,
  runFlow,
  runItems,
  startWorld,
  type World,
} from "../support/world";

const FLOW = "PRODUCTS_ECWID_TO_CCV" as const;

const run = (w: World, options?: RunSyncOptions) => runFlow(w, FLOW, options);

const ccvBySku = (w: World, sku: string): ProductRec[] =>
  [...w.ccv.store.products.values()].filter((p) => p.productnumber === sku);

/** an Ecwid product as the shop owner makes it (gross prices: the Ecwid sandbox's store includes VAT) */
function ecwidProduct(w: World, body: Record<string, unknown>): number {
  return w.ecwid.store.products.create({ enabled: true, quantity: 7, ...body });
}

describe("PRODUCTS_ECWID_TO_CCV: simple products", () => {
  let w: World;
  const links = () => linksOf(w);

  beforeAll(async () => {
    // CCV prices net, Ecwid gross: every price is converted with the product's VAT rate
    w = await startWorld({ ccv: { seed: { pricesIncludeVat: false } }, flows: [FLOW], taxRates: true });
  });
  afterAll(() => w.stop());

  it("lists its default field mappings", async () => {
    const d = (await w.gql(DefaultFieldMappingsDocument, { flow: FLOW })).defaultFieldMappings;
    expect(d.map((m) => m.target)).toEqual(
      expect.arrayContaining([
        "name",
        "productnumber",
        "description",
        "shortdescription",
        "price",
        "taxtariff",
        "eannumber",
        "weight",
        "active",
        "stock",
      ]),
    );
  });

  it("refuses settings the flow does not use", async () => {
    const r = await w.raw(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      input: { settings: { useDefaultDebtor: true, defaultDebtor: "x@example.com" } },
    });
    expect(r.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(r.errors?.[0]?.message).toMatch(/does not use the settings useDefaultDebtor, defaultDebtor/);
  });

  it("creates a product: net price exact from the gross price and the VAT rate, tariff by TAX_RATE, EAN, weight, link with SKU", async () => {
    const id = ecwidProduct(w, {
      sku: "MUG-1",
      name: "Mug",
      price: 12.95,
      weight: 0.35,
      description: "<p>Dishwasher safe</p>",
      subtitle: "300 ml",
      attributes: [{ alias: "UPC", value: "8712345678906" }],
    });
    const r = await run(w);
    const item = await itemOf(w, r.id, String(id));
    expect(item).toMatchObject({ action: "CREATE", status: "SUCCEEDED", sku: "MUG-1" });
    const [p] = ccvBySku(w, "MUG-1");
    expect(p).toMatchObject({
      name: "Mug",
      price: 10.7025, // 12.95 / 1.21 = 10.70247…, to 4 decimals: × 1.21 gives 12.95 back
      discount: 0,
      taxtariff: "normal",
      eannumber: "8712345678906",
      weight: 0.35,
      description: "<p>Dishwasher safe</p>",
      shortdescription: "300 ml",
      active: true,
      stockenabled: true,
      stock: 7,
    });
    const link = await links().byEcwid("PRODUCT", String(id));
    expect(link).toMatchObject({ ccvId: String(p.id), sku: "MUG-1", createdBy: "CCV_SALESPOS" });
    expect(item.targetId).toBe(String(p.id));
  });

  it("an unchanged product is skipped without any CCV request", async () => {
    const before = w.ccv.log.entries.length;
    const r = await run(w, { sourceIds: [String(ccvLinkSource(w, "MUG-1"))] });
    expect(r.counts).toMatchObject({ total: 1, skipped: 1 });
    const [item] = await runItems(w, r.id);
    expect(item.reason).toMatch(/Unchanged/);
    // only the per-run store profile reads (webshops, settings); no product request
    expect(w.ccv.log.entries.slice(before).filter((e) => /product/.test(e.path))).toEqual([]);
  });

  it("CREATE_ONLY long description: kept after an edit in CCV while name and price keep updating", async () => {
    await w.gql(SetFieldMappingsDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      mappings: [{ target: "description", source: "description", policy: "CREATE_ONLY" }],
    });
    const id = ecwidProduct(w, { sku: "TEA-1", name: "Tea", price: 4.84, description: "Ecwid text" });
    await run(w, { sourceIds: [String(id)] });
    const [created] = ccvBySku(w, "TEA-1");
    expect(created.description).toBe("Ecwid text");
    expect(created.price).toBe(4);
    // the shop enriches the text in CCV; then name, price and description change in Ecwid
    w.ccv.store.patchProduct(created.id, { description: "Enriched in the shop" });
    w.ecwid.store.products.update(id, { name: "Green tea", price: 6.05, description: "New Ecwid text" });
    const r = await run(w, { sourceIds: [String(id)] });
    const item = await itemOf(w, r.id, String(id));
    expect(item).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    const after = w.ccv.store.getProduct(created.id);
    expect(after).toMatchObject({ name: "Green tea", price: 5, description: "Enriched in the shop" });
    expect(item.sentPayload).toEqual({ name: "Green tea", price: 5 });
    expect(item.changes).toEqual(
      expect.arrayContaining([{ field: "name", before: "Tea", after: "Green tea" }]),
    );
    await w.gql(SetFieldMappingsDocument, { integrationId: w.integrationId, flow: FLOW, mappings: [] });
  });

  it("a VAT rate without TAX_RATE mapping fails the item clearly, and converts at that rate once mapped", async () => {
    const id = ecwidProduct(w, {
      sku: "BOOK-1",
      name: "Book",
      price: 21.8,
      tax: { taxable: true, enabledManualTaxes: [1117939043] }, // BTW laag, 9 %
    });
    const r = await run(w, { sourceIds: [String(id)] });
    const item = await itemOf(w, r.id, String(id));
    expect(item).toMatchObject({ status: "FAILED", errorCode: "VALUE_MAPPING" });
    expect(item.reason).toMatch(/VAT rate 9% has no TAX_RATE value mapping/);
    expect(ccvBySku(w, "BOOK-1")).toEqual([]);
    // once mapped, the price is converted at 9 %: 21.80 / 1.09 = 20
    await mapTaxRates(w, [
      { from: "21", to: "normal" },
      { from: "9", to: "low a" },
    ]);
    await run(w, { sourceIds: [String(id)] });
    expect(ccvBySku(w, "BOOK-1")[0]).toMatchObject({ price: 20, taxtariff: "low a" });
  });

  it("a SKU used twice in CCV, or a product without SKU, is skipped with a reason naming the products", async () => {
    const a = w.ccv.store.seedProduct({ name: "Pen A", productnumber: "PEN-1", price: 1 });
    const b = w.ccv.store.seedProduct({ name: "Pen B", productnumber: "PEN-1", price: 1 });
    const pen = ecwidProduct(w, { sku: "PEN-1", name: "Pen", price: 1.21 });
    const bare = ecwidProduct(w, { sku: "TMP-1", name: "No SKU", price: 1 });
    w.ecwid.store.products.update(bare, { sku: "" });
    const writes = ccvWrites(w);
    const r = await run(w, { sourceIds: [String(pen), String(bare)] });
    const penItem = await itemOf(w, r.id, String(pen));
    expect(penItem.status).toBe("SKIPPED");
    expect(penItem.reason).toContain(`CCV SalesPOS product ${a.id}`);
    expect(penItem.reason).toContain(`CCV SalesPOS product ${b.id}`);
    expect(penItem.reason).toMatch(/SKU PEN-1 is used twice in CCV SalesPOS/);
    const bareItem = await itemOf(w, r.id, String(bare));
    expect(bareItem.status).toBe("SKIPPED");
    expect(bareItem.reason).toMatch(new RegExp(`Ecwid product ${bare} \\("No SKU"\\) has no SKU`));
    expect(ccvWrites(w)).toBe(writes);
    expect(await links().byEcwid("PRODUCT", String(pen))).toBeNull();
  });

  it("a product found by SKU is linked and, with updateExisting off, left as it is", async () => {
    const existing = w.ccv.store.seedProduct({ name: "Old cap", productnumber: "CAP-1", price: 3 });
    const cap = ecwidProduct(w, { sku: "CAP-1", name: "Cap", price: 12.1 });
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      input: { settings: { updateExisting: false } },
    });
    const r = await run(w, { sourceIds: [String(cap)] });
    const item = await itemOf(w, r.id, String(cap));
    expect(item).toMatchObject({ status: "SKIPPED", targetId: String(existing.id) });
    expect(item.reason).toMatch(/linked; updating existing records is off/);
    expect(w.ccv.store.getProduct(existing.id).name).toBe("Old cap");
    expect(await links().byEcwid("PRODUCT", String(cap))).toMatchObject({
      ccvId: String(existing.id),
      createdBy: "MATCHED",
    });
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      input: { settings: { updateExisting: true } },
    });
    w.ecwid.store.products.update(cap, { name: "Cap 2" });
    await run(w, { sourceIds: [String(cap)] });
    expect(w.ccv.store.getProduct(existing.id)).toMatchObject({ name: "Cap 2", price: 10 });
    expect(ccvBySku(w, "CAP-1")).toHaveLength(1);
  });

  it("a dry run shows the planned payload and writes nothing", async () => {
    const id = ecwidProduct(w, { sku: "DRY-1", name: "Dry", price: 2.42 });
    const writes = ccvWrites(w);
    const r = await run(w, { dryRun: true, sourceIds: [String(id)] });
    const item = await itemOf(w, r.id, String(id));
    expect(item).toMatchObject({ action: "CREATE", status: "PENDING" });
    expect(item.sentPayload).toMatchObject({
      name: "Dry",
      productnumber: "DRY-1",
      price: 2,
      taxtariff: "normal",
    });
    expect(ccvWrites(w)).toBe(writes);
    expect(ccvBySku(w, "DRY-1")).toEqual([]);
    expect(await links().byEcwid("PRODUCT", String(id))).toBeNull();
  });

  it("previewMapping shows the CCV payload for a real Ecwid product", async () => {
    const id = ecwidProduct(w, { sku: "PRE-1", name: "Preview", price: 24.2 });
    const p = (
      await w.gql(PreviewMappingDocument, {
        integrationId: w.integrationId,
        flow: FLOW,
        sourceId: String(id),
      })
    ).previewMapping;
    expect(p.targetPayload).toMatchObject({ name: "Preview", price: 20, taxtariff: "normal" });
  });

  it("category links follow the CATEGORY links: added, moved, hand-made CCV links kept, later-synced categories picked up", async () => {
    const kitchen = w.ecwid.store.createCategory({ name: "Kitchen" });
    const garden = w.ecwid.store.createCategory({ name: "Garden" });
    await enableFlows(w, "CATEGORIES_ECWID_TO_CCV");
    const cats = await runFlow(w, "CATEGORIES_ECWID_TO_CCV");
    expect(cats.status).toBe("SUCCEEDED");
    const [ccvKitchen, ccvGarden] = [await ccvCategoryOf(w, kitchen), await ccvCategoryOf(w, garden)];
    const byHand = w.ccv.store.createCategory({ name: "Shop only" });
    const categoriesOf = (ccvProductId: number) =>
      [...w.ccv.store.productToCategories.values()]
        .filter((l) => l.product_id === ccvProductId)
        .map((l) => l.category_id)
        .sort((a, b) => a - b);

    const id = ecwidProduct(w, { sku: "POT-1", name: "Pot", price: 6.05, categoryIds: [kitchen] });
    await run(w, { sourceIds: [String(id)] });
    const [pot] = ccvBySku(w, "POT-1");
    expect(categoriesOf(pot.id)).toEqual([ccvKitchen]);
    w.ccv.store.productToCategories.create({ product_id: pot.id, category_id: byHand.id });

    w.ecwid.store.products.update(id, { categoryIds: [garden] });
    const r = await run(w, { sourceIds: [String(id)] });
    const item = await itemOf(w, r.id, String(id));
    expect(item.changes).toEqual(
      expect.arrayContaining([
        {
          field: "categories",
          before: [ccvKitchen, byHand.id].sort((a, b) => a - b),
          after: [byHand.id, ccvGarden].sort((a, b) => a - b),
        },
      ]),
    );
    expect(categoriesOf(pot.id)).toEqual([byHand.id, ccvGarden].sort((a, b) => a - b));

    // a category not synced yet: said on the item; the product follows once it is linked
    const shed = w.ecwid.store.createCategory({ name: "Shed" });
    w.ecwid.store.products.update(id, { categoryIds: [garden, shed] });
    const before = await run(w, { sourceIds: [String(id)] });
    expect((await itemOf(w, before.id, String(id))).reason).toMatch(
      new RegExp(`Ecwid category ${shed} not in CCV SalesPOS yet`),
    );
    await runFlow(w, "CATEGORIES_ECWID_TO_CCV");
    await run(w, { sourceIds: [String(id)] });
    expect(categoriesOf(pot.id)).toEqual(
      [byHand.id, ccvGarden, await ccvCategoryOf(w, shed)].sort((a, b) => a - b),
    );
  });

  it("categories: a rename and a move follow; a category deleted in Ecwid is hidden in CCV, not deleted", async () => {
    const runCategories = (sourceIds?: string[]) =>
      runFlow(w, "CATEGORIES_ECWID_TO_CCV", sourceIds ? { sourceIds } : undefined);
    const home = w.ecwid.store.createCategory({ name: "Home" });
    const lamps = w.ecwid.store.createCategory({ name: "Lamps" });
    await runCategories();
    const ccvOf = async (id: number) =>
      w.ccv.store.categories.require(Number((await links().byEcwid("CATEGORY", String(id)))!.ccvId));
    w.ecwid.store.updateCategory(lamps, { name: "Lighting", parentId: home });
    await runCategories([String(lamps)]);
    const moved = await ccvOf(lamps);
    expect(moved.name).toBe("Lighting");
    expect(moved.parentcategory_id).toBe((await ccvOf(home)).id);

    const id = ecwidProduct(w, { sku: "LAMP-9", name: "Lamp", price: 12.1, categoryIds: [lamps] });
    await run(w, { sourceIds: [String(id)] });
    const [lamp] = ccvBySku(w, "LAMP-9");
    w.ecwid.store.categories.remove(lamps);
    const r = await runCategories([String(lamps)]);
    const item = await itemOf(w, r.id, String(lamps));
    expect(item).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(item.reason).toMatch(/Deleted in Ecwid; hidden in CCV SalesPOS/);
    expect((await ccvOf(lamps)).show_on_website).toBe(false);
    // the CCV product keeps its category link
    expect(
      [...w.ccv.store.productToCategories.values()].some(
        (l) => l.product_id === lamp.id && l.category_id === moved.id,
      ),
    ).toBe(true);
  });

  it("webhooks: product.updated syncs the record; product.deleted deactivates it in CCV (never deletes)", async () => {
    const id = ecwidProduct(w, { sku: "HOOK-1", name: "Hook", price: 1.21 });
    await run(w, { sourceIds: [String(id)] });
    const [p] = ccvBySku(w, "HOOK-1");
    deliverEcwidWebhooks(w);
    const runs = async () =>
      (await w.gql(SyncRunsDocument, { integrationId: w.integrationId, flow: FLOW })).syncRuns.edges.map(
        (e) => e.node,
      );
    const seen = new Set((await runs()).map((r) => r.id));
    w.ecwid.store.products.update(id, { name: "Hook renamed" });
    await w.ecwid.webhooks.flush();
    const updated = await eventually(
      async () => (await runs()).find((r) => r.trigger === "WEBHOOK" && !seen.has(r.id)),
      "a webhook run for product.updated",
    );
    await w.waitRun(updated.id);
    seen.add(updated.id);
    expect(w.ccv.store.getProduct(p.id).name).toBe("Hook renamed");

    w.ecwid.store.products.remove(id);
    await w.ecwid.webhooks.flush();
    const deleted = await eventually(
      async () => (await runs()).find((r) => r.trigger === "WEBHOOK" && !seen.has(r.id)),
      "a webhook run for product.deleted",
    );
    await w.waitRun(deleted.id);
    const item = await itemOf(w, deleted.id, String(id));
    expect(item).toMatchObject({ action: "UPDATE", status: "SUCCEEDED", targetId: String(p.id) });
    expect(item.reason).toMatch(/Deleted in Ecwid; deactivated in CCV SalesPOS/);
    expect(w.ccv.store.getProduct(p.id).active).toBe(false);
  });
});

/** the Ecwid product id linked to a SKU (helper for the unchanged-product test) */
function ccvLinkSource(w: World, sku: string): number {
  const p = [...w.ecwid.store.products.values()].find((x) => x.data.sku === sku);
  if (!p) throw new Error(`no Ecwid product ${sku}`);
  return p.data.id;
}

describe("PRODUCTS_ECWID_TO_CCV: SKUs resolved through the catalogue index", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ taxRates: true });
  });
  afterAll(() => w.stop());

  it("a product the index knows is matched without a vendor SKU search; what the flow creates is noted in the index", async () => {
    const existing = w.ccv.store.seedProduct({ name: "Old vase", productnumber: "IDX-1", price: 5 });
    const matched = w.ecwid.store.products.create({ sku: "IDX-1", name: "Vase", price: 12.1 });
    const fresh = w.ecwid.store.products.create({ sku: "IDX-2", name: "Bowl", price: 12.1 });
    const r = await run(w, { sourceIds: [String(matched), String(fresh)] });
    expect(await itemOf(w, r.id, String(matched))).toMatchObject({
      action: "UPDATE",
      targetId: String(existing.id),
    });
    expect((await itemOf(w, r.id, String(fresh))).action).toBe("CREATE");
    const searches = w.ccv.log.find("GET", /\/products\/?$/).filter((e) => e.query.productnumber);
    // the index (built in full on the run's first use) had IDX-1; only the unknown IDX-2 was searched
    expect(searches.map((e) => e.query.productnumber)).toEqual(["IDX-2"]);
    const created = ccvBySku(w, "IDX-2")[0];
    const rows = await w.t.gw.dataSource.manager.findBy(CatalogEntryEntity, {
      integrationId: w.integrationId,
      sku: "IDX-2",
      system: "CCV_SALESPOS",
    });
    expect(rows.map((x) => x.productId)).toEqual([String(created.id)]);
  });
});
