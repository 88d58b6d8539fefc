import { DataSource } from "typeorm";
import {
  CreateIntegrationDocument,
  CreateWorkspaceDocument,
  DeleteIntegrationDocument,
  IntegrationDocument,
  IntegrationsDocument,
  UpdateCcvCredentialsDocument,
  UpdateEcwidCredentialsDocument,
} from "../../sdk/generated/graphql";
import { errorCode, execute, executeOk } from "../support/graphql-client";
import { startTestGateway, type TestGateway } from "../support/gateway";

const TOKEN = "secret_uj8jGQ6aBfS8ZM9h2r8zMMyLQ7xCiuTR";
const CLIENT_SECRET = "client_secret_Zq81PAm3vX";
const PUBLIC = "pk_live_8Hq2Lx0PfR";
const SECRET = "sk_live_4rT9uW2eYq7iO0pA5sD";

describe("integrations with encrypted, write-only credentials", () => {
  let t: TestGateway;
  let admin: string;
  let id: string;

  beforeAll(async () => {
    t = await startTestGateway({ captureLogs: true });
    admin = (await executeOk(t.url, CreateWorkspaceDocument, { name: "Shop owner" }, t.adminToken))
      .createWorkspace.adminKey.secret;
    const r = await executeOk(
      t.url,
      CreateIntegrationDocument,
      {
        input: {
          name: "Main shop",
          ecwid: { storeId: 1003, token: TOKEN, clientSecret: CLIENT_SECRET },
          ccv: { baseUrl: "https://myshop.ccvshop.nl/", publicKey: PUBLIC, secretKey: SECRET },
        },
      },
      admin,
    );
    id = r.createIntegration.id;
  });
  afterAll(() => t.stop());

  it("reads back with secrets masked: identities in full, secrets as a prefix and the length", async () => {
    const i = (await executeOk(t.url, IntegrationDocument, { id }, admin)).integration!;
    expect(i.ecwid.system).toBe("ECWID");
    expect(i.ecwid.status).toBe("UNTESTED");
    expect(i.ecwid.label).toBe("Ecwid store 1003");
    expect(i.ecwid.maskedCredentials).toContain("storeId 1003");
    expect(i.ecwid.maskedCredentials).toContain(`token ${TOKEN.slice(0, 9)}… (${TOKEN.length} chars)`);
    expect(i.ecwid.maskedCredentials).toContain("https://app.ecwid.com/api/v3");
    expect(i.ccv.label).toBe("myshop.ccvshop.nl");
    expect(i.ccv.maskedCredentials).toContain(`(${SECRET.length} chars)`);
    const everything = JSON.stringify(i);
    for (const s of [TOKEN, CLIENT_SECRET, PUBLIC, SECRET]) {
      expect(everything).not.toContain(s);
      // never a suffix
      expect(everything).not.toContain(s.slice(-6));
    }
  });

  it("stores no credential in plain text anywhere in the database", async () => {
    const ds: DataSource = t.gw.dataSource;
    const tables: string[] =
      ds.options.type === "mysql"
        ? (await ds.query("SHOW TABLES")).map((r: Record<string, string>) => Object.values(r)[0])
        : (await ds.query("SELECT name FROM sqlite_master WHERE type='table'")).map(
            (r: { name: string }) => r.name,
          );
    expect(tables).toContain("integration");
    let dump = "";
    for (const table of tables)
      dump += JSON.stringify(await ds.query(`SELECT * FROM ${ds.driver.escape(table)}`));
    expect(dump).toContain("myshop.ccvshop.nl");
    for (const s of [TOKEN, CLIENT_SECRET, PUBLIC, SECRET]) {
      expect(dump).not.toContain(s);
      expect(dump).not.toContain(Buffer.from(s).toString("base64"));
    }
  });

  it("never writes a credential to the log", async () => {
    await executeOk(
      t.url,
      UpdateEcwidCredentialsDocument,
      { integrationId: id, input: { storeId: 1003, token: TOKEN, clientSecret: CLIENT_SECRET } },
      admin,
    );
    const all = t.logs.join("");
    expect(all).toContain('"route":"/graphql"');
    for (const s of [TOKEN, CLIENT_SECRET, PUBLIC, SECRET, admin]) expect(all).not.toContain(s);
  });

  it("refuses a masked value pasted back as a credential", async () => {
    const i = (await executeOk(t.url, IntegrationDocument, { id }, admin)).integration!;
    const masked = /token (\S+… \(\d+ chars\))/.exec(i.ecwid.maskedCredentials)![1];
    const r = await execute(
      t.url,
      UpdateEcwidCredentialsDocument,
      { integrationId: id, input: { storeId: 1003, token: masked } },
      admin,
    );
    expect(errorCode(r)).toBe("BAD_USER_INPUT");
    expect(r.errors![0].message).toMatch(/masked/);
  });

  it("updates credentials write-only and resets the connection status", async () => {
    const c = await executeOk(
      t.url,
      UpdateCcvCredentialsDocument,
      {
        integrationId: id,
        input: {
          baseUrl: "http://127.0.0.1:9999",
          publicKey: "pk_new_abcdef",
          secretKey: "sk_new_0123456789",
        },
      },
      admin,
    );
    expect(c.updateCcvCredentials.status).toBe("UNTESTED");
    expect(c.updateCcvCredentials.maskedCredentials).toContain("http://127.0.0.1:9999");
    expect(c.updateCcvCredentials.maskedCredentials).not.toContain("sk_new_0123456789");
    const secrets = await t.gw.services.integrations.secrets(id);
    expect(secrets.ccv.secretKey).toBe("sk_new_0123456789");
  });

  it("accepts only https vendor URLs, or http on loopback", async () => {
    const bad = await execute(
      t.url,
      UpdateCcvCredentialsDocument,
      {
        integrationId: id,
        input: { baseUrl: "http://shop.example.com", publicKey: "pk", secretKey: "sk_x" },
      },
      admin,
    );
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
    expect(bad.errors![0].message).toMatch(/https/);
    const badEcwid = await execute(
      t.url,
      UpdateEcwidCredentialsDocument,
      { integrationId: id, input: { storeId: 1003, token: "secret_abc", apiBaseUrl: "ftp://x" } },
      admin,
    );
    expect(errorCode(badEcwid)).toBe("BAD_USER_INPUT");
  });

  it("deletes an integration", async () => {
    const other = (
      await executeOk(
        t.url,
        CreateIntegrationDocument,
        {
          input: {
            name: "to delete",
            ecwid: { storeId: 5, token: "secret_to_delete_123" },
            ccv: { baseUrl: "https://x.ccvshop.nl", publicKey: "pk_del", secretKey: "sk_del_123" },
          },
        },
        admin,
      )
    ).createIntegration.id;
    expect((await executeOk(t.url, DeleteIntegrationDocument, { id: other }, admin)).deleteIntegration).toBe(
      true,
    );
    const list = await executeOk(t.url, IntegrationsDocument, {}, admin);
    expect(list.integrations.map((x) => x.id)).toEqual([id]);
  });
});
