import {
  IntegrationDocument,
  TestConnectionsDocument,
  UpdateCcvCredentialsDocument,
  UpdateEcwidCredentialsDocument,
} from "../../sdk/generated/graphql";
import { startWorld, type World } from "../support/world";

describe("testConnections against both sandboxes", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ ccv: { seed: { webshopName: "Demo Winkel" } } });
  });
  afterAll(() => w.stop());

  it("reads each side once, reports in words, and stores the outcome on the connections", async () => {
    const checks = (await w.gql(TestConnectionsDocument, { integrationId: w.integrationId })).testConnections;
    expect(checks.map((c) => [c.system, c.ok])).toEqual([
      ["ECWID", true],
      ["CCV_SALESPOS", true],
    ]);
    expect(checks[1].message).toMatch(/Demo Winkel/);
    const i = (await w.gql(IntegrationDocument, { id: w.integrationId })).integration!;
    expect(i.ecwid.status).toBe("OK");
    expect(i.ccv.status).toBe("OK");
    expect(i.ccv.label).toMatch(/\(webshop \d+\)/);
    expect(i.ccv.lastCheckedAt).toBeTruthy();
    expect(w.ecwid.log.writes()).toHaveLength(0);
    expect(w.ccv.log.writes()).toHaveLength(0);
  });

  it("a refused Ecwid token and a wrong CCV secret show as FAILING with the reason, never the secret", async () => {
    await w.gql(UpdateEcwidCredentialsDocument, {
      integrationId: w.integrationId,
      input: { storeId: w.ecwid.storeId, token: "secret_not_a_valid_token_123", apiBaseUrl: w.ecwid.url },
    });
    await w.gql(UpdateCcvCredentialsDocument, {
      integrationId: w.integrationId,
      input: { baseUrl: w.ccv.baseUrl, publicKey: w.ccv.publicKey, secretKey: "sk_wrong_secret_987" },
    });
    const checks = (await w.gql(TestConnectionsDocument, { integrationId: w.integrationId })).testConnections;
    expect(checks.every((c) => !c.ok)).toBe(true);
    expect(checks[0].message).toMatch(/Ecwid/);
    const text = JSON.stringify(checks);
    expect(text).not.toContain("secret_not_a_valid_token_123");
    expect(text).not.toContain("sk_wrong_secret_987");
    const i = (await w.gql(IntegrationDocument, { id: w.integrationId })).integration!;
    expect(i.ecwid.status).toBe("FAILING");
    expect(i.ccv.status).toBe("FAILING");
    expect(i.ecwid.lastError).toBeTruthy();
  });
});
