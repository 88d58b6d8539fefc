import type { RunPaceData, SyncRunEntity } from "../../db/entities/sync-run.entity";

/** what one item of a flow costs upstream, as the flow declares it */
export interface FlowCost {
  requestsPerItem: number;
  lanePerMinute: number;
}

/**
 * Weight of the newest interval in the moving average: 0.2 lets the last ~10 items dominate, so
 * the estimate follows a run that slows down (a rate limit starts to bite, a 429 penalty) within a
 * few items, while one slow item does not swing it.
 */
export const PACE_ALPHA = 0.2;
/** below this many observed items the flow's declared cost is the better guess */
export const PACE_MIN_SAMPLES = 5;

/**
 * One more item finished at `at` (epoch ms): the exponentially weighted moving average of the time
 * between item completions (the first interval counts from the run's start). Concurrent items are
 * fine: intervals between completions measure throughput, not the duration of one item.
 */
export function observeItem(pace: RunPaceData | undefined, at: number, startedAt: number): RunPaceData {
  const lastAt = pace ? Date.parse(pace.lastAt) : startedAt;
  const interval = Math.max(0, at - lastAt);
  const msPerItem =
    pace && pace.samples > 0 ? PACE_ALPHA * interval + (1 - PACE_ALPHA) * pace.msPerItem : interval;
  return { msPerItem, samples: (pace?.samples ?? 0) + 1, lastAt: new Date(at).toISOString() };
}

/**
 * When a running run should finish. From PACE_MIN_SAMPLES items on: the observed pace (the moving
 * average above); while the current wait already lasts longer than that pace, the wait counts as
 * an interval of its own, so a stalled run's estimate moves out instead of staying put. Before:
 * the flow's declared cost at its slowest lane's limit, or the average so far when that is slower.
 * Null when nothing is known yet.
 */
export function estimateFinish(
  r: Pick<SyncRunEntity, "status" | "startedAt" | "expectedTotal" | "total" | "state">,
  cost: FlowCost | undefined,
  now: Date = new Date(),
): Date | null {
  if (r.status !== "RUNNING" || !r.startedAt || !r.expectedTotal) return null;
  const remaining = Math.max(0, r.expectedTotal - r.total);
  if (remaining === 0) return now;
  const pace = r.state?.pace;
  let perItem: number;
  if (pace && pace.samples >= PACE_MIN_SAMPLES) {
    const waiting = now.getTime() - Date.parse(pace.lastAt);
    perItem =
      waiting > pace.msPerItem ? PACE_ALPHA * waiting + (1 - PACE_ALPHA) * pace.msPerItem : pace.msPerItem;
  } else {
    const elapsed = now.getTime() - r.startedAt.getTime();
    const average = r.total > 0 ? elapsed / r.total : 0;
    const declared = cost ? (cost.requestsPerItem * 60_000) / cost.lanePerMinute : 0;
    perItem = Math.max(average, declared);
  }
  if (perItem === 0) return null;
  return new Date(now.getTime() + remaining * perItem);
}
