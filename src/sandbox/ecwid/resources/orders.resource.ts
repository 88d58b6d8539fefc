import { formatEcwidDate, parseEcwidDate } from "../../../connectors/ecwid/ecwid.dates";
import type { EcwidOrder, EcwidOrderItem, EcwidSelectedOption } from "../../../connectors/ecwid/ecwid.types";
import {
  ECWID_API_CANCEL_RESTOCKS,
  ECWID_DOCUMENTED_MESSAGES as DOC,
  ECWID_FULFILLMENT_STATUSES,
  ECWID_HIDDEN_BY_DEFAULT_PAYMENT_STATUS,
  ECWID_ORDERS_NEWEST_FIRST,
  ECWID_PAYMENT_STATUSES,
} from "../../../connectors/ecwid/ecwid.vendor-facts";
import { contains, int, intList, list, num, paged, time, within, type Query } from "../ecwid.query";
import type { EcwidSandboxStore } from "../ecwid.store";
import { EcwidTable, ok, toSeconds, type EcwidRouter, type Row } from "../ecwid.table";
import {
  checkFields,
  clone,
  EcwidApiError,
  isObj,
  requireObject,
  wrongParameter,
  type Json,
} from "../ecwid.validate";
import { withDerivedNames } from "./customers.resource";
import type { StockLine } from "./inventory.resource";

/**
 * Orders (§8) and their search (§2.3): string ids with the store's prefix and suffix besides the
 * internal id and the order number (§8.1), a create that calculates nothing (§8.6), partial
 * updates with replace-all items (§8.5), the stock moves of §8.7, the customer attached by e-mail,
 * and unfinished checkouts (INCOMPLETE) as their own webhook family until paid (§11.3).
 */

export interface OrderRow extends Row<EcwidOrder> {
  /** base string id, without the store prefix/suffix */
  baseId: string;
  internalId: number;
  /** "applied": the order took stock; "restocked": a cancel gave it back; "none": it never moved stock */
  stock: "none" | "applied" | "restocked";
  stockLines: StockLine[];
}

/** order fields the store sets itself (ids, dates, items): a request body never copies them verbatim */
const ORDER_FIELDS_SET_BY_STORE = new Set([
  "id",
  "internalId",
  "orderNumber",
  "vendorOrderNumber",
  "publicUid",
  "items",
  "createDate",
  "updateDate",
  "createTimestamp",
  "updateTimestamp",
]);

export class EcwidOrders extends EcwidTable<OrderRow> {
  private nextId = 500_000_001;
  private nextItemId = 1_800_000_001;

  constructor(store: EcwidSandboxStore) {
    super(store, (id) => new EcwidApiError(404, DOC.orderNotFound(id), "ORDER_NOT_FOUND"));
  }

  seed(o: EcwidOrder): void {
    const data = clone(o);
    const internalId = o.internalId ?? o.orderNumber ?? this.nextId;
    const { prefix, suffix } = this.store.profile.orderAffixes();
    let baseId = o.id;
    if (prefix && baseId.startsWith(prefix)) baseId = baseId.slice(prefix.length);
    if (suffix && baseId.endsWith(suffix)) baseId = baseId.slice(0, -suffix.length);
    const created = o.createTimestamp ?? toSeconds(o.createDate) ?? this.store.now();
    const updated = o.updateTimestamp ?? toSeconds(o.updateDate) ?? created;
    this.set(internalId, {
      data,
      baseId,
      internalId,
      created,
      updated,
      stock: "none",
      stockLines: [],
    });
    this.nextId = Math.max(this.nextId, internalId + 1);
    for (const i of data.items ?? []) if (i.id) this.nextItemId = Math.max(this.nextItemId, i.id + 1);
  }

  /** `{orderId}` in a path or `ids`: the string id with or without prefix/suffix, the internal id or the order number (§8.1). */
  find(key: string): OrderRow | undefined {
    const k = key.trim().toUpperCase();
    const { prefix, suffix } = this.store.profile.orderAffixes();
    for (const row of this.values()) {
      const full = this.fullOrderId(row).toUpperCase();
      const forms = [
        full,
        row.baseId.toUpperCase(),
        String(row.internalId),
        String(row.data.orderNumber ?? row.internalId),
      ];
      if (forms.includes(k)) return row;
      if ((prefix || suffix) && `${prefix}${k}${suffix}`.toUpperCase() === full) return row;
    }
    return undefined;
  }

  /** The order for any of its keys (§8.1), or Ecwid's 404. */
  rowByKey(key: string): OrderRow {
    const row = this.find(key);
    if (!row) throw this.notFound(key);
    return row;
  }

