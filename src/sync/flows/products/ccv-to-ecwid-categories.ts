import type { FlowRuntime } from "../../engine/flow-definition";

/**
 * CCV → Ecwid product categories (CCV §5.3 producttocategories → Ecwid `categoryIds`, Ecwid §6.2),
 * following the CATEGORY links: a CCV category linked to an Ecwid category puts the product there;
 * a linked Ecwid category the CCV product is no longer in is taken off. Ecwid categories without a
 * link (made in Ecwid only) are left alone, and CCV categories without a link are named on the item.
 */

export interface EcwidCategoryPlan {
  /** the Ecwid `categoryIds` to write; undefined when nothing changes */
  categoryIds?: number[];
  before: number[];
  /** CCV category ids of the product without a CATEGORY link */
  unlinked: number[];
}

export async function ecwidCategoriesFor(
  rt: FlowRuntime,
  ccvProductId: number,
  current: number[] | undefined,
): Promise<EcwidCategoryPlan> {
  const before = [...new Set(current ?? [])].sort((a, b) => a - b);
  const inCcv = await rt.clients.ccv.listProductToCategories(ccvProductId);
  const linked: number[] = [];
  const unlinked: number[] = [];
  for (const pc of inCcv) {
    const link = await rt.links.byCcv("CATEGORY", String(pc.category_id));
    if (link) linked.push(Number(link.ecwidId));
    else unlinked.push(pc.category_id);
  }
  const keep: number[] = [];
  for (const id of before) if (!(await rt.links.byEcwid("CATEGORY", String(id)))) keep.push(id);
  const after = [...new Set([...keep, ...linked])].sort((a, b) => a - b);
  const same = after.length === before.length && after.every((id, i) => id === before[i]);
  return { ...(same ? {} : { categoryIds: after }), before, unlinked };
}

/** words for CCV categories of the product that have no Ecwid counterpart (null when none) */
export function unlinkedCcvCategoriesNote(unlinked: number[]): string | null {
  return unlinked.length
    ? `CCV SalesPOS categor${unlinked.length > 1 ? "ies" : "y"} ${unlinked.join(", ")} ${unlinked.length > 1 ? "have" : "has"} no linked Ecwid category; the product is not put there in Ecwid.`
    : null;
}
