import { request } from "undici";
import { ccvDate, ccvHash, verifyCcvResponse } from "../../../connectors/ccv-salespos/ccv.auth";
import { ccvWebhookSignature } from "../../../connectors/ccv-salespos/ccv.webhooks";
import { startHttpServer, type RunningServer } from "../../common/sandbox-http";
import { CcvSandbox } from "../ccv.sandbox";
import { phpJsonEncode } from "../php-json";

/**
 * The sandbox itself, driven with raw signed HTTP (no connector), so that its behaviour is pinned
 * independently of the client that is tested against it.
 */

interface Raw {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function call(
  sb: CcvSandbox,
  method: string,
  uri: string,
  opts: {
    body?: string;
    signBody?: string;
    date?: string;
    secret?: string;
    publicKey?: string;
    unsigned?: boolean;
  } = {},
): Promise<Raw> {
  const date = opts.date ?? ccvDate();
  const pub = opts.publicKey ?? sb.publicKey;
  const headers: Record<string, string> = { accept: "application/vnd.verto.webshop+json" };
  if (!opts.unsigned) {
    headers["x-public"] = pub;
    headers["x-date"] = date;
    headers["x-hash"] = ccvHash(opts.secret ?? sb.secretKey, {
      publicKey: pub,
      method,
      uri,
      body: opts.signBody ?? opts.body ?? "",
      date,
    });
  }
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const res = await request(`${sb.baseUrl}${uri}`, { method: method as "GET", headers, body: opts.body });
  const text = await res.body.text();
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (typeof v === "string") h[k] = v;
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: h, text, json };
}

const API = "/api/rest/v1";

