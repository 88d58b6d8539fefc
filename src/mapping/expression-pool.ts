import os from "node:os";
import path from "node:path";
import { Piscina } from "piscina";
import { EVAL_MAX_DEPTH, EVAL_TIMEOUT_MS } from "./expression";

/**
 * User JSONata expressions run here, off the main thread, in a small piscina pool: whatever an
 * expression does (a catastrophic regular expression, a runaway built-in), the gateway's event loop
 * keeps serving. One round trip per `MappingSet.apply` carries all its user expressions; the
 * defaults (the gateway's own expressions) stay on the main thread.
 *
 * Hard limit: the worker marks which expression it is on; a watchdog terminates the worker (piscina
 * aborts a running task by terminating its thread) when the mark has not moved for
 * EVAL_HARD_LIMIT_MS, and piscina starts a fresh one. JSONata's own 250 ms timeout answers first for
 * ordinary endless loops (the worker survives those); the watchdog is for what that timeout cannot
 * interrupt.
 */
export const EVAL_HARD_LIMIT_MS = 500;
/** how often the watchdog looks */
const WATCH_EVERY_MS = 100;
/**
 * An expression stopped at the hard limit is not run again for this long: it would only burn a
 * worker for another EVAL_HARD_LIMIT_MS on every record (a run of 1,000 orders, a preview clicked
 * again). Changing the mapping changes the expression, which is then tried afresh.
 */
export const QUARANTINE_MS = 10 * 60_000;
const quarantine = new Map<string, number>();
/** memory one worker may use: an expression that builds huge arrays ends its worker, not the gateway */
const WORKER_HEAP_MB = 96;

export type ExpressionOutcome = { value: unknown } | { error: string };

let pool: Piscina | undefined;

function thePool(): Piscina {
  pool ??= new Piscina({
    filename: path.join(__dirname, "expression.worker.js"),
    minThreads: 1,
    maxThreads: Math.max(1, Math.min(2, os.availableParallelism() - 1)),
    idleTimeout: 60_000,
    maxQueue: 2_000,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
  });
  return pool;
}

/** Stops the worker threads (graceful shutdown, test teardown); the next evaluation starts new ones. */
export async function closeExpressionPool(): Promise<void> {
  const p = pool;
  pool = undefined;
  if (p) await p.destroy();
}

class HardLimit extends Error {
  constructor(readonly index: number) {
    super("hard limit");
  }
}

/**
 * Evaluates the expressions in order against one input; one outcome per expression. Never throws
 * for what an expression does: a stopped or crashed evaluation becomes that expression's error.
 */
export async function evaluateInWorker(
  sources: string[],
  input: unknown,
  bindings: Record<string, unknown> | undefined,
): Promise<ExpressionOutcome[]> {
  if (sources.length === 0) return [];
  const now = Date.now();
  const stoppedBefore = sources.map((src) => (quarantine.get(src) ?? 0) > now);
  if (stoppedBefore.some(Boolean)) {
    return sources.map((_, i) =>
      stoppedBefore[i]
        ? {
            error: `not evaluated: this expression was stopped at the ${EVAL_HARD_LIMIT_MS} ms limit less than ${QUARANTINE_MS / 60_000} minutes ago (a slow regular expression or an endless loop?); change it, or wait`,
          }
        : { error: "not evaluated: another expression of this record is held back (see its error)" },
    );
  }
  const progress = new Int32Array(new SharedArrayBuffer(4));
  const ac = new AbortController();
  // the expression being evaluated, and since when (0: still queued behind another apply)
  let seen = 0;
  let since = Date.now();
  const watchdog = setInterval(() => {
    const at = Atomics.load(progress, 0);
    if (at !== seen) {
      seen = at;
      since = Date.now();
    } else if (at !== 0 && Date.now() - since >= EVAL_HARD_LIMIT_MS) {
      ac.abort(new HardLimit(at - 1));
    }
  }, WATCH_EVERY_MS);
  try {
    return (await thePool().run(
      { sources, input, bindings, progress, timeoutMs: EVAL_TIMEOUT_MS, maxDepth: EVAL_MAX_DEPTH },
      { signal: ac.signal },
    )) as ExpressionOutcome[];
  } catch (e) {
    const stopped = ac.signal.reason instanceof HardLimit ? ac.signal.reason.index : -1;
    const why =
      stopped >= 0
        ? `evaluation did not finish within ${EVAL_HARD_LIMIT_MS} ms and was stopped (a slow regular expression or an endless loop?)`
        : /OUT_OF_MEMORY/.test(String((e as { code?: string }).code ?? e))
          ? "evaluation used too much memory and was stopped"
          : `evaluation failed: ${(e as Error).message}`;
    const culprit = stopped >= 0 ? stopped : Math.max(0, Atomics.load(progress, 0) - 1);
    quarantine.set(sources[culprit], Date.now() + QUARANTINE_MS);
    if (quarantine.size > 1_000) quarantine.delete(quarantine.keys().next().value!);
    return sources.map((_, i) =>
      i === culprit
        ? { error: why }
        : { error: `not evaluated: the evaluation of another expression of this record was stopped` },
    );
  } finally {
    clearInterval(watchdog);
  }
}
