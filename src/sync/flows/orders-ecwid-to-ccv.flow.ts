import {
  CCV_ORDER_REFERENCE_LOOKBACK_MS,
  CCV_PRICES_INCLUDE_VAT_WHEN_UNSET,
} from "../../connectors/ccv-salespos/ccv.vendor-facts";
import {
  CCV_DELIVER_METHOD,
  type CcvAddress,
  type CcvOrder,
  type CcvOrderCreate,
  type CcvOrderRowInput,
  type CcvPersonalinfo,
  type CcvUser,
} from "../../connectors/ccv-salespos";
import {
  ecwidMappingContext,
  mapEcwidOrder,
  mapEcwidPerson,
  type EcwidOrder,
  type EcwidOrderFilters,
  type EcwidPerson,
} from "../../connectors/ecwid";
import { isConnectorError } from "../../connectors/http/connector-error";
import { splitStreet } from "../../domain/address";
import { toNumber } from "../../domain/money";
import { describeParty, normalizeEmail } from "../../domain/party";
import type { FieldMappingDef } from "../../mapping/field-mapping";
import {
  ItemFailure,
  type FlowDefinition,
  type FlowRuntime,
  type LinkWrite,
  type SourceRecord,
} from "../engine/flow-definition";
import { diffFields } from "../engine/hash";
import type { Prior, UpstreamRef } from "../engine/create-once";
import { stepsFlow, type WritePlan } from "../engine/flow-steps";
import {
  customerLink,
  defaultDebtor,
  ecwidCustomerKey,
  findCcvUser,
  syncCcvCustomer,
  type CustomerOutcome,
} from "./orders/ecwid-to-ccv-customer";
import { ccvOrderMoney, ecwidMoneyInput } from "./orders/ecwid-to-ccv-money";
import { resolveOrderLines } from "./orders/ecwid-to-ccv-products";
import { ecwidStatusHash, followLinkedWebOrder } from "./orders/ecwid-to-ccv-status";
import { customerGroup, ORDER_ITEMS_IN_FLIGHT } from "./orders/order-items";

/**
 * ORDERS_ECWID_TO_CCV: Ecwid orders whose payment or fulfilment status is in `orderStatuses`
 * (default PAID; empty = all) become CCV SalesPOS orders, as the hosted integration does it:
 * (1) already in CCV → skip (created by the opposite flow: an echo), or follow a later status change
 * of an order it sent (orders/ecwid-to-ccv-status); (2) enrich with the
 * CCV webshop id, currencies and both tax modes; (3) the customer account by e-mail — created or
 * updated, a business (billing company) as `b2b` with the person as its contact — or, with
 * `useDefaultDebtor`, the configured debtor; (4) every line's SKU must be a CCV product or attribute
 * combination, else the item fails with MISSING_PRODUCT; (5) post the order under a write-ahead
 * intent and link it (create-once.ts: an earlier attempt's create is linked, never repeated; CCV is
 * searched for our reference only when that attempt's outcome is unknown).
 *
 * The CCV body is built by the mappings over the Ecwid order; `$ctx` carries what they cannot read
 * from it (see OrderContext). Our reference is the Ecwid order id in `reservationnumber`: CCV has no
 * other free field on an order create (order notes are a separate resource), and the opposite flow
 * recognises Ecwid orders by it.
 */

/** `$ctx` of the mappings: the enrichment of one Ecwid order. */
export interface OrderContext {
  /** the CCV webshop id (the hosted integration's "storeid"; CCV orders have no field for it) */
  storeId: string;
  /** the Ecwid store's currency, which the order's amounts are in */
  currency?: string;
  /** the CCV shop's currency */
  ccvCurrency?: string;
  /** tax mode of the Ecwid order: its prices include VAT */
  ecwidPricesIncludeTax: boolean;
  /** tax mode of the CCV shop (prices_include_vat) */
  ccvPricesIncludeTax: boolean;
  /** the basis the rows are priced on (order_row_taxes_included): the CCV shop's */
  rowsIncludeTax: boolean;
  /** one row per Ecwid line with its CCV product (and attribute combination), priced on `rowsIncludeTax` */
  rows: CcvOrderRowInput[];
  /** shipping, gross (sent with shipping_taxes_included) */
  shipping: number;
  /** charges, order discounts Ecwid did not put on items, rounding; absent when there are none */
  extraCosts?: number;
  extraCostsDescription?: string;
  /** CCV deliver_method from the Ecwid shipping option */
  deliverMethod: string;
  /** the order's e-mail, normalised (absent for an order without one) */
  email?: string;
  /** b2b when the billing address has a company name */
  customertype: "b2b" | "b2c";
  /** the CCV billing and delivery addresses, street split into street, house number and suffix */
  billing?: CcvAddress;
  delivery?: CcvAddress;
  /** the CCV account the order is booked on (absent for a guest, or a new account in a dry run) */
  userId?: number;
}

