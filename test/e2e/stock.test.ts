import {
  CancelRunDocument,
  ConfigureFlowDocument,
  RunSyncDocument,
  StockLevelsDocument,
  SyncRunDocument,
  type ItemFieldsFragment,
  type RunSyncOptions,
} from "../../sdk/generated/graphql";
import type { CcvClient } from "../../src/connectors/ccv-salespos";
import type { EcwidProduct } from "../../src/connectors/ecwid";
import { ECWID_FIXTURE_PRODUCT } from "../../src/sandbox/ecwid/ecwid.fixtures";
import { errorCode } from "../support/graphql-client";
import { webOrder } from "../support/web-orders";
import {
  ccvClientOf,
  deliverEcwidWebhooks,
  eventually,
  runFlow,
  runItems,
  startWorld,
  type World,
} from "../support/world";
import { SyncRunEntity } from "../../src/db/entities/sync-run.entity";
import { SyncItemEntity } from "../../src/db/entities/sync-item.entity";
import { CcvWebhookEntity } from "../../src/db/entities/infra.entity";
import { FlowConfigEntity } from "../../src/db/entities/flow-config.entity";

type StockFlow = "STOCK_ECWID_TO_CCV" | "STOCK_CCV_TO_ECWID" | "ORDERS_CCV_TO_ECWID" | "ORDERS_ECWID_TO_CCV";

/** Ecwid: the fixture T-shirt (variations with own SKUs), a mug, an unlimited cap. */
const ECWID_PRODUCTS: EcwidProduct[] = [
  ECWID_FIXTURE_PRODUCT,
  { id: 700300, sku: "MUG-001", name: "Mok", price: 12.95, quantity: 10, unlimited: false, enabled: true },
  { id: 700400, sku: "CAP-1", name: "Pet", price: 15, unlimited: true, enabled: true },
];

export interface StockWorld extends World {
  ccvClient: CcvClient;
  ccvId: Record<string, number>;
  ccvCombination: Record<string, number>;
  configure(flow: StockFlow, input: Record<string, unknown>): Promise<void>;
  run(flow: StockFlow, options?: RunSyncOptions): Promise<{ id: string; items: ItemFieldsFragment[] }>;
  ccvStock(sku: string): number | null;
  ccvTracked(sku: string): boolean;
  ecwidStock(sku: string): number | null;
  ecwidUnlimited(sku: string): boolean;
  /** upstream writes each sandbox received since `mark()` */
  writes(): { ecwid: string[]; ccv: string[] };
  mark(): void;
}

export async function startStockWorld(opts: Parameters<typeof startWorld>[0] = {}): Promise<StockWorld> {
  const w = await startWorld({
    ...opts,
    // unified reads see every stock move at once (no catalogue snapshot reuse)
    engine: { recordsCacheMs: 0, ...(opts.engine ?? {}) },
    ecwid: { seed: { products: ECWID_PRODUCTS }, ...(opts.ecwid ?? {}) },
  });
  const ccvClient = ccvClientOf(w);
  const ccvId: Record<string, number> = {};
  const ccvCombination: Record<string, number> = {};
  ccvId["MUG-001"] = w.ccv.store.seedProduct({
    name: "Mok",
    productnumber: "MUG-001",
    price: 12.95,
    stockenabled: true,
    stock: 38,
  }).id;
  ccvId["CAP-1"] = w.ccv.store.seedProduct({
    name: "Pet",
    productnumber: "CAP-1",
    price: 15,
    stockenabled: true,
    stock: 4,
  }).id;
  const shirt = await ccvClient.createVariantProduct({
    product: {
      name: "T-Shirt",
      productnumber: "TSHIRT-BASE",
      price: 20,
      discount: 0,
      taxtariff: "normal",
      stockenabled: true,
      stock: 14,
    },
    axes: [
      { name: "Size", values: [{ name: "M" }] },
      { name: "Color", values: [{ name: "Black" }, { name: "White" }] },
    ],
    variants: [
      { options: { Size: "M", Color: "Black" }, sku: "TSHIRT-M-BLK", stock: 2 },
      { options: { Size: "M", Color: "White" }, sku: "TSHIRT-M-WHT", stock: 7 },
    ],
  });
  ccvId["TSHIRT-BASE"] = shirt.product.id;
  for (const c of shirt.combinations) ccvCombination[c.sku_number!] = c.id;

  let ecwidMark = 0;
  let ccvMark = 0;
  const ecwidLine = (sku: string) => {
    for (const row of [...ECWID_PRODUCTS.map((p) => p.id)].map((id) => w.ecwid.store.getProduct(id))) {
      if (row.sku === sku) return row as { quantity?: number; unlimited?: boolean };
      const c = (row.combinations ?? []).find((x) => x.sku === sku);
      if (c) return c as { quantity?: number; unlimited?: boolean };
    }
    throw new Error(`no Ecwid SKU ${sku}`);
  };
  const ccvLine = (sku: string) => {
    if (ccvCombination[sku] !== undefined) {
      const c = w.ccv.store.combinationsOf(ccvId["TSHIRT-BASE"]).find((x) => x.id === ccvCombination[sku])!;
      return {
        stock: c.stock as number,
        tracked: w.ccv.store.getProduct(ccvId["TSHIRT-BASE"]).stockenabled !== false,
      };
    }
    const p = w.ccv.store.getProduct(ccvId[sku]);
    return { stock: p.stock as number, tracked: p.stockenabled !== false };
  };
  // data writes: webhook (un)registrations follow a flow's configuration asynchronously and may land
  // during a later test's run
  const writesOf = (entries: { method: string; path: string; body: string }[]) =>
    entries
      .filter((e) => e.method !== "GET" && e.method !== "HEAD" && !/\/webhooks(\/|$)/.test(e.path))
      .map((e) => `${e.method} ${e.path} ${e.body}`);

  return {
    ...w,
    ccvClient,
    ccvId,
    ccvCombination,
    async configure(flow, input) {
      await w.gql(ConfigureFlowDocument, { integrationId: w.integrationId, flow, input });
    },
    async run(flow, options = {}) {
      const r = await runFlow(w, flow, options);
      return { id: r.id, items: await runItems(w, r.id) };
    },
    ccvStock: (sku) => (ccvLine(sku).tracked ? ccvLine(sku).stock : null),
    ccvTracked: (sku) => ccvLine(sku).tracked,
    ecwidStock: (sku) => (ecwidLine(sku).unlimited ? null : (ecwidLine(sku).quantity ?? null)),
    ecwidUnlimited: (sku) => ecwidLine(sku).unlimited === true,
    mark() {
      ecwidMark = w.ecwid.log.entries.length;
      ccvMark = w.ccv.log.entries.length;
    },
    writes() {
      return {
        ecwid: writesOf(w.ecwid.log.entries.slice(ecwidMark)),
        ccv: writesOf(w.ccv.log.entries.slice(ccvMark)),
      };
    },
  };
}

