import type { Logger } from "pino";
import type { AuthCircuit } from "./auth-circuit";
import type { RateBudget } from "./rate-budget";
import type { RequestObservation, TransportOptions } from "./transport";

/**
 * What every vendor client receives besides its connection: process-wide shared state (one budget
 * and one auth circuit per process, keyed by credential fingerprint) and observability hooks.
 */
export interface ConnectorDeps {
  budget: RateBudget;
  circuit: AuthCircuit;
  logger?: Logger;
  observe?: (o: RequestObservation) => void;
  /** overrides of timeouts and retry settings (tests use short ones) */
  transport?: Partial<
    Pick<
      TransportOptions,
      | "connectTimeoutMs"
      | "readTimeoutMs"
      | "maxAttempts"
      | "initialDelayMs"
      | "maxDelayMs"
      | "maxRetryAfterMs"
      | "random"
      | "readOnly"
      | "upstreams"
      | "share"
      | "signal"
      | "onWait"
    >
  >;
}
