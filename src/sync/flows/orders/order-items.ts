import { normalizeEmail } from "../../../domain/party";

/**
 * Orders of one run in flight at once, for both order flows (the engine caps it with
 * ExecutorOptions.maxItemsInFlight). Chosen by bench/orders-throughput: one order at a time spends
 * most of its time waiting for vendor answers and lane slots, so the lanes idle between orders;
 * a few in flight keep them busy while every request still waits for its lane.
 */
export const ORDER_ITEMS_IN_FLIGHT = 4;

/** Orders of one customer (by normalised e-mail) are worked on one after the other: its account is found or made once. */
export function customerGroup(email: string | null | undefined): string | null {
  const e = normalizeEmail(email ?? null);
  return e ? `customer:${e}` : null;
}
