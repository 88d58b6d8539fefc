import type { DataSource } from "typeorm";
import { dec, toDecimalString, type DecimalString } from "../../../domain/money";
import type {
  DiscoveredRecord,
  FlowDefinition,
  FlowRuntime,
  ItemResult,
  SourceRecord,
} from "../../engine/flow-definition";
import type { FlowKindName, SystemName } from "../../engine/flow-settings";
import { indexSnapshot, resolveBySku } from "./stock-resolve";
import {
  ordersOnTheirWay,
  pendingIds,
  pendingOrders,
  reservedBySku,
  type PendingOrder,
  type ReservationContext,
  type Reserved,
} from "./stock-reservations";
import {
  systemWords,
  type StockLine,
  type StockProduct,
  type StockSide,
  type StockWrite,
} from "./stock-sides";

/**
 * The two stock flows (ARCHITECTURE §4): one system is the stock master; per SKU (product or
 * variant) the other side gets the master's figure as an absolute figure — minus the reservations
 * with `AVAILABLE_MINUS_RESERVED` — and only when it differs from what the other side holds. No
 * hash-based echo skip: the figure is compared with the target's own, so 5 → 6 → 5 is written each
 * time it differs, and a write that changes nothing is never made.
 *
 * One item is one master product with its variants (a webhook names a product). A scheduled or
 * manual run reads both catalogues in pages and records only the products that differ.
 */

/** The source payload of an item: the master product as read, and the pending orders seen just before. */
interface StockPayload {
  product: StockProduct;
  /** set when the product was read for this item (fetchOne); a discovered one is read again */
  fresh?: boolean;
  /** the pending orders' ids read just before the product (to notice a booking in between) */
  pendingBefore?: string[];
}

interface Reservations {
  pending: PendingOrder[];
  bySku: Map<string, Reserved>;
  /** the master's own orders on their way to the target, by SKU */
  waiting: Map<string, PendingOrder[]>;
}

/** What the flow decided for one line of the master product. */
interface LinePlan {
  line: StockLine;
  /** where the line lives on the target side; absent when it is not there */
  target?: { product: StockProduct; line: StockLine };
  /** the figure the target should hold (null: the target should not track stock) */
  want: DecimalString | null;
  reserved: Reserved | null;
  op: "set" | "untrack" | null;
  note: string;
}

/** The database behind the runtime: reservations read the order flow's runs and items. */
function dbOf(rt: FlowRuntime): DataSource {
  if (!rt.db) throw new Error("The stock flows read reservations from the database; this runtime has none.");
  return rt.db;
}

const ctxOf = (rt: FlowRuntime): ReservationContext => ({
  ds: dbOf(rt),
  integrationId: rt.integrationId,
  clients: rt.clients,
});

/** The master's figure with the calculation applied (the figure for the target, before rounding). */
export function computeFigure(
  master: DecimalString,
  reserved: DecimalString,
  calc: "AVAILABLE" | "AVAILABLE_MINUS_RESERVED",
): DecimalString {
  if (calc === "AVAILABLE") return toDecimalString(master);
  const v = dec(master).minus(dec(reserved));
  return toDecimalString(v.isNegative() ? 0 : v);
}

/** Ecwid keeps whole numbers: a decimal figure is rounded down there (never more than there is). */
export const forSide = (side: StockSide, figure: DecimalString): DecimalString =>
  side.wholeNumbers ? toDecimalString(dec(figure).floor()) : toDecimalString(figure);

const same = (a: DecimalString | null, b: DecimalString | null): boolean =>
  a !== null && b !== null && dec(a).eq(dec(b));

function describeReserved(r: Reserved | null): string {
  if (!r || dec(r.quantity).isZero()) return "";
  const orders = r.orders
    .map((o) => `${systemWords(o.system)} order ${o.orderId} ${o.quantity} (${o.state.toLowerCase()})`)
    .join(", ");
  return ` − reserved ${r.quantity} (${orders})`;
}

