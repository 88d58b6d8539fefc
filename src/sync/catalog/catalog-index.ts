import { In, LessThan, type DataSource, type EntityManager } from "typeorm";
import {
  CCV_MODIFYDATE_SLACK_MS,
  parseCcvDate,
  type CcvAttributeCombination,
  type CcvProduct,
} from "../../connectors/ccv-salespos";
import { barcodeOf, type EcwidProduct } from "../../connectors/ecwid";
import { CatalogEntryEntity } from "../../db/entities/catalog.entity";
import { FastSql } from "../../db/fast-sql";
import { SyncCursorEntity } from "../../db/entities/infra.entity";
import type { FlowRuntime, IntegrationClients } from "../engine/flow-definition";

/**
 * The catalogue index of one integration: SKU and EAN → Ecwid product/combination id and CCV
 * product/attribute-combination id, kept in the database (table `catalog_entry`) so that every
 * flow, every worker and the unified reads share it. Built from paged reads with the variants
 * expanded, kept fresh incrementally (Ecwid `updatedFrom`; CCV has no updated-since filter, so
 * `orderby=modifydate_desc` pages until a product the index already holds unchanged, CCV §3.4),
 * with a full reconcile as backstop (when never built, when the last one is older than
 * `fullEveryMs`, or on request). Flows that write a record note it, so the index stays right
 * without a re-read.
 */

export interface EcwidCatalogRef {
  productId: string;
  combinationId?: string;
}
export interface CcvCatalogRef {
  productId: string;
  combinationId?: string;
}
/** >1 on a side = the SKU (or EAN) is used twice there */
export interface CatalogHits {
  ecwid: EcwidCatalogRef[];
  ccv: CcvCatalogRef[];
}

export interface CatalogRefreshOptions {
  /** re-read everything and drop what no longer exists */
  full?: boolean;
  /** skip the refresh when the last one (by any worker) is younger than this */
  maxAgeMs?: number;
}

export interface CatalogIndex {
  bySku(sku: string): Promise<CatalogHits>;
  byEan(ean: string): Promise<CatalogHits>;
  /** a flow wrote/created/deactivated a record: keep the index right without a re-read */
  noteEcwid(ref: EcwidCatalogRef, sku: string | null, ean?: string | null): Promise<void>;
  noteCcv(ref: CcvCatalogRef, sku: string | null, ean?: string | null): Promise<void>;
  /** incremental refresh (Ecwid updatedFrom; CCV orderby=modifydate_desc until unchanged) */
  refresh(opts?: CatalogRefreshOptions): Promise<void>;
}

/** The index may be this old before a run refreshes it (incrementally) on first use. */
export const CATALOG_REFRESH_MAX_AGE_MS = 60_000;

/**
 * The catalogue index as a flow step uses it: refreshed once per run (when older than
 * CATALOG_REFRESH_MAX_AGE_MS, by whichever worker). A failed refresh leaves the index as it was:
 * the step falls back to its vendor lookup on a miss.
 */
export async function freshCatalog(
  rt: Pick<FlowRuntime, "catalog" | "memo" | "logger" | "signal">,
): Promise<CatalogIndex> {
  await rt.memo("catalog:refresh", async () => {
    try {
      await rt.catalog.refresh({ maxAgeMs: CATALOG_REFRESH_MAX_AGE_MS });
    } catch (e) {
      if (rt.signal.aborted) throw e;
      rt.logger.warn({ err: e }, "catalogue index refresh failed; lookups fall back to the vendors");
    }
  });
  return rt.catalog;
}

export const CATALOG_SYSTEMS = { ECWID: "ECWID", CCV: "CCV_SALESPOS" } as const;
type CatalogSystem = (typeof CATALOG_SYSTEMS)[keyof typeof CATALOG_SYSTEMS];

export interface CatalogIndexOptions {
  /** a full reconcile when the last one is older than this (default 24 h) */
  fullEveryMs?: number;
  /** Ecwid's `updatedFrom` starts this long before the last refresh began (default 5 min) */
  ecwidLookbackMs?: number;
  /** CCV products per page of the incremental read (default 50: usually one page is enough) */
  ccvIncrementalPageSize?: number;
  now?: () => Date;
}