const field = (target: string, ctxPath: string): FieldMappingDef => ({
  target,
  expression: `$ctx.${ctxPath}`,
  policy: "ALWAYS",
});
const ADDRESS_FIELDS = [
  "company",
  "street",
  "housenumber",
  "housenumber_suffix",
  "address_line_1",
  "address_line_2",
  "zipcode",
  "city",
  "country_code",
  "telephone",
];

/** The default mapping (target paths are CCV POST /orders fields, CCV §5.6.2; sources the Ecwid order and $ctx). */
export const ORDERS_ECWID_TO_CCV_MAPPINGS: FieldMappingDef[] = [
  // our reference: how an order whose create answer was lost is found again (never sent twice)
  { target: "reservationnumber", source: "id", policy: "ALWAYS" },
  { target: "is_completed", expression: "true", policy: "ALWAYS" },
  { target: "paid", expression: 'paymentStatus in ["PAID", "PARTIALLY_REFUNDED"]', policy: "ALWAYS" },
  field("currency", "currency"),
  field("user_id", "userId"),
  field("deliver_method", "deliverMethod"),
  field("order_row_taxes_included", "rowsIncludeTax"),
  field("orderrows", "rows"),
  { target: "shipping_taxes_included", expression: "true", policy: "ALWAYS" },
  field("total_shipping", "shipping"),
  field("extra_costs", "extraCosts"),
  field("extra_costs_description", "extraCostsDescription"),
  field("customer.email", "email"),
  field("customer.customertype", "customertype"),
  field("customer.billingaddress.first_name", "billing.first_name"),
  field("customer.billingaddress.last_name", "billing.last_name"),
  ...ADDRESS_FIELDS.map((f) => field(`customer.billingaddress.${f}`, `billing.${f}`)),
  // a delivery address has no first/last name (CCV §5.7); full_name (deprecated on input) is its only
  // name field, without which a parcel for someone else would lose its addressee
  field("customer.deliveryaddress.full_name", "delivery.full_name"),
  ...ADDRESS_FIELDS.map((f) => field(`customer.deliveryaddress.${f}`, `delivery.${f}`)),
];

/** CCV's create_date is when the gateway posted the order, never before Ecwid's; a day covers clocks and zones. */

