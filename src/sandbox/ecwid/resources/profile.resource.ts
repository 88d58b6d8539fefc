import { formatEcwidDate } from "../../../connectors/ecwid/ecwid.dates";
import type { EcwidLatestStats, EcwidStoreProfile } from "../../../connectors/ecwid/ecwid.types";
import { bool } from "../ecwid.query";
import type { EcwidSandboxStore } from "../ecwid.store";
import { ok, type EcwidRouter } from "../ecwid.table";

/**
 * The store profile (§10.1: currency, price formats, order number affixes, taxes) and the latest
 * change time per kind of entity (§10.2, cheap change detection for pollers).
 */
export class EcwidProfile {
  private readonly touched: Record<string, number> = {};

  constructor(
    private readonly store: EcwidSandboxStore,
    public data: EcwidStoreProfile,
  ) {}

  /** Records that entities of `kind` changed now (for /latest-stats). */
  touch(kind: keyof EcwidLatestStats): void {
    this.touched[kind] = this.store.now();
  }

  latestStats(opts: { productCount?: boolean; categoryCount?: boolean }): EcwidLatestStats {
    const fmt = (k: keyof EcwidLatestStats) => formatEcwidDate(new Date((this.touched[k] ?? 0) * 1000));
    const out: EcwidLatestStats = {
      productsUpdated: fmt("productsUpdated"),
      ordersUpdated: fmt("ordersUpdated"),
      profileUpdated: fmt("profileUpdated"),
      categoriesUpdated: fmt("categoriesUpdated"),
      discountCouponsUpdated: fmt("discountCouponsUpdated"),
      abandonedSalesUpdated: fmt("abandonedSalesUpdated"),
      customersUpdated: fmt("customersUpdated"),
    };
    if (opts.productCount) out.productCount = this.store.products.size;
    if (opts.categoryCount) out.categoryCount = this.store.categories.size;
    return out;
  }

  storeUrl(): string {
    return this.data.generalInfo?.storeUrl ?? `https://store${this.store.storeId}.company.site`;
  }

  formatPrice(v: number): string {
    const f = this.data.formatsAndUnits ?? {};
    const precision = typeof f.currencyPrecision === "number" ? f.currencyPrecision : 2;
    return `${f.currencyPrefix ?? ""}${v.toFixed(precision)}${f.currencySuffix ?? ""}`;
  }

  /** What the store puts before and after its order ids (§8.1). */
  orderAffixes(): { prefix: string; suffix: string } {
    const f = this.data.formatsAndUnits ?? {};
    return { prefix: f.orderNumberPrefix ?? "", suffix: f.orderNumberSuffix ?? "" };
  }
}

export function profileRoutes(api: EcwidRouter, s: EcwidSandboxStore): void {
  api.on("GET", "/profile", () => ok(s.profile.data));
  api.on("GET", "/latest-stats", (c) =>
    ok(
      s.profile.latestStats({
        productCount: bool(c.query, "productCountRequired"),
        categoryCount: bool(c.query, "categoryCountRequired"),
      }),
    ),
  );
}
