import type { FlowRuntime } from "../../engine/flow-definition";

/**
 * SKU → ids on both sides, in the shape of the catalogue index (`rt.catalog.bySku`, parallel work:
 * src/sync/catalog/catalog-index.ts). Until that index is merged, the product flows resolve every
 * SKU here, from the vendors' own exact lookups; switching to the index is this one function.
 */
export interface EcwidSkuRef {
  productId: string;
  combinationId?: string;
}
export interface CcvSkuRef {
  productId: string;
  combinationId?: string;
}
/** more than one ref on a side = the SKU is used twice there */
export interface SkuHits {
  ecwid: EcwidSkuRef[];
  ccv: CcvSkuRef[];
}

/**
 * Every product and variation with exactly this SKU, once per run. Ecwid: the `sku` filter, which
 * matches product and variation SKUs (Ecwid §2.2). CCV: the products filter on `productnumber`
 * (the 150/min lane; its match semantics are not documented, so equality is checked here).
 * CCV attribute-combination SKUs are not searched: that needs /productqueries (30/min, CCV §4.4)
 * and a product is matched to a product.
 */
export function skuHits(rt: FlowRuntime, sku: string): Promise<SkuHits> {
  const s = sku.trim();
  return rt.memo(`products:sku:${s}`, async () => {
    const [ecwidProducts, ccvProducts] = await Promise.all([
      rt.clients.ecwid.findProductsBySku(s),
      rt.clients.ccv.listProducts({ productnumber: s }),
    ]);
    const ecwid: EcwidSkuRef[] = [];
    for (const p of ecwidProducts) {
      if (p.sku === s) ecwid.push({ productId: String(p.id) });
      for (const c of p.combinations ?? [])
        if (c.sku === s) ecwid.push({ productId: String(p.id), combinationId: String(c.id) });
    }
    const ccv = ccvProducts.filter((p) => p.productnumber === s).map((p) => ({ productId: String(p.id) }));
    return { ecwid, ccv };
  });
}

/** "Ecwid product 12, Ecwid variation 7 of product 12" — for reasons that name what clashes */
export function describeRefs(
  system: "Ecwid" | "CCV SalesPOS",
  refs: { productId: string; combinationId?: string }[],
) {
  return refs
    .map((r) =>
      r.combinationId
        ? `${system} variant ${r.combinationId} of product ${r.productId}`
        : `${system} product ${r.productId}`,
    )
    .join(", ");
}
