import type { EcwidOrder } from "../../../../connectors/ecwid";
import { ValueMaps } from "../../../../mapping/value-maps";
import { ItemFailure, type FlowRuntime } from "../../../engine/flow-definition";
import { ccvStatusFor, ecwidStatusHash } from "../ecwid-to-ccv-status";

const rt = (entries: { from: string; to: string }[]) =>
  ({ valueMaps: new ValueMaps(entries.map((e) => ({ kind: "ORDER_STATUS", ...e }))) }) as FlowRuntime;
const order = (paymentStatus: string, fulfillmentStatus: string) =>
  ({ paymentStatus, fulfillmentStatus }) as EcwidOrder;

describe("the CCV status of an Ecwid order (ORDER_STATUS, Ecwid → CCV)", () => {
  const map = rt([
    { from: "CANCELLED", to: "8" },
    { from: "PAID", to: "1" },
    { from: "SHIPPED", to: "Sent" },
    { from: "7", to: "DELIVERED" },
  ]);

  it("a cancelling payment status outranks the fulfilment; otherwise the fulfilment outranks the payment", () => {
    expect(ccvStatusFor(map, order("CANCELLED", "SHIPPED"))).toBe(8);
    expect(ccvStatusFor(map, order("PAID", "SHIPPED"))).toBe(5);
    expect(ccvStatusFor(map, order("PAID", "PROCESSING"))).toBe(1);
  });

  it("without an entry nor a * default giving a CCV code there is none; other-direction entries are not used", () => {
    expect(ccvStatusFor(map, order("AWAITING_PAYMENT", "AWAITING_PROCESSING"))).toBeUndefined();
    expect(ccvStatusFor(rt([{ from: "*", to: "DELIVERED" }]), order("REFUNDED", "RETURNED"))).toBeUndefined();
    expect(ccvStatusFor(rt([{ from: "*", to: "13" }]), order("REFUNDED", "RETURNED"))).toBe(13);
  });

  it("a target that is no CCV status fails the item with VALUE_MAPPING", () => {
    const bad = rt([{ from: "RETURNED", to: "Back in stock" }]);
    expect(() => ccvStatusFor(bad, order("PAID", "RETURNED"))).toThrow(ItemFailure);
    expect(() => ccvStatusFor(bad, order("PAID", "RETURNED"))).toThrow(/not a CCV SalesPOS order status/);
    expect(() => ccvStatusFor(rt([{ from: "RETURNED", to: "99" }]), order("PAID", "RETURNED"))).toThrow(
      ItemFailure,
    );
  });

  it("the link hash changes with either status only", () => {
    expect(ecwidStatusHash(order("PAID", "SHIPPED"))).toBe(ecwidStatusHash(order("PAID", "SHIPPED")));
    expect(ecwidStatusHash(order("PAID", "SHIPPED"))).not.toBe(ecwidStatusHash(order("PAID", "DELIVERED")));
    expect(ecwidStatusHash(order("PAID", "SHIPPED"))).not.toBe(ecwidStatusHash(order("REFUNDED", "SHIPPED")));
  });
});
