/// <reference lib="dom" />
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import {
  ConsoleIntegrationsDocument,
  CreateApiKeyDocument,
  FlowDetailDocument,
  RunSyncDocument,
  type ConsoleIntegrationsQuery,
} from "../../sdk/generated/graphql";
import type { EcwidProduct } from "../../src/connectors/ecwid";
import { launchChromium, screenshot } from "../support/browser";
import { webOrder } from "../support/web-orders";
import { startWorld, type World } from "../support/world";

/**
 * The operator console in real headless Chromium against the gateway and both sandboxes: the
 * wizard sets up a working integration, a run is followed live to its end, a failed order is found
 * by SKU and retried, a mapping is edited with a live preview, and a VIEWER key is offered nothing
 * that changes anything. Every page is photographed into artifacts/screenshots/.
 */

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const ORDERS = 24;
const MISSING_SKU = "LAMP-9";

const products: EcwidProduct[] = [
  {
    id: 700100,
    name: "Koffiemok",
    sku: "MUG-01",
    price: 12.5,
    quantity: 40,
    unlimited: false,
    enabled: true,
  },
  { id: 700200, name: "Theepot", sku: "POT-02", price: 29.95, quantity: 8, unlimited: false, enabled: true },
];

jest.setTimeout(240_000);

describe("operator console in Chromium", () => {
  let w: World;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  /** delay per recorded item, so a run lasts long enough to be watched (no timing is asserted) */
  let pace = 0;
  let integrationId = "";

  beforeAll(async () => {
    // the console is built from the repository exactly as `npm start` builds it (only when stale)
    execFileSync(process.execPath, [path.resolve(__dirname, "../../scripts/build-console.mjs")], {
      stdio: "inherit",
    });
    w = await startWorld({
      ecwid: {
        seed: {
          products,
          categories: [{ id: 9691094, name: "Keuken", orderBy: 10, enabled: true }],
        },
      },
      gateway: { env: { GATEWAY_ALLOW_LOCAL_UPSTREAMS: "true" } },
      engine: { hooks: { beforeRecord: () => (pace ? new Promise((r) => setTimeout(r, pace)) : undefined) } },
    });
    w.ccv.store.seedProduct({ name: "Koffiemok", productnumber: "MUG-01", price: 12.5 });
    w.ccv.store.seedProduct({ name: "Theepot", productnumber: "POT-02", price: 27.5 });
    for (let n = 1; n <= ORDERS; n++)
      w.ecwid.store.createOrder(webOrder(`klant${n}@example.com`, "MUG-01", 700100, `Klant ${n}`));
    w.ecwid.store.createOrder(webOrder("lamp@example.com", MISSING_SKU, undefined, "Lampen Liefhebber"));
    browser = await launchChromium();
    admin = await browser.newContext({ viewport: DESKTOP });
    page = await admin.newPage();
    page.setDefaultTimeout(20_000);
  });
  afterAll(async () => {
    await browser?.close();
    await w?.stop();
  });

  const open = (p: string) => page.goto(`${w.t.url}/app${p}`);
  const integrations = async (): Promise<ConsoleIntegrationsQuery["integrations"]> =>
    (await w.gql(ConsoleIntegrationsDocument, {})).integrations;

  it("serves the console at /app from the gateway, with an SPA fallback and cache headers", async () => {
    const index = await fetch(`${w.t.url}/app/i/anything/activity`);
    expect(index.status).toBe(200);
    expect(index.headers.get("cache-control")).toBe("no-cache");
    expect(index.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await index.text();
    const asset = /src="(\/app\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const js = await fetch(`${w.t.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get("cache-control")).toMatch(/max-age=31536000.*immutable/);
    expect((await fetch(`${w.t.url}/app/assets/missing.js`)).status).toBe(404);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // no CDN
  });

  it("signs in with an API key kept for the browser session only, and explains a wrong one", async () => {
    await open("/");
    await page.getByLabel("API key").fill("gwk_not_a_real_key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("did not accept this key").waitFor();
    await screenshot(page, "01-sign-in");
    await page.getByLabel("API key").fill(w.key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Integrations" }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem("gateway.console.apiKey"))).toBe(w.key);
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(w.key);
    await screenshot(page, "02-integrations");
  });

  it("the setup wizard creates a working integration: tested credentials, flows with their questions, a dry run, switch on", async () => {
    await page.getByRole("button", { name: "Set up a new integration" }).click();
    await page.getByLabel("Integration name").fill("Webshop en kassa");
    await page.getByRole("button", { name: "Continue" }).click();

    // Ecwid: a wrong token is answered in words, then the right one works
    await page.getByLabel("Store ID").fill("not a number");
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByText("The store id is a number").waitFor();
    await page.getByLabel("Store ID").fill(String(w.ecwid.storeId));
    await page.getByLabel("Secret token").fill("secret_this_is_not_the_token");
    await page.getByText("Advanced: API address").click();
    await page.getByLabel("Ecwid API address").fill(w.ecwid.url);
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByText("Ecwid did not accept this.").waitFor();
    await page.getByLabel("Secret token").fill(w.ecwid.token);
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByText("It works.").waitFor();
    await screenshot(page, "03-wizard-ecwid");
    await page.getByRole("button", { name: "Continue" }).click();

    // CCV: wrong input is explained next to the field
    await page.getByLabel("Shop address").fill("ftp://kassa.example.com");
    await page.getByLabel("Public key").fill(w.ccv.publicKey);
    await page.getByLabel("Secret key").fill(w.ccv.secretKey);
    await page.getByRole("button", { name: "Test connection" }).click();
    const shopField = page.locator(".field", { has: page.getByLabel("Shop address") });
    await shopField
      .locator(".field-error")
      .getByText(/ccv\.baseUrl must/)
      .waitFor();
    await page.getByLabel("Shop address").fill(w.ccv.baseUrl);
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByText("It works.").waitFor();
    await page.getByRole("button", { name: "Save integration and continue" }).click();

    // flows and their questions; a refusal is shown next to the field it is about
    await page.getByText("Choose what the gateway should keep in step").waitFor();
    integrationId = (await integrations()).find((i) => i.name === "Webshop en kassa")!.id;
    const orders = page.locator(".flow-card", { hasText: "Web shop orders to the till" });
    await orders.getByRole("checkbox", { name: /Web shop orders to the till/ }).check();
    expect(await orders.getByRole("checkbox", { name: "Paid" }).isChecked()).toBe(true);
    await orders.getByRole("radio", { name: /One fixed customer/ }).check();
    await page
      .locator(".flow-card", { hasText: "Products to the till" })
      .getByRole("checkbox")
      .first()
      .check();
    await page.getByRole("radio", { name: "Ecwid is the stock master" }).check();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await orders
      .locator(".field-error")
      .getByText(/needs defaultDebtor/)
      .waitFor();
    await screenshot(page, "04-wizard-flows");
    await orders.getByRole("radio", { name: /The order's own customer/ }).check();
    await page.getByRole("button", { name: "Save and continue" }).click();

    // the dry run shows real records and the payload, and writes nothing
    await page.getByRole("button", { name: "Start the dry run" }).click();
    const plan = page.locator(".card", { hasText: "Web shop orders to the till" });
    await plan.getByText(`${ORDERS} to create`).waitFor({ timeout: 60_000 });
    await plan.getByText("would create").first().waitFor();
    await plan.getByText("Payload it would send").first().click();
    await plan.locator("pre.json").first().waitFor();
    // the products' plan: their VAT rate has no TAX_RATE value mapping yet, and the plan says so
    const productPlan = page.locator(".card", { hasText: "Products to the till" });
    await productPlan.getByText("would fail").first().waitFor({ timeout: 60_000 });
    await productPlan
      .getByText(/TAX_RATE value mapping/)
      .first()
      .waitFor();
    expect(w.ccv.store.orders.size).toBe(0);
    await screenshot(page, "05-wizard-dry-run");

    // the page can be left and resumed: the step comes from the stored configuration
    await open("/");
    await page
      .locator(".integration-card", { hasText: "Webshop en kassa" })
      .getByRole("link", { name: "Continue setup" })
      .click();
    await page.getByRole("button", { name: "Switch on" }).waitFor();
    await page.getByRole("button", { name: "Switch on" }).click();
    const switchList = page.locator(".switch-list");
    await switchList
      .locator("li", { hasText: "Products to the till" })
      .getByText("On", { exact: true })
      .waitFor();
    await switchList
      .locator("li", { hasText: "Web shop orders to the till" })
      .getByText("On", { exact: true })
      .waitFor();
    await screenshot(page, "06-wizard-switch-on");

    const created = (await integrations()).find((i) => i.id === integrationId)!;
    expect(created.ecwid.status).toBe("OK");
    expect(created.ccv.status).toBe("OK");
    const flow = created.flows.find((f) => f.kind === "ORDERS_ECWID_TO_CCV")!;
    expect(flow).toMatchObject({ enabled: true, schedule: "*/15 * * * *" });
    expect(flow.settings).toMatchObject({ orderStatuses: ["PAID"], useDefaultDebtor: false });
    expect(created.flows.find((f) => f.kind === "PRODUCTS_ECWID_TO_CCV")!.enabled).toBe(true);
  });

  it("shows a run progressing live on the dashboard and finishing", async () => {
    // (the stock flow the wizard switched on follows the booked orders with a run of its own: the
    // orders run is told apart by its flow's name)
    await page.getByRole("link", { name: "Open the dashboard" }).click();
    await page.getByRole("heading", { name: "Runs in progress" }).waitFor();
    pace = 150;
    await page.getByRole("button", { name: "Run Web shop orders to the till now" }).click();
    const bar = page.getByRole("progressbar", { name: "Progress of Web shop orders to the till" }).first();
    await page.waitForFunction(
      () => {
        const el = document.querySelector(
          '[role="progressbar"][aria-label="Progress of Web shop orders to the till"]',
        );
        const v = Number(el?.getAttribute("aria-valuenow"));
        return v >= 25 && v < 100;
      },
      undefined,
      { timeout: 60_000, polling: 50 },
    );
    const midway = Number(await bar.getAttribute("aria-valuenow"));
    expect(midway).toBeGreaterThan(0);
    expect(midway).toBeLessThan(100);
    await page
      .locator(".run-live")
      .first()
      .getByText(/left, done around/)
      .waitFor();
    await screenshot(page, "07-dashboard-live-run");
    await page
      .locator(".run-live", { hasText: "Web shop orders to the till" })
      .first()
      .getByText("Done, some failed")
      .waitFor({ timeout: 90_000 });
    pace = 0;
    expect(await bar.getAttribute("aria-valuenow")).toBe("100");
    await page
      .locator(".run-live", { hasText: "Web shop orders to the till" })
      .first()
      .getByText(`${ORDERS} created · 1 failed`)
      .waitFor();
    // the flows table follows: last run and the failing item
    await page.getByRole("link", { name: "1 failed", exact: true }).waitFor();
    await page.locator(".chart svg rect").first().waitFor();
    await screenshot(page, "08-dashboard");
    expect(w.ccv.store.orders.size).toBe(ORDERS);
  });

  it("finds a failed order by SKU, shows its payloads and field changes, and retries it from the UI", async () => {
    await page.getByRole("link", { name: "Activity log" }).click();
    await page.getByLabel("SKU").fill(MISSING_SKU.toLowerCase());
    await page.getByRole("button", { name: "Search" }).click();
    // the dry run's plan for the order failed too; the newest item (the real run's) comes first
    await page.getByRole("heading", { name: "2 items" }).waitFor();
    await page.locator(".items-table tbody tr").first().getByRole("button").click();
    const detail = page.locator(".item-detail");
    await detail.getByText("MISSING_PRODUCT:").waitFor();
    await detail.getByText(new RegExp(`not found in CCV SalesPOS: ${MISSING_SKU}`)).waitFor();
    await containsText(detail.getByLabel("Payload from Ecwid"), `"sku": "${MISSING_SKU}"`);
    await detail.getByText("Nothing was sent: the item failed before that.").waitFor();
    await screenshot(page, "09-activity-failed-item");

    // the product now exists in CCV: the retry books the order
    const lamp = w.ccv.store.seedProduct({ name: "Tafellamp", productnumber: MISSING_SKU, price: 12.5 });
    await detail.getByRole("button", { name: "Retry the failed items of this run" }).click();
    await detail.getByText("Retry finished:").waitFor({ timeout: 60_000 });
    await detail.getByText("1 created").waitFor();
    await detail.getByRole("button", { name: "Show the new result" }).click();
    await detail.getByText("Done", { exact: true }).waitFor();
    await containsText(detail.getByLabel("Payload sent to CCV SalesPOS"), `"product_id": ${lamp.id}`);
    const changes = detail.locator("table.changes tbody tr");
    expect(await changes.count()).toBeGreaterThan(0);
    await containsText(detail.locator("table.changes"), "reservationnumber");
    await screenshot(page, "10-activity-retried-item");
    expect(w.ccv.store.orders.size).toBe(ORDERS + 1);
  });

  it("edits a mapping with a live preview on a real record, pointing at the error in a bad expression", async () => {
    await page.getByRole("link", { name: "Mappings" }).click();
    await page.getByRole("button", { name: "Edit the mapping of reservationnumber" }).click();
    const editor = page.locator(".editor");
    const expression = editor.getByLabel("Expression", { exact: true });
    const preview = editor.getByTestId("mapping-preview");
    await preview.locator(".preview-value").waitFor();
    await editor.getByRole("radio", { name: "A JSONata expression" }).check();
    await expression.fill('"WEB-" & id');
    await containsText(preview.locator(".preview-value"), '"WEB-');
    await expression.fill('"WEB-" & (id');
    await editor.getByText(/invalid expression/).waitFor();
    await editor.getByText(/← character \d+/).waitFor();
    await screenshot(page, "11-mapping-error");
    await expression.fill('"WEB-" & id');
    await containsText(preview.locator(".preview-value"), '"WEB-');
    await screenshot(page, "12-mapping-preview");
    await screenshot(editor, "12-mapping-editor");
    await editor.getByRole("button", { name: "Save mapping" }).click();
    const row = page.locator(".mappings-table tr", { hasText: "reservationnumber" });
    await row.getByText("yours").waitFor();
    await containsText(row, '"WEB-" & id');

    // value maps offer the codes recent items carried: POS sales paid by pin
    const mug = [...w.ccv.store.products.values()].find((p) => p.productnumber === "MUG-01")!;
    const pin = [...w.ccv.store.paymethods.values()].find((m) => m.combined_name === "PinTerminal")!;
    for (const n of [1, 2]) {
      const sale = w.ccv.store.createOrder({
        customer: {
          email: `kassa${n}@example.com`,
          billingaddress: { first_name: "Kassa", last_name: `${n}` },
        },
        orderrows: [{ product_id: mug.id, count: 1 }],
        is_completed: true,
        paid: true,
        status: 7,
      });
      sale.fields.paymethod_id = pin.id;
    }
    const posRun = await w.gql(RunSyncDocument, {
      integrationId,
      flow: "ORDERS_CCV_TO_ECWID",
      options: { full: true },
    });
    await w.waitRun(posRun.runSync.id);
    await page.reload();
    const maps = page.locator(".card", { hasText: "Value maps" });
    await maps.getByRole("button", { name: "Add a row for PinTerminal (seen 2 times)" }).click();
    await maps.getByLabel("Becomes, for code PinTerminal").fill("Pinnen aan de kassa");
    await maps.getByRole("button", { name: "Save payment methods" }).click();
    await maps.getByText("Saved.").waitFor();
    await screenshot(maps, "12-value-maps");
    const saved = (await w.gql(FlowDetailDocument, { id: integrationId, kind: "ORDERS_CCV_TO_ECWID" }))
      .integration!.flow.valueMappings;
    expect(saved).toEqual([{ kind: "PAYMENT_METHOD", from: "PinTerminal", to: "Pinnen aan de kassa" }]);
  });

  it("shows the catalogue with both sides next to each other, differences highlighted, and the stock explained", async () => {
    await page.getByRole("link", { name: "Catalogue" }).click();
    const pot = page.locator(".product", { hasText: "POT-02" });
    await pot.getByText(/\d+ different/).waitFor();
    await pot.getByRole("button").first().click();
    const price = pot.locator("tr.diff", { hasText: "Price" });
    await containsText(price, "29.95");
    await containsText(price, "27.5");
    await pot.getByText("Reserved is what the other side already sold").waitFor();
    await screenshot(page, "13-catalogue");
  });

  it("fits a phone-sized screen", async () => {
    await page.setViewportSize(PHONE);
    await open(`/i/${integrationId}`);
    await page.getByRole("heading", { name: "Runs in progress" }).waitFor();
    await screenshot(page, "14-phone-dashboard");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await open(`/i/${integrationId}/activity?sku=${MISSING_SKU}`);
    await page.locator(".items-table").waitFor();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await screenshot(page, "15-phone-activity");
    await page.setViewportSize(DESKTOP);
  });

  it("offers a VIEWER key nothing that changes anything", async () => {
    const key = (await w.gql(CreateApiKeyDocument, { name: "shop screen", role: "VIEWER" })).createApiKey
      .secret;
    const viewer = await browser.newContext({ viewport: DESKTOP });
    const p = await viewer.newPage();
    await p.goto(`${w.t.url}/app/`);
    await p.getByLabel("API key").fill(key);
    await p.getByRole("button", { name: "Sign in" }).click();
    await p.getByRole("heading", { name: "Integrations" }).waitFor();
    await p.getByText("Read only").waitFor();
    const MUTATING =
      /run|retry|replay|cancel|save|edit|test conn|set up|setup|switch|remove|add |change|create/i;
    const offered = async () =>
      (await p
        .locator("button:visible, a.btn:visible, input:visible, textarea:visible, select:visible")
        .evaluateAll((els) =>
          els
            // searching and filtering change nothing
            .filter((e) => !e.closest("form[role=search]") && !e.closest("[role=tablist]"))
            .map((e) =>
              e instanceof HTMLButtonElement || e instanceof HTMLAnchorElement
                ? (e.textContent ?? "").trim()
                : `${e.tagName.toLowerCase()}:${e.getAttribute("aria-label") ?? e.id}`,
            ),
        )) as string[];
    const pages: [string, () => Promise<unknown>][] = [
      ["/", () => p.getByText("Webshop en kassa").first().waitFor()],
      [`/i/${integrationId}`, () => p.getByRole("heading", { name: "Runs in progress" }).waitFor()],
      [`/i/${integrationId}/activity?sku=${MISSING_SKU}`, () => p.locator(".items-table").waitFor()],
      [`/i/${integrationId}/mappings`, () => p.locator(".mappings-table").waitFor()],
      [`/i/${integrationId}/catalogue`, () => p.locator(".product").first().waitFor()],
    ];
    for (const [route, ready] of pages) {
      await p.goto(`${w.t.url}/app${route}`);
      await ready();
      if (route.includes("activity")) {
        await p.locator(".items-table tbody tr").first().getByRole("button").click();
        await p.locator(".item-detail").getByText("Came from Ecwid").waitFor();
      }
      const controls = await offered();
      expect(controls.filter((c) => MUTATING.test(c) || /^(input|textarea|select):/.test(c))).toEqual([]);
    }
    expect(await p.locator("nav.tabs").textContent()).not.toContain("Setup");
    await screenshot(p, "16-viewer-activity");
    // the same checks see the controls an admin is offered (so they could fail)
    await open(`/i/${integrationId}/activity?sku=${MISSING_SKU}`);
    await page.locator(".items-table tbody tr").first().getByRole("button").click();
    await page.getByRole("button", { name: "Replay this item now" }).waitFor();
    await viewer.close();
  });
});

/** waits until a locator's text contains `s` (jest has no retrying locator assertions) */
async function containsText(l: Locator, s: string): Promise<void> {
  const until = Date.now() + 20_000;
  for (;;) {
    const text = (await l.textContent().catch(() => "")) ?? "";
    if (text.includes(s)) return;
    if (Date.now() > until) throw new Error(`expected text containing ${s}; got: ${text.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
