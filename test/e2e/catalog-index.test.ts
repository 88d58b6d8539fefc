import { ConfigureFlowDocument, RunSyncDocument } from "../../sdk/generated/graphql";
import { ccvDate } from "../../src/connectors/ccv-salespos";
import type { EcwidProduct } from "../../src/connectors/ecwid";
import type { CcvProductQueryItems, OrderRec } from "../../src/sandbox/ccv-salespos/ccv.store";
import { DbCatalogIndex } from "../../src/sync/catalog/catalog-index";
import { webOrder } from "../support/web-orders";
import { startWorld, type World } from "../support/world";

/**
 * The catalogue index (src/sync/catalog/catalog-index.ts) against both sandboxes over real HTTP and
 * the test database, and ORDERS_ECWID_TO_CCV resolving order lines through it (links → index →
 * GET /productqueries on an index miss only).
 */

const API = "/api/rest/v1";

function catalogOf(w: World): DbCatalogIndex {
  const engine = w.t.gw.engine;
  return new DbCatalogIndex(w.t.gw.dataSource, w.integrationId, () =>
    engine.hub.clients(w.integrationId, { readOnly: true }),
  );
}

/** A CCV product with one size axis; each size's combination gets `${base}-${size}` as its SKU (unless `skus: false`). */
function ccvVariantProduct(
  w: World,
  base: string,
  sizes: string[],
  opts: { skus?: boolean; extra?: number } = {},
): { productId: number; combinations: Record<string, number> } {
  const s = w.ccv.store;
  const p = s.seedProduct({ name: `CCV ${base}`, productnumber: base, price: 20 });
  const attribute = s.createAttribute({ name: `Size ${base}`, type: "option_menu_required" });
  const combinations: Record<string, number> = {};
  const values = sizes.map((size) => ({
    size,
    value: s.createAttributeValue(attribute.id, { name: size, default_price: 0 }),
  }));
  for (const { value } of values)
    s.createProductAttributeValue(p.id, { optionvalue: value.id, price: opts.extra ?? 0 });
  for (const { size, value } of values) {
    const combo = s
      .combinationsOf(p.id)
      .find((c) => c.pavIds.some((id) => s.getProductAttributeValue(id).attributevalue_id === value.id))!;
    if (opts.skus !== false) s.patchCombination(combo.id, { sku_number: `${base}-${size}` });
    combinations[size] = combo.id;
  }
  return { productId: p.id, combinations };
}

function ecwidVariantProduct(w: World, id: number, base: string, sizes: string[], ean?: string): void {
  w.ecwid.store.seedProduct({
    id,
    sku: base,
    name: `Ecwid ${base}`,
    price: 20,
    enabled: true,
    ...(ean ? { attributes: [{ id: 1, name: "UPC", type: "UPC", value: ean }] } : {}),
    options: [{ type: "SIZE", name: "Size", choices: sizes.map((s) => ({ text: s })) }],
    combinations: sizes.map((size, i) => ({
      id: id * 10 + i,
      options: [{ name: "Size", value: size }],
      sku: `${base}-${size}`,
    })),
  } as EcwidProduct);
}

const ccvGets = (w: World) => w.ccv.log.entries.filter((e) => e.method === "GET");
const ecwidGets = (w: World) => w.ecwid.log.entries.filter((e) => e.method === "GET");

