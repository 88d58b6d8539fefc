import type { EcwidOrder } from "../../../../connectors/ecwid";
import { mapEcwidOrder } from "../../../../connectors/ecwid";
import { dec, sum } from "../../../../domain/money";
import {
  ccvOrderMoney,
  ecwidMoneyInput,
  type MoneyInput,
  type MoneyLine,
  type OrderMoney,
} from "../ecwid-to-ccv-money";

const line = (l: Partial<MoneyLine> & Pick<MoneyLine, "quantity" | "unitPrice">): MoneyLine => ({
  discount: "0",
  taxRate: "21",
  tax: null,
  attributeExtra: "0",
  ...l,
});

const input = (i: Partial<MoneyInput> & Pick<MoneyInput, "lines" | "total">): MoneyInput => ({
  pricesIncludeTax: true,
  rowsIncludeTax: true,
  shipping: "0",
  charges: [],
  unassignedDiscount: "0",
  discountLabel: null,
  ...i,
});

/** what a CCV shop with gross rows computes: Σ row totals + shipping + extra costs */
const ccvGrossTotal = (m: OrderMoney) => sum([...m.rows.map((r) => r.total), m.shipping, m.extraCosts]);

describe("ccvOrderMoney", () => {
  it("gross to gross: prices as they are, line discounts per unit, nothing left for extra costs", () => {
    const m = ccvOrderMoney(
      input({
        lines: [
          line({ quantity: "3", unitPrice: "19.99", discount: "6.00" }),
          line({ quantity: "1", unitPrice: "4.95", taxRate: "9" }),
          line({ quantity: "3", unitPrice: "10", discount: "1.00" }),
        ],
        shipping: "6.95",
        total: sum(["59.97", "-6", "4.95", "30", "-1", "6.95"]),
      }),
    );
    expect(m.rows.map((r) => [r.price, r.discount, r.tax, r.count, r.total])).toEqual([
      ["19.99", "2", "21", "3", "53.97"],
      ["4.95", "0", "9", "1", "4.95"],
      // 1.00 over 3 units: 4 decimals per unit keep the line total exact
      ["10", "0.3333", "21", "3", "29"],
    ]);
    expect(m.extraCosts).toBe("0");
    expect(m.extraCostsDescription).toBeNull();
    expect(ccvGrossTotal(m)).toBe("94.87");
  });

  it("net Ecwid order to gross rows: each line is what the customer paid for it, with Ecwid's own VAT", () => {
    // 3 × 9.99 net, 21 %: Ecwid charges round(29.97 × 0.21) = 6.29; a per-unit gross price would give 36.27
    const m = ccvOrderMoney(
      input({
        pricesIncludeTax: false,
        lines: [
          line({ quantity: "3", unitPrice: "9.99", tax: "6.29" }),
          line({ quantity: "2", unitPrice: "12.50", discount: "2.50", taxRate: "9", tax: "2.03" }),
        ],
        total: sum(["29.97", "6.29", "25", "-2.5", "2.03"]),
      }),
    );
    expect(m.rows[0]).toMatchObject({ price: "12.0867", discount: "0", total: "36.26" });
    // the discount is converted to gross as well: 2.50 net at 9 % = 2.725 gross over 2 units
    expect(m.rows[1]).toMatchObject({ discount: "1.3625", tax: "9", total: "24.53" });
    expect(m.extraCosts).toBe("0");
    expect(ccvGrossTotal(m)).toBe("60.79");
  });

  it("gross Ecwid order to net rows takes the VAT out with Ecwid's figures", () => {
    const m = ccvOrderMoney(
      input({
        rowsIncludeTax: false,
        lines: [line({ quantity: "2", unitPrice: "12.10", tax: "4.20" })],
        total: "24.20",
      }),
    );
    expect(m.rows[0]).toMatchObject({ price: "10", discount: "0", total: "20" });
    expect(m.rowsIncludeTax).toBe(false);
    expect(m.extraCosts).toBe("0");
  });

  it("takes the attribute combination's extra price off the unit price (CCV adds it back)", () => {
    const m = ccvOrderMoney(
      input({ lines: [line({ quantity: "2", unitPrice: "25", attributeExtra: "5" })], total: "50" }),
    );
    expect(m.rows[0]).toMatchObject({ price: "20", total: "50" });
    expect(m.extraCosts).toBe("0");
  });

  it("puts charges, discounts Ecwid did not assign to items and rounding into described extra costs", () => {
    const m = ccvOrderMoney(
      input({
        lines: [line({ quantity: "1", unitPrice: "40" })],
        shipping: "5",
        charges: [
          { label: "Handling fee", amount: "1.50" },
          { label: "Gift wrap", amount: "0" },
        ],
        unassignedDiscount: "5",
        discountLabel: "coupon FREESHIP",
        total: "41.50",
      }),
    );
    expect(m.extraCosts).toBe("-3.5");
    expect(m.extraCostsDescription).toBe("Handling fee 1.50; Discount not on items (coupon FREESHIP) -5.00");
    expect(ccvGrossTotal(m)).toBe("41.5");

    const rounding = ccvOrderMoney(
      input({ lines: [line({ quantity: "1", unitPrice: "10" })], total: "10.01" }),
    );
    expect(rounding.extraCosts).toBe("0.01");
    expect(rounding.extraCostsDescription).toBe("Difference to the Ecwid total (rounding) 0.01");
  });
});

