import path from "node:path";
import cron from "node-cron";
import { z } from "zod";
import { ConfigError } from "../common/errors";

/**
 * The environment the gateway reads (contract README "Environment"), validated at start. A bad
 * value stops the process with a message naming the variable. The result is frozen.
 */

const intInRange = (name: string, min: number, max: number, dflt: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return dflt;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: `must be a whole number from ${min} to ${max}, got "${v}"`,
        });
        return z.NEVER;
      }
      return n;
    })
    .describe(name);

const bool = (name: string, dflt: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return dflt;
      const t = v.trim().toLowerCase();
      if (["true", "1", "yes"].includes(t)) return true;
      if (["false", "0", "no"].includes(t)) return false;
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be true or false, got "${v}"` });
      return z.NEVER;
    })
    .describe(name);

const DatabaseUrl = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const raw = v && v.trim() !== "" ? v.trim() : "sqlite:./data/gateway.sqlite";
    if (raw.startsWith("sqlite:")) {
      const file = raw.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
      if (file === "") {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: "sqlite: needs a file path, e.g. sqlite:./data/gateway.sqlite",
        });
        return z.NEVER;
      }
      return { kind: "sqlite" as const, url: raw, file };
    }
    if (raw.startsWith("mysql://") || raw.startsWith("mariadb://")) {
      try {
        const u = new URL(raw.replace(/^mariadb:/, "mysql:"));
        const database = decodeURIComponent(u.pathname.replace(/^\//, ""));
        if (!database) throw new Error("no database name");
        return {
          kind: "mysql" as const,
          url: raw,
          host: u.hostname,
          port: u.port ? Number(u.port) : 3306,
          username: decodeURIComponent(u.username),
          password: decodeURIComponent(u.password),
          database,
        };
      } catch {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: "must look like mysql://user:pass@host:3306/database",
        });
        return z.NEVER;
      }
    }
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `must start with sqlite: or mysql:// (got "${raw.split(":")[0]}:…")`,
    });
    return z.NEVER;
  });

