import pino, { type Logger, type LoggerOptions } from "pino";
import pretty from "pino-pretty";
import { redactEmails } from "./personal-data";

/**
 * Paths pino blanks in every log line. Credentials must never reach a log: headers that carry them,
 * and any property whose name says it is a secret, wherever it sits (two levels deep covers the
 * request/response objects and the error objects we log).
 */
const SECRET_KEYS = [
  "authorization",
  "Authorization",
  "token",
  "secret",
  "secretKey",
  "clientSecret",
  "apiKey",
  "password",
  "publicKey",
  "x-hash",
  "x-public",
  "key",
  "adminToken",
  "encryptionKey",
];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers["authorization"]',
  'req.headers["x-ecwid-webhook-signature"]',
  'req.headers["x-hash"]',
];

export interface LogOptions {
  level?: string;
  pretty?: boolean;
  /** where lines go; tests pass a stream to capture every line */
  destination?: pino.DestinationStream;
}

/**
 * Every line passes through here on its way out: e-mail addresses become "[e-mail]" (vendor
 * messages and errors may echo one; log files outlive the gateway's retention, so they never hold
 * a person's address).
 */
function withoutEmails(dest: pino.DestinationStream): pino.DestinationStream {
  return { write: (line: string) => dest.write(redactEmails(line)) };
}

export function createLogger(opts: LogOptions = {}): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? "info",
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    base: { service: "ecwid-ccv-gateway" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (opts.destination) return pino(options, withoutEmails(opts.destination));
  if (opts.pretty) {
    return pino(options, withoutEmails(pretty({ colorize: true, translateTime: "SYS:HH:MM:ss.l" })));
  }
  return pino(options, withoutEmails(pino.destination(1)));
}

/** A logger that drops everything; the default for library code and tests that do not look at logs. */
export const silentLogger: Logger = pino({ level: "silent" });

export type { Logger };
