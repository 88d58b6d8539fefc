import type { RunPaceData, SyncRunEntity } from "../../../db/entities/sync-run.entity";
import { estimateFinish, observeItem, PACE_MIN_SAMPLES } from "../finish-estimate";

type RunView = Pick<SyncRunEntity, "status" | "startedAt" | "expectedTotal" | "total" | "state">;

/**
 * A run driven by a deterministic clock: items finish at the given times (ms after the start), and
 * the pace is observed exactly as the executor does per recorded item.
 */
function runAfter(finishTimes: number[], expectedTotal: number): RunView {
  const start = Date.UTC(2025, 0, 1, 12);
  let pace: RunPaceData | undefined;
  for (const t of finishTimes) pace = observeItem(pace, start + t, start);
  return {
    status: "RUNNING",
    startedAt: new Date(start),
    expectedTotal,
    total: finishTimes.length,
    state: pace ? { pace } : null,
  };
}
const at = (r: RunView, msAfterStart: number) => new Date(r.startedAt!.getTime() + msAfterStart);
const msUntil = (r: RunView, now: Date, cost?: { requestsPerItem: number; lanePerMinute: number }) =>
  estimateFinish(r, cost, now)!.getTime() - now.getTime();

describe("finish estimate: follows the observed item rate", () => {
  // 1 request per item on a 100/min lane, as the flow declares: 600 ms per item
  const declared = { requestsPerItem: 1, lanePerMinute: 100 };

  it("before enough items, uses the flow's declared cost (or the average so far when slower)", () => {
    const none = runAfter([], 100);
    expect(msUntil(none, at(none, 0), declared)).toBe(100 * 600);
    const two = runAfter([1000, 2000], 100);
    expect(two.state!.pace!.samples).toBeLessThan(PACE_MIN_SAMPLES);
    // average 1000 ms beats the declared 600 ms
    expect(msUntil(two, at(two, 2000), declared)).toBe(98 * 1000);
    expect(estimateFinish(none, undefined, at(none, 0))).toBeNull();
  });

  it("a rate-limited run that starts fast: the estimate follows the throttled pace, not the early average", () => {
    // 20 items at 300 ms (a fresh budget), then the limit bites: one item per 1200 ms
    const times: number[] = [];
    let t = 0;
    for (let i = 0; i < 20; i++) times.push((t += 300));
    for (let i = 0; i < 12; i++) times.push((t += 1200));
    const r = runAfter(times, 132);
    const now = at(r, t);
    const truth = 100 * 1200; // what the remaining 100 items will really take
    const estimate = msUntil(r, now, declared);
    expect(Math.abs(estimate - truth) / truth).toBeLessThan(0.06);
    // the run's overall average (what the estimate used to follow) is about twice too early
    const average = (t / times.length) * 100;
    expect(average / truth).toBeLessThan(0.55);
  });

  it("a run that stalls (a long 429 penalty) moves its estimate out while it waits", () => {
    const times = Array.from({ length: 10 }, (_, i) => (i + 1) * 500);
    const r = runAfter(times, 20);
    const steady = msUntil(r, at(r, 5000), declared);
    expect(steady).toBeCloseTo(10 * 500, -1);
    const stalledFinish = estimateFinish(r, declared, at(r, 5000 + 30_000))!.getTime();
    const steadyFinish = at(r, 5000).getTime() + steady;
    expect(stalledFinish).toBeGreaterThan(steadyFinish + 30_000);
  });

  it("a finished or not yet started run has no estimate; nothing left means now", () => {
    const r = runAfter([100, 200], 2);
    expect(estimateFinish(r, declared, at(r, 200))).toEqual(at(r, 200));
    expect(estimateFinish({ ...r, status: "SUCCEEDED" }, declared, at(r, 300))).toBeNull();
    expect(estimateFinish({ ...r, startedAt: null }, declared, at(r, 300))).toBeNull();
  });
});