/** A row as the index keeps it. */
interface Entry {
  productId: string;
  combinationId: string;
  sku: string | null;
  ean: string | null;
  modified: string | null;
}

const clean = (v: string | null | undefined): string | null => {
  const t = v?.trim();
  return t ? t.slice(0, 191) : null;
};

/** Ecwid: the product and each variation; a variation without its own SKU inherits the product's (Ecwid §12). */
export function ecwidEntries(p: EcwidProduct): Entry[] {
  const modified = p.updateTimestamp !== undefined ? String(p.updateTimestamp) : (p.updated ?? null);
  const out: Entry[] = [
    {
      productId: String(p.id),
      combinationId: "",
      sku: clean(p.sku),
      ean: clean(barcodeOf(p.attributes)),
      modified,
    },
  ];
  for (const c of p.combinations ?? []) {
    out.push({
      productId: String(p.id),
      combinationId: String(c.id),
      sku: clean(c.sku),
      ean: clean(barcodeOf(c.attributes)),
      modified,
    });
  }
  return out;
}

/** CCV: the product and its attribute combinations (a combination's own SKU, else its product number). */
export function ccvEntries(p: CcvProduct, combinations: CcvAttributeCombination[]): Entry[] {
  const modified = p.modifydate ?? null;
  return [
    {
      productId: String(p.id),
      combinationId: "",
      sku: clean(p.productnumber),
      ean: clean(p.eannumber),
      modified,
    },
    ...combinations.map((c) => ({
      productId: String(p.id),
      combinationId: String(c.id),
      sku: clean(c.sku_number) ?? clean(c.product_number),
      ean: clean(c.ean_number),
      modified,
    })),
  ];
}

const CHUNK = 100;

export class DbCatalogIndex implements CatalogIndex {
  private readonly fullEveryMs: number;
  private readonly lookbackMs: number;
  private readonly ccvPageSize: number;
  private readonly now: () => Date;
  private fast: FastSql<CatalogEntryEntity> | undefined;

  constructor(
    private readonly ds: DataSource,
    private readonly integrationId: string,
    private readonly clients: () => Promise<IntegrationClients> | IntegrationClients,
    opts: CatalogIndexOptions = {},
  ) {
    this.fullEveryMs = opts.fullEveryMs ?? 24 * 3600_000;
    this.lookbackMs = opts.ecwidLookbackMs ?? 5 * 60_000;
    this.ccvPageSize = opts.ccvIncrementalPageSize ?? 50;
    this.now = opts.now ?? (() => new Date());
  }

  // ------------------------------------------------------------------------------------------
  // reads

  bySku(sku: string): Promise<CatalogHits> {
    return this.find("sku", sku);
  }

  byEan(ean: string): Promise<CatalogHits> {
    return this.find("ean", ean);
  }

  private async find(column: "sku" | "ean", value: string): Promise<CatalogHits> {
    const v = clean(value);
    const hits: CatalogHits = { ecwid: [], ccv: [] };
    if (!v) return hits;
    // a plain statement (fast-sql.ts): orders look SKUs up for every line; sorted here by system,
    // product and combination (no combination first), as an ORDER BY would
    this.fast ??= new FastSql(this.ds, CatalogEntryEntity);
    const rows = await this.fast.find([{ integrationId: this.integrationId, [column]: v }]);
    const cmp = (a: string | null, b: string | null) =>
      (a ?? "") < (b ?? "") ? -1 : (a ?? "") > (b ?? "") ? 1 : 0;
    rows.sort(
      (a, b) =>
        cmp(a.system, b.system) || cmp(a.productId, b.productId) || cmp(a.combinationId, b.combinationId),
    );
    for (const r of rows) {
      // a variant that inherits the product's SKU is found as the product (its own row has none)
      const ref = r.combinationId
        ? { productId: r.productId, combinationId: r.combinationId }
        : { productId: r.productId };
      (r.system === CATALOG_SYSTEMS.ECWID ? hits.ecwid : hits.ccv).push(ref);
    }
    return hits;
  }

  // ------------------------------------------------------------------------------------------
  // notes from the flows

  noteEcwid(ref: EcwidCatalogRef, sku: string | null, ean?: string | null): Promise<void> {
    return this.note(CATALOG_SYSTEMS.ECWID, ref, sku, ean);
  }

