import {
  ConfigureFlowDocument,
  ConsoleActivityDocument,
  ConsoleCheckCredentialsDocument,
  ConsoleIntegrationDocument,
  ConsoleItemsDocument,
  ConsolePreviewMappingDocument,
  ConsoleSeenValueCodesDocument,
  RunSyncDocument,
} from "../../sdk/generated/graphql";
import type { EcwidProduct } from "../../src/connectors/ecwid";
import { errorCode } from "../support/graphql-client";
import { webOrder } from "../support/web-orders";
import { startWorld, type World } from "../support/world";

/**
 * The read models the operator console builds on, added to the public API: item search by SKU,
 * e-mail and order id (newest first), items per hour by status, the next scheduled run, the codes
 * recent items carried for value maps, and a credential check before saving.
 */

const products: EcwidProduct[] = [
  { id: 700100, name: "Mug", sku: "MUG-01", price: 12.5, quantity: 40, unlimited: false, enabled: true },
];

describe("console read models on the public API", () => {
  let w: World;
  let good: string;
  let bad: string;

  beforeAll(async () => {
    w = await startWorld({ ecwid: { seed: { products } } });
    w.ccv.store.seedProduct({ name: "Mug", productnumber: "MUG-01", price: 12.5 });
    good = w.ecwid.store.createOrder(webOrder("Anna@Example.com", "MUG-01", 700100)).orderId;
    bad = w.ecwid.store.createOrder(webOrder("bob_smith@example.com", "NOPE-42")).orderId;
    const run = await w.gql(RunSyncDocument, {
      integrationId: w.integrationId,
      flow: "ORDERS_ECWID_TO_CCV",
      options: { full: true },
    });
    const done = await w.waitRun(run.runSync.id);
    expect(done.counts).toMatchObject({ created: 1, failed: 1 });
  });
  afterAll(() => w.stop());

  const items = (vars: { sku?: string; email?: string; orderId?: string; first?: number; after?: string }) =>
    w.gql(ConsoleItemsDocument, { integrationId: w.integrationId, ...vars }).then((r) => r.syncItems);

  it("finds a failed order by a SKU on one of its lines, case-insensitively, and treats LIKE wildcards literally", async () => {
    const r = await items({ sku: "nope-42" });
    expect(r.totalCount).toBe(1);
    expect(r.edges[0]!.node).toMatchObject({ sourceId: bad, status: "FAILED", errorCode: "MISSING_PRODUCT" });
    expect((await items({ sku: "NOPE-%" })).totalCount).toBe(0);
    expect((await items({ sku: "NOPE_42" })).totalCount).toBe(0);
    expect((await items({ sku: "MUG-01" })).edges.map((e) => e.node.sourceId)).toEqual([good]);
  });

  it("finds items by e-mail (any case; _ is not a wildcard) and by the order id on either side", async () => {
    expect((await items({ email: "anna@example.COM" })).edges.map((e) => e.node.sourceId)).toEqual([good]);
    expect((await items({ email: "bob_smith@example.com" })).edges.map((e) => e.node.sourceId)).toEqual([
      bad,
    ]);
    expect((await items({ email: "bobXsmith@example.com" })).totalCount).toBe(0);
    const created = (await items({ orderId: good })).edges[0]!.node;
    expect(created.status).toBe("SUCCEEDED");
    expect(created.targetId).toBeTruthy();
    expect((await items({ orderId: created.targetId! })).edges.map((e) => e.node.id)).toEqual([created.id]);
    expect((await items({ orderId: "does-not-exist" })).totalCount).toBe(0);
  });

  it("lists newest first and pages on without repeating an item", async () => {
    const first = await items({ first: 1 });
    expect(first.totalCount).toBe(2);
    const second = await items({ first: 1, after: first.pageInfo.endCursor! });
    expect(Number(first.edges[0]!.node.id)).toBeGreaterThan(Number(second.edges[0]!.node.id));
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it("counts items per hour by status, empty hours included, and refuses a window out of range", async () => {
    const r = await w.gql(ConsoleActivityDocument, { integrationId: w.integrationId, hours: 6 });
    expect(r.syncActivity).toHaveLength(6);
    const last = r.syncActivity.at(-1)!;
    expect(last).toMatchObject({ succeeded: 1, failed: 1, skipped: 0, pending: 0 });
    expect(new Date(last.hour).getTime()).toBeLessThanOrEqual(Date.now());
    expect(
      r.syncActivity.slice(0, -1).every((b) => b.succeeded + b.failed + b.skipped + b.pending === 0),
    ).toBe(true);
    const other = await w.gql(ConsoleActivityDocument, {
      integrationId: w.integrationId,
      flow: "ORDERS_CCV_TO_ECWID",
      hours: 2,
    });
    expect(other.syncActivity.every((b) => b.succeeded + b.failed === 0)).toBe(true);
    const refused = await w.raw(ConsoleActivityDocument, { integrationId: w.integrationId, hours: 0 });
    expect(errorCode(refused)).toBe("BAD_USER_INPUT");
  });

  it("tells when a scheduled flow runs next, and nothing for a flow that is off", async () => {
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      input: { enabled: true, schedule: "*/15 * * * *" },
    });
    const flows = (await w.gql(ConsoleIntegrationDocument, { id: w.integrationId })).integration!.flows;
    const next = flows.find((f) => f.kind === "CATEGORIES_ECWID_TO_CCV")!.nextRunAt;
    expect(next).toBeTruthy();
    const at = new Date(next!);
    expect(at.getTime()).toBeGreaterThan(Date.now() - 1000);
    expect(at.getUTCMinutes() % 15).toBe(0);
    expect(flows.find((f) => f.kind === "ORDERS_CCV_TO_ECWID")!.nextRunAt).toBeNull();
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      input: { enabled: false },
    });
  });

  it("offers the payment-method codes recent POS sales carried", async () => {
    const mug = [...w.ccv.store.products.values()].find((p) => p.productnumber === "MUG-01")!;
    for (const method of ["PinTerminal", "PinTerminal", "BankTransfer"]) {
      const order = w.ccv.store.createOrder({
        customer: {
          email: `kassa-${method}@example.com`,
          billingaddress: { first_name: "K", last_name: "L" },
        },
        orderrows: [{ product_id: mug.id, count: 1 }],
        is_completed: true,
        paid: true,
        status: 7,
      });
      order.fields.paymethod_id = [...w.ccv.store.paymethods.values()].find(
        (p) => p.combined_name === method,
      )!.id;
    }
    const run = await w.gql(RunSyncDocument, {
      integrationId: w.integrationId,
      flow: "ORDERS_CCV_TO_ECWID",
      options: { full: true },
    });
    await w.waitRun(run.runSync.id);
    const codes = (
      await w.gql(ConsoleSeenValueCodesDocument, { integrationId: w.integrationId, kind: "PAYMENT_METHOD" })
    ).seenValueCodes;
    expect(codes.map((c) => [c.code, c.count])).toEqual([
      ["PinTerminal", 2],
      ["BankTransfer", 1],
    ]);
    const none = await w.gql(ConsoleSeenValueCodesDocument, {
      integrationId: w.integrationId,
      kind: "TAX_RATE",
    });
    expect(none.seenValueCodes).toEqual([]);
  });

  it("previews an editor's draft mappings on a real record without saving them, and points at the error in a bad expression", async () => {
    const preview = (expression: string) =>
      w.gql(ConsolePreviewMappingDocument, {
        integrationId: w.integrationId,
        flow: "ORDERS_ECWID_TO_CCV",
        sourceId: good,
        mappings: [{ target: "reservationnumber", expression, policy: "ALWAYS" }],
      });
    const ok = (await preview('"WEB-" & id')).previewMapping;
    expect(ok.problems).toEqual([]);
    expect((ok.targetPayload as { reservationnumber: string }).reservationnumber).toBe(`WEB-${good}`);
    const bad = (await preview('"WEB-" & (id')).previewMapping;
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0]).toMatchObject({ target: "reservationnumber" });
    expect(bad.problems[0]!.position).toEqual(expect.any(Number));
    // the refused draft is left out: the default mapping of the field still previews
    expect((bad.targetPayload as { reservationnumber: string }).reservationnumber).toBe(good);
    const saved = (
      await w.gql(ConsolePreviewMappingDocument, {
        integrationId: w.integrationId,
        flow: "ORDERS_ECWID_TO_CCV",
        sourceId: good,
      })
    ).previewMapping;
    expect((saved.targetPayload as { reservationnumber: string }).reservationnumber).toBe(good);
  });

  it("checks credentials before they are saved: words for a wrong token, field errors for bad input, nothing stored", async () => {
    const ok = await w.gql(ConsoleCheckCredentialsDocument, {
      ecwid: { storeId: w.ecwid.storeId, token: w.ecwid.token, apiBaseUrl: w.ecwid.url },
      ccv: { baseUrl: w.ccv.baseUrl, publicKey: w.ccv.publicKey, secretKey: w.ccv.secretKey },
    });
    expect(ok.checkCredentials.map((c) => [c.system, c.ok])).toEqual([
      ["ECWID", true],
      ["CCV_SALESPOS", true],
    ]);
    const wrong = await w.gql(ConsoleCheckCredentialsDocument, {
      ecwid: { storeId: w.ecwid.storeId, token: "secret_wrongwrongwrong", apiBaseUrl: w.ecwid.url },
    });
    expect(wrong.checkCredentials).toHaveLength(1);
    expect(wrong.checkCredentials[0]!.ok).toBe(false);
    expect(wrong.checkCredentials[0]!.message).toMatch(/token/i);
    expect(JSON.stringify(wrong)).not.toContain("secret_wrongwrongwrong");
    const badUrl = await w.raw(ConsoleCheckCredentialsDocument, {
      ccv: { baseUrl: "http://shop.example.com", publicKey: "p", secretKey: "s" },
    });
    expect(errorCode(badUrl)).toBe("BAD_USER_INPUT");
    expect(badUrl.errors![0]!.message).toMatch(/^ccv\.baseUrl/);
  });
});
