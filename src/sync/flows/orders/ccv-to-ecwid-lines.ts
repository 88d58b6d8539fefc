import { ccvOrderRowToLine, type CcvOrderRow } from "../../../connectors/ccv-salespos";
import type { EcwidOrderItem, EcwidProduct } from "../../../connectors/ecwid";
import { dec, toFixedString, toNumber } from "../../../domain/money";
import { ecwidEntries, freshCatalog } from "../../catalog/catalog-index";
import type { FlowRuntime } from "../../engine/flow-definition";

/**
 * CCV order rows → Ecwid order items with the Ecwid product (and variation) ids resolved by SKU.
 * Ecwid moves stock for an API order only when it is PAID and its items carry valid
 * productId/combinationId (Ecwid §8.6), so every catalogue row must resolve.
 */

/** Where a SKU lives in Ecwid. */
interface EcwidItemRef {
  productId: number;
  combinationId?: number;
}

export interface ResolvedLines {
  items: EcwidOrderItem[];
  /** Σ unit price × quantity (before discounts), rounded to cents: Ecwid's `subtotal` (Ecwid §8.3) */
  subtotal: number;
  /** rows that are catalogue products but could not be matched, in words (SKU or name) */
  unresolved: string[];
  /** the SKUs alone of the rows that could not be matched, each once (what linking a product heals) */
  unresolvedSkus: string[];
}

const positiveInt = (s: string | undefined): number | undefined => {
  const n = Number(s);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};
const text = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v.trim() : null);

/**
 * The gateway's own links first (written by the product flows): PRODUCT by the row's CCV product id
 * (ecwidId = Ecwid product id) and, for a variant, VARIANT by its SKU (ecwidId = Ecwid combination
 * id). A link whose ids are not Ecwid ids is ignored and the SKU is searched instead.
 */
async function fromLinks(
  rt: FlowRuntime,
  row: CcvOrderRow,
  sku: string,
  isVariant: boolean,
): Promise<EcwidItemRef | undefined> {
  if (!row.product_id) return undefined;
  // read once per run, like the index below (an order load repeats the same products)
  const product = await rt.memo(`link:PRODUCT:ccv:${row.product_id}`, () =>
    rt.links.byCcv("PRODUCT", String(row.product_id)),
  );
  const productId = positiveInt(product?.ecwidId);
  if (!productId) return undefined;
  if (!isVariant) return { productId };
  const variant = await rt.memo(`link:VARIANT:sku:${sku}`, () => rt.links.bySku("VARIANT", sku));
  const combinationId = positiveInt(variant?.ecwidId);
  return combinationId ? { productId, combinationId } : undefined;
}

/**
 * The catalogue index (shared by every flow, refreshed once per run): a variant row prefers the
 * variation with that SKU, a plain row the product, as the search below does.
 */
async function fromIndex(
  rt: FlowRuntime,
  sku: string,
  isVariant: boolean,
): Promise<EcwidItemRef | undefined> {
  const { ecwid } = await rt.memo(`catalog:sku:${sku}`, async () => (await freshCatalog(rt)).bySku(sku));
  const refs: EcwidItemRef[] = [];
  for (const r of ecwid) {
    const productId = positiveInt(r.productId);
    const combinationId = r.combinationId === undefined ? undefined : positiveInt(r.combinationId);
    if (productId && (r.combinationId === undefined || combinationId))
      refs.push(combinationId ? { productId, combinationId } : { productId });
  }
  const variation = refs.find((r) => r.combinationId !== undefined);
  const product = refs.find((r) => r.combinationId === undefined);
  return isVariant ? (variation ?? product) : (product ?? variation);
}

/**
 * Ecwid's SKU search (it matches product and variation SKUs, Ecwid §2.2), once per SKU and run. A variant
 * row prefers the variation with that SKU (a variation may repeat its product's SKU, Ecwid §6.4); a plain
 * row prefers the product.
 */
async function fromSearch(
  rt: FlowRuntime,
  sku: string,
  isVariant: boolean,
): Promise<EcwidItemRef | undefined> {
  const products = await rt.memo<EcwidProduct[]>(`ecwid-sku:${sku}`, async () => {
    const found = await rt.clients.ecwid.findProductsBySku(sku);
    // what the search found goes into the catalogue index, so later runs need no search
    for (const p of found) {
      for (const e of ecwidEntries(p)) {
        await rt.catalog.noteEcwid(
          e.combinationId
            ? { productId: e.productId, combinationId: e.combinationId }
            : { productId: e.productId },
          e.sku,
          e.ean,
        );
      }
    }
    return found;
  });
  const asProduct = products.find((p) => p.sku === sku);
  const asVariation = products
    .map((p) => ({ p, c: (p.combinations ?? []).find((c) => c.sku === sku) }))
    .find((x) => x.c !== undefined);
  const variation = asVariation
    ? { productId: asVariation.p.id, combinationId: asVariation.c!.id }
    : undefined;
  const product = asProduct ? { productId: asProduct.id } : undefined;
  return isVariant ? (variation ?? product) : (product ?? variation);
}

/**
 * Rows → items. A row's SKU is the variant's (`sub_sku_number`, else `sub_product_number`) or the
 * product's `product_number`. A row without any SKU and without a product (an open-price or service
 * row typed in at the till) is sent as a free-form item: it has no stock to move. A product row that
 * cannot be matched is reported in `unresolved` (the caller fails the item with MISSING_PRODUCT).
 * Prices are on the order's tax basis (`order_row_taxes_included`, CCV §5.6.4), unit price before
 * discounts including option prices, as Ecwid's item `price` is (Ecwid §8.4).
 */
export async function resolveLines(
  rt: FlowRuntime,
  rows: CcvOrderRow[],
  pricesIncludeTax: boolean,
): Promise<ResolvedLines> {
  const items: EcwidOrderItem[] = [];
  const unresolved: string[] = [];
  const unresolvedSkus = new Set<string>();
  let subtotal = dec(0);
  for (const row of rows) {
    const line = ccvOrderRowToLine(row);
    const isVariant = text(row.sub_sku_number) !== null || text(row.sub_product_number) !== null;
    const sku = text(line.sku);
    let ref: EcwidItemRef | undefined;
    if (sku) {
      ref =
        (await fromLinks(rt, row, sku, isVariant)) ??
        (await fromIndex(rt, sku, isVariant)) ??
        (await fromSearch(rt, sku, isVariant));
      if (!ref) {
        unresolved.push(`SKU ${sku} (${line.name})`);
        unresolvedSkus.add(sku);
      }
    } else if (row.product_id) {
      unresolved.push(`"${line.name}" (CCV product ${row.product_id} has no SKU)`);
    }
    const item: EcwidOrderItem = {
      name: line.name,
      quantity: toNumber(line.quantity),
      price: toNumber(line.unitPrice),
    };
    if (sku) item.sku = sku;
    if (ref) {
      item.productId = ref.productId;
      if (ref.combinationId !== undefined) item.combinationId = ref.combinationId;
    }
    if (line.options.length > 0)
      item.selectedOptions = line.options.map((o) => ({ name: o.name, type: "CHOICE", value: o.value }));
    if (line.taxRate !== null)
      item.taxes = [{ name: "VAT", value: toNumber(line.taxRate), includeInPrice: pricesIncludeTax }];
    items.push(item);
    subtotal = subtotal.plus(dec(line.unitPrice).times(dec(line.quantity)));
  }
  return {
    items,
    subtotal: toNumber(toFixedString(subtotal)),
    unresolved,
    unresolvedSkus: [...unresolvedSkus],
  };
}
