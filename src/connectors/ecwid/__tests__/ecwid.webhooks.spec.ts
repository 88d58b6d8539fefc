import {
  ecwidWebhookTarget,
  normalizeEcwidEventType,
  signEcwidWebhook,
  verifyEcwidWebhook,
  type EcwidWebhookEvent,
} from "../ecwid.webhooks";

/** Vectors from reference §11.4 and the §14.7 fixtures (bodies restated here, as the gateway receives them). */
const SECRET = "test_client_secret_123";
const ORDER_BODY = JSON.stringify({
  eventId: "5b1f0c3e-8d2a-4e7b-9a61-2f4c7d9e0b13",
  eventCreated: 1717000000,
  storeId: 1003,
  entityId: 547872251,
  eventType: "order.updated",
  data: {
    orderId: "XJ12H",
    oldPaymentStatus: "AWAITING_PAYMENT",
    newPaymentStatus: "PAID",
    oldFulfillmentStatus: "AWAITING_PROCESSING",
    newFulfillmentStatus: "AWAITING_PROCESSING",
  },
});
const ORDER_SIG = "hO4aOKjQv4mqgVT9j2eKxnfXlYWo6PJ1WoNA93aYtc0=";
const PRODUCT_BODY =
  '{"eventId": "08a78904-4c1a-0aa0-953a-2e33c56236f1", "eventCreated": 1469429915, "storeId": 1003, "entityId": 700100200, "eventType": "product.updated"}';
const PRODUCT_SIG = "k/+QxprIYEZHglS+5MZdtGOvaNbhT+ajIYi314WAgHk=";

/** flips one bit of one character of a base64 signature, keeping it valid base64 */
const flip = (sig: string, at = 5) => sig.slice(0, at) + (sig[at] === "A" ? "B" : "A") + sig.slice(at + 1);

describe("signEcwidWebhook (§11.4)", () => {
  it("computes the worked example and the second vector", () => {
    expect(signEcwidWebhook(SECRET, 1700000000, "1f8a4b2c-3d5e-4f60-8a7b-9c0d1e2f3a4b")).toBe(
      "LhtVY2lFbyknB2ieE+TwqLtm+6r8TNHw//ecnQIjtA0=",
    );
    expect(signEcwidWebhook("abcde123456789", 1469429915, "08a78904-4c1a-0aa0-953a-2e33c56236f1")).toBe(
      "5ad1SEWaZjQxg+X1HCewFW0E1pvHN13v4slaZkwcu+E=",
    );
  });

  it("computes the §14.7 fixture signatures", () => {
    expect(signEcwidWebhook(SECRET, 1717000000, "5b1f0c3e-8d2a-4e7b-9a61-2f4c7d9e0b13")).toBe(ORDER_SIG);
    expect(signEcwidWebhook(SECRET, 1469429915, "08a78904-4c1a-0aa0-953a-2e33c56236f1")).toBe(PRODUCT_SIG);
  });
});

