import { randomBytes } from "node:crypto";
import { CreateApiKeyDocument, CreateWorkspaceDocument } from "../../sdk/generated/graphql";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { executeOk } from "../support/graphql-client";
import { errorOf, expectAlive, gqlPost } from "../support/hostile";
import { redisSuite, redisUrl } from "../support/redis";

/**
 * With REDIS_URL the per-key rate limits are counted in Redis: two API processes behind a load
 * balancer give one key one budget, not one each.
 */
redisSuite("the REDIS_URL rate-limit suite")("per-key rate limits shared over Redis", () => {
  let db: TestDatabase;
  let a: TestGateway;
  let b: TestGateway;
  let viewer: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    const env = {
      GATEWAY_ROLE: "api",
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `gwt-${randomBytes(4).toString("hex")}:`,
      RATE_LIMIT_VIEWER_PER_MINUTE: "4",
    };
    a = await startTestGateway({ db, env });
    b = await startTestGateway({ db, env, adminToken: a.adminToken });
    const ws = await executeOk(a.url, CreateWorkspaceDocument, { name: "shared" }, a.adminToken);
    viewer = (
      await executeOk(
        a.url,
        CreateApiKeyDocument,
        { name: "v", role: "VIEWER" },
        ws.createWorkspace.adminKey.secret,
      )
    ).createApiKey.secret;
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
    await db.drop();
  });

  it("a key's fifth request in a minute is refused, whichever process it reaches", async () => {
    const statuses = [];
    for (const t of [a, b, a, b]) statuses.push((await gqlPost(t.url, "{ viewer { role } }", viewer)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const fifth = await gqlPost(b.url, "{ viewer { role } }", viewer);
    expect(fifth.status).toBe(429);
    expect(errorOf(fifth).extensions?.code).toBe("RATE_LIMITED");
    await expectAlive(a.url);
    await expectAlive(b.url);
  });
});
