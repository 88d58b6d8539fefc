import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { CcvSandbox, type CcvSandboxOptions } from "../../src/sandbox/ccv-salespos/ccv.sandbox";
import { EcwidSandbox, type EcwidSandboxOptions } from "../../src/sandbox/ecwid/ecwid.sandbox";
import type { EngineOptions } from "../../src/server/container";
import {
  ConfigureFlowDocument,
  CreateIntegrationDocument,
  CreateWorkspaceDocument,
  RunSyncDocument,
  SetValueMappingsDocument,
  SyncRunDocument,
  SyncRunsDocument,
  type FlowKind,
  type ItemFieldsFragment,
  type RunFieldsFragment,
  type RunSyncOptions,
  type ValueMappingInput,
} from "../../sdk/generated/graphql";
import { CcvClient } from "../../src/connectors/ccv-salespos";
import type { EcwidProduct } from "../../src/connectors/ecwid";
import { AuthCircuit, LOCAL_UPSTREAMS, SharedRateBudget } from "../../src/connectors/http";
import { CcvWebhookEntity } from "../../src/db/entities/infra.entity";
import { LinkStore } from "../../src/sync/engine/links";
import { execute, executeOk, type GraphQLResult } from "./graphql-client";
import { startTestGateway, type TestGateway, type TestGatewayOptions } from "./gateway";
import type { TestDatabase } from "./database";

/** Short transport and engine settings so failure paths stay fast in tests (no timing is asserted). */
export const FAST_ENGINE: EngineOptions = {
  connectors: {
    transport: {
      initialDelayMs: 10,
      maxDelayMs: 50,
      readTimeoutMs: 2_000,
      connectTimeoutMs: 1_000,
      maxAttempts: 3,
    },
    ccv: { rateLimitWaitMs: 200 },
  },
  executor: { itemRetryDelaysMs: [20, 40], leaseWaitMs: 2_000, cancelCheckMs: 0 },
  queue: { pollMs: 50 },
};

export interface World {
  t: TestGateway;
  ecwid: EcwidSandbox;
  ccv: CcvSandbox;
  key: string;
  workspaceId: string;
  integrationId: string;
  gql<T, V>(doc: TypedDocumentNode<T, V>, vars: V): Promise<T>;
  raw<T, V>(doc: TypedDocumentNode<T, V>, vars: V): Promise<GraphQLResult<T>>;
  /** waits until a run is final (SUCCEEDED, PARTIAL, FAILED, CANCELLED) and returns it */
  waitRun(id: string, timeoutMs?: number): Promise<RunFieldsFragment>;
  stop(): Promise<void>;
}

export interface WorldOptions {
  ecwid?: EcwidSandboxOptions;
  ccv?: CcvSandboxOptions;
  gateway?: TestGatewayOptions;
  engine?: EngineOptions;
  /** sandboxes started elsewhere (e.g. the demo shop's); the world does not stop them */
  sandboxes?: { ecwid: EcwidSandbox; ccv: CcvSandbox };
  /** flows switched on once the integration is made, in this order (not with `join`) */
  flows?: readonly FlowKind[];
  /** the TAX_RATE value map, set after the flows (`true`: 21 % is "normal"; not with `join`) */
  taxRates?: true | ValueMappingInput[];
  /** share another world's database and integration (a second worker process) */
  join?: {
    db: TestDatabase;
    integrationId: string;
    key: string;
    workspaceId: string;
    ecwid: EcwidSandbox;
    ccv: CcvSandbox;
  };
}

const FINAL = new Set(["SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED"]);