export const ordersEcwidToCcv: FlowDefinition = stepsFlow(
  {
    kind: "ORDERS_ECWID_TO_CCV",
    entity: "ORDER",
    source: "ECWID",
    target: "CCV_SALESPOS",
    // per order on CCV's write lanes (100/min): the customer account (POST or PATCH /users, when it
    // is new or changed) and POST /orders; the reads (e-mail index, SKU lookups cached per run; a
    // reference search only after a crash or an ambiguous failure) use the 150/min GET lanes
    cost: { requestsPerItem: 3, lanePerMinute: 100 },
    // orders do not depend on each other: several in flight keep the lanes busy while one waits for
    // an answer; the orders of one customer go one after the other (the account is made once)
    maxItemsInFlight: ORDER_ITEMS_IN_FLIGHT,
    itemGroup: (record) => customerGroup((record.payload as EcwidOrder | null)?.email),
    webhooks: { system: "ECWID", events: ["order.created", "order.updated"] },
    defaultMappings: ORDERS_ECWID_TO_CCV_MAPPINGS,

    async *discover(rt, opts) {
      // no status filter: orders that do not qualify are recorded as skipped with their status, and
      // Ecwid leaves out unfinished (INCOMPLETE) checkouts when no paymentStatus is asked for (Ecwid §2.3)
      const filters: EcwidOrderFilters = opts.since ? { updatedFrom: opts.since } : {};
      for (let offset = 0; ;) {
        const page = await rt.clients.ecwid.searchOrders(filters, { offset });
        if (offset === 0) opts.setExpectedTotal(page.total);
        const items = page.items ?? [];
        for (const o of items) yield { record: toRecord(o) };
        offset += items.length;
        if (items.length === 0 || offset >= page.total) return;
      }
    },

    async fetchOne(rt, sourceId) {
      // the string id or the internal id (webhooks name both, Ecwid §11.2); the record is keyed by the string id
      return toRecord(await rt.clients.ecwid.getOrder(sourceId));
    },

    async mappingInput(rt, record) {
      // a preview shows what it can: what would fail the item (a missing product or debtor) leaves its fields out
      const { ctx } = await prepare(rt, record.payload as EcwidOrder);
      return { input: record.payload, bindings: { ctx } };
    },
  },
  {
    source: (record) => record.payload as EcwidOrder,
    guards: {
      async linked(rt, { record, source }) {
        const link = await rt.links.byEcwid("ORDER", record.id);
        // booked already: an echo is skipped, a sent order follows Ecwid's status changes into CCV
        return link ? followLinkedWebOrder(rt, source, link) : null;
      },
      qualify: (rt, { source }) => qualification(rt, source),
      echo: (rt, { source }) => echoOfCcvOrder(rt, source),
    },
    prepare: async (rt, { source }) => bookable(await prepare(rt, source)),
    map: (rt, { source, prepared }) => mapOrder(rt, source, prepared.ctx),
    findExisting: {
      reference: ({ payload }) => referenceOf(payload),
      byReference: (rt, reference, { source }) => findByReference(rt, reference, source),
      taken: referenceTaken,
      where: "CCV SalesPOS as order",
      referenceName: "reservation number",
    },
    write: {
      async plan(rt, { source, prepared, payload }): Promise<OrderPlan> {
        let ctx = prepared.ctx;
        let sent = payload;
        let customer: CustomerOutcome | undefined;
        if (prepared.account) {
          customer = await syncCcvCustomer(rt, {
            email: prepared.account.email,
            existing: prepared.account.user,
            ecwidKey: prepared.account.ecwidKey,
            personalinfo: (isCreate, current) => mapCustomer(rt, source, ctx, isCreate, current),
          });
          if (customer.userId !== ctx.userId) {
            ctx = { ...ctx, userId: customer.userId };
            sent = await mapOrder(rt, source, ctx);
          }
        }
        const { customer: sentCustomer, ...orderFields } = sent;
        const changes = [
          ...diffFields(null, orderFields),
          // the account's changes when there is an account, else the customer data the order carries
          ...(customer
            ? customer.changes
            : diffFields(null, (sentCustomer ?? {}) as Record<string, unknown>, "customer")),
        ];
        return { payload: sent, changes, customer, who: customerSummary(rt, prepared, customer) };
      },
      send: (rt, plan) => rt.clients.ccv.createOrder(plan.payload as unknown as CcvOrderCreate),
      ref: (o) => ({ id: String(o.id), label: orderNumber(o) }),
      reason: (plan, ref) =>
        ref
          ? `Sent to CCV SalesPOS as order ${ref.label}; ${plan.who}.`
          : `Would be sent to CCV SalesPOS; ${plan.who}.`,
    },
    async links(rt, { record, source, prepared }, written) {
      const order = orderLink(record.id, written.ref.id, source);
      if (written.kind === "CREATED") return [order, ...(written.plan.customer?.links ?? [])];
      const account = prepared.account;
      return [
        order,
        ...(account?.user ? await customerLink(rt, account.ecwidKey, account.user.id, "MATCHED") : []),
      ];
    },
  },
);

/** What is sent to CCV: the order as mapped with the account it is booked on. */
interface OrderPlan extends WritePlan<Record<string, unknown>> {
  /** the account's outcome (absent for a guest or the default debtor) */
  customer?: CustomerOutcome;
  /** who the order is booked on, in words */
  who: string;
}

/** A prepared order that can be booked, else the failure of the item. */
function bookable(prepared: Prepared): Prepared {
  if (prepared.failure) throw prepared.failure;
  if (prepared.missing.length > 0) {
    throw new ItemFailure(
      "MISSING_PRODUCT",
      `${prepared.missing.length === 1 ? "1 SKU" : `${prepared.missing.length} SKUs`} not found in CCV SalesPOS: ${prepared.missing.join(", ")}. Create the products in CCV (or sync them), then retry this item.`,
      { missingSkus: prepared.missingSkus },
    );
  }
  return prepared;
}

