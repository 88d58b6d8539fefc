import type { EcwidProduct } from "../../../connectors/ecwid";
import type { FlowRuntime } from "../../engine/flow-definition";

/**
 * A product's categories follow the CATEGORY links that CATEGORIES_ECWID_TO_CCV writes (CCV §5.3
 * producttocategories). Only categories the gateway links are managed: a CCV category the shop
 * assigned by hand, without Ecwid counterpart, is left alone.
 */

export interface CategoryTargets {
  /** CCV category ids for the Ecwid product's categories that are linked */
  ccvIds: number[];
  /** Ecwid category ids without a CATEGORY link yet */
  unlinked: number[];
}

export async function ccvCategoriesOf(rt: FlowRuntime, p: EcwidProduct): Promise<CategoryTargets> {
  const ccvIds: number[] = [];
  const unlinked: number[] = [];
  for (const id of [...new Set(p.categoryIds ?? [])]) {
    const link = await rt.links.byEcwid("CATEGORY", String(id));
    if (link) ccvIds.push(Number(link.ccvId));
    else unlinked.push(id);
  }
  return { ccvIds: ccvIds.sort((a, b) => a - b), unlinked };
}

export interface CategorySync {
  changes: { field: string; before: unknown; after: unknown }[];
  planned: { add: number[]; remove: number[] };
  note: string | null;
}

/** Adds the missing product↔category links and removes managed ones Ecwid no longer has; nothing in a dry run. */
export async function syncCategoriesToCcv(
  rt: FlowRuntime,
  ccvProductId: number | null,
  targets: CategoryTargets,
  /** the CCV product was created just now: it is in no category yet */
  created = false,
): Promise<CategorySync> {
  const current =
    ccvProductId === null || created ? [] : await rt.clients.ccv.listProductToCategories(ccvProductId);
  const have = new Set(current.map((c) => c.category_id));
  const add = targets.ccvIds.filter((id) => !have.has(id));
  const remove: { id: number; category: number }[] = [];
  for (const c of current) {
    if (targets.ccvIds.includes(c.category_id)) continue;
    // managed = a category the gateway links to an Ecwid category
    if (await rt.links.byCcv("CATEGORY", String(c.category_id)))
      remove.push({ id: c.id, category: c.category_id });
  }
  const changes =
    add.length || remove.length
      ? [
          {
            field: "categories",
            before: [...have].sort((a, b) => a - b),
            after: [...[...have].filter((id) => !remove.some((r) => r.category === id)), ...add].sort(
              (a, b) => a - b,
            ),
          },
        ]
      : [];
  const note = unlinkedNote(targets);
  const planned = { add, remove: remove.map((r) => r.category) };
  if (rt.dryRun || ccvProductId === null) return { changes, planned, note };
  for (const category_id of add)
    await rt.clients.ccv.createProductToCategory({ product_id: ccvProductId, category_id });
  for (const r of remove) await rt.clients.ccv.deleteProductToCategory(r.id);
  return { changes, planned, note };
}

/** words for Ecwid categories of the product that CCV does not have yet (null when none) */
export function unlinkedNote(targets: CategoryTargets): string | null {
  const n = targets.unlinked;
  return n.length
    ? `Ecwid categor${n.length > 1 ? "ies" : "y"} ${n.join(", ")} not in CCV SalesPOS yet (CATEGORIES_ECWID_TO_CCV links them; the product follows on its next run).`
    : null;
}