const EnvSchema = z.object({
  PORT: intInRange("PORT", 0, 65535, 4000),
  HOST: z
    .string()
    .optional()
    .transform((v) => (v && v.trim() !== "" ? v.trim() : "127.0.0.1")),
  DATABASE_URL: DatabaseUrl,
  GATEWAY_ADMIN_TOKEN: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      if (v.length < 24) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be at least 24 characters long" });
        return z.NEVER;
      }
      return v;
    }),
  GATEWAY_ENCRYPTION_KEY: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      const key = parseKey(v);
      if (!key) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: "must be 32 bytes as 64 hex characters or base64",
        });
        return z.NEVER;
      }
      return key;
    }),
  /** keys that encrypted stored secrets before GATEWAY_ENCRYPTION_KEY: read, never written (key rotation) */
  GATEWAY_ENCRYPTION_KEY_PREVIOUS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const parts = (v ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
      const keys: Buffer[] = [];
      for (const [i, p] of parts.entries()) {
        const key = parseKey(p);
        if (!key) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            message: `key ${i + 1} of the comma-separated list must be 32 bytes as 64 hex characters or base64`,
          });
          return z.NEVER;
        }
        keys.push(key);
      }
      return keys;
    }),
  REDIS_URL: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      if (!/^rediss?:\/\//.test(v)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must start with redis:// or rediss://" });
        return z.NEVER;
      }
      return v;
    }),
  GATEWAY_ROLE: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const r = v && v !== "" ? v : "all";
      if (r !== "all" && r !== "api" && r !== "worker") {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be all, api or worker (got "${r}")` });
        return z.NEVER;
      }
      return r as "all" | "api" | "worker";
    }),
  LOG_RETENTION_DAYS: intInRange("LOG_RETENTION_DAYS", 1, 3650, 30),
  LOG_LEVEL: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const l = v && v !== "" ? v : "info";
      if (!["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(l)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: "must be one of fatal, error, warn, info, debug, trace, silent",
        });
        return z.NEVER;
      }
      return l;
    }),
  /** where generated keys and the default SQLite file live (default ./data) */
  GATEWAY_DATA_DIR: z
    .string()
    .optional()
    .transform((v) => path.resolve(v && v !== "" ? v : "./data")),
  /** public base URL vendors use to reach the webhook routes (default http://HOST:PORT) */
  GATEWAY_PUBLIC_URL: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      try {
        const u = new URL(v);
        return u.toString().replace(/\/$/, "");
      } catch {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: "must be an absolute URL such as https://gateway.example.com",
        });
        return z.NEVER;
      }
    }),
  /** how old an Ecwid webhook may be (Ecwid redelivers for up to 48 h with the original timestamp) */
  ECWID_WEBHOOK_MAX_AGE_HOURS: intInRange("ECWID_WEBHOOK_MAX_AGE_HOURS", 49, 24 * 30, 49),
  /** prefix of every Redis key and channel (several gateways may share one Redis) */
  REDIS_KEY_PREFIX: z
    .string()
    .optional()
    .transform((v) => (v && v !== "" ? v : "gw:")),
  /** audit entries older than this are deleted (kept longer than item logs) */
  AUDIT_RETENTION_DAYS: intInRange("AUDIT_RETENTION_DAYS", 1, 36500, 400),
  /** how often each integration's connections are tested (0: never on a schedule) */
  HEALTH_CHECK_MINUTES: intInRange("HEALTH_CHECK_MINUTES", 0, 1440, 5),
  /** how often the alert monitor looks at what happened */
  ALERT_EVALUATE_SECONDS: intInRange("ALERT_EVALUATE_SECONDS", 5, 3600, 30),
  /** a channel receives at most one message per this many seconds; alerts meanwhile go together */
  ALERT_MIN_INTERVAL_SECONDS: intInRange("ALERT_MIN_INTERVAL_SECONDS", 0, 86400, 60),
  /** a queued or running run without progress for this long is reported as stalled */
  ALERT_RUN_STALLED_MINUTES: intInRange("ALERT_RUN_STALLED_MINUTES", 1, 10080, 15),
  /** a vendor lane at its rate limit for this long is reported */
  ALERT_BUDGET_EXHAUSTED_MINUTES: intInRange("ALERT_BUDGET_EXHAUSTED_MINUTES", 1, 1440, 15),
  /** an open incident is reported again after this long; a kind of item failure not seen for this long is closed */
  ALERT_REPEAT_HOURS: intInRange("ALERT_REPEAT_HOURS", 1, 720, 24),
  /** when the daily digest goes to channels that asked for it (node-cron syntax, server time) */
  ALERT_DIGEST_CRON: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const expr = v && v.trim() !== "" ? v.trim() : "0 7 * * *";
      if (!cron.validate(expr)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${expr}" is not a valid cron expression` });
        return z.NEVER;
      }
      return expr;
    }),
  /** concurrent jobs per worker process */
  WORKER_CONCURRENCY: intInRange("WORKER_CONCURRENCY", 1, 64, 4),
  /** vendor base URLs may point at loopback hosts (sandboxes, test doubles); contract "Vendor base URLs" */
  GATEWAY_ALLOW_LOCAL_UPSTREAMS: bool("GATEWAY_ALLOW_LOCAL_UPSTREAMS", false),
  /** requests per minute per API key by role (0 = no limit); anonymous callers per client address */
  RATE_LIMIT_ADMIN_PER_MINUTE: intInRange("RATE_LIMIT_ADMIN_PER_MINUTE", 0, 1_000_000, 1200),
  RATE_LIMIT_OPERATOR_PER_MINUTE: intInRange("RATE_LIMIT_OPERATOR_PER_MINUTE", 0, 1_000_000, 1200),
  RATE_LIMIT_VIEWER_PER_MINUTE: intInRange("RATE_LIMIT_VIEWER_PER_MINUTE", 0, 1_000_000, 600),
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: intInRange("RATE_LIMIT_ANONYMOUS_PER_MINUTE", 0, 1_000_000, 120),
  NODE_ENV: z.string().optional(),
});

export function parseKey(v: string): Buffer | undefined {
  const s = v.trim();
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, "hex");
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) {
    const b = Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (b.length === 32) return b;
  }
  return undefined;
}

type Parsed = z.output<typeof EnvSchema>;