describe("stock flows: one master, absolute figures written only when they differ", () => {
  let w: StockWorld;
  beforeAll(async () => {
    w = await startStockWorld();
  });
  afterAll(() => w.stop());

  it("one stock master per integration: enabling the second stock flow is refused with a clear error", async () => {
    await w.configure("STOCK_ECWID_TO_CCV", { enabled: true });
    const r = await w.raw(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "STOCK_CCV_TO_ECWID",
      input: { enabled: true },
    });
    expect(errorCode(r)).toBe("BAD_USER_INPUT");
    expect(r.errors![0].message).toMatch(
      /STOCK_ECWID_TO_CCV is enabled: one system is the stock master, so only one stock flow may be on/,
    );
    await w.configure("STOCK_ECWID_TO_CCV", { enabled: false });

    // both at once: exactly one becomes the master
    const both = await Promise.all(
      (["STOCK_ECWID_TO_CCV", "STOCK_CCV_TO_ECWID"] as const).map((flow) =>
        w.raw(ConfigureFlowDocument, { integrationId: w.integrationId, flow, input: { enabled: true } }),
      ),
    );
    expect(both.filter((x) => !x.errors).length).toBe(1);
    const flows = await w.t.gw.dataSource.manager.findBy(FlowConfigEntity, {
      integrationId: w.integrationId,
      enabled: true,
    });
    expect(flows.filter((f) => f.kind.startsWith("STOCK_"))).toHaveLength(1);
    await w.configure("STOCK_ECWID_TO_CCV", { enabled: false });
    await w.configure("STOCK_CCV_TO_ECWID", { enabled: false });
  });

  it("Ecwid master: a dry run shows the figures and writes nothing; the run writes each differing SKU once, unlimited stock untracked; a second run touches nothing", async () => {
    w.mark();
    const dry = await w.run("STOCK_ECWID_TO_CCV", { dryRun: true });
    expect(w.writes().ccv).toEqual([]);
    const shirt = dry.items.find((i) => i.sku === "TSHIRT-BASE")!;
    expect(shirt).toMatchObject({ action: "UPDATE", status: "PENDING" });
    expect(shirt.changes).toEqual(
      expect.arrayContaining([
        { field: "stock[TSHIRT-M-BLK]", before: "2", after: "5" },
        { field: "stock[TSHIRT-M-WHT]", before: "7", after: "9" },
      ]),
    );
    expect(shirt.reason).toMatch(/TSHIRT-L-BLK: not in CCV SalesPOS\./);
    expect(dry.items.find((i) => i.sku === "MUG-001")!.changes).toEqual([
      { field: "stock[MUG-001]", before: "38", after: "10" },
    ]);
    expect(dry.items.find((i) => i.sku === "CAP-1")!.changes).toEqual([
      { field: "stock[CAP-1]", before: "4", after: "not tracked" },
    ]);
    expect(w.ccvStock("MUG-001")).toBe(38);

    w.mark();
    const real = await w.run("STOCK_ECWID_TO_CCV");
    expect(real.items.map((i) => [i.sku, i.action, i.status]).sort()).toEqual([
      ["CAP-1", "UPDATE", "SUCCEEDED"],
      ["MUG-001", "UPDATE", "SUCCEEDED"],
      ["TSHIRT-BASE", "UPDATE", "SUCCEEDED"],
    ]);
    expect(w.ccvStock("MUG-001")).toBe(10);
    expect(w.ccvStock("TSHIRT-M-BLK")).toBe(5);
    expect(w.ccvStock("TSHIRT-M-WHT")).toBe(9);
    expect(w.ccvTracked("CAP-1")).toBe(false);
    // one PATCH per differing figure; the T-shirt's own figure (14) was already right
    expect(w.writes().ccv.sort()).toEqual(
      [
        `PATCH /api/rest/v1/products/${w.ccvId["MUG-001"]} {"stock":10}`,
        `PATCH /api/rest/v1/products/${w.ccvId["CAP-1"]} {"stockenabled":false}`,
        `PATCH /api/rest/v1/attributecombinations/${w.ccvCombination["TSHIRT-M-BLK"]} {"stock":5}`,
        `PATCH /api/rest/v1/attributecombinations/${w.ccvCombination["TSHIRT-M-WHT"]} {"stock":9}`,
      ].sort(),
    );
    expect(w.writes().ecwid).toEqual([]);

    w.mark();
    const again = await w.run("STOCK_ECWID_TO_CCV");
    expect(again.items).toEqual([]);
    expect(w.writes()).toEqual({ ecwid: [], ccv: [] });
  });

  it("CCV master: decimals are rounded down for Ecwid, a variant and a simple product, untracked stock becomes unlimited, tracked again gets its figure", async () => {
    w.ccv.store.patchProduct(w.ccvId["MUG-001"], { stock: 7.5 });
    w.ccv.store.patchCombination(w.ccvCombination["TSHIRT-M-WHT"], { stock: 3 });
    w.mark();
    const r = await w.run("STOCK_CCV_TO_ECWID");
    expect(r.items.find((i) => i.sku === "MUG-001")).toMatchObject({
      action: "UPDATE",
      status: "SUCCEEDED",
      changes: [{ field: "stock[MUG-001]", before: "10", after: "7" }],
    });
    expect(r.items.find((i) => i.sku === "MUG-001")!.reason).toMatch(
      /CCV SalesPOS 7\.5 = 7\.5 \(7 in Ecwid: whole numbers only\)/,
    );
    expect(w.ecwidStock("MUG-001")).toBe(7);
    expect(w.ecwidStock("TSHIRT-M-WHT")).toBe(3);
    // CAP-1 is not tracked in CCV (the last run untracked it): unlimited in Ecwid already, left alone
    expect(w.ecwidUnlimited("CAP-1")).toBe(true);
    // Ecwid's absolute write is read, delta, verifying re-read (Ecwid §6.6)
    expect(w.writes().ecwid.sort()).toEqual(
      [
        `PUT /api/v3/${w.ecwid.storeId}/products/700300/inventory {"quantityDelta":-3}`,
        `PUT /api/v3/${w.ecwid.storeId}/products/700100200/combinations/422488003/inventory {"quantityDelta":-6}`,
      ].sort(),
    );

    w.ccv.store.patchProduct(w.ccvId["CAP-1"], { stockenabled: true, stock: 6 });
    w.ccv.store.patchProduct(w.ccvId["MUG-001"], { stockenabled: false });
    const r2 = await w.run("STOCK_CCV_TO_ECWID");
    expect(r2.items.map((i) => i.sku).sort()).toEqual(["CAP-1", "MUG-001"]);
    expect(w.ecwidStock("CAP-1")).toBe(6);
    expect(w.ecwidUnlimited("MUG-001")).toBe(true);
  });
});

