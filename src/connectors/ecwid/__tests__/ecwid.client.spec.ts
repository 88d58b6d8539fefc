import { EcwidSandbox, type EcwidSandboxOptions } from "../../../sandbox/ecwid/ecwid.sandbox";
import { ECWID_FIXTURE_ORDER_CREATE, ECWID_FIXTURE_SEED } from "../../../sandbox/ecwid/ecwid.fixtures";
import {
  AuthCircuit,
  closeSharedAgents,
  ConnectorError,
  SharedRateBudget,
  type ConnectorDeps,
  LOCAL_UPSTREAMS,
} from "../../http";
import { EcwidClient, type EcwidClientOptions } from "../ecwid.client";
import { isEcwidDuplicateCustomer, isEcwidSkuConflict } from "../ecwid.errors";
import { mapEcwidOrder, mapEcwidProduct } from "../ecwid.mapper";

/**
 * Contract tests: the connector against the sandbox over real HTTP (port 0), for every operation
 * of the issue, including the transport behaviours (429 + Retry-After, 500 then success, hang,
 * 403 circuit). Time facts are read from the sandbox's request log, never from wall-clock speed.
 */

const FAST: ConnectorDeps["transport"] = {
  upstreams: LOCAL_UPSTREAMS,
  initialDelayMs: 20,
  maxDelayMs: 200,
  readTimeoutMs: 5_000,
  connectTimeoutMs: 2_000,
};

interface Setup {
  sb: EcwidSandbox;
  client: EcwidClient;
  deps: ConnectorDeps;
}

const started: EcwidSandbox[] = [];

async function setup(
  sbOpts: EcwidSandboxOptions = {},
  transport: ConnectorDeps["transport"] = FAST,
  clientOpts: EcwidClientOptions = { requestsPerMinute: 60_000, batchPollIntervalMs: 20 },
): Promise<Setup> {
  const sb = await EcwidSandbox.start({
    storeId: 1003,
    rateLimitPerMinute: 100_000,
    seed: structuredClone(ECWID_FIXTURE_SEED),
    ...sbOpts,
  });
  started.push(sb);
  const deps: ConnectorDeps = { budget: new SharedRateBudget(), circuit: new AuthCircuit(), transport };
  const client = new EcwidClient(
    { storeId: sb.storeId, token: sb.token, apiBaseUrl: sb.url },
    deps,
    clientOpts,
  );
  return { sb, client, deps };
}

const caught = async (p: Promise<unknown>): Promise<ConnectorError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof ConnectorError) return e;
    throw e;
  }
  throw new Error("expected a ConnectorError");
};

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});
afterAll(() => closeSharedAgents());

