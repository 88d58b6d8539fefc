import type { DataSource } from "typeorm";
import pino from "pino";
import { openDatabase } from "../src/db/data-source";
import { JobEntity } from "../src/db/entities/infra.entity";
import { DbJobQueue, JOB_LOCK_MS } from "../src/jobs/db-job-queue";
import { ITEM_LEASE_TTL_MS, LeaseStore } from "../src/sync/engine/leases";
import { DEFAULT_EXECUTOR_OPTIONS } from "../src/sync/engine/run-executor";
import { createTestDatabase, type TestDatabase } from "./support/database";

/**
 * A run interrupted by a crash resumes within 30 s of a worker being there: its job lock and the
 * lease of the item it was on both expire that soon after their holder stopped renewing them.
 * Driven by the lock and lease clocks (no waiting on wall time). SQLite and MariaDB.
 */
const RESUME_WITHIN_MS = 30_000;

describe("crash resume timings (lease and job-lock clocks)", () => {
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

  it("the defaults bound a resume: lock and lease expire, and a resumed item waits out the lease, within 30 s", () => {
    expect(Math.max(JOB_LOCK_MS, ITEM_LEASE_TTL_MS)).toBeLessThan(RESUME_WITHIN_MS);
    // the resumed run waits for the dead holder's lease instead of skipping the record
    expect(DEFAULT_EXECUTOR_OPTIONS.leaseWaitMs).toBeGreaterThanOrEqual(ITEM_LEASE_TTL_MS);
  });

  it("an item lease of a crashed holder is taken over once it expired, never while it is renewed", async () => {
    let t = Date.parse("2026-01-01T12:00:00Z");
    const clock = () => t;
    const a = new LeaseStore(ds, "worker-a", undefined, clock);
    const b = new LeaseStore(ds, "worker-b", undefined, clock);
    expect(a.ttlMs).toBe(ITEM_LEASE_TTL_MS);
    expect(await a.tryAcquire("i1:ORDER:1")).toBe(true);
    // a live holder renews every third of the TTL: never taken over
    for (let i = 0; i < 6; i++) {
      t += Math.floor(ITEM_LEASE_TTL_MS / 3);
      await a.renew("i1:ORDER:1");
      expect(await b.tryAcquire("i1:ORDER:1")).toBe(false);
    }
    // the holder dies (no renewals): just before the TTL it is still held, after it it is taken over
    t += ITEM_LEASE_TTL_MS - 1;
    expect(await b.tryAcquire("i1:ORDER:1")).toBe(false);
    t += 2;
    expect(await b.tryAcquire("i1:ORDER:1")).toBe(true);
  });

  it("a crashed worker's job is claimed by another worker once its lock expired, within 30 s of the crash", async () => {
    let t = Date.now();
    const clock = () => t;
    const logger = pino({ level: "silent" });
    const a = new DbJobQueue(ds, { concurrency: 1, pollMs: 20, logger, workerId: "a", clock });
    let startedA = 0;
    // the handler works until its worker dies (the crash aborts it)
    a.start({
      resume: (job) =>
        new Promise<void>((_, reject) => {
          startedA += 1;
          job.signal.addEventListener("abort", () => reject(new Error("worker died")));
        }),
    });
    await a.enqueue({ type: "resume", payload: { n: 1 } });
    await eventually(() => startedA === 1);
    await a.crash();
    const locked = await ds.manager.findOneByOrFail(JobEntity, { type: "resume" });
    expect(locked).toMatchObject({ status: "running", lockedBy: "a" });
    expect(locked.lockedUntil!.getTime() - t).toBeLessThanOrEqual(JOB_LOCK_MS);

    let startedB = 0;
    t += RESUME_WITHIN_MS;
    const b = new DbJobQueue(ds, { concurrency: 1, pollMs: 20, logger, workerId: "b", clock });
    b.start({ resume: async () => void (startedB += 1) });
    try {
      await eventually(() => startedB === 1);
      await eventually(
        async () => (await ds.manager.findOneByOrFail(JobEntity, { id: locked.id })).status === "done",
      );
    } finally {
      await b.stop();
    }
  });
});

async function eventually(probe: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("timed out");
}
