import "reflect-metadata";
import { createLogger } from "./common/logger";
import { closeSharedAgents } from "./connectors/http";
import { DEFAULT_SANDBOX_PORTS, SANDBOX_CREDENTIALS, startDemoShop } from "./sandbox/demo-shop";

/**
 * `npm run sandboxes`: the Ecwid and CCV SalesPOS sandboxes on their own, on loopback, seeded like
 * the demo, so a first session against a gateway started with `npm start` can be finished without
 * vendor accounts. Prints the credentials and base URLs to paste. Ports: SANDBOX_ECWID_PORT (4101),
 * SANDBOX_CCV_PORT (4102).
 */
function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    process.stderr.write(`${name} must be a port number from 0 to 65535 (got "${raw}").\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? "warn", pretty: true });
  const shop = await startDemoShop({
    ecwidPort: port("SANDBOX_ECWID_PORT", DEFAULT_SANDBOX_PORTS.ecwid),
    ccvPort: port("SANDBOX_CCV_PORT", DEFAULT_SANDBOX_PORTS.ccv),
    logger,
  });
  const { ecwid, ccv } = shop;
  const input = {
    name: "Sandbox shop",
    ecwid: {
      storeId: ecwid.storeId,
      token: ecwid.token,
      clientSecret: ecwid.clientSecret,
      apiBaseUrl: ecwid.url,
    },
    ccv: { baseUrl: ccv.baseUrl, publicKey: ccv.publicKey, secretKey: ccv.secretKey },
  };
  const fixed =
    ecwid.token === SANDBOX_CREDENTIALS.ecwid.token &&
    ecwid.url.endsWith(`:${DEFAULT_SANDBOX_PORTS.ecwid}/api/v3`) &&
    ccv.baseUrl.endsWith(`:${DEFAULT_SANDBOX_PORTS.ccv}`);
  process.stdout.write(
    [
      "",
      "  Sandboxes ready (loopback only, test data, nothing leaves this machine).",
      "",
      `  Ecwid          API base URL  ${ecwid.url}`,
      `                 storeId       ${ecwid.storeId}`,
      `                 token         ${ecwid.token}`,
      `                 clientSecret  ${ecwid.clientSecret}`,
      `  CCV SalesPOS   base URL      ${ccv.baseUrl}`,
      `                 publicKey     ${ccv.publicKey}`,
      `                 secretKey     ${ccv.secretKey}`,
      "",
      "  In another terminal, start the gateway so that it may call loopback sandboxes:",
      "    GATEWAY_ALLOW_LOCAL_UPSTREAMS=true npm start",
      "",
      `  Then follow "A first GraphQL session" in README.md${fixed ? " (its blocks use exactly these values)" : ""}.`,
      "  createIntegration's input for these sandboxes, as GraphQL variables:",
      "",
      `    ${JSON.stringify({ input })}`,
      "",
      "  Ctrl-C stops the sandboxes.",
      "",
    ].join("\n"),
  );
  const stop = () => {
    void shop
      .stop()
      .then(() => closeSharedAgents())
      .then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main().catch((e) => {
  const busy = (e as { code?: string }).code === "EADDRINUSE";
  process.stderr.write(
    busy
      ? `A sandbox port is taken (${(e as Error).message}); set SANDBOX_ECWID_PORT / SANDBOX_CCV_PORT to free ports.\n`
      : `The sandboxes failed to start: ${e instanceof Error ? e.stack : String(e)}\n`,
  );
  process.exit(1);
});
