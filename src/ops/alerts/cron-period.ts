import cron from "node-cron";

const cache = new Map<string, number>();

/**
 * The longest gap between two consecutive ticks of a cron expression (over its next 50 ticks):
 * how long a flow on that schedule may normally go without a run ("0 7 * * 1-5" → 3 days).
 */
export function cronPeriodMs(expr: string): number {
  const hit = cache.get(expr);
  if (hit !== undefined) return hit;
  const task = cron.createTask(expr, () => undefined, { name: `period:${expr}` });
  try {
    const runs = task.getNextRuns(50).map((d) => d.getTime());
    let max = 0;
    for (let i = 1; i < runs.length; i++) max = Math.max(max, runs[i] - runs[i - 1]);
    const period = max || 24 * 3600_000;
    cache.set(expr, period);
    return period;
  } finally {
    void task.destroy();
  }
}
