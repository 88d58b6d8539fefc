import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import { In } from "typeorm";
import { badInput } from "../../common/errors";
import { ccvOrderToDomain, type CcvOrder } from "../../connectors/ccv-salespos";
import { ecwidMappingContext, mapEcwidOrder, type EcwidOrder } from "../../connectors/ecwid";
import type { Product, Variant } from "../../domain/catalog";
import { dec, toNumber } from "../../domain/money";
import type { Order } from "../../domain/orders";
import type { Address, Customer } from "../../domain/party";
import { LinkEntity } from "../../db/entities/link.entity";
import { SyncItemEntity } from "../../db/entities/sync-item.entity";
import type { SyncItemData } from "../../events/event.types";
import { itemData } from "../engine/records";
import type { IntegrationClients } from "../engine/flow-definition";
import { loadSettings, type ClientProvider } from "../engine/runtime";
import { FlowConfigEntity } from "../../db/entities/flow-config.entity";
import { computeFigure, forSide } from "../flows/stock/stock-flow";
import { pendingOrders, reservedBySku, type Reserved } from "../flows/stock/stock-reservations";
import { sideOf } from "../flows/stock/stock-sides";
import { z } from "zod";
import { cursorOffset, cursorText, decodeCursor, encodeCursor, pageSize } from "../pagination";
import type { Catalog, CatalogCache } from "./catalog";
import { CustomerDirectoryCache, directoryPage } from "./customer-directory";
import { SnapshotCache } from "./snapshot-cache";

// ------------------------------------------------------------------ views (the GraphQL shapes, as plain data)

export interface MoneyView {
  amount: string;
  currency: string;
}
export interface StockLevelView {
  sku: string;
  ecwid: number | null;
  ecwidUnlimited: boolean;
  ccv: number | null;
  reserved: number;
  computed: number | null;
  inSync: boolean;
  master: "ECWID" | "CCV_SALESPOS" | null;
  reservedOrders: {
    system: string;
    orderId: string;
    quantity: number;
    state: string;
    since: Date;
    ageSeconds: number;
  }[];
  ecwidOpenCheckouts: number;
}
export interface ProductRecordView {
  system: string;
  id: string;
  sku: string | null;
  name: string;
  price: MoneyView | null;
  description: string | null;
  shortDescription: string | null;
  ean: string | null;
  quantity: number | null;
  enabled: boolean;
  categoryIds: string[];
  updatedAt: Date | null;
}
export interface ProductView {
  sku: string;
  name: string;
  ecwid: ProductRecordView | null;
  ccv: ProductRecordView | null;
  linked: boolean;
  differences: { field: string; before: unknown; after: unknown }[];
  variants: {
    sku: string;
    options: { name: string; value: string }[];
    ecwid: ProductRecordView | null;
    ccv: ProductRecordView | null;
    stock: StockLevelView;
  }[];
  stock: StockLevelView;
}
export interface AddressView {
  name: string | null;
  companyName: string | null;
  street: string | null;
  houseNumber: string | null;
  postalCode: string | null;
  city: string | null;
  countryCode: string | null;
  phone: string | null;
}
export interface OrderRecordView {
  system: string;
  id: string;
  number: string | null;
  status: string | null;
  paymentStatus: string | null;
  total: MoneyView | null;
  createdAt: Date | null;
}
export interface OrderView {
  key: string;
  email: string | null;
  billingAddress: AddressView | null;
  shippingAddress: AddressView | null;
  lines: {
    sku: string | null;
    name: string;
    quantity: number;
    unitPrice: MoneyView;
    options: { name: string; value: string }[];
  }[];
  ecwid: OrderRecordView | null;
  ccv: OrderRecordView | null;
  linked: boolean;
  lastSync: SyncItemData | null;
}
export interface CustomerRecordView {
  system: string;
  id: string;
  name: string | null;
  companyName: string | null;
  isCompany: boolean;
}
export interface CustomerView {
  email: string;
  name: string | null;
  companyName: string | null;
  isCompany: boolean;
  ecwid: CustomerRecordView | null;
  ccv: CustomerRecordView | null;
  linked: boolean;
}
export interface Page<T> {
  nodes: { cursor: string; node: T }[];
  hasNextPage: boolean;
  endCursor: string | null;
}

/**
 * Per-request loaders (never shared across requests): each batches what one GraphQL request asks
 * for into one upstream call or one query per page and system.
 */
