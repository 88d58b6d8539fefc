import type { CcvAttributeCombination, CcvProduct } from "../../../connectors/ccv-salespos";
import type { EcwidProduct } from "../../../connectors/ecwid";
import { ccvEntries, ecwidEntries } from "../catalog-index";
import { MemoryCatalogIndex } from "../memory-catalog-index";

/** What the index stores per product and variant (the database store is proven in test/e2e/catalog-index.test.ts). */
describe("catalogue index entries", () => {
  it("an Ecwid product gives a row for itself and each variation, SKUs trimmed, barcodes as EAN", () => {
    const p = {
      id: 7,
      sku: " SHIRT ",
      updateTimestamp: 1_700_000_000,
      attributes: [{ id: 1, name: "UPC", type: "UPC", value: "8712345678906" }],
      combinations: [
        {
          id: 71,
          sku: "SHIRT-M",
          options: [],
          attributes: [{ id: 1, name: "UPC", type: "UPC", value: "8712345678913" }],
        },
        { id: 72, options: [] },
      ],
    } as unknown as EcwidProduct;
    expect(ecwidEntries(p)).toEqual([
      { productId: "7", combinationId: "", sku: "SHIRT", ean: "8712345678906", modified: "1700000000" },
      { productId: "7", combinationId: "71", sku: "SHIRT-M", ean: "8712345678913", modified: "1700000000" },
      // a variation without a SKU of its own inherits the product's: it is found as the product
      { productId: "7", combinationId: "72", sku: null, ean: null, modified: "1700000000" },
    ]);
  });

  it("a CCV product gives a row for itself and each combination: its sku_number, else its product_number", () => {
    const p = {
      id: 5,
      productnumber: "MUG",
      eannumber: "",
      modifydate: "2026-12-05T10:00:00Z",
    } as CcvProduct;
    const combos = [
      { id: 51, product_id: 5, sku_number: "MUG-RED", product_number: "X", ean_number: "8700000000001" },
      { id: 52, product_id: 5, sku_number: "", product_number: "MUG-BLUE", ean_number: null },
      { id: 53, product_id: 5, sku_number: null, product_number: null, ean_number: null },
    ] as CcvAttributeCombination[];
    expect(ccvEntries(p, combos).map((e) => [e.combinationId, e.sku, e.ean])).toEqual([
      ["", "MUG", null],
      ["51", "MUG-RED", "8700000000001"],
      ["52", "MUG-BLUE", null],
      ["53", null, null],
    ]);
  });
});

describe("MemoryCatalogIndex (flow step unit tests)", () => {
  it("answers by SKU and EAN from what was noted, per side, keeping an EAN a note does not know", async () => {
    const idx = new MemoryCatalogIndex();
    await idx.noteCcv({ productId: "5", combinationId: "51" }, "MUG-RED", "8700000000001");
    await idx.noteEcwid({ productId: "7" }, "MUG-RED");
    await idx.noteCcv({ productId: "6" }, "MUG-RED");
    expect(await idx.bySku(" MUG-RED ")).toEqual({
      ecwid: [{ productId: "7" }],
      ccv: [{ productId: "5", combinationId: "51" }, { productId: "6" }],
    });
    await idx.noteCcv({ productId: "5", combinationId: "51" }, "MUG-ROOD");
    expect((await idx.byEan("8700000000001")).ccv).toEqual([{ productId: "5", combinationId: "51" }]);
    expect((await idx.bySku("MUG-RED")).ccv).toEqual([{ productId: "6" }]);
    await idx.refresh();
    expect(await idx.bySku("NONE")).toEqual({ ecwid: [], ccv: [] });
  });
});
