import type { CcvProduct } from "../../../../connectors/ccv-salespos";
import { testRuntime } from "../../../engine/test-runtime";
import { productsCcvToEcwid } from "../../products-ccv-to-ecwid.flow";
import { ccvFingerprint, linkMovedSince, productPairKey } from "../fingerprints";

const product = (over: Partial<CcvProduct> = {}): CcvProduct => ({
  href: "https://shop.example/api/rest/v1/products/7/",
  id: 7,
  is_active: true,
  productnumber: "SKU-7",
  eannumber: "",
  name: "Chair",
  price: 10,
  discount: 0,
  taxtariff: "normal",
  ...over,
});
const inCategories = (...ids: number[]) => ({
  producttocategories: {
    href: "x",
    collection: ids.map((category_id, i) => ({
      href: "x",
      id: 100 + i,
      product_id: 7,
      category_id,
      product_href: "x",
      category_href: "x",
    })),
  },
});
const withValues = (...values: [number, string | number | boolean][]) => ({
  producttopropertygroups: {
    href: "x",
    collection: [
      {
        href: "x",
        id: 1,
        product_id: 7,
        product_property_group_id: 5,
        values: {
          href: "x",
          collection: values.map(([product_property_id, value], i) => ({
            href: "x",
            id: 200 + i,
            product_id: 7,
            product_property_id,
            value,
          })),
        },
      },
    ],
  },
});

describe("the CCV product fingerprint", () => {
  const linked = testRuntime(productsCcvToEcwid, {
    links: [{ entity: "CATEGORY", ecwidId: "9001", ccvId: "31", createdBy: "CCV_SALESPOS" }],
  }).rt;
  const unlinked = testRuntime(productsCcvToEcwid).rt;

  it("covers the category links, in any order, and the Ecwid category each is linked to", async () => {
    const base = await ccvFingerprint(linked, product(inCategories(31, 32)));
    expect(await ccvFingerprint(linked, product(inCategories(32, 31)))).toBe(base);
    expect(await ccvFingerprint(linked, product(inCategories(31)))).not.toBe(base);
    expect(await ccvFingerprint(linked, product(inCategories(31, 33)))).not.toBe(base);
    // the same CCV categories, one of them not linked (yet): another fingerprint
    expect(await ccvFingerprint(unlinked, product(inCategories(31, 32)))).not.toBe(base);
  });

  it("covers the property values", async () => {
    const base = await ccvFingerprint(unlinked, product(withValues([1, "Italy"], [2, 14])));
    expect(await ccvFingerprint(unlinked, product(withValues([2, 14], [1, "Italy"])))).toBe(base);
    expect(await ccvFingerprint(unlinked, product(withValues([1, "Spain"], [2, 14])))).not.toBe(base);
    expect(await ccvFingerprint(unlinked, product(withValues([1, "Italy"])))).not.toBe(base);
  });

  it("is unchanged for a product in no category and without values (links of older versions stay valid)", async () => {
    const plain = await ccvFingerprint(unlinked, product());
    expect(await ccvFingerprint(unlinked, product({ ...inCategories(), ...withValues() }))).toBe(plain);
    // what the version before categories and properties were covered gave (computed with it)
    expect(plain).toBe("8b2903f1e9a38560287b653518ae63c0fab9b7dd021cd683b051ad145556dc2b");
  });
});

describe("product pairs of the two directions", () => {
  it("share a lease key: the CCV id once linked, else the SKU; none without either", () => {
    expect(productPairKey("7", "SKU-7")).toBe("PRODUCT:ccv:7");
    expect(productPairKey(null, " SKU-7 ")).toBe("PRODUCT:sku:SKU-7");
    expect(productPairKey(null, "  ")).toBeNull();
    expect(productPairKey(null, null)).toBeNull();
  });

  it("a record read before its link was last written is stale (with slack); one read after is not", () => {
    const at = Date.parse("2026-01-01T12:00:00Z");
    const link = { updatedAt: new Date(at) };
    expect(linkMovedSince(link, { id: "7", payload: {}, readAt: at - 10_000 })).toBe(true);
    expect(linkMovedSince(link, { id: "7", payload: {}, readAt: at + 1_000 })).toBe(true);
    expect(linkMovedSince(link, { id: "7", payload: {}, readAt: at + 60_000 })).toBe(false);
    // a record without a read time (not read by a product flow) is taken as it is
    expect(linkMovedSince(link, { id: "7", payload: {} })).toBe(false);
  });
});
