import type { EcwidOrder } from "../../src/connectors/ecwid";
import { enableFlows, itemOf, linksOf, runFlow, startWorld, type World } from "../support/world";

const FLOW = "PRODUCTS_ECWID_TO_CCV" as const;

/** a CCV combination as the test reads it: its values by attribute name, SKU, EAN, stock, active, extra */
function ccvVariants(w: World, productId: number) {
  return w.ccv.store.combinationsOf(productId).map((c) => {
    const r = w.ccv.store.combinations.render(c) as {
      id: number;
      combination: { attribute: { name: string }; attribute_value: { name: string } }[];
      sku_number: string;
      ean_number: string;
      stock: number;
      active: boolean;
      netto_extra_price: number;
    };
    return {
      id: r.id,
      values: r.combination.map((x) => `${x.attribute.name}=${x.attribute_value.name}`).join(","),
      sku: r.sku_number,
      ean: r.ean_number,
      stock: r.stock,
      active: r.active,
      extra: r.netto_extra_price,
    };
  });
}

describe("PRODUCTS_ECWID_TO_CCV: products with variants", () => {
  let w: World;
  let tee: number;
  let ccvTee: number;
  const links = () => linksOf(w);

  beforeAll(async () => {
    w = await startWorld({ ccv: { seed: { pricesIncludeVat: false } }, flows: [FLOW], taxRates: true });
  });
  afterAll(() => w.stop());

  it("creates the CCV product, reuses the attribute by name, attaches values with their extra price and sets SKU/EAN/stock per variant; VARIANT links", async () => {
    // a CCV attribute of that name exists already (other products use it): reused, not duplicated
    const size = w.ccv.store.createAttribute({ name: "size", type: "option_menu_required" });
    tee = w.ecwid.store.products.create({
      sku: "TEE",
      name: "T-shirt",
      price: 24.2,
      quantity: 0,
      options: [
        {
          type: "SIZE",
          name: "Size",
          choices: [
            { text: "S", priceModifier: 0 },
            { text: "M", priceModifier: 0 },
            { text: "L", priceModifier: 2.42, priceModifierType: "ABSOLUTE" },
          ],
        },
      ],
    });
    const combo = (value: string, sku: string, quantity: number, upc: string) =>
      w.ecwid.store.combinations.create(tee, {
        options: [{ name: "Size", value }],
        sku,
        quantity,
        attributes: [{ alias: "UPC", value: upc }],
      });
    const s = combo("S", "TEE-S", 3, "8712345000011");
    const m = combo("M", "TEE-M", 4, "8712345000028");
    const l = combo("L", "TEE-L", 5, "8712345000035");

    const r = await runFlow(w, FLOW, { sourceIds: [String(tee)] });
    const item = await itemOf(w, r.id, String(tee));
    expect(item).toMatchObject({ action: "CREATE", status: "SUCCEEDED" });
    ccvTee = Number(item.targetId);
    expect(w.ccv.store.getProduct(ccvTee)).toMatchObject({ productnumber: "TEE", price: 20 });
    expect([...w.ccv.store.attributes.values()].filter((a) => a.name.toLowerCase() === "size")).toHaveLength(
      1,
    );
    const variants = ccvVariants(w, ccvTee);
    expect(variants.map(({ id: _id, ...v }) => v)).toEqual([
      { values: "size=S", sku: "TEE-S", ean: "8712345000011", stock: 3, active: true, extra: 0 },
      { values: "size=M", sku: "TEE-M", ean: "8712345000028", stock: 4, active: true, extra: 0 },
      // 2.42 incl. 21 % VAT = 2 net (the CCV shop prices net)
      { values: "size=L", sku: "TEE-L", ean: "8712345000035", stock: 5, active: true, extra: 2 },
    ]);
    expect(size.id).toBeDefined();
    for (const [ecwidId, sku, i] of [
      [s, "TEE-S", 0],
      [m, "TEE-M", 1],
      [l, "TEE-L", 2],
    ] as const) {
      expect(await links().byEcwid("VARIANT", String(ecwidId))).toMatchObject({
        ccvId: String(variants[i].id),
        sku,
      });
    }
  });

  it("an order for a variant booked right after the product sync needs no SKU lookup", async () => {
    await enableFlows(w, "ORDERS_ECWID_TO_CCV");
    const product = w.ecwid.store.getProduct(tee);
    const l = product.combinations!.find((c) => c.sku === "TEE-L")!;
    const before = w.ccv.log.entries.length;
    const order = w.ecwid.store.createOrder({
      email: "anna@example.com",
      paymentStatus: "PAID",
      fulfillmentStatus: "AWAITING_PROCESSING",
      pricesIncludeTax: true,
      subtotal: 26.62,
      total: 26.62,
      tax: 4.62,
      items: [
        {
          productId: tee,
          combinationId: l.id,
          sku: "TEE-L",
          name: "T-shirt",
          quantity: 1,
          price: 26.62,
          taxes: [{ name: "BTW", value: 21, total: 4.62, includeInPrice: true }],
          selectedOptions: [{ name: "Size", value: "L", type: "CHOICE" }],
        },
      ],
      billingPerson: {
        name: "Anna de Vries",
        street: "Dorpsstraat 12",
        city: "Utrecht",
        postalCode: "3511 AB",
        countryCode: "NL",
      },
    } as unknown as EcwidOrder);
    const r = await runFlow(w, "ORDERS_ECWID_TO_CCV", { sourceIds: [order.orderId] });
    const item = await itemOf(w, r.id, order.orderId);
    expect(item.status).toBe("SUCCEEDED");
    const lId = ccvVariants(w, ccvTee).find((v) => v.sku === "TEE-L")!.id;
    const ccvOrder = w.ccv.store.getOrder(Number(item.targetId));
    expect(ccvOrder.rows.map((row) => row.attribute_combination_id)).toEqual([lId]);
    const requests = w.ccv.log.entries.slice(before);
    expect(requests.filter((e) => /productqueries/.test(e.path))).toHaveLength(0);
    expect(requests.filter((e) => e.method === "GET" && /\/products\/?$/.test(e.path))).toHaveLength(0);
  });

  it("a choice added later adds the variant; a choice removed deactivates it (never deletes)", async () => {
    const product = w.ecwid.store.getProduct(tee);
    const s = product.combinations!.find((c) => c.sku === "TEE-S")!;
    w.ecwid.store.products.update(tee, {
      options: [
        {
          type: "SIZE",
          name: "Size",
          choices: [
            { text: "M", priceModifier: 0 },
            { text: "L", priceModifier: 3.63 },
            { text: "XL", priceModifier: 4.84 },
          ],
        },
      ],
    });
    w.ecwid.store.combinations.remove(tee, s.id);
    const xl = w.ecwid.store.combinations.create(tee, {
      options: [{ name: "Size", value: "XL" }],
      sku: "TEE-XL",
      quantity: 2,
    });
    const r = await runFlow(w, FLOW, { sourceIds: [String(tee)] });
    const item = await itemOf(w, r.id, String(tee));
    expect(item).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(item.reason).toMatch(/1 CCV variant\(s\) deactivated because their choice was removed in Ecwid/);
    const variants = ccvVariants(w, ccvTee);
    expect(variants.map(({ id: _id, ean: _ean, ...v }) => v)).toEqual([
      { values: "size=S", sku: "TEE-S", stock: 3, active: false, extra: 0 },
      { values: "size=M", sku: "TEE-M", stock: 4, active: true, extra: 0 },
      { values: "size=L", sku: "TEE-L", stock: 5, active: true, extra: 3 },
      { values: "size=XL", sku: "TEE-XL", stock: 2, active: true, extra: 4 },
    ]);
    expect(await links().byEcwid("VARIANT", String(xl))).toMatchObject({
      ccvId: String(variants[3].id),
      sku: "TEE-XL",
    });
    // an unchanged product with variants costs no CCV request on the next run
    const before = w.ccv.log.entries.length;
    const again = await runFlow(w, FLOW, { sourceIds: [String(tee)] });
    expect(again.counts).toMatchObject({ skipped: 1 });
    expect(w.ccv.log.entries.slice(before).filter((e) => /product|attribute/.test(e.path))).toEqual([]);
  });

  it("products worked on side by side share a new attribute and its values: each created once, every product gets its variants", async () => {
    const ids = ["A", "B", "C", "D", "E", "F"].map((k) => {
      const id = w.ecwid.store.products.create({
        sku: `MUG-${k}`,
        name: `Mug ${k}`,
        price: 12.1,
        options: [
          {
            type: "RADIO",
            name: "Glaze",
            choices: [
              { text: "Matt", priceModifier: 0 },
              { text: "Gloss", priceModifier: 0 },
            ],
          },
        ],
      });
      for (const glaze of ["Matt", "Gloss"])
        w.ecwid.store.combinations.create(id, {
          options: [{ name: "Glaze", value: glaze }],
          sku: `MUG-${k}-${glaze.toUpperCase()}`,
        });
      return id;
    });
    w.ccv.log.clear();
    const r = await runFlow(w, FLOW, { sourceIds: ids.map(String) });
    expect(r).toMatchObject({ status: "SUCCEEDED", counts: { created: 6, failed: 0 } });
    const glaze = [...w.ccv.store.attributes.values()].filter((a) => a.name === "Glaze");
    expect(glaze).toHaveLength(1);
    expect(
      w.ccv.store.attributeValues
        .ofAttribute(glaze[0].id)
        .map((v) => v.name)
        .sort(),
    ).toEqual(["Gloss", "Matt"]);
    expect(w.ccv.log.find("POST", /\/attributes$/)).toHaveLength(1);
    expect(w.ccv.log.find("POST", /\/attributes\/\d+\/attributevalues$/)).toHaveLength(2);
    for (const id of ids) {
      const item = await itemOf(w, r.id, String(id));
      expect(
        ccvVariants(w, Number(item.targetId))
          .map((v) => v.sku)
          .sort(),
      ).toEqual(["GLOSS", "MATT"].map((g) => `${item.sku}-${g}`));
    }
  });

  it("a dry run of a product with variants plans the axes and variants and writes nothing", async () => {
    const cap = w.ecwid.store.products.create({
      sku: "CAP",
      name: "Cap",
      price: 12.1,
      options: [{ type: "SELECT", name: "Colour", choices: [{ text: "Red" }, { text: "Blue" }] }],
    });
    w.ecwid.store.combinations.create(cap, { options: [{ name: "Colour", value: "Red" }], sku: "CAP-R" });
    w.ecwid.store.combinations.create(cap, { options: [{ name: "Colour", value: "Blue" }], sku: "CAP-B" });
    const writes = w.ccv.log.writes().length;
    const r = await runFlow(w, FLOW, { dryRun: true, sourceIds: [String(cap)] });
    const item = await itemOf(w, r.id, String(cap));
    expect(item).toMatchObject({ action: "CREATE", status: "PENDING" });
    expect(item.sentPayload).toMatchObject({
      product: { name: "Cap", productnumber: "CAP" },
      variants: {
        axes: [{ name: "Colour", values: [{ name: "Red" }, { name: "Blue" }] }],
        variants: [
          { options: { Colour: "Red" }, sku: "CAP-R" },
          { options: { Colour: "Blue" }, sku: "CAP-B" },
        ],
      },
    });
    expect(w.ccv.log.writes().length).toBe(writes);
  });
});
