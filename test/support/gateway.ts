import "reflect-metadata";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { createLogger } from "../../src/common/logger";
import { loadConfig } from "../../src/config/config";
import { startGateway, type GatewayHandle } from "../../src/server/app";
import type { EngineOptions } from "../../src/server/container";
import { createTestDatabase, type TestDatabase } from "./database";

/** one key for every test gateway, so gateways that share a database read each other's secrets */
const TEST_ENCRYPTION_KEY = randomBytes(32).toString("hex");

export interface TestGateway {
  gw: GatewayHandle;
  url: string;
  adminToken: string;
  db: TestDatabase;
  /** every log line the gateway wrote (when started with captureLogs) */
  logs: string[];
  stop(): Promise<void>;
}

export interface TestGatewayOptions {
  captureLogs?: boolean;
  env?: Record<string, string>;
  db?: TestDatabase;
  engine?: EngineOptions;
  /** reuse the encryption key of another gateway on the same database */
  encryptionKey?: string;
  adminToken?: string;
  /** a shorter execution timeout for queries and mutations */
  graphqlTimeoutMs?: number;
}

/** Starts a real gateway on a free port with its own database and data directory. */
export async function startTestGateway(opts: TestGatewayOptions = {}): Promise<TestGateway> {
  const db = opts.db ?? (await createTestDatabase());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gwt-data-"));
  const adminToken = opts.adminToken ?? `gwadmin_${randomBytes(24).toString("base64url")}`;
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: db.url,
    GATEWAY_ADMIN_TOKEN: adminToken,
    GATEWAY_ENCRYPTION_KEY: opts.encryptionKey ?? TEST_ENCRYPTION_KEY,
    GATEWAY_DATA_DIR: dataDir,
    LOG_LEVEL: opts.captureLogs ? "trace" : "silent",
    // the sandboxes on loopback stand in for the vendors (contract README "Vendor base URLs")
    GATEWAY_ALLOW_LOCAL_UPSTREAMS: "true",
    ...(opts.env ?? {}),
  });
  const logs: string[] = [];
  const logger = createLogger({
    level: config.logLevel,
    destination: new Writable({
      write(chunk, _enc, cb) {
        logs.push(String(chunk));
        cb();
      },
    }) as never,
  });
  const gw = await startGateway(config, {
    logger,
    engine: opts.engine,
    graphqlTimeoutMs: opts.graphqlTimeoutMs,
  });
  return {
    gw,
    url: gw.url,
    adminToken,
    db,
    logs,
    stop: async () => {
      await gw.close();
      if (!opts.db) await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