describe("reservations: the other side's sales the master has not booked yet are not un-sold", () => {
  let w: StockWorld;
  beforeAll(async () => {
    w = await startStockWorld();
  });
  afterAll(() => w.stop());

  const level = async (sku: string) =>
    (await w.gql(StockLevelsDocument, { integrationId: w.integrationId, skus: [sku] })).stockLevels[0];

  it("Ecwid master: a POS sale whose booking in Ecwid fails is reserved (CCV keeps its lower figure); AVAILABLE would un-sell it; once booked nothing is written", async () => {
    await w.configure("STOCK_ECWID_TO_CCV", { enabled: true });
    await w.run("STOCK_ECWID_TO_CCV");
    expect(w.ccvStock("MUG-001")).toBe(10);

    // a sale of 2 mugs at the till: the till lowers its own figure
    w.ccv.store.patchProduct(w.ccvId["MUG-001"], { stock: 8 });
    const sale = w.ccv.store.createOrder({
      customer: { email: "pos@example.com", billingaddress: { first_name: "Piet", last_name: "Kassa" } },
      orderrows: [{ product_id: w.ccvId["MUG-001"], count: 2 }],
      is_completed: true,
      paid: true,
      status: 7,
    });
    w.ecwid.faults.add({
      method: "POST",
      path: w.ecwid.path("/orders"),
      kind: "status",
      status: 400,
      times: Infinity,
    });
    const t0 = Date.now();
    const booking = await w.run("ORDERS_CCV_TO_ECWID", { full: true });
    expect(booking.items.find((i) => i.sourceId === String(sale.id))).toMatchObject({ status: "FAILED" });

    expect(await level("MUG-001")).toEqual({
      sku: "MUG-001",
      master: "ECWID",
      ecwid: 10,
      ecwidUnlimited: false,
      ccv: 8,
      reserved: 2,
      reservedOrders: [
        {
          system: "CCV_SALESPOS",
          orderId: String(sale.id),
          quantity: 2,
          state: "FAILED",
          since: expect.any(String),
          ageSeconds: expect.any(Number),
        },
      ],
      computed: 8,
      inSync: true,
      ecwidOpenCheckouts: 0,
    });
    // its age: since the order's first attempt in the order flow
    const since = Date.parse((await level("MUG-001")).reservedOrders[0].since as string);
    expect(since).toBeGreaterThanOrEqual(t0 - 1000);
    expect(since).toBeLessThanOrEqual(Date.now());
    w.mark();
    expect((await w.run("STOCK_ECWID_TO_CCV")).items).toEqual([]);
    expect(w.writes().ccv).toEqual([]);
    expect(w.ccvStock("MUG-001")).toBe(8);

    // AVAILABLE writes the master's figure as it is: the dry run shows the sale would be un-sold
    await w.configure("STOCK_ECWID_TO_CCV", { settings: { stockCalculation: "AVAILABLE" } });
    expect(await level("MUG-001")).toMatchObject({ reserved: 2, computed: 10, inSync: false });
    const dry = await w.run("STOCK_ECWID_TO_CCV", { dryRun: true });
    expect(dry.items.find((i) => i.sku === "MUG-001")!.changes).toEqual([
      { field: "stock[MUG-001]", before: "8", after: "10" },
    ]);
    await w.configure("STOCK_ECWID_TO_CCV", { settings: { stockCalculation: "AVAILABLE_MINUS_RESERVED" } });

    // the booking succeeds on retry: Ecwid takes the 2 mugs itself; nothing left to reserve or write
    w.ecwid.faults.clear();
    const retried = await w.run("ORDERS_CCV_TO_ECWID", { sourceIds: [String(sale.id)] });
    expect(retried.items[0]).toMatchObject({ action: "CREATE", status: "SUCCEEDED" });
    expect(w.ecwidStock("MUG-001")).toBe(8);
    expect(await level("MUG-001")).toMatchObject({
      reserved: 0,
      reservedOrders: [],
      computed: 8,
      inSync: true,
    });
    w.mark();
    expect((await w.run("STOCK_ECWID_TO_CCV")).items).toEqual([]);
    expect(w.writes().ccv).toEqual([]);
  });

  it("CCV master: a web sale of a variant whose booking in CCV fails is reserved, so Ecwid keeps its lower figure", async () => {
    await w.configure("STOCK_ECWID_TO_CCV", { enabled: false });
    await w.configure("STOCK_CCV_TO_ECWID", { enabled: true });
    await w.run("STOCK_CCV_TO_ECWID");
    expect(w.ecwidStock("TSHIRT-M-BLK")).toBe(5);

    const web = w.ecwid.store.createOrder({
      ...webOrder("web@example.com", "TSHIRT-M-BLK", 700100200),
      items: [
        { ...webOrder("web@example.com", "TSHIRT-M-BLK", 700100200).items![0], combinationId: 422488001 },
      ],
    });
    expect(w.ecwidStock("TSHIRT-M-BLK")).toBe(4);
    w.ccv.faults.add({
      method: "POST",
      path: "/api/rest/v1/orders",
      kind: "status",
      status: 400,
      times: Infinity,
    });
    const booking = await w.run("ORDERS_ECWID_TO_CCV", { sourceIds: [web.orderId] });
    expect(booking.items[0]).toMatchObject({ status: "FAILED" });

    expect(await level("TSHIRT-M-BLK")).toMatchObject({
      master: "CCV_SALESPOS",
      ccv: 5,
      ecwid: 4,
      reserved: 1,
      reservedOrders: [{ system: "ECWID", orderId: web.orderId, quantity: 1, state: "FAILED" }],
      computed: 4,
      inSync: true,
    });
    // failing again does not make the reservation younger: it is as old as the first attempt
    const first = (await level("TSHIRT-M-BLK")).reservedOrders[0];
    expect((await w.run("ORDERS_ECWID_TO_CCV", { sourceIds: [web.orderId] })).items[0]).toMatchObject({
      status: "FAILED",
    });
    const again = (await level("TSHIRT-M-BLK")).reservedOrders[0];
    expect(again).toMatchObject({ state: "FAILED", since: first.since });
    expect(again.ageSeconds).toBeGreaterThanOrEqual(first.ageSeconds);
    w.mark();
    const r = await w.run("STOCK_CCV_TO_ECWID");
    expect(r.items).toEqual([]);
    expect(w.writes().ecwid).toEqual([]);

    // AVAILABLE takes CCV's figure as it is: the web sale would be un-sold
    await w.configure("STOCK_CCV_TO_ECWID", { settings: { stockCalculation: "AVAILABLE" } });
    const dry = await w.run("STOCK_CCV_TO_ECWID", { dryRun: true });
    expect(dry.items[0].changes).toEqual([{ field: "stock[TSHIRT-M-BLK]", before: "4", after: "5" }]);
    await w.configure("STOCK_CCV_TO_ECWID", { settings: { stockCalculation: "AVAILABLE_MINUS_RESERVED" } });
    w.ccv.faults.clear();
  });

  it("a sale whose booking is still queued is reserved too", async () => {
    const ecwidBefore = w.ecwidStock("MUG-001")!;
    const ccvBefore = w.ccvStock("MUG-001")!;
    await w.t.gw.engine.stopWorker();
    try {
      const web = w.ecwid.store.createOrder(webOrder("queued@example.com", "MUG-001", 700300));
      const booking = (
        await w.gql(RunSyncDocument, {
          integrationId: w.integrationId,
          flow: "ORDERS_ECWID_TO_CCV",
          options: { sourceIds: [web.orderId] },
        })
      ).runSync;
      expect(booking.status).toBe("QUEUED");
      expect(await level("MUG-001")).toMatchObject({
        master: "CCV_SALESPOS",
        ccv: ccvBefore,
        ecwid: ecwidBefore - 1,
        reserved: 1,
        reservedOrders: [{ system: "ECWID", orderId: web.orderId, quantity: 1, state: "QUEUED" }],
        computed: ecwidBefore - 1,
        inSync: true,
      });
      w.mark();
      const stock = (
        await w.gql(RunSyncDocument, {
          integrationId: w.integrationId,
          flow: "STOCK_CCV_TO_ECWID",
          options: { sourceIds: [String(w.ccvId["MUG-001"])] },
        })
      ).runSync;
      await w.t.gw.engine.executor.execute(stock.id, new AbortController().signal);
      expect((await w.gql(SyncRunDocument, { id: stock.id })).syncRun!.items.edges[0].node).toMatchObject({
        action: "SKIP",
      });
      expect(w.writes().ecwid).toEqual([]);
      await w.gql(CancelRunDocument, { id: booking.id });
    } finally {
      await w.t.gw.engine.startWorker();
    }
    // the jobs left in the queue finish before the world stops
    await settled(w);
  });
});

