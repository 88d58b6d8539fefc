import { freshCatalog } from "../../catalog/catalog-index";
import type { FlowRuntime } from "../../engine/flow-definition";

/**
 * SKU → ids on both sides for the product flows: the catalogue index first (`rt.catalog`, shared
 * by every flow and worker, ARCHITECTURE §6), a vendor lookup where the index cannot be trusted to
 * decide alone, and the lookup's answer noted back into the index.
 *
 * - the side a product is looked for on (CCV for PRODUCTS_ECWID_TO_CCV, Ecwid for the reverse):
 *   one hit in the index is used (the caller reads it and falls back when it is gone or changed);
 *   no hit, or several, is asked of the vendor — creating a duplicate, or skipping a product for a
 *   duplicate that no longer exists, is worse than one request;
 * - the source side (is the SKU used twice there?): the index alone.
 */
export interface SkuRef {
  productId: string;
  combinationId?: string;
}
/** more than one ref on a side = the SKU is used twice there */
export interface SkuHits {
  ecwid: SkuRef[];
  ccv: SkuRef[];
}

const clean = (s: string) => s.trim();

/** what the index holds for a SKU, once per run */
export function indexedSku(rt: FlowRuntime, sku: string): Promise<SkuHits> {
  return rt.memo(`products:index:${clean(sku)}`, async () => (await freshCatalog(rt)).bySku(clean(sku)));
}

/**
 * CCV products (not attribute combinations) with exactly this article number, from the products
 * filter (the 150/min lane; its match semantics are not documented, so equality is checked here),
 * noted into the index.
 */
export async function ccvProductsFromVendor(rt: FlowRuntime, sku: string): Promise<SkuRef[]> {
  const s = clean(sku);
  const found = (await rt.clients.ccv.listProducts({ productnumber: s })).filter(
    (p) => p.productnumber === s,
  );
  if (!rt.dryRun)
    for (const p of found) await rt.catalog.noteCcv({ productId: String(p.id) }, s, p.eannumber);
  return found.map((p) => ({ productId: String(p.id) }));
}

/** CCV products with this SKU: the index's one hit, else the vendor's answer */
export async function ccvProductsWithSku(rt: FlowRuntime, sku: string): Promise<SkuRef[]> {
  const hits = (await indexedSku(rt, sku)).ccv.filter((r) => !r.combinationId);
  return hits.length === 1 ? hits : ccvProductsFromVendor(rt, sku);
}

/**
 * Ecwid products and variations with this SKU: the index's hits, else (none) Ecwid's `sku` search
 * (product and variation SKUs, Ecwid §2.2), noted into the index.
 */
export async function ecwidRefsWithSku(rt: FlowRuntime, sku: string, fromVendor = false): Promise<SkuRef[]> {
  const s = clean(sku);
  const hits = fromVendor ? [] : (await indexedSku(rt, s)).ecwid;
  if (hits.length) return hits;
  const out: SkuRef[] = [];
  for (const p of await rt.clients.ecwid.findProductsBySku(s)) {
    if (p.sku === s) out.push({ productId: String(p.id) });
    for (const c of p.combinations ?? [])
      if (c.sku === s) out.push({ productId: String(p.id), combinationId: String(c.id) });
  }
  if (!rt.dryRun) for (const r of out) await rt.catalog.noteEcwid(r, s);
  return out;
}

/** "Ecwid product 12, Ecwid variant 7 of product 12" — for reasons that name what clashes */
export function describeRefs(system: "Ecwid" | "CCV SalesPOS", refs: SkuRef[]) {
  return refs
    .map((r) =>
      r.combinationId
        ? `${system} variant ${r.combinationId} of product ${r.productId}`
        : `${system} product ${r.productId}`,
    )
    .join(", ");
}
