import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { READ_SHARE, SharedRateBudget } from "../rate-budget";

/**
 * The read share, on a virtual clock (deterministic, no real waiting): while unified reads hammer
 * a lane, a sync run on the same credential and lane keeps the rest of it.
 */
class VirtualClock {
  t = 0;
  private timers: { at: number; resolve: () => void }[] = [];
  now = () => this.t;
  sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      this.timers.push({ at: this.t + Math.max(0, ms), resolve });
    });
  /** runs every timer due until `until` (ms), letting the awakened code run between timers */
  async runUntil(until: number): Promise<void> {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > until) return;
      this.timers.shift();
      this.t = next.at;
      next.resolve();
    }
  }
}

/** the counting limiter is the cross-process guarantee; the spacing gate is what shares a lane */
const unlimited = () => ({ consume: async () => undefined }) as unknown as RateLimiterAbstract;

async function minuteOf(opts: { readers: number; syncs: boolean }) {
  const clock = new VirtualClock();
  const budget = new SharedRateBudget({ now: clock.now, sleep: clock.sleep, limiterFactory: unlimited });
  const perMinute = 150; // CCV's GET lane
  const starts = { reads: 0, sync: 0 };
  let stop = false;
  // reads: many concurrent GraphQL readers, each asking again as soon as it got a slot
  for (let r = 0; r < opts.readers; r++) {
    void (async () => {
      while (!stop) {
        await budget.acquire("cred", "GET /products", perMinute, undefined, { share: "reads" });
        if (clock.t < 60_000) starts.reads++;
      }
    })();
  }
  // a sync run: one request after the other, as fast as the lane lets it
  if (opts.syncs) {
    void (async () => {
      while (!stop) {
        await budget.acquire("cred", "GET /products", perMinute);
        if (clock.t < 60_000) starts.sync++;
      }
    })();
  }
  await clock.runUntil(60_000);
  stop = true;
  return { ...starts, lane: Math.floor(perMinute * 0.97) };
}

describe("unified reads draw from their own share of each lane", () => {
  it("reads hammering a lane hold at most their share; a sync keeps the rest", async () => {
    const m = await minuteOf({ readers: 50, syncs: true });
    const readShare = Math.floor(m.lane * READ_SHARE);
    expect(m.reads).toBeLessThanOrEqual(readShare + 1);
    expect(m.sync).toBeGreaterThanOrEqual(m.lane - readShare - 2);
    expect(m.reads + m.sync).toBeLessThanOrEqual(m.lane + 1);
  });

  it("without reads a sync has the whole lane", async () => {
    const m = await minuteOf({ readers: 0, syncs: true });
    expect(m.sync).toBeGreaterThanOrEqual(m.lane - 1);
    expect(m.sync).toBeLessThanOrEqual(m.lane + 1);
  });

  it("reads alone never take more than their share", async () => {
    const m = await minuteOf({ readers: 50, syncs: false });
    expect(m.reads).toBeLessThanOrEqual(Math.floor(m.lane * READ_SHARE) + 1);
  });
});
