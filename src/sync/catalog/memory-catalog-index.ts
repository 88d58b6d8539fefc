import type { CatalogHits, CatalogIndex, CcvCatalogRef, EcwidCatalogRef } from "./catalog-index";

/**
 * A catalogue index held in memory, for runtimes without a database (flow step unit tests). It
 * answers like DbCatalogIndex from what was noted; `refresh` reads nothing (there are no clients).
 */
export class MemoryCatalogIndex implements CatalogIndex {
  private readonly rows = new Map<
    string,
    { side: "ecwid" | "ccv"; ref: EcwidCatalogRef; sku: string | null; ean: string | null }
  >();

  bySku(sku: string): Promise<CatalogHits> {
    return Promise.resolve(this.find((r) => r.sku !== null && r.sku === sku.trim()));
  }

  byEan(ean: string): Promise<CatalogHits> {
    return Promise.resolve(this.find((r) => r.ean !== null && r.ean === ean.trim()));
  }

  noteEcwid(ref: EcwidCatalogRef, sku: string | null, ean?: string | null): Promise<void> {
    this.note("ecwid", ref, sku, ean);
    return Promise.resolve();
  }

  noteCcv(ref: CcvCatalogRef, sku: string | null, ean?: string | null): Promise<void> {
    this.note("ccv", ref, sku, ean);
    return Promise.resolve();
  }

  refresh(): Promise<void> {
    return Promise.resolve();
  }

  private note(
    side: "ecwid" | "ccv",
    ref: EcwidCatalogRef,
    sku: string | null,
    ean: string | null | undefined,
  ): void {
    const key = `${side}|${ref.productId}|${ref.combinationId ?? ""}`;
    const held = this.rows.get(key);
    this.rows.set(key, {
      side,
      ref: ref.combinationId
        ? { productId: ref.productId, combinationId: ref.combinationId }
        : { productId: ref.productId },
      sku: sku?.trim() || null,
      ean: ean === undefined ? (held?.ean ?? null) : ean?.trim() || null,
    });
  }

  private find(match: (r: { sku: string | null; ean: string | null }) => boolean): CatalogHits {
    const hits: CatalogHits = { ecwid: [], ccv: [] };
    const sorted = [...this.rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [, r] of sorted) if (match(r)) hits[r.side].push(r.ref);
    return hits;
  }
}