export function defineStockFlow(args: {
  kind: FlowKindName;
  master: StockSide;
  target: StockSide;
  webhooks: { system: SystemName; events: string[] };
  cost: { requestsPerItem: number; lanePerMinute: number };
}): FlowDefinition {
  const { master, target } = args;
  const M = systemWords(master.system);
  const T = systemWords(target.system);

  /** the target product linked to a master product (PRODUCT link written by the product flows) */
  async function linkedProduct(rt: FlowRuntime, masterId: string): Promise<string | undefined> {
    const l =
      master.system === "ECWID"
        ? await rt.links.byEcwid("PRODUCT", masterId)
        : await rt.links.byCcv("PRODUCT", masterId);
    return l ? (master.system === "ECWID" ? l.ccvId : l.ecwidId) : undefined;
  }

  async function linkedVariant(rt: FlowRuntime, masterCombinationId: string): Promise<string | undefined> {
    const l =
      master.system === "ECWID"
        ? await rt.links.byEcwid("VARIANT", masterCombinationId)
        : await rt.links.byCcv("VARIANT", masterCombinationId);
    return l ? (master.system === "ECWID" ? l.ccvId : l.ecwidId) : undefined;
  }

  /** target products read once per item (or from the reconcile's snapshot) */
  type TargetReader = (id: string) => Promise<StockProduct | null>;

  /**
   * Where each master line lives on the target side: links first (PRODUCT for the product,
   * VARIANT for a variant), then the SKU.
   */
  async function matchLines(
    rt: FlowRuntime,
    product: StockProduct,
    readTarget: TargetReader,
  ): Promise<Map<StockLine, { product: StockProduct; line: StockLine } | string>> {
    const out = new Map<StockLine, { product: StockProduct; line: StockLine } | string>();
    const linkedId = await linkedProduct(rt, product.id);
    for (const line of product.lines) {
      if (!line.combinationId) {
        if (linkedId) {
          const tp = await readTarget(linkedId);
          const tl = tp?.lines.find((l) => !l.combinationId);
          out.set(line, tp && tl ? { product: tp, line: tl } : `its linked ${T} product ${linkedId} is gone`);
          continue;
        }
      } else {
        const linkedCombination = await linkedVariant(rt, line.combinationId);
        if (linkedCombination) {
          // the variant's product: the linked product, else the one the SKU finds
          const ids = linkedId
            ? [linkedId]
            : (await resolveBySku(rt, target.system, line.sku)).map((r) => r.productId);
          let found: { product: StockProduct; line: StockLine } | undefined;
          for (const id of ids) {
            const tp = await readTarget(id);
            const tl = tp?.lines.find((l) => l.combinationId === linkedCombination);
            if (tp && tl) found = { product: tp, line: tl };
          }
          if (found) {
            out.set(line, found);
            continue;
          }
        }
      }
      if (!line.sku) continue;
      // a simple product on one side may be a variant on the other: the same kind first, else any
      const all = await resolveBySku(rt, target.system, line.sku);
      const sameKind = all.filter((r) => !!r.combinationId === !!line.combinationId);
      const refs = sameKind.length > 0 ? sameKind : all;
      if (refs.length === 0) {
        out.set(line, `not in ${T}`);
        continue;
      }
      if (refs.length > 1) {
        out.set(line, `the SKU is used ${refs.length} times in ${T}; left as it is`);
        continue;
      }
      const tp = await readTarget(refs[0].productId);
      const tl = tp?.lines.find((l) =>
        refs[0].combinationId ? l.combinationId === refs[0].combinationId : !l.combinationId,
      );
      out.set(line, tp && tl ? { product: tp, line: tl } : `not in ${T}`);
    }
    return out;
  }

  function planLine(
    rt: FlowRuntime,
    product: StockProduct,
    line: StockLine,
    match: { product: StockProduct; line: StockLine } | string | undefined,
    res: Reservations,
  ): LinePlan {
    const base = { line, reserved: null, op: null, want: null } as LinePlan;
    if (match === undefined || typeof match === "string")
      return { ...base, note: `${line.sku}: ${match ?? `not in ${T}`}.` };
    const plan: LinePlan = { ...base, target: match, note: "" };
    const t = match.line;
    const tracked = t.tracked && match.product.tracked;
    if (!rt.settings.manageStock) {
      plan.op = tracked ? "untrack" : null;
      plan.note = tracked
        ? `${line.sku}: managing stock is off, so ${T} stops tracking it.`
        : `${line.sku}: managing stock is off and ${T} does not track it.`;
      return plan;
    }
    if (!line.tracked || line.quantity === null) {
      // unlimited on the master: the target does not track it either
      if (target.system === "CCV_SALESPOS" && t.combinationId && product.tracked) {
        plan.note = `${line.sku}: unlimited in ${M}, but ${T} tracks stock per product, not per variant; left as it is.`;
        return plan;
      }
      plan.op = tracked ? "untrack" : null;
      plan.note = tracked
        ? `${line.sku}: unlimited in ${M}, so ${T} stops tracking it.`
        : `${line.sku}: unlimited in ${M} and not tracked in ${T}.`;
      return plan;
    }
    const r =
      rt.settings.stockCalculation === "AVAILABLE_MINUS_RESERVED" ? (res.bySku.get(line.sku) ?? null) : null;
    const computed = computeFigure(line.quantity, r?.quantity ?? "0", rt.settings.stockCalculation);
    const want = forSide(target, computed);
    plan.want = want;
    plan.reserved = r;
    const why = `${M} ${line.quantity}${describeReserved(r)} = ${computed}${want !== computed ? ` (${want} in ${T}: whole numbers only)` : ""}`;
    if (tracked && same(t.quantity, want)) {
      plan.note = `${line.sku}: ${why}; ${T} has it already.`;
      return plan;
    }
    const waiting = res.waiting.get(line.sku);
    if (waiting) {
      // booking it there moves the target's stock as well: written once it has landed
      plan.note = `${line.sku}: ${why}; ${T} has ${tracked ? (t.quantity ?? "none") : "no tracked stock"}, but ${waiting.map((o) => `${M} order ${o.orderId}`).join(", ")} is on its way to ${T} and moves its stock when booked, so the figure is written after that.`;
      return plan;
    }
    plan.op = "set";
    plan.note = `${line.sku}: ${why}; ${T} had ${tracked ? (t.quantity ?? "none") : "no tracked stock"}.`;
    return plan;
  }

  async function plan(
    rt: FlowRuntime,
    product: StockProduct,
    readTarget: TargetReader,
    res: Reservations,
  ): Promise<LinePlan[]> {
    const matches = await matchLines(rt, product, readTarget);
    // the master product's own line without a SKU and without a link has nothing to go by
    return product.lines
      .filter((l) => l.sku !== "" || matches.has(l))
      .map((l) => planLine(rt, product, l, matches.get(l), res));
  }

  const reservations = async (rt: FlowRuntime): Promise<Reservations> => {
    const onTheirWay = await ordersOnTheirWay(ctxOf(rt), master.system);
    const waiting = new Map<string, PendingOrder[]>();
    for (const o of onTheirWay)
      for (const l of o.lines) waiting.set(l.sku, [...(waiting.get(l.sku) ?? []), o]);
    if (rt.settings.stockCalculation !== "AVAILABLE_MINUS_RESERVED")
      return { pending: [], bySku: new Map(), waiting };
    const pending = await pendingOrders(ctxOf(rt), master.system);
    return { pending, bySku: reservedBySku(pending), waiting };
  };

  const toRecord = (p: StockProduct, extra: Omit<StockPayload, "product"> = {}): SourceRecord => ({
    id: p.id,
    entity: "STOCK",
    sku: p.sku ?? p.lines.find((l) => l.sku)?.sku ?? null,
    payload: { product: p, ...extra } satisfies StockPayload,
  });

  return {
    kind: args.kind,
    entity: "STOCK",
    source: master.system,
    target: target.system,
    cost: args.cost,
    webhooks: args.webhooks,
    defaultMappings: [],

    /**
     * A reconcile: both sides read whole, in pages (reads only), and only the products whose
     * figures differ become items; each is read again before it is written.
     */
    async *discover(rt, opts): AsyncIterable<DiscoveredRecord> {
      const masters: StockProduct[] = [];
      for await (const p of master.all(rt.clients)) masters.push(p);
      const targets: StockProduct[] = [];
      for await (const p of target.all(rt.clients)) targets.push(p);
      indexSnapshot(rt, target.system, targets);
      const byId = new Map(targets.map((p) => [p.id, p]));
      const res = await reservations(rt);
      const differing: StockProduct[] = [];
      for (const p of masters) {
        const plans = await plan(rt, p, async (id) => byId.get(id) ?? null, res);
        if (plans.some((x) => x.op !== null)) differing.push(p);
      }
      opts.setExpectedTotal(differing.length);
      for (const p of differing) yield { record: toRecord(p) };
    },

    async fetchOne(rt, sourceId) {
      const before = await reservations(rt);
      const p = await master.read(rt.clients, sourceId);
      return p ? toRecord(p, { fresh: true, pendingBefore: pendingIds(before.pending) }) : null;
    },

    async syncItem(rt, record): Promise<ItemResult> {
      const given = record.payload as StockPayload;
      let before = given.pendingBefore;
      let product: StockProduct | null = given.fresh ? given.product : null;
      let res = await reservations(rt);
      // An order booked into the master between the reservations and the master's read would be
      // counted twice or not at all: read again until both agree (a booking takes one step).
      for (let i = 0; i < 3 && (product === null || bookedMeanwhile(before, res.pending)); i++) {
        before = pendingIds(res.pending);
        product = await master.read(rt.clients, record.id);
        if (!product) break;
        res = await reservations(rt);
      }
      if (!product) return { action: "SKIP", reason: `The product no longer exists in ${M}.` };

      const targets = new Map<string, Promise<StockProduct | null>>();
      const readTarget: TargetReader = (id) => {
        let p = targets.get(id);
        if (!p) {
          p = target.read(rt.clients, id);
          targets.set(id, p);
        }
        return p;
      };
      const plans = await plan(rt, product, readTarget, res);
      const todo = plans.filter((p) => p.op !== null);
      const sku = product.sku ?? plans[0]?.line.sku ?? null;
      const targetIds = [...new Set(plans.flatMap((p) => (p.target ? [p.target.product.id] : [])))];
      const reason = plans.map((p) => p.note).join(" ") || `No SKU to match in ${T}.`;
      const sourcePayload = {
        product,
        reserved: Object.fromEntries(plans.filter((p) => p.reserved).map((p) => [p.line.sku, p.reserved])),
      };
      if (todo.length === 0)
        return { action: "SKIP", sku, targetId: targetIds.join(",") || null, reason, sourcePayload };

      const sent = todo.map((p) =>
        p.op === "set" ? { sku: p.line.sku, stock: p.want } : { sku: p.line.sku, trackStock: false },
      );
      const changes = todo.map((p) => ({
        field: `stock[${p.line.sku}]`,
        before: p.target!.line.tracked && p.target!.product.tracked ? p.target!.line.quantity : "not tracked",
        after: p.op === "set" ? p.want : "not tracked",
      }));
      if (!rt.dryRun) {
        const done: StockWrite[] = [];
        for (const p of todo) {
          const t = p.target!;
          done.push(
            p.op === "set"
              ? await target.write(rt, t.product, t.line, p.want!)
              : await target.untrack(rt, t.product, t.line),
          );
        }
        const concurrent = done.filter((d) => d.concurrentChange);
        if (concurrent.length > 0) {
          return {
            action: "UPDATE",
            sku,
            targetId: targetIds.join(","),
            changes,
            sentPayload: sent,
            sourcePayload,
            reason: `${reason} A sale in ${T} between the read and the write was kept: ${concurrent.map((c) => `${c.sku} now ${c.after}`).join(", ")}.`,
          };
        }
      }
      return {
        action: "UPDATE",
        sku,
        targetId: targetIds.join(","),
        changes,
        sentPayload: sent,
        sourcePayload,
        reason,
      };
    },
  };
}

/** an order pending before the read is no longer pending after it: it was booked in between */
function bookedMeanwhile(before: string[] | undefined, after: PendingOrder[]): boolean {
  if (!before) return true;
  const now = new Set(pendingIds(after));
  return before.some((id) => !now.has(id));
}
