/**
 * Ecwid's error answer and the checks every Ecwid write body goes through: a JSON object, fields of
 * the documented types (unknown fields pass, as Ecwid ignores them).
 */

/** An Ecwid error answer: `{errorMessage, errorCode}` with its HTTP status (§3.1). */
export class EcwidApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessage: string,
    readonly errorCode?: string,
  ) {
    super(errorMessage);
  }
  get body(): { errorMessage: string; errorCode?: string } {
    return this.errorCode
      ? { errorMessage: this.errorMessage, errorCode: this.errorCode }
      : { errorMessage: this.errorMessage };
  }
}

export const wrongParameter = (message: string) => new EcwidApiError(400, message, "WRONG_PARAMETER");

export type Json = Record<string, unknown>;

export const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
export const clone = <T>(v: T): T => structuredClone(v);

/** Checks the type of the fields a body carries (unknown fields pass, as Ecwid ignores them). */
export function checkFields(
  body: Json,
  spec: Record<string, "string" | "number" | "int" | "boolean" | "array" | "object">,
): void {
  for (const [k, t] of Object.entries(spec)) {
    const v = body[k];
    if (v === undefined || v === null) continue;
    const ok =
      t === "array"
        ? Array.isArray(v)
        : t === "object"
          ? isObj(v)
          : t === "int"
            ? typeof v === "number" && Number.isInteger(v)
            : typeof v === t;
    if (!ok)
      throw wrongParameter(
        `Field '${k}' has a wrong value: expected ${t === "int" ? "an integer" : `a ${t}`}`,
      );
  }
}

export function requireObject(body: unknown): Json {
  if (body === undefined) throw wrongParameter("Request body is empty");
  if (!isObj(body)) throw wrongParameter("Request body is invalid: expected a JSON object");
  return body;
}