const toRecord = (o: EcwidOrder): SourceRecord => ({
  // old stores only have the numeric orderNumber (Ecwid §8.1)
  id: o.id ?? String(o.orderNumber),
  entity: "ORDER",
  sku: null,
  payload: o,
});

const orderNumber = (o: CcvOrder) =>
  o.ordernumber_full ?? (o.ordernumber ? String(o.ordernumber) : `id ${o.id}`);

// hashToCcv: the Ecwid statuses the CCV order was booked with (followed later, ecwid-to-ccv-status)
const orderLink = (ecwidId: string, ccvId: number | string, order: EcwidOrder): LinkWrite => ({
  entity: "ORDER",
  ecwidId,
  ccvId: String(ccvId),
  createdBy: "CCV_SALESPOS",
  hashToCcv: ecwidStatusHash(order),
});

/** Why the order does not go to CCV (yet), or null. Either status may qualify it; an empty list takes all. */
function qualification(rt: FlowRuntime, o: EcwidOrder): string | null {
  const wanted = rt.settings.orderStatuses.map((s) => s.trim().toUpperCase());
  if (wanted.length === 0) return null;
  const payment = o.paymentStatus ?? null;
  const fulfilment = o.fulfillmentStatus ?? null;
  if ((payment && wanted.includes(payment)) || (fulfilment && wanted.includes(fulfilment))) return null;
  return `Payment status ${payment ?? "(none)"} and fulfilment status ${fulfilment ?? "(none)"} are not among the statuses that send orders to CCV SalesPOS (${rt.settings.orderStatuses.join(", ")}); it is sent when it reaches one of them.`;
}

/**
 * The opposite flow writes the CCV order id into the Ecwid order's externalOrderId. An Ecwid order
 * whose externalOrderId is a CCV order came from CCV, even when its link was not recorded (yet): a
 * POS sale must never come back as a second CCV order. Only numeric ids are checked (CCV order ids
 * are integers), against the links first, then with one GET; a 404 means the id is someone else's.
 */
