import { AsyncLocalStorage } from "node:async_hooks";
import { Mutex } from "async-mutex";
import type { DataSource, EntityManager, QueryRunner } from "typeorm";

/**
 * better-sqlite3 gives TypeORM one connection for the whole process. Two async tasks that open
 * transactions at once would otherwise share it — the second BEGIN becomes a savepoint inside the
 * first, and a statement of an unrelated task issued while a transaction is open becomes part of
 * that transaction (and is lost if it rolls back). This gate makes the single connection behave
 * like a pool of one: a transaction holds the connection from BEGIN to COMMIT/ROLLBACK, statements
 * of its own callback (tracked with AsyncLocalStorage) pass, and everything else waits its turn.
 * Statements are short and synchronous in better-sqlite3, so the wait is brief.
 */
export function gateSqlite(ds: DataSource): void {
  const mutex = new Mutex();
  const owner = new AsyncLocalStorage<symbol>();
  let holder: symbol | undefined;

  const inOwnTransaction = () => holder !== undefined && owner.getStore() === holder;

  const runner = ds.createQueryRunner() as QueryRunner & { query: QueryRunner["query"] };
  const query = runner.query.bind(runner);
  runner.query = (async (...args: Parameters<QueryRunner["query"]>) => {
    if (inOwnTransaction()) return query(...args);
    return mutex.runExclusive(() => query(...args));
  }) as QueryRunner["query"];

  const manager = ds.manager as EntityManager & { transaction: EntityManager["transaction"] };
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  manager.transaction = (async (...args: unknown[]) => {
    if (inOwnTransaction()) return transaction(...args);
    return mutex.runExclusive(() => {
      const token = Symbol("sqlite-transaction");
      holder = token;
      return owner.run(token, async () => {
        try {
          return await transaction(...args);
        } finally {
          holder = undefined;
        }
      });
    });
  }) as EntityManager["transaction"];
}