describe("ecwidMoneyInput", () => {
  const order: EcwidOrder = {
    id: "NET01",
    pricesIncludeTax: false,
    // 45.98 (A: 40 − 2 + 7.98 VAT) + 9.27 (B: 10 − 1.50 + 0.77 VAT) + 6.05 shipping + 1 handling + 0.50 fee
    total: 62.8,
    discount: 0.5,
    couponDiscount: 3,
    discountCoupon: { code: "SAVE3" },
    items: [
      {
        quantity: 2,
        price: 20,
        sku: "A",
        couponAmount: 2,
        taxes: [{ name: "BTW", value: 21, total: 9.03, taxOnDiscountedSubtotal: 7.98, taxOnShipping: 1.05 }],
      },
      {
        quantity: 1,
        price: 10,
        sku: "B",
        couponAmount: 1,
        discounts: [{ total: 0.5 }],
        taxes: [{ value: 9, total: 0.77 }],
      },
    ],
    shippingOption: { shippingRate: 5 },
    taxesOnShipping: [{ name: "BTW", value: 21, total: 1.05 }],
    handlingFee: { name: "Handling", value: 1 },
    customSurcharges: [{ description: "Card fee", total: 0.5 }],
  };

  it("reads quantities, discounts (promotions + coupon share), Ecwid's line VAT, gross shipping and charges", () => {
    const i = ecwidMoneyInput(order, mapEcwidOrder(order), ["0", "0"], true);
    expect(i.lines).toEqual([
      { quantity: "2", unitPrice: "20", discount: "2", taxRate: "21", tax: "7.98", attributeExtra: "0" },
      { quantity: "1", unitPrice: "10", discount: "1.5", taxRate: "9", tax: "0.77", attributeExtra: "0" },
    ]);
    expect(i.shipping).toBe("6.05");
    expect(i.charges).toEqual([
      { label: "Handling", amount: "1" },
      { label: "Card fee", amount: "0.5" },
    ]);
    // the 3.00 coupon and the 0.50 promotion are all on items
    expect(i.unassignedDiscount).toBe("0");
    expect(i.discountLabel).toBe("coupon SAVE3");
    const m = ccvOrderMoney(i);
    expect(m.rows.map((r) => r.total)).toEqual(["45.98", "9.27"]);
    expect(m.extraCosts).toBe("1.5");
    expect(m.extraCostsDescription).toBe("Handling 1.00; Card fee 0.50");
    expect(dec(sum([...m.rows.map((r) => r.total), m.shipping, m.extraCosts])).toFixed(2)).toBe("62.80");
  });

  it("leaves out lines whose product is missing", () => {
    const i = ecwidMoneyInput(order, mapEcwidOrder(order), ["0", null], true);
    expect(i.lines.map((l) => l.unitPrice)).toEqual(["20"]);
  });
});
