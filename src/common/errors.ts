import { GraphQLError } from "graphql";

/**
 * The error codes the GraphQL API answers with (`extensions.code`). The contract lists the first six;
 * NOT_IMPLEMENTED marks a contract field whose behaviour has not landed yet (it never pretends);
 * TIMEOUT an operation stopped at the execution deadline.
 */
export type AppErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "RATE_LIMITED"
  | "INTERNAL_SERVER_ERROR"
  | "NOT_IMPLEMENTED"
  | "TIMEOUT";

/** An error meant for the API user: its message says what is wrong and how to fix it. */
export class AppError extends GraphQLError {
  readonly appCode: AppErrorCode;
  constructor(code: AppErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
    this.appCode = code;
  }
}

export const unauthenticated = (
  message = "Missing or invalid API key: send 'Authorization: Bearer <key>'.",
) => new AppError("UNAUTHENTICATED", message);
export const forbidden = (message: string) => new AppError("FORBIDDEN", message);
export const notFound = (what: string, id: string) =>
  new AppError("NOT_FOUND", `${what} ${id} was not found.`);
export const badInput = (message: string, extra: Record<string, unknown> = {}) =>
  new AppError("BAD_USER_INPUT", message, extra);
export const notImplemented = (what: string) =>
  new AppError("NOT_IMPLEMENTED", `${what} is not available in this version of the gateway yet.`);

/** Raised at start-up for a bad environment variable; main prints it and exits non-zero. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}