  private fullOrderId(row: OrderRow): string {
    if (row.data.id !== undefined && row.data.id !== row.baseId) return row.data.id;
    const { prefix, suffix } = this.store.profile.orderAffixes();
    return `${prefix}${row.baseId}${suffix}`;
  }

  private newBaseOrderId(): string {
    const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (;;) {
      let id = "";
      for (let i = 0; i < 5; i++) id += alphabet[Math.floor(Math.random() * alphabet.length)];
      if (![...this.values()].some((o) => o.baseId === id)) return id;
    }
  }

  private checkStatus(field: "paymentStatus" | "fulfillmentStatus", v: unknown): void {
    if (v === undefined) return;
    if (field === "paymentStatus" && v === "QUEUED") throw wrongParameter(DOC.queuedDeprecated);
    const allowed: readonly string[] =
      field === "paymentStatus" ? ECWID_PAYMENT_STATUSES : ECWID_FULFILLMENT_STATUSES;
    if (typeof v !== "string" || !allowed.includes(v))
      throw wrongParameter(`Wrong value of field '${field}': ${String(v)}`);
  }

  /** Items as stored: ids kept or assigned, selected options completed with valuesArray/selections (§8.4). */
  private orderItems(input: unknown, existing: EcwidOrderItem[] = []): EcwidOrderItem[] {
    if (!Array.isArray(input)) throw wrongParameter("Field 'items' has a wrong value: expected an array");
    return input.map((raw) => {
      if (!isObj(raw)) throw wrongParameter("Field 'items' has a wrong value");
      if (raw.quantity === undefined || raw.quantity === null) throw wrongParameter(DOC.itemQuantityAbsent);
      checkFields(raw, {
        quantity: "number",
        price: "number",
        productId: "int",
        combinationId: "int",
        sku: "string",
        name: "string",
      });
      const prior = typeof raw.id === "number" ? existing.find((i) => i.id === raw.id) : undefined;
      const item = { ...(prior ?? {}), ...clone(raw) } as EcwidOrderItem;
      item.id = prior?.id ?? this.nextItemId++;
      if (Array.isArray(raw.selectedOptions))
        item.selectedOptions = raw.selectedOptions.filter(isObj).map((o) => completeSelectedOption(o));
      return item;
    });
  }

  /** §8.6: stock and the customer's order count move only for PAID orders with product ids and an e-mail or customer id. */
  private movesStock(o: EcwidOrder): boolean {
    return (
      o.paymentStatus === "PAID" &&
      (o.items ?? []).some((i) => i.productId !== undefined && this.store.products.has(i.productId)) &&
      (!!(o.email && o.email.trim()) || o.customerId !== undefined)
    );
  }

  create(body: unknown): { id: number; orderId: string } {
    const b = requireObject(body);
    checkFields(b, {
      email: "string",
      subtotal: "number",
      total: "number",
      tax: "number",
      items: "array",
      customerId: "int",
      createDate: "string",
    });
    this.checkStatus("paymentStatus", b.paymentStatus);
    this.checkStatus("fulfillmentStatus", b.fulfillmentStatus);
    const items = b.items !== undefined ? this.orderItems(b.items) : [];
    if (typeof b.customerId === "number") this.store.customers.row(b.customerId);
    const now = this.store.now();
    let created = now;
    if (typeof b.createDate === "string") {
      const d = parseEcwidDate(b.createDate);
      if (!d) throw wrongParameter("Field 'createDate' has a wrong value");
      created = Math.floor(d.getTime() / 1000);
    }
    const internalId = this.nextId++;
    const baseId = this.newBaseOrderId();
    const { prefix, suffix } = this.store.profile.orderAffixes();
    const id = `${prefix}${baseId}${suffix}`;
    const o: EcwidOrder = {
      id,
      internalId,
      orderNumber: internalId,
      vendorOrderNumber: id,
      publicUid: id,
      email: "",
      paymentStatus: "AWAITING_PAYMENT",
      fulfillmentStatus: "AWAITING_PROCESSING",
      subtotal: 0,
      total: 0,
      tax: 0,
      pricesIncludeTax: false,
      hidden: false,
      refundedAmount: 0,
      refunds: [],
    };
    for (const [k, v] of Object.entries(b))
      if (!ORDER_FIELDS_SET_BY_STORE.has(k) && v !== undefined) (o as unknown as Json)[k] = clone(v);
    o.items = items;
    if (o.billingPerson) o.billingPerson = withDerivedNames(o.billingPerson);
    if (o.shippingPerson) o.shippingPerson = withDerivedNames(o.shippingPerson);
    // an e-mail without a customer attaches the order to that customer, created when new (§8.6)
    let customerCreated = false;
    if (o.customerId === undefined && o.email && o.email.trim()) {
      let cid = this.store.customers.idByEmail(o.email);
      if (cid === undefined) {
        cid = this.store.customers.create(
          { email: o.email, billingPerson: o.billingPerson ?? {} },
          { silent: true },
        );
        customerCreated = true;
      }
      o.customerId = cid;
    }
    const row: OrderRow = {
      data: o,
      baseId,
      internalId,
      created,
      updated: now,
      stock: "none",
      stockLines: [],
    };
    this.set(internalId, row);
    if (this.movesStock(o)) {
      row.stockLines = items
        .filter((i) => i.productId !== undefined && this.store.products.has(i.productId))
        .map((i) => ({
          productId: i.productId as number,
          combinationId: i.combinationId,
          quantity: i.quantity,
        }));
      const before = this.store.inventory.moveStock(row.stockLines, -1);
      let li = 0;
      for (const i of items) {
        if (i.productId === undefined || !this.store.products.has(i.productId)) continue;
        const q = before[li++];
        if (q !== undefined) i.quantityInStock = q;
      }
      row.stock = "applied";
      this.countCustomerOrder(o);
    }
    this.store.profile.touch("ordersUpdated");
    // an unfinished checkout is its own event family until it is paid (§11.3)
    if (o.paymentStatus === "INCOMPLETE")
      this.store.emit("unfinished_order.created", internalId, { orderId: id });
    else
      this.store.emit("order.created", internalId, {
        orderId: id,
        newPaymentStatus: o.paymentStatus,
        newFulfillmentStatus: o.fulfillmentStatus,
      });
    if (o.customerId !== undefined && (customerCreated || row.stock === "applied")) {
      const email = this.store.customers.get(o.customerId)?.data.email;
      this.store.emit(customerCreated ? "customer.created" : "customer.updated", o.customerId, {
        customerEmail: email,
      });
    }
    return { id: internalId, orderId: id };
  }

