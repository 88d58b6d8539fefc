import { Mutex } from "async-mutex";
import type { FlowRuntime } from "../../engine/flow-definition";

/** products a PRODUCTS_ECWID_TO_CCV run works on side by side (each CCV write route has its own lane) */
export const PRODUCT_ITEMS_IN_FLIGHT = 4;

/**
 * CCV catalogue records several products share — attributes and their values, property groups,
 * properties and their options — are found or created by one item of a run at a time, so that
 * products synced side by side never create the same record twice. Everything else of an item
 * (its product, attribute values on it, combinations, photos, links) runs in parallel.
 */
export async function sharedCatalogWrites<T>(rt: FlowRuntime, fn: () => Promise<T>): Promise<T> {
  const lock = await rt.memo("ccv:shared-catalog-writes", async () => new Mutex());
  return lock.runExclusive(fn);
}