describe("EcwidClient: auth and store", () => {
  it("sends the token only as a Bearer header, never in the URL", async () => {
    const { sb, client } = await setup();
    await client.getProfile();
    const [e] = sb.log.entries;
    expect(e.headers.authorization).toBe(`Bearer ${sb.token}`);
    expect(e.path).toBe("/api/v3/1003/profile");
    expect(e.rawQuery).not.toContain(sb.token);
  });

  it("refuses a base URL that is not http(s), in words", async () => {
    const deps: ConnectorDeps = { budget: new SharedRateBudget(), circuit: new AuthCircuit() };
    expect(
      () => new EcwidClient({ storeId: 1, token: "secret_x", apiBaseUrl: "app.ecwid.com/api/v3" }, deps),
    ).toThrow(/must be an http\(s\) URL/);
    expect(new EcwidClient({ storeId: 1, token: "secret_x" }, deps).storeId).toBe(1);
  });

  it("reads the profile and latest stats", async () => {
    const { client } = await setup();
    const p = await client.getProfile();
    expect(p.formatsAndUnits?.currency).toBe("EUR");
    expect(p.taxSettings?.pricesIncludeTax).toBe(true);
    const stats = await client.getLatestStats();
    expect(stats.productsUpdated).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000$/);
  });

  it("testConnection reports success with the store name", async () => {
    const { client } = await setup();
    expect(await client.testConnection()).toEqual({
      ok: true,
      message: 'Connected to Ecwid store "Sandbox Store" (1003).',
      storeName: "Sandbox Store",
      missingScopes: [],
    });
  });

  it("testConnection names missing read scopes in words and writes nothing", async () => {
    const { sb, deps } = await setup();
    sb.addToken("secret_partial", ["read_store_profile", "read_catalog"]);
    const client = new EcwidClient({ storeId: 1003, token: "secret_partial", apiBaseUrl: sb.url }, deps, {
      requestsPerMinute: 60_000,
    });
    const r = await client.testConnection();
    expect(r.ok).toBe(false);
    expect(r.missingScopes).toEqual(["read_orders", "read_customers"]);
    expect(r.message).toContain("read_orders (to read orders)");
    expect(r.message).toContain("read_customers (to read customers)");
    expect(sb.log.writes()).toEqual([]);
  });

  it("testConnection reports a rejected token", async () => {
    const { sb, deps } = await setup();
    const client = new EcwidClient({ storeId: 1003, token: "secret_revoked", apiBaseUrl: sb.url }, deps);
    const r = await client.testConnection();
    expect(r).toMatchObject({ ok: false, missingScopes: [] });
    expect(r.message).toContain("Ecwid refused the access token for store 1003");
    expect(r.message).not.toContain("secret_revoked");
  });
});

