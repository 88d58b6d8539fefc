import http from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { verifyEcwidWebhook } from "../../../connectors/ecwid/ecwid.webhooks";
import { EcwidSandbox } from "../ecwid.sandbox";
import {
  ECWID_FIXTURE_BATCH_CREATE_RESPONSE,
  ECWID_FIXTURE_BATCH_REQUEST,
  ECWID_FIXTURE_BATCH_STATUS,
  ECWID_FIXTURE_CATEGORY_PAGE,
  ECWID_FIXTURE_CUSTOMER,
  ECWID_FIXTURE_ERRORS,
  ECWID_FIXTURE_INVENTORY,
  ECWID_FIXTURE_ORDER,
  ECWID_FIXTURE_ORDER_CREATE,
  ECWID_FIXTURE_ORDER_CREATE_RESPONSE,
  ECWID_FIXTURE_ORDER_STATUS_UPDATE,
  ECWID_FIXTURE_PRODUCT,
  ECWID_FIXTURE_SEED,
  ECWID_FIXTURE_VARIATION_CREATE,
  ECWID_FIXTURE_VARIATION_CREATE_RESPONSE,
  ECWID_FIXTURE_WEBHOOK_SECRET,
} from "../ecwid.fixtures";
import { shapeDiff, shapeSubsetDiff } from "./shape";

/**
 * The sandbox on its own, over real HTTP: the §14 samples replayed (seeded or POSTed, then read
 * back with the same shapes), and the documented behaviours tests elsewhere rely on.
 */

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

