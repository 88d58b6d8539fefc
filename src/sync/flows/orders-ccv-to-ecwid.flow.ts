import { ECWID_ORDER_REFERENCE_LOOKBACK_MS } from "../../connectors/ecwid/ecwid.vendor-facts";
import {
  ccvAddressToDomain,
  type CcvAddress,
  type CcvOrder,
  type CcvOrderRow,
  type CcvWebhookEvent,
} from "../../connectors/ccv-salespos";
import {
  ECWID_RATE_LIMIT_PER_MINUTE,
  formatEcwidDate,
  toEcwidPerson,
  type EcwidFulfillmentStatus,
  type EcwidOrder,
  type EcwidOrderItem,
  type EcwidOrderWrite,
  type EcwidPaymentStatus,
  type EcwidPerson,
} from "../../connectors/ecwid";
import { isConnectorError } from "../../connectors/http";
import { dec, toNumber } from "../../domain/money";
import { MissingValueMapping } from "../../mapping/value-maps";
import { diffFields } from "../engine/hash";
import { stepsFlow, type WritePlan } from "../engine/flow-steps";
import {
  ItemFailure,
  type FlowDefinition,
  type FlowRuntime,
  type ItemResult,
  type LinkWrite,
  type SourceRecord,
} from "../engine/flow-definition";
import {
  customerLink,
  ensureOrderCustomer,
  findOrderCustomer,
  isBusiness,
  type EcwidOrderCustomer,
} from "./orders/ccv-to-ecwid-customer";
import { updateReturningCustomer } from "./orders/ccv-to-ecwid-customer-update";
import { resolveLines } from "./orders/ccv-to-ecwid-lines";
import { ccvStatusHash, followLinkedSale } from "./orders/ccv-to-ecwid-status";
import { customerGroup, ORDER_ITEMS_IN_FLIGHT } from "./orders/order-items";
import {
  describeCcvStatus,
  ecwidFulfillmentStatus,
  ecwidPayment,
  ecwidPaymentStatus,
  statusQualifies,
} from "./orders/ccv-to-ecwid-payment";

/**
 * ORDERS_CCV_TO_ECWID: CCV SalesPOS orders (POS sales) become Ecwid orders, so the shop sees every
 * sale and customer — and, booked PAID with Ecwid product ids, they move Ecwid's stock (the stock
 * master learns about POS sales this way, ARCHITECTURE §4).
 *
 * Per order: (1) linked already → skip (created by the opposite flow: an echo), or follow a later
 * status or payment change of a sale it booked (orders/ccv-to-ecwid-status); (2) qualify: completed,
 * status in `orderStatuses`; (3) an order whose reservation number is an Ecwid order id came from
 * Ecwid → skip as an echo; (4) enrich: customer, items by SKU, statuses and payment through the value
 * maps, money; (5) map (defaults below, user mappings on top); (6) an earlier attempt's create is
 * linked, never repeated (write-ahead intents, create-once.ts: Ecwid is searched for our reference
 * only when that attempt's outcome is unknown); (7) create the customer when new, then the order
 * under an intent; record ORDER (and CUSTOMER) links.
 */

/** The CCV order with its rows, in CCV's own expanded form (CCV §3.5): the mapping input and source payload. */
type CcvOrderWithRows = CcvOrder & { orderrows: { href: string; collection: CcvOrderRow[] } };

/** What the default mappings read as `$ctx` besides the CCV order itself. */
interface OrderContext {
  /** our reference in Ecwid's externalOrderId: the CCV order id */
  reference: string;
  /** the number people know the sale by (ordernumber_full) */
  orderNumber: string;
  email?: string;
  customerId?: number;
  /** the buyer is a business (customertype b2b or a company name), whoever the order is booked on */
  isCompany: boolean;
  billingPerson?: EcwidPerson;
  shippingPerson?: EcwidPerson;
  items: EcwidOrderItem[];
  subtotal: number;
  discount?: number;
  shippingMethod?: string;
  surcharges?: { description: string; type: "ABSOLUTE"; value: number; total: number }[];
  paymentStatus: EcwidPaymentStatus;
  fulfillmentStatus?: EcwidFulfillmentStatus;
  paymentMethod?: string;
  paymentTerm?: string;
  createDate?: string;
}

