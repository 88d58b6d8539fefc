import fs from "node:fs";
import path from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { read } from "read";
import WebSocket from "ws";
import { createGatewayClient, GatewayError, type GatewayClient } from "../src/client";
import {
  ConfigureFlowDocument,
  FlowsDocument,
  IntegrationsDocument,
  RetryFailedItemsDocument,
  RunSyncDocument,
  SyncEventsDocument,
  SyncRunDocument,
  ViewerDocument,
  type FlowInput,
  type FlowKind,
  type ItemStatus,
  type RunFieldsFragment,
} from "../generated/graphql";
import { createOutput, finishText, table, type Output } from "./cli-output";
import { EXIT, exitCodeForRun } from "./exit-codes";
import { csvHeader, csvRow, jsonLine, listItems, type ItemQuery } from "./item-export";
import { ProfileStore, type Profile } from "./profile-store";
import { watchRun } from "./run-watcher";

/**
 * `gateway`: the gateway's GraphQL API for partner scripts and people on a terminal, built on the
 * typed client (sdk/src). Signs in with an API key from GATEWAY_API_KEY or a saved profile
 * (`gateway login`); GATEWAY_URL or --url names the gateway. Tables for people, --json for
 * scripts; `run`, `watch` and `items retry` exit by the run's outcome (see exit-codes.ts).
 */
const DEFAULT_URL = "http://127.0.0.1:4000";

interface Globals {
  url?: string;
  profile: string;
  json: boolean;
}

interface Session {
  client: GatewayClient;
  url: string;
  out: Output;
  store: ProfileStore;
}

class CliError extends Error {}

function version(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8"));
    return String(pkg.version);
  } catch {
    return "0.0.0";
  }
}

const upper = (v: string) => v.trim().toUpperCase();
const flowArg = (v: string) => upper(v) as FlowKind;
const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number of 1 or more");
  return n;
};

/** url and key: --url > GATEWAY_URL > the profile; GATEWAY_API_KEY > the profile */
function session(g: Globals): Session {
  const out = createOutput(g.json);
  const store = new ProfileStore();
  const envKey = process.env.GATEWAY_API_KEY?.trim() || undefined;
  const profile: Profile | undefined = store.get(g.profile);
  if (store.repairedMode) out.note(`note: ${store.file} was readable by others; it is now 0600`);
  const url = g.url ?? process.env.GATEWAY_URL ?? profile?.url ?? DEFAULT_URL;
  const apiKey = envKey ?? profile?.apiKey;
  if (!apiKey)
    throw new CliError(
      `No API key: set GATEWAY_API_KEY, or sign in once with \`gateway login\`${g.profile !== "default" ? ` --profile ${g.profile}` : ""}.`,
    );
  return { client: createGatewayClient({ url, apiKey, webSocketImpl: WebSocket }), url, out, store };
}

/** runs a command's body with a session; errors become a message (or JSON) and exit code 1 */
function action<A extends unknown[]>(
  body: (s: Session, ...args: A) => Promise<number | void>,
): (...args: [...A, Command]) => Promise<void> {
  return async (...args) => {
    const cmd = args[args.length - 1] as Command;
    const g = cmd.optsWithGlobals() as Globals;
    let s: Session | undefined;
    try {
      s = session(g);
      const code = await body(s, ...(args.slice(0, -1) as A));
      process.exitCode = code ?? 0;
    } catch (e) {
      fail(g.json, e, s?.url);
    } finally {
      await s?.client.close();
    }
  };
}

function fail(json: boolean, e: unknown, url?: string): void {
  const code = e instanceof GatewayError ? e.code : "ERROR";
  let message = e instanceof Error ? e.message : String(e);
  if (e instanceof GatewayError && e.code === "UNAUTHENTICATED")
    message += " Sign in again with `gateway login` or check GATEWAY_API_KEY.";
  if (e instanceof GatewayError && e.code === "NETWORK_ERROR" && url)
    message += ` Is the gateway running at ${url}? (GATEWAY_URL or --url)`;
  if (json) process.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
  else process.stderr.write(`error: ${message}\n`);
  process.exitCode = EXIT.ERROR;
}

