import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { CcvSandbox, type CcvSandboxOptions } from "../../src/sandbox/ccv-salespos/ccv.sandbox";
import { EcwidSandbox, type EcwidSandboxOptions } from "../../src/sandbox/ecwid/ecwid.sandbox";
import type { EngineOptions } from "../../src/server/container";
import {
  CreateIntegrationDocument,
  CreateWorkspaceDocument,
  SyncRunDocument,
  type RunFieldsFragment,
} from "../../sdk/generated/graphql";
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
