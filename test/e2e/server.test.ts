import { wsClient } from "../support/graphql-client";
import { startTestGateway, type TestGateway } from "../support/gateway";

describe("HTTP surface: health, readiness, metrics, playground, GET /graphql, WebSocket auth", () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t.stop());

  it("serves liveness and readiness", async () => {
    const h = await fetch(`${t.url}/healthz`);
    expect(h.status).toBe(200);
    const r = await fetch(`${t.url}/readyz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: "ready", database: "ok" });
  });

  it("answers GraphQL over GET with a bearer key", async () => {
    const q = encodeURIComponent("{ viewer { isInstanceAdmin } }");
    const res = await fetch(`${t.url}/graphql?query=${q}`, {
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { viewer: { isInstanceAdmin: true } } });
  });

  it("counts HTTP and GraphQL requests in Prometheus metrics", async () => {
    await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${t.adminToken}` },
      body: JSON.stringify({ query: "query Viewer { viewer { isInstanceAdmin } }" }),
    });
    // a name the SDK does not define is counted as "other" (a closed label set)
    await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${t.adminToken}` },
      body: JSON.stringify({ query: "query Probe { viewer { isInstanceAdmin } }" }),
    });
    const text = await (await fetch(`${t.url}/metrics`)).text();
    expect(text).toMatch(/gateway_http_requests_total\{method="POST",route="\/graphql",status="200"\} \d+/);
    expect(text).toMatch(/gateway_graphql_operations_total\{type="query",name="Viewer",outcome="ok"\} 1/);
    expect(text).toMatch(/gateway_graphql_operations_total\{type="query",name="other",outcome="ok"\} 1/);
    expect(text).not.toContain("Probe");
    expect(text).toContain("gateway_process_cpu_user_seconds_total");
  });

  it("serves the playground and all its assets from the gateway itself", async () => {
    const page = await (await fetch(`${t.url}/playground`)).text();
    const assets = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBe(4);
    for (const a of assets) {
      expect(a.startsWith("/playground/assets/")).toBe(true);
      const res = await fetch(`${t.url}${a}`);
      expect(res.status).toBe(200);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    expect(page).toContain("wsConnectionParams");
  });

  it("answers / with a small page pointing to the console and the playground (JSON for programs)", async () => {
    const res = await fetch(`${t.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const page = await res.text();
    const links = [...page.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual(expect.arrayContaining(["/app", "/playground"]));
    expect((await fetch(`${t.url}/playground`)).status).toBe(200);
    const data = await (await fetch(`${t.url}/`, { headers: { accept: "application/json" } })).json();
    expect(data).toEqual({ links: expect.objectContaining({ console: "/app", playground: "/playground" }) });
  });

  it("refuses a WebSocket connection without a valid key, and accepts one with a key", async () => {
    const run = (bearer?: string) =>
      new Promise<{ data?: unknown; error?: unknown }>((resolve) => {
        const client = wsClient(t.url, bearer);
        client.subscribe(
          { query: "{ viewer { isInstanceAdmin } }" },
          {
            next: (v) => resolve({ data: v.data }),
            error: (e) => resolve({ error: e }),
            complete: () => undefined,
          },
        );
      });
    const refused = await run("gwk_wrong");
    expect((refused.error as { code?: number }).code).toBe(4403);
    const ok = await run(t.adminToken);
    expect(ok.data).toEqual({ viewer: { isInstanceAdmin: true } });
  });
});