async function readKey(): Promise<string> {
  const fromEnv = process.env.GATEWAY_API_KEY?.trim();
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8").trim();
  }
  return (
    await read({ prompt: "API key (gwk_…): ", silent: true, replace: "*", output: process.stderr })
  ).trim();
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = file === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new CliError(`Cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

function runLine(r: RunFieldsFragment): string {
  const c = r.counts;
  return `${r.flow} run ${r.id}: ${r.status}, ${c.total} items (${c.created} created, ${c.updated} updated, ${c.skipped} skipped, ${c.failed} failed)`;
}

async function followOrPrint(s: Session, run: RunFieldsFragment, wait: boolean): Promise<number> {
  if (!wait) {
    if (s.out.json) s.out.data(run);
    else s.out.out(runLine(run));
    return EXIT.SUCCEEDED;
  }
  const pollMs = Number(process.env.GATEWAY_CLI_POLL_MS) || undefined;
  const final = await watchRun(s.client, run, s.out, { interactive: !!process.stderr.isTTY, pollMs });
  if (s.out.json) s.out.data(final);
  return exitCodeForRun(final.status);
}

function itemQuery(integrationId: string | undefined, o: Record<string, unknown>): ItemQuery {
  if (!integrationId && !o.run) throw new CliError("Name an integration id or a run (--run <id>).");
  const status = String(o.status ?? "FAILED").toUpperCase();
  return {
    integrationId,
    runId: o.run as string | undefined,
    flow: o.flow as FlowKind | undefined,
    status: status === "ALL" ? undefined : (status as ItemStatus),
    limit: o.limit as number | undefined,
  };
}

export function buildProgram(): Command {
  const program = new Command("gateway")
    .description("The Ecwid ⇄ CCV SalesPOS gateway from the command line (GraphQL API, typed client)")
    .version(version())
    .option("--url <url>", `gateway URL (default: GATEWAY_URL, the profile's, or ${DEFAULT_URL})`)
    .addOption(
      new Option("--profile <name>", "saved sign-in to use").env("GATEWAY_PROFILE").default("default"),
    )
    .option("--json", "machine-readable output: one JSON document (JSON lines for streams)", false)
    .showHelpAfterError()
    .addHelpText(
      "after",
      `
Sign-in: GATEWAY_API_KEY (and GATEWAY_URL) in the environment, or once: gateway login --url <url>
(saved in ${new ProfileStore().file}, mode 0600).

Exit codes of run, watch and items retry: 0 SUCCEEDED, 2 PARTIAL (some items failed),
3 FAILED, 4 CANCELLED; 1 when the command itself failed (bad input, unreachable, key refused).`,
    );

  program
    .command("login")
    .description(
      "check an API key and save it (with the URL) as a profile; the key is read from GATEWAY_API_KEY, stdin or a hidden prompt",
    )
    .action(async (_o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals() as Globals;
      const out = createOutput(g.json);
      const store = new ProfileStore();
      const url = g.url ?? process.env.GATEWAY_URL ?? store.get(g.profile)?.url ?? DEFAULT_URL;
      try {
        const apiKey = await readKey();
        if (!apiKey) throw new CliError("No API key given.");
        const viewer = (await createGatewayClient({ url, apiKey }).request(ViewerDocument, {})).viewer;
        const role = viewer.isInstanceAdmin ? "INSTANCE_ADMIN" : (viewer.role ?? "NONE");
        store.save(g.profile, {
          url,
          apiKey,
          role,
          workspace: viewer.workspace?.name,
          savedAt: new Date().toISOString(),
        });
        const result = {
          profile: g.profile,
          url,
          role,
          workspace: viewer.workspace?.name ?? null,
          file: store.file,
        };
        if (g.json) out.data(result);
        else
          out.out(
            `Signed in to ${url} as ${role}${viewer.workspace ? ` of workspace "${viewer.workspace.name}"` : ""}; ` +
              `profile "${g.profile}" saved in ${store.file} (readable by you only).`,
          );
      } catch (e) {
        fail(g.json, e, url);
      }
    });

  program
    .command("logout")
    .description("forget the saved profile (the key itself stays valid until revoked)")
    .action((_o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals() as Globals;
      const removed = new ProfileStore().remove(g.profile);
      if (g.json) createOutput(true).data({ profile: g.profile, removed });
      else
        process.stdout.write(removed ? `Profile "${g.profile}" removed.\n` : `No profile "${g.profile}".\n`);
    });

  program
    .command("whoami")
    .description("what the current key may do")
    .action(
      action(async (s) => {
        const v = (await s.client.request(ViewerDocument, {})).viewer;
        if (s.out.json) return s.out.data({ url: s.url, ...v });
        s.out.out(
          `${s.url}: ${v.isInstanceAdmin ? "instance operator" : `${v.role} of workspace "${v.workspace?.name}" (${v.workspace?.id})`}`,
        );
      }),
    );

  program
    .command("integrations")
    .alias("ls")
    .description("list the workspace's integrations and the state of their connections")
    .action(
      action(async (s) => {
        const list = (await s.client.request(IntegrationsDocument, {})).integrations;
        if (s.out.json) return s.out.data(list);
        if (list.length === 0) return s.out.out("No integrations yet (createIntegration in the playground).");
        s.out.out(
          table(
            ["ID", "NAME", "ECWID", "CCV SALESPOS"],
            list.map((i) => [i.id, i.name, i.ecwid.status, i.ccv.status]),
          ),
        );
      }),
    );

  program
    .command("flows <integrationId>")
    .description("list an integration's flows: on or off, schedule, last run")
    .action(
      action(async (s, integrationId: string) => {
        const i = (await s.client.request(FlowsDocument, { id: integrationId })).integration;
        if (!i) throw new CliError(`There is no integration ${integrationId} in this workspace.`);
        if (s.out.json) return s.out.data(i.flows);
        s.out.out(
          table(
            ["FLOW", "ENABLED", "SCHEDULE", "LAST RUN", "STATUS", "ITEMS", "FAILED"],
            i.flows.map((f) => [
              f.kind,
              f.enabled ? "yes" : "no",
              f.schedule,
              f.lastRun?.id,
              f.lastRun?.status,
              f.lastRun?.counts.total,
              f.lastRun?.counts.failed,
            ]),
          ),
        );
      }),
    );

  program
    .command("configure <integrationId> <flow> <file>")
    .description(
      'configure a flow from a JSON file ("-" = stdin): {"enabled": true, "schedule": "*/10 * * * *", "settings": {…}}',
    )
    .action(
      action(async (s, integrationId: string, flow: string, file: string) => {
        const input = readJsonFile(file);
        if (!input || typeof input !== "object" || Array.isArray(input))
          throw new CliError(`${file} must hold one JSON object (the flow's FlowInput).`);
        const f = (
          await s.client.request(ConfigureFlowDocument, {
            integrationId,
            flow: flowArg(flow),
            input: input as FlowInput,
          })
        ).configureFlow;
        if (s.out.json) return s.out.data(f);
        s.out.out(`${f.kind}: ${f.enabled ? "enabled" : "disabled"}, schedule ${f.schedule ?? "none"}`);
        s.out.out(JSON.stringify(f.settings, null, 2));
      }),
    );

  program
    .command("run <integrationId> <flow>")
    .description("run a flow now and follow it to its end with a progress bar and finish estimate")
    .option("--dry-run", "plan only: record what would happen, write nothing", false)
    .option("--full", "ignore the incremental cursor: look at every source record", false)
    .option("--source <ids...>", "only these source record ids")
    .option("--no-wait", "start the run and return at once (exit 0 once queued)")
    .action(
      action(async (s, integrationId: string, flow: string, o: Record<string, unknown>) => {
        const run = (
          await s.client.request(RunSyncDocument, {
            integrationId,
            flow: flowArg(flow),
            options: {
              dryRun: !!o.dryRun,
              full: !!o.full,
              sourceIds: (o.source as string[] | undefined) ?? null,
            },
          })
        ).runSync;
        if (!s.out.json)
          s.out.note(
            `${run.flow} run ${run.id} ${run.status.toLowerCase()}${run.dryRun ? " (dry run)" : ""}`,
          );
        return followOrPrint(s, run, o.wait !== false);
      }),
    );

  program
    .command("watch <runId>")
    .description("follow a run that is already going to its end (exit code by outcome)")
    .action(
      action(async (s, runId: string) => {
        const run = (await s.client.request(SyncRunDocument, { id: runId, first: 1 })).syncRun;
        if (!run) throw new CliError(`There is no run ${runId} in this workspace.`);
        return followOrPrint(s, run, true);
      }),
    );

  program
    .command("tail <integrationId>")
    .description(
      "print an integration's live events as they happen (Ctrl-C stops; with --run, stops when that run ends)",
    )
    .option("--flow <flow>", "only this flow's events", flowArg)
    .option("--run <runId>", "only this run's events, ending with it")
    .option("--after <eventId>", "first replay the events after this id")
    .action(
      action(async (s, integrationId: string, o: Record<string, unknown>) => {
        await new Promise<void>((resolve, reject) => {
          const stop = s.client.subscribe(
            SyncEventsDocument,
            {
              integrationId,
              flow: (o.flow as FlowKind | undefined) ?? null,
              runId: (o.run as string | undefined) ?? null,
              afterId: (o.after as string | undefined) ?? null,
            },
            {
              next: ({ syncEvents: e }) => {
                if (s.out.json) s.out.data(e);
                else {
                  const item = e.item
                    ? ` ${e.item.sourceId} ${e.item.action} ${e.item.status}${e.item.errorCode ? ` ${e.item.errorCode}` : ""}`
                    : "";
                  const c = e.counts ? ` [${e.counts.total} done, ${e.counts.failed} failed]` : "";
                  const finish = e.type.startsWith("ITEM_") ? finishText(e.estimatedFinishAt) : "";
                  s.out.out(
                    `${e.at.slice(11, 19)} ${e.type.padEnd(14)} ${e.flow ?? ""}${item}${c}${e.message ? ` ${e.message}` : ""}${finish ? ` (${finish})` : ""}`,
                  );
                }
                if (o.run && e.type === "RUN_FINISHED") {
                  stop();
                  resolve();
                }
              },
              error: reject,
              complete: resolve,
            },
          );
          const end = () => {
            stop();
            resolve();
          };
          process.once("SIGINT", end);
          process.once("SIGTERM", end);
        });
      }),
    );

  const items = program
    .command("items")
    .description("a run's or an integration's items: list, export, retry the failed ones");
  const itemFilters = (c: Command) =>
    c
      .option("--run <runId>", "the items of this run")
      .option("--flow <flow>", "only this flow's items", flowArg)
      .addOption(
        new Option("--status <status>", "item status")
          .choices(["FAILED", "SKIPPED", "SUCCEEDED", "PENDING", "ALL"])
          .default("FAILED")
          .argParser(upper),
      )
      .option("--limit <n>", "at most this many items", positiveInt);

  itemFilters(
    items.command("list [integrationId]").description("list items (default: the failed ones)"),
  ).action(
    action(async (s, integrationId: string | undefined, o: Record<string, unknown>) => {
      const rows = [];
      for await (const i of listItems(s.client, itemQuery(integrationId, o))) rows.push(i);
      if (s.out.json) return s.out.data(rows);
      if (rows.length === 0) return s.out.out("No items.");
      s.out.out(
        table(
          ["ITEM", "RUN", "SOURCE", "SKU", "ACTION", "STATUS", "ERROR", "REASON"],
          rows.map((i) => [i.id, i.runId, i.sourceId, i.sku, i.action, i.status, i.errorCode, i.reason]),
        ),
      );
    }),
  );

  itemFilters(
    items
      .command("export [integrationId]")
      .description("export items as JSON lines (everything, payloads included) or CSV (one row per item)"),
  )
    .addOption(new Option("--format <format>", "jsonl or csv").choices(["jsonl", "csv"]).default("jsonl"))
    .option("-o, --output <file>", "write to this file instead of stdout")
    .action(
      action(async (s, integrationId: string | undefined, o: Record<string, unknown>) => {
        const csv = o.format === "csv";
        const file = o.output as string | undefined;
        const fd = file ? fs.openSync(file, "w") : 1;
        let n = 0;
        try {
          if (csv) fs.writeSync(fd, csvHeader());
          for await (const i of listItems(s.client, itemQuery(integrationId, o))) {
            fs.writeSync(fd, csv ? csvRow(i) : jsonLine(i));
            n++;
          }
        } finally {
          if (file) fs.closeSync(fd);
        }
        if (file) s.out.note(`${n} items written to ${file}`);
      }),
    );

  items
    .command("retry <runId>")
    .description("run exactly the failed items of a run again, and follow that run (exit code by outcome)")
    .option("--no-wait", "start the retry and return at once")
    .action(
      action(async (s, runId: string, o: Record<string, unknown>) => {
        const run = (await s.client.request(RetryFailedItemsDocument, { runId })).retryFailedItems;
        if (!s.out.json) s.out.note(`retrying the failed items of ${runId}: run ${run.id}`);
        return followOrPrint(s, run, o.wait !== false);
      }),
    );

  return program;
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    fail(argv.includes("--json"), e);
  }
}

/** the process entry (sdk/bin/gateway.js): runs a command, then leaves with its exit code */
export function run(): void {
  void main().then(() => {
    // a closed WebSocket may linger for a moment; the exit code is set already
    setTimeout(() => process.exit(), 2_000).unref();
  });
}

if (require.main === module) run();
