import { ConnectorError } from "../../../../connectors/http/connector-error";
import type { CcvOrder } from "../../../../connectors/ccv-salespos";
import type { EcwidOrder } from "../../../../connectors/ecwid";
import { ItemFailure, type SourceRecord } from "../../../engine/flow-definition";
import { testRuntime, type TestRuntimeOptions } from "../../../engine/test-runtime";
import { ordersCcvToEcwid } from "../../orders-ccv-to-ecwid.flow";
import { ordersEcwidToCcv } from "../../orders-ecwid-to-ccv.flow";

/**
 * The order flows' steps on the test runtime: records in, decisions (and the vendor calls they
 * cost) out. The idempotency steps (linked → echo → intent/reference → link) are the shared ones
 * of create-once.ts.
 */

/** a paid guest web order (no e-mail: no account lookups) of one linked product */
const webOrder = (over: Partial<EcwidOrder> = {}): SourceRecord => ({
  id: "WEB-1",
  entity: "ORDER",
  payload: {
    id: "WEB-1",
    paymentStatus: "PAID",
    fulfillmentStatus: "AWAITING_PROCESSING",
    pricesIncludeTax: true,
    createDate: "2026-01-02 10:00:00 +0000",
    subtotal: 12.1,
    total: 12.1,
    tax: 2.1,
    items: [
      {
        productId: 11,
        sku: "MUG",
        name: "Mug",
        quantity: 1,
        price: 12.1,
        taxes: [{ name: "BTW", value: 21, total: 2.1, includeInPrice: true }],
      },
    ],
    billingPerson: {
      name: "Anna de Vries",
      street: "Dorpsstraat 12",
      city: "Utrecht",
      postalCode: "3511 AB",
      countryCode: "NL",
    },
    ...over,
  } as EcwidOrder,
});

const ccvOrder = (id: number, ordernumber = `2026-${id}`) =>
  ({ id, ordernumber_full: ordernumber }) as CcvOrder;

const toCcv = (o: TestRuntimeOptions = {}) =>
  testRuntime(ordersEcwidToCcv, {
    ...o,
    links: [
      { entity: "PRODUCT", ecwidId: "11", ccvId: "501", createdBy: "MATCHED", sku: "MUG" },
      ...(o.links ?? []),
    ],
    ccv: {
      getStoreProfile: async () => ({
        system: "CCV_SALESPOS",
        storeId: "7",
        name: null,
        currency: "EUR",
        pricesIncludeTax: true,
      }),
      ...(o.ccv ?? {}),
    },
    ecwid: { getProfile: async () => ({}), ...(o.ecwid ?? {}) },
  });
const methods = (calls: { system: string; method: string }[]) => calls.map((c) => `${c.system}.${c.method}`);

