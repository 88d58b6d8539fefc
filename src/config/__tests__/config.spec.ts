import { ConfigError } from "../../common/errors";
import { loadConfig } from "../config";

const KEY = "a".repeat(64);

describe("loadConfig", () => {
  it("applies the contract's defaults", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 4000,
      host: "127.0.0.1",
      role: "all",
      logRetentionDays: 30,
      logLevel: "info",
      database: { kind: "sqlite", file: "./data/gateway.sqlite" },
      ecwidWebhookMaxAgeSeconds: 49 * 3600,
      allowLocalUpstreams: false,
      rateLimits: { ADMIN: 1200, OPERATOR: 1200, VIEWER: 600, ANONYMOUS: 120 },
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    [{ PORT: "70000" }, "PORT"],
    [{ PORT: "abc" }, "PORT"],
    [{ GATEWAY_ROLE: "both" }, "GATEWAY_ROLE"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ LOG_RETENTION_DAYS: "0" }, "LOG_RETENTION_DAYS"],
    [{ DATABASE_URL: "postgres://x/y" }, "DATABASE_URL"],
    [{ DATABASE_URL: "mysql://root@127.0.0.1:3306/" }, "DATABASE_URL"],
    [{ GATEWAY_ENCRYPTION_KEY: "short" }, "GATEWAY_ENCRYPTION_KEY"],
    [{ GATEWAY_ADMIN_TOKEN: "tooshort" }, "GATEWAY_ADMIN_TOKEN"],
    [{ GATEWAY_ENCRYPTION_KEY_PREVIOUS: `${KEY},nope` }, "GATEWAY_ENCRYPTION_KEY_PREVIOUS"],
    [{ LOG_RETENTION_DAYS: "90", AUDIT_RETENTION_DAYS: "60" }, "AUDIT_RETENTION_DAYS"],
    [{ ALERT_DIGEST_CRON: "every day" }, "ALERT_DIGEST_CRON"],
    [{ ALERT_EVALUATE_SECONDS: "1" }, "ALERT_EVALUATE_SECONDS"],
    [{ HEALTH_CHECK_MINUTES: "-1" }, "HEALTH_CHECK_MINUTES"],
    [{ REDIS_URL: "localhost:6379" }, "REDIS_URL"],
    [{ DATABASE_URL: "mysql://root@127.0.0.1:3306/gw" }, "GATEWAY_ENCRYPTION_KEY"],
    [{ ECWID_WEBHOOK_MAX_AGE_HOURS: "24" }, "ECWID_WEBHOOK_MAX_AGE_HOURS"],
    [{ GATEWAY_ALLOW_LOCAL_UPSTREAMS: "sometimes" }, "GATEWAY_ALLOW_LOCAL_UPSTREAMS"],
    [{ RATE_LIMIT_VIEWER_PER_MINUTE: "-1" }, "RATE_LIMIT_VIEWER_PER_MINUTE"],
    [{ RATE_LIMIT_ANONYMOUS_PER_MINUTE: "lots" }, "RATE_LIMIT_ANONYMOUS_PER_MINUTE"],
  ])("refuses %j naming %s", (env, variable) => {
    let err: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(variable);
    expect((err as Error).message.startsWith(`${variable}:`)).toBe(true);
  });

  it("reads the upstream rule and the per-role rate limits (0 = no limit)", () => {
    const c = loadConfig({ GATEWAY_ALLOW_LOCAL_UPSTREAMS: "true", RATE_LIMIT_ADMIN_PER_MINUTE: "0" });
    expect(c.allowLocalUpstreams).toBe(true);
    expect(c.rateLimits.ADMIN).toBe(0);
  });

  it("parses MySQL URLs and keys in hex or base64", () => {
    const c = loadConfig({
      DATABASE_URL: "mysql://gw:p%40ss@db.local:3307/gateway",
      GATEWAY_ENCRYPTION_KEY: KEY,
    });
    expect(c.database).toMatchObject({
      kind: "mysql",
      host: "db.local",
      port: 3307,
      username: "gw",
      password: "p@ss",
      database: "gateway",
    });
    expect(c.encryptionKey?.length).toBe(32);
    const b64 = Buffer.alloc(32, 7).toString("base64");
    expect(loadConfig({ GATEWAY_ENCRYPTION_KEY: b64 }).encryptionKey).toEqual(Buffer.alloc(32, 7));
  });

  it("reads the operations settings and the previous encryption keys", () => {
    const c = loadConfig({
      GATEWAY_ENCRYPTION_KEY_PREVIOUS: ` ${KEY} , ${"b".repeat(64)}`,
      HEALTH_CHECK_MINUTES: "0",
      ALERT_MIN_INTERVAL_SECONDS: "300",
    });
    expect(c.previousEncryptionKeys.map((k) => k.toString("hex"))).toEqual([KEY, "b".repeat(64)]);
    expect(c.auditRetentionDays).toBe(400);
    expect(c.ops).toMatchObject({
      healthCheckMinutes: 0,
      minIntervalSeconds: 300,
      evaluateSeconds: 30,
      digestCron: "0 7 * * *",
    });
  });
});