export interface RecordLoaders {
  clients: DataLoader<string, IntegrationClients>;
  ccvOrders: DataLoader<string, CcvOrder | null, string>;
  links: DataLoader<string, LinkEntity | null, string>;
  lastItems: DataLoader<string, SyncItemEntity | null, string>;
}

// ------------------------------------------------------------------ mapping helpers

const num = (v: string | null | undefined): number | null =>
  v === null || v === undefined ? null : toNumber(v);
const money = (amount: string | null, currency: string | null): MoneyView | null =>
  amount === null ? null : { amount, currency: currency ?? "" };

function productRecord(p: Product, currency: string | null, v?: Variant): ProductRecordView {
  return {
    system: p.system,
    id: v ? v.id : p.id,
    sku: v ? (v.sku ?? p.sku) : p.sku,
    name: p.name,
    price: money(
      v?.price ?? (v?.priceDifference && p.price ? dec(p.price).plus(v.priceDifference).toFixed() : p.price),
      currency,
    ),
    description: p.description,
    shortDescription: p.shortDescription,
    ean: v ? v.ean : p.ean,
    quantity: v ? num(v.quantity) : num(p.quantity),
    enabled: v ? v.enabled : p.enabled,
    categoryIds: p.categoryIds,
    updatedAt: p.updatedAt,
  };
}

function address(a: Address | null): AddressView | null {
  if (!a) return null;
  const street = [a.street, a.street2].filter(Boolean).join("\n") || null;
  return {
    name: a.name ?? ([a.firstName, a.lastName].filter(Boolean).join(" ") || null),
    companyName: a.companyName,
    street,
    houseNumber: a.houseNumber
      ? `${a.houseNumber}${a.houseNumberSuffix ? ` ${a.houseNumberSuffix}` : ""}`
      : null,
    postalCode: a.postalCode,
    city: a.city,
    countryCode: a.countryCode,
    phone: a.phone,
  };
}

function orderRecord(o: Order): OrderRecordView {
  return {
    system: o.system,
    id: o.id,
    number: o.number,
    status: o.status,
    paymentStatus: o.paymentStatus,
    total: money(o.total, o.currency),
    createdAt: o.createdAt,
  };
}

interface StockContext {
  /** the enabled stock flow's master; null when no stock flow is enabled */
  master: "ECWID" | "CCV_SALESPOS" | null;
  /** the master the figures are explained with (Ecwid when none is enabled) */
  masterSystem: "ECWID" | "CCV_SALESPOS";
  calc: "AVAILABLE" | "AVAILABLE_MINUS_RESERVED";
  reserved: Map<string, Reserved>;
  openCheckouts: Map<string, number>;
}

/** Unified Product, Order, Customer and Stock reads backed by both systems. Reads only. */
export class RecordsService {
  constructor(
    private readonly ds: DataSource,
    private readonly clientsFor: ClientProvider,
    private readonly catalogs: CatalogCache,
    private readonly customerDirectory = new CustomerDirectoryCache(),
    private readonly reservations = new SnapshotCache<Map<string, number>>(),
  ) {}

