import fs from "node:fs";
import path from "node:path";
import { Kind, parse, type DocumentNode, type OperationDefinitionNode } from "graphql";
import WebSocket from "ws";
import { createGatewayClient, type GatewayClient } from "../../sdk/src";
import { DEFAULT_SANDBOX_PORTS, startDemoShop, type DemoShop } from "../../src/sandbox/demo-shop";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { eventually } from "../support/world";

/**
 * The README's first session, block by block, as a newcomer pastes it: against a gateway started
 * with GATEWAY_ALLOW_LOCAL_UPSTREAMS=true and the sandboxes of `npm run sandboxes` (here on free
 * ports: the fixed ports in the README are the only thing replaced, plus the ids the README asks
 * to fill in from earlier answers). Edit the README and this test follows it; break it and this
 * test fails.
 */
const root = path.resolve(__dirname, "../..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

interface Block {
  lang: string;
  code: string;
}

/** fenced blocks of a Markdown text, list indentation removed */
function blocks(md: string): Block[] {
  const out: Block[] = [];
  const re = /^( *)```(\w*)\n([\s\S]*?)^\1```$/gm;
  for (const m of md.matchAll(re)) {
    const indent = m[1].length;
    const code = m[3]
      .split("\n")
      .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
      .join("\n");
    out.push({ lang: m[2], code });
  }
  return out;
}

function section(md: string, heading: string): string {
  const start = md.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const end = md.indexOf("\n## ", start + 4);
  return md.slice(start, end < 0 ? undefined : end);
}

function operation(doc: DocumentNode): OperationDefinitionNode {
  const ops = doc.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  expect(ops).toHaveLength(1);
  return ops[0] as OperationDefinitionNode;
}

describe("README: the first GraphQL session runs as pasted", () => {
  let shop: DemoShop;
  let t: TestGateway;
  beforeAll(async () => {
    shop = await startDemoShop();
    t = await startTestGateway({ env: { GATEWAY_ALLOW_LOCAL_UPSTREAMS: "true" } });
  });
  afterAll(async () => {
    await t.stop();
    await shop.stop();
  });

  it("every GraphQL block of the README is one named operation that parses", () => {
    const gql = blocks(readme).filter((b) => b.lang === "graphql");
    expect(gql.length).toBeGreaterThanOrEqual(9);
    for (const b of gql) expect(operation(parse(b.code)).name?.value).toMatch(/^[A-Z]\w+$/);
  });

  it("starts the sandboxes and the gateway the way the session says", () => {
    const shell = blocks(section(readme, "A first GraphQL session")).filter((b) => b.lang === "bash");
    const start = shell[0].code;
    expect(start).toMatch(/^npm run sandboxes\b/m);
    expect(start).toMatch(/^GATEWAY_ALLOW_LOCAL_UPSTREAMS=true npm start\b/m);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    expect(pkg.scripts.sandboxes).toContain("dist/src/sandboxes.js");
  });

  it("runs the session's blocks in order against the gateway and the sandboxes", async () => {
    const session = blocks(section(readme, "A first GraphQL session"));
    const logBefore = shop.ccv.log.entries.length;
    const ecwidBase = shop.ecwid.url.replace(/\/api\/v3$/, "");
    const localise = (code: string) =>
      code
        .replaceAll(`http://127.0.0.1:${DEFAULT_SANDBOX_PORTS.ecwid}`, ecwidBase)
        .replaceAll(`http://127.0.0.1:${DEFAULT_SANDBOX_PORTS.ccv}`, shop.ccv.baseUrl);
    const filled: Record<string, string> = {};
    let key = t.adminToken;
    const client: GatewayClient = createGatewayClient({
      url: t.url,
      apiKey: () => key,
      webSocketImpl: WebSocket,
    });
    const results = new Map<string, Record<string, unknown>>();
    const events: { type: string; id: string }[] = [];
    const stops: (() => void)[] = [];
    const subscriptionErrors: unknown[] = [];
    try {
      for (let i = 0; i < session.length; i++) {
        const b = session[i];
        if (b.lang !== "graphql") continue;
        const doc = parse(localise(b.code));
        const op = operation(doc);
        const name = op.name!.value;
        // a JSON block right after a GraphQL block holds its variables, with ids to fill in
        let variables: Record<string, unknown> = {};
        if (session[i + 1]?.lang === "json") {
          const raw = session[i + 1].code.replace(/"<([a-z ]+)>"/g, (_, what: string) => {
            if (!(what in filled))
              throw new Error(`${name}: the README asks for "${what}" before it is known`);
            return JSON.stringify(filled[what]);
          });
          variables = JSON.parse(raw);
        }
        const declared = (op.variableDefinitions ?? []).map((v) => v.variable.name.value).sort();
        expect(Object.keys(variables).sort()).toEqual(declared);

        if (op.operation === "subscription") {
          stops.push(
            client.subscribe(doc, variables, {
              next: (d) => events.push((d as { syncEvents: { type: string; id: string } }).syncEvents),
              error: (e) => subscriptionErrors.push(e),
            }),
          );
          // the second tab is open before the run starts (as the session says)
          await new Promise((r) => setTimeout(r, 300));
          continue;
        }
        let data = (await client.request(doc, variables)) as Record<string, unknown>;
        // "run it again until status is SUCCEEDED"
        const status = () => (data.syncRun as { status?: string } | undefined)?.status;
        if (status()) {
          await eventually(async () => {
            data = (await client.request(doc, variables)) as Record<string, unknown>;
            return !["QUEUED", "RUNNING"].includes(status()!);
          }, `${name} to show a finished run`);
        }
        results.set(name, data);
        if (data.createWorkspace)
          key = (data.createWorkspace as { adminKey: { secret: string } }).adminKey.secret;
        if (data.createIntegration) filled["integration id"] = (data.createIntegration as { id: string }).id;
        if (data.runSync) filled["run id"] = (data.runSync as { id: string }).id;
      }

      expect([...results.keys()]).toEqual([
        "CreateWorkspace",
        "CreateMonitoringKey",
        "CreateSandboxIntegration",
        "TestConnections",
        "ConfigureOrderFlow",
        "DryRunOrders",
        "RunDetails",
        "CustomersOfBothSides",
      ]);
      expect(results.get("CreateMonitoringKey")).toMatchObject({
        createApiKey: { apiKey: { role: "VIEWER" } },
      });
      expect(results.get("TestConnections")!.testConnections).toEqual([
        expect.objectContaining({ system: "ECWID", ok: true }),
        expect.objectContaining({ system: "CCV_SALESPOS", ok: true }),
      ]);
      // the two paid web orders of the sandbox, each with the CCV order it would create
      const run = results.get("RunDetails")!.syncRun as {
        status: string;
        counts: { total: number; failed: number };
        items: { edges: { node: { action: string; status: string; sentPayload: unknown } }[] };
      };
      expect(run.status).toBe("SUCCEEDED");
      expect(run.counts).toMatchObject({ total: 2, failed: 0 });
      for (const { node } of run.items.edges) {
        expect(node).toMatchObject({ action: "CREATE", status: "PENDING" });
        expect(node.sentPayload).toBeTruthy();
      }
      // nothing was written: a dry run
      const writes = shop.ccv.log.entries
        .slice(logBefore)
        .filter((r) => r.method !== "GET" && /\/(orders|users)\b/.test(r.path));
      expect(writes).toEqual([]);
      // the second tab saw the run to its end
      await eventually(async () => events.some((e) => e.type === "RUN_FINISHED"), "RUN_FINISHED live");
      expect(subscriptionErrors).toEqual([]);
      const customers = (
        results.get("CustomersOfBothSides")!.customers as {
          edges: { node: { email: string; ecwid: unknown; ccv: unknown } }[];
        }
      ).edges.map((e) => e.node);
      expect(customers).toContainEqual(
        expect.objectContaining({
          email: "vaste-klant@demo.example",
          ecwid: null,
          ccv: { id: expect.any(String) },
        }),
      );
      expect(customers.some((c) => c.ecwid !== null)).toBe(true);
    } finally {
      for (const stop of stops) stop();
      await client.close();
    }
  });

  it("the curl example runs as pasted", async () => {
    const curl = blocks(section(readme, "A first GraphQL session"))
      .filter((b) => b.lang === "bash")
      .find((b) => b.code.startsWith("curl "))!;
    expect(curl.code).toContain("http://127.0.0.1:4000/graphql");
    const body = /-d '([^']+)'/.exec(curl.code)![1];
    const res = await fetch(`${t.url}/graphql`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.adminToken}`, "content-type": "application/json" },
      body,
    });
    const answer = (await res.json()) as { data?: { createWorkspace: { adminKey: { secret: string } } } };
    expect(answer.data?.createWorkspace.adminKey.secret).toMatch(/^gwk_/);
  });
});
