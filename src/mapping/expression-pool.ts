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
export const EVAL_HARD_LIMIT_MS = 1_000;
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
  const progress = new Int32Array(new SharedArrayBuffer(4));
  const ac = new AbortController();
  let seen = 0;
  const watchdog = setInterval(() => {
    const now = Atomics.load(progress, 0);
    // 0: still queued behind another apply, which has its own watchdog
    if (now !== 0 && now === seen) ac.abort(new HardLimit(now - 1));
    seen = now;
  }, EVAL_HARD_LIMIT_MS);
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
    return sources.map((_, i) =>
      i === culprit
        ? { error: why }
        : { error: `not evaluated: the evaluation of another expression of this record was stopped` },
    );
  } finally {
    clearInterval(watchdog);
  }
}