describe("EcwidClient: products", () => {
  it("paginates over more than 250 products in pages of 100", async () => {
    const { sb, client } = await setup({ seed: {} });
    for (let i = 0; i < 260; i++) sb.store.seedProduct({ id: 10_000 + i, name: `P${i}`, sku: `SKU-${i}` });
    const all = await collect(client.paginateProducts());
    expect(all.map((p) => p.id)).toEqual(Array.from({ length: 260 }, (_, i) => 10_000 + i));
    const reads = sb.log.find("GET", sb.path("/products"));
    expect(reads.map((r) => [r.query.offset, r.query.limit])).toEqual([
      ["0", "100"],
      ["100", "100"],
      ["200", "100"],
    ]);
  });

  it("stops on a short page even when the total says more", async () => {
    const { sb, client } = await setup({ seed: {} });
    for (let i = 0; i < 30; i++) sb.store.seedProduct({ id: 20_000 + i, name: `P${i}` });
    sb.faults.add({
      path: sb.path("/products"),
      kind: "status",
      status: 200,
      body: { total: 500, count: 30, offset: 0, limit: 100, items: [{ id: 1, name: "only" }] },
    });
    expect((await collect(client.paginateProducts())).map((p) => p.id)).toEqual([1]);
    expect(sb.log.find("GET", sb.path("/products"))).toHaveLength(1);
  });

  it("filters by updatedFrom as unix seconds, by sku (also of variations) and by enabled", async () => {
    const { sb, client } = await setup();
    sb.store.seedProduct({ id: 31, name: "Old", enabled: false, updateTimestamp: 1_600_000_000 });
    const recent = await collect(client.paginateProducts({ updatedFrom: new Date("2024-05-02T00:00:00Z") }));
    expect(recent.map((p) => p.id)).toEqual([700100200]);
    expect(sb.log.entries.at(-1)?.query.updatedFrom).toBe("1714608000");
    expect((await client.findProductsBySku("TSHIRT-L-BLK")).map((p) => p.id)).toEqual([700100200]);
    expect(await client.findProductsBySku("NOPE")).toEqual([]);
    const disabled = await collect(client.paginateProducts({ enabled: false }));
    expect(disabled.map((p) => p.id)).toEqual([31]);
  });

  it("getProducts reads many ids with one request per 100, aligned with the input, null for missing", async () => {
    const { sb, client } = await setup({ seed: {} });
    for (let i = 0; i < 150; i++) sb.store.seedProduct({ id: 40_000 + i, name: `P${i}` });
    const ids = [40_149, 1, ...Array.from({ length: 149 }, (_, i) => 40_000 + i)];
    const got = await client.getProducts(ids);
    expect(got.map((p) => p?.id ?? null)).toEqual([40_149, null, ...ids.slice(2)]);
    const reads = sb.log.find("GET", sb.path("/products"));
    expect(reads).toHaveLength(2);
    expect(reads[0].query.productId.split(",")).toHaveLength(100);
  });

  it("creates, reads, updates and deletes a product; a missing one is NOT_FOUND", async () => {
    const { sb, client } = await setup();
    const { id } = await client.createProduct({ name: "Poster", sku: "POSTER-1", price: 9.5, quantity: 3 });
    const p = await client.getProduct(id);
    expect(p).toMatchObject({
      id,
      name: "Poster",
      sku: "POSTER-1",
      price: 9.5,
      quantity: 3,
      unlimited: false,
      inStock: true,
    });
    expect(await client.updateProduct(id, { price: 11, categoryIds: [9691094] })).toEqual({ updateCount: 1 });
    expect(mapEcwidProduct(await client.getProduct(id))).toMatchObject({
      price: "11",
      categoryIds: ["9691094"],
    });
    expect(await client.deleteProduct(id)).toEqual({ deleteCount: 1 });
    const e = await caught(client.getProduct(id));
    expect(e).toMatchObject({ code: "NOT_FOUND", status: 404, message: `Ecwid: Product #${id} not found.` });
    expect(sb.log.find("GET", sb.path(`/products/${id}`))).toHaveLength(3); // two reads, then the 404, not retried
    const deleted = await collect(client.paginateDeletedProducts({ from: new Date(Date.now() - 60_000) }));
    expect(deleted.map((d) => d.id)).toEqual([id]);
  });

  it("a duplicate SKU is a VALIDATION error with status 409 and SKU_ALREADY_EXISTS, not retried", async () => {
    const { sb, client } = await setup();
    const e = await caught(client.createProduct({ name: "Clash", sku: "TSHIRT-BASE" }));
    expect(e).toMatchObject({ code: "VALIDATION", status: 409, vendorCode: "SKU_ALREADY_EXISTS" });
    expect(isEcwidSkuConflict(e)).toBe(true);
    expect(sb.log.find("POST", sb.path("/products"))).toHaveLength(1);
  });

  it("creates, lists, updates and deletes combinations (bare array; options auto-created)", async () => {
    const { sb, client } = await setup();
    const { id: pid } = await client.createProduct({ name: "Hoodie", sku: "HOODIE" });
    const { id: cid } = await client.createCombination(pid, {
      options: [{ name: "Size", value: "S" }],
      sku: "HOODIE-S",
      quantity: 2,
    });
    const list = await client.getCombinations(pid);
    expect(list).toEqual([expect.objectContaining({ id: cid, sku: "HOODIE-S", quantity: 2, inStock: true })]);
    expect((await client.getProduct(pid)).options).toEqual([
      expect.objectContaining({ name: "Size", choices: [expect.objectContaining({ text: "S" })] }),
    ]);
    expect(await client.updateCombination(pid, cid, { price: 30 })).toEqual({ updateCount: 1 });
    expect((await client.getCombination(pid, cid)).price).toBe(30);
    const dup = await caught(client.createCombination(pid, { options: [{ name: "Size", value: "S" }] }));
    expect(dup).toMatchObject({ code: "VALIDATION", status: 409, vendorCode: "COMBINATION_DUPLICATED" });
    expect(await client.deleteCombination(pid, cid)).toEqual({ deleteCount: 1 });
    expect(await client.getCombinations(pid)).toEqual([]);
    expect(sb.log.find("GET", sb.path(`/products/${pid}/combinations`)).length).toBe(2);
  });
});

