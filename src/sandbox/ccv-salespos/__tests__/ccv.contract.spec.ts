import {
  CcvClient,
  type CcvAttributeMemo,
  type CcvClientOptions,
} from "../../../connectors/ccv-salespos/ccv.client";
import { emailHash, InMemoryCustomerEmailIndex } from "../../../connectors/ccv-salespos/ccv.email-index";
import { ccvOrderToDomain, ccvProductToDomain } from "../../../connectors/ccv-salespos/ccv.mapper";
import {
  ccvWebhookAddress,
  parseCcvWebhook,
  verifyCcvWebhook,
} from "../../../connectors/ccv-salespos/ccv.webhooks";
import { AuthCircuit } from "../../../connectors/http/auth-circuit";
import { ConnectorError } from "../../../connectors/http/connector-error";
import type { ConnectorDeps } from "../../../connectors/http/connector-deps";
import { SharedRateBudget, type RateBudget } from "../../../connectors/http/rate-budget";
import { closeSharedAgents } from "../../../connectors/http/transport";
import { LOCAL_UPSTREAMS } from "../../../connectors/http/upstream-guard";
import { startHttpServer, type RunningServer } from "../../common/sandbox-http";
import { CcvSandbox } from "../ccv.sandbox";

/**
 * Contract tests: the CCV client against the CCV sandbox over real HTTP (port 0). The sandbox's
 * limits are set high here except in the rate-limit tests; the client's own lane limits are high so
 * its spacing does not slow the suite (the benchmark exercises the real figures).
 */

const FAST: CcvClientOptions = {
  laneLimits: { get: 60_000, write: 60_000, productqueries: 60_000 },
  rateLimitWaitMs: 300,
};
const HIGH = { get: 100_000, write: 100_000, productqueries: 100_000 };

function deps(extra: Partial<ConnectorDeps> = {}): ConnectorDeps {
  return {
    budget: new SharedRateBudget(),
    circuit: new AuthCircuit(),
    ...extra,
    transport: {
      upstreams: LOCAL_UPSTREAMS,
      initialDelayMs: 20,
      maxDelayMs: 100,
      readTimeoutMs: 2_000,
      ...extra.transport,
    },
  };
}

/** A budget that records penalties (the real one underneath). */
class RecordingBudget implements RateBudget {
  readonly penalties: { lane: string; until: number }[] = [];
  private readonly inner = new SharedRateBudget();
  acquire(key: string, lane: string, perMinute: number, signal?: AbortSignal): Promise<void> {
    return this.inner.acquire(key, lane, perMinute, signal);
  }
  penalize(key: string, lane: string, until: number): void {
    this.penalties.push({ lane, until });
    this.inner.penalize(key, lane, until);
  }
}

async function rejection(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ConnectorError) return e;
    throw e;
  }
  throw new Error("expected a ConnectorError");
}

const API = "/api/rest/v1";

afterAll(() => closeSharedAgents());