async function call(
  sb: EcwidSandbox,
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  opts: { body?: unknown; token?: string | null; contentType?: string; rawBody?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? sb.token : opts.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const body = opts.rawBody ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
  if (body !== undefined) headers["content-type"] = opts.contentType ?? "application/json;charset=utf-8";
  const res = await request(`${sb.url}/${sb.storeId}${path}`, { method, headers, body });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const fixtureSandbox = (extra: Parameters<typeof EcwidSandbox.start>[0] = {}) =>
  EcwidSandbox.start({
    storeId: 1003,
    rateLimitPerMinute: 100_000,
    seed: structuredClone(ECWID_FIXTURE_SEED),
    ...extra,
  });

describe("Ecwid sandbox: §14 samples replayed", () => {
  let sb: EcwidSandbox;
  beforeEach(async () => {
    sb = await fixtureSandbox({
      profile: {
        formatsAndUnits: { currency: "USD", currencyPrefix: "$", currencySuffix: "", currencyPrecision: 2 },
      },
    });
  });
  afterEach(() => sb.stop());

  it("§14.1 a seeded product reads back with the same shape and values", async () => {
    const r = await call(sb, "GET", "/products/700100200");
    expect(r.status).toBe(200);
    expect(shapeDiff(ECWID_FIXTURE_PRODUCT, r.body)).toEqual([]);
    expect(r.body).toEqual(ECWID_FIXTURE_PRODUCT);
  });

  it("§14.2 a variation POST answers {id} and reads back with the sent fields and Ecwid's attribute shape", async () => {
    const created = await call(sb, "POST", "/products/700100200/combinations", {
      body: ECWID_FIXTURE_VARIATION_CREATE,
    });
    expect(created.status).toBe(200);
    expect(shapeDiff(ECWID_FIXTURE_VARIATION_CREATE_RESPONSE, created.body)).toEqual([]);
    const id = (created.body as { id: number }).id;
    const got = await call(sb, "GET", `/products/700100200/combinations/${id}`);
    const v = got.body as Record<string, unknown>;
    const { attributes: sentAttributes, ...sent } = ECWID_FIXTURE_VARIATION_CREATE;
    expect(shapeSubsetDiff(sent, v)).toEqual([]);
    expect(v).toMatchObject({
      id,
      combinationNumber: 4,
      sku: "TSHIRT-L-WHT",
      quantity: 4,
      unlimited: false,
      inStock: true,
      price: 22,
    });
    // the alias form is written; Ecwid's read form comes back, with the class attribute's id
    expect(shapeDiff(ECWID_FIXTURE_PRODUCT.attributes?.[1], (v.attributes as unknown[])[0])).toEqual([]);
    expect(v.attributes).toEqual([
      { id: 5029058, name: "UPC", value: sentAttributes?.[0].value, type: "UPC", show: "DESCR" },
    ]);
    const all = await call(sb, "GET", "/products/700100200/combinations");
    expect(Array.isArray(all.body)).toBe(true);
    expect((all.body as unknown[]).length).toBe(4);
  });

  it("§14.3 the category page comes back exactly", async () => {
    const r = await call(sb, "GET", "/categories?parent=0&productIds=true&limit=2");
    expect(r.status).toBe(200);
    expect(r.body).toEqual(ECWID_FIXTURE_CATEGORY_PAGE);
    const without = await call(sb, "GET", "/categories?parent=0&limit=2");
    const items = (without.body as { items: Record<string, unknown>[] }).items;
    expect(items[0]).not.toHaveProperty("productIds");
    expect(items[0]).not.toHaveProperty("enabledProductCount");
  });

  it("§14.4 a seeded order reads back exactly, by string id, internal id and in searches", async () => {
    expect((await call(sb, "GET", "/orders/XJ12H")).body).toEqual(ECWID_FIXTURE_ORDER);
    expect((await call(sb, "GET", "/orders/547872251")).body).toEqual(ECWID_FIXTURE_ORDER);
    const page = (await call(sb, "GET", "/orders?ids=XJ12H")).body as { items: unknown[]; total: number };
    expect(page.total).toBe(1);
    expect(shapeDiff(ECWID_FIXTURE_ORDER, page.items[0])).toEqual([]);
  });

  it("§14.5 an order POST answers {id, orderId}, reads back with the sent fields, and moves stock (PAID + product ids + e-mail)", async () => {
    const created = await call(sb, "POST", "/orders", { body: ECWID_FIXTURE_ORDER_CREATE });
    expect(created.status).toBe(200);
    expect(shapeDiff(ECWID_FIXTURE_ORDER_CREATE_RESPONSE, created.body)).toEqual([]);
    const { id, orderId } = created.body as { id: number; orderId: string };
    const got = (await call(sb, "GET", `/orders/${orderId}`)).body as Record<string, unknown>;
    expect(shapeSubsetDiff(ECWID_FIXTURE_ORDER_CREATE, got)).toEqual([]);
    expect(got).toMatchObject({
      id: orderId,
      internalId: id,
      createDate: "2024-06-02 08:00:00 +0000",
      total: 50,
      subtotal: 40,
    });
    // the shapes the §14.4 order shows for what was sent in §14.5
    const item = (got.items as Record<string, unknown>[])[0];
    const fixtureItem = ECWID_FIXTURE_ORDER.items?.[0] as unknown as Record<string, unknown>;
    for (const k of Object.keys(item))
      if (k in fixtureItem) expect(shapeSubsetDiff(fixtureItem[k], item[k])).toEqual([]);
    expect(item.quantityInStock).toBe(5);
    const variation = (await call(sb, "GET", "/products/700100200/combinations/422488001")).body as {
      quantity: number;
    };
    expect(variation.quantity).toBe(3);
    // the buyer exists (§14.6 customer): the order is attached to them
    expect(got.customerId).toBe(ECWID_FIXTURE_CUSTOMER.id);

    const upd = await call(sb, "PUT", `/orders/${orderId}`, { body: ECWID_FIXTURE_ORDER_STATUS_UPDATE });
    expect(upd.body).toEqual({ updateCount: 1 });
    expect((await call(sb, "GET", `/orders/${id}`)).body).toMatchObject(ECWID_FIXTURE_ORDER_STATUS_UPDATE);
  });

  it("§14.6 a seeded customer reads back exactly", async () => {
    expect((await call(sb, "GET", "/customers/177737165")).body).toEqual(ECWID_FIXTURE_CUSTOMER);
  });

  it("§14.8 error bodies: 404 and 409 exactly, 429 with an integer Retry-After", async () => {
    const nf = await call(sb, "GET", "/products/999");
    expect(nf.status).toBe(404);
    expect(nf.body).toEqual(ECWID_FIXTURE_ERRORS.notFound);
    const dup = await call(sb, "POST", "/products", { body: { name: "Another", sku: "TSHIRT-BASE" } });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual(ECWID_FIXTURE_ERRORS.skuExists);
    sb.rateLimitPerMinute = 1;
    sb.addToken("limited");
    expect((await call(sb, "GET", "/profile", { token: "limited" })).status).toBe(200);
    const limited = await call(sb, "GET", "/profile", { token: "limited" });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual(ECWID_FIXTURE_ERRORS.rateLimited);
    expect(String(limited.headers["retry-after"])).toMatch(/^\d+$/);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  });

  it("§14.9 inventory deltas: normal answer, then the negative-stock warning with the stock applied", async () => {
    const ok = await call(sb, "PUT", "/products/700100300/inventory", {
      body: ECWID_FIXTURE_INVENTORY.request,
    });
    expect(ok.body).toEqual(ECWID_FIXTURE_INVENTORY.response);
    const neg = await call(sb, "PUT", "/products/700100300/inventory", { body: { quantityDelta: -40 } });
    expect(neg.body).toEqual(ECWID_FIXTURE_INVENTORY.negativeResponse);
    expect(((await call(sb, "GET", "/products/700100300")).body as { quantity: number }).quantity).toBe(
      36 - 3 - 40,
    );
    const combo = await call(sb, "PUT", "/products/700100200/combinations/422488003/inventory", {
      body: { quantityDelta: -4 },
    });
    expect(combo.body).toEqual({ updateCount: 1 });
    expect(
      ((await call(sb, "GET", "/products/700100200/combinations/422488003")).body as { quantity: number })
        .quantity,
    ).toBe(5);
  });

  it("§14.10 a batch runs and its escapedJson status comes back exactly", async () => {
    const created = await call(sb, "POST", "/batch?stopOnFirstFailure=false", {
      body: ECWID_FIXTURE_BATCH_REQUEST,
    });
    expect(shapeDiff(ECWID_FIXTURE_BATCH_CREATE_RESPONSE, created.body)).toEqual([]);
    const { ticket } = created.body as { ticket: string };
    let status: { status: string } = { status: "QUEUED" };
    for (let i = 0; i < 50 && status.status !== "COMPLETED"; i++) {
      status = (await call(sb, "GET", `/batch?ticket=${ticket}&escapedJson=true`)).body as { status: string };
      if (status.status !== "COMPLETED") await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toEqual(ECWID_FIXTURE_BATCH_STATUS);
    const plain = (await call(sb, "GET", `/batch?ticket=${ticket}`)).body as {
      responses: Record<string, unknown>[];
    };
    expect(plain.responses[1]).toMatchObject({
      httpBody: { id: 700100300, quantity: 35 },
      httpStatusCode: 200,
    });
    expect(plain.responses[1]).not.toHaveProperty("escapedHttpBody");
  });

  it("§14.10 with stopOnFirstFailure (the default) and the failure first, the rest is NOT_EXECUTED", async () => {
    const reqs = [ECWID_FIXTURE_BATCH_REQUEST[2], ECWID_FIXTURE_BATCH_REQUEST[0]];
    const { ticket } = (await call(sb, "POST", "/batch", { body: reqs })).body as { ticket: string };
    let status: { status: string; responses: Record<string, unknown>[] } = {
      status: "QUEUED",
      responses: [],
    };
    while (status.status !== "COMPLETED") {
      status = (await call(sb, "GET", `/batch?ticket=${ticket}&escapedJson=true`)).body as typeof status;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(status.responses.map((r) => r.status)).toEqual(["FAILED", "NOT_EXECUTED"]);
    expect(status.responses[1]).not.toHaveProperty("escapedHttpBody");
    // the skipped inventory change was not applied
    expect(((await call(sb, "GET", "/products/700100300")).body as { quantity: number }).quantity).toBe(36);
  });
});

describe("Ecwid sandbox: protocol behaviour", () => {
  let sb: EcwidSandbox;
  beforeEach(async () => {
    sb = await fixtureSandbox();
  });
  afterEach(() => sb.stop());

  it("accepts only a Bearer header: ?token= and unknown tokens get 403 INVALID_API_TOKEN", async () => {
    const q = await request(`${sb.url}/${sb.storeId}/profile?token=${sb.token}`);
    expect(q.statusCode).toBe(403);
    expect(await q.body.json()).toMatchObject({ errorCode: "INVALID_API_TOKEN" });
    expect((await call(sb, "GET", "/profile", { token: null })).status).toBe(403);
    expect((await call(sb, "GET", "/profile", { token: "secret_wrong" })).body).toMatchObject({
      errorCode: "INVALID_API_TOKEN",
    });
    expect((await call(sb, "GET", "/profile")).status).toBe(200);
    sb.revokeToken(sb.token);
    expect((await call(sb, "GET", "/profile")).body).toMatchObject({ errorCode: "INVALID_API_TOKEN" });
  });

  it("enforces per-endpoint scopes with 403 INSUFFICIENT_APP_SCOPE", async () => {
    sb.addToken("reader", ["read_store_profile", "read_catalog"]);
    expect((await call(sb, "GET", "/products", { token: "reader" })).status).toBe(200);
    const orders = await call(sb, "GET", "/orders", { token: "reader" });
    expect(orders.status).toBe(403);
    expect(orders.body).toMatchObject({ errorCode: "INSUFFICIENT_APP_SCOPE" });
    const write = await call(sb, "PUT", "/products/700100300/inventory", {
      token: "reader",
      body: { quantityDelta: 1 },
    });
    expect(write.status).toBe(403);
    // a batch needs the scopes of each inner request
    const { ticket } = (
      await call(sb, "POST", "/batch", { token: "reader", body: [{ path: "/orders", method: "GET" }] })
    ).body as {
      ticket: string;
    };
    let s: { status: string; responses: { httpStatusCode: number }[] } = { status: "QUEUED", responses: [] };
    while (s.status !== "COMPLETED")
      s = (await call(sb, "GET", `/batch?ticket=${ticket}`, { token: "reader" })).body as typeof s;
    expect(s.responses[0].httpStatusCode).toBe(403);
  });

  it("answers 415 to a body that is not JSON-typed", async () => {
    const r = await call(sb, "POST", "/products", {
      rawBody: "name=x",
      contentType: "application/x-www-form-urlencoded",
    });
    expect(r.status).toBe(415);
    expect(r.body).toEqual({
      errorMessage: "Unsupported content-type: expected application/json or text/json",
    });
    expect(
      (await call(sb, "POST", "/products", { body: { name: "ok" }, contentType: "text/json" })).status,
    ).toBe(200);
  });

  it("caps limit at 100 and pages with offset", async () => {
    for (let i = 0; i < 120; i++)
      sb.store.seedProduct({ id: 1000 + i, name: `P${i}`, sku: `P-${i}`, createTimestamp: 1_700_000_000 });
    const p = (await call(sb, "GET", "/products?limit=500")).body as {
      total: number;
      count: number;
      limit: number;
    };
    expect(p).toMatchObject({ total: 123, count: 100, limit: 100 });
    const last = (await call(sb, "GET", "/products?offset=100&limit=100")).body as {
      count: number;
      offset: number;
    };
    expect(last).toMatchObject({ count: 23, offset: 100 });
    expect((await call(sb, "GET", "/products?limit=x")).status).toBe(400);
  });

  it("takes updatedFrom as unix seconds and as a date string (with %2B for +0000)", async () => {
    sb.store.seedProduct({ id: 5001, name: "Old", updateTimestamp: 1_600_000_000 });
    sb.store.seedProduct({ id: 5002, name: "New", updateTimestamp: 1_800_000_000 });
    const ids = async (q: string) =>
      ((await call(sb, "GET", `/products?${q}`)).body as { items: { id: number }[] }).items
        .map((p) => p.id)
        .filter((id) => id > 5000 && id < 6000);
    expect(await ids("updatedFrom=1700000000")).toEqual([5002]);
    expect(await ids(`updatedFrom=${encodeURIComponent("2023-11-14 22:13:20 +0000")}`)).toEqual([5002]);
    expect(await ids("updatedFrom=2023-11-14")).toEqual([5002]);
    expect((await call(sb, "GET", "/products?updatedFrom=yesterday")).status).toBe(400);
  });

  it("finds products by variation SKU and by a productId list", async () => {
    const bySku = (await call(sb, "GET", "/products?sku=TSHIRT-M-WHT")).body as { items: { id: number }[] };
    expect(bySku.items.map((p) => p.id)).toEqual([700100200]);
    const byIds = (await call(sb, "GET", "/products?productId=700100300,700100200,42&enabled=false"))
      .body as { total: number };
    // with productId every other filter is ignored
    expect(byIds.total).toBe(2);
  });

  it("rejects a duplicate variation (same options) and a duplicate SKU with 409", async () => {
    const same = await call(sb, "POST", "/products/700100200/combinations", {
      body: {
        options: [
          { name: "Size", value: "M" },
          { name: "Color", value: "Black" },
        ],
      },
    });
    expect(same.status).toBe(409);
    expect(same.body).toMatchObject({ errorCode: "COMBINATION_DUPLICATED" });
    const sku = await call(sb, "POST", "/products/700100200/combinations", {
      body: { options: [{ name: "Size", value: "XL" }], sku: "MUG-01" },
    });
    expect(sku.status).toBe(409);
    expect(sku.body).toMatchObject({ errorCode: "SKU_ALREADY_EXISTS" });
  });

  it("hides INCOMPLETE orders unless paymentStatus asks for them", async () => {
    const { orderId } = (
      await call(sb, "POST", "/orders", {
        body: { email: "x@example.com", paymentStatus: "INCOMPLETE", items: [] },
      })
    ).body as { orderId: string };
    const ids = async (q: string) =>
      ((await call(sb, "GET", `/orders${q}`)).body as { items: { id: string }[] }).items.map((o) => o.id);
    expect(await ids("")).not.toContain(orderId);
    expect(await ids(`?ids=${orderId}`)).not.toContain(orderId);
    expect(await ids("?paymentStatus=INCOMPLETE")).toEqual([orderId]);
    expect((await call(sb, "GET", `/orders/${orderId}`)).status).toBe(200);
  });

  it("accepts prefixed ids and rejects the deprecated QUEUED status and items without quantity", async () => {
    await sb.stop();
    sb = await fixtureSandbox({ profile: { formatsAndUnits: { orderNumberPrefix: "SALE-" } } });
    const { orderId, id } = (
      await call(sb, "POST", "/orders", {
        body: { email: "p@example.com", paymentStatus: "PAID", items: [] },
      })
    ).body as { orderId: string; id: number };
    expect(orderId).toMatch(/^SALE-[A-Z0-9]{5}$/);
    for (const key of [orderId, orderId.slice(5), String(id)])
      expect((await call(sb, "GET", `/orders/${key}`)).status).toBe(200);
    const queued = await call(sb, "PUT", `/orders/${orderId}`, { body: { paymentStatus: "QUEUED" } });
    expect(queued.status).toBe(400);
    expect(queued.body).toMatchObject({
      errorMessage: "Status QUEUED is deprecated, use AWAITING_PAYMENT instead",
    });
    const noQty = await call(sb, "POST", "/orders", {
      body: { paymentStatus: "PAID", items: [{ name: "x" }] },
    });
    expect(noQty.body).toMatchObject({ errorMessage: "Field OrderItem.quantity is absent" });
  });

  it("moves stock per §8.7: not for AWAITING_PAYMENT, restock once on CANCELLED, take again when un-cancelled", async () => {
    const mugQty = async () =>
      ((await call(sb, "GET", "/products/700100300")).body as { quantity: number }).quantity;
    const item = { productId: 700100300, sku: "MUG-01", name: "Mug", quantity: 2, price: 2 };
    await call(sb, "POST", "/orders", {
      body: { email: "a@example.com", paymentStatus: "AWAITING_PAYMENT", items: [item] },
    });
    expect(await mugQty()).toBe(36);
    await call(sb, "POST", "/orders", { body: { paymentStatus: "PAID", items: [item] } }); // no e-mail or customer
    expect(await mugQty()).toBe(36);
    const { orderId } = (
      await call(sb, "POST", "/orders", {
        body: { email: "a@example.com", paymentStatus: "PAID", items: [item] },
      })
    ).body as { orderId: string };
    expect(await mugQty()).toBe(34);
    await call(sb, "PUT", `/orders/${orderId}`, { body: { paymentStatus: "CANCELLED" } });
    expect(await mugQty()).toBe(36);
    await call(sb, "PUT", `/orders/${orderId}`, {
      body: { paymentStatus: "CANCELLED", fulfillmentStatus: "WILL_NOT_DELIVER" },
    });
    expect(await mugQty()).toBe(36);
    await call(sb, "PUT", `/orders/${orderId}`, { body: { paymentStatus: "PAID" } });
    expect(await mugQty()).toBe(34);
    expect(sb.store.orderStockApplied(orderId)).toBe(true);
    await call(sb, "PUT", `/orders/${orderId}`, { body: { paymentStatus: "REFUNDED" } });
    expect(await mugQty()).toBe(34);
  });

  it("answers 409 to a duplicate customer e-mail and matches e-mails exactly only when asked", async () => {
    const dup = await call(sb, "POST", "/customers", { body: { email: "BUYER@example.com" } });
    expect(dup.status).toBe(409);
    await call(sb, "POST", "/customers", { body: { email: "mybuyer@example.com" } });
    const partial = (await call(sb, "GET", "/customers?email=buyer@example.com")).body as {
      total: number;
      allCustomerCount: number;
    };
    expect(partial).toMatchObject({ total: 2, allCustomerCount: 2 });
    const exact = (await call(sb, "GET", "/customers?email=buyer@example.com&useExactEmailMatch=true"))
      .body as {
      items: { id: number; totalOrderCount: number }[];
    };
    expect(exact.items.map((c) => c.id)).toEqual([177737165]);
    // the §14.4 order belongs to this customer
    expect(exact.items[0].totalOrderCount).toBe(1);
  });

  it("returns only enabled categories unless hidden_categories=true", async () => {
    const { id } = (
      await call(sb, "POST", "/categories", { body: { name: "Hidden", enabled: false, parentId: 9691094 } })
    ).body as {
      id: number;
    };
    const ids = async (q: string) =>
      ((await call(sb, "GET", `/categories${q}`)).body as { items: { id: number }[] }).items.map((c) => c.id);
    expect(await ids("")).not.toContain(id);
    expect(await ids("?hidden_categories=true")).toContain(id);
    expect(await ids("?hidden_categories=true&parent=9691094")).toEqual([id]);
    expect((await call(sb, "POST", "/categories", { body: { name: " " } })).body).toMatchObject({
      errorMessage: "Category name must not be empty",
    });
  });

  it("keeps deleted-item logs and 404s afterwards", async () => {
    expect((await call(sb, "DELETE", "/orders/XJ12H")).body).toEqual({ deleteCount: 1 });
    expect((await call(sb, "GET", "/orders/XJ12H")).body).toEqual({
      errorMessage: "Order #XJ12H not found",
      errorCode: "ORDER_NOT_FOUND",
    });
    const deleted = (await call(sb, "GET", "/orders/deleted")).body as { items: Record<string, unknown>[] };
    expect(deleted.items).toEqual([
      {
        id: 547872251,
        orderId: "XJ12H",
        date: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000$/),
      },
    ]);
  });
});

describe("Ecwid sandbox: webhooks", () => {
  let sb: EcwidSandbox;
  let receiver: http.Server;
  let receiverUrl: string;
  const received: { url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeEach(async () => {
    received.length = 0;
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({
          url: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        });
        res.writeHead(received.length === 1 && req.url?.includes("fail") ? 500 : 200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    sb = await fixtureSandbox({ clientSecret: ECWID_FIXTURE_WEBHOOK_SECRET });
  });
  afterEach(async () => {
    await sb.stop();
    await new Promise((r) => receiver.close(r));
  });

  it("delivers signed events to registered URLs with ?eventtype=, verifiable by the connector", async () => {
    sb.registerWebhook(receiverUrl);
    await call(sb, "PUT", "/products/700100300/inventory", { body: { quantityDelta: -1 } });
    await call(sb, "PUT", "/orders/XJ12H", { body: { fulfillmentStatus: "SHIPPED" } });
    await sb.webhooks.flush();
    expect(received.map((r) => r.url)).toEqual([
      "/hooks?eventtype=product.updated",
      "/hooks?eventtype=order.updated",
    ]);
    for (const r of received) {
      expect(r.headers["content-type"]).toBe("application/json; charset=UTF-8");
      const v = verifyEcwidWebhook({
        rawBody: r.body,
        signatureHeader: r.headers["x-ecwid-webhook-signature"],
        clientSecret: ECWID_FIXTURE_WEBHOOK_SECRET,
      });
      expect(v.ok).toBe(true);
    }
    expect(JSON.parse(received[1].body)).toMatchObject({
      storeId: 1003,
      entityId: 547872251,
      eventType: "order.updated",
      data: {
        orderId: "XJ12H",
        oldFulfillmentStatus: "AWAITING_PROCESSING",
        newFulfillmentStatus: "SHIPPED",
      },
    });
    expect(JSON.parse(received[0].body)).not.toHaveProperty("data");
  });

  it("filters by event type, records failures, and redelivers with the original eventCreated", async () => {
    sb.registerWebhook(`${receiverUrl}?fail=1`, ["customer.created"]);
    await call(sb, "POST", "/customers", { body: { email: "new@example.com" } });
    await call(sb, "PUT", "/products/700100300/inventory", { body: { quantityDelta: 1 } });
    await sb.webhooks.flush();
    expect(received).toHaveLength(1);
    expect(sb.webhooks.deliveries[0]).toMatchObject({ status: 500, delivered: false });
    sb.webhooks.retryFailed();
    await sb.webhooks.flush();
    expect(received).toHaveLength(2);
    expect(received[1].body).toBe(received[0].body);
    expect(sb.webhooks.deliveries[1]).toMatchObject({ status: 200, delivered: true });
    expect(JSON.parse(received[1].body)).toMatchObject({
      eventType: "customer.created",
      data: { customerEmail: "new@example.com" },
    });
    // a later retry by Ecwid carries the original eventId and eventCreated
    sb.webhooks.redeliver(sb.webhooks.emitted[0].eventId);
    await sb.webhooks.flush();
    expect(received[2].body).toBe(received[0].body);
    expect(received[2].headers["x-ecwid-webhook-signature"]).toBe(
      received[0].headers["x-ecwid-webhook-signature"],
    );
  });

  it("records events without sending when delivery is off", async () => {
    sb.registerWebhook(receiverUrl);
    sb.deliverWebhooks = false;
    await call(sb, "POST", "/orders", {
      body: { email: "n@example.com", paymentStatus: "PAID", items: [{ productId: 700100300, quantity: 1 }] },
    });
    await sb.webhooks.flush();
    expect(received).toHaveLength(0);
    expect(sb.webhooks.emitted.map((e) => e.eventType).sort()).toEqual([
      "customer.created",
      "order.created",
      "product.updated",
    ]);
  });
});
