import "reflect-metadata";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createLogger } from "./common/logger";
import { loadConfig } from "./config/config";
import { closeSharedAgents } from "./connectors/http";
import { DEFAULT_SANDBOX_PORTS, startDemoShop } from "./sandbox/demo-shop";
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
    // the built-in sandboxes on loopback stand in for the vendors
    GATEWAY_ALLOW_LOCAL_UPSTREAMS: "true",
  });
  const logger = createLogger({ level: config.logLevel, pretty: config.prettyLogs });

  const shop = await startDemoShop({
    ecwidPort: Number(process.env.DEMO_ECWID_PORT ?? DEFAULT_SANDBOX_PORTS.ecwid),
    ccvPort: Number(process.env.DEMO_CCV_PORT ?? DEFAULT_SANDBOX_PORTS.ccv),
    logger,
  });
  const { ecwid, ccv } = shop;

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

  // a little life: an Ecwid web order and a POS sale now and then (1 and 2 were seeded)
  const every = Number(process.env.DEMO_ACTIVITY_SECONDS ?? 45) * 1000;
  let n = 2;
  const activity = setInterval(() => {
    n++;
    try {
      ecwid.store.createOrder(shop.webOrder(n));
    } catch (e) {
      logger.warn({ err: e }, "demo: could not place an Ecwid order");
    }
    void shop
      .posSale(n)
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
      .then(() => shop.stop())
      .then(() => closeSharedAgents())
      .then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main().catch((e) => {
  process.stderr.write(`Demo failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