describe("EcwidClient: absolute stock", () => {
  it("sets a product quantity by read, delta, re-read", async () => {
    const { sb, client } = await setup();
    const r = await client.setProductQuantity(700100300, 30);
    expect(r).toEqual({ method: "delta", before: 36, delta: -6, after: 30, concurrentChange: false });
    const calls = sb.log.entries.map((e) => `${e.method} ${e.path}`);
    expect(calls).toEqual([
      "GET /api/v3/1003/products/700100300",
      "PUT /api/v3/1003/products/700100300/inventory",
      "GET /api/v3/1003/products/700100300",
    ]);
    expect(JSON.parse(sb.log.entries[1].body)).toEqual({ quantityDelta: -6 });
    expect(await client.setProductQuantity(700100300, 30)).toMatchObject({ method: "unchanged", delta: 0 });
    expect(sb.log.writes()).toHaveLength(1);
  });

  it("reports Ecwid's negative-stock warning", async () => {
    const { client } = await setup();
    expect(await client.setProductQuantity(700100300, -2)).toMatchObject({
      after: -2,
      warning: "Product has negative stock.",
    });
  });

  it("switches tracking on for an unlimited product with an absolute PUT", async () => {
    const { sb, client } = await setup();
    const { id } = await client.createProduct({ name: "Ebook", unlimited: true });
    expect(await client.setProductQuantity(id, 4)).toMatchObject({
      method: "absolute",
      before: null,
      after: 4,
    });
    expect(JSON.parse(sb.log.find("PUT", sb.path(`/products/${id}`))[0].body)).toEqual({
      quantity: 4,
      unlimited: false,
    });
    expect(sb.log.find("PUT", sb.path(`/products/${id}/inventory`))).toHaveLength(0);
  });

  it("sets a variation's own stock; a variation without SKU shares the product's and is refused", async () => {
    const { client } = await setup();
    expect(await client.setCombinationQuantity(700100200, 422488002, 7)).toMatchObject({
      method: "delta",
      before: 0,
      delta: 7,
      after: 7,
    });
    const { id: noSku } = await client.createCombination(700100200, {
      options: [{ name: "Size", value: "XL" }],
    });
    const e = await caught(client.setCombinationQuantity(700100200, noSku, 1));
    expect(e.code).toBe("VALIDATION");
    expect(e.message).toContain("shares the product's stock");
  });

  it("never repeats a delta after a 500 (it may have been applied)", async () => {
    const { sb, client } = await setup();
    sb.faults.add({
      method: "PUT",
      path: sb.path("/products/700100300/inventory"),
      kind: "status",
      status: 500,
      afterApply: true,
    });
    const e = await caught(client.adjustProductQuantity(700100300, -1));
    expect(e).toMatchObject({ code: "TEMPORARY", ambiguous: true });
    expect(sb.log.find("PUT", sb.path("/products/700100300/inventory"))).toHaveLength(1);
    // a fresh absolute set starts from what Ecwid now holds
    expect(await client.setProductQuantity(700100300, 36)).toMatchObject({ before: 35, delta: 1, after: 36 });
  });
});

describe("EcwidClient: categories", () => {
  it("paginates enabled categories by default and hidden ones on request, with product ids", async () => {
    const { client } = await setup();
    const { id } = await client.createCategory({ name: "Archive", enabled: false, parentId: 9691094 });
    expect((await collect(client.paginateCategories())).map((c) => c.id)).not.toContain(id);
    const all = await collect(client.paginateCategories({ includeHidden: true, productIds: true }));
    expect(all.map((c) => c.id)).toContain(id);
    expect(all.find((c) => c.id === 9691094)?.productIds).toEqual([700100200, 700100201]);
    expect((await collect(client.paginateCategories({ parent: 0 }))).map((c) => c.name)).toEqual([
      "Apparel",
      "Accessories",
      "Gifts",
    ]);
  });

  it("creates, updates and reads categories; getCategories returns null for missing ones", async () => {
    const { client } = await setup();
    const { id } = await client.createCategory({ name: "Posters", productIds: [700100300] });
    expect(await client.updateCategory(id, { name: "Prints", orderBy: 5 })).toEqual({ updateCount: 1 });
    expect(await client.getCategory(id, { productIds: true })).toMatchObject({
      id,
      name: "Prints",
      orderBy: 5,
      productIds: [700100300],
    });
    const many = await client.getCategories([id, 1, 9691095]);
    expect(many.map((c) => c?.id ?? null)).toEqual([id, null, 9691095]);
    expect((await caught(client.updateCategory(id, { name: "" }))).message).toContain(
      "Category name must not be empty",
    );
    expect(await client.deleteCategory(id)).toEqual({ deleteCount: 1 });
  });
});

