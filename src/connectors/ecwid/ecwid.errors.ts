import { ConnectorError, parseRetryAfter, type RawResponse } from "../http";
import { ECWID_SCOPE_PURPOSE, requiredEcwidScopes, type EcwidScope } from "./ecwid.scopes";
import type { EcwidErrorBody } from "./ecwid.types";
import {
  ECWID_DEFAULT_RETRY_AFTER_MS,
  ECWID_DUPLICATE_CUSTOMER_STATUS,
  ECWID_INSUFFICIENT_SCOPE_CODE,
  ECWID_INVALID_TOKEN_CODE,
  ECWID_RATE_LIMIT_PER_MINUTE,
  ECWID_SKU_EXISTS_CODE,
  ECWID_TEMPORARY_STATUSES,
  isEcwidSuccessStatus,
} from "./ecwid.vendor-facts";

/**
 * Ecwid answers → the ConnectorError taxonomy (ARCHITECTURE §5), with messages a shop owner
 * understands. Reference §3.1 (error body), §3.2 (status codes), §3.3 (429 + Retry-After).
 */

export interface EcwidErrorContext {
  storeId: number;
  method: string;
  /** path relative to /api/v3/{storeId}, without the query string */
  storePath: string;
  /** removes credentials from any vendor text before it goes into a message */
  scrub: (text: string) => string;
  now?: number;
}

/** Reads `{errorMessage, errorCode}` (or the pre-2019 `error_message`); the body may be empty or not JSON. */
export function parseEcwidErrorBody(text: string): { message?: string; code?: string } {
  if (!text.trim()) return {};
  try {
    const b = JSON.parse(text) as EcwidErrorBody | null;
    if (!b || typeof b !== "object") return {};
    const message =
      typeof b.errorMessage === "string"
        ? b.errorMessage
        : typeof b.error_message === "string"
          ? b.error_message
          : undefined;
    const code = typeof b.errorCode === "string" && b.errorCode !== "" ? b.errorCode : undefined;
    return { message, code };
  } catch {
    // not JSON (a proxy's HTML page, a truncated body): never echoed (contract "Vendor base URLs");
    // the status code says what happened
    return {};
  }
}

/** "the read_orders scope" / "the read_catalog and update_catalog scopes" */
function scopeWords(scopes: EcwidScope[]): string {
  if (scopes.length === 1) return `the ${scopes[0]} scope (needed to ${ECWID_SCOPE_PURPOSE[scopes[0]]})`;
  const purposes = scopes.map((s) => ECWID_SCOPE_PURPOSE[s]).join(" and ");
  return `one of the ${scopes.join(" and ")} scopes (needed to ${purposes})`;
}