  /** `signal`: the request's execution deadline, which stops its vendor reads */
  loaders(signal?: AbortSignal): RecordLoaders {
    const clients = new DataLoader<string, IntegrationClients>(async (ids) =>
      Promise.all(ids.map((id) => this.clientsFor(id, { readOnly: true, purpose: "reads", signal }))),
    );
    // keys are "<integrationId>|<id>": one batch per request, split per integration
    const perIntegration = <V>(
      load: (integrationId: string, ids: string[]) => Promise<Map<string, V | null>>,
    ) =>
      new DataLoader<string, V | null, string>(async (keys) => {
        const groups = new Map<string, string[]>();
        for (const k of keys) {
          const [iid, id] = k.split("|");
          groups.set(iid, [...(groups.get(iid) ?? []), id]);
        }
        const found = new Map<string, V | null>();
        for (const [iid, ids] of groups)
          for (const [id, v] of await load(iid, ids)) found.set(`${iid}|${id}`, v);
        return keys.map((k) => found.get(k) ?? null);
      });
    return {
      clients,
      ccvOrders: perIntegration<CcvOrder>(async (iid, ids) => {
        const c = await clients.load(iid);
        const orders = await c.ccv.getOrders(ids);
        return new Map(ids.map((id, i) => [id, orders[i]]));
      }),
      // "<integrationId>|<entity>:<side>:<id>"
      links: perIntegration<LinkEntity>(async (iid, keys) => {
        const parsed = keys.map((k) => {
          const [entity, side, ...rest] = k.split(":");
          return { k, entity, side, id: rest.join(":") };
        });
        const rows = await this.ds.manager.find(LinkEntity, {
          where: [
            { integrationId: iid, ecwidId: In(parsed.filter((p) => p.side === "ECWID").map((p) => p.id)) },
            {
              integrationId: iid,
              ccvId: In(parsed.filter((p) => p.side === "CCV_SALESPOS").map((p) => p.id)),
            },
          ],
        });
        const out = new Map<string, LinkEntity | null>();
        for (const p of parsed) {
          out.set(
            p.k,
            rows.find(
              (r) => r.entity === p.entity && (p.side === "ECWID" ? r.ecwidId === p.id : r.ccvId === p.id),
            ) ?? null,
          );
        }
        return out;
      }),
      // the newest item of a source record: "<integrationId>|<sourceId>"
      lastItems: perIntegration<SyncItemEntity>(async (iid, sourceIds) => {
        const rows = await this.ds.manager.find(SyncItemEntity, {
          where: { integrationId: iid, sourceId: In(sourceIds) },
          order: { id: "DESC" },
        });
        const out = new Map<string, SyncItemEntity | null>();
        for (const r of rows) if (!out.has(r.sourceId)) out.set(r.sourceId, r);
        return out;
      }),
    };
  }

  // ------------------------------------------------------------------ products and stock

  private async catalogsOf(l: RecordLoaders, integrationId: string): Promise<{ e: Catalog; c: Catalog }> {
    const clients = await l.clients.load(integrationId);
    const [e, c] = await Promise.all([
      this.catalogs.ecwid(integrationId, clients),
      this.catalogs.ccv(integrationId, clients),
    ]);
    return { e, c };
  }

  /**
   * open checkout quantities per SKU: Ecwid unfinished orders of the last 24 h (ARCHITECTURE §4).
   * A snapshot as old as the catalogue's at most: read per request, it cost an Ecwid call per
   * page and held every unified read to Ecwid's rate limit (bench/api-load).
   */
  private async openCheckouts(l: RecordLoaders, integrationId: string): Promise<Map<string, number>> {
    const clients = await l.clients.load(integrationId);
    return this.reservations.get(integrationId, async () => {
      const since = Math.floor(Date.now() / 1000) - 24 * 3600;
      const out = new Map<string, number>();
      for await (const o of clients.ecwid.paginateOrders({
        paymentStatus: ["INCOMPLETE"],
        createdFrom: since,
      })) {
        for (const it of (o as EcwidOrder).items ?? []) {
          if (it.sku) out.set(it.sku, (out.get(it.sku) ?? 0) + (it.quantity ?? 0));
        }
      }
      return out;
    });
  }

  /**
   * How the stock flows see the integration's stock (ARCHITECTURE §4): the master (the enabled
   * stock flow; Ecwid when none is), its calculation, and what the master has not booked yet.
   */
  private async stockContext(l: RecordLoaders, integrationId: string): Promise<StockContext> {
    const enabled = await this.ds.manager.findBy(FlowConfigEntity, { integrationId, enabled: true });
    const flow = enabled.some((f) => f.kind === "STOCK_CCV_TO_ECWID")
      ? "STOCK_CCV_TO_ECWID"
      : enabled.some((f) => f.kind === "STOCK_ECWID_TO_CCV")
        ? "STOCK_ECWID_TO_CCV"
        : null;
    const masterSystem = flow === "STOCK_CCV_TO_ECWID" ? "CCV_SALESPOS" : "ECWID";
    const clients = await l.clients.load(integrationId);
    const [settings, openCheckouts, pending] = await Promise.all([
      loadSettings(this.ds, integrationId, flow ?? "STOCK_ECWID_TO_CCV"),
      this.openCheckouts(l, integrationId),
      pendingOrders({ ds: this.ds, integrationId, clients }, masterSystem),
    ]);
    return {
      master: flow ? masterSystem : null,
      masterSystem,
      calc: settings.stockCalculation,
      reserved: reservedBySku(pending),
      openCheckouts,
    };
  }

