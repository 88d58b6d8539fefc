import { parseEcwidDate } from "../../connectors/ecwid/ecwid.dates";
import type { EcwidCustomer, EcwidOrder, EcwidProduct } from "../../connectors/ecwid/ecwid.types";
import {
  ECWID_DATE_BOUNDS_INCLUSIVE,
  ECWID_HIDDEN_BY_DEFAULT_PAYMENT_STATUS,
  ECWID_LIMIT_ABOVE_MAX_IS_CLAMPED,
  ECWID_ORDERS_NEWEST_FIRST,
  ECWID_PAGE_LIMIT,
} from "../../connectors/ecwid/ecwid.vendor-facts";
import { EcwidApiError, wrongParameter, type EcwidSandboxStore } from "./ecwid.sandbox-store";

/**
 * The Ecwid sandbox's REST routes under /api/v3/{storeId}: query parsing (filters, booleans, both
 * date forms, paging with the 100 cap) and the mapping of each endpoint onto the store. Auth,
 * limits, content types, scopes, batch and faults are the server's job.
 */

export interface RouteRequest {
  method: string;
  /** path relative to /api/v3/{storeId}, without the query string */
  path: string;
  query: Record<string, string>;
  /** parsed JSON body, undefined when empty */
  body: unknown;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

type Query = Record<string, string>;

// ------------------------------------------------------------------ query parsing

const BOOL_VALUES: Record<string, boolean> = {
  true: true,
  yes: true,
  on: true,
  "1": true,
  false: false,
  no: false,
  off: false,
  "0": false,
};

/** §2.2: the documented answer to a bad boolean. */
function bool(q: Query, name: string): boolean | undefined {
  const v = q[name];
  if (v === undefined || v === "") return undefined;
  const b = BOOL_VALUES[v.toLowerCase()];
  if (b === undefined) {
    throw wrongParameter(
      `Wrong parameter '${name}' value: expected one of 'true', 'false', 'yes', 'no', 'on', 'off', '1', '0'`,
    );
  }
  return b;
}

function int(q: Query, name: string): number | undefined {
  const v = q[name];
  if (v === undefined || v === "") return undefined;
  if (!/^-?\d+$/.test(v)) throw wrongParameter(`Wrong parameter '${name}' value`);
  return Number(v);
}

function num(q: Query, name: string): number | undefined {
  const v = q[name];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw wrongParameter(`Wrong parameter '${name}' value`);
  return n;
}

function list(q: Query, name: string): string[] | undefined {
  const v = q[name];
  if (v === undefined || v === "") return undefined;
  return v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function intList(q: Query, name: string): number[] | undefined {
  const l = list(q, name);
  if (!l) return undefined;
  return l.map((s) => {
    if (!/^\d+$/.test(s)) throw wrongParameter(`Wrong parameter '${name}' value`);
    return Number(s);
  });
}

/** §13: unix seconds or "yyyy-MM-dd HH:mm:ss Z" / "yyyy-MM-dd HH:mm:ss" / "yyyy-MM-dd"; → unix seconds. */
function time(q: Query, name: string): number | undefined {
  const v = q[name];
  if (v === undefined || v === "") return undefined;
  const d = parseEcwidDate(v);
  if (!d) throw wrongParameter(`Wrong parameter '${name}' value`);
  return Math.floor(d.getTime() / 1000);
}

/** Both bounds inclusive (INFERRED, vendor facts). */
function within(t: number, from: number | undefined, to: number | undefined): boolean {
  if (ECWID_DATE_BOUNDS_INCLUSIVE) return (from === undefined || t >= from) && (to === undefined || t <= to);
  return (from === undefined || t > from) && (to === undefined || t < to);
}

/** §2.1 envelope; limit default and maximum 100 (above: clamped and echoed as 100, INFERRED). */
export function paged<T>(items: T[], q: Query, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const offset = int(q, "offset") ?? 0;
  let limit = int(q, "limit") ?? ECWID_PAGE_LIMIT;
  if (offset < 0) throw wrongParameter("Wrong parameter 'offset' value");
  if (limit < 0) throw wrongParameter("Wrong parameter 'limit' value");
  if (limit > ECWID_PAGE_LIMIT) {
    if (!ECWID_LIMIT_ABOVE_MAX_IS_CLAMPED) throw wrongParameter("Wrong parameter 'limit' value");
    limit = ECWID_PAGE_LIMIT;
  }
  const page = items.slice(offset, offset + limit);
  return { total: items.length, count: page.length, offset, limit, items: page, ...extra };
}

const contains = (hay: string | undefined, needle: string) => (hay ?? "").toLowerCase().includes(needle);

// ------------------------------------------------------------------ responseFields (§1.1)

type FieldTree = Map<string, FieldTree | null>;

/** "total,items(id,name,price)" → a tree of kept keys. */
export function parseResponseFields(spec: string): FieldTree {
  let i = 0;
  const parse = (): FieldTree => {
    const out: FieldTree = new Map();
    let name = "";
    const flush = (sub: FieldTree | null) => {
      const n = name.trim();
      if (n) out.set(n, sub);
      name = "";
    };
    while (i < spec.length) {
      const ch = spec[i++];
      if (ch === "(") flush(parse());
      else if (ch === ")") break;
      else if (ch === ",") flush(null);
      else name += ch;
    }
    flush(null);
    return out;
  };
  return parse();
}

export function applyResponseFields(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) return value.map((v) => applyResponseFields(v, tree));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, sub] of tree) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    out[k] = sub ? applyResponseFields(v, sub) : v;
  }
  return out;
}