interface Prepared {
  ctx: OrderContext;
  customer?: EcwidOrderCustomer;
  /** why the order cannot be booked (the first one fails the item); empty when it can */
  problems: Error[];
}

const WEBHOOK_EVENTS: CcvWebhookEvent[] = [
  "orders.created",
  "orders.updated.status",
  "orders.updated.ispaid",
];

const text = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
const person = (prefix: "billingPerson" | "shippingPerson") =>
  (
    [
      "name",
      "companyName",
      "street",
      "postalCode",
      "city",
      "countryCode",
      "stateOrProvinceCode",
      "phone",
    ] as const
  ).map((f) => ({
    target: `${prefix}.${f}`,
    expression: `$ctx.${prefix}.${f}`,
    policy: "ALWAYS" as const,
  }));

export const ordersCcvToEcwid: FlowDefinition = stepsFlow(
  {
    kind: "ORDERS_CCV_TO_ECWID",
    entity: "ORDER",
    source: "CCV_SALESPOS",
    target: "ECWID",
    // The slowest lane is the Ecwid token (600/min, shared by every request): per new order a customer
    // search, a SKU search per distinct SKU (cached per run; ~2) and the create (the reference search
    // only after a crash or an ambiguous failure).
    // CCV spends one GET per order on the order-rows lane (150/min), a lane of its own (CCV §4.4).
    cost: { requestsPerItem: 4, lanePerMinute: ECWID_RATE_LIMIT_PER_MINUTE },
    // POS sales do not depend on each other (one customer's go one after the other)
    maxItemsInFlight: ORDER_ITEMS_IN_FLIGHT,
    itemGroup: (record) => customerGroup((record.payload as CcvOrder | null)?.customer?.email),
    webhooks: { system: "CCV_SALESPOS", events: WEBHOOK_EVENTS },
    // the codes ecwidPayment, ecwidFulfillmentStatus and the shipping line look up in the value maps
    valueMapCodes: {
      PAYMENT_METHOD: (o) => (o as CcvOrder).paymethod,
      PAYMENT_TERM: (o) => (o as CcvOrder).paymethod,
      ORDER_STATUS: (o) => (o as CcvOrder).status,
      SHIPPING_METHOD: (o) => (o as CcvOrder).deliver_method,
    },
    defaultMappings: [
      { target: "email", expression: "$ctx.email", policy: "ALWAYS" },
      { target: "customerId", expression: "$ctx.customerId", policy: "ALWAYS" },
      { target: "b2b_b2c", expression: `$ctx.isCompany ? "b2b" : "b2c"`, policy: "ALWAYS" },
      { target: "customerTaxId", expression: "customer.btw ? customer.btw", policy: "ALWAYS" },
      { target: "paymentStatus", expression: "$ctx.paymentStatus", policy: "ALWAYS" },
      { target: "fulfillmentStatus", expression: "$ctx.fulfillmentStatus", policy: "ALWAYS" },
      { target: "paymentMethod", expression: "$ctx.paymentMethod", policy: "ALWAYS" },
      { target: "createDate", expression: "$ctx.createDate", policy: "ALWAYS" },
      // rows are net only when CCV says so (CCV §5.6.4), as the item prices sent
      {
        target: "pricesIncludeTax",
        expression: "order_row_taxes_included = false ? false : true",
        policy: "ALWAYS",
      },
      { target: "items", expression: "$ctx.items", policy: "ALWAYS" },
      { target: "subtotal", expression: "$ctx.subtotal", policy: "ALWAYS" },
      { target: "discount", expression: "$ctx.discount", policy: "ALWAYS" },
      // Ecwid's create calculates nothing (Ecwid §8.6): tax and total are CCV's own figures, sent as read
      { target: "tax", source: "total_tax", policy: "ALWAYS" },
      { target: "total", source: "total_price", policy: "ALWAYS" },
      { target: "shippingOption.shippingMethodName", expression: "$ctx.shippingMethod", policy: "ALWAYS" },
      {
        target: "shippingOption.shippingRate",
        expression: "total_shipping > 0 ? total_shipping",
        policy: "ALWAYS",
      },
      { target: "customSurcharges", expression: "$ctx.surcharges", policy: "ALWAYS" },
      ...person("billingPerson"),
      ...person("shippingPerson"),
      {
        target: "privateAdminNotes",
        expression: `$join(["CCV SalesPOS order " & $ctx.orderNumber, $ctx.paymentTerm ? "Payment term: " & $ctx.paymentTerm], "\\n")`,
        policy: "ALWAYS",
      },
      // the sale is fulfilled like any other Ecwid order: keep the admin's fulfilment controls
      { target: "externalFulfillment", defaultValue: false, policy: "ALWAYS" },
      // a sale at the till is not an online order: Ecwid e-mails the customer nothing about it
      { target: "disableAllCustomerNotifications", defaultValue: true, policy: "ALWAYS" },
    ],

    async *discover(rt, opts) {
      // CCV has no updated-since filter on orders (CCV §3.4): sales are found by creation date (the engine
      // moves `since` back by its lookback); status and payment changes of older orders arrive as
      // orders.updated.* webhooks, each a run for its order. is_completed=true is CCV's default: open
      // baskets are not sales.
      for await (const o of rt.clients.ccv.paginateOrders({
        min_create_date: opts.since ?? undefined,
        is_completed: true,
      })) {
        yield { record: toRecord(o) };
      }
    },

    async fetchOne(rt, sourceId) {
      const [order, rows] = await Promise.all([
        rt.clients.ccv.getOrder(sourceId),
        rt.clients.ccv.listOrderRows(sourceId),
      ]);
      return toRecord(attachRows(order, rows));
    },

    async mappingInput(rt, record) {
      const order = await withRows(rt, record.payload as CcvOrder);
      // a preview shows what it can: problems that would fail the item leave their fields empty
      const { ctx: c } = await prepare(rt, order);
      return { input: order, bindings: { ctx: c } };
    },
  },
  {
    source: (record) => record.payload as CcvOrder,
    guards: {
      async linked(rt, { source }) {
        const link = await rt.links.byCcv("ORDER", String(source.id));
        if (link?.createdBy === "CCV_SALESPOS") {
          return {
            action: "SKIP",
            targetId: link.ecwidId,
            reason: `echo: the gateway created this CCV order from Ecwid order ${link.ecwidId}; it is not sent back.`,
          };
        }
        // booked already: the Ecwid order follows the sale's later status and payment changes
        return link ? followLinkedSale(rt, source, link) : null;
      },
      qualify: (rt, { source }) => qualification(rt, source),
      echo: (rt, { source }) => echoOfEcwidOrder(rt, source),
    },
    async prepare(rt, { source }): Promise<Bookable> {
      const order = await withRows(rt, source);
      const prepared = await prepare(rt, order);
      if (prepared.problems.length > 0) throw withSource(prepared.problems[0], order);
      return { order, ctx: prepared.ctx, customer: prepared.customer! };
    },
    map: (rt, { prepared }) => mapOrder(rt, prepared.order, prepared.ctx),
    sourcePayload: ({ prepared }) => prepared.order,
    findExisting: {
      // our reference (in externalOrderId) is the CCV order id
      reference: ({ source }) => String(source.id),
      async byReference(rt, _reference, { prepared, payload }) {
        const found = await findByReference(rt, prepared.order, payload.email as string);
        return found ? { id: found.id!, label: found.id! } : undefined;
      },
      // the reference is the CCV order id: only this record carries it
      taken: (reference, taken) =>
        new Error(`CCV order ${reference} has an intent of record ${taken.ownerSourceId}`),
      where: "Ecwid as order",
      referenceName: "externalOrderId",
      linkedElsewhere: (ref) =>
        `Ecwid order ${ref.id} carries this order's reference but is linked to another CCV order; left as it is.`,
    },
    write: {
      async plan(rt, { prepared, payload }): Promise<OrderPlan> {
        // a returning customer's Ecwid record follows the sale's data, per the write policies
        const customerChanges = await updateReturningCustomer(rt, {
          order: prepared.order,
          ctx: prepared.ctx,
          customer: prepared.customer,
        });
        return orderPlan(payload, customerChanges);
      },
      async ready(rt, { prepared }, plan) {
        const { id: customerId, created } = await ensureOrderCustomer(rt, prepared.customer);
        if (!created) return { ...plan, bookedOn: { id: customerId, created } };
        const payload = await mapOrder(rt, prepared.order, { ...prepared.ctx, customerId });
        return orderPlan(payload, plan.customerChanges, { id: customerId, created });
      },
      send: (rt, plan) => rt.clients.ecwid.createOrder(plan.payload as unknown as EcwidOrderWrite),
      ref: (r) => ({ id: r.orderId, label: r.orderId }),
    },
    async links(rt, { source, prepared }, written) {
      const reference = String(source.id);
      const hash = ccvStatusHash(prepared.order);
      const { customer } = prepared;
      if (written.kind === "RECOVERED") {
        const links = await orderLink(rt, written.ref.id, reference, hash);
        if (customer.ecwidId !== undefined)
          links.push(...(await customerLink(rt, customer, customer.ecwidId, false)));
        return links;
      }
      const { bookedOn } = written.plan;
      return [
        { entity: "ORDER", ecwidId: written.ref.id, ccvId: reference, createdBy: "ECWID", hashToEcwid: hash },
        ...(bookedOn ? await customerLink(rt, customer, bookedOn.id, bookedOn.created) : []),
      ];
    },
  },
);

