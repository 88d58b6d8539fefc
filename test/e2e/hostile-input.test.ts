import { getIntrospectionQuery, print } from "graphql";
import WebSocket from "ws";
import {
  CreateApiKeyDocument,
  CreateWorkspaceDocument,
  SyncEventsDocument,
} from "../../sdk/generated/graphql";
import type { EcwidCategory } from "../../src/connectors/ecwid";
import { executeOk, wsClient } from "../support/graphql-client";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { errorOf, expectAlive, expectNoLeak, gqlPost, send, vendorRequests } from "../support/hostile";
import { startWorld, type World } from "../support/world";

/**
 * Issue 9, GraphQL side: each attack gets a clear refusal naming the limit and the value measured,
 * costs no vendor request where none should be made, and leaves the process answering /healthz
 * within 100 ms.
 */
const cats: EcwidCategory[] = [1, 2].map((i) => ({
  id: 700 + i,
  name: `Cat ${i}`,
  orderBy: i,
  enabled: true,
}));

const PRODUCTS_FULL = `edges { cursor node { sku name linked
  ecwid { id sku name price { amount currency } description shortDescription ean quantity enabled categoryIds updatedAt }
  ccv { id sku name price { amount currency } description shortDescription ean quantity enabled categoryIds updatedAt }
  differences { field before after }
  variants { sku options { name value } ecwid { id sku } ccv { id sku } stock { sku ecwid ccv reserved computed inSync } }
  stock { sku ecwid ecwidUnlimited ccv reserved computed inSync } } }
  pageInfo { hasNextPage endCursor }`;