// ------------------------------------------------------------------ routes

const ok = (body: unknown): RouteResult => ({ status: 200, body });

export class EcwidSandboxRoutes {
  constructor(private readonly store: EcwidSandboxStore) {}

  /** Answers one request; throws EcwidApiError for Ecwid's error answers. */
  handle(r: RouteRequest): RouteResult {
    const seg = r.path.split("/").filter(Boolean);
    const m = r.method;
    const [root, a, b, c, d] = seg;
    const q = r.query;
    const s = this.store;
    const id = (v: string, what: string) => {
      if (!/^\d+$/.test(v)) throw wrongParameter(`Wrong parameter '${what}' value`);
      return Number(v);
    };

    switch (root) {
      case "profile":
        if (m === "GET" && seg.length === 1) return ok(s.profile);
        break;
      case "latest-stats":
        if (m === "GET" && seg.length === 1)
          return ok(
            s.latestStats({
              productCount: bool(q, "productCountRequired"),
              categoryCount: bool(q, "categoryCountRequired"),
            }),
          );
        break;
      case "products":
        if (a === "deleted" && seg.length === 2 && m === "GET")
          return ok(paged(s.deletedItems("products", time(q, "from_date"), time(q, "to_date")), q));
        if (seg.length === 1) {
          if (m === "GET") return ok(paged(this.searchProducts(q), q));
          if (m === "POST")
            return ok({ id: s.createProduct(r.body, { saveCombinations: bool(q, "saveCombinations") }) });
          break;
        }
        {
          const pid = id(a, "productId");
          if (seg.length === 2) {
            if (m === "GET") return ok(s.getProduct(pid));
            if (m === "PUT") {
              const updateCount = s.updateProduct(pid, r.body, {
                saveCombinations: bool(q, "saveCombinations"),
              });
              return ok(bool(q, "returnItem") ? { updateCount, item: s.getProduct(pid) } : { updateCount });
            }
            if (m === "DELETE") return ok({ deleteCount: s.deleteProduct(pid) });
          }
          if (b === "inventory" && seg.length === 3 && m === "PUT")
            return ok(s.adjustProductInventory(pid, r.body));
          if (b === "combinations") {
            if (seg.length === 3) {
              if (m === "GET") return ok(s.getCombinations(pid));
              if (m === "POST") return ok({ id: s.createCombination(pid, r.body) });
              if (m === "DELETE") return ok({ deleteCount: s.deleteAllCombinations(pid) });
            }
            if (seg.length >= 4) {
              const cid = id(c, "combinationId");
              if (seg.length === 4) {
                if (m === "GET") return ok(s.getCombination(pid, cid));
                if (m === "PUT") return ok({ updateCount: s.updateCombination(pid, cid, r.body) });
                if (m === "DELETE") return ok({ deleteCount: s.deleteCombination(pid, cid) });
              }
              if (d === "inventory" && seg.length === 5 && m === "PUT")
                return ok(s.adjustCombinationInventory(pid, cid, r.body));
            }
          }
        }
        break;
      case "categories":
        if (seg.length === 1) {
          if (m === "GET") {
            const withIds = bool(q, "productIds") === true;
            return ok(
              paged(
                this.searchCategories(q).map((row) => s.renderCategory(row, withIds)),
                q,
              ),
            );
          }
          if (m === "POST") return ok({ id: s.createCategory(r.body) });
          break;
        }
        if (seg.length === 2) {
          const cid = id(a, "categoryId");
          if (m === "GET") return ok(s.getCategory(cid, bool(q, "productIds") === true));
          if (m === "PUT") return ok({ updateCount: s.updateCategory(cid, r.body) });
          if (m === "DELETE") return ok({ deleteCount: s.deleteCategory(cid) });
        }
        break;
      case "orders":
        if (a === "deleted" && seg.length === 2 && m === "GET")
          return ok(paged(s.deletedItems("orders", time(q, "from_date"), time(q, "to_date")), q));
        if (seg.length === 1) {
          if (m === "GET") return ok(paged(this.searchOrders(q), q));
          if (m === "POST") return ok(s.createOrder(r.body));
          break;
        }
        if (seg.length === 2) {
          const key = decodeURIComponent(a);
          if (m === "GET") return ok(s.getOrder(key));
          if (m === "PUT") return ok({ updateCount: s.updateOrder(key, r.body) });
          if (m === "DELETE") return ok({ deleteCount: s.deleteOrder(key) });
        }
        break;
      case "customers":
        if (a === "deleted" && seg.length === 2 && m === "GET")
          return ok(paged(s.deletedItems("customers", time(q, "from_date"), time(q, "to_date")), q));
        if (seg.length === 1) {
          if (m === "GET") {
            const items = this.searchCustomers(q).map((c) => ({
              ...c,
              totalOrderCount: s.orderCountOf(c.id),
            }));
            return ok(paged(items, q, { allCustomerCount: s.customerRows().length }));
          }
          if (m === "POST") return ok({ id: s.createCustomer(r.body) });
          break;
        }
        if (seg.length === 2) {
          const cid = id(a, "customerId");
          if (m === "GET") return ok(s.getCustomer(cid));
          if (m === "PUT") return ok({ updateCount: s.updateCustomer(cid, r.body) });
          if (m === "DELETE") return ok({ deleteCount: s.deleteCustomer(cid) });
        }
        break;
    }
    if (this.knownPath(seg))
      throw new EcwidApiError(405, `Method ${m} is not allowed for ${r.path}`, "METHOD_NOT_ALLOWED");
    throw new EcwidApiError(404, `Resource ${r.path} not found`);
  }