  private stockOf(
    sku: string,
    e: { product: Product; variant?: Variant } | undefined,
    c: { product: Product; variant?: Variant } | undefined,
    s: StockContext,
  ): StockLevelView {
    const eUnlimited = e ? (e.variant ? e.variant.unlimited : e.product.unlimited) : false;
    const eQty = e && !eUnlimited ? num(e.variant ? e.variant.quantity : e.product.quantity) : null;
    const cQty = c ? num(c.variant ? c.variant.quantity : c.product.quantity) : null;
    // reserved is what it is; only AVAILABLE_MINUS_RESERVED subtracts it (computeFigure)
    const r: Reserved | undefined = s.reserved.get(sku);
    const masterQty = s.masterSystem === "ECWID" ? eQty : cQty;
    const targetQty = s.masterSystem === "ECWID" ? cQty : eQty;
    const computed =
      masterQty === null
        ? null
        : num(
            forSide(
              sideOf(s.masterSystem === "ECWID" ? "CCV_SALESPOS" : "ECWID"),
              computeFigure(String(masterQty), r?.quantity ?? "0", s.calc),
            ),
          );
    return {
      sku,
      ecwid: eQty,
      ecwidUnlimited: eUnlimited,
      ccv: cQty,
      reserved: r ? num(r.quantity)! : 0,
      computed,
      inSync: computed !== null && targetQty !== null && computed === targetQty,
      master: s.master,
      reservedOrders: (r?.orders ?? []).map((o) => ({
        system: o.system,
        orderId: o.orderId,
        quantity: num(o.quantity)!,
        state: o.state,
        since: o.since,
        ageSeconds: Math.max(0, Math.floor((Date.now() - o.since.getTime()) / 1000)),
      })),
      ecwidOpenCheckouts: s.openCheckouts.get(sku) ?? 0,
    };
  }

  private async unify(l: RecordLoaders, integrationId: string, skus: string[]): Promise<ProductView[]> {
    const [{ e, c }, stock] = await Promise.all([
      this.catalogsOf(l, integrationId),
      this.stockContext(l, integrationId),
    ]);
    const out: ProductView[] = [];
    for (const sku of skus) {
      const eh = e.bySku.get(sku);
      const ch = c.bySku.get(sku);
      const ep = eh && !eh.variant ? eh.product : undefined;
      const cp = ch && !ch.variant ? ch.product : undefined;
      if (!ep && !cp) continue;
      const link = ep
        ? await l.links.load(`${integrationId}|PRODUCT:ECWID:${ep.id}`)
        : cp
          ? await l.links.load(`${integrationId}|PRODUCT:CCV_SALESPOS:${cp.id}`)
          : null;
      const er = ep ? productRecord(ep, e.currency) : null;
      const cr = cp ? productRecord(cp, c.currency) : null;
      const differences: ProductView["differences"] = [];
      if (er && cr) {
        for (const f of ["name", "ean", "description", "shortDescription", "quantity", "enabled"] as const) {
          if ((er[f] ?? null) !== (cr[f] ?? null))
            differences.push({ field: f, before: er[f] ?? null, after: cr[f] ?? null });
        }
        if (er.price?.amount !== cr.price?.amount)
          differences.push({
            field: "price",
            before: er.price?.amount ?? null,
            after: cr.price?.amount ?? null,
          });
      }
      const variantSkus = new Set<string>([
        ...(ep?.variants ?? []).map((v) => v.sku).filter((s): s is string => !!s && s !== sku),
        ...(cp?.variants ?? []).map((v) => v.sku).filter((s): s is string => !!s && s !== sku),
      ]);
      const variants = [...variantSkus].sort().map((vs) => {
        const ev = e.bySku.get(vs);
        const cv = c.bySku.get(vs);
        return {
          sku: vs,
          options: (ev?.variant ?? cv?.variant)?.options ?? [],
          ecwid: ev?.variant ? productRecord(ev.product, e.currency, ev.variant) : null,
          ccv: cv?.variant ? productRecord(cv.product, c.currency, cv.variant) : null,
          stock: this.stockOf(vs, ev, cv, stock),
        };
      });
      out.push({
        sku,
        name: (ep ?? cp)!.name,
        ecwid: er,
        ccv: cr,
        linked: !!link && (!ep || link.ecwidId === ep.id) && (!cp || link.ccvId === cp.id),
        differences,
        variants,
        stock: this.stockOf(sku, eh, ch, stock),
      });
    }
    return out;
  }

