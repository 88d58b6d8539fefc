import {
  CreateWorkspaceDocument,
  CustomersDocument,
  OrdersDocument,
  ProductDocument,
  ProductsDocument,
  StockLevelsDocument,
} from "../../sdk/generated/graphql";
import { CcvClient } from "../../src/connectors/ccv-salespos";
import { AuthCircuit, LOCAL_UPSTREAMS, SharedRateBudget } from "../../src/connectors/http";
import type { EcwidOrder } from "../../src/connectors/ecwid";
import { ECWID_FIXTURE_PRODUCT } from "../../src/sandbox/ecwid/ecwid.fixtures";
import { errorCode, execute } from "../support/graphql-client";
import { startWorld, type World } from "../support/world";

describe("unified Product, Order, Customer and Stock reads across both systems", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({
      ecwid: {
        seed: {
          products: [
            ECWID_FIXTURE_PRODUCT,
            {
              id: 700100300,
              sku: "MUG-001",
              name: "Koffiemok",
              price: 12.95,
              quantity: 40,
              unlimited: false,
              enabled: true,
            },
            { id: 700100400, sku: "ONLY-ECWID", name: "Web only", price: 5, unlimited: true, enabled: true },
          ],
          customers: [
            {
              id: 177737165,
              email: "buyer@example.com",
              name: "Jane Doe",
              billingPerson: { name: "Jane Doe", companyName: "Acme Widgets LLC" },
            } as never,
          ],
        },
      },
    });
    const ccv = new CcvClient(
      { baseUrl: w.ccv.baseUrl, publicKey: w.ccv.publicKey, secretKey: w.ccv.secretKey },
      {
        budget: new SharedRateBudget(),
        circuit: new AuthCircuit(),
        transport: { upstreams: LOCAL_UPSTREAMS },
      },
    );
    const mug = await ccv.createProduct({
      name: "Koffiemok",
      productnumber: "MUG-001",
      price: 13.5,
      discount: 0,
      taxtariff: "normal",
      stockenabled: true,
      stock: 38,
    });
    await ccv.createProduct({
      name: "Tas",
      productnumber: "BAG-01",
      price: 30,
      discount: 0,
      taxtariff: "normal",
      stockenabled: true,
      stock: 3,
    });
    await ccv.createVariantProduct({
      product: {
        name: "Logo T-Shirt",
        productnumber: "TSHIRT-BASE",
        price: 20,
        discount: 0,
        taxtariff: "normal",
        stockenabled: true,
      },
      axes: [
        { name: "Size", values: [{ name: "M" }] },
        { name: "Color", values: [{ name: "Black" }, { name: "White" }] },
      ],
      variants: [
        { options: { Size: "M", Color: "Black" }, sku: "TSHIRT-M-BLK", stock: 5 },
        { options: { Size: "M", Color: "White" }, sku: "TSHIRT-M-WHT", stock: 7 },
      ],
    });
    w.ccv.store.seedUser("Buyer@Example.com", {
      customertype: "b2b",
      billingaddress: { first_name: "Jane", last_name: "Doe", company: "Acme Widgets LLC" },
    });
    // POS accounts that Ecwid does not know
    w.ccv.store.seedUser("kassa-klant@example.com", {
      customertype: "b2c",
      billingaddress: { first_name: "Kees", last_name: "Kassa" },
    });
    w.ccv.store.seedUser("a-pos-regular@example.com", {
      customertype: "b2c",
      billingaddress: { first_name: "Anna", last_name: "Vaste" },
    });
    // an open checkout holds 2 mugs; a paid web order; a POS sale not synced yet
    w.ecwid.store.createOrder({
      email: "x@example.com",
      paymentStatus: "INCOMPLETE",
      fulfillmentStatus: "AWAITING_PROCESSING",
      subtotal: 25.9,
      total: 25.9,
      items: [{ productId: 700100300, sku: "MUG-001", name: "Koffiemok", quantity: 2, price: 12.95 }],
    } as EcwidOrder);
    w.ecwid.store.createOrder({
      email: "buyer@example.com",
      paymentStatus: "PAID",
      fulfillmentStatus: "AWAITING_PROCESSING",
      subtotal: 12.95,
      total: 12.95,
      items: [{ sku: "MUG-001", name: "Koffiemok", quantity: 1, price: 12.95 }],
      billingPerson: {
        name: "Jane Doe",
        street: "Dorpsstraat 12a",
        city: "Utrecht",
        postalCode: "3511AB",
        countryCode: "NL",
      },
    } as EcwidOrder);
    await ccv.createOrder({
      is_completed: true,
      paid: true,
      status: 7,
      customer: { email: "pos@example.com", billingaddress: { first_name: "Piet", last_name: "Kassa" } },
      orderrows: [{ product_id: mug.id, count: 1 }],
    });
  });
  afterAll(() => w.stop());

  it("lists products of both systems by SKU with their records, differences and stock, in pages", async () => {
    const all = (await w.gql(ProductsDocument, { integrationId: w.integrationId })).products;
    expect(all.edges.map((e) => e.node.sku)).toEqual(["BAG-01", "MUG-001", "ONLY-ECWID", "TSHIRT-BASE"]);
    const mug = all.edges[1].node;
    expect(mug.ecwid).toMatchObject({
      system: "ECWID",
      id: "700100300",
      price: { amount: "12.95" },
      quantity: 40,
    });
    expect(mug.ccv).toMatchObject({
      system: "CCV_SALESPOS",
      price: { amount: "13.5", currency: "EUR" },
      quantity: 38,
    });
    expect(mug.linked).toBe(false);
    expect(mug.differences).toEqual(
      expect.arrayContaining([
        { field: "price", before: "12.95", after: "13.5" },
        { field: "quantity", before: 40, after: 38 },
      ]),
    );
    // no stock flow is on: explained as if Ecwid were the master; the open checkout is shown, not
    // reserved (nothing is sold yet), and the POS sale is in no run of the order flow
    expect(mug.stock).toEqual({
      sku: "MUG-001",
      ecwid: 40,
      ecwidUnlimited: false,
      ccv: 38,
      reserved: 0,
      computed: 40,
      inSync: false,
      master: null,
      reservedOrders: [],
      ecwidOpenCheckouts: 2,
    });
    expect(all.edges[0].node).toMatchObject({ ecwid: null, ccv: { name: "Tas" } });
    expect(all.edges[2].node).toMatchObject({
      ccv: null,
      stock: { ecwidUnlimited: true, ecwid: null, computed: null, inSync: false },
    });

    const p1 = (await w.gql(ProductsDocument, { integrationId: w.integrationId, first: 2 })).products;
    expect(p1.pageInfo.hasNextPage).toBe(true);
    const p2 = (
      await w.gql(ProductsDocument, {
        integrationId: w.integrationId,
        first: 2,
        after: p1.pageInfo.endCursor,
      })
    ).products;
    expect(p2.edges.map((e) => e.node.sku)).toEqual(["ONLY-ECWID", "TSHIRT-BASE"]);
    expect(p2.pageInfo.hasNextPage).toBe(false);
    const search = (await w.gql(ProductsDocument, { integrationId: w.integrationId, search: "mok" }))
      .products;
    expect(search.edges.map((e) => e.node.sku)).toEqual(["MUG-001"]);
  });

  it("finds a product by a variant SKU, with the variants of both systems side by side", async () => {
    const p = (await w.gql(ProductDocument, { integrationId: w.integrationId, sku: "TSHIRT-M-BLK" }))
      .product!;
    expect(p.sku).toBe("TSHIRT-BASE");
    const blk = p.variants.find((v) => v.sku === "TSHIRT-M-BLK")!;
    expect(blk.ecwid).toMatchObject({ quantity: 5 });
    expect(blk.ccv).toMatchObject({ quantity: 5 });
    expect(blk.stock).toMatchObject({ ecwid: 5, ccv: 5, inSync: true });
    const wht = p.variants.find((v) => v.sku === "TSHIRT-M-WHT")!;
    expect(wht.stock).toMatchObject({ ecwid: 9, ccv: 7, inSync: false });
    expect(p.variants.find((v) => v.sku === "TSHIRT-L-BLK")!.ccv).toBeNull();
    expect(
      (await w.gql(ProductDocument, { integrationId: w.integrationId, sku: "NOPE" })).product,
    ).toBeNull();
  });

  it("explains stock figures per SKU", async () => {
    const levels = (
      await w.gql(StockLevelsDocument, {
        integrationId: w.integrationId,
        skus: ["MUG-001", "TSHIRT-M-WHT", "NOPE"],
      })
    ).stockLevels;
    const none = { master: null, reservedOrders: [] };
    expect(levels).toEqual([
      {
        sku: "MUG-001",
        ecwid: 40,
        ecwidUnlimited: false,
        ccv: 38,
        reserved: 0,
        computed: 40,
        inSync: false,
        ecwidOpenCheckouts: 2,
        ...none,
      },
      {
        sku: "TSHIRT-M-WHT",
        ecwid: 9,
        ecwidUnlimited: false,
        ccv: 7,
        reserved: 0,
        computed: 9,
        inSync: false,
        ecwidOpenCheckouts: 0,
        ...none,
      },
      {
        sku: "NOPE",
        ecwid: null,
        ecwidUnlimited: false,
        ccv: null,
        reserved: 0,
        computed: null,
        inSync: false,
        ecwidOpenCheckouts: 0,
        ...none,
      },
    ]);
  });

  it("lists the orders of both systems, a POS sale not yet synced included", async () => {
    const orders = (await w.gql(OrdersDocument, { integrationId: w.integrationId })).orders.edges.map(
      (e) => e.node,
    );
    const web = orders.find((o) => o.ecwid?.paymentStatus === "PAID")!;
    expect(web.key).toMatch(/^ECWID:/);
    expect(web.email).toBe("buyer@example.com");
    expect(web.billingAddress).toMatchObject({
      street: "Dorpsstraat 12a",
      city: "Utrecht",
      countryCode: "NL",
    });
    expect(web.lines).toEqual([
      {
        sku: "MUG-001",
        name: "Koffiemok",
        quantity: 1,
        unitPrice: { amount: "12.95", currency: expect.any(String) },
        options: [],
      },
    ]);
    expect(web.linked).toBe(false);
    const pos = orders.find((o) => o.key.startsWith("CCV_SALESPOS:"))!;
    expect(pos.ccv).toMatchObject({ system: "CCV_SALESPOS", total: { amount: expect.any(String) } });
    expect(pos.email).toBe("pos@example.com");
    // INCOMPLETE checkouts are not orders
    expect(orders).toHaveLength(2);
  });

  it("matches customers by e-mail across the systems", async () => {
    const c = (
      await w.gql(CustomersDocument, { integrationId: w.integrationId, email: "buyer@example.com" })
    ).customers.edges.map((e) => e.node);
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({
      email: "buyer@example.com",
      isCompany: true,
      ecwid: { id: "177737165" },
      ccv: { system: "CCV_SALESPOS", companyName: "Acme Widgets LLC" },
    });
  });

  it("lists CCV-only customers too, one node per e-mail across both systems, in stable pages", async () => {
    const all = (await w.gql(CustomersDocument, { integrationId: w.integrationId })).customers;
    expect(all.edges.map((e) => e.node.email)).toEqual([
      "a-pos-regular@example.com",
      "buyer@example.com",
      "kassa-klant@example.com",
      // the sandbox, like Ecwid, made a customer of the checkout's e-mail: Ecwid-only
      "x@example.com",
    ]);
    expect(all.pageInfo.hasNextPage).toBe(false);
    expect(all.edges[3].node).toMatchObject({ ecwid: { system: "ECWID" }, ccv: null });
    const posOnly = all.edges[2].node;
    expect(posOnly).toMatchObject({
      name: "Kees Kassa",
      ecwid: null,
      ccv: { system: "CCV_SALESPOS", name: "Kees Kassa", isCompany: false },
      linked: false,
    });
    expect(all.edges[1].node).toMatchObject({ ecwid: { system: "ECWID" }, ccv: { system: "CCV_SALESPOS" } });

    // page by page with first: 1, following endCursor, gives the same list
    const seen: string[] = [];
    let after: string | null | undefined;
    for (;;) {
      const p = (await w.gql(CustomersDocument, { integrationId: w.integrationId, first: 1, after }))
        .customers;
      seen.push(...p.edges.map((e) => e.node.email));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.edges.map((e) => e.node.email));

    // the e-mail filter reaches CCV-only customers as well
    const pos = (await w.gql(CustomersDocument, { integrationId: w.integrationId, email: "KASSA" }))
      .customers;
    expect(pos.edges.map((e) => e.node.email)).toEqual(["kassa-klant@example.com"]);
    // a cursor this API never returned is refused in words
    const bad = await w.raw(CustomersDocument, { integrationId: w.integrationId, after: "bm9wZQ" });
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
  });

  it("another workspace's integration is NOT_FOUND", async () => {
    const other = (await execute(w.t.url, CreateWorkspaceDocument, { name: "other" }, w.t.adminToken)).data!
      .createWorkspace.adminKey.secret;
    expect(
      errorCode(await execute(w.t.url, ProductsDocument, { integrationId: w.integrationId }, other)),
    ).toBe("NOT_FOUND");
  });
});
