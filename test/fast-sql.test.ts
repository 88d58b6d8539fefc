import type { DataSource } from "typeorm";
import { openDatabase } from "../src/db/data-source";
import { randomUUID } from "node:crypto";
import { CcvCustomerIndexEntity, LeaseEntity } from "../src/db/entities/infra.entity";
import { IntegrationEntity } from "../src/db/entities/integration.entity";
import { WorkspaceEntity } from "../src/db/entities/workspace.entity";
import { FastSql } from "../src/db/fast-sql";
import { DbCustomerEmailIndex } from "../src/sync/connector-hub";
import { createTestDatabase, type TestDatabase } from "./support/database";

/** The engine's plain statements (db/fast-sql.ts) on this pass's database (SQLite or MariaDB). */
describe("FastSql", () => {
  let db: TestDatabase;
  let ds: DataSource;
  const integrations: string[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDatabase(db.config);
    // integration rows for the per-integration tables' foreign keys: every required column filled
    const workspaceId = randomUUID();
    await ds.manager.insert(WorkspaceEntity, { id: workspaceId, name: "w", createdAt: new Date() });
    for (let i = 0; i < 3; i++) {
      const row: Record<string, unknown> = {};
      for (const c of ds.getMetadata(IntegrationEntity).columns) {
        if (c.isNullable || c.default !== undefined) continue;
        const t = String(c.type);
        row[c.propertyName] =
          t === "integer" || t === "int" ? 1 : t === "datetime" ? new Date() : t === "boolean" ? false : "x";
      }
      const id = randomUUID();
      await ds.manager.insert(IntegrationEntity, { ...row, id, workspaceId });
      integrations.push(id);
    }
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it("upsert inserts a row, then sets the other columns of the row with the same key", async () => {
    const [i1] = integrations;
    const sql = new FastSql(ds, CcvCustomerIndexEntity);
    const key: ("integrationId" | "emailHash")[] = ["integrationId", "emailHash"];
    await sql.upsert({ integrationId: i1, emailHash: "h-1", userId: "10" }, key);
    await sql.upsert({ integrationId: i1, emailHash: "h-2", userId: "20" }, key);
    await sql.upsert({ integrationId: i1, emailHash: "h-1", userId: "11" }, key);
    const rows = await ds.manager.find(CcvCustomerIndexEntity, { order: { emailHash: "ASC" } });
    expect(rows.map((r) => [r.emailHash, r.userId])).toEqual([
      ["h-1", "11"],
      ["h-2", "20"],
    ]);
    expect(await sql.findOne({ integrationId: i1, emailHash: "h-2" })).toEqual({
      integrationId: i1,
      emailHash: "h-2",
      userId: "20",
    });
    expect(await sql.delete({ integrationId: i1, emailHash: "h-2" })).toBe(1);
    expect(await sql.findOne({ integrationId: i1, emailHash: "h-2" })).toBeNull();
  });

  it("upsert sets the non-key columns of a table whose key is one column", async () => {
    const sql = new FastSql(ds, LeaseEntity);
    const a = new Date("2026-01-01T00:00:00.000Z");
    const b = new Date("2026-01-01T00:00:15.000Z");
    await sql.upsert({ key: "k1", holder: "w-1", expiresAt: a }, ["key"]);
    await sql.upsert({ key: "k1", holder: "w-2", expiresAt: b }, ["key"]);
    expect(await sql.find([{ key: "k1" }])).toEqual([{ key: "k1", holder: "w-2", expiresAt: b }]);
  });

  it("the CCV e-mail index reads and writes through it, and remembers the last refresh it saw", async () => {
    const index = new DbCustomerEmailIndex(ds, integrations[2]);
    expect(await index.get("h")).toBeUndefined();
    await index.set("h", "1");
    await index.set("h", "2");
    expect(await index.get("h")).toBe("2");
    expect(await index.lastRefreshedAt()).toBeUndefined();
    const at = new Date("2026-12-01T00:00:00.000Z");
    await index.markRefreshed(at);
    expect(await index.lastRefreshedAt()).toEqual(at);
    // another instance (another run or worker) reads the refresh from the database
    expect(await new DbCustomerEmailIndex(ds, integrations[2]).lastRefreshedAt()).toEqual(at);
    // an older refresh never moves it back
    await index.markRefreshed(new Date("2026-11-01T00:00:00.000Z"));
    expect(await index.lastRefreshedAt()).toEqual(at);
  });
});
