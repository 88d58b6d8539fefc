import type { CcvProduct } from "../../connectors/ccv-salespos";
import { ccvProductToDomain } from "../../connectors/ccv-salespos";
import { ecwidMappingContext, mapEcwidProduct } from "../../connectors/ecwid";
import type { Product, Variant } from "../../domain/catalog";
import type { IntegrationClients } from "../engine/flow-definition";
import { SnapshotCache } from "./snapshot-cache";

/** A catalogue indexed by SKU: product SKUs and variant SKUs. */
export interface Catalog {
  currency: string | null;
  products: Product[];
  bySku: Map<string, { product: Product; variant?: Variant }>;
}

function index(products: Product[], currency: string | null): Catalog {
  const bySku = new Map<string, { product: Product; variant?: Variant }>();
  for (const p of products) {
    if (p.sku) bySku.set(p.sku, { product: p });
    for (const v of p.variants) if (v.sku && v.sku !== p.sku) bySku.set(v.sku, { product: p, variant: v });
  }
  return { currency, products, bySku };
}

/**
 * Short-lived catalogue snapshots per integration and system for unified reads. Neither vendor can
 * look up many SKUs in one call (CCV's SKU query is limited to 30/min), so a unified read pages the
 * catalogue once (Ecwid 100, CCV 250 products per call, CCV with its attribute combinations
 * expanded) and serves every SKU of the request — and of requests in the next `ttlMs` — from it.
 * Writes never read from here.
 */
export class CatalogCache {
  private readonly snapshots: SnapshotCache<Catalog>;

  constructor(ttlMs = 60_000) {
    this.snapshots = new SnapshotCache(ttlMs);
  }

  ecwid(integrationId: string, clients: IntegrationClients): Promise<Catalog> {
    return this.get(`${integrationId}:ECWID`, async () => {
      const profile = await clients.ecwid.getProfile();
      const ctx = ecwidMappingContext(profile);
      const products: Product[] = [];
      for await (const p of clients.ecwid.paginateProducts()) products.push(mapEcwidProduct(p, ctx));
      return index(products, ctx.currency ?? null);
    });
  }

  ccv(integrationId: string, clients: IntegrationClients): Promise<Catalog> {
    return this.get(`${integrationId}:CCV_SALESPOS`, async () => {
      const profile = await clients.ccv.getStoreProfile();
      const products: Product[] = [];
      for await (const p of clients.ccv.paginate<CcvProduct>("/products", {
        expand: "attributecombinations",
      })) {
        products.push(ccvProductToDomain(p));
      }
      return index(products, profile.currency);
    });
  }

  invalidate(integrationId: string): void {
    this.snapshots.invalidate(`${integrationId}:`);
  }

  private get(key: string, load: () => Promise<Catalog>): Promise<Catalog> {
    return this.snapshots.get(key, load);
  }
}
