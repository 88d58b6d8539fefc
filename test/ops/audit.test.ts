import {
  AuditLogDocument,
  ConfigureFlowDocument,
  CreateAlertChannelDocument,
  CreateApiKeyDocument,
  CreateIntegrationDocument,
  CreateWorkspaceDocument,
  RevokeApiKeyDocument,
  SetFieldMappingsDocument,
  SetValueMappingsDocument,
  UpdateAlertChannelDocument,
  UpdateEcwidCredentialsDocument,
} from "../../sdk/generated/graphql";
import { AuditLogEntity } from "../../src/db/entities/ops.entity";
import { AUDITED, NOT_AUDITED } from "../../src/resolvers/audit.middleware";
import { buildGatewaySchema } from "../../src/server/schema";
import { errorCode, execute, executeOk } from "../support/graphql-client";
import { startTestGateway, type TestGateway } from "../support/gateway";

const TOKEN = "secret_AuditTok3n9aZqWm4kP0";
const NEW_TOKEN = "secret_N3wAuditTok3nXy7Rb2";
const SECRET = "sk_audit_9f8e7d6c5b4a";
const SMTP_PASSWORD = "smtp-pass-Audit-77";

describe("audit log: every configuration change with who, when, before and after", () => {
  let t: TestGateway;
  let admin: string;
  let adminPrefix: string;
  let integrationId: string;

  beforeAll(async () => {
    t = await startTestGateway({ env: { LOG_RETENTION_DAYS: "30", AUDIT_RETENTION_DAYS: "365" } });
    const ws = await executeOk(t.url, CreateWorkspaceDocument, { name: "Audited shop" }, t.adminToken);
    admin = ws.createWorkspace.adminKey.secret;
    adminPrefix = ws.createWorkspace.adminKey.apiKey.prefix;
    integrationId = (
      await executeOk(
        t.url,
        CreateIntegrationDocument,
        {
          input: {
            name: "Main shop",
            ecwid: { storeId: 1003, token: TOKEN },
            ccv: { baseUrl: "https://myshop.ccvshop.nl", publicKey: "pk_audit_1234", secretKey: SECRET },
          },
        },
        admin,
      )
    ).createIntegration.id;
  });
  afterAll(() => t.stop());

  it("classifies every mutation of the schema as audited or not a configuration change", async () => {
    const mutations = Object.keys((await buildGatewaySchema()).getMutationType()!.getFields()).sort();
    expect([...Object.keys(AUDITED), ...NOT_AUDITED].sort()).toEqual(mutations);
  });

  it("records the changes in order with the key prefix, before/after and field changes, never a secret", async () => {
    const flow = "ORDERS_ECWID_TO_CCV" as const;
    await executeOk(
      t.url,
      ConfigureFlowDocument,
      { integrationId, flow, input: { enabled: false, schedule: "*/10 * * * *" } },
      admin,
    );
    await executeOk(
      t.url,
      ConfigureFlowDocument,
      {
        integrationId,
        flow,
        input: { schedule: "*/5 * * * *", settings: { orderStatuses: ["PAID", "SHIPPED"] } },
      },
      admin,
    );
    await executeOk(
      t.url,
      SetFieldMappingsDocument,
      { integrationId, flow, mappings: [{ target: "reservationnumber", expression: "'WEB-' & id" }] },
      admin,
    );
    await executeOk(
      t.url,
      SetValueMappingsDocument,
      { integrationId, kind: "PAYMENT_METHOD", entries: [{ from: "PayPal", to: "paypal" }] },
      admin,
    );
    await executeOk(
      t.url,
      UpdateEcwidCredentialsDocument,
      { integrationId, input: { storeId: 1003, token: NEW_TOKEN } },
      admin,
    );
    const key = await executeOk(t.url, CreateApiKeyDocument, { name: "screen", role: "VIEWER" }, admin);
    await executeOk(t.url, RevokeApiKeyDocument, { id: key.createApiKey.apiKey.id }, admin);
    const ch = await executeOk(
      t.url,
      CreateAlertChannelDocument,
      {
        input: {
          name: "ops mail",
          type: "EMAIL",
          kinds: ["RUN_FAILED"],
          email: {
            host: "smtp.example.com",
            port: 587,
            username: "ops",
            password: SMTP_PASSWORD,
            from: "gw@example.com",
            to: ["ops@example.com"],
          },
        },
      },
      admin,
    );
    await executeOk(
      t.url,
      UpdateAlertChannelDocument,
      { id: ch.createAlertChannel.channel.id, input: { kinds: ["RUN_FAILED", "RUN_PARTIAL"] } },
      admin,
    );

    const log = (await executeOk(t.url, AuditLogDocument, { first: 50 }, admin)).auditLog;
    const actions = log.edges.map((e) => e.node.action).reverse();
    expect(actions).toEqual([
      "WORKSPACE_CREATED",
      "INTEGRATION_CREATED",
      "FLOW_CONFIGURED",
      "FLOW_CONFIGURED",
      "FIELD_MAPPINGS_SET",
      "VALUE_MAPPINGS_SET",
      "CREDENTIALS_REPLACED",
      "API_KEY_CREATED",
      "API_KEY_REVOKED",
      "ALERT_CHANNEL_CREATED",
      "ALERT_CHANNEL_UPDATED",
    ]);
    const byAction = (a: string) => log.edges.map((e) => e.node).filter((n) => n.action === a);
    expect(byAction("WORKSPACE_CREATED")[0].actor).toBe("operator token");
    const flowChange = byAction("FLOW_CONFIGURED")[0]; // newest first
    expect(flowChange.actor).toBe(`${adminPrefix}…`);
    expect(flowChange.actorRole).toBe("ADMIN");
    expect(flowChange.integrationId).toBe(integrationId);
    expect(flowChange.targetId).toBe(`${integrationId}:${flow}`);
    expect(flowChange.changes).toEqual(
      expect.arrayContaining([
        { field: "schedule", before: "*/10 * * * *", after: "*/5 * * * *" },
        { field: "settings.orderStatuses", before: ["PAID"], after: ["PAID", "SHIPPED"] },
      ]),
    );
    const creds = byAction("CREDENTIALS_REPLACED")[0];
    expect(creds.summary).toBe("Ecwid credentials replaced");
    expect(creds.changes.map((c) => c.field)).toEqual(["maskedCredentials"]);
    expect(byAction("FIELD_MAPPINGS_SET")[0].after).toEqual([
      expect.objectContaining({ target: "reservationnumber", expression: "'WEB-' & id" }),
    ]);
    expect(byAction("API_KEY_REVOKED")[0].changes.map((c) => c.field)).toEqual(["revokedAt"]);
    expect(byAction("ALERT_CHANNEL_UPDATED")[0].changes).toEqual([
      { field: "kinds", before: ["RUN_FAILED"], after: ["RUN_FAILED", "RUN_PARTIAL"] },
    ]);

    const all = JSON.stringify(await t.gw.dataSource.manager.find(AuditLogEntity));
    for (const s of [TOKEN, NEW_TOKEN, SECRET, SMTP_PASSWORD, admin, key.createApiKey.secret])
      expect(all).not.toContain(s);
  });

  it("filters, pages, and answers only ADMIN keys", async () => {
    const flows = (
      await executeOk(t.url, AuditLogDocument, { filter: { action: "FLOW_CONFIGURED" }, first: 1 }, admin)
    ).auditLog;
    expect(flows.totalCount).toBe(2);
    expect(flows.edges).toHaveLength(1);
    const next = (
      await executeOk(
        t.url,
        AuditLogDocument,
        { filter: { action: "FLOW_CONFIGURED" }, first: 1, after: flows.pageInfo.endCursor },
        admin,
      )
    ).auditLog;
    expect(next.edges[0].node.id).not.toBe(flows.edges[0].node.id);
    expect(next.pageInfo.hasNextPage).toBe(false);
    const byIntegration = (await executeOk(t.url, AuditLogDocument, { filter: { integrationId } }, admin))
      .auditLog;
    expect(byIntegration.edges.every((e) => e.node.integrationId === integrationId)).toBe(true);
    const viewer = (await executeOk(t.url, CreateApiKeyDocument, { name: "v", role: "OPERATOR" }, admin))
      .createApiKey.secret;
    expect(errorCode(await execute(t.url, AuditLogDocument, {}, viewer))).toBe("FORBIDDEN");
  });

  it("a refused change leaves no entry; entries outlive item logs and go after AUDIT_RETENTION_DAYS", async () => {
    const before = (await executeOk(t.url, AuditLogDocument, {}, admin)).auditLog.totalCount;
    const bad = await execute(
      t.url,
      ConfigureFlowDocument,
      { integrationId, flow: "ORDERS_ECWID_TO_CCV", input: { schedule: "not cron" } },
      admin,
    );
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
    expect((await executeOk(t.url, AuditLogDocument, {}, admin)).auditLog.totalCount).toBe(before);

    const m = t.gw.dataSource.manager;
    const ids = (await m.find(AuditLogEntity, { order: { id: "ASC" } })).map((a) => a.id);
    const day = 24 * 3600_000;
    await m.update(AuditLogEntity, { id: ids[0] }, { at: new Date(Date.now() - 400 * day) });
    await m.update(AuditLogEntity, { id: ids[1] }, { at: new Date(Date.now() - 40 * day) });
    const r = await t.gw.engine.retention.purge();
    expect(r.auditDeleted).toBe(1);
    expect(await m.countBy(AuditLogEntity, { id: ids[1] })).toBe(1);
  });
});