  private knownPath(seg: string[]): boolean {
    return ["profile", "latest-stats", "products", "categories", "orders", "customers"].includes(
      seg[0] ?? "",
    );
  }

  // ---------------------------------------------------------------- product search (§2.2)

  private searchProducts(q: Query): EcwidProduct[] {
    const s = this.store;
    let rows = s.productRows();
    const ids = intList(q, "productId");
    const sku = q.sku;
    if (ids) {
      // with productId every other filter is ignored
      rows = rows.filter((r) => ids.includes(r.data.id));
    } else if (sku !== undefined && sku !== "") {
      // exact product or variation SKU; other filters ignored
      rows = rows.filter((r) => r.data.sku === sku || (r.data.combinations ?? []).some((c) => c.sku === sku));
    } else {
      const keyword = q.keyword?.replace(/\*$/, "").trim().toLowerCase();
      const category = int(q, "category");
      const categories = intList(q, "categories");
      const subcats = bool(q, "includeProductsFromSubcategories") ?? bool(q, "withSubcategories") ?? false;
      const priceFrom = num(q, "priceFrom");
      const priceTo = num(q, "priceTo");
      const createdFrom = time(q, "createdFrom");
      const createdTo = time(q, "createdTo");
      const updatedFrom = time(q, "updatedFrom");
      const updatedTo = time(q, "updatedTo");
      const enabled = bool(q, "enabled");
      const inStock =
        bool(q, "inStock") ??
        (q.inventory === "instock" ? true : q.inventory === "outofstock" ? false : undefined);
      const wanted = category !== undefined ? [category] : categories;
      rows = rows.filter((r) => {
        const p = r.data;
        if (keyword) {
          const texts = [p.name, p.description, p.sku, ...(p.combinations ?? []).map((c) => c.sku)];
          texts.push(
            ...(p.options ?? []).flatMap((o) => [o.name, ...(o.choices ?? []).map((ch) => ch.text)]),
          );
          texts.push(...(p.attributes ?? []).filter((x) => x.show !== "NOTSHOW").map((x) => x.value));
          if (!texts.some((t) => contains(t, keyword))) return false;
        }
        if (wanted) {
          const cats = p.categoryIds ?? [];
          const match = wanted.some((w) =>
            // category 0 = the store front page: products in no category (§2.2, §6.2)
            w === 0 ? cats.length === 0 : cats.some((cid) => (subcats ? s.inSubtree(cid, w) : cid === w)),
          );
          if (!match) return false;
        }
        if (priceFrom !== undefined && (p.price ?? 0) < priceFrom) return false;
        if (priceTo !== undefined && (p.price ?? 0) > priceTo) return false;
        if (!within(r.created, createdFrom, createdTo) || !within(r.updated, updatedFrom, updatedTo))
          return false;
        if (enabled !== undefined && (p.enabled !== false) !== enabled) return false;
        if (inStock !== undefined && s.renderProduct(r).inStock !== inStock) return false;
        if (q.externalReferenceId !== undefined && p.externalReferenceId !== q.externalReferenceId)
          return false;
        return true;
      });
      rows = sortRows(rows, q.sortBy, {
        ADDED_TIME: (r) => r.created,
        UPDATED_TIME: (r) => r.updated,
        NAME: (r) => r.data.name.toLowerCase(),
        PRICE: (r) => r.data.price ?? 0,
      });
    }
    return rows.map((r) => s.renderProduct(r));
  }

