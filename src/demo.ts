import "reflect-metadata";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createLogger } from "./common/logger";
import { loadConfig } from "./config/config";
import { CcvClient } from "./connectors/ccv-salespos";
import { AuthCircuit, closeSharedAgents, SharedRateBudget } from "./connectors/http";
import type { EcwidOrder } from "./connectors/ecwid";
import { CcvSandbox } from "./sandbox/ccv-salespos/ccv.sandbox";
import { EcwidSandbox } from "./sandbox/ecwid/ecwid.sandbox";
import { ECWID_FIXTURE_PRODUCT } from "./sandbox/ecwid/ecwid.fixtures";
import { startGateway } from "./server/app";
import type { FlowKindName } from "./sync/engine/flow-settings";

/**
 * `npm run demo`: the gateway as `npm start` runs it, plus the Ecwid and CCV SalesPOS sandboxes on
 * loopback with a shop's worth of data and a ready demo integration with its flows on, so a newcomer
 * sees orders, products and stock move. The demo keeps its own throwaway database under
 * ./data/demo (wiped at every start) and makes a sale on each side every DEMO_ACTIVITY_SECONDS.
 */
async function main(): Promise<void> {
  const base = loadConfig();
  const dataDir = path.join(base.dataDir, "demo");
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const adminToken = `gwadmin_${randomBytes(24).toString("base64url")}`;
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: `sqlite:${path.join(dataDir, "gateway.sqlite")}`,
    GATEWAY_DATA_DIR: dataDir,
    GATEWAY_ADMIN_TOKEN: adminToken,
    GATEWAY_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
  });
  const logger = createLogger({ level: config.logLevel, pretty: config.prettyLogs });

  const ecwid = await EcwidSandbox.start({
    port: Number(process.env.DEMO_ECWID_PORT ?? 4101),
    storeId: 1003,
    profile: { formatsAndUnits: { currency: "EUR" }, taxSettings: { pricesIncludeTax: true } } as never,
    seed: {
      categories: [
        { id: 9691094, name: "Kleding", orderBy: 10, enabled: true },
        { id: 9691095, name: "Keuken", orderBy: 20, enabled: true },
        { id: 9691096, name: "Mokken", parentId: 9691095, orderBy: 10, enabled: true },
      ],
      products: [
        { ...ECWID_FIXTURE_PRODUCT, categoryIds: [9691094] },
        {
          id: 700100300,
          sku: "MUG-001",
          name: "Koffiemok",
          price: 12.95,
          quantity: 40,
          unlimited: false,
          enabled: true,
          categoryIds: [9691096],
        },
      ],
    },
  });
  const ccv = await CcvSandbox.start({
    port: Number(process.env.DEMO_CCV_PORT ?? 4102),
    seed: { webshopName: "Demo SalesPOS", currency: "EUR" },
  });
  const ccvClient = new CcvClient(
    { baseUrl: ccv.baseUrl, publicKey: ccv.publicKey, secretKey: ccv.secretKey, salesPos: true },
    { budget: new SharedRateBudget(), circuit: new AuthCircuit(), logger },
  );
  // the same catalogue in the POS: the mug and the T-shirt with its variants (SKUs as in Ecwid)
  const mug = await ccvClient.createProduct({
    name: "Koffiemok",
    productnumber: "MUG-001",
    price: 12.95,
    discount: 0,
    taxtariff: "normal",
    stockenabled: true,
    stock: 40,
  });
  await ccvClient.createVariantProduct({
    product: {
      name: "Logo T-Shirt",
      productnumber: "TSHIRT-BASE",
      price: 20,
      discount: 0,
      taxtariff: "normal",
      stockenabled: true,
    },
    axes: [
      { name: "Size", values: [{ name: "M" }, { name: "L", price: 2 }] },
      { name: "Color", values: [{ name: "Black" }, { name: "White" }] },
    ],
    variants: [
      { options: { Size: "M", Color: "Black" }, sku: "TSHIRT-M-BLK", stock: 5 },
      { options: { Size: "L", Color: "Black" }, sku: "TSHIRT-L-BLK", stock: 0 },
      { options: { Size: "M", Color: "White" }, sku: "TSHIRT-M-WHT", stock: 9 },
      { options: { Size: "L", Color: "White" }, sku: "TSHIRT-L-WHT", stock: 4 },
    ],
  });

  const gw = await startGateway(config, { logger });
  const s = gw.services;
  const { workspace, adminKey } = await s.tenancy.createWorkspace("Demo shop");
  const integration = await s.integrations.create(
    workspace.id,
    "Demo: Ecwid sandbox ⇄ CCV SalesPOS sandbox",
    { storeId: ecwid.storeId, token: ecwid.token, clientSecret: ecwid.clientSecret, apiBaseUrl: ecwid.url },
    { baseUrl: ccv.baseUrl, publicKey: ccv.publicKey, secretKey: ccv.secretKey },
  );
  ecwid.registerWebhook(`${gw.url}/webhooks/ecwid/${integration.id}`);
  const flows: FlowKindName[] = ["CATEGORIES_ECWID_TO_CCV", "ORDERS_ECWID_TO_CCV", "ORDERS_CCV_TO_ECWID"];
  for (const kind of flows.filter((k) => gw.engine.registry.has(k))) {
    await s.flows.configure(workspace.id, integration.id, kind, { enabled: true, schedule: "*/1 * * * *" });
  }
  await s.flows.setValueMappings(workspace.id, integration.id, "PAYMENT_METHOD", [
    { from: "*", to: "Kassa (CCV SalesPOS)" },
  ]);
  await s.connections.test(workspace.id, integration.id);
  for (const kind of flows.filter((k) => gw.engine.registry.has(k)))
    await s.runs.runSync(workspace.id, integration.id, kind, {});

  // a little life: an Ecwid web order and a POS sale now and then
  const every = Number(process.env.DEMO_ACTIVITY_SECONDS ?? 45) * 1000;
  let n = 0;
  const activity = setInterval(() => {
    n++;
    try {
      ecwid.store.createOrder(demoOrder(n));
    } catch (e) {
      logger.warn({ err: e }, "demo: could not place an Ecwid order");
    }
    void ccvClient
      .createOrder({
        is_completed: true,
        paid: true,
        status: 7,
        currency: "EUR",
        order_row_taxes_included: true,
        customer: {
          email: `kassa-${n}@demo.example`,
          billingaddress: { first_name: "Kassa", last_name: `Klant ${n}`, country_code: "NL" },
        },
        orderrows: [{ product_id: mug.id, count: 1 }],
      })
      .catch((e: Error) => logger.warn({ err: e.message }, "demo: could not place a POS sale"));
  }, every);

  process.stdout.write(
    [
      "",
      "  Demo ready.",
      `  Playground   ${gw.url}/playground   (paste the API key in the bar at the top)`,
      `  API key      ${adminKey.secret}   (ADMIN of workspace "Demo shop")`,
      `  Admin token  ${adminToken}   (instance operator; creates workspaces)`,
      `  Integration  ${integration.id}`,
      `  Sandboxes    Ecwid ${ecwid.url}/${ecwid.storeId}   CCV SalesPOS ${ccv.baseUrl}/api/rest/v1`,
      "",
      "  Try:",
      `    { integration(id: "${integration.id}") { flows { kind enabled lastRun { status counts { total created skipped failed } } } } }`,
      `    subscription { syncEvents(integrationId: "${integration.id}") { type message counts { created failed } item { sourceId action status reason } } }`,
      "",
      `  A web order and a POS sale are made every ${every / 1000} s. Ctrl-C stops the demo.`,
      "",
    ].join("\n"),
  );

  const stop = () => {
    clearInterval(activity);
    void gw
      .close()
      .then(() => Promise.all([ecwid.stop(), ccv.stop()]))
      .then(() => closeSharedAgents())
      .then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

function demoOrder(n: number): EcwidOrder {
  const company = n % 2 === 0;
  return {
    email: `klant${n}@demo.example`,
    paymentStatus: "PAID",
    fulfillmentStatus: "AWAITING_PROCESSING",
    pricesIncludeTax: true,
    subtotal: 32.95,
    total: 32.95,
    tax: 5.72,
    items: [
      {
        productId: 700100300,
        sku: "MUG-001",
        name: "Koffiemok",
        quantity: 1,
        price: 12.95,
        taxes: [{ name: "BTW", value: 21, total: 2.25, includeInPrice: true }],
      },
      {
        productId: 700100200,
        combinationId: 422488001,
        sku: "TSHIRT-M-BLK",
        name: "Logo T-Shirt",
        quantity: 1,
        price: 20,
        taxes: [{ name: "BTW", value: 21, total: 3.47, includeInPrice: true }],
      },
    ],
    billingPerson: {
      name: `Demo Klant ${n}`,
      companyName: company ? `Demo BV ${n}` : "",
      street: `Dorpsstraat ${10 + n}a`,
      city: "Utrecht",
      postalCode: "3511 AB",
      countryCode: "NL",
    },
  } as EcwidOrder;
}

void main().catch((e) => {
  process.stderr.write(`Demo failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
