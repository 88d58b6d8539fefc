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

/**
 * Counts the database statements of a measured stretch (the gateway's `onQuery`); with BENCH_SQL=1
 * also by statement shape, whose top ones `print` lists per record.
 */
export class StatementCounter {
  on = false;
  count = 0;
  private readonly shapes = new Map<string, number>();

  readonly onQuery = (sql: string): void => {
    if (!this.on) return;
    this.count++;
    if (!process.env.BENCH_SQL) return;
    const shape = sql.replace(/\s+/g, " ").slice(0, Number(process.env.BENCH_SQL_WIDTH ?? 110));
    this.shapes.set(shape, (this.shapes.get(shape) ?? 0) + 1);
  };

  reset(): void {
    this.count = 0;
    this.shapes.clear();
  }

  /** the top statement shapes per record (BENCH_SQL=1 only) */
  print(records: number, top = 25): void {
    for (const [shape, c] of [...this.shapes].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`    ${(c / records).toFixed(2).padStart(6)}  ${shape}`);
  }
}