  noteCcv(ref: CcvCatalogRef, sku: string | null, ean?: string | null): Promise<void> {
    return this.note(CATALOG_SYSTEMS.CCV, ref, sku, ean);
  }

  private async note(
    system: CatalogSystem,
    ref: { productId: string; combinationId?: string },
    sku: string | null,
    ean?: string | null,
  ): Promise<void> {
    const key = {
      integrationId: this.integrationId,
      system,
      productId: ref.productId,
      combinationId: ref.combinationId ?? "",
    };
    // one plain statement per note (a product sync notes the product and each variant)
    this.fast ??= new FastSql(this.ds, CatalogEntryEntity);
    await this.fast.upsert(
      {
        ...key,
        sku: clean(sku),
        // undefined: the EAN is not known to the caller; an existing row keeps the one it has
        // (a column the upsert is not given is left alone), a new row has none
        ...(ean === undefined ? {} : { ean: clean(ean) }),
        // a stamp the vendor did not give: the next incremental read re-reads the product
        modified: null,
        updatedAt: this.now(),
      },
      ["integrationId", "system", "productId", "combinationId"],
    );
  }

  // ------------------------------------------------------------------------------------------
  // refresh

  /** One refresh per integration at a time in this process: a second caller joins the first. */
  private static readonly inFlight = new Map<string, Promise<void>>();

  refresh(opts: CatalogRefreshOptions = {}): Promise<void> {
    const key = `${this.integrationId}|${opts.full ? "full" : "any"}`;
    let p = DbCatalogIndex.inFlight.get(key);
    if (!p) {
      p = this.doRefresh(opts).finally(() => DbCatalogIndex.inFlight.delete(key));
      DbCatalogIndex.inFlight.set(key, p);
    }
    return p;
  }

  private async doRefresh(opts: CatalogRefreshOptions): Promise<void> {
    const started = this.now();
    const last = await this.stateDate("catalog:refreshed");
    if (
      !opts.full &&
      opts.maxAgeMs !== undefined &&
      last &&
      started.getTime() - last.getTime() < opts.maxAgeMs
    )
      return;
    const clients = await this.clients();
    const lastFull = await this.stateDate("catalog:full");
    const full = opts.full || !lastFull || started.getTime() - lastFull.getTime() >= this.fullEveryMs;
    if (full) {
      await this.fullEcwid(clients, started);
      await this.fullCcv(clients, started);
      await this.setState("catalog:full", started);
    } else {
      await this.incrementalEcwid(clients, last ?? lastFull);
      await this.incrementalCcv(clients, last ?? lastFull);
    }
    await this.setState("catalog:refreshed", started);
  }

  private async fullEcwid(clients: IntegrationClients, started: Date): Promise<void> {
    let batch: Entry[] = [];
    for await (const p of clients.ecwid.paginateProducts()) {
      batch.push(...ecwidEntries(p));
      if (batch.length >= CHUNK * 5) batch = await this.flush(CATALOG_SYSTEMS.ECWID, batch);
    }
    await this.flush(CATALOG_SYSTEMS.ECWID, batch);
    await this.dropOlderThan(CATALOG_SYSTEMS.ECWID, started);
  }

  private async fullCcv(clients: IntegrationClients, started: Date): Promise<void> {
    let batch: Entry[] = [];
    for await (const p of clients.ccv.paginate<CcvProduct>("/products", {
      expand: "attributecombinations",
    })) {
      batch.push(...ccvEntries(p, await this.ccvCombinations(clients, p)));
      if (batch.length >= CHUNK * 5) batch = await this.flush(CATALOG_SYSTEMS.CCV, batch);
    }
    await this.flush(CATALOG_SYSTEMS.CCV, batch);
    await this.dropOlderThan(CATALOG_SYSTEMS.CCV, started);
  }

  /** Ecwid: products updated since the last refresh began (minus a lookback), variants replaced. */
  private async incrementalEcwid(clients: IntegrationClients, since: Date | undefined): Promise<void> {
    const from = new Date((since ?? new Date(0)).getTime() - this.lookbackMs);
    for await (const p of clients.ecwid.paginateProducts({ updatedFrom: from })) {
      await this.replaceProduct(CATALOG_SYSTEMS.ECWID, String(p.id), ecwidEntries(p));
    }
  }

