import { computeFigure, forSide } from "../stock-flow";
import { reservedBySku } from "../stock-reservations";
import { CCV_STOCK, ECWID_STOCK, stockProduct } from "../stock-sides";
import { orderProductIds } from "../stock-triggers";

describe("stock calculation", () => {
  it("AVAILABLE_MINUS_RESERVED subtracts what is reserved and never goes below zero; AVAILABLE takes the master's figure as it is", () => {
    expect(computeFigure("10", "2", "AVAILABLE_MINUS_RESERVED")).toBe("8");
    expect(computeFigure("1", "3", "AVAILABLE_MINUS_RESERVED")).toBe("0");
    expect(computeFigure("10", "2", "AVAILABLE")).toBe("10");
    expect(computeFigure("-2", "0", "AVAILABLE")).toBe("-2");
    // decimals without float noise
    expect(computeFigure("10.3", "0.1", "AVAILABLE_MINUS_RESERVED")).toBe("10.2");
  });

  it("CCV keeps decimals; Ecwid gets whole numbers, rounded down", () => {
    expect(forSide(CCV_STOCK, "9.5")).toBe("9.5");
    expect(forSide(ECWID_STOCK, "9.5")).toBe("9");
    expect(forSide(ECWID_STOCK, "9")).toBe("9");
  });

  it("reservations add up per SKU and keep the orders they come from", () => {
    const t1 = new Date("2026-12-01T10:00:00Z");
    const t2 = new Date("2026-12-05T10:00:00Z");
    const r = reservedBySku([
      {
        system: "CCV_SALESPOS",
        orderId: "1",
        state: "FAILED",
        since: t1,
        lines: [
          { sku: "A", quantity: "1" },
          { sku: "A", quantity: "0.5" },
          { sku: "B", quantity: "2" },
        ],
      },
      {
        system: "CCV_SALESPOS",
        orderId: "2",
        state: "QUEUED",
        since: t2,
        lines: [{ sku: "A", quantity: "1" }],
      },
    ]);
    expect(r.get("A")).toEqual({
      quantity: "2.5",
      orders: [
        { system: "CCV_SALESPOS", orderId: "1", state: "FAILED", since: t1, quantity: "1.5" },
        { system: "CCV_SALESPOS", orderId: "2", state: "QUEUED", since: t2, quantity: "1" },
      ],
    });
    expect(r.get("B")!.quantity).toBe("2");
  });

  it("a product's stock lines: the product itself and each variant with its own SKU (one without shares the product's)", () => {
    const p = stockProduct({
      system: "ECWID",
      id: "7",
      sku: "BASE",
      quantity: "3",
      unlimited: false,
      variants: [
        { id: "71", sku: "BASE-M", quantity: "1", unlimited: false },
        { id: "72", sku: null, quantity: "3", unlimited: false },
        { id: "73", sku: "BASE-L", quantity: null, unlimited: true },
      ],
    } as never);
    expect(p.lines).toEqual([
      { sku: "BASE", productId: "7", quantity: "3", tracked: true },
      { sku: "BASE-M", productId: "7", combinationId: "71", quantity: "1", tracked: true },
      { sku: "BASE-L", productId: "7", combinationId: "73", quantity: null, tracked: false },
    ]);
  });

  it("finds the products an order names on either side", () => {
    const ecwidOrder = { items: [{ productId: 700300 }, { productId: 700300 }, { sku: "free-form" }] };
    const ccvSent = { orderrows: [{ product_id: 100001, count: 1 }] };
    const ccvRead = { orderrows: { collection: [{ product_id: 100002 }] } };
    expect(orderProductIds([ecwidOrder, ccvSent], "ECWID")).toEqual(["700300"]);
    expect(orderProductIds([ecwidOrder, ccvSent, ccvRead, null], "CCV_SALESPOS")).toEqual([
      "100001",
      "100002",
    ]);
  });
});