/** Both vendor sandboxes, a gateway, a workspace with an ADMIN key, and an integration between them. */
export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  const shared = opts.join ?? opts.sandboxes;
  const ecwid =
    shared?.ecwid ??
    (await EcwidSandbox.start({ clientSecret: "test_client_secret_123", ...(opts.ecwid ?? {}) }));
  const ccv = shared?.ccv ?? (await CcvSandbox.start(opts.ccv ?? {}));
  const t = await startTestGateway({
    ...(opts.gateway ?? {}),
    db: opts.join?.db ?? opts.gateway?.db,
    engine: {
      ...FAST_ENGINE,
      ...(opts.engine ?? {}),
      connectors: { ...FAST_ENGINE.connectors, ...(opts.engine?.connectors ?? {}) },
    },
  });
  let key: string;
  let workspaceId: string;
  let integrationId: string;
  if (opts.join) {
    ({ key, workspaceId, integrationId } = opts.join);
  } else {
    const ws = await executeOk(t.url, CreateWorkspaceDocument, { name: "Test shop" }, t.adminToken);
    key = ws.createWorkspace.adminKey.secret;
    workspaceId = ws.createWorkspace.workspace.id;
    const i = await executeOk(
      t.url,
      CreateIntegrationDocument,
      {
        input: {
          name: "Sandbox pair",
          ecwid: {
            storeId: ecwid.storeId,
            token: ecwid.token,
            clientSecret: ecwid.clientSecret,
            apiBaseUrl: ecwid.url,
          },
          ccv: { baseUrl: ccv.baseUrl, publicKey: ccv.publicKey, secretKey: ccv.secretKey },
        },
      },
      key,
    );
    integrationId = i.createIntegration.id;
  }
  const world: World = {
    t,
    ecwid,
    ccv,
    key,
    workspaceId,
    integrationId,
    gql: (doc, vars) => executeOk(t.url, doc, vars, key),
    raw: (doc, vars) => execute(t.url, doc, vars, key),
    async waitRun(id, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const r = (await executeOk(t.url, SyncRunDocument, { id }, key)).syncRun;
        if (r && FINAL.has(r.status)) return r;
        if (Date.now() > until) throw new Error(`run ${id} did not finish: ${JSON.stringify(r)}`);
        await new Promise((res) => setTimeout(res, 50));
      }
    },
    async stop() {
      await t.stop();
      if (!shared) {
        await ecwid.stop();
        await ccv.stop();
      }
    },
  };
  if (!opts.join) {
    if (opts.flows) await enableFlows(world, ...opts.flows);
    if (opts.taxRates) await mapTaxRates(world, opts.taxRates === true ? undefined : opts.taxRates);
  }
  return world;
}

/** polls `probe` until it returns a truthy value */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

// ---- flows and runs over GraphQL, as the suites drive them ----

export const PRODUCT_FLOWS = ["PRODUCTS_CCV_TO_ECWID", "PRODUCTS_ECWID_TO_CCV"] as const;

/** enables each flow, in the order given */
export async function enableFlows(w: World, ...flows: FlowKind[]): Promise<void> {
  for (const flow of flows)
    await w.gql(ConfigureFlowDocument, { integrationId: w.integrationId, flow, input: { enabled: true } });
}

/** the TAX_RATE value map of the product suites: Ecwid's 21 % is CCV's tariff "normal" */
export async function mapTaxRates(
  w: World,
  entries: ValueMappingInput[] = [{ from: "21", to: "normal" }],
): Promise<void> {
  await w.gql(SetValueMappingsDocument, { integrationId: w.integrationId, kind: "TAX_RATE", entries });
}

/** queues a run of `flow` and waits until it is final */
export async function runFlow(
  w: World,
  flow: FlowKind,
  options?: RunSyncOptions,
): Promise<RunFieldsFragment> {
  const queued = (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow, options })).runSync;
  return w.waitRun(queued.id);
}

/** the items of a run (its first 100) */
export async function runItems(w: World, runId: string): Promise<ItemFieldsFragment[]> {
  return (await w.gql(SyncRunDocument, { id: runId, first: 100 })).syncRun!.items.edges.map((e) => e.node);
}

/** the item of a run for one source record; throws, naming the run's items, when it has none */
export async function itemOf(
  w: World,
  runId: string,
  sourceId: string | number,
): Promise<ItemFieldsFragment> {
  const items = await runItems(w, runId);
  const item = items.find((i) => i.sourceId === String(sourceId));
  if (!item) throw new Error(`run ${runId} has no item for ${sourceId}: ${JSON.stringify(items)}`);
  return item;
}