  async products(
    l: RecordLoaders,
    integrationId: string,
    search: string | undefined,
    first: number | undefined,
    after: string | undefined,
  ): Promise<Page<ProductView>> {
    const n = pageSize(first, 50);
    const pos = decodeCursor(after, z.object({ sku: cursorText }).strict());
    const { e, c } = await this.catalogsOf(l, integrationId);
    const q = search?.trim().toLowerCase();
    const productSkus = new Map<string, string>();
    for (const p of [...e.products, ...c.products])
      if (p.sku && !productSkus.has(p.sku)) productSkus.set(p.sku, p.name);
    const skus = [...productSkus.entries()]
      .filter(([sku, name]) => !q || sku.toLowerCase().includes(q) || name.toLowerCase().includes(q))
      .map(([sku]) => sku)
      .sort()
      .filter((sku) => !pos || sku > pos.sku);
    const page = skus.slice(0, n);
    const views = await this.unify(l, integrationId, page);
    const nodes = views.map((v) => ({ cursor: encodeCursor({ sku: v.sku }), node: v }));
    return { nodes, hasNextPage: skus.length > n, endCursor: nodes.at(-1)?.cursor ?? null };
  }

  async product(l: RecordLoaders, integrationId: string, sku: string): Promise<ProductView | null> {
    const { e, c } = await this.catalogsOf(l, integrationId);
    const hit = e.bySku.get(sku) ?? c.bySku.get(sku);
    if (!hit) return null;
    // a variant SKU answers with its product
    const productSku = hit.variant ? hit.product.sku : sku;
    return (await this.unify(l, integrationId, productSku ? [productSku] : []))[0] ?? null;
  }

  async stockLevels(l: RecordLoaders, integrationId: string, skus: string[]): Promise<StockLevelView[]> {
    if (skus.length > 500) throw badInput("stockLevels takes at most 500 SKUs per call.");
    const [{ e, c }, stock] = await Promise.all([
      this.catalogsOf(l, integrationId),
      this.stockContext(l, integrationId),
    ]);
    return skus.map((sku) => this.stockOf(sku, e.bySku.get(sku), c.bySku.get(sku), stock));
  }

  // ------------------------------------------------------------------ orders

  /**
   * Orders of both systems, newest first: the Ecwid orders (each with its linked CCV order) merged
   * with the CCV orders that are not linked (POS sales not synced yet). A linked pair appears once.
   */
  async orders(
    l: RecordLoaders,
    integrationId: string,
    first: number | undefined,
    after: string | undefined,
  ): Promise<Page<OrderView>> {
    const n = pageSize(first, 50, 100);
    const pos = decodeCursor(after, z.object({ e: cursorOffset, c: cursorOffset }).strict()) ?? {
      e: 0,
      c: 0,
    };
    const clients = await l.clients.load(integrationId);
    const profile = await clients.ecwid.getProfile();
    const ctx = ecwidMappingContext(profile);
    const [ePage, cPage] = await Promise.all([
      clients.ecwid.searchOrders({}, { offset: pos.e, limit: n }),
      clients.ccv.page<CcvOrder>("/orders", pos.c, { orderby: "create_date_desc" }, { size: n }),
    ]);
    const eOrders = ePage.items.map((o) => ({ kind: "e" as const, order: mapEcwidOrder(o, ctx) }));
    const cLinks = await Promise.all(
      cPage.items.map((o) => l.links.load(`${integrationId}|ORDER:CCV_SALESPOS:${o.id}`)),
    );
    const cOrders = cPage.items.map((o, i) => ({
      kind: "c" as const,
      order: ccvOrderToDomain(o),
      linked: !!cLinks[i],
    }));
    const merged = [...eOrders, ...cOrders.filter((x) => !x.linked)].sort(
      (a, b) => (b.order.createdAt?.getTime() ?? 0) - (a.order.createdAt?.getTime() ?? 0),
    );
    const taken = merged.slice(0, n);
    // each node's cursor is the position after it in both sources (linked CCV orders before it are
    // passed over: they appear with their Ecwid twin)
    let e = pos.e;
    let cUsed = 0;
    const nodes: Page<OrderView>["nodes"] = [];
    for (const x of taken) {
      if (x.kind === "e") e++;
      else cUsed = cOrders.indexOf(x) + 1;
      nodes.push({
        cursor: encodeCursor({ e, c: pos.c + cUsed }),
        node: await this.orderView(l, integrationId, x.order),
      });
    }
    const hasNextPage = merged.length > n || e < ePage.total || cPage.hasNext || cUsed < cPage.items.length;
    return { nodes, hasNextPage, endCursor: nodes.at(-1)?.cursor ?? null };
  }