/** A prepared order that can be booked: nothing failed, so its customer is known. */
interface Bookable {
  order: CcvOrderWithRows;
  ctx: OrderContext;
  customer: EcwidOrderCustomer;
}

/** What is sent to Ecwid, and (once ready, not in a dry run) the customer the order is booked on. */
interface OrderPlan extends WritePlan<Record<string, unknown>> {
  /** the returning customer's changes (recorded in every plan) */
  customerChanges: NonNullable<ItemResult["changes"]>;
  /** the Ecwid customer the order is booked on, and whether it was created for it (set by `ready`) */
  bookedOn?: { id: number; created: boolean };
}

/** the plan for a mapped order: its fields' changes, then the returning customer's */
const orderPlan = (
  payload: Record<string, unknown>,
  customerChanges: OrderPlan["customerChanges"],
  bookedOn?: OrderPlan["bookedOn"],
): OrderPlan => ({
  payload,
  changes: [...diffFields(null, payload), ...customerChanges],
  customerChanges,
  ...(bookedOn ? { bookedOn } : {}),
});

const toRecord = (o: CcvOrder): SourceRecord => ({ id: String(o.id), entity: "ORDER", payload: o });

function attachRows(order: CcvOrder, rows: CcvOrderRow[]): CcvOrderWithRows {
  return { ...order, orderrows: { href: order.orderrows?.href ?? "", collection: rows } };
}