/** Ecwid's answer → null (success) or the error it means. */
export function classifyEcwidResponse(
  res: Pick<RawResponse, "status" | "headers" | "text">,
  ctx: EcwidErrorContext,
): ConnectorError | null {
  const { status } = res;
  if (isEcwidSuccessStatus(status)) return null;
  const parsed = parseEcwidErrorBody(res.text);
  const vendorCode = parsed.code;
  const vendorMessage = parsed.message ? ctx.scrub(parsed.message) : undefined;
  const detail = vendorMessage ? `: ${vendorMessage}` : "";
  const codeNote = vendorCode ? ` (${vendorCode})` : "";
  const base = { system: "ECWID" as const, status, vendorCode };

  if (status === 429) {
    const retryAfterMs = parseRetryAfter(res.headers["retry-after"], ctx.now) ?? ECWID_DEFAULT_RETRY_AFTER_MS;
    return new ConnectorError({
      ...base,
      code: "RATE_LIMITED",
      retryAfterMs,
      message: `Ecwid's rate limit (${ECWID_RATE_LIMIT_PER_MINUTE} requests per minute per token) was reached; Ecwid asked to wait ${Math.ceil(retryAfterMs / 1000)} s.`,
    });
  }
  if (status >= 500 || ECWID_TEMPORARY_STATUSES.includes(status)) {
    const what =
      status === 449
        ? "the catalogue is locked by a running import"
        : status === 408
          ? "Ecwid timed out"
          : `Ecwid had a temporary problem (HTTP ${status}${codeNote})`;
    return new ConnectorError({
      ...base,
      code: "TEMPORARY",
      message: `${what}; the gateway will try again.`,
    });
  }
  if (status === 403 && vendorCode === ECWID_INVALID_TOKEN_CODE) {
    return new ConnectorError({
      ...base,
      code: "AUTH",
      credentialRejected: true,
      message: `Ecwid refused the access token for store ${ctx.storeId}: it is invalid or the app that issued it was uninstalled. Enter a new token for this integration.`,
    });
  }
  if (status === 403 || status === 401) {
    const scopes = requiredEcwidScopes(ctx.method, ctx.storePath);
    const scopeProblem =
      status === 403 && (vendorCode === ECWID_INSUFFICIENT_SCOPE_CODE || vendorCode === undefined);
    const message = scopeProblem
      ? scopes.length > 0
        ? `Ecwid refused the token: it lacks ${scopeWords(scopes)}. Reinstall the app with that permission.`
        : `Ecwid refused the token: it lacks a permission this call needs${detail}.`
      : `Ecwid refused the request (HTTP ${status}${codeNote})${detail}.`;
    return new ConnectorError({ ...base, code: "AUTH", message });
  }
  if (status === 404) {
    return new ConnectorError({
      ...base,
      code: "NOT_FOUND",
      message: `Ecwid: ${vendorMessage ?? `nothing found at ${ctx.storePath}`}.`,
    });
  }
  if (status === 402) {
    const why =
      vendorCode === "STORE_IS_SUSPENDED"
        ? "the store is suspended"
        : "the store's Ecwid plan does not allow this (API access, variations and product or category counts depend on the plan)";
    return new ConnectorError({
      ...base,
      code: "VALIDATION",
      message: `Ecwid refused: ${why}${codeNote}${detail}.`,
    });
  }
  if (status === 409 && vendorCode === ECWID_SKU_EXISTS_CODE) {
    return new ConnectorError({
      ...base,
      code: "VALIDATION",
      message: `Ecwid refused: the SKU is already used by another product${detail}.`,
    });
  }
  if (status === ECWID_DUPLICATE_CUSTOMER_STATUS && ctx.storePath.startsWith("/customers")) {
    return new ConnectorError({
      ...base,
      code: "VALIDATION",
      message: `Ecwid refused: a customer with this e-mail address already exists${detail}.`,
    });
  }
  if (status === 415) {
    return new ConnectorError({
      ...base,
      code: "VALIDATION",
      message: `Ecwid refused the request's content type${detail}.`,
    });
  }
  if (status === 400 || status === 409 || status === 422) {
    return new ConnectorError({
      ...base,
      code: "VALIDATION",
      message: `Ecwid refused the data (HTTP ${status}${codeNote})${detail}.`,
    });
  }
  return new ConnectorError({
    ...base,
    code: "UNKNOWN",
    message: `Ecwid answered HTTP ${status}${codeNote}${detail}.`,
  });
}

/** A 409 from a customer create/update: the e-mail address is taken (§9; no errorCode is documented). */
export const isEcwidDuplicateCustomer = (e: unknown): e is ConnectorError =>
  e instanceof ConnectorError &&
  e.system === "ECWID" &&
  e.status === ECWID_DUPLICATE_CUSTOMER_STATUS &&
  e.code === "VALIDATION";

/** A 409 SKU_ALREADY_EXISTS from a product or variation write. */
export const isEcwidSkuConflict = (e: unknown): e is ConnectorError =>
  e instanceof ConnectorError &&
  e.system === "ECWID" &&
  e.status === 409 &&
  e.vendorCode === ECWID_SKU_EXISTS_CODE;

/** A 403 INSUFFICIENT_APP_SCOPE (or an uncoded 403): the token works but lacks a permission. */
export const isEcwidMissingScope = (e: unknown): e is ConnectorError =>
  e instanceof ConnectorError &&
  e.system === "ECWID" &&
  e.code === "AUTH" &&
  e.status === 403 &&
  !e.credentialRejected;