describe("manageStock: off, the target does not track stock and no figures are written; on again, tracking and figures come back", () => {
  let w: StockWorld;
  beforeAll(async () => {
    w = await startStockWorld();
  });
  afterAll(() => w.stop());

  it("Ecwid master: CCV stops tracking (stockenabled) per product, then tracks again with Ecwid's figures", async () => {
    await w.configure("STOCK_ECWID_TO_CCV", { enabled: true, settings: { manageStock: false } });
    w.mark();
    const off = await w.run("STOCK_ECWID_TO_CCV");
    expect(off.items.map((i) => i.sku).sort()).toEqual(["CAP-1", "MUG-001", "TSHIRT-BASE"]);
    expect(w.ccvTracked("MUG-001")).toBe(false);
    expect(w.ccvTracked("TSHIRT-M-BLK")).toBe(false);
    // only tracking was switched off: one PATCH per product, no figure
    expect(w.writes().ccv.sort()).toEqual(
      ["CAP-1", "MUG-001", "TSHIRT-BASE"]
        .map((s) => `PATCH /api/rest/v1/products/${w.ccvId[s]} {"stockenabled":false}`)
        .sort(),
    );
    expect(w.ccv.store.getProduct(w.ccvId["MUG-001"]).stock).toBe(38);
    expect((await w.run("STOCK_ECWID_TO_CCV")).items).toEqual([]);

    await w.configure("STOCK_ECWID_TO_CCV", { settings: { manageStock: true } });
    w.mark();
    const on = await w.run("STOCK_ECWID_TO_CCV");
    expect(on.items.map((i) => i.sku).sort()).toEqual(["MUG-001", "TSHIRT-BASE"]);
    expect(w.ccvStock("MUG-001")).toBe(10);
    expect(w.ccvStock("TSHIRT-BASE")).toBe(14);
    expect(w.ccvStock("TSHIRT-M-BLK")).toBe(5);
    expect(w.ccvStock("TSHIRT-M-WHT")).toBe(9);
    // the cap is unlimited in Ecwid: CCV keeps not tracking it
    expect(w.ccvTracked("CAP-1")).toBe(false);
    expect(w.writes().ccv).toEqual(
      expect.arrayContaining([
        `PATCH /api/rest/v1/products/${w.ccvId["MUG-001"]} {"stockenabled":true}`,
        `PATCH /api/rest/v1/products/${w.ccvId["MUG-001"]} {"stock":10}`,
      ]),
    );
    await w.configure("STOCK_ECWID_TO_CCV", { enabled: false });
  });

  it("CCV master: Ecwid products and variations become unlimited, then tracked again with CCV's figures", async () => {
    await w.configure("STOCK_CCV_TO_ECWID", { enabled: true, settings: { manageStock: false } });
    const off = await w.run("STOCK_CCV_TO_ECWID");
    expect(off.items.map((i) => i.sku).sort()).toEqual(["MUG-001", "TSHIRT-BASE"]);
    expect(w.ecwidUnlimited("MUG-001")).toBe(true);
    expect(w.ecwidUnlimited("TSHIRT-BASE")).toBe(true);
    expect(w.ecwidUnlimited("TSHIRT-M-BLK")).toBe(true);
    expect(w.ecwidUnlimited("TSHIRT-M-WHT")).toBe(true);
    // the variation CCV does not have is not the flow's to change
    expect(w.ecwidUnlimited("TSHIRT-L-BLK")).toBe(false);

    w.ccv.store.patchProduct(w.ccvId["MUG-001"], { stock: 12 });
    await w.configure("STOCK_CCV_TO_ECWID", { settings: { manageStock: true } });
    const on = await w.run("STOCK_CCV_TO_ECWID");
    expect(on.items.map((i) => i.sku).sort()).toEqual(["MUG-001", "TSHIRT-BASE"]);
    expect(w.ecwidStock("MUG-001")).toBe(12);
    expect(w.ecwidStock("TSHIRT-M-BLK")).toBe(5);
    expect(w.ecwidStock("TSHIRT-M-WHT")).toBe(9);
    expect(w.ecwidStock("TSHIRT-BASE")).toBe(14);
  });
});