  private countCustomerOrder(o: EcwidOrder): void {
    if (o.customerId === undefined) return;
    const row = this.store.customers.get(o.customerId);
    if (!row) return;
    const s = (row.data.stats = row.data.stats ?? {});
    s.numberOfOrders = (s.numberOfOrders ?? 0) + 1;
    s.salesValue = Math.round(((s.salesValue ?? 0) + (o.total ?? 0)) * 100) / 100;
    s.averageOrderValue = Math.round((s.salesValue / s.numberOfOrders) * 100) / 100;
    const when = o.createDate ?? formatEcwidDate(new Date(this.store.now() * 1000));
    s.firstOrderDate = s.firstOrderDate ?? when;
    s.lastOrderDate = when;
    this.bump(row);
  }

  update(key: string, body: unknown): number {
    const row = this.rowByKey(key);
    const b = requireObject(body);
    checkFields(b, {
      email: "string",
      subtotal: "number",
      total: "number",
      tax: "number",
      items: "array",
      hidden: "boolean",
      createDate: "string",
    });
    this.checkStatus("paymentStatus", b.paymentStatus);
    this.checkStatus("fulfillmentStatus", b.fulfillmentStatus);
    const o = row.data;
    if (b.hidden === true && (b.paymentStatus ?? o.paymentStatus) !== "INCOMPLETE") {
      throw wrongParameter("Only unfinished (INCOMPLETE) orders can be hidden");
    }
    const items = b.items !== undefined ? this.orderItems(b.items, o.items) : undefined;
    const old = { paymentStatus: o.paymentStatus, fulfillmentStatus: o.fulfillmentStatus };
    for (const [k, v] of Object.entries(b))
      if (!ORDER_FIELDS_SET_BY_STORE.has(k) && v !== undefined) (o as unknown as Json)[k] = clone(v);
    if (items) o.items = items;
    if (typeof b.createDate === "string") {
      const d = parseEcwidDate(b.createDate);
      if (!d) throw wrongParameter("Field 'createDate' has a wrong value");
      row.created = Math.floor(d.getTime() / 1000);
    }
    // §8.7: a change into CANCELLED restocks once; moving back out takes the stock again
    if (ECWID_API_CANCEL_RESTOCKS) {
      if (row.stock === "applied" && o.paymentStatus === "CANCELLED" && old.paymentStatus !== "CANCELLED") {
        this.store.inventory.moveStock(row.stockLines, 1);
        row.stock = "restocked";
      } else if (
        row.stock === "restocked" &&
        old.paymentStatus === "CANCELLED" &&
        o.paymentStatus !== "CANCELLED"
      ) {
        this.store.inventory.moveStock(row.stockLines, -1);
        row.stock = "applied";
      }
    }
    this.bump(row);
    this.store.profile.touch("ordersUpdated");
    const orderId = this.fullOrderId(row);
    if (old.paymentStatus === "INCOMPLETE" && o.paymentStatus === "INCOMPLETE") {
      this.store.emit("unfinished_order.updated", row.internalId, { orderId });
    } else if (old.paymentStatus === "INCOMPLETE") {
      // a checkout that gets paid becomes an order: order.created is sent then (§11.3)
      this.store.emit("order.created", row.internalId, {
        orderId,
        newPaymentStatus: o.paymentStatus,
        newFulfillmentStatus: o.fulfillmentStatus,
      });
    } else {
      this.store.emit("order.updated", row.internalId, {
        orderId,
        oldPaymentStatus: old.paymentStatus,
        newPaymentStatus: o.paymentStatus,
        oldFulfillmentStatus: old.fulfillmentStatus,
        newFulfillmentStatus: o.fulfillmentStatus,
      });
    }
    return 1;
  }