describe("EcwidClient: orders", () => {
  it("creates an order ({id, orderId}), reads it by either id, updates and deletes it", async () => {
    const { client } = await setup();
    const created = await client.createOrder(ECWID_FIXTURE_ORDER_CREATE);
    expect(created).toEqual({ id: expect.any(Number), orderId: expect.stringMatching(/^[A-Z0-9]{5}$/) });
    const byString = await client.getOrder(created.orderId);
    const byInternal = await client.getOrder(created.id);
    expect(byInternal).toEqual(byString);
    expect(mapEcwidOrder(byString)).toMatchObject({
      id: created.orderId,
      paid: true,
      companyName: "Acme Widgets LLC",
      total: "50",
    });
    expect(
      await client.updateOrder(created.orderId, { fulfillmentStatus: "SHIPPED", trackingNumber: "TRK1" }),
    ).toEqual({ updateCount: 1 });
    expect(await client.getOrder(created.orderId)).toMatchObject({
      fulfillmentStatus: "SHIPPED",
      trackingNumber: "TRK1",
    });
    expect(await client.deleteOrder(created.orderId)).toEqual({ deleteCount: 1 });
    expect((await caught(client.getOrder(created.orderId))).code).toBe("NOT_FOUND");
    const deleted = await collect(client.paginateDeletedOrders());
    expect(deleted).toEqual([expect.objectContaining({ id: created.id, orderId: created.orderId })]);
  });

  it("filters by statuses (csv), e-mail and updatedFrom", async () => {
    const { sb, client } = await setup();
    const a = await client.createOrder({
      email: "a@example.com",
      paymentStatus: "AWAITING_PAYMENT",
      fulfillmentStatus: "AWAITING_PROCESSING",
      items: [],
    });
    const b = await client.createOrder({
      email: "b@example.com",
      paymentStatus: "PAID",
      fulfillmentStatus: "SHIPPED",
      items: [],
    });
    const ids = async (f: Parameters<EcwidClient["paginateOrders"]>[0]) =>
      (await collect(client.paginateOrders(f))).map((o) => o.id);
    expect(
      await ids({
        paymentStatus: ["PAID", "AWAITING_PAYMENT"],
        updatedFrom: Math.floor(Date.now() / 1000) - 60,
      }),
    ).toEqual(expect.arrayContaining([a.orderId, b.orderId]));
    expect(sb.log.entries.at(-1)?.query.paymentStatus).toBe("PAID,AWAITING_PAYMENT");
    expect(await ids({ fulfillmentStatus: ["SHIPPED"] })).toEqual([b.orderId]);
    expect(await ids({ email: "a@example.com" })).toEqual([a.orderId]);
    expect(await ids({ updatedFrom: new Date("2030-01-01T00:00:00Z") })).toEqual([]);
  });

  it("getOrders maps ids back in input order, finds INCOMPLETE ones by id, and gives null for missing", async () => {
    const { client } = await setup();
    const open = await client.createOrder({
      email: "c@example.com",
      paymentStatus: "INCOMPLETE",
      fulfillmentStatus: "AWAITING_PROCESSING",
      items: [],
    });
    const got = await client.getOrders(["NOPE1", open.orderId, 547872251, "xj12h"]);
    expect(got.map((o) => o?.id ?? null)).toEqual([null, open.orderId, "XJ12H", "XJ12H"]);
  });
});

