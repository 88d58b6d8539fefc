import type { Services } from "../../services";
import { AUDITED } from "../audit.middleware";

/**
 * What every audited mutation records — action, target, summary, and the target's state before
 * and after — read against fake services, so that the declarations can change shape without the
 * entries changing (the E2E audit suite covers the mutations end to end, not every one of them).
 */
const integration = {
  id: "I1",
  name: "Shop",
  ecwidStoreId: 123,
  ecwidMask: "****abcd",
  ccvBaseUrl: "https://pos.example",
  ccvWebshopId: "7",
  ccvMask: "****wxyz",
};
const channel = (id: string) => ({ id, name: `channel ${id}` });
const services = {
  integrations: { find: async (_ws: string, id: string) => (id === "I1" ? integration : null) },
  alerts: {
    list: async () => [channel("C1"), channel("X1")],
    view: (c: { id: string; name: string }) => ({
      ...c,
      type: "WEBHOOK",
      createdAt: "c",
      updatedAt: "u",
      lastMessageAt: "l",
    }),
  },
  tenancy: {
    listApiKeys: async () =>
      ["K1", "X1"].map((id) => ({
        id,
        name: `key ${id}`,
        role: "ADMIN",
        prefix: `gw_${id}`,
        revokedAt: null,
      })),
  },
  flows: {
    flow: async (i: string, f: string) => ({ enabled: true, schedule: null, settings: { i, f } }),
    fieldMappings: async () => [
      { target: "a", source: "x", policy: "ALWAYS", isDefault: false },
      { target: "b", expression: "1", policy: "ALWAYS", isDefault: true },
    ],
    valueMappings: async (_i: string, kind: string) => [{ from: kind, to: "T", extra: 1 }],
  },
  features: { list: async (_ws: string, i: string) => [{ integration: i }] },
} as unknown as Services;

const args = {
  id: "X1",
  integrationId: "I1",
  flow: "ORDERS_ECWID_TO_CCV",
  kind: "PAYMENT_METHOD",
  name: "N",
  role: "ADMIN",
  input: { name: "IN" },
};
const result = { id: "I1", workspace: { id: "W1" }, apiKey: { id: "K1" }, channel: { id: "C1" }, total: 3 };

describe("audit declarations", () => {
  it.each(Object.keys(AUDITED).sort())("%s", async (mutation) => {
    const spec = AUDITED[mutation];
    const entry = {
      action: spec.action,
      targetType: spec.targetType,
      target: spec.target(args, result),
      summary: spec.summary(args, result),
      before: spec.state ? await spec.state(services, "W1", args, undefined) : "(no state)",
      after: spec.state ? await spec.state(services, "W1", args, result) : "(no state)",
      // an integration that does not exist (or a failed create): no state
      missing: spec.state
        ? await spec.state(services, "W1", { ...args, id: "nope", integrationId: "nope" }, undefined)
        : "(no state)",
    };
    expect(entry).toMatchSnapshot();
  });
});
