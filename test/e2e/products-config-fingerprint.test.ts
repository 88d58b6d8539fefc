import {
  ConfigureFlowDocument,
  RunSyncDocument,
  SetFieldMappingsDocument,
  SetValueMappingsDocument,
  SyncRunDocument,
  type ItemFieldsFragment,
} from "../../sdk/generated/graphql";
import type { EcwidProduct } from "../../src/connectors/ecwid";
import { startWorld, type World } from "../support/world";

type Flow = "PRODUCTS_CCV_TO_ECWID" | "PRODUCTS_ECWID_TO_CCV";

/** runs one flow for one record and answers its item */
async function runOne(w: World, flow: Flow, sourceId: string, dryRun = false): Promise<ItemFieldsFragment> {
  const queued = (
    await w.gql(RunSyncDocument, {
      integrationId: w.integrationId,
      flow,
      options: { sourceIds: [sourceId], dryRun },
    })
  ).runSync;
  const r = await w.waitRun(queued.id);
  const items = (await w.gql(SyncRunDocument, { id: r.id, first: 100 })).syncRun!.items.edges.map(
    (e) => e.node,
  );
  const item = items.find((i) => i.sourceId === sourceId);
  if (!item) throw new Error(`run ${r.id} has no item for ${sourceId}: ${JSON.stringify(items)}`);
  return item;
}

const ecwidBySku = (w: World, sku: string): EcwidProduct =>
  [...w.ecwid.store.products.values()].map((r) => r.data).find((p) => p.sku === sku)!;
const ecwidWrites = (w: World) => w.ecwid.log.writes().length;
const ccvWrites = (w: World) => w.ccv.log.writes().filter((e) => !/\/webhooks/.test(e.path)).length;

describe("product flows: a changed configuration re-syncs unchanged products, echoes stay suppressed", () => {
  let w: World;
  let ccvId: string;
  let ecwidId: string;

  beforeAll(async () => {
    // CCV prices net, Ecwid gross
    w = await startWorld({ ccv: { seed: { pricesIncludeVat: false } } });
    await w.gql(SetValueMappingsDocument, {
      integrationId: w.integrationId,
      kind: "TAX_RATE",
      entries: [{ from: "21", to: "normal" }],
    });
    ccvId = String(
      w.ccv.store.seedProduct({
        name: "Lamp",
        productnumber: "LAMP-1",
        price: 10,
        discount: 0,
        taxtariff: "normal",
      }).id,
    );
    for (const flow of ["PRODUCTS_CCV_TO_ECWID", "PRODUCTS_ECWID_TO_CCV"] as const)
      await w.gql(ConfigureFlowDocument, { integrationId: w.integrationId, flow, input: { enabled: true } });
    expect(await runOne(w, "PRODUCTS_CCV_TO_ECWID", ccvId)).toMatchObject({
      action: "CREATE",
      status: "SUCCEEDED",
    });
    ecwidId = String(ecwidBySku(w, "LAMP-1").id);
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
    expect(ecwidBySku(w, "LAMP-1").subtitle).toBe("POS: Lamp");
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
    await w.gql(SetValueMappingsDocument, {
      integrationId: w.integrationId,
      kind: "TAX_RATE",
      entries: [{ from: "9", to: "normal" }],
    });
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
