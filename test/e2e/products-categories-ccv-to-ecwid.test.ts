import {
  ConfigureFlowDocument,
  RunSyncDocument,
  SetValueMappingsDocument,
  SyncRunDocument,
  type ItemFieldsFragment,
} from "../../sdk/generated/graphql";
import { CcvClient } from "../../src/connectors/ccv-salespos";
import type { EcwidProduct } from "../../src/connectors/ecwid";
import { AuthCircuit, LOCAL_UPSTREAMS, SharedRateBudget } from "../../src/connectors/http";
import { LinkStore } from "../../src/sync/engine/links";
import { startWorld, type World } from "../support/world";

type Flow = "PRODUCTS_CCV_TO_ECWID" | "PRODUCTS_ECWID_TO_CCV" | "CATEGORIES_ECWID_TO_CCV";

async function runOne(
  w: World,
  flow: Flow,
  sourceId?: string,
  dryRun = false,
): Promise<ItemFieldsFragment | null> {
  const options = sourceId ? { sourceIds: [sourceId], dryRun } : { dryRun };
  const queued = (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow, options })).runSync;
  const r = await w.waitRun(queued.id);
  expect(r.status).toBe("SUCCEEDED");
  if (!sourceId) return null;
  const items = (await w.gql(SyncRunDocument, { id: r.id, first: 100 })).syncRun!.items.edges.map(
    (e) => e.node,
  );
  const item = items.find((i) => i.sourceId === sourceId);
  if (!item) throw new Error(`run ${r.id} has no item for ${sourceId}: ${JSON.stringify(items)}`);
  return item;
}

const ecwidBySku = (w: World, sku: string): EcwidProduct | undefined =>
  [...w.ecwid.store.products.values()].map((r) => r.data).find((p) => p.sku === sku);

describe("PRODUCTS_CCV_TO_ECWID: product categories follow the CATEGORY links", () => {
  let w: World;
  let ccv: CcvClient;
  const links = () => new LinkStore(w.t.gw.dataSource, w.integrationId);

  beforeAll(async () => {
    w = await startWorld({ ccv: { seed: { pricesIncludeVat: false } } });
    await w.gql(SetValueMappingsDocument, {
      integrationId: w.integrationId,
      kind: "TAX_RATE",
      entries: [{ from: "21", to: "normal" }],
    });
    ccv = new CcvClient(
      { baseUrl: w.ccv.baseUrl, publicKey: w.ccv.publicKey, secretKey: w.ccv.secretKey },
      {
        budget: new SharedRateBudget(),
        circuit: new AuthCircuit(),
        transport: { upstreams: LOCAL_UPSTREAMS },
      },
    );
  });
  afterAll(() => w.stop());

  it("puts the product in the linked Ecwid categories, names unlinked CCV ones, keeps Ecwid-only ones, follows a move; no echo", async () => {
    const kitchen = w.ecwid.store.createCategory({ name: "Kitchen" });
    const garden = w.ecwid.store.createCategory({ name: "Garden" });
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      input: { enabled: true },
    });
    await runOne(w, "CATEGORIES_ECWID_TO_CCV");
    const ccvCat = async (ecwidId: number) =>
      Number((await links().byEcwid("CATEGORY", String(ecwidId)))!.ccvId);
    const [ccvKitchen, ccvGarden] = [await ccvCat(kitchen), await ccvCat(garden)];
    const shopOnly = w.ccv.store.createCategory({ name: "Shop only" });

    const product = await ccv.createProduct({
      name: "Gieter",
      productnumber: "CAN-1",
      price: 10,
      discount: 0,
      taxtariff: "normal",
    });
    await ccv.createProductToCategory({ product_id: product.id, category_id: ccvKitchen });
    const inShopOnly = await ccv.createProductToCategory({
      product_id: product.id,
      category_id: shopOnly.id,
    });
    await w.ccv.webhooks.idle();
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "PRODUCTS_CCV_TO_ECWID",
      input: { enabled: true },
    });

    const dry = (await runOne(w, "PRODUCTS_CCV_TO_ECWID", String(product.id), true))!;
    expect(dry).toMatchObject({ action: "CREATE", sentPayload: { categoryIds: [kitchen] } });
    expect(ecwidBySku(w, "CAN-1")).toBeUndefined();

    const created = (await runOne(w, "PRODUCTS_CCV_TO_ECWID", String(product.id)))!;
    expect(created).toMatchObject({ action: "CREATE", status: "SUCCEEDED" });
    expect(created.reason).toContain(`CCV SalesPOS category ${shopOnly.id} has no linked Ecwid category`);
    const p = ecwidBySku(w, "CAN-1")!;
    expect(p.categoryIds).toEqual([kitchen]);

    // an Ecwid-only category added in Ecwid; in CCV the product moves from Kitchen to Garden and is renamed
    const webOnly = w.ecwid.store.createCategory({ name: "Web only" });
    w.ecwid.store.products.update(p.id, { categoryIds: [kitchen, webOnly] });
    const kitchenLink = (await ccv.listProductToCategories(product.id)).find(
      (l) => l.category_id === ccvKitchen,
    )!;
    await ccv.deleteProductToCategory(kitchenLink.id);
    await ccv.deleteProductToCategory(inShopOnly.id);
    await ccv.createProductToCategory({ product_id: product.id, category_id: ccvGarden });
    await ccv.updateProduct(product.id, { name: "Gieter groot" });
    await w.ccv.webhooks.idle();

    const moved = (await runOne(w, "PRODUCTS_CCV_TO_ECWID", String(product.id)))!;
    expect(moved.status).not.toBe("FAILED");
    const after = ecwidBySku(w, "CAN-1")!;
    expect(after.name).toBe("Gieter groot");
    expect([...after.categoryIds!].sort((a, b) => a - b)).toEqual([garden, webOnly].sort((a, b) => a - b));

    // the gateway's write does not travel back to CCV
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "PRODUCTS_ECWID_TO_CCV",
      input: { enabled: true },
    });
    const ccvWrites = w.ccv.log.writes().filter((e) => !/\/webhooks/.test(e.path)).length;
    const echo = (await runOne(w, "PRODUCTS_ECWID_TO_CCV", String(p.id)))!;
    expect(echo.action).toBe("SKIP");
    expect(w.ccv.log.writes().filter((e) => !/\/webhooks/.test(e.path)).length).toBe(ccvWrites);
  });
});
