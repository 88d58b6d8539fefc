import { createDataSource } from "../src/db/data-source";
import { MIGRATIONS } from "../migrations";
import { MissingSkus1765600100000 } from "../migrations/1765600100000-missing-skus";
import { createTestDatabase, type TestDatabase } from "./support/database";

/** Runs on SQLite in the first CI pass and on MariaDB in the second (DATABASE_URL=mysql://…). */
describe(`migrations (${process.env.DATABASE_URL?.startsWith("mysql") ? "MariaDB/MySQL" : "SQLite"})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const tables = async (ds: ReturnType<typeof createDataSource>): Promise<string[]> =>
    ds.options.type === "mysql"
      ? (await ds.query("SHOW TABLES"))
          .map((r: Record<string, string>) => Object.values(r)[0])
          .filter((t: string) => t !== "migrations")
      : (await ds.query("SELECT name FROM sqlite_master WHERE type='table'"))
          .map((r: { name: string }) => r.name)
          .filter((t: string) => t !== "migrations" && !t.startsWith("sqlite_"));

  it("run up, down to nothing, and up again", async () => {
    const ds = createDataSource(db.config);
    await ds.initialize();
    try {
      const applied = await ds.runMigrations({ transaction: "each" });
      expect(applied).toHaveLength(MIGRATIONS.length);
      expect(await ds.showMigrations()).toBe(false);
      const created = await tables(ds);
      expect(created).toEqual(expect.arrayContaining(["workspace", "api_key", "integration"]));
      for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: "each" });
      expect(await tables(ds)).toEqual([]);
      await ds.runMigrations({ transaction: "each" });
      expect((await tables(ds)).sort()).toEqual(created.sort());
    } finally {
      await ds.destroy();
    }
  });
  it("items failed with MISSING_PRODUCT before the missing SKUs were recorded get the legacy marker (previews, other failures and items past the heal window none)", async () => {
    const ds = createDataSource(db.config);
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: "each" });
      // back to just before the missing SKUs were recorded
      const after = MIGRATIONS.length - MIGRATIONS.indexOf(MissingSkus1765600100000);
      for (let i = 0; i < after; i++) await ds.undoLastMigration({ transaction: "each" });
      // datetime as both databases store it (UTC, milliseconds)
      const daysAgo = (d: number) =>
        new Date(Date.now() - d * 24 * 3600_000).toISOString().replace("T", " ").replace("Z", "");
      const at = daysAgo(1);
      const insert = (table: string, row: Record<string, unknown>) =>
        ds.query(
          `INSERT INTO ${table} (${Object.keys(row)
            .map((k) => ds.driver.escape(k))
            .join(", ")}) VALUES (${Object.keys(row)
            .map(() => "?")
            .join(", ")})`,
          Object.values(row),
        );
      await insert("workspace", { id: "w1", name: "w", created_at: at });
      await insert("integration", {
        id: "i1",
        workspace_id: "w1",
        name: "i",
        ecwid_store_id: 1,
        ecwid_api_base_url: "x",
        ecwid_token_enc: "x",
        ecwid_mask: "x",
        ecwid_status: "OK",
        ccv_base_url: "x",
        ccv_public_key_enc: "x",
        ccv_secret_key_enc: "x",
        ccv_mask: "x",
        ccv_status: "OK",
        created_at: at,
        updated_at: at,
      });
      const run = (id: string, dryRun: boolean) =>
        insert("sync_run", {
          id,
          integration_id: "i1",
          flow: "ORDERS_ECWID_TO_CCV",
          trigger: "MANUAL",
          dry_run: dryRun ? 1 : 0,
          status: "FAILED",
          queued_at: at,
          updated_at: at,
        });
      await run("real", false);
      await run("preview", true);
      const item = (id: number, runId: string, status: string, errorCode: string | null, created = at) =>
        insert("sync_item", {
          id,
          run_id: runId,
          integration_id: "i1",
          flow: "ORDERS_ECWID_TO_CCV",
          entity: "ORDER",
          source_id: String(id),
          action: "SKIP",
          status,
          reason: "1 SKU not found in CCV SalesPOS: ROD-12.",
          error_code: errorCode,
          created_at: created,
          updated_at: at,
        });
      await item(1, "real", "FAILED", "MISSING_PRODUCT");
      await item(2, "preview", "FAILED", "MISSING_PRODUCT");
      await item(3, "real", "FAILED", "MAPPING");
      await item(4, "real", "SUCCEEDED", null);
      // past the heal window: healSkus would never read it
      await item(5, "real", "FAILED", "MISSING_PRODUCT", daysAgo(31));

      await ds.runMigrations({ transaction: "each" });
      const rows = await ds.query("SELECT item_id, integration_id, sku FROM sync_item_missing_sku");
      expect(rows.map((r: Record<string, unknown>) => ({ ...r, item_id: Number(r.item_id) }))).toEqual([
        { item_id: 1, integration_id: "i1", sku: "" },
      ]);
      // deleted with its item
      await ds.query("DELETE FROM sync_item WHERE id = 1");
      expect(await ds.query("SELECT item_id FROM sync_item_missing_sku")).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});
