import { errorDisposition } from "../../http";
import {
  classifyEcwidResponse,
  isEcwidDuplicateCustomer,
  isEcwidMissingScope,
  isEcwidSkuConflict,
} from "../ecwid.errors";
import { requiredEcwidScopes } from "../ecwid.scopes";

const TOKEN = "secret_abcdefabcdefabcdefabcdefabcdef12";
const ctx = (method: string, storePath: string) => ({
  storeId: 1003,
  method,
  storePath,
  scrub: (t: string) => t.split(TOKEN).join("[token]"),
  now: Date.parse("2026-01-01T00:00:00Z"),
});
const res = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers,
  text: typeof body === "string" ? body : JSON.stringify(body),
});

describe("classifyEcwidResponse (reference §3)", () => {
  it("treats 2xx as success", () => {
    expect(classifyEcwidResponse(res(200, { id: 1 }), ctx("POST", "/products"))).toBeNull();
  });

  it("429 → RATE_LIMITED with Retry-After in seconds, as an HTTP date, or 10 s when missing", () => {
    const a = classifyEcwidResponse(
      res(429, { errorMessage: "Too many requests", errorCode: "RATE_LIMITED" }, { "retry-after": "12" }),
      ctx("GET", "/orders"),
    );
    expect(a).toMatchObject({
      code: "RATE_LIMITED",
      retryAfterMs: 12_000,
      status: 429,
      vendorCode: "RATE_LIMITED",
    });
    const b = classifyEcwidResponse(
      res(429, "", { "retry-after": "Thu, 01 Jan 2026 00:00:30 GMT" }),
      ctx("GET", "/orders"),
    );
    expect(b?.retryAfterMs).toBe(30_000);
    expect(classifyEcwidResponse(res(429, ""), ctx("GET", "/orders"))?.retryAfterMs).toBe(10_000);
    expect(errorDisposition(a!)).toBe("retry");
  });

  it("5xx, 408 and 449 → TEMPORARY", () => {
    for (const s of [500, 502, 503, 408, 449])
      expect(classifyEcwidResponse(res(s, ""), ctx("GET", "/products"))?.code).toBe("TEMPORARY");
  });

  it("403 INVALID_API_TOKEN condemns the token; INSUFFICIENT_APP_SCOPE names the scope and does not", () => {
    const bad = classifyEcwidResponse(
      res(403, { errorMessage: "Invalid token", errorCode: "INVALID_API_TOKEN" }),
      ctx("GET", "/orders"),
    );
    expect(bad).toMatchObject({ code: "AUTH", credentialRejected: true });
    expect(errorDisposition(bad!)).toBe("alert");
    const scope = classifyEcwidResponse(
      res(403, { errorMessage: "no", errorCode: "INSUFFICIENT_APP_SCOPE" }),
      ctx("GET", "/orders"),
    );
    expect(scope).toMatchObject({ code: "AUTH", credentialRejected: false });
    expect(scope?.message).toContain("Ecwid refused the token: it lacks the read_orders scope");
    expect(isEcwidMissingScope(scope)).toBe(true);
    expect(isEcwidMissingScope(bad)).toBe(false);
    const combo = classifyEcwidResponse(
      res(403, { errorCode: "INSUFFICIENT_APP_SCOPE" }),
      ctx("PUT", "/products/1/combinations/2"),
    );
    expect(combo?.message).toContain("read_catalog and update_catalog");
  });

  it("404 → NOT_FOUND with Ecwid's text; 409/400/415/422 → VALIDATION keeping status and code; 402 explains the plan", () => {
    const nf = classifyEcwidResponse(
      res(404, { errorMessage: "Product #999 not found", errorCode: "PRODUCT_NOT_FOUND" }),
      ctx("GET", "/products/999"),
    );
    expect(nf).toMatchObject({ code: "NOT_FOUND", message: "Ecwid: Product #999 not found." });
    const sku = classifyEcwidResponse(
      res(409, { errorMessage: "Product with SKU 'X' already exists", errorCode: "SKU_ALREADY_EXISTS" }),
      ctx("POST", "/products"),
    );
    expect(sku).toMatchObject({ code: "VALIDATION", status: 409, vendorCode: "SKU_ALREADY_EXISTS" });
    expect(isEcwidSkuConflict(sku)).toBe(true);
    const dup = classifyEcwidResponse(res(409, { errorMessage: "exists" }), ctx("POST", "/customers"));
    expect(dup?.message).toContain("a customer with this e-mail address already exists");
    expect(isEcwidDuplicateCustomer(dup)).toBe(true);
    for (const s of [400, 415, 422])
      expect(classifyEcwidResponse(res(s, ""), ctx("POST", "/orders"))).toMatchObject({
        code: "VALIDATION",
        status: s,
      });
    const plan = classifyEcwidResponse(
      res(402, { errorCode: "NOT_AVAILABLE_ON_CURRENT_PLAN" }),
      ctx("POST", "/products/1/combinations"),
    );
    expect(plan).toMatchObject({ code: "VALIDATION", status: 402 });
    expect(plan?.message).toContain("plan");
    expect(errorDisposition(plan!)).toBe("fail");
  });

  it("never puts the token into a message, even when the vendor echoes it", () => {
    const e = classifyEcwidResponse(
      res(400, { errorMessage: `Bad request with token ${TOKEN}` }),
      ctx("GET", "/products"),
    );
    expect(e?.message).not.toContain(TOKEN);
    expect(e?.message).toContain("[token]");
  });

  it("reads bodies that are empty, not JSON, or in the pre-2019 snake_case", () => {
    expect(classifyEcwidResponse(res(400, ""), ctx("GET", "/x"))?.message).toBe(
      "Ecwid refused the data (HTTP 400).",
    );
    // a body that is not Ecwid's error JSON is never echoed (it may be anything a host serves)
    expect(classifyEcwidResponse(res(400, "<html>oops</html>"), ctx("GET", "/x"))?.message).toBe(
      "Ecwid refused the data (HTTP 400).",
    );
    expect(
      classifyEcwidResponse(res(400, { error_message: "old style" }), ctx("POST", "/batch"))?.message,
    ).toContain("old style");
  });
});

describe("requiredEcwidScopes (§1.3)", () => {
  it("follows the per-endpoint table", () => {
    expect(requiredEcwidScopes("GET", "/profile")).toEqual(["read_store_profile"]);
    expect(requiredEcwidScopes("GET", "/orders/deleted")).toEqual(["read_store_profile"]);
    expect(requiredEcwidScopes("GET", "/products/1/combinations")).toEqual(["read_catalog"]);
    expect(requiredEcwidScopes("POST", "/products")).toEqual(["create_catalog"]);
    expect(requiredEcwidScopes("POST", "/products/1/combinations")).toEqual(["create_catalog"]);
    expect(requiredEcwidScopes("PUT", "/products/1/inventory")).toEqual(["update_catalog"]);
    expect(requiredEcwidScopes("PUT", "/products/1/combinations/2/inventory")).toEqual([
      "read_catalog",
      "update_catalog",
    ]);
    expect(requiredEcwidScopes("DELETE", "/products")).toEqual(["update_catalog_batch_delete"]);
    expect(requiredEcwidScopes("POST", "/orders")).toEqual(["create_orders"]);
    expect(requiredEcwidScopes("PUT", "/orders/XJ12H")).toEqual(["update_orders"]);
    expect(requiredEcwidScopes("PUT", "/customers/1")).toEqual(["read_customers", "update_customers"]);
    expect(requiredEcwidScopes("POST", "/batch")).toEqual([]);
  });
});
