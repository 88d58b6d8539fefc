import { CCV_SANDBOX_VALIDATION_ERROR } from "../../connectors/ccv-salespos/ccv.vendor-facts";

/**
 * An answer the sandbox gives instead of a result: HTTP status + the CCV error shape (§4.2).
 * Thrown by the store and the router; the server turns it into a signed JSON error response.
 */
export class CcvSandboxError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly developermessage: string,
  ) {
    super(developermessage);
    this.name = "CcvSandboxError";
  }
}

export const invalid = (message: string) =>
  new CcvSandboxError(CCV_SANDBOX_VALIDATION_ERROR.status, CCV_SANDBOX_VALIDATION_ERROR.code, message);

/**
 * A tiny JSON-schema stand-in (CCV validates bodies against JSON schemas, §4.3). A field spec is a
 * type list joined by "|" ("string", "number", "integer", "boolean", "object", "array", "any"),
 * prefixed with "!" when required and suffixed with "?" when null is allowed. Unknown fields are
 * refused, as an `additionalProperties: false` schema would.
 */
export type FieldSpec = string;
export type BodySpec = Record<string, FieldSpec>;

/** The Personalinfo entity (an order's `customer`, a user's `userinfo`, §5.7): accepted as any object. */
export const PERSONALINFO_FIELDS: FieldSpec = "object";

function typeOk(v: unknown, t: string): boolean {
  switch (t) {
    case "string":
      return typeof v === "string";
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "boolean":
      return typeof v === "boolean";
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "array":
      return Array.isArray(v);
    default:
      return true;
  }
}

export function validateBody(
  body: unknown,
  spec: BodySpec,
  opts: { partial?: boolean; resource: string },
): Record<string, unknown> {
  if (!typeOk(body, "object")) throw invalid(`The body of ${opts.resource} must be a JSON object.`);
  const b = body as Record<string, unknown>;
  for (const [k, v] of Object.entries(b)) {
    const s = spec[k];
    if (s === undefined) throw invalid(`Property '${k}' is not allowed on ${opts.resource}.`);
    const nullable = s.endsWith("?");
    const types = s.replace(/^!/, "").replace(/\?$/, "").split("|");
    if (v === null) {
      if (!nullable) throw invalid(`Property '${k}' of ${opts.resource} may not be null.`);
      continue;
    }
    if (!types.some((t) => typeOk(v, t))) {
      throw invalid(`Property '${k}' of ${opts.resource} must be of type ${types.join(" or ")}.`);
    }
  }
  if (!opts.partial) {
    for (const [k, s] of Object.entries(spec)) {
      if (s.startsWith("!") && b[k] === undefined)
        throw invalid(`Property '${k}' is required on ${opts.resource}.`);
    }
  }
  return b;
}
