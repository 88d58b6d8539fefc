import type { ItemFieldsFragment } from "../../sdk/generated/graphql";
import type { CcvClient } from "../../src/connectors/ccv-salespos";
import {
  ccvCategoryOf,
  ccvClientOf,
  ccvWrites,
  ecwidBySku,
  enableFlows,
  itemOf,
  runFlow,
  startWorld,
  type World,
} from "../support/world";

type Flow = "PRODUCTS_CCV_TO_ECWID" | "PRODUCTS_ECWID_TO_CCV" | "CATEGORIES_ECWID_TO_CCV";

async function runOne(
  w: World,
  flow: Flow,
  sourceId?: string,
  dryRun = false,
): Promise<ItemFieldsFragment | null> {
  const r = await runFlow(w, flow, sourceId ? { sourceIds: [sourceId], dryRun } : { dryRun });
  expect(r.status).toBe("SUCCEEDED");
  if (!sourceId) return null;
  return itemOf(w, r.id, sourceId);
}

describe("PRODUCTS_CCV_TO_ECWID: product categories follow the CATEGORY links", () => {
  let w: World;
  let ccv: CcvClient;

  beforeAll(async () => {
    w = await startWorld({ ccv: { seed: { pricesIncludeVat: false } }, taxRates: true });
    ccv = ccvClientOf(w);
  });
  afterAll(() => w.stop());

  it("puts the product in the linked Ecwid categories, names unlinked CCV ones, keeps Ecwid-only ones, follows a move; no echo", async () => {
    const kitchen = w.ecwid.store.createCategory({ name: "Kitchen" });
    const garden = w.ecwid.store.createCategory({ name: "Garden" });
    await enableFlows(w, "CATEGORIES_ECWID_TO_CCV");
    await runOne(w, "CATEGORIES_ECWID_TO_CCV");
    const [ccvKitchen, ccvGarden] = [await ccvCategoryOf(w, kitchen), await ccvCategoryOf(w, garden)];
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
    await enableFlows(w, "PRODUCTS_CCV_TO_ECWID");

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
    await enableFlows(w, "PRODUCTS_ECWID_TO_CCV");
    const ccvBefore = ccvWrites(w);
    const echo = (await runOne(w, "PRODUCTS_ECWID_TO_CCV", String(p.id)))!;
    expect(echo.action).toBe("SKIP");
    expect(ccvWrites(w)).toBe(ccvBefore);
  });
});
