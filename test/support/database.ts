import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import type { DatabaseConfig } from "../../src/db/data-source";

/**
 * Every suite gets a database of its own: a fresh SQLite file, or — when DATABASE_URL names a
 * MySQL/MariaDB server (the CI's second pass) — a fresh database on that server, dropped after.
 * Suites run in parallel workers without seeing each other's rows.
 */
export interface TestDatabase {
  config: DatabaseConfig;
  /** the DATABASE_URL for a gateway started on this database */
  url: string;
  kind: "sqlite" | "mysql";
  drop(): Promise<void>;
}

export const usingMysql = () => /^(mysql|mariadb):\/\//.test(process.env.DATABASE_URL ?? "");

export async function createTestDatabase(): Promise<TestDatabase> {
  const tag = `${process.pid}_${randomBytes(4).toString("hex")}`;
  if (usingMysql()) {
    const base = new URL(process.env.DATABASE_URL!.replace(/^mariadb:/, "mysql:"));
    const name = `gwt_${tag}`;
    const admin = await mysql.createConnection({
      host: base.hostname,
      port: Number(base.port || 3306),
      user: decodeURIComponent(base.username),
      password: decodeURIComponent(base.password),
    });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    const u = new URL(base.toString());
    u.pathname = `/${name}`;
    return {
      kind: "mysql",
      url: u.toString(),
      config: {
        kind: "mysql",
        url: u.toString(),
        host: base.hostname,
        port: Number(base.port || 3306),
        username: decodeURIComponent(base.username),
        password: decodeURIComponent(base.password),
        database: name,
      },
      drop: async () => {
        const c = await mysql.createConnection({
          host: base.hostname,
          port: Number(base.port || 3306),
          user: decodeURIComponent(base.username),
          password: decodeURIComponent(base.password),
        });
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await c.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gwt-"));
  const file = path.join(dir, "gateway.sqlite");
  return {
    kind: "sqlite",
    url: `sqlite:${file}`,
    config: { kind: "sqlite", url: `sqlite:${file}`, file },
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
