import { linksOf, runOne, startWorld, type World } from "../support/world";

const FLOW = "PRODUCTS_ECWID_TO_CCV" as const;

/**
 * A new option axis added in Ecwid to a product already synced with variants: CCV regenerates the
 * attribute combinations, so each VARIANT link is re-pointed to the new combination of its variant.
 */
describe("PRODUCTS_ECWID_TO_CCV: a new option axis on a synced product", () => {
  let w: World;
  const links = () => linksOf(w);

  beforeAll(async () => {
    w = await startWorld({ ccv: { seed: { pricesIncludeVat: false } }, flows: [FLOW], taxRates: true });
  });
  afterAll(() => w.stop());

  const syncOne = (id: number) => runOne(w, FLOW, id);

  const ccvValues = (ccvComboId: string) => {
    const c = w.ccv.store.combinations.get(Number(ccvComboId));
    const r = w.ccv.store.combinations.render(c!) as {
      combination: { attribute: { name: string }; attribute_value: { name: string } }[];
      sku_number: string;
      active: boolean;
    };
    return {
      values: r.combination.map((x) => `${x.attribute.name}=${x.attribute_value.name}`).join(","),
      sku: r.sku_number,
      active: r.active,
    };
  };

  it("re-points the VARIANT links to the regenerated combinations; the item succeeds", async () => {
    const cap = w.ecwid.store.products.create({
      sku: "CAP",
      name: "Cap",
      price: 12.1,
      options: [{ type: "SELECT", name: "Colour", choices: [{ text: "Red" }, { text: "Blue" }] }],
    });
    const red = w.ecwid.store.combinations.create(cap, {
      options: [{ name: "Colour", value: "Red" }],
      sku: "CAP-R",
    });
    const blue = w.ecwid.store.combinations.create(cap, {
      options: [{ name: "Colour", value: "Blue" }],
      sku: "CAP-B",
    });
    const first = await syncOne(cap);
    expect(first).toMatchObject({ action: "CREATE", status: "SUCCEEDED" });
    const oldRed = (await links().byEcwid("VARIANT", String(red)))!.ccvId;
    expect(ccvValues(oldRed)).toMatchObject({ values: "Colour=Red", sku: "CAP-R" });

    // a second axis: the existing variations get a size, one more variation is added
    w.ecwid.store.products.update(cap, {
      options: [
        { type: "SELECT", name: "Colour", choices: [{ text: "Red" }, { text: "Blue" }] },
        { type: "SIZE", name: "Size", choices: [{ text: "S" }, { text: "M" }] },
      ],
    });
    w.ecwid.store.combinations.update(cap, red, {
      options: [
        { name: "Colour", value: "Red" },
        { name: "Size", value: "S" },
      ],
    });
    w.ecwid.store.combinations.update(cap, blue, {
      options: [
        { name: "Colour", value: "Blue" },
        { name: "Size", value: "S" },
      ],
    });
    const redM = w.ecwid.store.combinations.create(cap, {
      options: [
        { name: "Colour", value: "Red" },
        { name: "Size", value: "M" },
      ],
      sku: "CAP-RM",
    });
    const second = await syncOne(cap);
    expect(second).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    const linked = async (id: number) => ccvValues((await links().byEcwid("VARIANT", String(id)))!.ccvId);
    expect(await linked(red)).toEqual({ values: "Colour=Red,Size=S", sku: "CAP-R", active: true });
    expect(await linked(blue)).toEqual({ values: "Colour=Blue,Size=S", sku: "CAP-B", active: true });
    expect(await linked(redM)).toEqual({ values: "Colour=Red,Size=M", sku: "CAP-RM", active: true });
    expect((await links().byEcwid("VARIANT", String(red)))!.ccvId).not.toBe(oldRed);
    // the stale CCV combination has no link left
    expect(await links().byCcv("VARIANT", oldRed)).toBeNull();

    // the conflict check stays for a VARIANT write that does not ask to re-point, and for every other kind
    const ds = w.t.gw.dataSource;
    const newRed = (await links().byEcwid("VARIANT", String(red)))!.ccvId;
    await expect(
      ds.transaction((em) =>
        links().upsert(em, {
          entity: "VARIANT",
          ecwidId: String(red),
          ccvId: oldRed,
          createdBy: "CCV_SALESPOS",
        }),
      ),
    ).rejects.toThrow(/conflicts with the existing link/);
    const product = (await links().byEcwid("PRODUCT", String(cap)))!;
    await expect(
      ds.transaction((em) =>
        links().upsert(em, {
          entity: "PRODUCT",
          ecwidId: String(cap),
          ccvId: "999999",
          createdBy: "CCV_SALESPOS",
          repoint: true,
        }),
      ),
    ).rejects.toThrow(/conflicts with the existing link/);
    expect((await links().byEcwid("PRODUCT", String(cap)))!.ccvId).toBe(product.ccvId);
    expect((await links().byEcwid("VARIANT", String(red)))!.ccvId).toBe(newRed);
  });
});