describe("hostile input: GraphQL over HTTP and WebSocket", () => {
  let w: World;
  let viewer: string;
  let before: number;

  beforeAll(async () => {
    w = await startWorld({
      ecwid: { seed: { categories: cats } },
      // rate limits have their own suite below; here 1000 requests in a minute must pass
      gateway: {
        captureLogs: true,
        env: { RATE_LIMIT_VIEWER_PER_MINUTE: "100000", RATE_LIMIT_ADMIN_PER_MINUTE: "100000" },
      },
    });
    viewer = (await w.gql(CreateApiKeyDocument, { name: "leaked viewer", role: "VIEWER" })).createApiKey
      .secret;
  });
  afterAll(() => w.stop());
  beforeEach(() => {
    before = vendorRequests(w);
  });
  afterEach(async () => {
    await expectAlive(w.t.url);
  });

  it("a 2 MB anonymous document is refused with 413 before it is parsed", async () => {
    const doc = `{ ${"viewer { role } ".repeat(130_000)} }`;
    expect(doc.length).toBeGreaterThan(2_000_000);
    const a = await gqlPost(w.t.url, doc);
    expect(a.status).toBe(413);
    expectNoLeak(a);
    expect(errorOf(a).extensions).toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      limit: "bodyBytes",
      max: 102400,
    });
    expect(errorOf(a).message).toMatch(/The request body has \d{7} bytes; the limit is 102400 bytes/);
    expect(vendorRequests(w)).toBe(before);
  });

  it("a document of more tokens than the limit stops the parser at the limit", async () => {
    const doc = `{ ${"__typename ".repeat(8_000)} }`;
    const a = await gqlPost(w.t.url, doc, viewer);
    expect(a.status).toBe(400);
    expect(errorOf(a).extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    // graphql-js spells it "more that"
    expect(errorOf(a).message).toMatch(/Document contains more tha[nt] 5000 tokens/);
  });

  it("the deepest legal query of the contract (8 levels) runs; a deeper introspection chain is refused", async () => {
    const deepest = `{ integrations { flows { lastRun { items(first: 5) { edges { node { changes { field } } } } } } } }`;
    const ok = await gqlPost(w.t.url, deepest, viewer);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ data: { integrations: [{ flows: expect.any(Array) }] } });
    const chain = `{ __type(name: "Query") { ${"ofType { ".repeat(40)}name${" }".repeat(40)} } }`;
    const a = await gqlPost(w.t.url, chain, viewer);
    expect(a.status).toBe(400);
    expect(errorOf(a).extensions).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED", limit: "depth" });
    expect(errorOf(a).message).toMatch(/Query depth limit of 20 exceeded, found 42/);
  });

  it("a field repeated a thousand times (quadratic to validate) is refused by a linear rule first", async () => {
    const doc = `{ ${"viewer { role } ".repeat(1240)} }`;
    const a = await gqlPost(w.t.url, doc, viewer);
    expect(a.status).toBe(400);
    expect(errorOf(a).extensions).toMatchObject({
      code: "GRAPHQL_VALIDATION_FAILED",
      limit: "repeatedFields",
      max: 20,
      actual: 1240,
    });
    expect(errorOf(a).message).toBe('"viewer" is selected 1240 times in one selection set; the limit is 20.');
  });

  it("200 aliases of products(first: 100) from a VIEWER key are refused without one vendor call", async () => {
    const doc = `{ ${Array.from({ length: 200 }, (_, i) => `p${i}: products(integrationId: "${w.integrationId}", first: 100) { edges { node { sku } } }`).join(" ")} }`;
    const a = await gqlPost(w.t.url, doc, viewer);
    expect(a.status).toBe(400);
    expect(errorOf(a).extensions).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED", limit: "aliases" });
    expect(errorOf(a).message).toMatch(/Aliases limit of 20 exceeded, found 200/);
    expect(vendorRequests(w)).toBe(before);
  });

  it("vendor-backed fields cost more and lists multiply: an operation above the cost limit never executes", async () => {
    const doc = `{ ${Array.from({ length: 10 }, (_, i) => `p${i}: products(integrationId: "${w.integrationId}", first: 200) { ${PRODUCTS_FULL} }`).join(" ")} }`;
    const a = await gqlPost(w.t.url, doc, viewer);
    expect(a.status).toBe(400);
    expect(errorOf(a).extensions).toMatchObject({
      code: "GRAPHQL_VALIDATION_FAILED",
      limit: "cost",
      max: 25000,
    });
    const actual = errorOf(a).extensions?.actual as number;
    expect(actual).toBeGreaterThan(25000);
    expect(errorOf(a).message).toContain(`costs ${actual} points; the limit is 25000`);
    expect(vendorRequests(w)).toBe(before);
    // one full page of 200 products, everything selected, is within the limit and runs
    const page = await gqlPost(
      w.t.url,
      `{ products(integrationId: "${w.integrationId}", first: 200) { ${PRODUCTS_FULL} } }`,
      viewer,
    );
    expect(page.status).toBe(200);
    expect((page.json as { errors?: unknown }).errors).toBeUndefined();
  });

  it("introspection and field suggestions are for authenticated callers only", async () => {
    const anon = await gqlPost(w.t.url, getIntrospectionQuery());
    expect(errorOf(anon).extensions?.code).toBe("UNAUTHENTICATED");
    expect(errorOf(anon).message).toMatch(/Introspection needs an API key/);
    expect(anon.text).not.toContain("syncEvents");
    const authed = await gqlPost(w.t.url, getIntrospectionQuery(), viewer);
    expect(authed.status).toBe(200);
    expect(authed.text).toContain('"name":"syncEvents"');

    const typo = '{ integration(id: "x") { flowz { kind } } }';
    const anonTypo = await gqlPost(w.t.url, typo);
    expect(errorOf(anonTypo).message).toMatch(/Cannot query field "flowz" on type "Integration"/);
    expect(anonTypo.text).not.toMatch(/Did you mean/);
    const authedTypo = await gqlPost(w.t.url, typo, viewer);
    expect(errorOf(authedTypo).message).toMatch(/Did you mean "flows?"/);
  });

  it("a subscription sent over HTTP POST gets a clear 400, logged below error level", async () => {
    const a = await gqlPost(w.t.url, print(SyncEventsDocument), viewer, { integrationId: w.integrationId });
    expect(a.status).toBe(400);
    expectNoLeak(a);
    expect(errorOf(a)).toMatchObject({
      message: expect.stringMatching(/Subscriptions are served over WebSocket at \/graphql/),
      extensions: { code: "BAD_REQUEST" },
    });
    const errorLines = w.t.logs.filter((l) => /"level":(50|60)/.test(l));
    expect(errorLines).toEqual([]);
  });

  it.each([
    ["not JSON", "{ query: nope", 400, "BAD_REQUEST", /not valid JSON/],
    ["a JSON string", '"{ viewer { role } }"', 400, "BAD_REQUEST", /not valid JSON/],
    ["an empty object", "{}", 400, "BAD_REQUEST", /needs a "query" string/],
    [
      "a batch",
      '[{"query":"{ viewer { role } }"}]',
      400,
      "BAD_REQUEST",
      /Batched requests are not supported/,
    ],
    ["a query that is not a string", '{"query": {"a": 1}}', 400, "BAD_REQUEST", /"query" string/],
    [
      "variables that are not an object",
      '{"query":"{ viewer { role } }","variables":[1]}',
      400,
      "BAD_REQUEST",
      /"variables" must be a JSON object/,
    ],
  ])("a malformed body (%s) gets JSON, never HTML or a stack", async (_what, body, status, code, msg) => {
    const a = await send(`${w.t.url}/graphql`, {
      body,
      headers: { "content-type": "application/json", authorization: `Bearer ${viewer}` },
    });
    expect(a.status).toBe(status);
    expectNoLeak(a);
    expect(errorOf(a)).toMatchObject({ message: expect.stringMatching(msg), extensions: { code } });
  });

  it("unknown routes answer JSON 404", async () => {
    const a = await send(`${w.t.url}/nothing/here`, { method: "GET" });
    expect(a.status).toBe(404);
    expectNoLeak(a);
  });

  it.each([
    ["products", (c: string) => `{ products(integrationId: "$I", after: "${c}") { edges { cursor } } }`],
    ["orders", (c: string) => `{ orders(integrationId: "$I", after: "${c}") { edges { cursor } } }`],
    ["customers", (c: string) => `{ customers(integrationId: "$I", after: "${c}") { edges { cursor } } }`],
    ["syncRuns", (c: string) => `{ syncRuns(integrationId: "$I", after: "${c}") { edges { cursor } } }`],
    ["syncItems", (c: string) => `{ syncItems(integrationId: "$I", after: "${c}") { edges { cursor } } }`],
  ])("crafted %s cursors are BAD_USER_INPUT", async (_field, query) => {
    const crafted = [
      "!!not-base64!!",
      Buffer.from("null").toString("base64url"),
      Buffer.from('{"sku":{"$gt":""},"e":-5,"c":"x","o":1e309,"id":"1 OR 1=1","q":[]}').toString("base64url"),
      Buffer.from('{"__proto__":{"polluted":1}}').toString("base64url"),
      Buffer.from("[1,2,3]").toString("base64url"),
    ];
    for (const c of crafted) {
      const a = await gqlPost(w.t.url, query(c).replace("$I", w.integrationId), viewer);
      expect(errorOf(a)).toMatchObject({
        message: expect.stringMatching(/cursor is not one this API returned/),
        extensions: { code: "BAD_USER_INPUT" },
      });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(vendorRequests(w)).toBe(before);
  });

  it("1000 random operation names do not grow /metrics", async () => {
    const series = async () =>
      (await (await fetch(`${w.t.url}/metrics`)).text())
        .split("\n")
        .filter((l) => /^gateway_(graphql|http)_/.test(l))
        .map((l) => l.replace(/ [\d.e+-]+$/, ""));
    const op = (name: string) => gqlPost(w.t.url, `query ${name} { viewer { role } }`, viewer);
    await op("Warmup");
    await series();
    const first = await series();
    for (let i = 0; i < 1000; i++) await op(`Op_${Math.random().toString(36).slice(2)}_${i}`);
    const after = await series();
    expect(after).toEqual(first);
    expect(after.join("\n")).not.toMatch(/Op_/);
  });

  it("a WebSocket message above the limit closes the socket (1009) before anything parses it", async () => {
    const ws = new WebSocket(`${w.t.url.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws");
    await new Promise((res, rej) => {
      ws.once("open", res);
      ws.once("error", rej);
    });
    const closed = new Promise<number>((res) => ws.once("close", (code) => res(code)));
    ws.send(JSON.stringify({ type: "connection_init", payload: { junk: "x".repeat(5 * 1024 * 1024) } }));
    expect(await closed).toBe(1009);
  });

  it("subscriptions get the same limits: aliases and tokens refused with a clear error", async () => {
    const client = wsClient(w.t.url, viewer);
    const subscribeErrors = (query: string) =>
      new Promise<{ message: string }[]>((resolve) => {
        client.subscribe(
          { query, variables: {} },
          {
            next: () => undefined,
            error: (e) => resolve(e as { message: string }[]),
            complete: () => resolve([]),
          },
        );
      });
    const aliases = `subscription { syncEvents(integrationId: "${w.integrationId}") { ${Array.from({ length: 30 }, (_, i) => `a${i}: id`).join(" ")} } }`;
    expect((await subscribeErrors(aliases))[0].message).toMatch(/Aliases limit of 20 exceeded, found 30/);
    const tokens = `subscription { syncEvents(integrationId: "${w.integrationId}") { ${"id ".repeat(6000)} } }`;
    expect((await subscribeErrors(tokens))[0].message).toMatch(/more tha[nt] 5000 tokens/);

    await client.dispose();
  });

  it("an operation still running at the execution deadline answers TIMEOUT and stops its vendor reads", async () => {
    const t = await startTestGateway({ db: undefined, graphqlTimeoutMs: 500 });
    try {
      const ws = await executeOk(t.url, CreateWorkspaceDocument, { name: "slow" }, t.adminToken);
      const key = ws.createWorkspace.adminKey.secret;
      const made = await gqlPost(
        t.url,
        `mutation { createIntegration(input: { name: "slow", ecwid: { storeId: ${w.ecwid.storeId}, token: "${w.ecwid.token}", apiBaseUrl: "${w.ecwid.url}" }, ccv: { baseUrl: "${w.ccv.baseUrl}", publicKey: "${w.ccv.publicKey}", secretKey: "${w.ccv.secretKey}" } }) { id } }`,
        key,
      );
      const id = (made.json as { data: { createIntegration: { id: string } } }).data.createIntegration.id;
      w.ecwid.faults.add({ path: /\/profile$/, kind: "hang", times: Infinity });
      try {
        const a = await gqlPost(
          t.url,
          `{ orders(integrationId: "${id}", first: 5) { edges { cursor } } }`,
          key,
        );
        expect(errorOf(a)).toMatchObject({
          message: expect.stringMatching(/orders did not finish within 500 ms and was stopped/),
          extensions: { code: "TIMEOUT", limit: "executionMs" },
        });
        await expectAlive(t.url);
      } finally {
        w.ecwid.faults.clear();
      }
    } finally {
      await t.stop();
    }
  });
});

describe("hostile input: per-key rate limits", () => {
  let t: TestGateway;
  let viewer: string;
  beforeAll(async () => {
    t = await startTestGateway({
      env: {
        RATE_LIMIT_VIEWER_PER_MINUTE: "5",
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: "3",
        RATE_LIMIT_OPERATOR_PER_MINUTE: "25",
      },
    });
    const ws = await executeOk(t.url, CreateWorkspaceDocument, { name: "limited" }, t.adminToken);
    const admin = ws.createWorkspace.adminKey.secret;
    viewer = (await executeOk(t.url, CreateApiKeyDocument, { name: "v", role: "VIEWER" }, admin)).createApiKey
      .secret;
  });
  afterAll(() => t.stop());

  it("a key over its role's budget gets 429 with Retry-After and RATE_LIMITED, also on a subscription", async () => {
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await gqlPost(t.url, "{ viewer { role } }", viewer));
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    const limited = answers[5];
    expect(limited.status).toBe(429);
    expectNoLeak(limited);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(errorOf(limited)).toMatchObject({
      message: expect.stringMatching(
        /an API key with role VIEWER may send 5 per minute\. Try again in \d+ s/,
      ),
      extensions: { code: "RATE_LIMITED" },
    });
    const client = wsClient(t.url, viewer);
    const errors = await new Promise<{ message: string; extensions?: { code?: string } }[]>((resolve) =>
      client.subscribe(
        {
          query: 'subscription { syncEvents(integrationId: "00000000-0000-0000-0000-000000000000") { id } }',
        },
        { next: () => undefined, error: (e) => resolve(e as never), complete: () => resolve([]) },
      ),
    );
    expect(errors[0]).toMatchObject({ extensions: { code: "RATE_LIMITED" } });
    await client.dispose();
    // another key, and the operator, are not affected
    expect((await gqlPost(t.url, "{ viewer { isInstanceAdmin } }", t.adminToken)).status).toBe(200);
    await expectAlive(t.url);
  });

  it("a refused document counts ten requests: a script that keeps sending it reaches 429 ten times sooner", async () => {
    const ws = await executeOk(t.url, CreateWorkspaceDocument, { name: "penalty" }, t.adminToken);
    const key = (
      await executeOk(
        t.url,
        CreateApiKeyDocument,
        { name: "script", role: "OPERATOR" },
        ws.createWorkspace.adminKey.secret,
      )
    ).createApiKey.secret;
    const aliases = `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: viewer { role }`).join(" ")} }`;
    // OPERATOR budget 25 a minute: two refusals take 20 of it, whatever the document
    const first = await gqlPost(t.url, aliases, key);
    const again = await gqlPost(t.url, aliases, key);
    for (const r of [first, again]) {
      expect(r.status).toBe(400);
      expect(errorOf(r)).toMatchObject({ extensions: { limit: "aliases" } });
    }
    // the same document refused from memory says exactly what the first refusal said
    expect(errorOf(again)).toEqual(errorOf(first));
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await gqlPost(t.url, "{ viewer { role } }", key)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    await expectAlive(t.url);
  });

  it("anonymous callers are limited per address", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await gqlPost(t.url, "{ viewer { role } }")).status);
    expect(statuses.slice(0, 3).every((s) => s !== 429)).toBe(true);
    expect(statuses[3]).toBe(429);
    await expectAlive(t.url);
  });
});