describe("EcwidClient: customers", () => {
  it("creates, finds by exact e-mail, updates and deletes customers; a duplicate e-mail is a 409", async () => {
    const { sb, client } = await setup();
    const { id } = await client.createCustomer({
      email: "ann@example.com",
      billingPerson: { name: "Ann Smith" },
    });
    await client.createCustomer({ email: "joann@example.com" });
    expect((await client.findCustomerByEmail(" ANN@example.com "))?.id).toBe(id);
    expect(sb.log.entries.at(-1)?.query).toMatchObject({
      email: "ANN@example.com",
      useExactEmailMatch: "true",
    });
    expect(await client.findCustomerByEmail("nobody@example.com")).toBeNull();
    const dup = await caught(client.createCustomer({ email: "ann@example.com" }));
    expect(isEcwidDuplicateCustomer(dup)).toBe(true);
    expect(dup.message).toContain("a customer with this e-mail address already exists");
    expect(await client.updateCustomer(id, { billingPerson: { companyName: "Ann Ltd" } })).toEqual({
      updateCount: 1,
    });
    expect(await client.getCustomer(id)).toMatchObject({
      name: "Ann Smith",
      billingPerson: { name: "Ann Smith", companyName: "Ann Ltd" },
    });
    const list = await collect(client.paginateCustomers({ email: "ann@" }));
    expect(list.map((c) => c.email).sort()).toEqual(["ann@example.com", "joann@example.com"]);
    expect((await client.getCustomers([id, 999])).map((c) => c?.id ?? null)).toEqual([id, null]);
    expect(await client.deleteCustomer(id)).toEqual({ deleteCount: 1 });
    expect((await collect(client.paginateDeletedCustomers())).map((d) => d.id)).toEqual([id]);
  });
});

describe("EcwidClient: batch", () => {
  it("runs a batch, polls the ticket and returns parsed bodies in order", async () => {
    const { sb, client } = await setup({ batchStepDelayMs: 30 });
    const r = await client.batch(
      [
        { id: "adj", path: "/products/700100300/inventory", method: "PUT", body: { quantityDelta: -1 } },
        { id: "get", path: "/products/700100300?responseFields=id,quantity", method: "GET" },
        { id: "bad", path: "/products/999", method: "GET" },
      ],
      { stopOnFirstFailure: false },
    );
    expect(r).toEqual([
      { id: "adj", status: "COMPLETED", httpStatusCode: 200, body: { updateCount: 1 } },
      { id: "get", status: "COMPLETED", httpStatusCode: 200, body: { id: 700100300, quantity: 35 } },
      {
        id: "bad",
        status: "FAILED",
        httpStatusCode: 404,
        body: { errorMessage: "Product #999 not found", errorCode: "PRODUCT_NOT_FOUND" },
      },
    ]);
    const polls = sb.log.find("GET", sb.path("/batch"));
    expect(polls.length).toBeGreaterThan(1);
    expect(polls[0].query.escapedJson).toBe("true");
    expect(sb.log.find("POST", sb.path("/batch"))[0].query).toMatchObject({
      stopOnFirstFailure: "false",
      deduplicationKey: expect.any(String),
    });
  });

  it("stops on the first failure by default, across the 500-request split too", async () => {
    const { sb, client } = await setup();
    const reqs = [
      { id: "bad", path: "/products/999", method: "GET" as const },
      ...Array.from({ length: 600 }, (_, i) => ({
        id: `adj-${i}`,
        path: "/products/700100300/inventory",
        method: "PUT" as const,
        body: { quantityDelta: -1 },
      })),
    ];
    const r = await client.batch(reqs);
    expect(r).toHaveLength(601);
    expect(r[0].status).toBe("FAILED");
    expect(new Set(r.slice(1).map((x) => x.status))).toEqual(new Set(["NOT_EXECUTED"]));
    expect(sb.log.find("POST", sb.path("/batch"))).toHaveLength(1);
    expect((await client.getProduct(700100300)).quantity).toBe(36);
  });

  it("splits more than 500 requests into consecutive batches", async () => {
    const { sb, client } = await setup();
    const reqs = Array.from({ length: 501 }, (_, i) => ({
      id: `g${i}`,
      path: "/profile",
      method: "GET" as const,
    }));
    const r = await client.batch(reqs);
    expect(r.filter((x) => x.status === "COMPLETED")).toHaveLength(501);
    expect(sb.log.find("POST", sb.path("/batch")).map((e) => JSON.parse(e.body).length)).toEqual([500, 1]);
  });

  it("repeats a batch create after a 500 without creating a second batch (deduplicationKey)", async () => {
    const { sb, client } = await setup();
    sb.faults.add({ method: "POST", path: sb.path("/batch"), kind: "status", status: 500, afterApply: true });
    const r = await client.batch([
      { id: "adj", path: "/products/700100300/inventory", method: "PUT", body: { quantityDelta: -1 } },
    ]);
    expect(r[0].status).toBe("COMPLETED");
    const posts = sb.log.find("POST", sb.path("/batch"));
    expect(posts).toHaveLength(2);
    expect(posts[1].query.deduplicationKey).toBe(posts[0].query.deduplicationKey);
    expect((await client.getProduct(700100300)).quantity).toBe(35);
  });
});

