import { CCV_ROW_PRICE_ADDS_COMBINATION_EXTRA } from "../../../connectors/ccv-salespos/ccv.vendor-facts";
import { isConnectorError } from "../../../connectors/http/connector-error";
import type { CcvAttributeCombination, CcvSkuMatch } from "../../../connectors/ccv-salespos";
import type { EcwidOrderItem } from "../../../connectors/ecwid";
import { optDecimal, type DecimalString } from "../../../domain/money";
import { freshCatalog } from "../../catalog/catalog-index";
import type { FlowRuntime } from "../../engine/flow-definition";

/** Where an Ecwid order line goes in CCV: a product, or one attribute combination of it. */
export interface CcvLineTarget {
  productId: number;
  combinationId?: number;
  /** what CCV adds to the row price for the combination (its netto_extra_price), "0" for a product */
  attributeExtra: DecimalString;
  /** how it was found, for the activity log: a link, the catalogue index, or a CCV SKU lookup */
  via: "link" | "index" | "sku";
}

export interface ResolvedLines {
  /** per Ecwid item, in order; null where the item has no CCV counterpart */
  targets: (CcvLineTarget | null)[];
  /** the SKUs (or, without one, the item names) that are not in CCV, each once */
  missing: string[];
  /** the SKUs alone that are not in CCV, each once (what linking a product heals) */
  missingSkus: string[];
}

const fromCombination = (c: CcvAttributeCombination, via: CcvLineTarget["via"]): CcvLineTarget => ({
  productId: c.product_id,
  combinationId: c.id,
  attributeExtra: CCV_ROW_PRICE_ADDS_COMBINATION_EXTRA ? (optDecimal(c.netto_extra_price) ?? "0") : "0",
  via,
});

/** An attribute combination by id, read once per run; undefined when CCV no longer has it. */
function combination(rt: FlowRuntime, id: string): Promise<CcvAttributeCombination | undefined> {
  return rt.memo(`ccv:combination:${id}`, async () => {
    try {
      return await rt.clients.ccv.getAttributeCombination(id);
    } catch (e) {
      if (isConnectorError(e) && e.code === "NOT_FOUND") return undefined;
      throw e;
    }
  });
}

/**
 * A SKU in CCV (products and attribute combinations), looked up once per run — a miss too (the
 * memo keeps `undefined`): the lookup may use GET /productqueries, whose lane allows 30 requests a
 * minute (CCV §4.4).
 */
function bySku(rt: FlowRuntime, sku: string): Promise<CcvSkuMatch | undefined> {
  return rt.memo(`ccv:sku:${sku}`, () => rt.clients.ccv.findBySku(sku));
}

/**
 * The catalogue index's hits for a SKU, read once per run like the vendor lookups: the index is
 * refreshed once per run (freshCatalog), and what this run's own lookups add is noted in both.
 */
function indexHits(rt: FlowRuntime, sku: string) {
  return rt.memo(`catalog:sku:${sku}`, async () => (await freshCatalog(rt)).bySku(sku));
}

/**
 * A PRODUCT or VARIANT link by its Ecwid id, read once per run (an order load repeats the same
 * products on many orders). A link the product flows write later in the run is found through
 * the catalogue index meanwhile.
 */
function catalogLink(rt: FlowRuntime, entity: "PRODUCT" | "VARIANT", ecwidId: string) {
  return rt.memo(`link:${entity}:${ecwidId}`, () => rt.links.byEcwid(entity, ecwidId));
}

/** A CCV SKU by the catalogue index: the first entry that still exists in CCV. */
async function viaIndex(rt: FlowRuntime, sku: string): Promise<CcvLineTarget | undefined> {
  const { ccv } = await indexHits(rt, sku);
  for (const ref of ccv) {
    if (!ref.combinationId) return { productId: Number(ref.productId), attributeExtra: "0", via: "index" };
    const c = await combination(rt, ref.combinationId);
    if (c && String(c.product_id) === ref.productId) return fromCombination(c, "index");
  }
  return undefined;
}

async function resolveItem(rt: FlowRuntime, item: EcwidOrderItem): Promise<CcvLineTarget | null> {
  // 1. links written by the product flows (a variant by its Ecwid combination id, a product by id)
  if (item.combinationId) {
    const link = await catalogLink(rt, "VARIANT", String(item.combinationId));
    const c = link ? await combination(rt, link.ccvId) : undefined;
    if (c) return fromCombination(c, "link");
  } else if (item.productId) {
    const link = await catalogLink(rt, "PRODUCT", String(item.productId));
    if (link) return { productId: Number(link.ccvId), attributeExtra: "0", via: "link" };
  }
  // 2. the SKU (a variant's own SKU, else the product's) in the catalogue index
  const sku = item.sku?.trim();
  if (!sku) return null;
  const indexed = await viaIndex(rt, sku);
  if (indexed) return indexed;
  // 3. only on an index miss: ask CCV (GET /productqueries), once per run, and note what it found
  const match = await bySku(rt, sku);
  if (!match) return null;
  await rt.memo(`catalog:noted:${sku}`, () =>
    rt.catalog.noteCcv(
      {
        productId: String(match.productId),
        combinationId: match.combination && String(match.combination.id),
      },
      sku,
    ),
  );
  return match.combination
    ? fromCombination(match.combination, "sku")
    : { productId: match.productId, attributeExtra: "0", via: "sku" };
}

/** Resolves every line of an Ecwid order to a CCV product or attribute combination. */
export async function resolveOrderLines(rt: FlowRuntime, items: EcwidOrderItem[]): Promise<ResolvedLines> {
  const targets: (CcvLineTarget | null)[] = [];
  const missing = new Set<string>();
  const missingSkus = new Set<string>();
  for (const item of items) {
    const t = await resolveItem(rt, item);
    targets.push(t);
    if (t) continue;
    const sku = item.sku?.trim();
    missing.add(sku || `"${item.name ?? "?"}" (no SKU)`);
    if (sku) missingSkus.add(sku);
  }
  return { targets, missing: [...missing], missingSkus: [...missingSkus] };
}