/** runs `flow` for one source record (a dry run when asked) and answers its item */
export async function runOne(
  w: World,
  flow: FlowKind,
  sourceId: string | number,
  dryRun?: boolean,
): Promise<ItemFieldsFragment> {
  const r = await runFlow(w, flow, { sourceIds: [String(sourceId)], ...(dryRun ? { dryRun } : {}) });
  return itemOf(w, r.id, sourceId);
}

/** every webhook delivered and every run of `flows` it caused finished (a write's echo would happen by then) */
export async function settle(w: World, flows: readonly FlowKind[] = PRODUCT_FLOWS): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await w.ccv.webhooks.idle();
    await w.ecwid.webhooks.flush();
    for (const flow of flows) {
      const runs = (await w.gql(SyncRunsDocument, { integrationId: w.integrationId, flow })).syncRuns.edges;
      for (const r of runs) await w.waitRun(r.node.id);
    }
  }
}

/** the Ecwid sandbox delivers these events (by default every product event) to the gateway's webhook URL */
export function deliverEcwidWebhooks(
  w: World,
  events: string[] = ["product.created", "product.updated", "product.deleted"],
): void {
  w.ecwid.registerWebhook(`${w.t.url}/webhooks/ecwid/${w.integrationId}`, events);
}

/** waits until the gateway has registered (at least) this many CCV webhooks, with their keys, for the integration */
export async function ccvWebhooksRegistered(w: World, atLeast: number, what: string): Promise<void> {
  await eventually(
    async () =>
      (await w.t.gw.dataSource.manager.countBy(CcvWebhookEntity, { integrationId: w.integrationId })) >=
      atLeast,
    what,
  );
}

// ---- what the sandboxes hold and were sent, read without HTTP ----

/** a CCV API client for the world's CCV sandbox (for what a shop owner does in CCV with webhooks) */
export function ccvClientOf(w: Pick<World, "ccv">): CcvClient {
  return new CcvClient(
    { baseUrl: w.ccv.baseUrl, publicKey: w.ccv.publicKey, secretKey: w.ccv.secretKey },
    { budget: new SharedRateBudget(), circuit: new AuthCircuit(), transport: { upstreams: LOCAL_UPSTREAMS } },
  );
}

/** the links the gateway recorded for the world's integration */
export const linksOf = (w: World): LinkStore => new LinkStore(w.t.gw.dataSource, w.integrationId);

/** the CCV id of the category CATEGORIES_ECWID_TO_CCV linked to this Ecwid category */
export const ccvCategoryOf = async (w: World, ecwidId: number): Promise<number> =>
  Number((await linksOf(w).byEcwid("CATEGORY", String(ecwidId)))!.ccvId);

/** the Ecwid sandbox's products with this SKU */
export const ecwidAllBySku = (w: Pick<World, "ecwid">, sku: string): EcwidProduct[] =>
  [...w.ecwid.store.products.values()].map((r) => r.data).filter((p) => p.sku === sku);

/** the Ecwid sandbox's (first) product with this SKU */
export const ecwidBySku = (w: Pick<World, "ecwid">, sku: string): EcwidProduct | undefined =>
  ecwidAllBySku(w, sku)[0];

/** an Ecwid product's attributes by name (by type when it has none) */
export const ecwidAttributes = (p: EcwidProduct) =>
  Object.fromEntries((p.attributes ?? []).map((a) => [a.name ?? a.type ?? "", a.value]));

/** writes the Ecwid sandbox received */
export const ecwidWrites = (w: Pick<World, "ecwid">): number => w.ecwid.log.writes().length;

/** writes the CCV sandbox received, webhook (un)registrations left out */
export const ccvWrites = (w: Pick<World, "ccv">): number =>
  w.ccv.log.writes().filter((e) => !/\/webhooks/.test(e.path)).length;
