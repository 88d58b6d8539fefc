import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { openDatabase } from "../src/db/data-source";
import { WorkspaceEntity } from "../src/db/entities/workspace.entity";
import { createTestDatabase, type TestDatabase } from "./support/database";

/**
 * Many async tasks share the database at once (worker pool, API requests, webhooks). On SQLite
 * there is one connection: transactions must not interleave, and a rolled-back transaction must
 * not take other tasks' writes with it.
 */
describe("concurrent transactions and statements", () => {
  let db: TestDatabase;
  let ds: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDatabase(db.config);
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const ws = (name: string) => ({ id: randomUUID(), name, createdAt: new Date() });

  it("runs 60 concurrent transactions (some rolling back) and plain writes without losing or mixing any", async () => {
    const kept: string[] = [];
    const tasks: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      const rollback = i % 3 === 0;
      tasks.push(
        ds
          .transaction(async (em) => {
            await em.insert(WorkspaceEntity, ws(`tx-${i}`));
            await new Promise((r) => setTimeout(r, 1 + (i % 5)));
            await em.insert(WorkspaceEntity, ws(`tx-${i}-b`));
            if (rollback) throw new Error("roll back");
          })
          .then(
            () => kept.push(`tx-${i}`, `tx-${i}-b`),
            (e: Error) => expect(e.message).toBe("roll back"),
          ),
      );
      // a plain write from another task while transactions are open
      tasks.push(ds.manager.insert(WorkspaceEntity, ws(`plain-${i}`)).then(() => kept.push(`plain-${i}`)));
    }
    await Promise.all(tasks);
    const names = (await ds.manager.find(WorkspaceEntity)).map((w) => w.name).sort();
    expect(names).toEqual(kept.sort());
    expect(names.filter((n) => n.startsWith("plain-"))).toHaveLength(60);
    expect(names.filter((n) => n.startsWith("tx-"))).toHaveLength(80);
  });
});