describe("CCV sandbox: authentication and response signing (§2)", () => {
  let sb: CcvSandbox;
  beforeAll(async () => {
    sb = await CcvSandbox.start({ publicKey: "pk_test", secretKey: "sk_test" });
  });
  afterAll(() => sb.stop());

  it("accepts a correctly signed request and signs its response over the raw body", async () => {
    const r = await call(sb, "GET", `${API}/webshops`);
    expect(r.status).toBe(200);
    expect(r.headers["x-date"]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(
      verifyCcvResponse("sk_test", {
        publicKey: "pk_test",
        method: "GET",
        uri: `${API}/webshops`,
        rawBody: r.text,
        date: r.headers["x-date"],
        hash: r.headers["x-hash"],
      }),
    ).toBe(true);
  });

  it("refuses a tampered body: the hash covers the raw bytes sent", async () => {
    const signBody = JSON.stringify({
      name: "Mok",
      price: 1,
      discount: 0,
      package_id: 5501,
      taxtariff: "normal",
    });
    const r = await call(sb, "POST", `${API}/products`, {
      signBody,
      body: signBody.replace('"price":1', '"price":0.01'),
    });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({
      code: "401.10",
      status: 401,
      developermessage: expect.stringMatching(/x-hash/),
    });
    expect(sb.store.products.size).toBe(0);
  });

  it("hashes the raw body, not a re-serialisation: a PHP-escaped body signed as sent is accepted", async () => {
    const body = phpJsonEncode({
      name: "Caf\u00e9 / Bar",
      price: 1,
      discount: 0,
      package_id: 5501,
      taxtariff: "normal",
    });
    expect(body).toContain("\\u00e9");
    expect(body).toContain("\\/");
    const r = await call(sb, "POST", `${API}/products/`, { body });
    expect(r.status).toBe(201);
    expect(r.json.name).toBe("Caf\u00e9 / Bar");
  });

  it("refuses a missing header, a wrong key, a wrong secret and a date outside ±5 minutes; accepts +00:00", async () => {
    expect((await call(sb, "GET", `${API}/webshops`, { unsigned: true })).status).toBe(401);
    expect((await call(sb, "GET", `${API}/webshops`, { publicKey: "pk_other" })).status).toBe(401);
    expect((await call(sb, "GET", `${API}/webshops`, { secret: "sk_wrong" })).status).toBe(401);
    const stale = ccvDate(new Date(Date.now() - 301_000));
    expect((await call(sb, "GET", `${API}/webshops`, { date: stale })).status).toBe(401);
    const soon = new Date(Date.now() + 120_000).toISOString().replace(/\.\d{3}Z$/, "+00:00");
    expect((await call(sb, "GET", `${API}/webshops`, { date: soon })).status).toBe(200);
  });

  it("hashes the query exactly as sent (a re-encoded query does not verify)", async () => {
    const uri = `${API}/products?expand=attributecombinations%2Cproducttocategories&size=5`;
    const date = ccvDate();
    const hashOfDecoded = ccvHash(sb.secretKey, {
      publicKey: sb.publicKey,
      method: "GET",
      uri: uri.replace("%2C", ","),
      body: "",
      date,
    });
    const res = await request(`${sb.baseUrl}${uri}`, {
      headers: { "x-public": sb.publicKey, "x-date": date, "x-hash": hashOfDecoded },
    });
    expect(res.statusCode).toBe(401);
    await res.body.dump();
    expect((await call(sb, "GET", uri)).status).toBe(200);
  });
});

describe("CCV sandbox: routing, shapes and serialisation (§3, §4, §7)", () => {
  let sb: CcvSandbox;
  beforeAll(async () => {
    sb = await CcvSandbox.start({ seed: { webshopName: "Winkel \u00e9\u00e9n" } });
  });
  afterAll(() => sb.stop());

  it("serialises PHP-style: escaped slashes, \\u escapes, numbers without trailing zeros", async () => {
    const r = await call(sb, "GET", `${API}/webshops`);
    expect(r.text).toContain("http:\\/\\/127.0.0.1");
    expect(r.text).toContain("Winkel \\u00e9\\u00e9n");
    expect(r.text).not.toContain("é");
    sb.store.seedProduct({ name: "Prijs", price: 12.5, discount: 0 });
    const all = await call(sb, "GET", `${API}/products`);
    expect(all.text).toMatch(/"price":12.5,/);
  });

  it("serves non-paged collections as {href, items} and paged ones with start/size/links", async () => {
    const flat = await call(sb, "GET", `${API}/paymethods`);
    expect(Object.keys(flat.json).sort()).toEqual(["href", "items"]);
    sb.store.seedProducts(50, (i) => ({ name: `P${i}`, productnumber: `P-${i}`, active: i % 2 === 0 }));
    // 26 active: 25 even of 50 + the product seeded above; default page size 25
    const page = await call(sb, "GET", `${API}/products/?active=true`);
    expect(page.json).toMatchObject({ start: 0, size: 25, previous: null });
    expect(page.json.items).toHaveLength(25);
    expect(page.json.next).toBe(`${sb.baseUrl}${API}/products/?active=true&start=25&size=25`);
    const last = await call(sb, "GET", `${API}/products/?active=true&start=25&size=25`);
    expect(last.json.items).toHaveLength(1);
    expect(last.json.next).toBeNull();
    const p2 = await call(sb, "GET", `${API}/products?active=1&size=10&start=10`);
    expect(p2.json.href).toBe(`${sb.baseUrl}${API}/products?active=1&size=10&start=10`);
    expect(p2.json.next).toBe(`${sb.baseUrl}${API}/products?active=1&size=10&start=20`);
    expect(p2.json.previous).toBe(`${sb.baseUrl}${API}/products?active=1&size=10&start=0`);
    expect(p2.json.first).toBe(`${sb.baseUrl}${API}/products?active=1&size=10&start=0`);
    const capped = await call(sb, "GET", `${API}/products?size=1000`);
    expect(capped.json.size).toBe(250);
  });

  it("answers unknown resources 404.20, wrong methods 405.10, unknown ids 404, unsimulated resources 501.20", async () => {
    expect((await call(sb, "GET", `${API}/nosuchthing`)).json).toMatchObject({ code: "404.20", status: 404 });
    expect((await call(sb, "GET", `${API}/products/1/nosuchthing`)).json.code).toBe("404.20");
    expect((await call(sb, "DELETE", `${API}/orders/1`)).json).toMatchObject({ code: "405.10", status: 405 });
    expect((await call(sb, "POST", `${API}/attributecombinations`, { body: "{}" })).status).toBe(405);
    expect((await call(sb, "GET", `${API}/products/999`)).status).toBe(404);
    expect((await call(sb, "GET", `${API}/invoices`)).json.code).toBe("501.20");
  });

  it("creates with 201 + resource, patches with 204 and an empty signed body; is_active reads, active writes", async () => {
    const created = await call(sb, "POST", `${API}/products`, {
      body: JSON.stringify({
        name: "Mok",
        price: 12.95,
        discount: 2.95,
        package_id: [...sb.store.packages.keys()][0],
        vatrate: 21,
        active: true,
      }),
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "Mok", is_active: true, taxtariff: "normal", price: 12.95 });
    expect(created.json.active).toBeUndefined();
    const patched = await call(sb, "PATCH", `${API}/products/${created.json.id}`, {
      body: '{"active":false}',
    });
    expect(patched.status).toBe(204);
    expect(patched.text).toBe("");
    expect(patched.headers["x-hash"]).toMatch(/^[0-9a-f]{128}$/);
    expect((await call(sb, "GET", `${API}/products/${created.json.id}`)).json.is_active).toBe(false);
    const wrongName = await call(sb, "PATCH", `${API}/products/${created.json.id}`, {
      body: '{"is_active":true}',
    });
    expect(wrongName.json).toMatchObject({ status: 400, code: "400.10" });
  });

  it("validates required product fields (price, discount, package_id, taxtariff or vatrate)", async () => {
    for (const body of [
      { name: "x", price: 1, discount: 0, taxtariff: "normal" },
      { name: "x", price: 1, package_id: 5501, taxtariff: "normal" },
      { name: "x", price: 1, discount: 0, package_id: 5501 },
      { name: "x", price: 1, discount: 0, package_id: 424242, taxtariff: "normal" },
      { name: "x", price: "1", discount: 0, package_id: 5501, taxtariff: "normal" },
    ]) {
      const r = await call(sb, "POST", `${API}/products`, { body: JSON.stringify(body) });
      expect(r.status).toBe(400);
    }
  });

  it("generates attribute combinations as the cartesian product of option-menu attributes", async () => {
    const product = sb.store.seedProduct({ name: "Tee", price: 20 });
    const attr = async (name: string, type: string) =>
      (await call(sb, "POST", `${API}/attributes`, { body: JSON.stringify({ name, type }) })).json
        .id as number;
    const value = async (a: number, name: string) =>
      (
        await call(sb, "POST", `${API}/attributes/${a}/attributevalues`, {
          body: JSON.stringify({ name, default_price: 0 }),
        })
      ).json.id as number;
    const color = await attr("Kleur", "option_menu_required");
    const size = await attr("Maat", "option_menu");
    const extra = await attr("Cadeau", "additional_menu");
    const [red, blue] = [await value(color, "Rood"), await value(color, "Blauw")];
    const [s, m, l] = [await value(size, "S"), await value(size, "M"), await value(size, "L")];
    const wrap = await value(extra, "Inpakken");
    const attach = (optionvalue: number, price: number, stock?: number) =>
      call(sb, "POST", `${API}/products/${product.id}/productattributevalues`, {
        body: JSON.stringify({ optionvalue, price, ...(stock === undefined ? {} : { stock }) }),
      });
    expect((await attach(red, 0, 3)).status).toBe(201);
    await attach(blue, 1);
    await attach(s, 0);
    await attach(m, 2.5, 7);
    await attach(l, 5);
    await attach(wrap, 1.5);
    const combos = (await call(sb, "GET", `${API}/products/${product.id}/attributecombinations`)).json.items;
    expect(combos).toHaveLength(6);
    const byName = new Map(
      combos.map((c: { combination: { attribute_value: { name: string } }[] }) => [
        c.combination.map((p) => p.attribute_value.name).join("/"),
        c,
      ]),
    );
    expect([...byName.keys()].sort()).toEqual([
      "Blauw/L",
      "Blauw/M",
      "Blauw/S",
      "Rood/L",
      "Rood/M",
      "Rood/S",
    ]);
    expect((byName.get("Blauw/M") as { netto_extra_price: number }).netto_extra_price).toBe(3.5);
    // combinations created by the M value got its stock; the others 0 (S was added without stock)
    expect((byName.get("Rood/M") as { stock: number }).stock).toBe(7);
    expect((byName.get("Rood/S") as { stock: number }).stock).toBe(0);
    const dup = await attach(red, 0);
    expect(dup.json.code).toBe("500.40");
    const pq = await call(sb, "GET", `${API}/productqueries`);
    expect(pq.status).toBe(400);
  });

  it("orders: is_completed defaults to true, numbers on completion, totals, filters", async () => {
    const product = sb.store.seedProduct({ name: "Mok", price: 12.95, discount: 2.95, vatrate: 21 });
    const post = (body: unknown) => call(sb, "POST", `${API}/orders`, { body: JSON.stringify(body) });
    const customer = {
      email: "jan@example.com",
      billingaddress: { first_name: "Jan", mobile: "0612345678" },
    };
    const a = await post({
      customer,
      orderrows: [
        { product_id: product.id, count: 2 },
        {
          product_name: "Cadeauverpakking",
          product_number: "GIFT",
          count: 1,
          price: 2.5,
          tax: 21,
          package_id: 5501,
        },
      ],
      total_shipping: 4.95,
      reservationnumber: "ext-1",
    });
    expect(a.status).toBe(201);
    expect(a.json).toMatchObject({
      is_completed: true,
      status: 1,
      ordernumber: 1001,
      ordernumber_full: "1001",
      reservationnumber: "ext-1",
      total_orderrow_price: 22.5,
      total_shipping: 4.95,
      total_price: 27.45,
      total_tax: 4.76,
      customer,
    });
    const basket = await post({
      customer,
      orderrows: [{ product_id: product.id, count: 1 }],
      is_completed: false,
    });
    expect(basket.json).toMatchObject({ is_completed: false, ordernumber: null, status: null });
    expect(basket.json.basket_href).toEqual(expect.any(String));
    const listed = (await call(sb, "GET", `${API}/orders`)).json.items.map((o: { id: number }) => o.id);
    expect(listed).toContain(a.json.id);
    expect(listed).not.toContain(basket.json.id);
    const baskets = (await call(sb, "GET", `${API}/orders?is_completed=false`)).json.items.map(
      (o: { id: number }) => o.id,
    );
    expect(baskets).toEqual([basket.json.id]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await call(sb, "GET", `${API}/orders?min_create_date=${today}`)).json.items).toHaveLength(1);
    expect((await call(sb, "GET", `${API}/orders?max_create_date=2000-01-01`)).json.items).toHaveLength(0);
    expect(
      (
        await call(
          sb,
          "GET",
          `${API}/orders?min_create_date=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`,
        )
      ).json.items,
    ).toHaveLength(1);
    const rows = (await call(sb, "GET", `${API}/orders/${a.json.id}/orderrows`)).json.items;
    expect(rows[0]).toMatchObject({
      count: 2,
      price: 12.95,
      discount: 2.95,
      original_price: 10,
      total_price: 20,
      tax: 21,
    });
    expect(
      (await call(sb, "PATCH", `${API}/orderrows/${rows[0].id}`, { body: '{"count":3}' })).json.code,
    ).toBe("500.70");
    expect((await post({ customer, orderrows: [{ product_name: "x", count: 1 }] })).status).toBe(400);
  });

  it("rejects unknown webhook events and duplicate usernames (500.40)", async () => {
    expect(
      (
        await call(sb, "POST", `${API}/webhooks`, {
          body: '{"event":"orders.status","address":"https://x.example/h"}',
        })
      ).status,
    ).toBe(400);
    const user = { username: "a@b.example", password: "secret-1" };
    expect((await call(sb, "POST", `${API}/users`, { body: JSON.stringify(user) })).status).toBe(201);
    const again = await call(sb, "POST", `${API}/users`, {
      body: JSON.stringify({ ...user, username: "A@B.example" }),
    });
    expect(again.json).toMatchObject({ code: "500.40", status: 500 });
  });
});