export interface GatewayConfig {
  port: number;
  host: string;
  database: Parsed["DATABASE_URL"];
  adminToken?: string;
  encryptionKey?: Buffer;
  /** earlier keys, accepted for reading only (key rotation) */
  previousEncryptionKeys: Buffer[];
  redisUrl?: string;
  redisPrefix: string;
  role: "all" | "api" | "worker";
  logRetentionDays: number;
  logLevel: string;
  dataDir: string;
  publicUrl?: string;
  ecwidWebhookMaxAgeSeconds: number;
  workerConcurrency: number;
  prettyLogs: boolean;
  auditRetentionDays: number;
  ops: OpsConfig;
  /** GATEWAY_ALLOW_LOCAL_UPSTREAMS */
  allowLocalUpstreams: boolean;
  /** requests per minute (0 = no limit): per key by role, anonymous per client address */
  rateLimits: { ADMIN: number; OPERATOR: number; VIEWER: number; ANONYMOUS: number };
}

/** Health checks and alerting (ALERT_*, HEALTH_CHECK_MINUTES). */
export interface OpsConfig {
  healthCheckMinutes: number;
  evaluateSeconds: number;
  minIntervalSeconds: number;
  runStalledMinutes: number;
  budgetExhaustedMinutes: number;
  repeatHours: number;
  digestCron: string;
}

/** The variables whose values are secrets: printed as a prefix at most, never logged. */
export const SECRET_VARIABLES = [
  "GATEWAY_ADMIN_TOKEN",
  "GATEWAY_ENCRYPTION_KEY",
  "GATEWAY_ENCRYPTION_KEY_PREVIOUS",
  "DATABASE_URL",
  "REDIS_URL",
] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<GatewayConfig> {
  const r = EnvSchema.safeParse(env);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ConfigError(String(issue.path[0] ?? "environment"), issue.message);
  }
  const e = r.data;
  if (e.DATABASE_URL.kind === "mysql" && !e.GATEWAY_ENCRYPTION_KEY) {
    throw new ConfigError(
      "GATEWAY_ENCRYPTION_KEY",
      "is required when DATABASE_URL is MySQL/MariaDB (several processes must share one key); generate one with: openssl rand -hex 32",
    );
  }
  if (e.AUDIT_RETENTION_DAYS < e.LOG_RETENTION_DAYS) {
    throw new ConfigError(
      "AUDIT_RETENTION_DAYS",
      `must be at least LOG_RETENTION_DAYS (${e.LOG_RETENTION_DAYS}): the audit log is kept longer than item logs`,
    );
  }
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL,
    adminToken: e.GATEWAY_ADMIN_TOKEN,
    encryptionKey: e.GATEWAY_ENCRYPTION_KEY,
    previousEncryptionKeys: e.GATEWAY_ENCRYPTION_KEY_PREVIOUS,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_KEY_PREFIX,
    role: e.GATEWAY_ROLE,
    logRetentionDays: e.LOG_RETENTION_DAYS,
    logLevel: e.LOG_LEVEL,
    dataDir: e.GATEWAY_DATA_DIR,
    publicUrl: e.GATEWAY_PUBLIC_URL,
    ecwidWebhookMaxAgeSeconds: e.ECWID_WEBHOOK_MAX_AGE_HOURS * 3600,
    workerConcurrency: e.WORKER_CONCURRENCY,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    ops: {
      healthCheckMinutes: e.HEALTH_CHECK_MINUTES,
      evaluateSeconds: e.ALERT_EVALUATE_SECONDS,
      minIntervalSeconds: e.ALERT_MIN_INTERVAL_SECONDS,
      runStalledMinutes: e.ALERT_RUN_STALLED_MINUTES,
      budgetExhaustedMinutes: e.ALERT_BUDGET_EXHAUSTED_MINUTES,
      repeatHours: e.ALERT_REPEAT_HOURS,
      digestCron: e.ALERT_DIGEST_CRON,
    },
    allowLocalUpstreams: e.GATEWAY_ALLOW_LOCAL_UPSTREAMS,
    rateLimits: Object.freeze({
      ADMIN: e.RATE_LIMIT_ADMIN_PER_MINUTE,
      OPERATOR: e.RATE_LIMIT_OPERATOR_PER_MINUTE,
      VIEWER: e.RATE_LIMIT_VIEWER_PER_MINUTE,
      ANONYMOUS: e.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
    }),
    prettyLogs: e.NODE_ENV === "development" || (e.NODE_ENV === undefined && process.stdout.isTTY === true),
  });
}
