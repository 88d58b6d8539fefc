import { ALL_FLOWS } from "../../flows";
import { isLinkKind, LINK_KINDS } from "../link-kinds";

describe("link kinds", () => {
  it("every kind is written by a flow the gateway ships", () => {
    const shipped = new Set(ALL_FLOWS.map((f) => f.kind));
    for (const [kind, def] of Object.entries(LINK_KINDS)) {
      expect({ kind, writers: def.writtenBy.filter((f) => shipped.has(f)) }).toEqual({
        kind,
        writers: expect.arrayContaining([expect.any(String)]),
      });
    }
  });

  it("stock is not a link kind: stock figures belong to the PRODUCT and VARIANT links", () => {
    expect(isLinkKind("STOCK")).toBe(false);
    expect(isLinkKind("__proto__")).toBe(false);
    expect(["PRODUCT", "VARIANT", "CATEGORY", "CUSTOMER", "ORDER"].every(isLinkKind)).toBe(true);
  });
});