/**
 * CCV webhooks carry no event id and a `triggered_at` to the second (CCV §5.9.3): two changes of one
 * product within one second send identical bodies. The gateway queues one more run for the second
 * when the first one's run has picked the product up (see the CCV-master ABA test); tests that
 * count writes start on a fresh second so one change is one delivery.
 */
async function nextSecond(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
}

/** waits until webhook deliveries are answered and no run is queued or running, twice in a row */
async function settled(w: StockWorld): Promise<void> {
  let quiet = 0;
  let last = -1;
  await eventually(
    async () => {
      await w.ecwid.webhooks.flush();
      const runs = await w.t.gw.dataSource.manager.find(SyncRunEntity, {
        where: { integrationId: w.integrationId },
      });
      const active = runs.filter((r) => r.status === "QUEUED" || r.status === "RUNNING").length;
      quiet = active === 0 && runs.length === last ? quiet + 1 : 0;
      last = runs.length;
      if (quiet < 3) await new Promise((r) => setTimeout(r, 150));
      return quiet >= 3;
    },
    "webhooks and runs to settle",
    30_000,
  );
}

/** the gateway registered these CCV webhooks and keeps their keys (deliveries before that are refused) */
async function ccvWebhooksReady(w: StockWorld, events: string[]): Promise<void> {
  await eventually(
    async () => {
      const keys = await w.t.gw.dataSource.manager.findBy(CcvWebhookEntity, {
        integrationId: w.integrationId,
      });
      return events.every((e) => keys.some((k) => k.event === e && k.keyEnc)) || undefined;
    },
    `the CCV webhooks ${events.join(", ")}`,
  );
}

