import { FeatureMappingsDocument, SetFeatureMappingsDocument } from "../../sdk/generated/graphql";
import type { EcwidProduct } from "../../src/connectors/ecwid";
import { linksOf, runOne, startWorld, type World } from "../support/world";

const FLOW = "PRODUCTS_ECWID_TO_CCV" as const;

const syncOne = (w: World, id: number) => runOne(w, FLOW, id);

/** an Ecwid product with attributes of its product class (the sandbox keeps seeded attributes) */
function seedWithAttributes(w: World, id: number, sku: string, attributes: Record<string, string>): number {
  let attrId = id * 10;
  w.ecwid.store.seedProduct({
    id,
    sku,
    name: `Product ${sku}`,
    price: 12.1,
    enabled: true,
    unlimited: true,
    attributes: Object.entries(attributes).map(([name, value]) => ({
      id: attrId++,
      name,
      value,
      type: "CUSTOM",
      show: "DESCR",
    })),
  } as EcwidProduct);
  return id;
}

describe("PRODUCTS_ECWID_TO_CCV: features (Ecwid attributes → CCV product properties)", () => {
  let w: World;
  const valuesOf = (ccvProductId: number) =>
    [...w.ccv.store.propertyValues.values()]
      .filter((v) => v.product_id === ccvProductId)
      .map((v) => ({ property: w.ccv.store.properties.require(v.product_property_id).name, value: v.value }));

  beforeAll(async () => {
    w = await startWorld({ flows: [FLOW], taxRates: true });
  });
  afterAll(() => w.stop());

  it("is configured over GraphQL; a bad mapping is refused", async () => {
    const set = await w.gql(SetFeatureMappingsDocument, {
      integrationId: w.integrationId,
      entries: [
        { ecwidAttribute: "Country of origin", ccvPropertyGroup: "Specifications", ccvProperty: "Origin" },
      ],
    });
    expect(set.setFeatureMappings).toEqual([
      { ecwidAttribute: "Country of origin", ccvPropertyGroup: "Specifications", ccvProperty: "Origin" },
    ]);
    expect(
      (await w.gql(FeatureMappingsDocument, { integrationId: w.integrationId })).featureMappings,
    ).toHaveLength(1);
    const twice = await w.raw(SetFeatureMappingsDocument, {
      integrationId: w.integrationId,
      entries: [
        { ecwidAttribute: "Material", ccvPropertyGroup: "A", ccvProperty: "B" },
        { ecwidAttribute: "material", ccvPropertyGroup: "A", ccvProperty: "C" },
      ],
    });
    expect(twice.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(twice.errors?.[0]?.message).toMatch(/"material" is given twice/);
    // nothing of the refused list was stored
    expect(
      (await w.gql(FeatureMappingsDocument, { integrationId: w.integrationId })).featureMappings,
    ).toHaveLength(1);
  });

  it("writes mapped attributes as property values (group, property created) and lists the unmapped ones on the item", async () => {
    const id = seedWithAttributes(w, 700001, "FEAT-1", {
      "Country of origin": "Netherlands",
      Material: "Ceramic",
    });
    const item = await syncOne(w, id);
    expect(item).toMatchObject({ action: "CREATE", status: "SUCCEEDED" });
    expect(item.reason).toMatch(
      /Ecwid attributes without a feature mapping \(setFeatureMappings\): Material\./,
    );
    const ccvId = Number(item.targetId);
    expect([...w.ccv.store.propertyGroups.values()].map((g) => g.name)).toContain("Specifications");
    expect(valuesOf(ccvId)).toEqual([{ property: "Origin", value: "Netherlands" }]);
    expect(
      [...w.ccv.store.productToPropertyGroups.values()].filter((l) => l.product_id === ccvId),
    ).toHaveLength(1);

    // a changed value is changed (not added); the unchanged product is skipped and still names Material
    w.ecwid.store.products.update(id, {
      attributes: [
        { id: 7000010, value: "Belgium" },
        { id: 7000011, value: "Ceramic" },
      ],
    });
    const changed = await syncOne(w, id);
    expect(changed.action).toBe("UPDATE");
    expect(changed.changes).toEqual(
      expect.arrayContaining([
        { field: "features.Specifications.Origin", before: "Netherlands", after: "Belgium" },
      ]),
    );
    expect(valuesOf(ccvId)).toEqual([{ property: "Origin", value: "Belgium" }]);
    const same = await syncOne(w, id);
    expect(same.status).toBe("SKIPPED");
    expect(same.reason).toMatch(/without a feature mapping \(setFeatureMappings\): Material/);
  });

  it("a property with options gets the option of that name; a new mapping reaches products already synced", async () => {
    const group = w.ccv.store.propertyGroups.create({ name: "Details" });
    const material = w.ccv.store.properties.create(group.id, { name: "Material" });
    const ceramic = w.ccv.store.propertyOptions.create(material.id, { name: "Ceramic" });
    w.ccv.store.propertyOptions.create(material.id, { name: "Glass" });
    await w.gql(SetFeatureMappingsDocument, {
      integrationId: w.integrationId,
      entries: [
        { ecwidAttribute: "Country of origin", ccvPropertyGroup: "Specifications", ccvProperty: "Origin" },
        { ecwidAttribute: "Material", ccvPropertyGroup: "Details", ccvProperty: "Material" },
      ],
    });
    const item = await syncOne(w, 700001);
    expect(item).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(item.reason ?? "").not.toMatch(/without a feature mapping/);
    const ccvId = Number((await linksOf(w).byEcwid("PRODUCT", "700001"))!.ccvId);
    expect(valuesOf(ccvId)).toEqual(
      expect.arrayContaining([
        { property: "Origin", value: "Belgium" },
        { property: "Material", value: ceramic.id },
      ]),
    );
  });
});
