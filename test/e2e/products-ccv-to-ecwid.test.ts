import { SyncRunsDocument } from "../../sdk/generated/graphql";
import {
  ccvWrites,
  deliverEcwidWebhooks,
  ecwidAllBySku,
  ecwidWrites,
  itemOf,
  linksOf,
  mapTaxRates,
  PRODUCT_FLOWS,
  runFlow,
  settle,
  startWorld,
  type World,
} from "../support/world";

describe("PRODUCTS_CCV_TO_ECWID, and both product flows on together", () => {
  let w: World;
  const links = () => linksOf(w);

  beforeAll(async () => {
    // CCV prices net, Ecwid gross
    w = await startWorld({
      ccv: { seed: { pricesIncludeVat: false } },
      flows: PRODUCT_FLOWS,
      taxRates: true,
    });
  });
  afterAll(() => w.stop());

  it("creates the Ecwid product: gross price from the net CCV sell price, the store tax of the mapped rate, UPC, link", async () => {
    const c = w.ccv.store.seedProduct({
      name: "Kaars",
      productnumber: "CANDLE-1",
      eannumber: "8712345000097",
      price: 11,
      discount: 1,
      taxtariff: "normal",
      weight: 0.2,
      stockenabled: true,
      stock: 9,
    });
    const r = await runFlow(w, "PRODUCTS_CCV_TO_ECWID", { sourceIds: [String(c.id)] });
    const item = await itemOf(w, r.id, String(c.id));
    expect(item).toMatchObject({ action: "CREATE", status: "SUCCEEDED", sku: "CANDLE-1" });
    const [p] = ecwidAllBySku(w, "CANDLE-1");
    expect(p).toMatchObject({
      name: "Kaars",
      price: 12.1, // (11 − 1) × 1.21
      enabled: true,
      weight: 0.2,
      quantity: 9,
      unlimited: false,
      // 21 % is what the store's default tax gives: no manual tax
      tax: { taxable: true, enabledManualTaxes: [] },
    });
    expect(p.attributes?.find((a) => a.type === "UPC")?.value).toBe("8712345000097");
    expect(await links().byCcv("PRODUCT", String(c.id))).toMatchObject({
      ecwidId: String(p.id),
      sku: "CANDLE-1",
      createdBy: "ECWID",
    });
  });

  it("a CCV tariff without TAX_RATE mapping fails the item clearly", async () => {
    const c = w.ccv.store.seedProduct({
      name: "Boek",
      productnumber: "BOOK-9",
      price: 20,
      taxtariff: "low a",
    });
    const r = await runFlow(w, "PRODUCTS_CCV_TO_ECWID", { sourceIds: [String(c.id)] });
    const item = await itemOf(w, r.id, String(c.id));
    expect(item).toMatchObject({ status: "FAILED", errorCode: "VALUE_MAPPING" });
    expect(item.reason).toMatch(/CCV tax tariff "low a" has no TAX_RATE value mapping/);
    expect(ecwidAllBySku(w, "BOOK-9")).toEqual([]);
    await mapTaxRates(w, [
      { from: "21", to: "normal" },
      { from: "9", to: "low a" },
    ]);
    await runFlow(w, "PRODUCTS_CCV_TO_ECWID", { sourceIds: [String(c.id)] });
    // 9 % is not the store's default: the manual tax of that rate (BTW laag); 20 × 1.09
    expect(ecwidAllBySku(w, "BOOK-9")[0]).toMatchObject({
      price: 21.8,
      tax: { taxable: true, enabledManualTaxes: [1117939043] },
    });
  });

  it("a SKU that is an Ecwid variant's SKU is skipped, naming it", async () => {
    const id = w.ecwid.store.products.create({
      sku: "VASE",
      name: "Vase",
      price: 10,
      options: [{ type: "SELECT", name: "Colour", choices: [{ text: "Red" }] }],
    });
    const red = w.ecwid.store.combinations.create(id, {
      options: [{ name: "Colour", value: "Red" }],
      sku: "VASE-RED",
    });
    const c = w.ccv.store.seedProduct({
      name: "Vaas rood",
      productnumber: "VASE-RED",
      price: 10,
      taxtariff: "normal",
    });
    const writes = ecwidWrites(w);
    const r = await runFlow(w, "PRODUCTS_CCV_TO_ECWID", { sourceIds: [String(c.id)] });
    const item = await itemOf(w, r.id, String(c.id));
    expect(item.status).toBe("SKIPPED");
    expect(item.reason).toContain(`Ecwid variant ${red} of product ${id}`);
    expect(ecwidWrites(w)).toBe(writes);
  });

  it("with both directions on, a change travels once: no echo write either way", async () => {
    // webhooks of both vendors on: every write the gateway makes comes back as an event
    deliverEcwidWebhooks(w);
    // made in Ecwid → CCV; the CCV→Ecwid run sees the gateway's own write and sends nothing back
    const id = w.ecwid.store.products.create({ sku: "LAMP-1", name: "Lamp", price: 36.3, quantity: 2 });
    await settle(w);
    const ecwidAtStart = ecwidWrites(w);
    await runFlow(w, "PRODUCTS_ECWID_TO_CCV", { sourceIds: [String(id)] });
    await settle(w);
    expect(ecwidWrites(w)).toBe(ecwidAtStart); // not even by a webhook-triggered run
    const ccvId = Number((await links().byEcwid("PRODUCT", String(id)))!.ccvId);
    expect(w.ccv.store.getProduct(ccvId)).toMatchObject({ name: "Lamp", price: 30 });
    let writes = ecwidWrites(w);
    const back = await runFlow(w, "PRODUCTS_CCV_TO_ECWID", { sourceIds: [String(ccvId)] });
    expect((await itemOf(w, back.id, String(ccvId))).status).toBe("SKIPPED");
    expect(ecwidWrites(w)).toBe(writes);

    // renamed in CCV → Ecwid; the Ecwid→CCV run sends nothing back
    w.ccv.store.patchProduct(ccvId, { name: "Bureaulamp" });
    const r = await runFlow(w, "PRODUCTS_CCV_TO_ECWID", { sourceIds: [String(ccvId)] });
    const item = await itemOf(w, r.id, String(ccvId));
    expect(item).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(item.sentPayload).toEqual({ name: "Bureaulamp" });
    expect(w.ecwid.store.getProduct(id).name).toBe("Bureaulamp");
    writes = ccvWrites(w);
    await settle(w);
    expect(ccvWrites(w)).toBe(writes);
    const echo = await runFlow(w, "PRODUCTS_ECWID_TO_CCV", { sourceIds: [String(id)] });
    expect((await itemOf(w, echo.id, String(id))).status).toBe("SKIPPED");
    expect(ccvWrites(w)).toBe(writes);

    // a price change in Ecwid → CCV once
    w.ecwid.store.products.update(id, { price: 48.4 });
    await settle(w);
    await runFlow(w, "PRODUCTS_ECWID_TO_CCV", { sourceIds: [String(id)] });
    expect(w.ccv.store.getProduct(ccvId).price).toBe(40);
    const ecwidBefore = ecwidWrites(w);
    await settle(w);
    expect(ecwidWrites(w)).toBe(ecwidBefore);
    const again = await runFlow(w, "PRODUCTS_CCV_TO_ECWID", { sourceIds: [String(ccvId)] });
    expect((await itemOf(w, again.id, String(ccvId))).status).toBe("SKIPPED");
    expect(ecwidWrites(w)).toBe(ecwidBefore);
    expect(w.ecwid.store.getProduct(id).price).toBe(48.4);
    // the echoes really came: webhook-triggered runs of both flows ran and wrote nothing
    for (const flow of PRODUCT_FLOWS) {
      const runs = (await w.gql(SyncRunsDocument, { integrationId: w.integrationId, flow })).syncRuns.edges;
      expect(runs.some((r) => r.node.trigger === "WEBHOOK")).toBe(true);
    }
  });

  it("a scheduled-style run discovers CCV changes newest first; a product deleted in CCV is disabled in Ecwid", async () => {
    const c = w.ccv.store.seedProduct({ name: "Mat", productnumber: "MAT-1", price: 5, taxtariff: "normal" });
    const r = await runFlow(w, "PRODUCTS_CCV_TO_ECWID");
    expect((await itemOf(w, r.id, String(c.id))).action).toBe("CREATE");
    const [p] = ecwidAllBySku(w, "MAT-1");
    expect(p.price).toBe(6.05);
    w.ccv.store.deleteProduct(c.id);
    const d = await runFlow(w, "PRODUCTS_CCV_TO_ECWID", { sourceIds: [String(c.id)] });
    const item = await itemOf(w, d.id, String(c.id));
    expect(item).toMatchObject({ action: "UPDATE", status: "SUCCEEDED", targetId: String(p.id) });
    expect(item.reason).toMatch(/Deleted in CCV SalesPOS; disabled in Ecwid/);
    expect(w.ecwid.store.getProduct(p.id).enabled).toBe(false);
    // the Ecwid side's change is the gateway's own: not sent back
    const writes = ccvWrites(w);
    const echo = await runFlow(w, "PRODUCTS_ECWID_TO_CCV", { sourceIds: [String(p.id)] });
    expect((await itemOf(w, echo.id, String(p.id))).status).toBe("SKIPPED");
    expect(ccvWrites(w)).toBe(writes);
  });
});