describe("ORDERS_ECWID_TO_CCV steps", () => {
  it("linked: not created again; one read of the CCV order", async () => {
    const t = toCcv({
      links: [{ entity: "ORDER", ecwidId: "WEB-1", ccvId: "900", createdBy: "CCV_SALESPOS" }],
      ccv: { getOrder: async () => ccvOrder(900) },
    });
    // (what a linked order then does with its statuses is the status step's: orders/ecwid-to-ccv-status)
    expect(await t.sync(webOrder())).toMatchObject({
      action: "SKIP",
      targetId: "900",
      reason: "Already in CCV SalesPOS as order 2026-900.",
    });
    expect(methods(t.calls)).toEqual(["ccv.getOrder"]);
  });

  it("an echo (linked by the opposite flow) and an order that does not qualify cost no request", async () => {
    const echo = toCcv({ links: [{ entity: "ORDER", ecwidId: "WEB-1", ccvId: "900", createdBy: "ECWID" }] });
    expect((await echo.sync(webOrder())).reason).toMatch(/^echo: /);
    const unpaid = toCcv();
    expect(await unpaid.sync(webOrder({ paymentStatus: "AWAITING_PAYMENT" }))).toMatchObject({
      action: "SKIP",
    });
    expect([...echo.calls, ...unpaid.calls]).toEqual([]);
  });

  it("steady state: the intent is recorded, the order created and the intent settled, with no reference search", async () => {
    const t = toCcv({ ccv: { createOrder: async () => ccvOrder(901) } });
    const d = await t.sync(webOrder());
    expect(d).toMatchObject({
      action: "CREATE",
      targetId: "901",
      reason: expect.stringMatching(/^Sent to CCV SalesPOS as order 2026-901; /),
    });
    expect(d.links).toEqual([
      expect.objectContaining({ entity: "ORDER", ecwidId: "WEB-1", ccvId: "901", createdBy: "CCV_SALESPOS" }),
    ]);
    expect(methods(t.calls)).not.toContain("ccv.findOrderByReference");
    expect(methods(t.calls).filter((m) => m === "ccv.createOrder")).toHaveLength(1);
    expect(t.intents).toEqual([
      expect.objectContaining({
        sourceId: "WEB-1",
        reference: "WEB-1",
        target: "CCV_SALESPOS",
        targetId: "901",
        targetLabel: "2026-901",
      }),
    ]);
  });

  it("an intent with an outcome (crash before the item was recorded): linked from the intent, nothing sent or searched", async () => {
    const t = toCcv({
      intents: [
        {
          target: "CCV_SALESPOS",
          entity: "ORDER",
          reference: "WEB-1",
          sourceId: "WEB-1",
          targetId: "902",
          targetLabel: "2026-902",
        },
      ],
    });
    const d = await t.sync(webOrder());
    expect(d).toMatchObject({
      action: "CREATE",
      targetId: "902",
      reason:
        "Already in CCV SalesPOS as order 2026-902: an earlier attempt created it (recorded when it was sent, with reservation number WEB-1); linked, not sent again.",
    });
    expect(methods(t.calls)).toEqual(["ccv.getStoreProfile", "ecwid.getProfile"]);
  });

  it("an intent without an outcome (crash or ambiguous failure): one reference search, then linked or created", async () => {
    const pending = {
      target: "CCV_SALESPOS" as const,
      entity: "ORDER" as const,
      reference: "WEB-1",
      sourceId: "WEB-1",
      targetId: null,
    };
    const found = toCcv({ intents: [pending], ccv: { findOrderByReference: async () => ccvOrder(903) } });
    expect((await found.sync(webOrder())).reason).toMatch(
      /\(found by its reservation number WEB-1\); linked, not sent again\.$/,
    );
    expect(methods(found.calls)).toContain("ccv.findOrderByReference");
    expect(found.intents[0]).toMatchObject({ targetId: "903" });

    const lost = toCcv({
      intents: [{ ...pending }],
      ccv: { findOrderByReference: async () => undefined, createOrder: async () => ccvOrder(904) },
    });
    expect(await lost.sync(webOrder())).toMatchObject({ action: "CREATE", targetId: "904" });
    expect(lost.intents).toEqual([expect.objectContaining({ id: "intent-0", targetId: "904" })]);
  });

  it("a reference another order's intent carries fails the item (MAPPING) without a request upstream", async () => {
    const t = toCcv({
      intents: [
        {
          target: "CCV_SALESPOS",
          entity: "ORDER",
          reference: "WEB-1",
          sourceId: "WEB-0",
          targetId: "800",
          targetLabel: "2026-800",
        },
      ],
    });
    const e = await t.sync(webOrder()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ItemFailure);
    expect(e).toMatchObject({ errorCode: "MAPPING" });
    expect((e as Error).message).toMatch(
      /^The reservation number WEB-1 is already on CCV SalesPOS order 2026-800, which belongs to Ecwid order WEB-0/,
    );
    expect(methods(t.calls)).not.toContain("ccv.createOrder");
  });

  it("a refusal that created nothing removes the intent; an ambiguous failure keeps it for the next attempt's search", async () => {
    const refuse = (ambiguous: boolean) =>
      toCcv({
        ccv: {
          createOrder: async () => {
            throw new ConnectorError({
              system: "CCV_SALESPOS",
              code: ambiguous ? "TEMPORARY" : "VALIDATION",
              message: "no",
              ambiguous,
            });
          },
        },
      });
    const refused = refuse(false);
    await expect(refused.sync(webOrder())).rejects.toMatchObject({ code: "VALIDATION" });
    expect(refused.intents).toEqual([]);
    const ambiguous = refuse(true);
    await expect(ambiguous.sync(webOrder())).rejects.toMatchObject({ code: "TEMPORARY" });
    expect(ambiguous.intents).toEqual([expect.objectContaining({ reference: "WEB-1", targetId: null })]);
  });

  it("a dry run writes no intent", async () => {
    const t = toCcv({ dryRun: true });
    expect(await t.sync(webOrder())).toMatchObject({
      action: "CREATE",
      sentPayload: expect.objectContaining({ reservationnumber: "WEB-1" }),
    });
    expect(t.intents).toEqual([]);
  });
});

describe("ORDERS_CCV_TO_ECWID steps", () => {
  const sale = (over: Partial<CcvOrder> = {}): SourceRecord => ({
    id: "77",
    entity: "ORDER",
    payload: {
      id: 77,
      is_completed: true,
      status: 1,
      create_date: "2026-01-02T10:00:00Z",
      ...over,
    } as CcvOrder,
  });

  it("an order the gateway created from Ecwid (linked, or carrying an Ecwid order's id) is an echo, with no request", async () => {
    const linked = testRuntime(ordersCcvToEcwid, {
      links: [{ entity: "ORDER", ecwidId: "WEB-9", ccvId: "77", createdBy: "CCV_SALESPOS" }],
    });
    expect((await linked.sync(sale())).reason).toBe(
      "echo: the gateway created this CCV order from Ecwid order WEB-9; it is not sent back.",
    );
    const byReference = testRuntime(ordersCcvToEcwid, {
      links: [{ entity: "ORDER", ecwidId: "WEB-8", ccvId: "76", createdBy: "CCV_SALESPOS" }],
    });
    expect((await byReference.sync(sale({ reservationnumber: "WEB-8" }))).reason).toMatch(
      /^echo: its reservation number WEB-8 is an Ecwid order the gateway has linked/,
    );
    expect([...linked.calls, ...byReference.calls]).toEqual([]);
  });

  it("an open basket is not a sale", async () => {
    const t = testRuntime(ordersCcvToEcwid);
    expect(await t.sync(sale({ is_completed: false }))).toMatchObject({ action: "SKIP" });
    expect(t.calls).toEqual([]);
  });
});