/** Discovered orders come without their rows: they are read only for orders that get this far. */
async function withRows(rt: FlowRuntime, order: CcvOrder): Promise<CcvOrderWithRows> {
  if (order.orderrows?.collection) return order as CcvOrderWithRows;
  return attachRows(order, await rt.clients.ccv.listOrderRows(order.id));
}

/** A failure keeps the order with its rows as the item's source payload. */
function withSource(e: Error, order: CcvOrderWithRows): Error {
  if (e instanceof ItemFailure)
    return new ItemFailure(e.errorCode, e.message, { ...e.details, sourcePayload: order });
  return e;
}

/** Why an order is not booked, or null. Only completed orders are sales (an open basket is not). */
function qualification(rt: FlowRuntime, order: CcvOrder): string | null {
  if (order.is_completed !== true)
    return "Not completed in CCV SalesPOS (an open basket): only completed orders are booked.";
  const wanted = rt.settings.orderStatuses;
  if (!statusQualifies(wanted, order.status)) {
    const list = wanted.map((s) => (/^\d+$/.test(s.trim()) ? describeCcvStatus(Number(s)) : s)).join(", ");
    return `Status ${describeCcvStatus(order.status)} is not one of the statuses this flow books (${list}).`;
  }
  return null;
}

/**
 * The opposite flow writes the Ecwid order id into the CCV order's `reservationnumber`. A CCV order
 * whose reservation number is an Ecwid order's id came from Ecwid, even when its link was never
 * recorded. Cheap: only orders with a reservation number are checked (POS sales have none), first
 * against the links, then with one GET of that id; a 404 means the number is something else.
 */