describe("CCV client ⇄ sandbox: connection, signing, verification", () => {
  let sb: CcvSandbox;
  beforeAll(async () => {
    sb = await CcvSandbox.start({
      limits: HIGH,
      seed: { webshopName: "Bakkerij Kas", currency: "EUR", pricesIncludeVat: true },
    });
  });
  afterAll(() => sb.stop());
  beforeEach(() => sb.resetControls());

  it("testConnection signs /webshops, verifies the answer and reports the shop", async () => {
    const client = new CcvClient({ ...sb.connection, salesPos: true }, deps(), FAST);
    expect(await client.testConnection()).toEqual({
      ok: true,
      message: 'Connected to "Bakkerij Kas", a CCV SalesPOS account.',
      webshopName: "Bakkerij Kas",
      isSalesPos: true,
      storeId: "1",
    });
    const [req] = sb.log.find("GET", `${API}/webshops`);
    expect(req.headers.accept).toBe("application/vnd.verto.salespos+json");
    expect(req.headers["x-public"]).toBe(sb.publicKey);
    expect(req.headers["x-date"]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(req.headers["x-hash"]).toMatch(/^[0-9a-f]{128}$/);
    expect(req.status).toBe(200);
  });

  it("uses the webshop accept header for non-SalesPOS connections and says so", async () => {
    const other = await CcvSandbox.start({ salesPos: false });
    try {
      const client = new CcvClient(other.connection, deps(), FAST);
      const check = await client.testConnection();
      expect(check).toMatchObject({ ok: true, isSalesPos: false });
      expect(check.message).toMatch(/not a SalesPOS account/);
      expect(other.log.entries[0].headers.accept).toBe("application/vnd.verto.webshop+json");
    } finally {
      await other.stop();
    }
  });

  it("builds the store profile from the webshop and its settings", async () => {
    const client = new CcvClient(sb.connection, deps(), FAST);
    expect(await client.getStoreProfile()).toEqual({
      system: "CCV_SALESPOS",
      storeId: "1",
      name: "Bakkerij Kas",
      currency: "EUR",
      pricesIncludeTax: true,
      isSalesPos: true,
    });
  });

  it("re-signs every attempt with a fresh x-date", async () => {
    let t = Date.now();
    const client = new CcvClient(sb.connection, deps(), { ...FAST, clock: () => new Date((t += 1_000)) });
    sb.faults.add({ method: "GET", path: `${API}/webshops`, kind: "status", status: 503 });
    await client.getWebshops();
    const attempts = sb.log.find("GET", `${API}/webshops`);
    expect(attempts.map((a) => a.status)).toEqual([503, 200]);
    expect(attempts[0].headers["x-date"]).not.toBe(attempts[1].headers["x-date"]);
    expect(attempts[0].headers["x-hash"]).not.toBe(attempts[1].headers["x-hash"]);
  });

  it("refuses a response whose body was rewritten after signing (escaped slashes unescaped by a proxy)", async () => {
    const client = new CcvClient(sb.connection, deps(), FAST);
    sb.tamper({ path: `${API}/webshops`, mutate: (b) => b.replace(/\\\//g, "/") });
    const e = await rejection(client.getWebshops());
    expect(e.code).toBe("UNKNOWN");
    expect(e.message).toMatch(/response signature did not verify/);
    expect(e.message).toMatch(/proxy rewriting the body/);
    expect(sb.log.find("GET", `${API}/webshops`)).toHaveLength(1); // never retried
    expect(await client.testConnection()).toMatchObject({ ok: true });
  });

  it("refuses an unsigned response, and marks a spoiled write answer as ambiguous", async () => {
    const client = new CcvClient(sb.connection, deps(), FAST);
    sb.tamper({ path: `${API}/webshops`, dropHash: true });
    expect((await rejection(client.getWebshops())).message).toMatch(/no signature/);
    const p = sb.store.seedProduct({ name: "Mok" });
    sb.tamper({ method: "PATCH", path: new RegExp(`/products/${p.id}$`), dropHash: true });
    const e = await rejection(client.updateProduct(p.id, { stock: 3 }));
    expect(e).toMatchObject({ code: "UNKNOWN", ambiguous: true });
    expect(sb.store.getProduct(p.id).stock).toBe(3); // the write happened; only its answer was spoiled
    sb.tamper({
      method: "POST",
      path: `${API}/categories`,
      mutate: (b) => b.replace('"name":"Spoiled"', '"name":"Other"'),
    });
    expect(await rejection(client.createCategory({ name: "Spoiled" }))).toMatchObject({
      code: "UNKNOWN",
      ambiguous: true,
    });
  });

  it("reports a wrong secret as AUTH, trips the circuit and stops calling", async () => {
    const d = deps();
    const client = new CcvClient({ ...sb.connection, secretKey: "wrong" }, d, FAST);
    const e = await rejection(client.getWebshops());
    expect(e).toMatchObject({ code: "AUTH", status: 401, credentialRejected: true });
    expect(e.message).not.toContain("wrong");
    const before = sb.log.entries.length;
    expect((await rejection(client.getWebshops())).code).toBe("AUTH");
    expect(sb.log.entries.length).toBe(before);
    expect(await client.testConnection()).toMatchObject({ ok: false });
  });

  it("reports a server clock more than 5 minutes off as AUTH", async () => {
    const client = new CcvClient(sb.connection, deps(), {
      ...FAST,
      clock: () => new Date(Date.now() + 600_000),
    });
    const e = await rejection(client.getWebshops());
    expect(e.code).toBe("AUTH");
    expect(e.message).toMatch(/clock/);
  });

  it("retries a GET after a hang (read timeout) but never repeats an ambiguous POST", async () => {
    const client = new CcvClient(
      sb.connection,
      deps({ transport: { initialDelayMs: 20, readTimeoutMs: 300 } }),
      FAST,
    );
    sb.faults.add({ method: "GET", path: `${API}/paymethods`, kind: "hang" });
    expect((await client.listPaymethods()).length).toBeGreaterThan(0);
    expect(sb.log.find("GET", `${API}/paymethods`)).toHaveLength(2);

    sb.faults.add({
      method: "POST",
      path: `${API}/categories`,
      kind: "status",
      status: 500,
      afterApply: true,
    });
    const e = await rejection(client.createCategory({ name: "Maybe" }));
    expect(e).toMatchObject({ code: "TEMPORARY", ambiguous: true });
    expect(sb.log.find("POST", `${API}/categories`)).toHaveLength(1);
    expect([...sb.store.categories.values()].map((c) => c.name)).toContain("Maybe");
  });

  it("maps unknown ids to NOT_FOUND and unknown resource names (404.20) to VALIDATION", async () => {
    const client = new CcvClient(sb.connection, deps(), FAST);
    expect((await rejection(client.getProduct(42))).code).toBe("NOT_FOUND");
    const e = await rejection(client.list("/nosuchresource"));
    expect(e).toMatchObject({ code: "VALIDATION", vendorCode: "404.20" });
  });
});

describe("CCV client ⇄ sandbox: catalogue", () => {
  let sb: CcvSandbox;
  let client: CcvClient;
  beforeAll(async () => {
    sb = await CcvSandbox.start({ limits: HIGH });
    client = new CcvClient(sb.connection, deps(), FAST);
  });
  afterAll(() => sb.stop());
  beforeEach(() => sb.resetControls());

  it("pages across more than 500 products by following next (size 250, re-signed links)", async () => {
    sb.store.seedProducts(520, (i) => ({
      name: `Product ${i}`,
      productnumber: `SKU-${i}`,
      active: i % 4 !== 0,
    }));
    const all = await client.listProducts();
    expect(all).toHaveLength(520);
    expect(new Set(all.map((p) => p.id)).size).toBe(520);
    const pages = sb.log.find("GET", `${API}/products`);
    expect(pages.map((p) => [p.query.start, p.query.size])).toEqual([
      ["0", "250"],
      ["250", "250"],
      ["500", "250"],
    ]);
    expect(pages.every((p) => p.status === 200)).toBe(true);

    // filters survive the next links
    sb.log.clear();
    const small = new CcvClient(sb.connection, deps(), { ...FAST, pageSize: 40 });
    const inactive = await small.listProducts({ active: false });
    expect(inactive).toHaveLength(130);
    expect(inactive.every((p) => p.is_active === false)).toBe(true);
    const walked = sb.log.find("GET", `${API}/products`);
    expect(walked).toHaveLength(4);
    expect(walked.every((p) => p.query.active === "false")).toBe(true);
  });

  it("creates, reads, patches and batch-reads products (is_active read, active write, package read once)", async () => {
    const a = await client.createProduct({
      name: "Koffiemok",
      price: 12.95,
      discount: 0,
      taxtariff: "normal",
      productnumber: "MUG-001",
      eannumber: "8712345678906",
      active: true,
      stockenabled: true,
      stock: 42,
    });
    const b = await client.createProduct({ name: "Theemok", price: 9.5, discount: 0, vatrate: 9 });
    expect(sb.log.find("GET", `${API}/packages`)).toHaveLength(1);
    expect(JSON.parse(sb.log.find("POST", `${API}/products`)[0].body).package_id).toBe(
      [...sb.store.packages.keys()][0],
    );
    expect(a).toMatchObject({ name: "Koffiemok", is_active: true, productnumber: "MUG-001", stock: 42 });
    expect(b.taxtariff).toBe("low a");
    await client.updateProduct(a.id, { active: false, price: 13.5, description: "Groot" });
    const read = await client.getProduct(a.id);
    expect(read).toMatchObject({ is_active: false, price: 13.5, description: "Groot" });
    expect(ccvProductToDomain(read)).toMatchObject({ enabled: false, price: "13.5", sku: "MUG-001" });
    const many = await client.getProducts([b.id, 999_999, a.id, b.id]);
    expect(many.map((p) => p?.id ?? null)).toEqual([b.id, null, a.id, b.id]);
    expect(sb.log.find("GET", `${API}/products/${b.id}`)).toHaveLength(1); // deduplicated
  });

  it("sets absolute stock on products and combinations", async () => {
    const p = sb.store.seedProduct({ name: "Stock", stockenabled: true, stock: 1 });
    await client.setProductStock(p.id, "17");
    expect(sb.store.getProduct(p.id).stock).toBe(17);
    expect(JSON.parse(sb.log.find("PATCH", `${API}/products/${p.id}`)[0].body)).toEqual({ stock: 17 });
  });

  it("creates a variant product whose generated combinations carry the SKU, EAN and stock we set", async () => {
    const input = {
      product: { name: "T-shirt", price: 20, discount: 0, taxtariff: "normal", productnumber: "TEE" },
      axes: [
        { name: "Kleur", values: [{ name: "Rood" }, { name: "Blauw" }] },
        { name: "Maat", values: [{ name: "M" }, { name: "L", price: 2.5 }] },
      ],
      variants: [
        { options: { Kleur: "Rood", Maat: "M" }, sku: "TEE-RED-M", ean: "8712345678913", stock: 5 },
        { options: { Kleur: "Rood", Maat: "L" }, sku: "TEE-RED-L", ean: "8712345678920", stock: 3 },
        { options: { Kleur: "Blauw", Maat: "M" }, sku: "TEE-BLU-M", ean: "8712345678937", stock: 0 },
        {
          options: { Maat: "L", Kleur: "Blauw" },
          sku: "TEE-BLU-L",
          ean: "8712345678944",
          stock: 8,
          active: false,
        },
      ],
    };
    const { product, combinations } = await client.createVariantProduct(input);
    expect(combinations).toHaveLength(4);
    const byKey = new Map(
      combinations.map((c) => [c.combination.map((x) => x.attribute_value.name).join("/"), c]),
    );
    expect(byKey.get("Rood/M")).toMatchObject({
      sku_number: "TEE-RED-M",
      ean_number: "8712345678913",
      stock: 5,
      netto_extra_price: 0,
    });
    expect(byKey.get("Rood/L")).toMatchObject({
      sku_number: "TEE-RED-L",
      ean_number: "8712345678920",
      stock: 3,
      netto_extra_price: 2.5,
    });
    expect(byKey.get("Blauw/M")).toMatchObject({ sku_number: "TEE-BLU-M", stock: 0, active: true });
    expect(byKey.get("Blauw/L")).toMatchObject({ sku_number: "TEE-BLU-L", stock: 8, active: false });
    // the read-back is one GET with expand=attributecombinations (%2C-free single value)
    expect(sb.log.find("GET", `${API}/products/${product.id}`).at(-1)?.rawQuery).toBe(
      "expand=attributecombinations",
    );
    const domain = ccvProductToDomain(product);
    expect(domain.variants.map((v) => v.sku).sort()).toEqual([
      "TEE-BLU-L",
      "TEE-BLU-M",
      "TEE-RED-L",
      "TEE-RED-M",
    ]);
    expect(domain.options.map((o) => o.name)).toEqual(["Kleur", "Maat"]);

    // a second product reuses the attributes and values; re-running on the same product adds nothing
    sb.log.clear();
    await client.createVariantProduct({
      ...input,
      product: { ...input.product, productnumber: "TEE2" },
      variants: [],
    });
    expect(sb.log.find("POST", `${API}/attributes`)).toHaveLength(0);
    expect(sb.log.find("POST", /\/attributes\/\d+\/attributevalues$/)).toHaveLength(0);
    sb.log.clear();
    const again = await client.createVariantProduct({ ...input, product: { id: product.id } });
    expect(sb.log.find("POST", /\/productattributevalues$/)).toHaveLength(0);
    expect(again.combinations.map((c) => c.id).sort()).toEqual(combinations.map((c) => c.id).sort());
  });

  it("with a run's attribute memo, later products read no attributes or values; a name the memo lacks is read again, not duplicated", async () => {
    const memo: CcvAttributeMemo = { values: new Map() };
    const shirt = (sku: string, colours: string[]) => ({
      product: { name: sku, price: 10, discount: 0, taxtariff: "normal", productnumber: sku },
      axes: [{ name: "Farbe", values: colours.map((name) => ({ name })) }],
      variants: colours.map((c) => ({ options: { Farbe: c }, sku: `${sku}-${c}` })),
    });
    await client.createVariantProduct(shirt("M1", ["Grün", "Gelb"]), memo);
    sb.log.clear();
    const second = await client.createVariantProduct(shirt("M2", ["Grün", "Gelb"]), memo);
    expect(second.combinations).toHaveLength(2);
    // known attribute and values, new product: only the generated combinations and the read-back
    expect(sb.log.entries.filter((e) => e.method === "GET").map((e) => e.path.replace(API, ""))).toEqual([
      `/products/${second.product.id}/attributecombinations`,
      `/products/${second.product.id}`,
    ]);
    // someone adds a value in CCV: the memo does not know it, so it is read again and reused
    const farbe = memo.attributes!.find((a) => a.name === "Farbe")!;
    const lila = await client.createAttributeValue(farbe.id, { name: "Lila", default_price: 0 });
    sb.log.clear();
    const third = await client.createVariantProduct(shirt("M3", ["Grün", "Lila"]), memo);
    expect(sb.log.find("GET", `${API}/attributes/${farbe.id}/attributevalues`)).toHaveLength(1);
    expect(sb.log.find("POST", /\/attributevalues$/)).toHaveLength(0);
    expect(third.combinations.flatMap((c) => c.combination.map((x) => x.attribute_value.id))).toContain(
      lila.id,
    );
    // a value nobody has yet is created once and remembered
    sb.log.clear();
    await client.createVariantProduct(shirt("M4", ["Orange"]), memo);
    await client.createVariantProduct(shirt("M5", ["Orange"]), memo);
    expect(sb.log.find("POST", /\/attributevalues$/)).toHaveLength(1);
  });

  it("refuses inconsistent variant input before writing anything", async () => {
    sb.log.clear();
    const e = await rejection(
      client.createVariantProduct({
        product: { name: "X", price: 1, discount: 0, taxtariff: "normal" },
        axes: [{ name: "Maat", values: [{ name: "M" }] }],
        variants: [{ options: { Maat: "XL" }, sku: "X-XL" }],
      }),
    );
    expect(e.code).toBe("VALIDATION");
    expect(sb.log.writes()).toHaveLength(0);
  });

  it("finds products and variants by SKU/EAN: products filter first, productqueries for combinations", async () => {
    const p = sb.store.seedProduct({ name: "Lookup", productnumber: "LOOK-1", eannumber: "8700000000011" });
    const { combinations } = await client.createVariantProduct({
      product: { name: "Sok", price: 5, discount: 0, taxtariff: "normal", productnumber: "SOCK" },
      axes: [{ name: "Maat", values: [{ name: "39-42" }, { name: "43-46" }] }],
      variants: [
        { options: { Maat: "39-42" }, sku: "SOCK-S", ean: "8700000000028" },
        { options: { Maat: "43-46" }, sku: "SOCK-L", ean: "8700000000035" },
      ],
    });
    sb.log.clear();
    expect((await client.findBySku("LOOK-1"))?.productId).toBe(p.id);
    expect(sb.log.find("GET", `${API}/productqueries`)).toHaveLength(0);
    const v = await client.findBySku("SOCK-L");
    expect(v?.combination?.id).toBe(combinations.find((c) => c.sku_number === "SOCK-L")?.id);
    expect(sb.log.find("GET", `${API}/productqueries`)[0].query.skunumber).toBe("SOCK-L");
    expect((await client.findByEan("8700000000028"))?.combination?.sku_number).toBe("SOCK-S");
    expect((await client.findByEan("8700000000011"))?.productId).toBe(p.id);
    expect(await client.findBySku("NOPE")).toBeUndefined();
    const direct = await client.productQuery({ skunumber: "SOCK-S" });
    expect(direct.map((x) => (x.kind === "product" ? x.product.productnumber : null))).toEqual(["SOCK"]);
  });

  it.each(["products-with-combinations", "products", "combinations"] as const)(
    "reads every productqueries item shape (%s) and never asks a product sub-resource with a combination id",
    async (shape) => {
      const { product, combinations } = await client.createVariantProduct({
        product: {
          name: `Shape ${shape}`,
          price: 5,
          discount: 0,
          taxtariff: "normal",
          productnumber: `SH-${shape}`,
        },
        axes: [{ name: "Maat", values: [{ name: "S" }, { name: "L" }] }],
        variants: [
          { options: { Maat: "S" }, sku: `SH-${shape}-S`, ean: `87${shape.length}00000001` },
          { options: { Maat: "L" }, sku: `SH-${shape}-L` },
        ],
      });
      const large = combinations.find((c) => c.sku_number === `SH-${shape}-L`)!;
      sb.store.options.productQueryItems = shape;
      try {
        sb.log.clear();
        const direct = await client.productQuery({ skunumber: `SH-${shape}-L` });
        expect(direct.map((h) => h.kind)).toEqual([shape === "combinations" ? "combination" : "product"]);
        const v = await client.findBySku(`SH-${shape}-L`);
        expect(v).toMatchObject({
          productId: product.id,
          combination: { id: large.id, product_id: product.id },
        });
        expect((await client.findByEan(`87${shape.length}00000001`))?.combination?.sku_number).toBe(
          `SH-${shape}-S`,
        );
        expect(await client.findBySku(`SH-${shape}-XL`)).toBeUndefined();
        const subReads = sb.log.entries.filter((e) => /\/products\/\d+\//.test(e.path));
        for (const r of subReads) expect(r.path).toContain(`/products/${product.id}/`);
        // only the bare product shape needs the product's combinations read separately
        expect(subReads.length > 0).toBe(shape === "products");
      } finally {
        sb.store.options.productQueryItems = "products-with-combinations";
      }
    },
  );

  it("manages categories, the tree and product-to-category links", async () => {
    const root = await client.createCategory({ name: "Servies" });
    const child = await client.createCategory({ name: "Mokken", parentcategory_id: root.id });
    await client.updateCategory(child.id, { description: "Alle mokken", show_on_website: false });
    const all = [];
    for await (const c of client.paginateCategories()) all.push(c);
    expect(all.find((c) => c.id === child.id)).toMatchObject({
      parentcategory: { id: root.id },
      description: "Alle mokken",
      show_on_website: false,
    });
    const tree = await client.getCategoryTree();
    const node = tree.root_categories.find((n) => n.id === root.id);
    expect(node?.children.map((n) => n.name)).toEqual(["Mokken"]);
    expect((await client.getCategories([child.id]))[0]?.name).toBe("Mokken");

    const p = sb.store.seedProduct({ name: "Mok" });
    const link = await client.createProductToCategory({ product_id: p.id, category_id: child.id });
    expect(link).toMatchObject({ product_id: p.id, category_id: child.id });
    expect((await client.listProductToCategories(p.id)).map((l) => l.category_id)).toEqual([child.id]);
    const withLinks = await client.getProduct(p.id, {
      expand: ["producttocategories", "attributecombinations"],
    });
    expect(sb.log.find("GET", `${API}/products/${p.id}`).at(-1)?.rawQuery).toBe(
      "expand=producttocategories%2Cattributecombinations",
    );
    expect(ccvProductToDomain(withLinks).categoryIds).toEqual([String(child.id)]);
    await client.deleteProductToCategory(link.id);
    expect(await client.listProductToCategories(p.id)).toEqual([]);
  });

  it("finds or creates attributes and values once", async () => {
    const a1 = await client.findOrCreateAttribute("Materiaal");
    const a2 = await client.findOrCreateAttribute(" materiaal ");
    expect(a2.id).toBe(a1.id);
    expect(a1.type).toBe("option_menu_required");
    const v1 = await client.findOrCreateAttributeValue(a1.id, "Katoen", 1.5);
    const v2 = await client.findOrCreateAttributeValue(a1.id, "KATOEN");
    expect(v2.id).toBe(v1.id);
    expect((await client.listAttributeValues(a1.id)).map((v) => [v.name, v.default_price])).toEqual([
      ["Katoen", 1.5],
    ]);
    const p = sb.store.seedProduct({ name: "Shirt" });
    const pav = await client.createProductAttributeValue(p.id, { optionvalue: v1.id, price: 1.5, stock: 4 });
    expect(pav).toMatchObject({ optionid: a1.id, optionvalue_id: v1.id, price: 1.5 });
    expect((await client.listProductAttributeValues(p.id)).map((x) => x.id)).toEqual([pav.id]);
    const [combo] = await client.listAttributeCombinations(p.id);
    expect(combo.stock).toBe(4);
    await client.setCombinationStock(combo.id, 9);
    await client.updateAttributeCombination(combo.id, { sku_number: "SHIRT-K" });
    expect(await client.getAttributeCombination(combo.id)).toMatchObject({ stock: 9, sku_number: "SHIRT-K" });
  });

  it("manages product properties: groups, properties, options, links and values", async () => {
    const group = await client.createPropertyGroup("Kenmerken");
    const origin = await client.createProperty(group.id, { name: "Land van herkomst" });
    const material = await client.createProperty(group.id, { name: "Materiaal", type: "option" });
    const option = await client.createPropertyOption(material.id, { name: "Porselein", position: 1 });
    expect((await client.listPropertyGroups()).map((g) => g.name)).toContain("Kenmerken");
    expect((await client.listProperties(group.id)).map((p) => p.name)).toEqual([
      "Land van herkomst",
      "Materiaal",
    ]);
    expect((await client.listPropertyOptions(material.id)).map((o) => o.id)).toEqual([option.id]);
    const p = sb.store.seedProduct({ name: "Mok" });
    await client.createProductToPropertyGroup(p.id, group.id);
    const v1 = await client.createProductPropertyValue({
      product_id: p.id,
      product_property_id: origin.id,
      value: "Nederland",
    });
    await client.createProductPropertyValue({
      product_id: p.id,
      product_property_id: material.id,
      value: option.id,
    });
    await client.updateProductPropertyValue(v1.id, "België");
    expect((await client.getProductPropertyValue(v1.id)).value).toBe("België");
    const [link] = await client.listProductToPropertyGroups(p.id);
    expect(link.values?.collection?.map((v) => v.value)).toEqual(["België", option.id]);
  });
});

describe("CCV client ⇄ sandbox: orders, customers, webhooks", () => {
  let sb: CcvSandbox;
  let client: CcvClient;
  beforeAll(async () => {
    sb = await CcvSandbox.start({ limits: HIGH, seed: { orderNumberStart: 1042 } });
    client = new CcvClient(sb.connection, deps(), FAST);
  });
  afterAll(() => sb.stop());
  beforeEach(() => sb.resetControls());

  it("creates an order with a b2b customer and rows (product, variant, free row) and reads it back", async () => {
    const mug = sb.store.seedProduct({
      name: "Koffiemok",
      productnumber: "MUG-001",
      price: 12.95,
      discount: 2.95,
      vatrate: 21,
    });
    const { product: tee, combinations } = await client.createVariantProduct({
      product: { name: "Tee", price: 20, discount: 0, taxtariff: "normal", productnumber: "TEE" },
      axes: [{ name: "Maat", values: [{ name: "M" }, { name: "L", price: 2.5 }] }],
      variants: [
        { options: { Maat: "M" }, sku: "TEE-M" },
        { options: { Maat: "L" }, sku: "TEE-L" },
      ],
    });
    const large = combinations.find((c) => c.sku_number === "TEE-L")!;
    const order = await client.createOrder({
      is_completed: true,
      paid: true,
      status: 7,
      currency: "EUR",
      order_row_taxes_included: true,
      total_shipping: 0,
      deliver_method: "shipping",
      reservationnumber: "ecwid-5001",
      customer: {
        email: "jan@example.com",
        customertype: "b2b",
        btw: "NL000099998B57",
        billingaddress: {
          first_name: "Jan",
          last_name: "Jansen",
          company: "Jansen BV",
          street: "Dorpsstraat",
          housenumber: 1,
          housenumber_suffix: "A",
          zipcode: "1234AB",
          city: "Utrecht",
          country_code: "NL",
        },
      },
      orderrows: [
        { product_id: mug.id, count: 2 },
        { product_id: tee.id, attribute_combination_id: large.id, count: 1 },
        {
          product_name: "Cadeauverpakking",
          product_number: "GIFT",
          count: 1,
          price: 2.5,
          tax: 21,
          package_id: [...sb.store.packages.keys()][0],
        },
      ],
    });
    expect(order).toMatchObject({
      ordernumber: 1042,
      ordernumber_full: "1042",
      status: 7,
      paid: true,
      total_orderrow_price: 45,
      total_price: 45,
    });
    const rows = await client.listOrderRows(order.id);
    expect(rows.map((r) => [r.product_name, r.sub_sku_number, r.total_price_with_attributes])).toEqual([
      ["Koffiemok", "", 20],
      ["Tee", "TEE-L", 22.5],
      ["Cadeauverpakking", "", 2.5],
    ]);
    const domain = ccvOrderToDomain(await client.getOrder(order.id), rows);
    expect(domain).toMatchObject({
      number: "1042",
      isCompany: true,
      companyName: "Jansen BV",
      externalReference: "ecwid-5001",
      total: "45",
    });
    expect(domain.lines[1]).toMatchObject({
      sku: "TEE-L",
      unitPrice: "22.5",
      options: [{ name: "Maat", value: "L" }],
    });
  });

  it("patches orders and filters the order list (status, paid, dates, completed) and finds our reference", async () => {
    const p = sb.store.seedProduct({ name: "Mok" });
    const paidOrder = await client.createOrder({
      customer: { email: "a@example.com" },
      orderrows: [{ product_id: p.id, count: 1 }],
      paid: true,
      reservationnumber: "ref-A",
    });
    const open = await client.createOrder({
      customer: { email: "b@example.com" },
      orderrows: [{ product_id: p.id, count: 1 }],
    });
    const basket = await client.createOrder({
      customer: { email: "c@example.com" },
      orderrows: [{ product_id: p.id, count: 1 }],
      is_completed: false,
    });
    await client.updateOrder(open.id, {
      status: 5,
      track_and_trace_code: "3SABC1234567",
      track_and_trace_carrier: "PostNL",
    });
    expect(await client.getOrder(open.id)).toMatchObject({ status: 5, track_and_trace_code: "3SABC1234567" });

    const ids = async (f: Parameters<CcvClient["paginateOrders"]>[0]) => {
      const out: number[] = [];
      for await (const o of client.paginateOrders(f)) out.push(o.id);
      return out;
    };
    expect(await ids({ is_paid: true })).toContain(paidOrder.id);
    expect(await ids({ is_paid: true })).not.toContain(open.id);
    expect(await ids({ status: 5 })).toEqual([open.id]);
    expect(await ids({ is_completed: false })).toEqual([basket.id]);
    expect(await ids({})).not.toContain(basket.id);
    const since = new Date(Date.now() - 60_000);
    expect(await ids({ min_create_date: since })).toEqual(expect.arrayContaining([paidOrder.id, open.id]));
    expect(await ids({ max_create_date: new Date(Date.now() - 3_600_000) })).toEqual([]);
    const sent = sb.log.find("GET", `${API}/orders`).find((e) => e.query.min_create_date);
    expect(sent?.query.min_create_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await client.findOrderByReference("ref-A", since))?.id).toBe(paidOrder.id);
    expect(await client.findOrderByReference("ref-none", since)).toBeUndefined();
    expect((await client.getOrders([open.id, 1])).map((o) => o?.id ?? null)).toEqual([open.id, null]);
  });

  it("creates users with the e-mail as username and keeps the e-mail index right across creates", async () => {
    const index = new InMemoryCustomerEmailIndex();
    const c = new CcvClient(sb.connection, { ...deps(), emailIndex: index }, FAST);
    sb.store.seedUser("backoffice@example.com", { customertype: "b2c" });
    sb.store.seedUser("other@example.com", {}, "someone-else");

    const created = [];
    for (const email of ["Piet@Example.com", "kees@example.com", "marie@example.com"]) {
      created.push(
        await c.createUser({
          userinfo: { email, customertype: "b2c", billingaddress: { first_name: email.split("@")[0] } },
        }),
      );
    }
    const post = JSON.parse(sb.log.find("POST", `${API}/users`)[0].body);
    expect(post.username).toBe("piet@example.com");
    expect(post.password).toMatch(/^.{32}$/);
    expect(created[0]).not.toHaveProperty("password");
    expect(await index.size()).toBe(3);
    expect(await index.get(emailHash("PIET@example.com ")!)).toBe(String(created[0].id));

    // hits come from the index and are confirmed with one GET each: no scan
    sb.log.clear();
    for (const [i, email] of ["piet@example.com", "KEES@example.com", "marie@example.com"].entries()) {
      expect((await c.findUserByEmail(email))?.id).toBe(created[i].id);
    }
    expect(sb.log.find("GET", `${API}/users`)).toHaveLength(0);
    expect(sb.log.find("GET", /\/users\/\d+$/)).toHaveLength(3);

    // a back-office account: the never-refreshed index is filled once by paging users
    expect((await c.findUserByEmail("backoffice@example.com"))?.username).toBe("backoffice@example.com");
    expect((await c.findUserByEmail("other@example.com"))?.username).toBe("someone-else");
    expect(sb.log.find("GET", `${API}/users`)).toHaveLength(1);
    expect(await index.lastRefreshedAt()).toBeInstanceOf(Date);

    // a miss on a fresh index does not scan again
    expect(await c.findUserByEmail("nobody@example.com")).toBeUndefined();
    expect(sb.log.find("GET", `${API}/users`)).toHaveLength(1);

    // a create after the refresh is found without a scan
    const late = await c.createUser({ userinfo: { email: "late@example.com" } });
    expect((await c.findUserByEmail("late@example.com"))?.id).toBe(late.id);
    expect(sb.log.find("GET", `${API}/users`)).toHaveLength(1);

    // a stale entry (account deleted in the back office) is dropped, not returned
    sb.store.deleteUser(created[1].id);
    expect(await c.findUserByEmail("kees@example.com")).toBeUndefined();
    expect(await index.get(emailHash("kees@example.com")!)).toBeUndefined();

    // an account whose e-mail changed no longer matches its old address
    await c.updateUser(created[2].id, { userinfo: { email: "marie.new@example.com" } });
    expect(await c.findUserByEmail("marie@example.com")).toBeUndefined();
    expect((await c.findUserByEmail("marie.new@example.com"))?.id).toBe(created[2].id);

    // an index older than the maximum age is refreshed on a miss
    const aged = new CcvClient(
      sb.connection,
      { ...deps(), emailIndex: index },
      { ...FAST, emailIndexMaxAgeMs: 0 },
    );
    sb.log.clear();
    expect(await aged.findUserByEmail("nobody@example.com")).toBeUndefined();
    expect(sb.log.find("GET", `${API}/users`)).toHaveLength(1);

    // the username is unique at CCV: a second account for the same e-mail is refused
    expect((await rejection(c.createUser({ userinfo: { email: "piet@example.com" } }))).vendorCode).toBe(
      "500.40",
    );
  });

  it("reads users and paymethods", async () => {
    const u = sb.store.seedUser("reader@example.com", {
      customertype: "b2b",
      billingaddress: { company: "Lezer BV" },
    });
    expect((await client.getUser(u.id)).userinfo?.customertype).toBe("b2b");
    expect((await client.getUsers([u.id, 1]))[1]).toBeNull();
    const all = [];
    for await (const x of client.paginateUsers()) all.push(x.id);
    expect(all).toContain(u.id);
    expect((await client.listPaymethods()).map((p) => p.combined_name)).toContain("BankTransfer");
  });

  describe("webhooks", () => {
    let receiver: RunningServer;
    const inbox: { path: string; headers: Record<string, string | string[] | undefined>; raw: Buffer }[] = [];
    beforeAll(async () => {
      receiver = await startHttpServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        inbox.push({ path: req.url ?? "", headers: req.headers, raw: Buffer.concat(chunks) });
        res.writeHead(200).end();
      });
    });
    afterAll(() => receiver.close());

    it("registers one URL per event, keeps each key, reuses registrations, deletes", async () => {
      const events = ["orders.created", "orders.updated.status", "orders.updated.ispaid"] as const;
      const regs = await client.ensureWebhooks(events, (e) => ccvWebhookAddress(receiver.url, "int-7", e));
      expect(regs.map((r) => r.event)).toEqual([...events]);
      expect(new Set(regs.map((r) => r.key)).size).toBe(3);
      expect(regs[0].address).toBe(`${receiver.url}/webhooks/ccv/int-7/orders.created`);
      sb.log.clear();
      const again = await client.ensureWebhooks(events, (e) => ccvWebhookAddress(receiver.url, "int-7", e));
      expect(again).toEqual(regs);
      expect(sb.log.writes()).toHaveLength(0);
      expect((await client.listWebhooks()).map((w) => w.event).sort()).toEqual([...events].sort());

      // the gateway route: event from the path, verify with the stored key, re-fetch the order
      const p = sb.store.seedProduct({ name: "Mok", price: 10 });
      const order = await client.createOrder({
        customer: { email: "hook@example.com" },
        orderrows: [{ product_id: p.id, count: 1 }],
      });
      await client.updateOrder(order.id, { status: 5 });
      await sb.webhooks.waitFor(
        (d) => d.event === "orders.updated.status" && d.body.includes(`:${order.id},`),
      );
      await sb.webhooks.idle();
      const statusHook = inbox.find(
        (d) => d.path.endsWith("/orders.updated.status") && d.raw.toString().includes(`:${order.id},`),
      )!;
      const event = statusHook.path.split("/").at(-1)!;
      const reg = regs.find((r) => r.event === event)!;
      expect(
        verifyCcvWebhook({
          key: reg.key,
          address: reg.address,
          rawBody: statusHook.raw,
          headers: statusHook.headers,
          mode: "require",
        }),
      ).toEqual({
        ok: true,
        verified: true,
      });
      expect(
        verifyCcvWebhook({
          key: regs[0].key,
          address: reg.address,
          rawBody: statusHook.raw,
          headers: statusHook.headers,
        }).ok,
      ).toBe(false);
      const payload = parseCcvWebhook(event, statusHook.raw);
      expect(payload.order).toMatchObject({ previousStatus: 1, status: 5, orderNumber: order.ordernumber });
      const subject = await client.fetchWebhookSubject(payload);
      expect(subject).toMatchObject({ entity: "order", order: { id: order.id, status: 5 } });
      expect(
        inbox.some((d) => d.path.endsWith("/orders.created") && d.raw.toString().includes(`:${order.id},`)),
      ).toBe(true);

      for (const r of regs) await client.deleteWebhook(r.id);
      expect(await client.listWebhooks()).toEqual([]);
    });

    it("re-fetches products and reports deleted ones as gone", async () => {
      const p = sb.store.seedProduct({ name: "Gone soon" });
      expect(
        await client.fetchWebhookSubject(parseCcvWebhook("products.updated", `{"id":${p.id}}`)),
      ).toMatchObject({
        entity: "product",
        product: { id: p.id },
      });
      sb.store.deleteProduct(p.id);
      expect(await client.fetchWebhookSubject(parseCcvWebhook("products.deleted", `{"id":${p.id}}`))).toEqual(
        {
          entity: "product",
          gone: true,
          id: String(p.id),
        },
      );
    });
  });
});

describe("CCV client ⇄ sandbox: rate limits (429.10 / 429.11)", () => {
  it("waits out a 429.10, penalising only that lane, and succeeds", async () => {
    const sb = await CcvSandbox.start({ limits: { ...HIGH, write: 3 }, windowMs: 1_000 });
    try {
      const budget = new RecordingBudget();
      const client = new CcvClient(sb.connection, deps({ budget }), { ...FAST, rateLimitWaitMs: 1_100 });
      const p = sb.store.seedProduct({ name: "Busy", stockenabled: true, stock: 0 });
      for (let i = 1; i <= 5; i++) await client.setProductStock(p.id, i);
      expect(sb.store.getProduct(p.id).stock).toBe(5);
      const patches = sb.log.find("PATCH", `${API}/products/${p.id}`);
      const limited = patches.filter((e) => e.status === 429);
      expect(limited.length).toBeGreaterThanOrEqual(1);
      expect(patches.filter((e) => e.status === 204)).toHaveLength(5);
      expect(new Set(budget.penalties.map((x) => x.lane))).toEqual(new Set(["PATCH /products/{id}"]));
    } finally {
      await sb.stop();
    }
  });

  it("surfaces RATE_LIMITED with the wait when it is longer than the transport may wait in-process", async () => {
    const sb = await CcvSandbox.start({ limits: { ...HIGH, productqueries: 1 } });
    try {
      const client = new CcvClient(
        sb.connection,
        deps({ transport: { initialDelayMs: 20, maxRetryAfterMs: 100 } }),
        {
          ...FAST,
          rateLimitWaitMs: 5_000,
        },
      );
      await client.productQuery({ skunumber: "A" });
      const e = await rejection(client.productQuery({ skunumber: "B" }));
      expect(e).toMatchObject({ code: "RATE_LIMITED", vendorCode: "429.10", retryAfterMs: 5_000 });
    } finally {
      await sb.stop();
    }
  });

  it("treats 429.11 (total budget) as a block on every lane of the credential, new lanes included", async () => {
    const sb = await CcvSandbox.start({ limits: { ...HIGH, total: 2 }, windowMs: 1_000 });
    try {
      const budget = new RecordingBudget();
      const client = new CcvClient(
        sb.connection,
        deps({ budget, transport: { initialDelayMs: 20, maxRetryAfterMs: 100 } }),
        {
          ...FAST,
          rateLimitWaitMs: 1_500,
        },
      );
      await client.getWebshops();
      await client.listPaymethods();
      const e = await rejection(client.listPackages());
      expect(e).toMatchObject({ code: "RATE_LIMITED", vendorCode: "429.11", retryAfterMs: 1_500 });
      expect(new Set(budget.penalties.map((x) => x.lane))).toEqual(
        new Set(["GET /webshops", "GET /paymethods", "GET /packages"]),
      );
      // a lane first used during the block is blocked too, and goes through once it has passed
      const settings = await client.getSettings(1);
      expect(settings.currency).toBe("EUR");
      expect(budget.penalties.map((x) => x.lane)).toContain("GET /webshops/{id}/settings");
    } finally {
      await sb.stop();
    }
  });
});