describe("the catalogue index", () => {
  let w: World;
  let catalog: DbCatalogIndex;
  beforeAll(async () => {
    w = await startWorld();
    catalog = catalogOf(w);
  });
  afterAll(() => w.stop());

  it("is built from both catalogues with the variants expanded, by SKU and by EAN", async () => {
    const ccvHoodie = ccvVariantProduct(w, "HOODIE", ["M", "L"]);
    w.ccv.store.seedProduct({ name: "Mug", productnumber: "MUG-1", eannumber: "8712345678906" });
    ecwidVariantProduct(w, 501, "HOODIE", ["M", "L"], "8712345678913");
    await catalog.refresh();

    expect(await catalog.bySku("HOODIE-L")).toEqual({
      ecwid: [{ productId: "501", combinationId: "5011" }],
      ccv: [{ productId: String(ccvHoodie.productId), combinationId: String(ccvHoodie.combinations.L) }],
    });
    expect(await catalog.bySku("HOODIE")).toEqual({
      ecwid: [{ productId: "501" }],
      ccv: [{ productId: String(ccvHoodie.productId) }],
    });
    expect((await catalog.byEan("8712345678906")).ccv).toHaveLength(1);
    expect(await catalog.byEan("8712345678913")).toEqual({ ecwid: [{ productId: "501" }], ccv: [] });
    expect(await catalog.bySku("NOPE")).toEqual({ ecwid: [], ccv: [] });
  });

  it("an incremental refresh picks up new and changed products without reading the catalogue again", async () => {
    // more CCV products than one incremental page, so a full read would show
    for (let i = 0; i < 60; i++) w.ccv.store.seedProduct({ name: `Filler ${i}`, productnumber: `FILL-${i}` });
    // what exists was last changed an hour ago (a refresh re-reads what changed around the last one)
    let minutes = 60;
    for (const p of w.ccv.store.products.values())
      p.modifydate = ccvDate(new Date(Date.now() - minutes++ * 60_000));
    await catalog.refresh({ full: true });
    const mug = [...w.ccv.store.products.values()].find((p) => p.productnumber === "MUG-1")!;

    w.ccv.store.products.patch(mug.id, { productnumber: "MUG-2" });
    const scarf = ccvVariantProduct(w, "SCARF", ["S"]);
    ecwidVariantProduct(w, 502, "SCARF", ["S"]);
    w.ccv.log.clear();
    w.ecwid.log.clear();
    await catalog.refresh();

    expect((await catalog.bySku("MUG-2")).ccv).toEqual([{ productId: String(mug.id) }]);
    expect((await catalog.bySku("MUG-1")).ccv).toEqual([]);
    expect(await catalog.bySku("SCARF-S")).toEqual({
      ecwid: [{ productId: "502", combinationId: "5020" }],
      ccv: [{ productId: String(scarf.productId), combinationId: String(scarf.combinations.S) }],
    });
    // CCV: newest-modified first, one page; Ecwid: only what changed since the last refresh
    const gets = ccvGets(w);
    expect(gets).toHaveLength(1);
    expect(gets[0].query).toMatchObject({ orderby: "modifydate_desc", expand: "attributecombinations" });
    expect(ecwidGets(w).filter((e) => /\/products$/.test(e.path))).toHaveLength(1);
    expect(ecwidGets(w)[0].query.updatedFrom).toBeDefined();

    // a refresh younger than maxAgeMs is skipped (by any worker: the marker is in the database)
    w.ccv.log.clear();
    await catalogOf(w).refresh({ maxAgeMs: 3600_000 });
    expect(ccvGets(w)).toHaveLength(0);
  });

  it("keeps what flows note, reports a SKU used twice, and a full reconcile drops what is gone", async () => {
    await catalog.noteCcv({ productId: "999999", combinationId: "888888" }, "NOTED-1", "8700000000001");
    await catalog.noteEcwid({ productId: "777" }, "NOTED-1");
    expect(await catalog.bySku("NOTED-1")).toEqual({
      ecwid: [{ productId: "777" }],
      ccv: [{ productId: "999999", combinationId: "888888" }],
    });
    expect((await catalog.byEan("8700000000001")).ccv).toHaveLength(1);
    // the EAN stays when a note does not know it
    await catalog.noteCcv({ productId: "999999", combinationId: "888888" }, "NOTED-2");
    expect((await catalog.byEan("8700000000001")).ccv).toHaveLength(1);

    const twin = w.ccv.store.seedProduct({ name: "Twin", productnumber: "SCARF" });
    await catalog.refresh();
    expect((await catalog.bySku("SCARF")).ccv).toHaveLength(2);

    w.ccv.store.products.remove(twin.id);
    await catalog.refresh({ full: true });
    expect((await catalog.bySku("SCARF")).ccv).toHaveLength(1);
    expect(await catalog.bySku("NOTED-2")).toEqual({ ecwid: [], ccv: [] });
    expect((await catalog.entries("CCV_SALESPOS")).length).toBeGreaterThan(60);
  });
});

// ---------------------------------------------------------------------------------------------

const FLOW = "ORDERS_ECWID_TO_CCV" as const;
const ccvOrdersFor = (w: World, reference: string): OrderRec[] =>
  [...w.ccv.store.orders.values()].filter((o) => o.fields.reservationnumber === reference);
const productQueries = (w: World) => w.ccv.log.find("GET", `${API}/productqueries`);
/** reads below a product path (`/products/{id}/…`) */
const productSubReads = (w: World) => w.ccv.log.entries.filter((e) => /\/products\/\d+\/./.test(e.path));

async function runOrders(w: World): Promise<{ status: string; failed: number; created: number }> {
  const queued = (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: FLOW })).runSync;
  const run = await w.waitRun(queued.id);
  return { status: run.status, ...run.counts };
}

async function orderWithLines(w: World, email: string, skus: string[]): Promise<string> {
  const order = webOrder(email, skus[0]);
  order.items = skus.map((sku) => ({ ...order.items![0], sku, name: `Product ${sku}` }));
  order.subtotal = order.total = 12.5 * skus.length;
  order.tax = 2.17 * skus.length;
  return w.ecwid.store.createOrder(order).orderId;
}