async function echoOfEcwidOrder(rt: FlowRuntime, order: CcvOrder): Promise<string | null> {
  const ref = text(order.reservationnumber);
  if (!ref) return null;
  if (await rt.links.byEcwid("ORDER", ref)) {
    return `echo: its reservation number ${ref} is an Ecwid order the gateway has linked: the order came from Ecwid.`;
  }
  try {
    const o = await rt.clients.ecwid.getOrder(ref);
    // GET accepts internal ids and numbers too (Ecwid §8.1): only the public id itself is our reference
    if (o.id && o.id.toUpperCase() === ref.toUpperCase()) {
      return `echo: its reservation number ${ref} is the id of Ecwid order ${o.id}: the order came from Ecwid.`;
    }
  } catch (e) {
    if (!(isConnectorError(e) && e.code === "NOT_FOUND")) throw e;
  }
  return null;
}

/**
 * Everything the mappings need besides the order: customer, items, statuses, payment and money.
 * Reads only. Problems are collected rather than thrown, so a preview still shows the rest.
 */
async function prepare(rt: FlowRuntime, order: CcvOrderWithRows): Promise<Prepared> {
  const problems: Error[] = [];
  const attempt = async <T>(step: () => T | Promise<T>): Promise<T | undefined> => {
    try {
      return await step();
    } catch (e) {
      if (e instanceof ItemFailure || e instanceof MissingValueMapping) {
        problems.push(e);
        return undefined;
      }
      throw e;
    }
  };
  const lines = await resolveLines(rt, order.orderrows.collection, order.order_row_taxes_included !== false);
  if (lines.unresolved.length > 0) {
    problems.push(
      new ItemFailure(
        "MISSING_PRODUCT",
        `Not found in Ecwid: ${lines.unresolved.join(", ")}. Ecwid moves stock only for items with its product ids, so the sale is booked once these exist in Ecwid (sync the products first).`,
        { missingSkus: lines.unresolvedSkus },
      ),
    );
  }
  const fulfillmentStatus = await attempt(() => ecwidFulfillmentStatus(rt, order.status));
  const payment = await attempt(() => ecwidPayment(rt, order));
  const customer = await attempt(() => findOrderCustomer(rt, order));

  const created = Date.parse(order.create_date);
  const shipping = dec(order.total_shipping ?? 0);
  const ctx: OrderContext = {
    reference: String(order.id),
    orderNumber:
      text(order.ordernumber_full) ?? (order.ordernumber ? String(order.ordernumber) : String(order.id)),
    email: customer?.email,
    customerId: customer?.ecwidId,
    isCompany: isBusiness(order),
    billingPerson: ecwidPerson(order.customer?.billingaddress),
    shippingPerson: ecwidPerson(order.customer?.deliveryaddress),
    items: lines.items,
    subtotal: lines.subtotal,
    discount: dec(order.total_discounts ?? 0).gt(0) ? toNumber(order.total_discounts!) : undefined,
    shippingMethod: shipping.gt(0)
      ? (rt.valueMaps.lookup("SHIPPING_METHOD", order.deliver_method) ??
        text(order.deliver_method) ??
        "Shipping")
      : undefined,
    surcharges: surcharges(order),
    paymentStatus: ecwidPaymentStatus(order),
    fulfillmentStatus,
    paymentMethod: payment?.method,
    paymentTerm: payment?.term,
    createDate: Number.isNaN(created) ? undefined : formatEcwidDate(new Date(created)),
  };
  return { ctx, customer, problems };
}

