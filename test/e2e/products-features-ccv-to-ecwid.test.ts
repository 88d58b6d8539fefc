import { SetFeatureMappingsDocument } from "../../sdk/generated/graphql";
import type { CcvClient } from "../../src/connectors/ccv-salespos";
import {
  ccvClientOf,
  ccvWrites,
  ecwidAttributes as attrs,
  ecwidBySku,
  ecwidWrites,
  enableFlows,
  runOne,
  startWorld,
  type World,
} from "../support/world";

const classPuts = (w: World) => w.ecwid.log.find("PUT", /\/classes\/0$/).length;

describe("PRODUCTS_CCV_TO_ECWID: features (CCV product properties → Ecwid attributes)", () => {
  let w: World;
  let ccv: CcvClient;

  beforeAll(async () => {
    w = await startWorld({ ccv: { seed: { pricesIncludeVat: false } }, taxRates: true });
    await w.gql(SetFeatureMappingsDocument, {
      integrationId: w.integrationId,
      entries: [
        { ecwidAttribute: "Country of origin", ccvPropertyGroup: "Specifications", ccvProperty: "Origin" },
        { ecwidAttribute: "Material", ccvPropertyGroup: "Specifications", ccvProperty: "Material" },
      ],
    });
    ccv = ccvClientOf(w);
  });
  afterAll(() => w.stop());

  it("maps the CCV property values to Ecwid attributes (added to the class once), lists the unmapped, follows a change; no echo", async () => {
    const product = await ccv.createProduct({
      name: "Stoel",
      productnumber: "CHAIR-1",
      eannumber: "8712345000028",
      price: 50,
      discount: 0,
      taxtariff: "normal",
    });
    const group = await ccv.createPropertyGroup("Specifications");
    const origin = await ccv.createProperty(group.id, { name: "Origin" });
    const material = await ccv.createProperty(group.id, { name: "Material" });
    const wood = await ccv.createPropertyOption(material.id, { name: "Wood" });
    const colour = await ccv.createProperty(group.id, { name: "Colour" });
    await ccv.createProductToPropertyGroup(product.id, group.id);
    const originValue = await ccv.createProductPropertyValue({
      product_id: product.id,
      product_property_id: origin.id,
      value: "Italy",
    });
    await ccv.createProductPropertyValue({
      product_id: product.id,
      product_property_id: material.id,
      value: wood.id,
    });
    await ccv.createProductPropertyValue({
      product_id: product.id,
      product_property_id: colour.id,
      value: "Red",
    });
    await w.ccv.webhooks.idle();
    await enableFlows(w, "PRODUCTS_CCV_TO_ECWID");

    const writes = ecwidWrites(w);
    const dry = await runOne(w, "PRODUCTS_CCV_TO_ECWID", String(product.id), true);
    expect(dry.action).toBe("CREATE");
    expect((dry.sentPayload as { attributes: unknown[] }).attributes).toEqual(
      expect.arrayContaining([
        { alias: "UPC", value: "8712345000028" },
        { name: "Country of origin", value: "Italy" },
        { name: "Material", value: "Wood" },
      ]),
    );
    expect(ecwidWrites(w)).toBe(writes);

    const created = await runOne(w, "PRODUCTS_CCV_TO_ECWID", String(product.id));
    expect(created).toMatchObject({ action: "CREATE", status: "SUCCEEDED" });
    expect(created.reason).toContain(
      "CCV SalesPOS properties without a feature mapping (setFeatureMappings): Specifications / Colour.",
    );
    const p = ecwidBySku(w, "CHAIR-1")!;
    expect(attrs(p)).toMatchObject({ "Country of origin": "Italy", Material: "Wood", UPC: "8712345000028" });
    expect(classPuts(w)).toBe(1);

    await ccv.updateProductPropertyValue(originValue.id, "Spain");
    await ccv.updateProduct(product.id, { name: "Stoel eiken" });
    await w.ccv.webhooks.idle();
    const updated = await runOne(w, "PRODUCTS_CCV_TO_ECWID", String(product.id));
    expect(updated.status).not.toBe("FAILED");
    const after = ecwidBySku(w, "CHAIR-1")!;
    expect(after.name).toBe("Stoel eiken");
    expect(attrs(after)).toMatchObject({
      "Country of origin": "Spain",
      Material: "Wood",
      UPC: "8712345000028",
    });
    // the attributes exist in the class now: no second class write
    expect(classPuts(w)).toBe(1);

    await enableFlows(w, "PRODUCTS_ECWID_TO_CCV");
    const ccvBefore = ccvWrites(w);
    const echo = await runOne(w, "PRODUCTS_ECWID_TO_CCV", String(p.id));
    expect(echo.action).toBe("SKIP");
    expect(ccvWrites(w)).toBe(ccvBefore);
  });
});
