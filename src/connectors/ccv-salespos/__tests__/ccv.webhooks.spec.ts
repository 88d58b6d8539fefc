import {
  ccvWebhookAddress,
  ccvWebhookSignature,
  CcvWebhookParseError,
  isCcvWebhookEvent,
  parseCcvWebhook,
  verifyCcvWebhook,
} from "../ccv.webhooks";

// Reference §8.6: the delivery body exactly as used for the §5.9.4 hash.
const FIXTURE_8_6 =
  '{"triggered_at":"2024-05-01T12:00:05Z","href":"https://demo-shop.example/api/rest/v1/orders/500000123","id":500000123,"order_number":1042,"ordernumber_prefix":null,"ordernumber_full":"1042","total_price":24.95,"previous_status":1,"status":5,"customer_email":"jan@example.com","customer_mobile":""}';
const ADDRESS = "https://gw.example.com/hooks/ccv/orders";
const KEY = "whk_demo_789";
const EXPECTED =
  "2a6e6156393671a1782a46f74de151e09a68ac9095126c51f8378495190f808a51d4e6576115a0080247e7aa0a36e4a60e112423a88a9df735ee5736ab85010d";

describe("CCV webhook signature (§5.9.4, inferred scheme)", () => {
  it("reproduces the reference's worked example", () => {
    expect(ccvWebhookSignature(KEY, ADDRESS, FIXTURE_8_6)).toBe(EXPECTED);
    expect(ccvWebhookSignature(KEY, ADDRESS, Buffer.from(FIXTURE_8_6))).toBe(EXPECTED);
  });

  it("verifies a good hash and refuses a changed body, address or key", () => {
    const headers = { "x-hash": EXPECTED };
    expect(verifyCcvWebhook({ key: KEY, address: ADDRESS, rawBody: FIXTURE_8_6, headers })).toEqual({
      ok: true,
      verified: true,
    });
    expect(
      verifyCcvWebhook({
        key: KEY,
        address: ADDRESS,
        rawBody: FIXTURE_8_6.replace("24.95", "0.01"),
        headers,
      }),
    ).toEqual({
      ok: false,
      reason: "bad-signature",
    });
    expect(verifyCcvWebhook({ key: KEY, address: `${ADDRESS}/x`, rawBody: FIXTURE_8_6, headers }).ok).toBe(
      false,
    );
    expect(verifyCcvWebhook({ key: "other", address: ADDRESS, rawBody: FIXTURE_8_6, headers }).ok).toBe(
      false,
    );
  });

  it("applies the configured mode to unsigned deliveries", () => {
    const base = { key: KEY, address: ADDRESS, rawBody: FIXTURE_8_6, headers: {} };
    expect(verifyCcvWebhook(base)).toEqual({ ok: true, verified: false }); // default if-present
    expect(verifyCcvWebhook({ ...base, mode: "require" })).toEqual({
      ok: false,
      reason: "missing-signature",
    });
    expect(verifyCcvWebhook({ ...base, mode: "off", headers: { "x-hash": "bad" } })).toEqual({
      ok: true,
      verified: false,
    });
    expect(verifyCcvWebhook({ ...base, mode: "if-present", headers: { "x-hash": "bad" } })).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });
});

describe("CCV webhook payloads (§5.9.3)", () => {
  it("parses orders.updated.status; the event comes from the URL, not the body", () => {
    const p = parseCcvWebhook("orders.updated.status", FIXTURE_8_6);
    expect(p).toMatchObject({
      event: "orders.updated.status",
      entity: "order",
      id: "500000123",
      href: "https://demo-shop.example/api/rest/v1/orders/500000123",
      triggeredAt: new Date("2024-05-01T12:00:05Z"),
      order: {
        orderNumber: 1042,
        orderNumberPrefix: null,
        orderNumberFull: "1042",
        totalPrice: 24.95,
        customerEmail: "jan@example.com",
        previousStatus: 1,
        status: 5,
      },
    });
  });

  it("parses the ispaid and trackandtrace variants", () => {
    const paid = FIXTURE_8_6.replace('"previous_status":1,"status":5', '"paid":true');
    expect(parseCcvWebhook("orders.updated.ispaid", paid).order?.paid).toBe(true);
    const tt = FIXTURE_8_6.replace(
      '"previous_status":1,"status":5',
      '"track_and_trace_code":"3SABC1234567","track_and_trace_carrier":"PostNL"',
    );
    expect(parseCcvWebhook("orders.updated.trackandtrace", tt).order).toMatchObject({
      trackAndTraceCode: "3SABC1234567",
      trackAndTraceCarrier: "PostNL",
    });
  });

  it("parses the minimal product envelope, taking the id from href when needed, and PHP-escaped bodies", () => {
    const p = parseCcvWebhook(
      "products.updated",
      '{"triggered_at":"2024-05-01T12:00:05Z","href":"https:\\/\\/s.example\\/api\\/rest\\/v1\\/products\\/77"}',
    );
    expect(p).toMatchObject({
      entity: "product",
      id: "77",
      href: "https://s.example/api/rest/v1/products/77",
    });
  });

  it("refuses unknown events (short forms included), non-JSON and bodies without an id", () => {
    expect(() => parseCcvWebhook("orders.status", FIXTURE_8_6)).toThrow(CcvWebhookParseError);
    expect(() => parseCcvWebhook("orders.created", "not json")).toThrow(CcvWebhookParseError);
    expect(() => parseCcvWebhook("orders.created", "[]")).toThrow(CcvWebhookParseError);
    expect(() => parseCcvWebhook("orders.created", '{"triggered_at":"x"}')).toThrow(CcvWebhookParseError);
  });

  it("knows the §5.9.2 event names and builds one address per event", () => {
    expect(isCcvWebhookEvent("orders.updated.trackandtrace")).toBe(true);
    expect(isCcvWebhookEvent("orders.ispaid")).toBe(false);
    expect(ccvWebhookAddress("https://gw.example.com/", "int 1", "orders.created")).toBe(
      "https://gw.example.com/webhooks/ccv/int%201/orders.created",
    );
  });
});
