import fs from "node:fs";
import path from "node:path";
import { DataSource, QueryFailedError, type Logger as OrmLogger } from "typeorm";
import type { GatewayConfig } from "../config/config";
import { MIGRATIONS } from "../../migrations";
import { ENTITIES } from "./entities";
import { gateSqlite } from "./sqlite-gate";

export type DatabaseConfig = GatewayConfig["database"];

/**
 * The one way the gateway opens its database: SQLite (better-sqlite3, WAL) by default, or
 * MySQL 8 / MariaDB 10.6+ (mysql2). `synchronize` is never on; migrations define the schema.
 */
export interface DataSourceOptions {
  /** called for every SQL statement (benchmarks count statements per item) */
  onQuery?: (sql: string) => void;
}

/** A TypeORM logger that only counts/forwards statements; errors reach the caller as exceptions. */
function queryObserver(onQuery: (sql: string) => void): OrmLogger {
  return {
    logQuery: (q) => onQuery(q),
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };
}

export function createDataSource(db: DatabaseConfig, opts: DataSourceOptions = {}): DataSource {
  const observe = opts.onQuery ? { logging: ["query" as const], logger: queryObserver(opts.onQuery) } : {};
  if (db.kind === "sqlite") {
    if (db.file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(db.file)), { recursive: true });
    return new DataSource({
      type: "better-sqlite3",
      database: db.file,
      enableWAL: true,
      entities: ENTITIES,
      migrations: MIGRATIONS,
      synchronize: false,
      migrationsRun: false,
      ...observe,
      // Busy waits instead of SQLITE_BUSY errors when the worker and the API write at once.
      timeout: 10_000,
      prepareDatabase: (conn: { pragma(s: string): unknown }) => {
        conn.pragma("foreign_keys = ON");
        conn.pragma("synchronous = NORMAL");
      },
    });
  }
  return new DataSource({
    type: "mysql",
    host: db.host,
    port: db.port,
    username: db.username,
    password: db.password,
    database: db.database,
    charset: "utf8mb4_unicode_ci",
    timezone: "Z",
    supportBigNumbers: true,
    bigNumberStrings: false,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    poolSize: 10,
    ...observe,
  });
}

/** Opens the database and applies pending migrations (at start, before anything else runs). */
export async function openDatabase(db: DatabaseConfig, opts: DataSourceOptions = {}): Promise<DataSource> {
  const ds = createDataSource(db, opts);
  await ds.initialize();
  await ds.runMigrations({ transaction: "each" });
  if (db.kind === "sqlite") gateSqlite(ds);
  return ds;
}

/** True when every known migration has been applied: the readiness check. */
export async function isMigrated(ds: DataSource): Promise<boolean> {
  if (!ds.isInitialized) return false;
  return !(await ds.showMigrations());
}

/**
 * Duplicate-key errors, recognised per dialect: SQLite SQLITE_CONSTRAINT_UNIQUE /
 * SQLITE_CONSTRAINT_PRIMARYKEY, MySQL/MariaDB ER_DUP_ENTRY (errno 1062). Insert-then-recover
 * relies on this to turn a lost race into "someone else did it".
 */
export function isDuplicateKeyError(e: unknown): boolean {
  const err = (e instanceof QueryFailedError ? e.driverError : e) as
    { code?: string; errno?: number; message?: string } | undefined;
  if (!err) return false;
  if (err.code === "ER_DUP_ENTRY" || err.errno === 1062) return true;
  if (err.code === "SQLITE_CONSTRAINT_UNIQUE" || err.code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true;
  return /UNIQUE constraint failed|Duplicate entry/i.test(err.message ?? "");
}
