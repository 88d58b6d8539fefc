import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { silentLogger } from "../src/common/logger";
import { loadConfig } from "../src/config/config";
import { startGateway, type GatewayHandle, type StartOptions } from "../src/server/app";

/**
 * A gateway for a benchmark: fresh secrets, a temporary data directory with the SQLite file in it
 * (unless DATABASE_URL names another database), silent logs, an ephemeral port. `remove()` deletes
 * the directory once the gateway is closed.
 */
export async function startBenchGateway(
  env: Record<string, string> = {},
  opts: StartOptions = {},
): Promise<{ gw: GatewayHandle; remove(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-bench-"));
  const gw = await startGateway(
    loadConfig({
      PORT: "0",
      DATABASE_URL: process.env.DATABASE_URL ?? `sqlite:${path.join(dir, "bench.sqlite")}`,
      GATEWAY_ADMIN_TOKEN: `gwadmin_${randomBytes(24).toString("base64url")}`,
      GATEWAY_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
      GATEWAY_DATA_DIR: dir,
      LOG_LEVEL: "silent",
      // the sandboxes on loopback stand in for the vendors (contract README "Vendor base URLs")
      GATEWAY_ALLOW_LOCAL_UPSTREAMS: "true",
      // a load bench measures the gateway, not the per-key rate limits (bench/abuse sets its own)
      RATE_LIMIT_ADMIN_PER_MINUTE: "0",
      RATE_LIMIT_OPERATOR_PER_MINUTE: "0",
      RATE_LIMIT_VIEWER_PER_MINUTE: "0",
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0",
      ...env,
    }),
    { logger: silentLogger, ...opts },
  );
  return { gw, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