  /** Refunds, returns and deletes leave stock alone (§8.7, INFERRED). */
  remove(key: string): number {
    const row = this.rowByKey(key);
    this.delete(row.internalId);
    const orderId = this.fullOrderId(row);
    this.logDeleted(row.internalId, orderId);
    this.store.profile.touch("ordersUpdated");
    this.store.emit(
      row.data.paymentStatus === "INCOMPLETE" ? "unfinished_order.deleted" : "order.deleted",
      row.internalId,
      { orderId },
    );
    return 1;
  }

  read(key: string): EcwidOrder {
    return this.render(this.rowByKey(key));
  }

  /** Whether the order has taken stock and not given it back (§8.7 "stock applied" flag). */
  stockApplied(key: string): boolean {
    return this.rowByKey(key).stock === "applied";
  }

  render(row: OrderRow): EcwidOrder {
    const o = clone(row.data);
    const id = this.fullOrderId(row);
    o.id = id;
    o.internalId = row.internalId;
    o.orderNumber = row.data.orderNumber ?? row.internalId;
    o.vendorOrderNumber = row.data.vendorOrderNumber ?? id;
    o.publicUid = row.data.publicUid ?? id;
    o.createDate = formatEcwidDate(new Date(row.created * 1000));
    o.updateDate = formatEcwidDate(new Date(row.updated * 1000));
    o.createTimestamp = row.created;
    o.updateTimestamp = row.updated;
    return o;
  }

  /** GET /orders (§2.3). */
  search(q: Query): EcwidOrder[] {
    return this.searchRows(q).map((r) => this.render(r));
  }

  /** the matching records in the order asked for, not rendered (a page renders its own) */
  searchRows(q: Query): OrderRow[] {
    let rows = this.rows();
    const orderNumbers = list(q, "orderNumber");
    if (orderNumbers) {
      // with orderNumber every other filter is ignored (§2.3)
      rows = rows.filter((r) => orderNumbers.includes(String(r.data.orderNumber ?? r.internalId)));
    } else {
      const ids = list(q, "ids");
      const idRows = ids ? new Set(ids.map((k) => this.find(k)).filter((r) => r !== undefined)) : undefined;
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
    return rows;
  }
}

export function ordersRoutes(api: EcwidRouter, s: EcwidSandboxStore): void {
  const { orders } = s;
  api.on("GET", "/orders/deleted", (c) =>
    ok(paged(orders.deletedItems(time(c.query, "from_date"), time(c.query, "to_date")), c.query)),
  );
  api.on("GET", "/orders", (c) =>
    ok(paged(orders.searchRows(c.query), c.query, {}, (r) => orders.render(r))),
  );
  api.on("POST", "/orders", (c) => ok(orders.create(c.body)));
  api.on("GET", "/orders/{orderId}", (c) => ok(orders.read(c.params.orderId)));
  api.on("PUT", "/orders/{orderId}", (c) => ok({ updateCount: orders.update(c.params.orderId, c.body) }));
  api.on("DELETE", "/orders/{orderId}", (c) => ok({ deleteCount: orders.remove(c.params.orderId) }));
}

/** CHOICE options read back with valuesArray and selections, as Ecwid completes them (§8.4). */
function completeSelectedOption(o: Json): EcwidSelectedOption {
  const out = clone(o) as unknown as EcwidSelectedOption;
  const type = out.type ?? "CHOICE";
  out.type = type;
  if (
    (type === "CHOICE" || type === "CHOICES" || type === "SWATCH_CHOICE") &&
    typeof out.value === "string"
  ) {
    const values = type === "CHOICES" ? out.value.split(",").map((v) => v.trim()) : [out.value];
    out.valuesArray = out.valuesArray ?? values;
    out.selections =
      out.selections ??
      values.map((v) => ({
        selectionTitle: v,
        selectionModifier: 0,
        selectionModifierType: "ABSOLUTE" as const,
      }));
  }
  return out;
}