describe("ORDERS_ECWID_TO_CCV resolves order lines through the catalogue index", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      input: { enabled: true },
    });
  });
  afterAll(() => w.stop());

  it("a variant line is resolved by the index: no CCV lookup", async () => {
    const tee = ccvVariantProduct(w, "TEE", ["M", "L"], { extra: 2 });
    const ref = await orderWithLines(w, "anna@example.com", ["TEE-L"]);
    w.ccv.log.clear();
    const run = await runOrders(w);
    expect(run).toMatchObject({ status: "SUCCEEDED", failed: 0 });
    const [order] = ccvOrdersFor(w, ref);
    expect(order.rows.map((r) => [r.product_id, r.attribute_combination_id])).toEqual([
      [tee.productId, tee.combinations.L],
    ]);
    expect(productQueries(w)).toHaveLength(0);
    expect(w.ccv.log.find("GET", `${API}/products`).map((e) => e.query.productnumber)).not.toContain("TEE-L");
  });

  it.each(["products-with-combinations", "products", "combinations"] as CcvProductQueryItems[])(
    "with the index cold, a variant line is found by GET /productqueries answering %s, once per run",
    async (shape) => {
      const base = `COLD-${shape.length}`;
      // the index holds the product, but its combinations have no SKU yet
      const p = ccvVariantProduct(w, base, ["S", "XL"], { skus: false });
      await catalogOf(w).refresh();
      // a back-office edit of a combination's SKU does not move the product's modifydate
      w.ccv.store.patchCombination(p.combinations.XL, { sku_number: `${base}-XL` });
      w.ccv.store.options.productQueryItems = shape;
      try {
        const refs = [
          await orderWithLines(w, "bert@example.com", [`${base}-XL`, "MISSING-1"]),
          await orderWithLines(w, "carla@example.com", [`${base}-XL`, "MISSING-1"]),
          await orderWithLines(w, "dirk@example.com", [`${base}-XL`]),
        ];
        w.ccv.log.clear();
        const run = await runOrders(w);
        expect(run.created).toBe(1);
        expect(ccvOrdersFor(w, refs[0])).toHaveLength(0);
        expect(ccvOrdersFor(w, refs[1])).toHaveLength(0);
        const [order] = ccvOrdersFor(w, refs[2]);
        expect(order.rows.map((r) => [r.product_id, r.attribute_combination_id])).toEqual([
          [p.productId, p.combinations.XL],
        ]);
        // each SKU asked once in the run — the miss too — and never a product path with a combination id
        expect(
          productQueries(w)
            .map((e) => e.query.skunumber)
            .sort(),
        ).toEqual([`${base}-XL`, "MISSING-1"]);
        for (const e of productSubReads(w)) expect(e.path).toContain(`/products/${p.productId}/`);
        // what the lookup found is in the index now
        expect((await catalogOf(w).bySku(`${base}-XL`)).ccv).toEqual([
          { productId: String(p.productId), combinationId: String(p.combinations.XL) },
        ]);
      } finally {
        w.ccv.store.options.productQueryItems = "products-with-combinations";
      }
    },
  );
});

describe("ORDERS_CCV_TO_ECWID resolves rows through the catalogue index", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(() => w.stop());

  it("a variant row is found in the index (no Ecwid SKU search); a SKU the index misses is searched once and noted", async () => {
    ecwidVariantProduct(w, 601, "CAP", ["S", "L"]);
    const cap = ccvVariantProduct(w, "CAP", ["S", "L"]);
    await catalogOf(w).refresh();
    // a product Ecwid got after the index was read, under a SKU the index does not know
    const late = w.ccv.store.seedProduct({ name: "Late", productnumber: "LATE-1", price: 5 });
    w.ecwid.store.seedProduct({
      id: 602,
      sku: "LATE-1",
      name: "Late",
      price: 5,
      enabled: true,
    } as EcwidProduct);
    const s = w.ccv.store;
    const order = s.createOrder({
      customer: {
        email: "piet@example.com",
        customertype: "b2c",
        billingaddress: {
          first_name: "Piet",
          last_name: "Klant",
          street: "Dorpsweg",
          housenumber: 7,
          zipcode: "3511 AA",
          city: "Utrecht",
          country_code: "NL",
        },
      },
      orderrows: [
        { product_id: cap.productId, attribute_combination_id: cap.combinations.L, count: 1 },
        { product_id: late.id, count: 1 },
      ],
      is_completed: true,
      paid: true,
      status: 7,
      total_shipping: 0,
    });
    order.fields.paymethod_id = [...s.paymethods.values()].find((p) => p.combined_name === "PinTerminal")!.id;
    w.ecwid.log.clear();
    const queued = (
      await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "ORDERS_CCV_TO_ECWID" })
    ).runSync;
    expect((await w.waitRun(queued.id)).status).toBe("SUCCEEDED");
    const created = w.ecwid.store
      .orderRows()
      .map((r) => w.ecwid.store.renderOrder(r))
      .find((o) => o.externalOrderId === String(order.id))!;
    expect(created.items!.map((i) => [i.sku, i.productId, i.combinationId])).toEqual([
      ["CAP-L", 601, 6011],
      ["LATE-1", 602, undefined],
    ]);
    const searches = w.ecwid.log.find("GET", /\/products$/).map((e) => e.query.sku);
    expect(searches).toEqual(["LATE-1"]);
    expect((await catalogOf(w).bySku("LATE-1")).ecwid).toEqual([{ productId: "602" }]);
  });
});
