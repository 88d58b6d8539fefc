import "reflect-metadata";
import { ConfigError } from "./common/errors";
import { loadConfig } from "./config/config";
import { closeSharedAgents } from "./connectors/http";
import { closeExpressionPool } from "./mapping/expression-pool";
import { startGateway, type GatewayHandle } from "./server/app";

/**
 * The one entry point. GATEWAY_ROLE picks what this process runs: `all` (API, worker and
 * scheduler), `api` (HTTP and WebSocket only) or `worker` (jobs and schedules, plus health and
 * metrics endpoints).
 */
async function main(): Promise<void> {
  let handle: GatewayHandle;
  try {
    handle = await startGateway(loadConfig());
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  if (handle.generatedAdminToken) {
    // Printed once, on purpose outside the logger (which would redact it). Only its hash is kept.
    process.stdout.write(
      [
        "",
        "  A new instance operator token was generated (shown only this once):",
        `    GATEWAY_ADMIN_TOKEN=${handle.generatedAdminToken}`,
        "  Use it as 'Authorization: Bearer <token>' to create workspaces. Lost it? Delete",
        `  ${handle.config.dataDir}/admin-token.sha256 and restart to generate a new one.`,
        "",
        "",
      ].join("\n"),
    );
  }
  process.stdout.write(
    `Gateway listening on ${handle.url}  (GraphQL ${handle.url}/graphql, playground ${handle.url}/playground)\n`,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    handle.logger.info({ signal }, "shutdown requested");
    const force = setTimeout(() => {
      handle.logger.error("shutdown took longer than 30 s; exiting");
      process.exit(1);
    }, 30_000);
    force.unref();
    handle
      .close()
      .then(() => Promise.all([closeSharedAgents(), closeExpressionPool()]))
      .then(() => process.exit(0))
      .catch((e) => {
        handle.logger.error({ err: e }, "shutdown failed");
        process.exit(1);
      });
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

void main().catch((e) => {
  process.stderr.write(`Gateway failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
