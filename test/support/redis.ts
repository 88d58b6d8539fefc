import { spawnSync } from "node:child_process";

/** The Redis the REDIS_URL suites use (CI's, on this machine 127.0.0.1:6379). */
export const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * Redis is part of the CI machine (.ci/run starts it): there a missing Redis fails the suite; a
 * developer machine without it skips the suite, saying so. Probed synchronously in a child so a
 * suite can choose `describe` or `describe.skip` at load time.
 */
export function redisSuite(what: string): jest.Describe {
  const u = new URL(redisUrl);
  const probe = `require("net").connect(${Number(u.port || 6379)}, ${JSON.stringify(u.hostname)}).on("connect", () => process.exit(0)).on("error", () => process.exit(1))`;
  const available = spawnSync(process.execPath, ["-e", probe], { timeout: 3_000 }).status === 0;
  if (!available && process.env.CI)
    throw new Error(`Redis is not reachable at ${redisUrl}; CI must provide it`);
  if (!available) console.warn(`skipping ${what}: no Redis at ${redisUrl}`);
  return available ? describe : describe.skip;
}
