import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FlowFieldsFragment, ItemFieldsFragment, RunFieldsFragment } from "../../sdk/generated/graphql";
import { startDemoShop, webOrder, type DemoShop } from "../../src/sandbox/demo-shop";
import { startWorld, type World } from "../support/world";

/**
 * The `gateway` CLI as a partner's script runs it (`npx gateway …` = sdk/bin/gateway.js), against a
 * gateway and the sandboxes: sign-in, listings, configure from a file, runs followed to their end
 * with exit codes by outcome, live events, failed items listed, exported and retried. Every --json
 * output is parsed; no output ever contains the key.
 */
const root = path.resolve(__dirname, "../..");
const bin = path.join(root, "sdk/bin/gateway.js");

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

describe("gateway CLI", () => {
  let shop: DemoShop;
  let w: World;
  let configDir: string;
  const outputs: string[] = [];

  /** runs the CLI as a child process (never spawnSync: the gateway answers from this process) */
  function cli(
    args: string[],
    env: Record<string, string | undefined> = {},
    input?: string,
  ): Promise<Result> {
    return new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        [bin, ...args],
        {
          cwd: root,
          timeout: 90_000,
          env: {
            ...process.env,
            GATEWAY_URL: w.t.url,
            GATEWAY_API_KEY: w.key,
            GATEWAY_CONFIG_DIR: configDir,
            GATEWAY_CLI_POLL_MS: "200",
            ...env,
          },
        },
        (err, stdout, stderr) => {
          outputs.push(stdout, stderr);
          const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      child.stdin?.end(input ?? "");
    });
  }
  const json = <T>(r: Result): T => JSON.parse(r.stdout) as T;

  beforeAll(async () => {
    shop = await startDemoShop();
    w = await startWorld({
      sandboxes: shop,
      gateway: { env: { GATEWAY_ALLOW_LOCAL_UPSTREAMS: "true" } },
    });
    configDir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-cli-"));
    // the first call compiles the CLI in a fresh clone (sdk/dist is not committed)
    const v = await cli(["--version"]);
    expect(v.code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await w.stop();
    await shop.stop();
    fs.rmSync(configDir, { recursive: true, force: true });
    // secrets never printed, by any command of this suite
    for (const o of outputs) expect(o).not.toContain(w.key);
  });

  it("is the repository's `gateway` bin (npx gateway …), a Node script", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    expect(path.resolve(root, pkg.bin.gateway)).toBe(bin);
    expect(fs.readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(fs.statSync(bin).mode & 0o111).not.toBe(0);
  });

  it("signs in with a key (from stdin) into a profile readable by its owner only, and uses it", async () => {
    const login = await cli(["login", "--json"], { GATEWAY_API_KEY: undefined }, `${w.key}\n`);
    expect(login.code).toBe(0);
    expect(json(login)).toMatchObject({ profile: "default", url: w.t.url, role: "ADMIN" });
    const file = path.join(configDir, "config.json");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, "utf8")).toContain(w.key);
    // with the profile only: no key and no URL in the environment
    const who = await cli(["whoami", "--json"], { GATEWAY_API_KEY: undefined, GATEWAY_URL: undefined });
    expect(who.code).toBe(0);
    expect(json(who)).toMatchObject({ url: w.t.url, role: "ADMIN", workspace: { id: w.workspaceId } });

    const wrong = await cli(["login", "--json", "--profile", "bad"], { GATEWAY_API_KEY: "gwk_not_a_key" });
    expect(wrong.code).toBe(1);
    expect(json(wrong)).toEqual({ error: { code: "UNAUTHENTICATED", message: expect.any(String) } });
    expect(wrong.stdout).not.toContain("gwk_not_a_key");

    const none = await cli(["integrations"], { GATEWAY_API_KEY: undefined, GATEWAY_PROFILE: "nobody" });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No API key: set GATEWAY_API_KEY, or sign in once with `gateway login`/);
  });

  it("lists integrations and flows, for people and as JSON", async () => {
    const list = await cli(["integrations", "--json"]);
    expect(json<{ id: string }[]>(list).map((i) => i.id)).toEqual([w.integrationId]);
    const people = await cli(["integrations"]);
    expect(people.stdout).toMatch(/^ID\s+NAME\s+ECWID\s+CCV SALESPOS$/m);
    expect(people.stdout).toContain(w.integrationId);
    const flows = json<FlowFieldsFragment[]>(await cli(["flows", w.integrationId, "--json"]));
    expect(flows.map((f) => f.kind)).toContain("ORDERS_ECWID_TO_CCV");
  });

  it("configures a flow from a JSON file, and says what is wrong with a bad one", async () => {
    const file = path.join(configDir, "orders-flow.json");
    fs.writeFileSync(
      file,
      JSON.stringify({ enabled: true, schedule: "*/15 * * * *", settings: { orderStatuses: ["PAID"] } }),
    );
    const r = await cli(["configure", w.integrationId, "orders_ecwid_to_ccv", file, "--json"]);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ kind: "ORDERS_ECWID_TO_CCV", enabled: true, schedule: "*/15 * * * *" });
    fs.writeFileSync(file, "{ not json");
    const bad = await cli(["configure", w.integrationId, "ORDERS_ECWID_TO_CCV", file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/is not valid JSON/);
    fs.writeFileSync(file, JSON.stringify({ enabled: true, schedule: "every tuesday" }));
    const cron = await cli(["configure", w.integrationId, "ORDERS_ECWID_TO_CCV", file, "--json"]);
    expect(cron.code).toBe(1);
    expect(json(cron)).toMatchObject({ error: { code: "BAD_USER_INPUT" } });
  });

  it("runs a flow and follows it to SUCCEEDED: exit 0, progress for people, the final run as JSON", async () => {
    await cli(["configure", w.integrationId, "CATEGORIES_ECWID_TO_CCV", "-"], {}, '{"enabled": true}');
    const people = await cli(["run", w.integrationId, "CATEGORIES_ECWID_TO_CCV"]);
    expect(people.code).toBe(0);
    expect(people.stdout).toBe("");
    expect(people.stderr).toMatch(/CATEGORIES_ECWID_TO_CCV run \S+ SUCCEEDED.*3 items, 3 created/);

    const r = await cli(["run", w.integrationId, "ORDERS_ECWID_TO_CCV", "--json"]);
    expect(r.code).toBe(0);
    const run = json<RunFieldsFragment>(r);
    expect(run).toMatchObject({
      status: "SUCCEEDED",
      flow: "ORDERS_ECWID_TO_CCV",
      counts: { total: 2, created: 2 },
    });
    expect(r.stderr).toBe("");
  });

  it("exits non-zero on a failed run; lists, exports and retries its failed items", async () => {
    // a web order of a product the POS does not have: MISSING_PRODUCT
    const order = webOrder(9);
    order.items = [{ ...order.items![0], productId: undefined, sku: "LAMP-404", name: "Lamp" }];
    const { id: orderId } = shop.ecwid.store.createOrder(order);
    // the scheduled kind of run: the new order fails, the two synced before are skipped
    const partial = await cli(["run", w.integrationId, "ORDERS_ECWID_TO_CCV", "--json"]);
    expect(partial.code).toBe(2);
    expect(json(partial)).toMatchObject({ status: "PARTIAL", counts: { failed: 1, skipped: 2 } });
    // the order alone: every item failed, the run FAILED
    const failed = await cli([
      "run",
      w.integrationId,
      "ORDERS_ECWID_TO_CCV",
      "--source",
      String(orderId),
      "--json",
    ]);
    expect(failed.code).toBe(3);
    const run = json<RunFieldsFragment>(failed);
    expect(run).toMatchObject({ status: "FAILED", counts: { total: 1, failed: 1 } });

    const list = await cli(["items", "list", "--run", run.id, "--json"]);
    const items = json<ItemFieldsFragment[]>(list);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: "FAILED", errorCode: "MISSING_PRODUCT", runId: run.id });
    const table = await cli(["items", "list", w.integrationId, "--flow", "ORDERS_ECWID_TO_CCV"]);
    expect(table.stdout).toMatch(/MISSING_PRODUCT/);

    const csv = await cli(["items", "export", w.integrationId, "--format", "csv"]);
    const [header, ...rows] = csv.stdout.trim().split("\n");
    expect(header).toBe(
      "id,runId,entity,sourceId,targetId,sku,action,status,errorCode,reason,attempts,updatedAt",
    );
    // the failed item of both runs
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(",FAILED,MISSING_PRODUCT,");
    const file = path.join(configDir, "failed.jsonl");
    const jsonl = await cli(["items", "export", "--run", run.id, "-o", file]);
    expect(jsonl.code).toBe(0);
    const lines = fs
      .readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as ItemFieldsFragment);
    expect(lines.map((l) => l.id)).toEqual([items[0].id]);
    expect(lines[0].sourcePayload).toBeTruthy();

    // the product arrives in the POS; the retry runs exactly the failed item and succeeds
    await shop.ccvClient.createProduct({
      name: "Lamp",
      productnumber: "LAMP-404",
      price: 12.95,
      discount: 0,
      taxtariff: "normal",
      stockenabled: false,
    });
    const retry = await cli(["items", "retry", run.id, "--json"]);
    expect(retry.code).toBe(0);
    expect(json(retry)).toMatchObject({
      trigger: "RETRY",
      status: "SUCCEEDED",
      counts: { total: 1, created: 1 },
    });
  });

  it("tails live events as JSON lines, ending with the run it follows", async () => {
    const started = await cli(["run", w.integrationId, "CATEGORIES_ECWID_TO_CCV", "--no-wait", "--json"]);
    expect(started.code).toBe(0);
    const run = json<RunFieldsFragment>(started);
    const tail = await cli(["tail", w.integrationId, "--run", run.id, "--after", "0", "--json"]);
    expect(tail.code).toBe(0);
    const events = tail.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; runId: string });
    expect(events.every((e) => e.runId === run.id)).toBe(true);
    expect(events[0].type).toBe("RUN_QUEUED");
    expect(events.at(-1)!.type).toBe("RUN_FINISHED");
    // and `watch` on a finished run answers with its outcome at once
    const watch = await cli(["watch", run.id, "--json"]);
    expect(watch.code).toBe(0);
    expect(json(watch)).toMatchObject({ id: run.id, status: "SUCCEEDED" });
  });
});