  // ---------------------------------------------------------------- categories (§2.5)

  private searchCategories(q: Query) {
    const s = this.store;
    const parent = int(q, "parent");
    const parentIds = intList(q, "parentIds");
    const categoryIds = intList(q, "categoryIds");
    const withSub = bool(q, "withSubcategories") ?? false;
    const hidden = bool(q, "hidden_categories") ?? false;
    const keyword = q.keyword?.trim().toLowerCase();
    const parents =
      parent !== undefined || parentIds
        ? [...(parent !== undefined ? [parent] : []), ...(parentIds ?? [])]
        : undefined;
    return s
      .categoryRows()
      .filter((r) => {
        const c = r.data;
        // only enabled categories unless hidden_categories=true (§2.5)
        if (!hidden && c.enabled === false) return false;
        if (categoryIds && !categoryIds.includes(c.id)) return false;
        if (keyword && !contains(c.name, keyword) && !contains(c.description, keyword)) return false;
        if (parents) {
          const pid = c.parentId ?? 0;
          const match = parents.some((p) =>
            withSub ? (p === 0 ? true : c.id !== p && s.inSubtree(c.id, p)) : pid === p,
          );
          if (!match) return false;
        }
        return true;
      })
      .sort((x, y) => (x.data.orderBy ?? 0) - (y.data.orderBy ?? 0) || x.data.id - y.data.id);
  }

  // ---------------------------------------------------------------- orders (§2.3)

  private searchOrders(q: Query): EcwidOrder[] {
    const s = this.store;
    let rows = s.orderRows();
    const orderNumbers = list(q, "orderNumber");
    if (orderNumbers) {
      // with orderNumber every other filter is ignored (§2.3)
      rows = rows.filter((r) => orderNumbers.includes(String(r.data.orderNumber ?? r.internalId)));
    } else {
      const ids = list(q, "ids");
      const idRows = ids ? new Set(ids.map((k) => s.findOrder(k)).filter((r) => r !== undefined)) : undefined;
      const paymentStatus = list(q, "paymentStatus");
      const fulfillmentStatus = list(q, "fulfillmentStatus");
      const email = q.email?.trim().toLowerCase();
      const customerId = int(q, "customerId");
      const productIds = intList(q, "productId");
      const totalFrom = num(q, "totalFrom");
      const totalTo = num(q, "totalTo");
      const createdFrom = time(q, "createdFrom");
      const createdTo = time(q, "createdTo");
      const updatedFrom = time(q, "updatedFrom");
      const updatedTo = time(q, "updatedTo");
      const keywords = q.keywords?.trim().toLowerCase();
      rows = rows.filter((r) => {
        const o = r.data;
        if (idRows && !idRows.has(r)) return false;
        // without a paymentStatus filter unfinished checkouts are hidden (§2.3)
        if (
          paymentStatus
            ? !paymentStatus.includes(o.paymentStatus ?? "")
            : o.paymentStatus === ECWID_HIDDEN_BY_DEFAULT_PAYMENT_STATUS
        )
          return false;
        if (fulfillmentStatus && !fulfillmentStatus.includes(o.fulfillmentStatus ?? "")) return false;
        if (email !== undefined && (o.email ?? "").trim().toLowerCase() !== email) return false;
        if (customerId !== undefined && o.customerId !== customerId) return false;
        if (
          productIds &&
          !(o.items ?? []).some((i) => i.productId !== undefined && productIds.includes(i.productId))
        )
          return false;
        if (totalFrom !== undefined && (o.total ?? 0) < totalFrom) return false;
        if (totalTo !== undefined && (o.total ?? 0) > totalTo) return false;
        if (!within(r.created, createdFrom, createdTo) || !within(r.updated, updatedFrom, updatedTo))
          return false;
        if (q.paymentMethod !== undefined && o.paymentMethod !== q.paymentMethod) return false;
        if (keywords) {
          const texts = [
            o.id,
            String(r.internalId),
            o.email,
            o.billingPerson?.name,
            o.shippingPerson?.name,
            o.privateAdminNotes,
            o.trackingNumber,
          ];
          texts.push(...(o.items ?? []).flatMap((i) => [i.sku, i.name]));
          if (!texts.some((t) => contains(t, keywords))) return false;
        }
        return true;
      });
    }
    // order search has no documented sort: newest first (INFERRED)
    const dir = ECWID_ORDERS_NEWEST_FIRST ? -1 : 1;
    rows.sort((x, y) => dir * (x.created - y.created || x.internalId - y.internalId));
    return rows.map((r) => s.renderOrder(r));
  }

