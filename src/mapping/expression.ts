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
  return {
    source,
    async evaluate(input, bindings) {
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
