import { errorDisposition } from "../../http/connector-error";
import { ccvErrorFromResponse, ccvSignatureError, parseCcvErrorBody } from "../ccv.errors";
import { ccvLane, ccvLaneLimit, ccvPathTemplate } from "../ccv.lanes";

const ctx = { method: "PATCH", resource: "/products/{id}", rateLimitWaitMs: 60_000 };
const body = (code: string, status: number, developermessage = "msg") =>
  JSON.stringify({ code, status, developermessage });

describe("CCV error classification (§4.2–§4.4)", () => {
  it.each([
    [429, "429.10", "RATE_LIMITED"],
    [429, "429.11", "RATE_LIMITED"],
    [401, "401.10", "AUTH"],
    [403, "403.10", "AUTH"],
    [404, "404.20", "VALIDATION"],
    [404, "404.10", "NOT_FOUND"],
    [405, "405.10", "VALIDATION"],
    [400, "400.10", "VALIDATION"],
    [500, "500.10", "TEMPORARY"],
    [500, "500.00", "TEMPORARY"],
    [503, "503.00", "TEMPORARY"],
    [500, "500.20", "VALIDATION"],
    [500, "500.21", "VALIDATION"],
    [500, "500.25", "VALIDATION"],
    [500, "500.40", "VALIDATION"],
    [500, "500.50", "VALIDATION"],
    [500, "500.60", "VALIDATION"],
    [500, "500.70", "VALIDATION"],
    [500, "500.80", "VALIDATION"],
    [500, "500.90", "VALIDATION"],
    [501, "501.20", "VALIDATION"],
    [302, "302", "VALIDATION"],
  ])("HTTP %i %s → %s", (status, code, expected) => {
    const e = ccvErrorFromResponse(status, body(code, status), ctx);
    expect(e.code).toBe(expected);
    expect(e.status).toBe(status);
    expect(e.system).toBe("CCV_SALESPOS");
  });

  it("gives 429s the configured wait, and only a refused key trips the auth circuit", () => {
    expect(
      ccvErrorFromResponse(429, body("429.10", 429), { ...ctx, rateLimitWaitMs: 1234 }).retryAfterMs,
    ).toBe(1234);
    expect(ccvErrorFromResponse(401, body("401.10", 401), ctx).credentialRejected).toBe(true);
    expect(ccvErrorFromResponse(403, body("403.10", 403), ctx).credentialRejected).toBe(false);
    expect(errorDisposition(ccvErrorFromResponse(401, "", ctx))).toBe("alert");
    expect(errorDisposition(ccvErrorFromResponse(500, body("500.40", 500), ctx))).toBe("fail");
    expect(errorDisposition(ccvErrorFromResponse(502, "<html>bad gateway</html>", ctx))).toBe("retry");
  });

  it("names the total limit apart from a per-operation limit", () => {
    expect(ccvErrorFromResponse(429, body("429.11", 429), ctx).message).toMatch(/total API budget/);
    expect(ccvErrorFromResponse(429, body("429.10", 429), ctx).message).toMatch(/PATCH \/products\/\{id\}/);
  });

  it("explains deterministic 500s in words and keeps digests out of messages", () => {
    const digest = "a".repeat(128);
    const e = ccvErrorFromResponse(500, body("500.60", 500, `limit reached for ${digest}`), ctx);
    expect(e.message).toMatch(/product limit/);
    expect(e.message).not.toContain(digest);
  });

  it("falls back to the status when the body has no code, and tolerates non-JSON", () => {
    expect(parseCcvErrorBody('{"status":404}').status).toBe(404);
    expect(ccvErrorFromResponse(404, '{"status":404}', ctx).vendorCode).toBe("404");
    expect(parseCcvErrorBody("<html>")).toEqual({});
    expect(parseCcvErrorBody('{"code":429.1}').code).toBe("429.1");
  });

  it("treats a response that fails verification as non-retryable UNKNOWN, ambiguous for writes", () => {
    const e = ccvSignatureError(200, "POST", "/orders", false);
    expect(e.code).toBe("UNKNOWN");
    expect(e.ambiguous).toBe(true);
    expect(e.message).toMatch(/response signature did not verify/);
    expect(errorDisposition(e)).toBe("fail");
    expect(ccvSignatureError(200, "GET", "/orders", true).ambiguous).toBe(false);
  });
});

describe("CCV rate-limit lanes (§4.4)", () => {
  it.each([
    ["GET", "/api/rest/v1/products/12?expand=a%2Cb", "GET /products/{id}"],
    ["patch", "/api/rest/v1/attributecombinations/90001/", "PATCH /attributecombinations/{id}"],
    ["GET", "/api/rest/v1/products/12/attributecombinations", "GET /products/{id}/attributecombinations"],
    ["GET", "/shop/api/rest/v1/productqueries?skunumber=X", "GET /productqueries"],
    ["GET", "/api/rest/v1/", "GET /"],
  ])("%s %s → %s", (method, uri, lane) => {
    expect(ccvLane(method, uri)).toBe(lane);
  });

  it("limits GET to 150, writes to 100 and productqueries to 30 per minute", () => {
    expect(ccvLaneLimit("GET /products/{id}")).toBe(150);
    expect(ccvLaneLimit("POST /products")).toBe(100);
    expect(ccvLaneLimit("DELETE /webhooks/{id}")).toBe(100);
    expect(ccvLaneLimit("GET /productqueries")).toBe(30);
    expect(ccvLaneLimit("GET /productqueries", { get: 5, write: 4, productqueries: 3 })).toBe(3);
    expect(ccvPathTemplate("/api/rest/v1/orders/500000123/orderrows/")).toBe("/orders/{id}/orderrows");
  });
});
