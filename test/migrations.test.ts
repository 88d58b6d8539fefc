import { createDataSource } from "../src/db/data-source";
import { MIGRATIONS } from "../migrations";
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
});