describe("CCV sandbox: limits, faults, stock and webhooks", () => {
  it("limits each operation per window (429.10) and the total when configured (429.11)", async () => {
    const sb = await CcvSandbox.start({ limits: { get: 2, total: 3 }, windowMs: 60_000 });
    try {
      expect((await call(sb, "GET", `${API}/webshops`)).status).toBe(200);
      expect((await call(sb, "GET", `${API}/webshops/`)).status).toBe(200);
      const third = await call(sb, "GET", `${API}/webshops`);
      expect(third.json).toMatchObject({ code: "429.10", status: 429 });
      expect((await call(sb, "GET", `${API}/paymethods`)).status).toBe(200);
      const total = await call(sb, "GET", `${API}/packages`);
      expect(total.json).toMatchObject({ code: "429.11", status: 429 });
    } finally {
      await sb.stop();
    }
  });

  it("injects faults by route and logs every request", async () => {
    const sb = await CcvSandbox.start();
    try {
      sb.faults.add({ method: "GET", path: `${API}/webshops`, kind: "status", status: 503 });
      expect((await call(sb, "GET", `${API}/webshops`)).status).toBe(503);
      expect((await call(sb, "GET", `${API}/webshops`)).status).toBe(200);
      expect(sb.log.find("GET", `${API}/webshops`).map((e) => e.status)).toEqual([503, 200]);
    } finally {
      await sb.stop();
    }
  });

  it("decrements stock for completed orders when the flag is on", async () => {
    const sb = await CcvSandbox.start({ decrementStockOnOrder: true });
    try {
      const p = sb.store.seedProduct({ name: "Mok", stockenabled: true, stock: 10 });
      await call(sb, "POST", `${API}/orders`, {
        body: JSON.stringify({ customer: {}, orderrows: [{ product_id: p.id, count: 3 }] }),
      });
      expect(sb.store.getProduct(p.id).stock).toBe(7);
    } finally {
      await sb.stop();
    }
  });

  it("delivers webhooks with the §5.9.3 payload and the inferred x-hash", async () => {
    const received: { url: string; headers: Record<string, unknown>; body: string }[] = [];
    const receiver: RunningServer = await startHttpServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      received.push({
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(204).end();
    });
    const sb = await CcvSandbox.start();
    try {
      const address = `${receiver.url}/webhooks/ccv/int-1/orders.updated.status`;
      const hook = await call(sb, "POST", `${API}/webhooks`, {
        body: JSON.stringify({ event: "orders.updated.status", address }),
      });
      expect(hook.json.key).toMatch(/^[0-9a-f]{48}$/);
      const p = sb.store.seedProduct({ name: "Mok" });
      const order = await call(sb, "POST", `${API}/orders`, {
        body: JSON.stringify({
          customer: { email: "jan@example.com" },
          orderrows: [{ product_id: p.id, count: 1 }],
        }),
      });
      await call(sb, "PATCH", `${API}/orders/${order.json.id}`, { body: '{"status":5}' });
      const d = await sb.webhooks.waitFor((x) => x.event === "orders.updated.status");
      expect(d.status).toBe(204);
      expect(received).toHaveLength(1);
      expect(received[0].headers["x-hash"]).toBe(
        ccvWebhookSignature(hook.json.key, address, received[0].body),
      );
      expect(JSON.parse(received[0].body)).toEqual({
        triggered_at: expect.stringMatching(/Z$/),
        href: `${sb.baseUrl}${API}/orders/${order.json.id}`,
        id: order.json.id,
        order_number: 1001,
        ordernumber_prefix: null,
        ordernumber_full: "1001",
        total_price: 10,
        previous_status: 1,
        status: 5,
        customer_email: "jan@example.com",
        customer_mobile: "",
      });
    } finally {
      await sb.stop();
      await receiver.close();
    }
  });
});