  /**
   * CCV: newest-modified first, until a product the index holds with the same `modifydate` that is
   * older than the last refresh (less the slack: the stamp has whole seconds and CCV's clock is not
   * ours, so a product changed twice around our read would otherwise look unchanged). The
   * products with that same stamp are read to the end.
   */
  private async incrementalCcv(clients: IntegrationClients, since: Date | undefined): Promise<void> {
    const settled = (since?.getTime() ?? 0) - CCV_MODIFYDATE_SLACK_MS;
    let stopAt: string | undefined;
    for await (const p of clients.ccv.paginate<CcvProduct>(
      "/products",
      { orderby: "modifydate_desc", expand: "attributecombinations" },
      { size: this.ccvPageSize },
    )) {
      if (stopAt !== undefined && p.modifydate !== stopAt) break;
      const held = await this.ds.manager.findOneBy(CatalogEntryEntity, {
        integrationId: this.integrationId,
        system: CATALOG_SYSTEMS.CCV,
        productId: String(p.id),
        combinationId: "",
      });
      const stamp = parseCcvDate(p.modifydate);
      const unchanged =
        held?.modified != null && held.modified === p.modifydate && stamp !== undefined && stamp < settled;
      if (unchanged) {
        stopAt ??= held.modified!;
        continue;
      }
      await this.replaceProduct(
        CATALOG_SYSTEMS.CCV,
        String(p.id),
        ccvEntries(p, await this.ccvCombinations(clients, p)),
      );
    }
  }

  /** the combinations embedded by `expand`, else read (a server that ignores expand) */
  private async ccvCombinations(
    clients: IntegrationClients,
    p: CcvProduct,
  ): Promise<CcvAttributeCombination[]> {
    return p.attributecombinations?.collection ?? clients.ccv.listAttributeCombinations(p.id);
  }

  private async replaceProduct(system: CatalogSystem, productId: string, entries: Entry[]): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.delete(CatalogEntryEntity, { integrationId: this.integrationId, system, productId });
      await this.insert(m, system, entries);
    });
  }

  private async flush(system: CatalogSystem, entries: Entry[]): Promise<Entry[]> {
    if (entries.length === 0) return [];
    await this.ds.transaction(async (m) => {
      for (let i = 0; i < entries.length; i += CHUNK) {
        await m.upsert(
          CatalogEntryEntity,
          entries.slice(i, i + CHUNK).map((e) => this.row(system, e)),
          ["integrationId", "system", "productId", "combinationId"],
        );
      }
    });
    return [];
  }

  private async insert(m: EntityManager, system: CatalogSystem, entries: Entry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += CHUNK) {
      await m.insert(
        CatalogEntryEntity,
        entries.slice(i, i + CHUNK).map((e) => this.row(system, e)),
      );
    }
  }

  private row(system: CatalogSystem, e: Entry): CatalogEntryEntity {
    return { integrationId: this.integrationId, system, ...e, updatedAt: this.now() };
  }

  /** what a full read did not see (rows noted after it began stay) */
  private async dropOlderThan(system: CatalogSystem, started: Date): Promise<void> {
    await this.ds.manager.delete(CatalogEntryEntity, {
      integrationId: this.integrationId,
      system,
      updatedAt: LessThan(started),
    });
  }

  private async stateDate(key: string): Promise<Date | undefined> {
    const r = await this.ds.manager.findOneBy(SyncCursorEntity, { integrationId: this.integrationId, key });
    const t = r ? Date.parse(r.value) : NaN;
    return Number.isNaN(t) ? undefined : new Date(t);
  }

  private async setState(key: string, at: Date): Promise<void> {
    await this.ds.manager.upsert(
      SyncCursorEntity,
      { integrationId: this.integrationId, key, value: at.toISOString(), updatedAt: this.now() },
      ["integrationId", "key"],
    );
  }

  /** rows of the index (tests, the console) */
  async entries(system?: CatalogSystem): Promise<CatalogEntryEntity[]> {
    return this.ds.manager.find(CatalogEntryEntity, {
      where: system
        ? { integrationId: this.integrationId, system }
        : { integrationId: this.integrationId, system: In(Object.values(CATALOG_SYSTEMS)) },
      order: { system: "ASC", productId: "ASC", combinationId: "ASC" },
    });
  }
}
