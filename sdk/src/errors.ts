/** One GraphQL error as the gateway formats it (`extensions.code` is always set by the gateway). */
export interface GatewayGraphQLError {
  message: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  extensions?: { code?: string } & Record<string, unknown>;
}

/**
 * A failed call: the first GraphQL error's code and message, all errors in `errors`. Transport
 * failures use codes of their own: `NETWORK_ERROR` (the gateway cannot be reached), `HTTP_ERROR`
 * (an answer that is not GraphQL, `status` says which), `CONNECTION_CLOSED` (a subscription's
 * socket was closed for good, `closeCode` says why). Messages never contain the API key.
 */
export class GatewayError extends Error {
  readonly code: string;
  readonly errors: readonly unknown[];
  /** HTTP status, when the gateway answered */
  readonly status?: number;
  /** WebSocket close code, for a subscription closed for good */
  readonly closeCode?: number;

  constructor(
    code: string,
    message: string,
    errors: readonly unknown[] = [],
    extra: { status?: number; closeCode?: number } = {},
  ) {
    super(message);
    this.name = "GatewayError";
    this.code = code;
    this.errors = errors;
    this.status = extra.status;
    this.closeCode = extra.closeCode;
  }

  /** the first error's extensions (e.g. `position` of an invalid mapping expression) */
  get extensions(): Record<string, unknown> {
    const first = this.errors[0] as { extensions?: Record<string, unknown> } | undefined;
    return first?.extensions ?? {};
  }

  static fromGraphQL(errors: readonly GatewayGraphQLError[], status?: number): GatewayError {
    const first = errors[0];
    return new GatewayError(
      typeof first?.extensions?.code === "string" ? first.extensions.code : "INTERNAL_SERVER_ERROR",
      first?.message ?? "The gateway answered with an error.",
      errors,
      { status },
    );
  }
}

export const isGatewayError = (e: unknown): e is GatewayError => e instanceof GatewayError;
