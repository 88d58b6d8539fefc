import jsonata from "jsonata";

/**
 * JSONata expressions of field mappings. Compiled when a mapping is saved (a bad expression is
 * refused with the position of the error); evaluated with a time and depth limit, against the
 * source record only, with the gateway's helper functions bound (no access to anything else:
 * JSONata has no I/O, globals or modules).
 */
export const EVAL_TIMEOUT_MS = 250;
export const EVAL_MAX_DEPTH = 300;

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position?: number,
    readonly token?: string,
  ) {
    super(message);
    this.name = "ExpressionError";
  }
}

interface JsonataErr {
  code?: string;
  position?: number;
  token?: string;
  message?: string;
  value?: unknown;
}

function describe(e: JsonataErr): string {
  if (e.code === "D1012") return `evaluation took longer than ${EVAL_TIMEOUT_MS} ms (an endless loop?)`;
  if (e.code === "D1011") return "evaluation nested too deeply (endless recursion?)";
  return e.message ?? String(e);
}

export interface CompiledExpression {
  source: string;
  evaluate(input: unknown, bindings?: Record<string, unknown>): Promise<unknown>;
}

export function compileExpression(source: string): CompiledExpression {
  let expr: jsonata.Expression;
  try {
    expr = jsonata(source, { timeout: EVAL_TIMEOUT_MS, stack: EVAL_MAX_DEPTH });
  } catch (e) {
    const err = e as JsonataErr;
    const at = err.position !== undefined ? ` at position ${err.position}` : "";
    throw new ExpressionError(`${describe(err)}${at}`, err.position, err.token);
  }
  const path = boundPath(source);
  return {
    source,
    async evaluate(input, bindings) {
      if (path) {
        const v = readBoundPath(path, bindings);
        if (v !== FALLBACK) return v;
      }
      try {
        const v = await expr.evaluate(input, bindings);
        return unwrapSequence(v);
      } catch (e) {
        const err = e as JsonataErr;
        const at = err.position !== undefined ? ` at position ${err.position}` : "";
        throw new ExpressionError(`${describe(err)}${at}`, err.position, err.token);
      }
    },
  };
}

/** JSONata returns arrays tagged as "sequences"; a plain copy keeps payloads plain JSON. */
function unwrapSequence(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrapSequence);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    // defineProperty: a "__proto__" key that came with vendor data stays a plain (own) key
    for (const [k, x] of Object.entries(v))
      Object.defineProperty(out, k, {
        value: unwrapSequence(x),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return v;
}

/**
 * Most default mappings are a bound variable followed by field names (`$ctx.billing.zipcode`).
 * Those are read directly, without JSONata's evaluator (about a third of an order's CPU went into
 * evaluating 35 such paths). Only where the result is certain to be JSONata's: every step a plain
 * object's own property, the value a scalar, null or a plain object (copied as JSONata's result
 * would be). Arrays (JSONata flattens and unwraps them), other objects and names that reach a
 * prototype are left to JSONata.
 */
interface BoundPath {
  variable: string;
  keys: string[];
}
const BOUND_PATH = /^\s*\$([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*$/;
const FALLBACK = Symbol("fallback");

function boundPath(source: string): BoundPath | null {
  const m = BOUND_PATH.exec(source);
  if (!m) return null;
  const keys = m[2].slice(1).split(".");
  // a name every object has (toString, constructor, __proto__ …) is JSONata's business
  if (keys.some((k) => k in Object.prototype)) return null;
  return { variable: m[1], keys };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

function readBoundPath(path: BoundPath, bindings: Record<string, unknown> | undefined): unknown {
  if (!bindings || !Object.prototype.hasOwnProperty.call(bindings, path.variable)) return FALLBACK;
  let cur: unknown = bindings[path.variable];
  for (const k of path.keys) {
    if (cur === undefined || cur === null) return undefined;
    if (!isPlainObject(cur))
      return typeof cur === "object" || typeof cur === "function" ? FALLBACK : undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, k)) return undefined;
    cur = cur[k];
  }
  if (cur === null || typeof cur === "string" || typeof cur === "boolean") return cur;
  if (typeof cur === "number") return Number.isFinite(cur) ? cur : FALLBACK;
  if (cur === undefined) return undefined;
  return isPlainObject(cur) ? unwrapSequence(cur) : FALLBACK;
}
