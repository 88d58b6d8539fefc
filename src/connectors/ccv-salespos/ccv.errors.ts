import { ConnectorError, type ConnectorErrorCode } from "../http/connector-error";
import type { CcvErrorBody } from "./ccv.types";
import { CCV_ERROR } from "./ccv.vendor-facts";

/**
 * CCV error bodies `{code, status, developermessage}` (§4.2) → the one ConnectorError taxonomy.
 * Messages are for shop owners: what went wrong in words, never a key, a hash or a raw body.
 */

const SYSTEM = "CCV_SALESPOS" as const;
const LABEL = "CCV SalesPOS";

/** Parses an error body; tolerates non-JSON (proxies answer HTML) and a numeric `code`. */
export function parseCcvErrorBody(text: string): CcvErrorBody {
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      return {
        ...o,
        code: o.code === undefined || o.code === null ? undefined : String(o.code),
        status: typeof o.status === "number" ? o.status : undefined,
        developermessage: typeof o.developermessage === "string" ? o.developermessage : undefined,
      };
    }
  } catch {
    // not JSON: classified by HTTP status alone
  }
  return {};
}

/** Vendor text made safe to show: one line, bounded, with anything that looks like a digest removed. */
function vendorDetail(body: CcvErrorBody): string {
  const m = body.developermessage?.replace(/\s+/g, " ").trim();
  if (!m) return "";
  const scrubbed = m.replace(/\b[0-9a-f]{32,}\b/gi, "…").slice(0, 300);
  return ` CCV said: "${scrubbed}".`;
}

/** 500.x codes that fail the same way every time: retrying cannot help, the data or setup must change. */
const DETERMINISTIC_500: Record<string, string> = {
  [CCV_ERROR.OUTPUT_SCHEMA_MISMATCH]: "CCV could not produce a valid answer for this record (500.20).",
  [CCV_ERROR.FILE_SIZE_EXCEEDED]: "the uploaded file is too large for CCV (500.21).",
  [CCV_ERROR.FILE_TYPE_NOT_VALID]: "CCV does not accept this file type (500.22).",
  [CCV_ERROR.FILE_NOT_SAVED]: "CCV could not store the uploaded file (500.23).",
  [CCV_ERROR.FILE_NOT_FOUND]: "the file CCV was asked to use does not exist (500.24).",
  [CCV_ERROR.JSON_SCHEMA_NOT_FOUND]: "CCV has no input schema for this request (500.25).",
  [CCV_ERROR.PROPERTY_ALREADY_EXISTS]:
    "a record with the same unique value (for example the same username) already exists in CCV (500.40).",
  [CCV_ERROR.SAME_VALUE]: "CCV refused an update that sets the same value again (500.50).",
  [CCV_ERROR.PRODUCT_LIMIT_EXCEEDED]:
    "the CCV subscription's product limit is reached; remove products or upgrade the subscription (500.60).",
  [CCV_ERROR.METHOD_NOT_ALLOWED_ON_RESOURCE]:
    "CCV does not allow this change on the record in its current state (500.70).",
  [CCV_ERROR.REQUESTED_PAYLOAD_TOO_BIG]: "the request or the requested page is too large for CCV (500.80).",
  [CCV_ERROR.REQUIRED_APP_NOT_INSTALLED]:
    "this needs an app that is not installed in the CCV shop; install it from the CCV App Store (500.90).",
};

export interface CcvErrorContext {
  method: string;
  /** resource path template, e.g. "/products/{id}" — never the query (it may carry e-mails) */
  resource: string;
  /** the wait after a 429 (ms) */
  rateLimitWaitMs: number;
}

function err(
  code: ConnectorErrorCode,
  status: number,
  vendorCode: string | undefined,
  message: string,
  extra: Partial<ConstructorParameters<typeof ConnectorError>[0]> = {},
): ConnectorError {
  return new ConnectorError({ system: SYSTEM, code, status, vendorCode, message, ...extra });
}

