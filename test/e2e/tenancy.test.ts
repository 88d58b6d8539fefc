import {
  ApiKeysDocument,
  CreateApiKeyDocument,
  CreateIntegrationDocument,
  CreateWorkspaceDocument,
  DeleteIntegrationDocument,
  IntegrationDocument,
  IntegrationsDocument,
  RevokeApiKeyDocument,
  UpdateEcwidCredentialsDocument,
  ViewerDocument,
  type CreateIntegrationInput,
} from "../../sdk/generated/graphql";
import { errorCode, execute, executeOk } from "../support/graphql-client";
import { startTestGateway, type TestGateway } from "../support/gateway";

const integrationInput = (name = "Shop"): CreateIntegrationInput => ({
  name,
  ecwid: {
    storeId: 1003,
    token: "secret_uj8jGQ6aBfS8ZM9h2r8zMMyLQ7xCiuTR",
    clientSecret: "test_client_secret_123",
  },
  ccv: {
    baseUrl: "https://demo.ccvshop.nl",
    publicKey: "pk_demo_123",
    secretKey: "sk_demo_456_abcdefghijklmnop",
  },
});

describe("tenancy and access over HTTP", () => {
  let t: TestGateway;
  let wsA: string;
  let adminA: string;
  let operatorA: string;
  let viewerA: string;
  let adminB: string;

  beforeAll(async () => {
    t = await startTestGateway();
    const a = await executeOk(t.url, CreateWorkspaceDocument, { name: "Agency A" }, t.adminToken);
    wsA = a.createWorkspace.workspace.id;
    adminA = a.createWorkspace.adminKey.secret;
    const b = await executeOk(t.url, CreateWorkspaceDocument, { name: "Agency B" }, t.adminToken);
    adminB = b.createWorkspace.adminKey.secret;
    operatorA = (await executeOk(t.url, CreateApiKeyDocument, { name: "ops", role: "OPERATOR" }, adminA))
      .createApiKey.secret;
    viewerA = (await executeOk(t.url, CreateApiKeyDocument, { name: "screen", role: "VIEWER" }, adminA))
      .createApiKey.secret;
  });
  afterAll(() => t.stop());

  it("the operator token is the instance admin and may create workspaces only", async () => {
    const v = await executeOk(t.url, ViewerDocument, {}, t.adminToken);
    expect(v.viewer).toEqual({ isInstanceAdmin: true, role: null, workspace: null });
    const r = await execute(t.url, IntegrationsDocument, {}, t.adminToken);
    expect(errorCode(r)).toBe("FORBIDDEN");
  });

  it("a workspace key sees its workspace and role; the secret is shown once and only a prefix is kept", async () => {
    const v = await executeOk(t.url, ViewerDocument, {}, operatorA);
    expect(v.viewer.role).toBe("OPERATOR");
    expect(v.viewer.workspace?.id).toBe(wsA);
    const keys = (await executeOk(t.url, ApiKeysDocument, {}, adminA)).apiKeys;
    expect(keys.map((k) => k.role).sort()).toEqual(["ADMIN", "OPERATOR", "VIEWER"]);
    for (const k of keys) {
      expect(k.prefix).toMatch(/^gwk_.{8}$/);
      expect([adminA, operatorA, viewerA].some((s) => s.startsWith(k.prefix))).toBe(true);
      expect(JSON.stringify(k)).not.toContain(adminA.slice(13));
    }
  });

  it("missing or invalid keys are UNAUTHENTICATED", async () => {
    expect(errorCode(await execute(t.url, ViewerDocument, {}))).toBe("UNAUTHENTICATED");
    expect(errorCode(await execute(t.url, ViewerDocument, {}, "gwk_not-a-real-key"))).toBe("UNAUTHENTICATED");
    expect(errorCode(await execute(t.url, ViewerDocument, {}, "nonsense"))).toBe("UNAUTHENTICATED");
  });

  it("only the instance operator creates workspaces", async () => {
    expect(errorCode(await execute(t.url, CreateWorkspaceDocument, { name: "x" }, adminA))).toBe("FORBIDDEN");
  });

  it("roles restrict what a key may do", async () => {
    // VIEWER: read only
    expect(
      errorCode(await execute(t.url, CreateIntegrationDocument, { input: integrationInput() }, viewerA)),
    ).toBe("FORBIDDEN");
    expect(errorCode(await execute(t.url, CreateApiKeyDocument, { name: "n", role: "ADMIN" }, viewerA))).toBe(
      "FORBIDDEN",
    );
    // OPERATOR: may run syncs but not configure
    expect(
      errorCode(await execute(t.url, CreateIntegrationDocument, { input: integrationInput() }, operatorA)),
    ).toBe("FORBIDDEN");
    expect(
      errorCode(await execute(t.url, CreateApiKeyDocument, { name: "n", role: "VIEWER" }, operatorA)),
    ).toBe("FORBIDDEN");
    // ADMIN: configures
    const created = await executeOk(
      t.url,
      CreateIntegrationDocument,
      { input: integrationInput("by admin") },
      adminA,
    );
    const id = created.createIntegration.id;
    expect(errorCode(await execute(t.url, DeleteIntegrationDocument, { id }, operatorA))).toBe("FORBIDDEN");
    // every role reads
    for (const key of [adminA, operatorA, viewerA]) {
      const r = await executeOk(t.url, IntegrationDocument, { id }, key);
      expect(r.integration?.name).toBe("by admin");
    }
  });

  it("another workspace's records are invisible and untouchable, without revealing they exist", async () => {
    const mine = (
      await executeOk(t.url, CreateIntegrationDocument, { input: integrationInput("A's shop") }, adminA)
    ).createIntegration.id;
    const read = await executeOk(t.url, IntegrationDocument, { id: mine }, adminB);
    expect(read.integration).toBeNull();
    const list = await executeOk(t.url, IntegrationsDocument, {}, adminB);
    expect(list.integrations.map((i) => i.id)).not.toContain(mine);
    const upd = await execute(
      t.url,
      UpdateEcwidCredentialsDocument,
      { integrationId: mine, input: { storeId: 1, token: "secret_xyz_other" } },
      adminB,
    );
    expect(errorCode(upd)).toBe("NOT_FOUND");
    const unknown = await execute(
      t.url,
      UpdateEcwidCredentialsDocument,
      {
        integrationId: "00000000-0000-0000-0000-000000000000",
        input: { storeId: 1, token: "secret_xyz_other" },
      },
      adminB,
    );
    // the same answer for "exists elsewhere" and "does not exist"
    expect(unknown.errors?.[0]?.message.replace(/[0-9a-f-]{36}/, "ID")).toBe(
      upd.errors?.[0]?.message.replace(/[0-9a-f-]{36}/, "ID"),
    );
    expect(errorCode(await execute(t.url, DeleteIntegrationDocument, { id: mine }, adminB))).toBe(
      "NOT_FOUND",
    );
    // a key id of workspace A cannot be revoked by B
    const keyA = (await executeOk(t.url, ApiKeysDocument, {}, adminA)).apiKeys[0].id;
    expect(errorCode(await execute(t.url, RevokeApiKeyDocument, { id: keyA }, adminB))).toBe("NOT_FOUND");
    // and still works for A
    expect((await executeOk(t.url, IntegrationDocument, { id: mine }, adminA)).integration?.id).toBe(mine);
  });

  it("a revoked key stops working at once", async () => {
    const k = (await executeOk(t.url, CreateApiKeyDocument, { name: "temp", role: "VIEWER" }, adminA))
      .createApiKey;
    expect((await executeOk(t.url, ViewerDocument, {}, k.secret)).viewer.role).toBe("VIEWER");
    const revoked = await executeOk(t.url, RevokeApiKeyDocument, { id: k.apiKey.id }, adminA);
    expect(revoked.revokeApiKey.revokedAt).not.toBeNull();
    expect(errorCode(await execute(t.url, ViewerDocument, {}, k.secret))).toBe("UNAUTHENTICATED");
  });
});