describe("verifyEcwidWebhook", () => {
  const at = (eventCreated: number, hours: number) => eventCreated + hours * 3600;

  it("accepts the §14.7 order and product-variant deliveries", () => {
    const order = verifyEcwidWebhook({
      rawBody: ORDER_BODY,
      signatureHeader: ORDER_SIG,
      clientSecret: SECRET,
      now: at(1717000000, 1),
    });
    expect(order).toEqual({
      ok: true,
      event: expect.objectContaining({
        eventId: "5b1f0c3e-8d2a-4e7b-9a61-2f4c7d9e0b13",
        storeId: 1003,
        entityId: 547872251,
        eventType: "order.updated",
      }),
    });
    const product = verifyEcwidWebhook({
      rawBody: Buffer.from(PRODUCT_BODY),
      signatureHeader: [PRODUCT_SIG],
      clientSecret: SECRET,
      now: at(1469429915, 0),
    });
    expect(product.ok).toBe(true);
    if (product.ok) expect(product.event.data).toBeUndefined();
  });

  it("rejects a flipped byte in the signature, a wrong secret and a missing header with 401", () => {
    const base = { rawBody: ORDER_BODY, clientSecret: SECRET, now: at(1717000000, 0) };
    expect(verifyEcwidWebhook({ ...base, signatureHeader: flip(ORDER_SIG) })).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(verifyEcwidWebhook({ ...base, signatureHeader: flip(ORDER_SIG, 0) })).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(verifyEcwidWebhook({ ...base, signatureHeader: ORDER_SIG, clientSecret: "other" })).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(verifyEcwidWebhook({ ...base, signatureHeader: undefined })).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(verifyEcwidWebhook({ ...base, signatureHeader: "" })).toMatchObject({ ok: false, status: 401 });
    expect(verifyEcwidWebhook({ ...base, signatureHeader: ORDER_SIG.slice(0, -1) })).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(verifyEcwidWebhook({ ...base, signatureHeader: ORDER_SIG, clientSecret: null })).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it("rejects a signed body whose signed fields were changed (a flipped byte in eventId)", () => {
    const tampered = ORDER_BODY.replace("5b1f0c3e", "5b1f0c3f");
    expect(
      verifyEcwidWebhook({
        rawBody: tampered,
        signatureHeader: ORDER_SIG,
        clientSecret: SECRET,
        now: 1717000000,
      }),
    ).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it("keeps accepting Ecwid's redeliveries for 49 h by default, and the limit is configurable", () => {
    const v = (hours: number, maxAgeSeconds?: number) =>
      verifyEcwidWebhook({
        rawBody: ORDER_BODY,
        signatureHeader: ORDER_SIG,
        clientSecret: SECRET,
        now: at(1717000000, hours),
        maxAgeSeconds,
      });
    expect(v(48).ok).toBe(true);
    expect(v(48.9).ok).toBe(true);
    expect(v(49.1)).toMatchObject({ ok: false, status: 401 });
    expect(v(2, 3600)).toMatchObject({ ok: false, status: 401 });
  });

  it("answers 400 to malformed bodies", () => {
    const v = (rawBody: string) =>
      verifyEcwidWebhook({ rawBody, signatureHeader: ORDER_SIG, clientSecret: SECRET, now: 1717000000 });
    expect(v("not json")).toMatchObject({ ok: false, status: 400 });
    expect(v("[]")).toMatchObject({ ok: false, status: 400 });
    expect(
      v(JSON.stringify({ eventCreated: 1717000000, storeId: 1, entityId: 1, eventType: "order.updated" })),
    ).toMatchObject({ status: 400 });
    expect(
      v(
        JSON.stringify({
          eventId: "x",
          eventCreated: "soon",
          storeId: 1,
          entityId: 1,
          eventType: "order.updated",
        }),
      ),
    ).toMatchObject({
      status: 400,
    });
    expect(
      v(JSON.stringify({ eventId: "x", eventCreated: 1, storeId: 1, eventType: "order.updated" })),
    ).toMatchObject({ status: 400 });
  });

  it("normalises snake_case event suffixes to the documented camelCase", () => {
    expect(normalizeEcwidEventType("application.subscription_status_changed")).toBe(
      "application.subscriptionStatusChanged",
    );
    expect(normalizeEcwidEventType("customer.personal_data_removal_request")).toBe(
      "customer.personalDataRemovalRequest",
    );
    expect(normalizeEcwidEventType("unfinished_order.created")).toBe("unfinished_order.created");
    const body = JSON.stringify({
      eventId: "e1",
      eventCreated: 1717000000,
      storeId: 1,
      entityId: "1003",
      eventType: "profile.subscription_status_changed",
    });
    const r = verifyEcwidWebhook({
      rawBody: body,
      signatureHeader: signEcwidWebhook(SECRET, 1717000000, "e1"),
      clientSecret: SECRET,
      now: 1717000000,
    });
    expect(r.ok && r.event.eventType).toBe("profile.subscriptionStatusChanged");
  });
});

describe("ecwidWebhookTarget", () => {
  const ev = (
    eventType: string,
    entityId: number | string,
    data?: Record<string, unknown>,
  ): EcwidWebhookEvent => ({
    eventId: "e",
    eventCreated: 1,
    storeId: 1,
    entityId,
    eventType,
    ...(data ? { data } : {}),
  });

  it("names what to re-fetch", () => {
    expect(ecwidWebhookTarget(ev("product.updated", 700100200))).toEqual({
      kind: "product",
      id: 700100200,
      action: "updated",
    });
    expect(ecwidWebhookTarget(ev("order.updated", 547872251, { orderId: "XJ12H" }))).toEqual({
      kind: "order",
      id: "XJ12H",
      action: "updated",
    });
    expect(ecwidWebhookTarget(ev("order.deleted", 547872251))).toEqual({
      kind: "order",
      id: "547872251",
      action: "deleted",
    });
    expect(ecwidWebhookTarget(ev("unfinished_order.created", -1, { orderId: "RA1SD" }))).toMatchObject({
      kind: "unfinished_order",
      id: "RA1SD",
    });
    expect(ecwidWebhookTarget(ev("application.installed", "1003"))).toEqual({
      kind: "other",
      entity: "application",
      action: "installed",
    });
  });
});
