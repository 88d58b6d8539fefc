import { ConfigureFlowDocument, RunSyncDocument } from "../../sdk/generated/graphql";
import type { CcvProduct } from "../../src/connectors/ccv-salespos";
import type { FlowDefinition } from "../../src/sync/engine/flow-definition";
import { hashOf } from "../../src/sync/engine/hash";
import { reconcileScan } from "../../src/sync/engine/reconcile";
import { errorCode } from "../support/graphql-client";
import { startWorld, type World } from "../support/world";

/**
 * A test flow over the budgeted, resumable full reconcile: CCV products (no updated-since filter),
 * 2 pages of 100 per run, only new or changed products become items. It writes nothing to Ecwid:
 * what is under test is the engine mechanism.
 */
const fingerprint = (p: CcvProduct) => hashOf({ name: p.name, price: p.price, stock: p.stock });
const scanFlow: FlowDefinition = {
  kind: "PRODUCTS_CCV_TO_ECWID",
  entity: "PRODUCT",
  source: "CCV_SALESPOS",
  target: "ECWID",
  defaultMappings: [],
  discover: (rt, opts) =>
    reconcileScan<CcvProduct>(
      rt,
      {
        key: "scan:test",
        pagesPerRun: 2,
        pageSize: 100,
        fetchPage: (start, size) => rt.clients.ccv.page<CcvProduct>("/products", start, {}, { size }),
        toRecord: (p) => ({ id: String(p.id), sku: p.productnumber ?? null, payload: p }),
        changed: async (p) => (await rt.links.byCcv("PRODUCT", String(p.id)))?.hashToEcwid !== fingerprint(p),
      },
      opts.checkpoint,
    ),
  fetchOne: async (rt, id) => ({ id, payload: await rt.clients.ccv.getProduct(id) }),
  syncItem: async (_rt, record) => {
    const p = record.payload as CcvProduct;
    return {
      action: "UPDATE",
      targetId: `e${p.id}`,
      links: [
        {
          entity: "PRODUCT",
          ecwidId: `e${p.id}`,
          ccvId: String(p.id),
          createdBy: "MATCHED",
          hashToEcwid: fingerprint(p),
        },
      ],
    };
  },
};

describe("budgeted, resumable full reconcile (CCV products)", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ engine: { flows: [scanFlow] } });
    w.ccv.store.seedProducts(450, (i) => ({ name: `Product ${i}`, productnumber: `P-${i}`, price: 10 + i }));
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "PRODUCTS_CCV_TO_ECWID",
      input: { enabled: true },
    });
  });
  afterAll(() => w.stop());

  const run = async () => {
    const before = w.ccv.log.find("GET", /\/products\/?$/).length;
    const r = await w.waitRun(
      (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "PRODUCTS_CCV_TO_ECWID" }))
        .runSync.id,
    );
    return { r, pages: w.ccv.log.find("GET", /\/products\/?$/).length - before };
  };

  it("a flow this engine has no definition for is refused with a clear error, run or enabled", async () => {
    const message = "The flow ORDERS_ECWID_TO_CCV is not available in this version of the gateway yet.";
    const run = await w.raw(RunSyncDocument, { integrationId: w.integrationId, flow: "ORDERS_ECWID_TO_CCV" });
    expect(errorCode(run)).toBe("BAD_USER_INPUT");
    expect(run.errors?.[0]?.message).toBe(message);
    const enable = await w.raw(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "ORDERS_ECWID_TO_CCV",
      input: { enabled: true },
    });
    expect(errorCode(enable)).toBe("BAD_USER_INPUT");
    expect(enable.errors?.[0]?.message).toBe(message);
  });

  it("covers a large catalogue across runs within a page budget per run, then only changed records", async () => {
    const r1 = await run();
    expect(r1.r.counts.total).toBe(200);
    expect(r1.pages).toBe(2);
    const r2 = await run();
    expect(r2.r.counts.total).toBe(200);
    const r3 = await run();
    // the last 50, then the scan wraps to the start for the next run
    expect(r3.r.counts.total).toBe(50);
    expect(r3.pages).toBe(1);
    const r4 = await run();
    expect(r4.r.counts.total).toBe(0);
    expect(r4.pages).toBe(2);

    // a change on a page the scan is about to read is found by the next run that reaches it
    const target = [...w.ccv.store.products.values()].find((p) => p.productnumber === "P-250")!;
    w.ccv.store.patchProduct(target.id, { name: "Renamed" });
    const r5 = await run();
    expect(r5.r.counts.total).toBe(1);
    expect(r5.r.counts.updated).toBe(1);
  });
});