describe("EcwidClient: transport behaviour", () => {
  it("waits at least Retry-After after a 429 before retrying", async () => {
    const { sb, client } = await setup();
    sb.faults.add({ path: sb.path("/profile"), kind: "status", status: 429, retryAfter: "1" });
    await client.getProfile();
    const [first, second] = sb.log.find("GET", sb.path("/profile"));
    expect(first.status).toBe(429);
    expect(second.status).toBe(200);
    expect(second.at.getTime() - first.at.getTime()).toBeGreaterThanOrEqual(1000);
  });

  it("backs off on the sandbox's own rate limit and gets through", async () => {
    const { sb, client } = await setup({ rateLimitPerMinute: 120 });
    // the client believes it may send 60 000/min; the sandbox's bucket holds 120: empty it
    for (let i = 0; i < 200 && !sb.log.entries.some((e) => e.status === 429); i++)
      await client.getLatestStats();
    const limited = sb.log.entries.find((e) => e.status === 429);
    expect(limited).toBeDefined();
    expect(limited?.path).toBe(sb.path("/latest-stats"));
    // the call that met the 429 completed: its retry came after Retry-After (1 s)
    const after = sb.log.entries[sb.log.entries.indexOf(limited!) + 1];
    expect(after.status).toBe(200);
    expect(after.at.getTime() - limited!.at.getTime()).toBeGreaterThanOrEqual(1000);
  });

  it("shares one rate budget per token: a 429 seen by one client holds back another with the same token", async () => {
    const { sb, client, deps } = await setup();
    const twin = new EcwidClient({ storeId: 1003, token: sb.token, apiBaseUrl: sb.url }, deps, {
      requestsPerMinute: 60_000,
    });
    expect(twin.credentialKey).toBe(client.credentialKey);
    sb.faults.add({ path: sb.path("/profile"), kind: "status", status: 429, retryAfter: "1" });
    const a = client.getProfile();
    await new Promise((r) => setTimeout(r, 100));
    await twin.getLatestStats();
    await a;
    const limited = sb.log.entries.find((e) => e.status === 429)!;
    const twinCall = sb.log.find("GET", sb.path("/latest-stats"))[0];
    expect(twinCall.at.getTime() - limited.at.getTime()).toBeGreaterThanOrEqual(1000);
  });

  it("retries a 500 on a read and succeeds", async () => {
    const { sb, client } = await setup();
    sb.faults.add({ path: sb.path("/products/700100200"), kind: "status", status: 500 });
    expect((await client.getProduct(700100200)).sku).toBe("TSHIRT-BASE");
    expect(sb.log.find("GET", sb.path("/products/700100200")).map((e) => e.status)).toEqual([500, 200]);
  });

  it("does not repeat an order create after a 500: it may exist", async () => {
    const { sb, client } = await setup();
    sb.faults.add({
      method: "POST",
      path: sb.path("/orders"),
      kind: "status",
      status: 500,
      afterApply: true,
    });
    const e = await caught(client.createOrder(ECWID_FIXTURE_ORDER_CREATE));
    expect(e).toMatchObject({ code: "TEMPORARY", ambiguous: true });
    expect(sb.log.find("POST", sb.path("/orders"))).toHaveLength(1);
  });

  it("times out a hanging read and retries it", async () => {
    const { sb, client } = await setup({}, { ...FAST, readTimeoutMs: 300 });
    sb.faults.add({ path: sb.path("/products/700100200"), kind: "hang" });
    expect((await client.getProduct(700100200)).id).toBe(700100200);
    const tries = sb.log.find("GET", sb.path("/products/700100200"));
    expect(tries).toHaveLength(2);
    expect(tries[0].status).toBeUndefined();
  });

  it("retries a reset connection and a body that stalls past the read timeout", async () => {
    const { sb, client } = await setup({}, { ...FAST, readTimeoutMs: 300 });
    sb.faults.add({ path: sb.path("/profile"), kind: "reset" });
    sb.faults.add({ path: sb.path("/latest-stats"), kind: "slow-body", delayMs: 2_000 });
    await client.getProfile();
    await client.getLatestStats();
    expect(sb.log.find("GET", sb.path("/profile"))).toHaveLength(2);
    expect(sb.log.find("GET", sb.path("/latest-stats"))).toHaveLength(2);
  });

  it("gives up after maxAttempts on a persistent 503", async () => {
    const { sb, client } = await setup({}, { ...FAST, maxAttempts: 3 });
    sb.faults.add({ path: sb.path("/profile"), kind: "status", status: 503, times: Infinity });
    expect(await caught(client.getProfile())).toMatchObject({ code: "TEMPORARY", status: 503 });
    expect(sb.log.find("GET", sb.path("/profile"))).toHaveLength(3);
  });

  it("does not retry a 403 INVALID_API_TOKEN and stops calling with that token", async () => {
    const { sb, deps } = await setup();
    const client = new EcwidClient({ storeId: 1003, token: "secret_bad", apiBaseUrl: sb.url }, deps);
    const e = await caught(client.getProfile());
    expect(e).toMatchObject({ code: "AUTH", status: 403, credentialRejected: true });
    expect(sb.log.entries).toHaveLength(1);
    const again = await caught(client.getOrders(["XJ12H"]));
    expect(again).toMatchObject({ code: "AUTH", credentialRejected: true });
    expect(sb.log.entries).toHaveLength(1);
    // new credentials start with a closed circuit
    const fixed = new EcwidClient({ storeId: 1003, token: sb.token, apiBaseUrl: sb.url }, deps);
    expect((await fixed.getProfile()).generalInfo?.storeId).toBe(1003);
  });

  it("does not retry a missing scope, names it, and keeps the token usable for other calls", async () => {
    const { sb, deps } = await setup();
    sb.addToken("secret_catalog_only", ["read_store_profile", "read_catalog"]);
    const client = new EcwidClient({ storeId: 1003, token: "secret_catalog_only", apiBaseUrl: sb.url }, deps);
    const e = await caught(collect(client.paginateOrders()));
    expect(e).toMatchObject({ code: "AUTH", status: 403, credentialRejected: false });
    expect(e.message).toContain("Ecwid refused the token: it lacks the read_orders scope");
    expect(sb.log.find("GET", sb.path("/orders"))).toHaveLength(1);
    expect((await client.getProduct(700100300)).sku).toBe("MUG-01");
  });
});
