import { freshCatalog } from "../../catalog/catalog-index";
import type { FlowRuntime } from "../../engine/flow-definition";
import type { SystemName } from "../../engine/flow-settings";
import type { StockProduct } from "./stock-sides";

/** Where a SKU lives on one side (the shape of the catalogue index's refs). */
export interface StockRef {
  productId: string;
  combinationId?: string;
}

/** A whole side read in one pass (a scheduled reconcile): SKU → refs, without a vendor search per SKU. */
const snapshots = new WeakMap<FlowRuntime, Map<SystemName, Map<string, StockRef[]>>>();

export function indexSnapshot(rt: FlowRuntime, system: SystemName, products: StockProduct[]): void {
  const bySku = new Map<string, StockRef[]>();
  const add = (sku: string, ref: StockRef) => {
    if (sku) bySku.set(sku, [...(bySku.get(sku) ?? []), ref]);
  };
  for (const p of products)
    for (const l of p.lines)
      add(l.sku, l.combinationId ? { productId: p.id, combinationId: l.combinationId } : { productId: p.id });
  const per = snapshots.get(rt) ?? new Map<SystemName, Map<string, StockRef[]>>();
  per.set(system, bySku);
  snapshots.set(rt, per);
}

/**
 * SKU → ids on one side: THE one place the stock flows resolve a SKU (links are consulted by the
 * caller first). The run's snapshot of the side when a reconcile read it whole; else the catalogue
 * index (`rt.catalog`, refreshed once per run); only on an index miss the vendors' own lookups
 * (Ecwid's exact SKU filter; CCV's products filter, then productqueries), once per run, with what
 * they find noted in the index. More than one ref means the SKU is used twice on that side.
 */
export async function resolveBySku(rt: FlowRuntime, system: SystemName, sku: string): Promise<StockRef[]> {
  const v = sku.trim();
  if (v === "") return [];
  const snapshot = snapshots.get(rt)?.get(system);
  if (snapshot) return snapshot.get(v) ?? [];
  const hits = await (await freshCatalog(rt)).bySku(v);
  const indexed = system === "ECWID" ? hits.ecwid : hits.ccv;
  if (indexed.length > 0) return indexed.map((r) => ({ ...r }));
  return rt.memo(`stock:sku:${system}:${v}`, async () => {
    const out: StockRef[] = [];
    if (system === "ECWID") {
      for (const p of await rt.clients.ecwid.findProductsBySku(v)) {
        if (p.sku === v) out.push({ productId: String(p.id) });
        for (const c of p.combinations ?? [])
          if (c.sku === v) out.push({ productId: String(p.id), combinationId: String(c.id) });
      }
      for (const r of out) await rt.catalog.noteEcwid(r, v);
      return out;
    }
    const hit = await rt.clients.ccv.findBySku(v);
    if (!hit) return out;
    out.push(
      hit.combination
        ? { productId: String(hit.productId), combinationId: String(hit.combination.id) }
        : { productId: String(hit.productId) },
    );
    for (const r of out) await rt.catalog.noteCcv(r, v);
    return out;
  });
}
