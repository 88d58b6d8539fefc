import type { EcwidProduct } from "../../../connectors/ecwid/ecwid.types";
import {
  ECWID_DOCUMENTED_MESSAGES as DOC,
  ECWID_NEGATIVE_STOCK_WARNING,
} from "../../../connectors/ecwid/ecwid.vendor-facts";
import type { EcwidSandboxStore } from "../ecwid.store";
import { idParam, ok, type EcwidRouter, type Row } from "../ecwid.table";
import { requireObject, wrongParameter } from "../ecwid.validate";

/**
 * Stock (§6.6): inventory deltas on a product or a variation with its own SKU, and the stock moves
 * of orders (§8.7) — taken when a paid order is created, given back once when it is cancelled.
 */

/** What an order took from stock, so a cancel gives back exactly that (§8.7). */
export interface StockLine {
  productId: number;
  combinationId?: number;
  quantity: number;
}

export class EcwidInventory {
  constructor(private readonly store: EcwidSandboxStore) {}

  private readDelta(body: unknown): number {
    const b = requireObject(body);
    if (typeof b.quantityDelta !== "number" || !Number.isInteger(b.quantityDelta)) {
      throw wrongParameter("Field 'quantityDelta' has a wrong value: expected an integer");
    }
    return b.quantityDelta;
  }

  /**
   * Applies a delta; stock may go negative, with a warning (§6.6). On untracked (unlimited) stock the
   * effect is undocumented: the sandbox answers updateCount 1 and leaves it unlimited (INFERRED).
   */
  private applyDelta(
    holder: { quantity?: number; unlimited?: boolean },
    delta: number,
  ): { updateCount: number; warning?: string } {
    if (holder.unlimited) return { updateCount: 1 };
    holder.quantity = (holder.quantity ?? 0) + delta;
    return holder.quantity < 0
      ? { updateCount: 1, warning: ECWID_NEGATIVE_STOCK_WARNING }
      : { updateCount: 1 };
  }

  adjustProduct(productId: number, body: unknown): { updateCount: number; warning?: string } {
    const row = this.store.products.row(productId);
    const result = this.applyDelta(row.data, this.readDelta(body));
    this.store.products.changed(row);
    return result;
  }

  adjustCombination(
    productId: number,
    combinationId: number,
    body: unknown,
  ): { updateCount: number; warning?: string } {
    const { row, c } = this.store.combinations.find(productId, combinationId);
    const delta = this.readDelta(body);
    if (!c.sku) throw wrongParameter(DOC.combinationSkuNotSet);
    const result = this.applyDelta(c, delta);
    this.store.products.changed(row);
    return result;
  }

  /** Where an order item's stock lives: the variation with its own SKU, else the product (§6.4). */
  private stockHolder(
    line: StockLine,
  ): { row: Row<EcwidProduct>; holder: { quantity?: number; unlimited?: boolean } } | undefined {
    const row = this.store.products.get(line.productId);
    if (!row) return undefined;
    const c = line.combinationId
      ? (row.data.combinations ?? []).find((x) => x.id === line.combinationId)
      : undefined;
    return { row, holder: c && c.sku ? c : row.data };
  }

  /** Moves stock for order lines (sign −1 takes, +1 gives back); returns the stock before, per line. */
  moveStock(lines: StockLine[], sign: 1 | -1): (number | undefined)[] {
    const changed = new Set<Row<EcwidProduct>>();
    const before = lines.map((l) => {
      const h = this.stockHolder(l);
      if (!h || h.holder.unlimited) return undefined;
      const q = h.holder.quantity ?? 0;
      h.holder.quantity = q + sign * l.quantity;
      changed.add(h.row);
      return q;
    });
    for (const row of changed) this.store.products.changed(row);
    return before;
  }
}

export function inventoryRoutes(api: EcwidRouter, s: EcwidSandboxStore): void {
  const { inventory } = s;
  api.on("PUT", "/products/{productId}/inventory", (c) =>
    ok(inventory.adjustProduct(idParam(c, "productId"), c.body)),
  );
  api.on("PUT", "/products/{productId}/combinations/{combinationId}/inventory", (c) =>
    ok(inventory.adjustCombination(idParam(c, "productId"), idParam(c, "combinationId"), c.body)),
  );
}
