import type { SystemKind } from "../../domain/system";
import { SYSTEM_LABEL } from "../../domain/system";

/**
 * The one error taxonomy of every connector (ARCHITECTURE §5). `code` decides what happens next
 * (see `errorDisposition`); `message` is written for a shop owner and never holds a credential.
 */
export type ConnectorErrorCode =
  "TEMPORARY" | "RATE_LIMITED" | "AUTH" | "NOT_FOUND" | "VALIDATION" | "UNKNOWN";

export interface ConnectorErrorInit {
  system: SystemKind;
  code: ConnectorErrorCode;
  message: string;
  /** HTTP status when the vendor answered */
  status?: number;
  /** the vendor's own error code (Ecwid errorCode, CCV "429.10") */
  vendorCode?: string;
  /** how long the vendor asked us to wait (Retry-After), in ms */
  retryAfterMs?: number;
  /** the request may have reached the vendor and been applied (timeout or reset after sending) */
  ambiguous?: boolean;
  /** a 403 that condemns the credential itself (not just one missing scope) */
  credentialRejected?: boolean;
  cause?: unknown;
}

export class ConnectorError extends Error {
  readonly system: SystemKind;
  readonly code: ConnectorErrorCode;
  readonly status?: number;
  readonly vendorCode?: string;
  readonly retryAfterMs?: number;
  readonly ambiguous: boolean;
  readonly credentialRejected: boolean;

  constructor(init: ConnectorErrorInit) {
    super(init.message, init.cause ? { cause: init.cause } : undefined);
    this.name = "ConnectorError";
    this.system = init.system;
    this.code = init.code;
    this.status = init.status;
    this.vendorCode = init.vendorCode;
    this.retryAfterMs = init.retryAfterMs;
    this.ambiguous = init.ambiguous ?? false;
    this.credentialRejected = init.credentialRejected ?? false;
  }

  toJSON(): Record<string, unknown> {
    return {
      system: this.system,
      code: this.code,
      status: this.status,
      vendorCode: this.vendorCode,
      retryAfterMs: this.retryAfterMs,
      message: this.message,
    };
  }
}

export const isConnectorError = (e: unknown): e is ConnectorError => e instanceof ConnectorError;

/**
 * The one place that maps an error class to what the caller does with it:
 * - retry: try again later in the same job (with backoff, honouring retryAfterMs)
 * - fail: the item fails with this reason; a retry after a fix (data, mapping) can succeed
 * - alert: the connection itself is broken (credentials, scopes); the run stops and a
 *   CONNECTION_FAILED event tells the operator.
 */
export type ErrorDisposition = "retry" | "fail" | "alert";

export function errorDisposition(e: ConnectorError): ErrorDisposition {
  switch (e.code) {
    case "TEMPORARY":
    case "RATE_LIMITED":
      return "retry";
    case "AUTH":
      return "alert";
    default:
      return "fail";
  }
}

/** A plain-words prefix: "Ecwid", "CCV SalesPOS". */
export const systemLabel = (s: SystemKind) => SYSTEM_LABEL[s];
