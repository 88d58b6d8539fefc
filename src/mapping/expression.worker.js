// The worker thread that evaluates user JSONata expressions (a piscina task per MappingSet.apply).
// Plain JavaScript on purpose: worker threads load it directly, under jest and from dist alike.
//
// Why a thread: JSONata's own timeout is only checked between evaluation steps, so a catastrophic
// regular expression or a runaway built-in holds the thread it runs on. Here it can only hold this
// worker; the pool (expression-pool.ts) terminates the worker when `progress` stops moving.
"use strict";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS worker file
const jsonata = require("jsonata");

// User expressions never compete with the gateway's own event loop for the CPU: on Linux the nice
// value is per thread (setpriority on the calling thread), so this worker yields to the API and the
// sync whenever both want a core. Elsewhere, or where it is not allowed, it simply keeps its priority.
const WORKER_NICE = 10;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS worker file
  require("node:os").setPriority(WORKER_NICE);
} catch {
  // not permitted here: the watchdog still bounds every evaluation
}

const MAX_CACHED = 500;
/** longest regular expression accepted inside an expression (its run time is bounded by the pool) */
const MAX_REGEX_LENGTH = 500;

/** JSONata's regex engine with a size bound; what a pattern costs to run is bounded by the watchdog */
class BoundedRegExp extends RegExp {
  constructor(pattern, flags) {
    const source = pattern instanceof RegExp ? pattern.source : String(pattern);
    if (source.length > MAX_REGEX_LENGTH)
      throw new Error(`a regular expression is longer than ${MAX_REGEX_LENGTH} characters`);
    super(pattern, flags);
  }
}
/** compiled expressions by source, least recently used first */
const cache = new Map();

function compiled(source, timeout, stack) {
  let expr = cache.get(source);
  if (expr) {
    cache.delete(source);
  } else {
    expr = jsonata(source, { timeout, stack, RegexEngine: BoundedRegExp });
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value);
  }
  cache.set(source, expr);
  return expr;
}

const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);

/** JSONata sequences and objects as plain data; functions and prototype keys are not values */
function plain(v, depth) {
  if (depth > 200) throw new Error("the result is nested too deeply");
  if (typeof v === "function") throw new Error("the expression returned a function, not a value");
  if (Array.isArray(v)) return v.map((x) => plain(x, depth + 1));
  if (v && typeof v === "object") {
    const out = {};
    for (const k of Object.keys(v)) {
      if (FORBIDDEN.has(k)) throw new Error(`the result has the key "${k}", which is not a field name`);
      out[k] = plain(v[k], depth + 1);
    }
    return out;
  }
  return v;
}

function describe(e, timeout) {
  if (e && e.code === "D1012") return `evaluation took longer than ${timeout} ms (an endless loop?)`;
  if (e && e.code === "D1011") return "evaluation nested too deeply (endless recursion?)";
  const msg = e && e.message ? e.message : String(e);
  return e && e.position !== undefined ? `${msg} at position ${e.position}` : msg;
}

/**
 * task: { sources: string[], input, bindings, progress: Int32Array on a SharedArrayBuffer,
 * timeoutMs, maxDepth } → one { value } or { error } per source, in order. `progress[0]` is set to
 * i + 1 when expression i starts, so the pool knows which one a stuck worker was running.
 */
module.exports = async function evaluate(task) {
  const out = [];
  for (let i = 0; i < task.sources.length; i++) {
    Atomics.store(task.progress, 0, i + 1);
    try {
      const expr = compiled(task.sources[i], task.timeoutMs, task.maxDepth);
      const value = await expr.evaluate(task.input, task.bindings);
      out.push({ value: plain(value, 0) });
    } catch (e) {
      out.push({ error: describe(e, task.timeoutMs) });
    }
  }
  return out;
};