/** Maps a non-2xx CCV answer to a ConnectorError. */
export function ccvErrorFromResponse(status: number, bodyText: string, ctx: CcvErrorContext): ConnectorError {
  const body = parseCcvErrorBody(bodyText);
  const vendorCode = body.code ?? (body.status ? String(body.status) : undefined);
  const detail = vendorDetail(body);
  const what = `${ctx.method} ${ctx.resource}`;

  if (status === 429) {
    const total = vendorCode === CCV_ERROR.RATE_LIMIT_TOTAL;
    return err(
      "RATE_LIMITED",
      status,
      vendorCode ?? CCV_ERROR.RATE_LIMIT_RESOURCE,
      total
        ? `${LABEL} rejected the request: the shop's total API budget for this minute is used up; the gateway waits and tries again.`
        : `${LABEL} rejected the request: the per-minute limit for ${what} is reached; the gateway waits and tries again.`,
      { retryAfterMs: ctx.rateLimitWaitMs },
    );
  }
  if (status >= 300 && status < 400) {
    return err(
      "VALIDATION",
      status,
      vendorCode,
      `${LABEL} answered ${what} with a redirect; check the shop address (base URL), e.g. https:// and the exact host.`,
    );
  }
  if (status === 401) {
    return err(
      "AUTH",
      status,
      vendorCode,
      `${LABEL} refused the API key or its signature. Check the public and secret key in the CCV back office (Settings › API) and that this server's clock is correct (CCV allows 5 minutes of difference).${detail}`,
      { credentialRejected: true },
    );
  }
  if (status === 403) {
    return err(
      "AUTH",
      status,
      vendorCode,
      `${LABEL} does not allow this API key to use ${what}. Grant the key access to this resource in the CCV back office.${detail}`,
    );
  }
  if (status === 404) {
    if (vendorCode === CCV_ERROR.INVALID_RESOURCE_NAME) {
      return err(
        "VALIDATION",
        status,
        vendorCode,
        `${LABEL} does not know the resource ${ctx.resource} (404.20); this is a gateway defect, please report it.`,
      );
    }
    return err("NOT_FOUND", status, vendorCode, `${LABEL} has no such record (${what}).`);
  }
  if (status === 405) {
    return err(
      "VALIDATION",
      status,
      vendorCode ?? CCV_ERROR.METHOD_NOT_ALLOWED,
      `${LABEL} does not allow ${what} (405); this is a gateway defect, please report it.`,
    );
  }
  if (status >= 400 && status < 500) {
    return err("VALIDATION", status, vendorCode, `${LABEL} refused the data sent for ${what}.${detail}`);
  }
  if (status === 501) {
    return err(
      "VALIDATION",
      status,
      vendorCode,
      `${LABEL} does not implement ${what} (${vendorCode ?? "501"}).${detail}`,
    );
  }
  if (vendorCode && DETERMINISTIC_500[vendorCode]) {
    return err("VALIDATION", status, vendorCode, `${LABEL}: ${DETERMINISTIC_500[vendorCode]}${detail}`);
  }
  return err(
    "TEMPORARY",
    status,
    vendorCode,
    `${LABEL} had a temporary problem (${vendorCode ?? status}) with ${what}; the gateway will try again.`,
  );
}

/** A 2xx whose signature did not verify: never trusted, never retried. */
export function ccvSignatureError(
  status: number,
  method: string,
  resource: string,
  missing: boolean,
): ConnectorError {
  return err(
    "UNKNOWN",
    status,
    missing ? "response-unsigned" : "response-signature-mismatch",
    `${LABEL}: the response signature did not verify for ${method} ${resource} (${missing ? "no signature" : "wrong signature"}) — possible tampering, or a proxy rewriting the body. The answer was not used.`,
    // the server may have applied a write before its answer was spoiled
    { ambiguous: method !== "GET" },
  );
}

/** A 2xx whose body is not the JSON the endpoint documents. */
export function ccvShapeError(method: string, resource: string, why: string): ConnectorError {
  return err("UNKNOWN", 200, "unexpected-response", `${LABEL} answered ${method} ${resource} with ${why}.`);
}