function ecwidPerson(a: CcvAddress | null | undefined): EcwidPerson | undefined {
  const address = ccvAddressToDomain(a);
  const p = address ? toEcwidPerson(address) : {};
  return Object.keys(p).length > 0 ? p : undefined;
}

/**
 * CCV's extra costs and payment-method costs are part of its total_price (CCV §5.6.1); Ecwid shows them as
 * custom surcharges so its order adds up to the same total.
 */
function surcharges(order: CcvOrder): OrderContext["surcharges"] {
  const out = [
    { amount: order.extra_costs, description: text(order.extra_costs_description) ?? "Extra costs" },
    { amount: order.paymethod_costs, description: "Payment costs" },
  ]
    .filter((s) => !dec(s.amount ?? 0).isZero())
    .map((s) => ({
      description: s.description,
      type: "ABSOLUTE" as const,
      value: toNumber(s.amount!),
      total: toNumber(s.amount!),
    }));
  return out.length > 0 ? out : undefined;
}

/** The Ecwid order body: the mappings over the CCV order, plus our reference. */
async function mapOrder(
  rt: FlowRuntime,
  order: CcvOrderWithRows,
  c: OrderContext,
): Promise<Record<string, unknown>> {
  const { payload, errors } = await rt.mappings.apply(order, { isCreate: true, bindings: { ctx: c } });
  if (errors.length > 0) throw new ItemFailure("MAPPING", errors.join("; "), { sourcePayload: order });
  if (!text(payload.email)) {
    throw new ItemFailure(
      "MAPPING",
      "The Ecwid order has no e-mail: Ecwid needs one to book it (check the email mapping).",
      { sourcePayload: order },
    );
  }
  // Not a mapping: externalOrderId is how a create whose answer was lost is found again, so it
  // always carries the CCV order id.
  payload.externalOrderId = c.reference;
  return payload;
}

/**
 * The Ecwid order that carries our reference, if a create already happened. Ecwid cannot filter on
 * externalOrderId (Ecwid §2.3; `keywords` does not search it), so the customer's orders since a day before
 * the sale are searched and matched on it. The create back-dates createDate to the sale; the day of
 * slack covers either time basis of the filter.
 */
async function findByReference(
  rt: FlowRuntime,
  order: CcvOrder,
  email: string,
): Promise<EcwidOrder | undefined> {
  const created = Date.parse(order.create_date);
  const createdFrom = Number.isNaN(created)
    ? undefined
    : new Date(created - ECWID_ORDER_REFERENCE_LOOKBACK_MS);
  const reference = String(order.id);
  for await (const o of rt.clients.ecwid.paginateOrders({ email, createdFrom })) {
    if (o.externalOrderId === reference) return o;
  }
  return undefined;
}

/** The ORDER link for an Ecwid order found by reference, unless that order is linked to another CCV order. */
async function orderLink(
  rt: FlowRuntime,
  ecwidId: string,
  ccvId: string,
  hash: string,
): Promise<LinkWrite[]> {
  const other = await rt.links.byEcwid("ORDER", ecwidId);
  if (other && other.ccvId !== ccvId) return [];
  return [{ entity: "ORDER", ecwidId, ccvId, createdBy: "ECWID", hashToEcwid: hash }];
}