async function echoOfCcvOrder(rt: FlowRuntime, o: EcwidOrder): Promise<string | null> {
  const ref = o.externalOrderId?.trim() ?? "";
  if (!/^\d+$/.test(ref)) return null;
  if (await rt.links.byCcv("ORDER", ref)) {
    return `echo: its externalOrderId ${ref} is a CCV SalesPOS order the gateway has linked: the order came from CCV SalesPOS.`;
  }
  try {
    const ccv = await rt.clients.ccv.getOrder(ref);
    return `echo: its externalOrderId ${ref} is CCV SalesPOS order ${orderNumber(ccv)}: the order came from CCV SalesPOS.`;
  } catch (e) {
    if (isConnectorError(e) && e.code === "NOT_FOUND") return null;
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// enrichment

interface Account {
  email: string;
  /** the account with that e-mail; undefined when it has to be created */
  user: CcvUser | undefined;
  ecwidKey: string;
}

interface Prepared {
  ctx: OrderContext;
  /** SKUs (or names of items without one) not in CCV */
  missing: string[];
  /** the SKUs alone not in CCV */
  missingSkus: string[];
  /** the customer account to create or update; undefined for a guest or the default debtor */
  account?: Account;
  /** the default debtor the order is booked on */
  debtor?: CcvUser;
  /** a problem that fails the item (the default debtor); a preview ignores it */
  failure?: ItemFailure;
}

const ccvProfile = (rt: FlowRuntime) => rt.memo("ccv:store-profile", () => rt.clients.ccv.getStoreProfile());
const ecwidContext = (rt: FlowRuntime) =>
  rt.memo("ecwid:mapping-context", async () => ecwidMappingContext(await rt.clients.ecwid.getProfile()));

/** Everything the mappings need beyond the Ecwid order, read-only. */
async function prepare(rt: FlowRuntime, o: EcwidOrder): Promise<Prepared> {
  const [store, ecwid] = await Promise.all([ccvProfile(rt), ecwidContext(rt)]);
  const domain = mapEcwidOrder(o, ecwid);
  const items = o.items ?? [];
  const lines = await resolveOrderLines(rt, items);
  const rowsIncludeTax = store.pricesIncludeTax ?? CCV_PRICES_INCLUDE_VAT_WHEN_UNSET;
  const money = ccvOrderMoney(
    ecwidMoneyInput(
      o,
      domain,
      lines.targets.map((t) => t?.attributeExtra ?? null),
      rowsIncludeTax,
    ),
  );
  const rows: CcvOrderRowInput[] = [];
  lines.targets.forEach((t) => {
    if (!t) return;
    const priced = money.rows[rows.length];
    rows.push({
      product_id: t.productId,
      ...(t.combinationId !== undefined ? { attribute_combination_id: t.combinationId } : {}),
      count: toNumber(priced.count),
      price: toNumber(priced.price),
      // always sent, 0 included: a row without one may get the product's own discount on top
      discount: toNumber(priced.discount),
      tax: toNumber(priced.tax),
    });
  });

  const billingPerson = hasAddress(o.billingPerson) ? o.billingPerson : o.shippingPerson;
  const billing = ccvAddress(billingPerson, "billing");
  const email = normalizeEmail(o.email) ?? undefined;
  const ctx: OrderContext = {
    storeId: store.storeId,
    currency: ecwid.currency ?? undefined,
    ccvCurrency: store.currency ?? undefined,
    ecwidPricesIncludeTax: domain.pricesIncludeTax,
    ccvPricesIncludeTax: rowsIncludeTax,
    rowsIncludeTax: money.rowsIncludeTax,
    rows,
    shipping: toNumber(money.shipping),
    ...(money.extraCosts !== "0" ? { extraCosts: toNumber(money.extraCosts) } : {}),
    ...(money.extraCostsDescription ? { extraCostsDescription: money.extraCostsDescription } : {}),
    deliverMethod: deliverMethod(o),
    email,
    customertype: billing?.company ? "b2b" : "b2c",
    billing,
    delivery: ccvAddress(o.shippingPerson, "delivery"),
  };
  const prepared: Prepared = { ctx, missing: lines.missing, missingSkus: lines.missingSkus };

  if (rt.settings.useDefaultDebtor) {
    try {
      prepared.debtor = await defaultDebtor(rt);
      ctx.userId = prepared.debtor.id;
    } catch (e) {
      if (!(e instanceof ItemFailure)) throw e;
      prepared.failure = e;
    }
  } else if (email) {
    const user = await findCcvUser(rt, email);
    prepared.account = { email, user, ecwidKey: ecwidCustomerKey(o.customerId, email) };
    ctx.userId = user?.id;
  }
  return prepared;
}

const hasAddress = (p: EcwidPerson | undefined) => mapEcwidPerson(p) !== null;

/**
 * An Ecwid person → CCV address. The first street line is split into street, house number and
 * suffix; CCV takes either that or free address lines (CCV §5.7), so a line without a number, or an
 * address with a second line that street + number cannot hold, goes as address_line_1/2 whole.
 */
function ccvAddress(p: EcwidPerson | undefined, kind: "billing" | "delivery"): CcvAddress | undefined {
  const a = mapEcwidPerson(p);
  if (!a) return undefined;
  const out: CcvAddress = {};
  if (kind === "billing") {
    // a one-word name is a last name (CCV's contact person); firstName/lastName come from Ecwid when it has two words or more
    if (a.firstName) out.first_name = a.firstName;
    if (a.lastName ?? a.name) out.last_name = a.lastName ?? a.name;
  } else if (a.name) {
    out.full_name = a.name;
  }
  if (a.companyName) out.company = a.companyName;
  const split = splitStreet(a.street ?? "");
  if (split.houseNumber && !a.street2) {
    out.street = split.street;
    out.housenumber = Number(split.houseNumber);
    if (split.suffix) out.housenumber_suffix = split.suffix;
  } else if (a.street) {
    out.address_line_1 = a.street;
    if (a.street2) out.address_line_2 = a.street2;
  }
  if (a.postalCode) out.zipcode = a.postalCode;
  if (a.city) out.city = a.city;
  if (a.countryCode) out.country_code = a.countryCode.toUpperCase();
  if (a.phone) out.telephone = a.phone;
  return out;
}

/** CCV deliver_method from the Ecwid shipping option (Ecwid §8.3 fulfillmentType; [JAVA] upper case, docs lower). */
function deliverMethod(o: EcwidOrder): string {
  const so = o.shippingOption;
  const type = so?.fulfillmentType?.toUpperCase();
  if (so?.isPickup || type === "PICKUP") return CCV_DELIVER_METHOD.PICKUP;
  if (type === "DELIVERY") return CCV_DELIVER_METHOD.DELIVERY;
  return CCV_DELIVER_METHOD.SHIPPING;
}

// ---------------------------------------------------------------------------------------------
// mapping

async function mapOrder(rt: FlowRuntime, o: EcwidOrder, ctx: OrderContext): Promise<Record<string, unknown>> {
  const { payload, errors } = await rt.mappings.apply(o, { isCreate: true, bindings: { ctx } });
  if (errors.length > 0)
    throw new ItemFailure("MAPPING", `The order could not be mapped: ${errors.join("; ")}`);
  return payload;
}

/** The account's data per the `customer.*` mappings and their write policies (`current`: the account as it is). */
async function mapCustomer(
  rt: FlowRuntime,
  o: EcwidOrder,
  ctx: OrderContext,
  isCreate: boolean,
  current: CcvPersonalinfo | null,
): Promise<CcvPersonalinfo> {
  const { payload, errors } = await rt.mappings.apply(o, {
    isCreate,
    current: current ? { customer: current } : null,
    bindings: { ctx },
  });
  if (errors.length > 0)
    throw new ItemFailure("MAPPING", `The customer could not be mapped: ${errors.join("; ")}`);
  return (payload.customer ?? {}) as CcvPersonalinfo;
}

/** Our reference, as mapped. Without it a create whose answer was lost could be repeated: refused. */
function referenceOf(payload: Record<string, unknown>): string {
  const ref = typeof payload.reservationnumber === "string" ? payload.reservationnumber.trim() : "";
  if (ref === "") {
    throw new ItemFailure(
      "MAPPING",
      "reservationnumber is empty: it carries the gateway's reference (the Ecwid order id by default) that keeps an order from being created twice in CCV SalesPOS, so its mapping must give a text.",
    );
  }
  return ref;
}

/** The CCV order carrying `reference` (only searched for an intent without an outcome). */
async function findByReference(
  rt: FlowRuntime,
  reference: string,
  o: EcwidOrder,
): Promise<UpstreamRef | undefined> {
  const found = await rt.clients.ccv.findOrderByReference(reference, referenceSince(o));
  return found ? { id: String(found.id), label: orderNumber(found) } : undefined;
}

/** A reservation number another Ecwid order's create already carries: the mapping is not unique. */
function referenceTaken(reference: string, taken: Extract<Prior, { kind: "TAKEN" }>): ItemFailure {
  const on = taken.ref ? `CCV SalesPOS order ${taken.ref.label}` : "a CCV SalesPOS order being created";
  return new ItemFailure(
    "MAPPING",
    `The reservation number ${reference} is already on ${on}, which belongs to Ecwid order ${taken.ownerSourceId}: the reservationnumber mapping must give every order its own reference.`,
  );
}

/** Where the reference search starts: a day before the Ecwid order was placed (all orders when unknown). */
function referenceSince(o: EcwidOrder): Date {
  const d = mapEcwidOrder(o);
  const placed = d.createdAt ?? d.updatedAt;
  return new Date((placed?.getTime() ?? 0) - CCV_ORDER_REFERENCE_LOOKBACK_MS);
}

/** Who the order was booked on, in words (by ids: no name or e-mail in a reason). */
function customerSummary(rt: FlowRuntime, p: Prepared, c: CustomerOutcome | undefined): string {
  if (p.debtor) return `booked on the default debtor (${describeParty({ ccvUser: p.debtor.id })})`;
  if (!p.account || !c) return "a guest order (no e-mail, so no customer account)";
  const who =
    c.userId !== undefined
      ? describeParty({ ccvUser: c.userId, ecwidCustomer: p.account.ecwidKey })
      : `a new customer account for ${describeParty({ ecwidCustomer: p.account.ecwidKey })}`;
  switch (c.action) {
    case "CREATED":
      return `${who} ${rt.dryRun ? "would be created" : "created"} (${p.ctx.customertype})`;
    case "UPDATED":
      return `${who} ${rt.dryRun ? "would be updated" : "updated"} (${c.changes.length} field${c.changes.length === 1 ? "" : "s"})`;
    case "UNCHANGED":
      return `${who} reused`;
  }
}