/**
 * one MUG-001 sold in the web shop and one at the POS at once (the stock starts at 10 on both
 * sides); waits until both are booked on both sides and the webhooks and runs have settled
 */
async function sellOnBothSides(w: StockWorld): Promise<void> {
  w.ecwid.store.createOrder(webOrder("web@example.com", "MUG-001", 700300));
  w.ccv.store.createOrder({
    customer: { email: "pos@example.com", billingaddress: { first_name: "Piet", last_name: "Kassa" } },
    orderrows: [{ product_id: w.ccvId["MUG-001"], count: 1 }],
    is_completed: true,
    paid: true,
    status: 7,
  });
  await eventually(
    async () => w.ecwidStock("MUG-001") === 8 && w.ccvStock("MUG-001") === 8 && w.ccv.store.orders.size === 2,
    "both sales booked on both sides",
    45_000,
  );
  await settled(w);
}

const stockPatches = (w: StockWorld) =>
  w
    .writes()
    .ccv.filter((x) => /^PATCH \/api\/rest\/v1\/(products|attributecombinations)\/\d+ \{"stock"/.test(x));
const ecwidStockWrites = (w: StockWorld) =>
  w.writes().ecwid.filter((x) => /\/inventory |^PUT \/api\/v3\/\d+\/products\//.test(x));

describe("near real time: stock changes reach the other side through webhooks and jobs", () => {
  let w: StockWorld;
  beforeAll(async () => {
    w = await startStockWorld({ ccv: { decrementStockOnOrder: true } });
    deliverEcwidWebhooks(w, ["product.updated", "order.created", "order.updated"]);
    await w.configure("STOCK_ECWID_TO_CCV", { enabled: true });
    await w.run("STOCK_ECWID_TO_CCV");
    await settled(w);
  });
  afterAll(() => w.stop());

  it("Ecwid master: 10 → 5 → 6 → 5 reaches CCV each time (ABA is not an echo), one write per change", async () => {
    expect(w.ccvStock("MUG-001")).toBe(10);
    w.mark();
    for (const [delta, expected] of [
      [-5, 5],
      [1, 6],
      [-1, 5],
    ]) {
      w.ecwid.store.inventory.adjustProduct(700300, { quantityDelta: delta });
      await eventually(async () => w.ccvStock("MUG-001") === expected, `CCV at ${expected}`, 45_000);
      await settled(w);
    }
    expect(stockPatches(w)).toEqual(
      [5, 6, 5].map((n) => `PATCH /api/rest/v1/products/${w.ccvId["MUG-001"]} {"stock":${n}}`),
    );
  });

  it("a burst of changes to one SKU coalesces into one write", async () => {
    w.mark();
    for (let i = 0; i < 5; i++) w.ecwid.store.inventory.adjustProduct(700300, { quantityDelta: -1 });
    await eventually(async () => w.ccvStock("MUG-001") === 0, "CCV at 0");
    await settled(w);
    expect(stockPatches(w)).toEqual([`PATCH /api/rest/v1/products/${w.ccvId["MUG-001"]} {"stock":0}`]);
  });

  it("a POS sale and a web sale of the same SKU in the same second end at initial − 2 on both sides, without write ping-pong", async () => {
    w.ecwid.store.inventory.adjustProduct(700300, { quantityDelta: 10 });
    await eventually(async () => w.ccvStock("MUG-001") === 10, "CCV at 10");
    await w.configure("ORDERS_ECWID_TO_CCV", { enabled: true });
    await w.configure("ORDERS_CCV_TO_ECWID", { enabled: true });
    await settled(w);
    await ccvWebhooksReady(w, ["orders.created", "orders.updated.status", "orders.updated.ispaid"]);
    w.mark();

    await sellOnBothSides(w);
    expect(w.ecwidStock("MUG-001")).toBe(8);
    expect(w.ccvStock("MUG-001")).toBe(8);
    // the master is never written; CCV gets at most one correction (none when the bookings land first)
    expect(ecwidStockWrites(w)).toEqual([]);
    expect(stockPatches(w).length).toBeLessThanOrEqual(1);
  });
  it("the master's own sale on its way to CCV holds the write until it has landed there (its booking moves CCV's stock too)", async () => {
    await settled(w);
    const before = w.ecwidStock("MUG-001")!;
    expect(w.ccvStock("MUG-001")).toBe(before);
    await w.t.gw.engine.stopWorker();
    w.mark();
    try {
      const web = w.ecwid.store.createOrder(webOrder("late@example.com", "MUG-001", 700300));
      await w.ecwid.webhooks.flush();
      await eventually(
        async () =>
          (
            await w.t.gw.dataSource.manager.findBy(SyncRunEntity, {
              integrationId: w.integrationId,
              status: "QUEUED",
            })
          ).some((r) => r.flow === "ORDERS_ECWID_TO_CCV") || undefined,
        "the web order's booking queued",
      );
      const stock = (
        await w.gql(RunSyncDocument, {
          integrationId: w.integrationId,
          flow: "STOCK_ECWID_TO_CCV",
          options: { sourceIds: ["700300"] },
        })
      ).runSync;
      await w.t.gw.engine.executor.execute(stock.id, new AbortController().signal);
      const item = (await w.gql(SyncRunDocument, { id: stock.id })).syncRun!.items.edges[0].node;
      expect(item).toMatchObject({ action: "SKIP", status: "SKIPPED" });
      expect(item.reason).toContain(`Ecwid order ${web.orderId} is on its way to CCV SalesPOS`);
      expect(stockPatches(w)).toEqual([]);
    } finally {
      await w.t.gw.engine.startWorker();
    }
    await eventually(async () => w.ccvStock("MUG-001") === before - 1, "the web order booked in CCV");
    await settled(w);
    expect(w.ecwidStock("MUG-001")).toBe(before - 1);
    expect(w.ccvStock("MUG-001")).toBe(before - 1);
    expect(stockPatches(w)).toEqual([]);
  });
});

describe("near real time with CCV SalesPOS as the stock master", () => {
  let w: StockWorld;
  beforeAll(async () => {
    w = await startStockWorld({ ccv: { decrementStockOnOrder: true } });
    deliverEcwidWebhooks(w, ["order.created", "order.updated"]);
    w.ccv.store.patchProduct(w.ccvId["MUG-001"], { stock: 10 });
    await w.configure("STOCK_CCV_TO_ECWID", { enabled: true });
    await ccvWebhooksReady(w, ["products.created", "products.updated"]);
    await w.run("STOCK_CCV_TO_ECWID");
    await settled(w);
  });
  afterAll(() => w.stop());

  it("a stock edit at the till (products.updated) reaches Ecwid: 10 → 5 → 6 → 5 within one second, each written as a delta", async () => {
    expect(w.ecwidStock("MUG-001")).toBe(10);
    w.mark();
    const sent = w.ccv.webhooks.deliveries.length;
    // all three changes within one second: CCV sends three byte-identical bodies (CCV §5.9.3)
    w.ccv.store.freezeClock(w.ccv.store.now());
    try {
      for (const n of [5, 6, 5]) {
        w.ccv.store.patchProduct(w.ccvId["MUG-001"], { stock: n });
        await eventually(async () => w.ecwidStock("MUG-001") === n, `Ecwid at ${n}`, 45_000);
        await settled(w);
      }
    } finally {
      w.ccv.store.freezeClock(null);
    }
    const bodies = w.ccv.webhooks.deliveries
      .slice(sent)
      .filter((d) => d.event === "products.updated")
      .map((d) => d.body);
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1);
    expect(ecwidStockWrites(w)).toEqual(
      [-5, 1, -1].map(
        (d) => `PUT /api/v3/${w.ecwid.storeId}/products/700300/inventory {"quantityDelta":${d}}`,
      ),
    );
    expect(stockPatches(w)).toEqual([]);
  });

  it("a POS sale and a web sale of the same SKU in the same second end at initial − 2 on both sides, without write ping-pong", async () => {
    await nextSecond();
    w.ccv.store.patchProduct(w.ccvId["MUG-001"], { stock: 10 });
    await eventually(async () => w.ecwidStock("MUG-001") === 10, "Ecwid at 10", 45_000);
    await w.configure("ORDERS_ECWID_TO_CCV", { enabled: true });
    await w.configure("ORDERS_CCV_TO_ECWID", { enabled: true });
    await ccvWebhooksReady(w, ["orders.created", "orders.updated.status", "orders.updated.ispaid"]);
    await settled(w);
    w.mark();

    await sellOnBothSides(w);
    expect(w.ecwidStock("MUG-001")).toBe(8);
    expect(w.ccvStock("MUG-001")).toBe(8);
    // the master (CCV) is never written a figure; Ecwid gets at most one correction
    expect(stockPatches(w)).toEqual([]);
    expect(ecwidStockWrites(w).length).toBeLessThanOrEqual(1);
  });
});

describe("stock triggers are durable: an order booked by a worker that then crashes still moves stock", () => {
  it("the order run's stock follow-up is a stored job: another worker finishes the run and triggers the stock flow for the booked order's products", async () => {
    let crashed = false;
    let firstSale = 0;
    let secondSale = 0;
    const a: StockWorld = await startStockWorld({
      engine: {
        queue: { lockMs: 600, pollMs: 50 },
        leaseTtlMs: 600,
        hooks: {
          beforeRecord: async (runId, sourceId) => {
            if (sourceId !== String(secondSale) || crashed) return;
            // the first sale is booked and recorded; the worker dies before recording the second
            await eventually(
              async () =>
                (await a.t.gw.dataSource.manager.countBy(SyncItemEntity, {
                  runId,
                  sourceId: String(firstSale),
                  status: "SUCCEEDED",
                })) === 1,
              "the first sale recorded",
            );
            crashed = true;
            void a.t.gw.engine.queue.crash!();
          },
        },
      },
    });
    let b: World | undefined;
    try {
      await a.configure("STOCK_CCV_TO_ECWID", { enabled: true });
      await a.run("STOCK_CCV_TO_ECWID");
      const sale = (ccvProductId: number) =>
        a.ccv.store.createOrder({
          customer: { email: "pos@example.com", billingaddress: { first_name: "Piet", last_name: "Kassa" } },
          orderrows: [{ product_id: ccvProductId, count: 1 }],
          is_completed: true,
          paid: true,
          status: 7,
        }).id;
      firstSale = sale(a.ccvId["MUG-001"]);
      secondSale = sale(a.ccvId["CAP-1"]);
      await a.configure("ORDERS_CCV_TO_ECWID", { enabled: true });
      const booking = (
        await a.gql(RunSyncDocument, {
          integrationId: a.integrationId,
          flow: "ORDERS_CCV_TO_ECWID",
          options: { full: true },
        })
      ).runSync;
      await eventually(async () => crashed, "the crash point");

      b = await startWorld({
        join: {
          db: a.t.db,
          integrationId: a.integrationId,
          key: a.key,
          workspaceId: a.workspaceId,
          ecwid: a.ecwid,
          ccv: a.ccv,
        },
        engine: { queue: { lockMs: 600, pollMs: 50 }, leaseTtlMs: 600, recordsCacheMs: 0 },
      });
      const done = await b.waitRun(booking.id);
      expect(done.status).toBe("SUCCEEDED");
      // worker A booked the first sale and died: worker B triggers the stock flow for its product
      const stockRun = await eventually(
        async () =>
          (
            await b!.t.gw.dataSource.manager.findBy(SyncRunEntity, {
              integrationId: a.integrationId,
              flow: "STOCK_CCV_TO_ECWID",
              trigger: "WEBHOOK",
            })
          ).find((r) => r.options?.sourceIds?.includes(String(a.ccvId["MUG-001"]))),
        "a stock run for the booked sale's product",
      );
      expect((await b.waitRun(stockRun.id)).status).toBe("SUCCEEDED");
    } finally {
      await b?.stop();
      await a.stop();
    }
  });
});