  // ---------------------------------------------------------------- customers (§2.4)

  private searchCustomers(q: Query): EcwidCustomer[] {
    const s = this.store;
    const email = q.email?.trim().toLowerCase();
    const exact = bool(q, "useExactEmailMatch") ?? false;
    const keyword = q.keyword?.trim().toLowerCase();
    const name = q.name?.trim().toLowerCase();
    const createdFrom = time(q, "createdFrom");
    const createdTo = time(q, "createdTo");
    const updatedFrom = time(q, "updatedFrom");
    const updatedTo = time(q, "updatedTo");
    const groupIds =
      intList(q, "customerGroupIds") ??
      (int(q, "customerGroup") !== undefined ? [int(q, "customerGroup") as number] : undefined);
    let rows = s.customerRows().filter((r) => {
      const c = r.data;
      if (email !== undefined && (exact ? c.email.trim().toLowerCase() !== email : !contains(c.email, email)))
        return false;
      if (keyword && !contains(c.email, keyword) && !contains(c.name, keyword)) return false;
      if (name && !contains(c.billingPerson?.name ?? c.name, name)) return false;
      if (q.companyName && !contains(c.billingPerson?.companyName, q.companyName.toLowerCase())) return false;
      if (q.phone && !contains(c.billingPerson?.phone, q.phone.toLowerCase())) return false;
      if (q.city && !contains(c.billingPerson?.city, q.city.toLowerCase())) return false;
      if (q.postalCode && (c.billingPerson?.postalCode ?? "") !== q.postalCode) return false;
      if (q.countryCodes && !(list(q, "countryCodes") ?? []).includes(c.billingPerson?.countryCode ?? ""))
        return false;
      if (groupIds && !groupIds.includes(c.customerGroupId ?? 0)) return false;
      if (!within(r.created, createdFrom, createdTo) || !within(r.updated, updatedFrom, updatedTo))
        return false;
      return true;
    });
    rows = sortRows(rows, q.sortBy ?? "NAME_ASC", {
      NAME: (r) => (r.data.name ?? "").toLowerCase(),
      EMAIL: (r) => r.data.email.toLowerCase(),
      REGISTERED_DATE: (r) => r.created,
      UPDATED_DATE: (r) => r.updated,
      ORDER_COUNT: (r) => s.orderCountOf(r.data.id),
    });
    return rows.map((r) => s.renderCustomer(r));
  }
}

/** Sorts by `<KEY>_ASC|_DESC` when the key is known; the store order otherwise. */
function sortRows<R>(
  rows: R[],
  sortBy: string | undefined,
  keys: Record<string, (r: R) => string | number>,
): R[] {
  const m = /^(.*)_(ASC|DESC)$/.exec(sortBy ?? "");
  const key = m ? keys[m[1]] : undefined;
  if (!m || !key) return rows;
  const dir = m[2] === "DESC" ? -1 : 1;
  return [...rows].sort((x, y) => {
    const a = key(x);
    const b = key(y);
    return dir * (a < b ? -1 : a > b ? 1 : 0);
  });
}