  private async orderView(l: RecordLoaders, integrationId: string, o: Order): Promise<OrderView> {
    const link = await l.links.load(`${integrationId}|ORDER:${o.system}:${o.id}`);
    let ecwid: OrderRecordView | null = null;
    let ccv: OrderRecordView | null = null;
    if (o.system === "ECWID") {
      ecwid = orderRecord(o);
      if (link) {
        const co = await l.ccvOrders.load(`${integrationId}|${link.ccvId}`);
        ccv = co
          ? orderRecord(ccvOrderToDomain(co))
          : {
              system: "CCV_SALESPOS",
              id: link.ccvId,
              number: null,
              status: null,
              paymentStatus: null,
              total: null,
              createdAt: null,
            };
      }
    } else {
      ccv = orderRecord(o);
    }
    // the key names the record first seen: the origin of a linked pair
    const origin = link
      ? link.createdBy === "ECWID"
        ? `CCV_SALESPOS:${link.ccvId}`
        : `ECWID:${link.ecwidId}`
      : `${o.system}:${o.id}`;
    const last = await l.lastItems.load(`${integrationId}|${o.id}`);
    return {
      key: origin,
      email: o.email,
      billingAddress: address(o.billing),
      shippingAddress: address(o.shipping),
      lines: o.lines.map((x) => ({
        sku: x.sku,
        name: x.name,
        quantity: toNumber(x.quantity),
        unitPrice: { amount: x.unitPrice, currency: o.currency ?? "" },
        options: x.options,
      })),
      ecwid,
      ccv,
      linked: !!link,
      lastSync: last ? itemData(last) : null,
    };
  }

  // ------------------------------------------------------------------ customers

  /**
   * Customers of both systems joined by e-mail, sorted by e-mail: a customer in both appears once
   * with both records, CCV-only customers (POS accounts) and Ecwid-only ones appear too. Cursors
   * name the last e-mail seen, so they stay valid while customers are added on either side.
   * `email` matches part of the address, case-insensitively, in both systems alike.
   */
  async customers(
    l: RecordLoaders,
    integrationId: string,
    email: string | undefined,
    first: number | undefined,
    after: string | undefined,
  ): Promise<Page<CustomerView>> {
    const n = pageSize(first, 50, 100);
    const pos = decodeCursor(after, z.object({ email: z.string().max(320) }).strict());
    const clients = await l.clients.load(integrationId);
    const directory = await this.customerDirectory.get(integrationId, clients);
    const page = directoryPage(directory, {
      search: email,
      after: pos?.email,
      first: n,
    });
    const nodes: Page<CustomerView>["nodes"] = [];
    for (const e of page.entries) {
      const { ecwid: ec, ccv: cc } = e;
      const link = ec
        ? await l.links.load(`${integrationId}|CUSTOMER:ECWID:${ec.id}`)
        : await l.links.load(`${integrationId}|CUSTOMER:CCV_SALESPOS:${cc!.id}`);
      const record = (c: Customer): CustomerRecordView => ({
        system: c.system,
        id: c.id,
        name: c.name,
        companyName: c.companyName,
        isCompany: c.isCompany,
      });
      nodes.push({
        cursor: encodeCursor({ email: e.email }),
        node: {
          email: e.email,
          name: ec?.name ?? cc?.name ?? null,
          companyName: ec?.companyName ?? cc?.companyName ?? null,
          isCompany: !!ec?.isCompany || !!cc?.isCompany,
          ecwid: ec ? record(ec) : null,
          ccv: cc ? record(cc) : null,
          linked: !!link && (!ec || link.ecwidId === ec.id) && (!cc || link.ccvId === cc.id),
        },
      });
    }
    return { nodes, hasNextPage: page.hasNextPage, endCursor: nodes.at(-1)?.cursor ?? null };
  }
}
