import type { DataSource, EntityManager } from "typeorm";
import { LessThan } from "typeorm";
import { LeaseEntity } from "../../db/entities/infra.entity";
import { isDuplicateKeyError } from "../../db/data-source";
import { FastSql } from "../../db/fast-sql";

/**
 * How long an item's lease lives without a renewal. The holder renews it every third of this while
 * it works on the item (RunExecutor), so only a dead holder's lease expires: a run resumed by
 * another worker after a crash takes the record over at most this long after the crash.
 */
export const ITEM_LEASE_TTL_MS = 15_000;

/**
 * Exclusive, expiring claims on a source record (integration, entity, source id) across workers and
 * processes, held while an item is decided and written. Insert-then-recover: the primary key makes
 * the insert the lock; an expired lease (a crashed holder) is taken over with a conditional update.
 */
export class LeaseStore {
  private readonly sql: FastSql<LeaseEntity>;

  constructor(
    private readonly ds: DataSource,
    readonly holder: string,
    readonly ttlMs = ITEM_LEASE_TTL_MS,
    /** the lease clock (tests move it instead of waiting) */
    private readonly clock: () => number = Date.now,
  ) {
    this.sql = new FastSql(ds, LeaseEntity);
  }

  async tryAcquire(key: string): Promise<boolean> {
    const now = new Date(this.clock());
    const expiresAt = new Date(now.getTime() + this.ttlMs);
    try {
      await this.sql.insert({ key, holder: this.holder, expiresAt });
      return true;
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
    }
    const r = await this.ds.manager.update(
      LeaseEntity,
      { key, expiresAt: LessThan(now) },
      { holder: this.holder, expiresAt },
    );
    return (r.affected ?? 0) > 0;
  }

  /** waits for the lease up to `waitMs` (another worker finishing the same record) */
  async acquire(key: string, waitMs: number, signal?: AbortSignal): Promise<boolean> {
    const until = this.clock() + waitMs;
    let delay = 50;
    for (;;) {
      if (await this.tryAcquire(key)) return true;
      if (this.clock() >= until || signal?.aborted) return false;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 1000);
    }
  }

  async renew(key: string): Promise<void> {
    await this.sql.update({ key, holder: this.holder }, { expiresAt: new Date(this.clock() + this.ttlMs) });
  }

  /** gives the lease up (when it is still ours); `em`: as part of the caller's transaction */
  async release(key: string, em?: EntityManager): Promise<void> {
    await this.sql.delete({ key, holder: this.holder }, em);
  }
}
