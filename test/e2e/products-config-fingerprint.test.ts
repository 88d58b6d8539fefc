import { SetFieldMappingsDocument } from "../../sdk/generated/graphql";
import {
  ccvWrites,
  ecwidBySku,
  ecwidWrites,
  enableFlows,
  mapTaxRates,
  PRODUCT_FLOWS,
  runOne,
  startWorld,
  type World,
} from "../support/world";

describe("product flows: a changed configuration re-syncs unchanged products, echoes stay suppressed", () => {
  let w: World;
  let ccvId: string;
  let ecwidId: string;

  beforeAll(async () => {
    // CCV prices net, Ecwid gross
    w = await startWorld({ ccv: { seed: { pricesIncludeVat: false } }, taxRates: true });
    ccvId = String(
      w.ccv.store.seedProduct({
        name: "Lamp",
        productnumber: "LAMP-1",
        price: 10,
        discount: 0,
        taxtariff: "normal",
      }).id,
    );
    await enableFlows(w, ...PRODUCT_FLOWS);
    expect(await runOne(w, "PRODUCTS_CCV_TO_ECWID", ccvId)).toMatchObject({
      action: "CREATE",
      status: "SUCCEEDED",
    });
    ecwidId = String(ecwidBySku(w, "LAMP-1")!.id);
    expect(ecwidBySku(w, "LAMP-1")).toMatchObject({ name: "Lamp", price: 12.1 });
    // the other direction sees the gateway's own write: nothing sent back
    const before = ccvWrites(w);
    expect(await runOne(w, "PRODUCTS_ECWID_TO_CCV", ecwidId)).toMatchObject({ action: "SKIP" });
    expect(ccvWrites(w)).toBe(before);
  });
  afterAll(() => w.stop());

  it("unchanged product and configuration: skipped without a write", async () => {
    const before = ecwidWrites(w);
    const item = await runOne(w, "PRODUCTS_CCV_TO_ECWID", ccvId);
    expect(item.action).toBe("SKIP");
    expect(item.reason).toMatch(/^Unchanged since the last sync/);
    expect(ecwidWrites(w)).toBe(before);
  });

  it("a changed field mapping re-syncs the unchanged product (dry run first: planned, nothing written); the echo is still suppressed", async () => {
    await w.gql(SetFieldMappingsDocument, {
      integrationId: w.integrationId,
      flow: "PRODUCTS_CCV_TO_ECWID",
      // an invertible change: a roundtrip through the other direction gives the same value again
      mappings: [{ target: "subtitle", expression: '"POS: " & name' }],
    });
    const before = ecwidWrites(w);
    const dry = await runOne(w, "PRODUCTS_CCV_TO_ECWID", ccvId, true);
    expect(dry).toMatchObject({ action: "UPDATE", sentPayload: { subtitle: "POS: Lamp" } });
    expect(ecwidWrites(w)).toBe(before);

    const item = await runOne(w, "PRODUCTS_CCV_TO_ECWID", ccvId);
    expect(item).toMatchObject({
      action: "UPDATE",
      status: "SUCCEEDED",
      sentPayload: { subtitle: "POS: Lamp" },
    });
    expect(ecwidBySku(w, "LAMP-1")!.subtitle).toBe("POS: Lamp");
    // exactly the one PUT of the product
    expect(
      w.ecwid.log
        .writes()
        .slice(before)
        .map((e) => `${e.method} ${e.path.replace(/\d+/g, "N")}`),
    ).toEqual([expect.stringMatching(/^PUT .*\/products\/N$/)]);

    const ccvBefore = ccvWrites(w);
    const echo = await runOne(w, "PRODUCTS_ECWID_TO_CCV", ecwidId);
    expect(echo.action).toBe("SKIP");
    expect(echo.reason).toMatch(/^Unchanged since the last sync/);
    expect(ccvWrites(w)).toBe(ccvBefore);

    const again = ecwidWrites(w);
    expect((await runOne(w, "PRODUCTS_CCV_TO_ECWID", ccvId)).action).toBe("SKIP");
    expect(ecwidWrites(w)).toBe(again);
  });

  it("a changed TAX_RATE map re-syncs the unchanged product with the new rate", async () => {
    await mapTaxRates(w, [{ from: "9", to: "normal" }]);
    const item = await runOne(w, "PRODUCTS_CCV_TO_ECWID", ccvId);
    expect(item).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    // 10 × 1.09, with Ecwid's manual tax of 9 %
    expect(ecwidBySku(w, "LAMP-1")).toMatchObject({
      price: 10.9,
      tax: { taxable: true, enabledManualTaxes: [1117939043] },
    });
    const before = ecwidWrites(w);
    expect((await runOne(w, "PRODUCTS_CCV_TO_ECWID", ccvId)).action).toBe("SKIP");
    expect(ecwidWrites(w)).toBe(before);
  });

  it("a changed mapping of the other direction re-syncs there too, and its write is not sent back", async () => {
    await w.gql(SetFieldMappingsDocument, {
      integrationId: w.integrationId,
      flow: "PRODUCTS_ECWID_TO_CCV",
      mappings: [{ target: "shortdescription", expression: '"web: " & name' }],
    });
    const item = await runOne(w, "PRODUCTS_ECWID_TO_CCV", ecwidId);
    expect([item.action, item.reason]).toEqual(["UPDATE", null]);
    expect(w.ccv.store.getProduct(Number(ccvId)).shortdescription).toBe("web: Lamp");

    // CCV changed by the gateway: PRODUCTS_CCV_TO_ECWID does not send it back
    const before = ecwidWrites(w);
    const echo = await runOne(w, "PRODUCTS_CCV_TO_ECWID", ccvId);
    expect(echo.action).toBe("SKIP");
    expect(echo.reason).toMatch(/^Unchanged since the last sync/);
    expect(ecwidWrites(w)).toBe(before);
  });
});
