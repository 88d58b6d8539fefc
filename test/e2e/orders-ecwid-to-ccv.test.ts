import {
  ConfigureFlowDocument,
  DefaultFieldMappingsDocument,
  PreviewMappingDocument,
  RetryFailedItemsDocument,
  RunSyncDocument,
  SetFieldMappingsDocument,
  SyncRunDocument,
  SyncRunsDocument,
  type ItemFieldsFragment,
  type RunFieldsFragment,
} from "../../sdk/generated/graphql";
import type {
  EcwidFulfillmentStatus,
  EcwidOrderItem,
  EcwidPaymentStatus,
  EcwidPerson,
} from "../../src/connectors/ecwid";
import { dec, Decimal, toNumber } from "../../src/domain/money";
import type { OrderRec } from "../../src/sandbox/ccv-salespos/ccv.store";
import { SyncItemMissingSkuEntity } from "../../src/db/entities/sync-item-missing-sku.entity";
import { LinkStore } from "../../src/sync/engine/links";
import { eventually, startWorld, type World } from "../support/world";

const FLOW = "ORDERS_ECWID_TO_CCV" as const;

// ---------------------------------------------------------------------------------------------
// Ecwid orders as Ecwid computes them (its create stores what it is sent, Ecwid §8.6): per item the
// promotion and the coupon share, the VAT on the discounted line (per line, to the cent), totals.

interface LineSpec {
  sku: string;
  price: number;
  qty: number;
  /** VAT % (default 21) */
  rate?: number;
  /** promotion on the whole line */
  promo?: number;
  productId?: number;
  combinationId?: number;
}

interface OrderSpec {
  email?: string;
  paymentStatus?: EcwidPaymentStatus;
  fulfillmentStatus?: EcwidFulfillmentStatus;
  billing?: EcwidPerson;
  shipping?: EcwidPerson;
  lines: LineSpec[];
  shippingRate?: number;
  coupon?: { code: string; percent: number };
  pricesIncludeTax?: boolean;
  externalOrderId?: string;
}

const cents = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);

const JAN: EcwidPerson = {
  name: "Jan Jansen",
  street: "Dorpsstraat 12a",
  city: "Utrecht",
  postalCode: "3511 AB",
  countryCode: "NL",
  phone: "030 123 4567",
};

function ecwidOrder(s: OrderSpec): Record<string, unknown> {
  const gross = s.pricesIncludeTax ?? true;
  const lines = s.lines.map((l) => ({ l, line: dec(l.price).times(l.qty), promo: dec(l.promo ?? 0) }));
  const pct = dec(s.coupon?.percent ?? 0).div(100);
  const couponTotal = cents(lines.reduce((t, x) => t.plus(x.line.minus(x.promo)), dec(0)).times(pct));
  let allocated = dec(0);
  const items: EcwidOrderItem[] = lines.map((x, i) => {
    const share =
      i === lines.length - 1 ? couponTotal.minus(allocated) : cents(x.line.minus(x.promo).times(pct));
    allocated = allocated.plus(share);
    const paid = x.line.minus(x.promo).minus(share);
    const rate = dec(x.l.rate ?? 21);
    const tax = cents(gross ? paid.times(rate).div(rate.plus(100)) : paid.times(rate).div(100));
    return {
      sku: x.l.sku,
      name: `Product ${x.l.sku}`,
      quantity: x.l.qty,
      price: x.l.price,
      ...(x.l.productId ? { productId: x.l.productId } : {}),
      ...(x.l.combinationId ? { combinationId: x.l.combinationId } : {}),
      couponAmount: toNumber(share),
      couponApplied: !share.isZero(),
      discounts: x.promo.isZero()
        ? []
        : [
            {
              discountInfo: { type: "ABS", base: "ITEM", value: toNumber(x.promo) },
              total: toNumber(x.promo),
            },
          ],
      tax: toNumber(tax),
      taxes: [
        {
          name: "BTW",
          value: rate.toNumber(),
          includeInPrice: gross,
          total: toNumber(tax),
          taxOnDiscountedSubtotal: toNumber(tax),
          taxOnShipping: 0,
        },
      ],
    };
  });
  const subtotal = lines.reduce((t, x) => t.plus(x.line), dec(0));
  const promos = lines.reduce((t, x) => t.plus(x.promo), dec(0));
  const itemTax = items.reduce((t, i) => t.plus(i.tax ?? 0), dec(0));
  const shipping = dec(s.shippingRate ?? 0);
  const shippingTax = cents(gross ? shipping.times(21).div(121) : shipping.times(21).div(100));
  const total = subtotal
    .minus(promos)
    .minus(couponTotal)
    .plus(shipping)
    .plus(gross ? 0 : itemTax.plus(shippingTax));
  return {
    email: s.email ?? "jan.jansen@example.com",
    paymentStatus: s.paymentStatus ?? "PAID",
    fulfillmentStatus: s.fulfillmentStatus ?? "AWAITING_PROCESSING",
    pricesIncludeTax: gross,
    subtotal: toNumber(subtotal),
    discount: toNumber(promos),
    couponDiscount: toNumber(couponTotal),
    ...(s.coupon
      ? { discountCoupon: { code: s.coupon.code, discountType: "PERCENT", discount: s.coupon.percent } }
      : {}),
    tax: toNumber(itemTax.plus(shippingTax)),
    total: toNumber(total),
    items,
    billingPerson: s.billing ?? JAN,
    shippingPerson: s.shipping ?? s.billing ?? JAN,
    shippingOption: {
      shippingMethodName: "PostNL",
      shippingRate: toNumber(shipping),
      shippingRateWithoutTax: toNumber(gross ? shipping.minus(shippingTax) : shipping),
      fulfillmentType: "SHIPPING",
      isPickup: false,
    },
    taxesOnShipping: [{ name: "BTW", value: 21, total: toNumber(shippingTax) }],
    ...(s.externalOrderId ? { externalOrderId: s.externalOrderId } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// helpers

const placeOrder = (w: World, s: OrderSpec) => w.ecwid.store.createOrder(ecwidOrder(s));

async function run(
  w: World,
  options?: { dryRun?: boolean; sourceIds?: string[] },
): Promise<RunFieldsFragment> {
  const queued = (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: FLOW, options }))
    .runSync;
  return w.waitRun(queued.id);
}

async function itemsOf(w: World, runId: string): Promise<ItemFieldsFragment[]> {
  return (await w.gql(SyncRunDocument, { id: runId, first: 100 })).syncRun!.items.edges.map((e) => e.node);
}

async function itemOf(w: World, runId: string, sourceId: string): Promise<ItemFieldsFragment> {
  const item = (await itemsOf(w, runId)).find((i) => i.sourceId === sourceId);
  if (!item) throw new Error(`run ${runId} has no item for ${sourceId}`);
  return item;
}

const ccvOrdersFor = (w: World, reference: string): OrderRec[] =>
  [...w.ccv.store.orders.values()].filter((o) => o.fields.reservationnumber === reference);
const orderPosts = (w: World) => w.ccv.log.find("POST", /\/orders\/?$/);
const userWrites = (w: World) => w.ccv.log.writes().filter((e) => /\/users(\/\d+)?\/?$/.test(e.path));
const usersWithEmail = (w: World, email: string) =>
  [...w.ccv.store.users.values()].filter(
    (u) => String(u.userinfo.email ?? u.username).toLowerCase() === email,
  );
const product = (w: World, sku: string, price = 10) =>
  w.ccv.store.seedProduct({ name: `CCV ${sku}`, productnumber: sku, price });

async function enable(w: World, settings?: { useDefaultDebtor?: boolean; defaultDebtor?: string | null }) {
  await w.gql(ConfigureFlowDocument, {
    integrationId: w.integrationId,
    flow: FLOW,
    input: { enabled: true, ...(settings ? { settings } : {}) },
  });
}

/** A CCV product with a size option; the combination for `size` gets `sku` and CCV adds `extra` to its price. */
function variantProduct(
  w: World,
  sku: string,
  base: number,
  extra: number,
): { productId: number; combinationId: number } {
  const s = w.ccv.store;
  const p = s.seedProduct({ name: `CCV ${sku}`, productnumber: `${sku}-BASE`, price: base });
  const attribute = s.createAttribute({ name: `Size ${sku}`, type: "option_menu_required" });
  const m = s.createAttributeValue(attribute.id, { name: "M", default_price: 0 });
  const l = s.createAttributeValue(attribute.id, { name: "L", default_price: 0 });
  s.createProductAttributeValue(p.id, { optionvalue: m.id, price: 0 });
  s.createProductAttributeValue(p.id, { optionvalue: l.id, price: extra });
  const combo = s
    .combinationsOf(p.id)
    .find((c) => c.pavIds.some((id) => s.getProductAttributeValue(id).attributevalue_id === l.id))!;
  s.patchCombination(combo.id, { sku_number: sku });
  return { productId: p.id, combinationId: combo.id };
}

// ---------------------------------------------------------------------------------------------

describe("ORDERS_ECWID_TO_CCV against both sandboxes", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
    await enable(w);
    product(w, "TEE-BLK", 19.95);
    product(w, "MUG-01", 7.5);
  });
  afterAll(() => w.stop());

  it("sends paid orders only; an unpaid one is skipped with its reason and sent by a later run once it is paid", async () => {
    const paid = placeOrder(w, {
      email: " Jan.Jansen@Example.com ",
      lines: [
        { sku: "TEE-BLK", price: 19.95, qty: 2 },
        { sku: "MUG-01", price: 7.5, qty: 1, rate: 9 },
      ],
      shippingRate: 4.95,
    });
    const unpaid = placeOrder(w, {
      email: "piet@example.com",
      paymentStatus: "AWAITING_PAYMENT",
      billing: {
        name: "Piet Pieters",
        street: "Kerkstraat 12-14",
        city: "Delft",
        postalCode: "2611 AA",
        countryCode: "NL",
      },
      lines: [{ sku: "MUG-01", price: 7.5, qty: 4, rate: 9 }],
    });

    const r = await run(w);
    expect(r.status).toBe("SUCCEEDED");
    expect(r.counts).toEqual({ total: 2, created: 1, updated: 0, skipped: 1, failed: 0 });

    const sent = await itemOf(w, r.id, paid.orderId);
    const [ccv] = ccvOrdersFor(w, paid.orderId);
    expect(sent).toMatchObject({
      entity: "ORDER",
      action: "CREATE",
      status: "SUCCEEDED",
      sku: null,
      targetId: String(ccv.id),
    });
    expect(sent.reason).toMatch(
      new RegExp(
        `^Sent to CCV SalesPOS as order ${ccv.ordernumber_full}; customer account ${ccv.user_id} \\(Ecwid customer \\d+\\) created \\(b2c\\)\\.$`,
      ),
    );
    // the item shows exactly the body that was posted, and the Ecwid order it came from
    const post = orderPosts(w).find(
      (p) => (JSON.parse(p.body) as { reservationnumber?: string }).reservationnumber === paid.orderId,
    )!;
    expect(sent.sentPayload).toEqual(JSON.parse(post.body));
    expect(sent.sourcePayload).toMatchObject({
      id: paid.orderId,
      paymentStatus: "PAID",
      email: " Jan.Jansen@Example.com ",
    });
    expect(sent.changes).toEqual(
      expect.arrayContaining([
        { field: "reservationnumber", before: null, after: paid.orderId },
        { field: "paid", before: null, after: true },
        { field: "customer.email", before: null, after: "jan.jansen@example.com" },
        { field: "customer.billingaddress.street", before: null, after: "Dorpsstraat" },
        { field: "customer.billingaddress.housenumber", before: null, after: 12 },
      ]),
    );

    expect(ccv.paid).toBe(true);
    expect(ccv.fields).toMatchObject({
      currency: "EUR",
      order_row_taxes_included: true,
      total_shipping: 4.95,
      deliver_method: "shipping",
    });
    expect(ccv.rows.map((row) => [row.product_number, row.count, row.price, row.discount, row.tax])).toEqual([
      ["TEE-BLK", 2, 19.95, 0, 21],
      ["MUG-01", 1, 7.5, 0, 9],
    ]);
    expect(ccv.customer).toMatchObject({
      email: "jan.jansen@example.com",
      customertype: "b2c",
      billingaddress: {
        first_name: "Jan",
        last_name: "Jansen",
        street: "Dorpsstraat",
        housenumber: 12,
        housenumber_suffix: "a",
        zipcode: "3511 AB",
        city: "Utrecht",
        country_code: "NL",
        telephone: "030 123 4567",
      },
      deliveryaddress: {
        full_name: "Jan Jansen",
        street: "Dorpsstraat",
        housenumber: 12,
        housenumber_suffix: "a",
        zipcode: "3511 AB",
      },
    });
    expect(ccv.customer.billingaddress).not.toHaveProperty("company");
    const [user] = usersWithEmail(w, "jan.jansen@example.com");
    expect(user).toMatchObject({
      id: ccv.user_id,
      username: "jan.jansen@example.com",
      userinfo: { customertype: "b2c" },
    });

    const skipped = await itemOf(w, r.id, unpaid.orderId);
    expect(skipped).toMatchObject({ action: "SKIP", status: "SKIPPED", targetId: null });
    expect(skipped.reason).toMatch(
      /Payment status AWAITING_PAYMENT .* not among the statuses that send orders to CCV SalesPOS \(PAID\)/,
    );
    expect(ccvOrdersFor(w, unpaid.orderId)).toHaveLength(0);

    // paid later: the next (scheduled-like) run sends it, and only it
    w.ecwid.store.updateOrder(unpaid.orderId, { paymentStatus: "PAID" });
    const r2 = await run(w);
    expect(r2.counts).toMatchObject({ created: 1, skipped: 1, failed: 0 });
    expect(await itemOf(w, r2.id, unpaid.orderId)).toMatchObject({ action: "CREATE", status: "SUCCEEDED" });
    expect((await itemOf(w, r2.id, paid.orderId)).reason).toBe(
      `Already in CCV SalesPOS as order ${ccv.ordernumber_full}.`,
    );
    const [later] = ccvOrdersFor(w, unpaid.orderId);
    expect(later.customer.billingaddress).toMatchObject({
      street: "Kerkstraat",
      housenumber: 12,
      housenumber_suffix: "-14",
    });
  });

  it("a second run sends nothing new", async () => {
    const posts = orderPosts(w).length;
    const writes = w.ccv.log.writes().length;
    const r = await run(w);
    expect(r.status).toBe("SUCCEEDED");
    expect(r.counts).toMatchObject({ created: 0, failed: 0 });
    expect(r.counts.skipped).toBe(r.counts.total);
    expect(orderPosts(w)).toHaveLength(posts);
    expect(w.ccv.log.writes()).toHaveLength(writes);
    for (const i of await itemsOf(w, r.id))
      expect(i.reason).toMatch(/^Already in CCV SalesPOS as order \d+\.$/);
  });

  it("creates a business customer (b2b, company, the person as contact) and a private person", async () => {
    const company = placeOrder(w, {
      email: "inkoop@bakkerij.example",
      billing: {
        name: "Anna de Vries",
        companyName: "Bakkerij de Vries B.V.",
        street: "Am Markt 12a",
        city: "Bremen",
        postalCode: "28195",
        countryCode: "DE",
      },
      shipping: {
        name: "Lager",
        companyName: "Bakkerij de Vries B.V.",
        street: "Straße des 17. Juni 135",
        city: "Berlin",
        postalCode: "10623",
        countryCode: "DE",
      },
      lines: [{ sku: "MUG-01", price: 7.5, qty: 10, rate: 9 }],
    });
    const person = placeOrder(w, {
      email: "els@example.com",
      billing: {
        name: "Els Smit",
        street: "Laan van Meerdervoort 1001 B",
        city: "Den Haag",
        postalCode: "2564 AA",
        countryCode: "NL",
      },
      lines: [{ sku: "TEE-BLK", price: 19.95, qty: 1 }],
    });
    const r = await run(w, { sourceIds: [company.orderId, person.orderId] });
    expect(r.counts).toMatchObject({ created: 2, failed: 0 });

    const [b2b] = usersWithEmail(w, "inkoop@bakkerij.example");
    expect(b2b.userinfo).toMatchObject({
      customertype: "b2b",
      billingaddress: {
        company: "Bakkerij de Vries B.V.",
        first_name: "Anna",
        last_name: "de Vries",
        street: "Am Markt",
        housenumber: 12,
        housenumber_suffix: "a",
        country_code: "DE",
      },
      deliveryaddress: { company: "Bakkerij de Vries B.V.", street: "Straße des 17. Juni", housenumber: 135 },
    });
    expect(ccvOrdersFor(w, company.orderId)[0]).toMatchObject({
      user_id: b2b.id,
      customer: { customertype: "b2b" },
    });
    expect((await itemOf(w, r.id, company.orderId)).reason).toMatch(/created \(b2b\)\.$/);

    const [b2c] = usersWithEmail(w, "els@example.com");
    expect(b2c.userinfo).toMatchObject({
      customertype: "b2c",
      billingaddress: {
        first_name: "Els",
        last_name: "Smit",
        street: "Laan van Meerdervoort",
        housenumber: 1001,
        housenumber_suffix: "B",
      },
    });
    expect(b2c.userinfo.billingaddress).not.toHaveProperty("company");
  });

  it("a missing product fails the item naming the SKUs, and the retry succeeds once they exist", async () => {
    const o = placeOrder(w, {
      email: "newbie@example.com",
      lines: [
        { sku: "TEE-BLK", price: 19.95, qty: 1 },
        { sku: "LAMP-01", price: 49, qty: 1 },
        { sku: "LAMP-02", price: 59, qty: 2 },
      ],
    });
    const posts = orderPosts(w).length;
    const r = await run(w, { sourceIds: [o.orderId] });
    expect(r.status).toBe("FAILED");
    const failed = await itemOf(w, r.id, o.orderId);
    expect(failed).toMatchObject({ status: "FAILED", errorCode: "MISSING_PRODUCT", attempts: 1 });
    expect(failed.reason).toBe(
      "2 SKUs not found in CCV SalesPOS: LAMP-01, LAMP-02. Create the products in CCV (or sync them), then retry this item.",
    );
    const recorded = await w.t.gw.dataSource.manager.find(SyncItemMissingSkuEntity, {
      where: { itemId: Number(failed.id) },
      order: { sku: "ASC" },
    });
    expect(recorded.map((m) => m.sku)).toEqual(["LAMP-01", "LAMP-02"]);
    expect(orderPosts(w)).toHaveLength(posts);
    expect(usersWithEmail(w, "newbie@example.com")).toHaveLength(0);

    product(w, "LAMP-01", 49);
    product(w, "LAMP-02", 59);
    const retry = (await w.gql(RetryFailedItemsDocument, { runId: r.id })).retryFailedItems;
    const done = await w.waitRun(retry.id);
    expect(done.counts).toEqual({ total: 1, created: 1, updated: 0, skipped: 0, failed: 0 });
    const [ccv] = ccvOrdersFor(w, o.orderId);
    expect(ccv.rows.map((row) => row.product_number)).toEqual(["TEE-BLK", "LAMP-01", "LAMP-02"]);
  });

  it("a 500 on the order POST after CCV stored it creates no duplicate: the retry finds the order by its reference", async () => {
    w.ccv.faults.add({ method: "POST", path: /\/orders\/?$/, kind: "status", status: 500, afterApply: true });
    const o = placeOrder(w, {
      email: "flaky@example.com",
      lines: [{ sku: "MUG-01", price: 7.5, qty: 3, rate: 9 }],
    });
    const r = await run(w, { sourceIds: [o.orderId] });
    expect(r.status).toBe("SUCCEEDED");
    const item = await itemOf(w, r.id, o.orderId);
    const stored = ccvOrdersFor(w, o.orderId);
    expect(stored).toHaveLength(1);
    expect(item).toMatchObject({
      action: "CREATE",
      status: "SUCCEEDED",
      attempts: 2,
      targetId: String(stored[0].id),
    });
    expect(item.reason).toMatch(
      /an earlier attempt created it \(found by its reservation number .+\); linked, not sent again\.$/,
    );
    const posts = orderPosts(w).filter((p) => p.body.includes(`"${o.orderId}"`));
    expect(posts.map((p) => p.status)).toEqual([500]);
    expect(usersWithEmail(w, "flaky@example.com")).toHaveLength(1);
    // linked: a later run skips it
    const again = await run(w, { sourceIds: [o.orderId] });
    expect((await itemOf(w, again.id, o.orderId)).reason).toBe(
      `Already in CCV SalesPOS as order ${stored[0].ordernumber_full}.`,
    );
  });

  it("suppresses echoes: an Ecwid order the gateway created from a CCV sale is never sent back", async () => {
    const posts = orderPosts(w).length;
    // (1) the opposite flow's link (created by the gateway on the Ecwid side)
    const fromPos = placeOrder(w, {
      email: "pos@example.com",
      lines: [{ sku: "MUG-01", price: 7.5, qty: 1, rate: 9 }],
    });
    const links = new LinkStore(w.t.gw.dataSource, w.integrationId);
    await w.t.gw.dataSource.transaction((em) =>
      links.upsert(em, { entity: "ORDER", ecwidId: fromPos.orderId, ccvId: "500000999", createdBy: "ECWID" }),
    );
    // (2) a POS sale whose Ecwid copy carries its id in externalOrderId, before any link was recorded
    const sale = w.ccv.store.createOrder({
      customer: {},
      orderrows: [{ product_id: [...w.ccv.store.products.keys()][0], count: 1 }],
      paid: true,
    });
    const copy = placeOrder(w, {
      email: "pos@example.com",
      lines: [{ sku: "TEE-BLK", price: 19.95, qty: 1 }],
      externalOrderId: String(sale.id),
    });
    // an externalOrderId that is not a CCV order is someone else's (e.g. a fulfilment app): sent
    const foreign = placeOrder(w, {
      email: "pos@example.com",
      lines: [{ sku: "TEE-BLK", price: 19.95, qty: 1 }],
      externalOrderId: "77",
    });

    const r = await run(w, { sourceIds: [fromPos.orderId, copy.orderId, foreign.orderId] });
    expect(r.counts).toMatchObject({ created: 1, skipped: 2, failed: 0 });
    expect((await itemOf(w, r.id, fromPos.orderId)).reason).toBe(
      "echo: the gateway created this Ecwid order from CCV SalesPOS order id 500000999; it is not sent back.",
    );
    expect((await itemOf(w, r.id, copy.orderId)).reason).toBe(
      `echo: its externalOrderId ${sale.id} is CCV SalesPOS order ${sale.ordernumber_full}: the order came from CCV SalesPOS.`,
    );
    expect(await itemOf(w, r.id, foreign.orderId)).toMatchObject({ action: "CREATE", status: "SUCCEEDED" });
    expect(orderPosts(w)).toHaveLength(posts + 1);
  });

  it("a dry run records the planned CCV payload and writes nothing to either system", async () => {
    const o = placeOrder(w, {
      email: "dry@example.com",
      lines: [{ sku: "TEE-BLK", price: 19.95, qty: 2, promo: 3 }],
      shippingRate: 6.95,
    });
    const ccvWrites = w.ccv.log.writes().length;
    const ecwidWrites = w.ecwid.log.writes().length;
    const r = await run(w, { dryRun: true, sourceIds: [o.orderId] });
    expect(r).toMatchObject({ dryRun: true, status: "SUCCEEDED" });
    const item = await itemOf(w, r.id, o.orderId);
    expect(item).toMatchObject({ action: "CREATE", status: "PENDING", targetId: null });
    expect(item.reason).toMatch(
      /^Would be sent to CCV SalesPOS; a new customer account for Ecwid customer \d+ would be created \(b2c\)\.$/,
    );
    expect(item.sentPayload).toMatchObject({
      reservationnumber: o.orderId,
      paid: true,
      orderrows: [{ count: 2, price: 19.95, discount: 1.5, tax: 21 }],
      total_shipping: 6.95,
      customer: {
        email: "dry@example.com",
        customertype: "b2c",
        billingaddress: { street: "Dorpsstraat", housenumber: 12 },
      },
    });
    expect(item.sentPayload).not.toHaveProperty("user_id");
    expect(item.changes).toContainEqual({ field: "customer.email", before: null, after: "dry@example.com" });
    expect(w.ccv.log.writes()).toHaveLength(ccvWrites);
    expect(w.ecwid.log.writes()).toHaveLength(ecwidWrites);
    // nothing was linked: the real run creates it
    const real = await run(w, { sourceIds: [o.orderId] });
    expect(real.counts.created).toBe(1);
    expect(ccvOrdersFor(w, o.orderId)).toHaveLength(1);
  });

  it("books an order without e-mail as a guest order (no account), keeping a second street line as address lines", async () => {
    const users = w.ccv.store.users.size;
    const o = placeOrder(w, {
      email: "",
      billing: {
        name: "Max Mustermann",
        street: "Hauptstraße 5\nHinterhaus",
        city: "Köln",
        postalCode: "50667",
        countryCode: "DE",
      },
      shipping: {
        name: "Erika Mustermann",
        street: "Postfach",
        city: "Köln",
        postalCode: "50668",
        countryCode: "DE",
      },
      lines: [{ sku: "TEE-BLK", price: 19.95, qty: 1 }],
    });
    const r = await run(w, { sourceIds: [o.orderId] });
    const item = await itemOf(w, r.id, o.orderId);
    const [ccv] = ccvOrdersFor(w, o.orderId);
    expect(item.reason).toBe(
      `Sent to CCV SalesPOS as order ${ccv.ordernumber_full}; a guest order (no e-mail, so no customer account).`,
    );
    expect(w.ccv.store.users.size).toBe(users);
    expect(ccv.user_id).toBeNull();
    // CCV takes street + number or free lines (CCV §5.7): a second line cannot go with street + number
    expect(ccv.customer).toEqual({
      customertype: "b2c",
      billingaddress: {
        first_name: "Max",
        last_name: "Mustermann",
        address_line_1: "Hauptstraße 5",
        address_line_2: "Hinterhaus",
        zipcode: "50667",
        city: "Köln",
        country_code: "DE",
      },
      deliveryaddress: {
        full_name: "Erika Mustermann",
        address_line_1: "Postfach",
        zipcode: "50668",
        city: "Köln",
        country_code: "DE",
      },
    });
    // without an account the changes show the customer data the order carries
    expect(item.changes).toContainEqual({
      field: "customer.billingaddress.address_line_2",
      before: null,
      after: "Hinterhaus",
    });
  });

  it("a customer account CCV refuses fails the item with CUSTOMER and sends no order", async () => {
    w.ccv.faults.add({
      method: "POST",
      path: /\/users\/?$/,
      kind: "status",
      status: 400,
      body: { code: "400.10", status: 400, developermessage: "Property 'email' is invalid." },
    });
    const o = placeOrder(w, {
      email: "refused@example.com",
      lines: [{ sku: "TEE-BLK", price: 19.95, qty: 1 }],
    });
    const r = await run(w, { sourceIds: [o.orderId] });
    const item = await itemOf(w, r.id, o.orderId);
    expect(item).toMatchObject({ status: "FAILED", errorCode: "CUSTOMER" });
    expect(item.reason).toMatch(
      /^CCV SalesPOS refused the customer account of Ecwid customer \d+: .*Property 'email' is invalid/,
    );
    expect(ccvOrdersFor(w, o.orderId)).toHaveLength(0);
  });

  describe("money", () => {
    let hoodie: { productId: number; combinationId: number };
    beforeAll(() => {
      for (const [sku, price] of [
        ["CAP-RED", 12.99],
        ["SOCK-3P", 9.99],
        ["BOOK-NL", 24.5],
        ["STICKER", 0.99],
      ] as const)
        product(w, sku, price);
      // CCV adds 5.00 for size L: the row is sent at 39.95 and CCV's row shows 44.95
      hoodie = variantProduct(w, "HOODIE-L", 39.95, 5);
    });

    const lines = (): LineSpec[] => [
      { sku: "TEE-BLK", price: 19.95, qty: 3, promo: 2 },
      { sku: "MUG-01", price: 7.49, qty: 2, rate: 9 },
      { sku: "CAP-RED", price: 12.99, qty: 1 },
      { sku: "SOCK-3P", price: 9.99, qty: 4 },
      { sku: "BOOK-NL", price: 24.5, qty: 1, rate: 9 },
      { sku: "HOODIE-L", price: 44.95, qty: 2, combinationId: 422488001 },
      { sku: "STICKER", price: 0.99, qty: 7 },
    ];

    it.each([
      ["gross", true],
      ["net (converted to CCV's gross rows)", false],
    ])(
      "7 lines, a percentage coupon, a promotion and shipping: CCV's total is Ecwid's to the cent (%s Ecwid prices)",
      async (_label, pricesIncludeTax) => {
        const spec: OrderSpec = {
          email: "money@example.com",
          lines: lines(),
          coupon: { code: "TIEN", percent: 10 },
          shippingRate: 6.95,
          pricesIncludeTax,
        };
        const o = placeOrder(w, spec);
        const ecwid = w.ecwid.store.getOrder(o.orderId);
        const r = await run(w, { sourceIds: [o.orderId] });
        expect(r.counts).toMatchObject({ created: 1, failed: 0 });
        const [ccv] = ccvOrdersFor(w, o.orderId);
        const rendered = w.ccv.store.renderOrder(ccv);
        expect(dec(rendered.total_price as number).toFixed(2)).toBe(dec(ecwid.total!).toFixed(2));
        // the discounts are on the rows, not a lump sum: nothing was left for extra costs
        expect(rendered.extra_costs).toBe(0);
        // every line's promotion and coupon share is on its row (gross rows: a net discount plus its VAT),
        // up to the 4-decimal per-unit representation
        ccv.rows.forEach((row, i) => {
          const item = ecwid.items![i];
          const lineDiscount = dec(item.couponAmount ?? 0).plus(
            (item.discounts ?? []).reduce((t, d) => t.plus(d.total ?? 0), dec(0)),
          );
          const expected = pricesIncludeTax
            ? lineDiscount
            : lineDiscount.times(dec(item.taxes![0].value!).div(100).plus(1));
          expect(dec(row.discount).times(row.count).minus(expected).abs().lt(0.005)).toBe(true);
        });
        expect(ccv.rows.some((row) => row.discount > 0)).toBe(true);
        const variantRow = ccv.rows.find((row) => row.attribute_combination_id === hoodie.combinationId)!;
        expect(variantRow.product_id).toBe(hoodie.productId);
        expect(w.ccv.store.renderOrder(ccv).order_row_taxes_included).toBe(true);
        if (pricesIncludeTax) {
          expect(variantRow.price).toBe(39.95);
          expect(ccv.rows.map((row) => row.tax)).toEqual([21, 9, 21, 21, 9, 21, 21]);
        }
      },
    );
  });
});

describe("ORDERS_ECWID_TO_CCV with customers that already exist in CCV", () => {
  let w: World;
  let klaas: { id: number };
  beforeAll(async () => {
    w = await startWorld();
    await enable(w);
    product(w, "TEE-BLK", 19.95);
    klaas = w.ccv.store.seedUser("klaas@example.com", {
      customertype: "b2c",
      billingaddress: {
        first_name: "Klaas",
        last_name: "Bakker",
        street: "Oude Gracht",
        housenumber: 1,
        zipcode: "1000 AA",
        city: "Amsterdam",
        country_code: "NL",
        mobile: "06 1234 5678",
      },
    });
  });
  afterAll(() => w.stop());

  const klaasOrder = () =>
    placeOrder(w, {
      email: "KLAAS@example.com",
      billing: {
        name: "Klaas Bakker",
        street: "2e Helmersstraat 5 hs",
        city: "Amsterdam",
        postalCode: "1054 CA",
        countryCode: "NL",
      },
      lines: [{ sku: "TEE-BLK", price: 19.95, qty: 1 }],
    });

  it("reuses the account found by e-mail and updates it when the address changed", async () => {
    const o = klaasOrder();
    const r = await run(w, { sourceIds: [o.orderId] });
    expect(r.counts.created).toBe(1);
    const item = await itemOf(w, r.id, o.orderId);
    expect(item.reason).toMatch(
      new RegExp(`customer account ${klaas.id} \\(Ecwid customer \\d+\\) updated \\(\\d+ fields\\)\\.$`),
    );
    expect(item.changes).toEqual(
      expect.arrayContaining([
        { field: "customer.billingaddress.street", before: "Oude Gracht", after: "2e Helmersstraat" },
        { field: "customer.billingaddress.housenumber", before: 1, after: 5 },
        { field: "customer.billingaddress.housenumber_suffix", before: null, after: "hs" },
        { field: "customer.billingaddress.zipcode", before: "1000 AA", after: "1054 CA" },
      ]),
    );
    expect(item.changes.filter((c) => c.field.startsWith("customer.billingaddress.first_name"))).toEqual([]);
    expect(w.ccv.log.find("POST", /\/users\/?$/)).toHaveLength(0);
    expect(w.ccv.log.find("PATCH", new RegExp(`/users/${klaas.id}/?$`))).toHaveLength(1);
    const user = w.ccv.store.users.get(klaas.id)!;
    // the address is updated field by field: what the order does not carry (mobile) is kept
    expect(user.userinfo.billingaddress).toMatchObject({
      street: "2e Helmersstraat",
      housenumber: 5,
      housenumber_suffix: "hs",
      zipcode: "1054 CA",
      first_name: "Klaas",
      mobile: "06 1234 5678",
    });
    expect(usersWithEmail(w, "klaas@example.com")).toHaveLength(1);
    expect(ccvOrdersFor(w, o.orderId)[0].user_id).toBe(klaas.id);
  });

  it("a second order with the same data reuses the account without writing to it", async () => {
    const writes = userWrites(w).length;
    const o = klaasOrder();
    const r = await run(w, { sourceIds: [o.orderId] });
    expect(r.counts.created).toBe(1);
    expect((await itemOf(w, r.id, o.orderId)).reason).toMatch(
      new RegExp(`customer account ${klaas.id} \\(Ecwid customer \\d+\\) reused\\.$`),
    );
    expect(userWrites(w)).toHaveLength(writes);
    expect(ccvOrdersFor(w, o.orderId)[0].user_id).toBe(klaas.id);
  });

  it("orders of one new customer in one run: the account is made once, later orders know it without reading it again, a changed address still updates it", async () => {
    const order = (street: string) =>
      placeOrder(w, {
        email: "sanne@example.com",
        billing: {
          name: "Sanne de Vries",
          street,
          city: "Utrecht",
          postalCode: "3511 AB",
          countryCode: "NL",
        },
        lines: [{ sku: "TEE-BLK", price: 19.95, qty: 1 }],
      });
    const [o1, o2, o3] = [order("Dorpsstraat 12"), order("Dorpsstraat 12"), order("Kerkstraat 3")];
    const r = await run(w, { sourceIds: [o1.orderId, o2.orderId, o3.orderId] });
    expect(r.counts.created).toBe(3);
    const [sanne] = usersWithEmail(w, "sanne@example.com");
    expect(usersWithEmail(w, "sanne@example.com")).toHaveLength(1);
    expect(w.ccv.log.find("POST", /\/users\/?$/)).toHaveLength(1);
    // what the run wrote is what CCV holds: no GET /users/{id} for the account it made
    expect(w.ccv.log.find("GET", new RegExp(`/users/${sanne.id}/?$`))).toHaveLength(0);
    expect((await itemOf(w, r.id, o2.orderId)).reason).toMatch(/reused\.$/);
    const third = await itemOf(w, r.id, o3.orderId);
    expect(third.reason).toMatch(/updated \(\d+ fields\)\.$/);
    expect(third.changes).toEqual(
      expect.arrayContaining([
        { field: "customer.billingaddress.street", before: "Dorpsstraat", after: "Kerkstraat" },
        { field: "customer.billingaddress.housenumber", before: 12, after: 3 },
      ]),
    );
    expect(w.ccv.log.find("PATCH", new RegExp(`/users/${sanne.id}/?$`))).toHaveLength(1);
    expect(w.ccv.store.users.get(sanne.id)!.userinfo.billingaddress).toMatchObject({
      street: "Kerkstraat",
      housenumber: 3,
      first_name: "Sanne",
    });
    for (const o of [o1, o2, o3]) expect(ccvOrdersFor(w, o.orderId)[0].user_id).toBe(sanne.id);
  });

  it("an account made in CCV after the e-mail index was built is found when its username clashes, not duplicated", async () => {
    const late = w.ccv.store.seedUser("late@example.com", { customertype: "b2c" });
    const o = placeOrder(w, { email: "late@example.com", lines: [{ sku: "TEE-BLK", price: 19.95, qty: 1 }] });
    const r = await run(w, { sourceIds: [o.orderId] });
    expect(r.counts).toMatchObject({ created: 1, failed: 0 });
    expect(usersWithEmail(w, "late@example.com")).toHaveLength(1);
    expect(ccvOrdersFor(w, o.orderId)[0].user_id).toBe(late.id);
    expect(w.ccv.store.users.get(late.id)!.userinfo.billingaddress).toMatchObject({
      street: "Dorpsstraat",
      housenumber: 12,
    });
  });
});

describe("ORDERS_ECWID_TO_CCV with a default debtor", () => {
  let w: World;
  let debtor: { id: number };
  beforeAll(async () => {
    w = await startWorld();
    product(w, "TEE-BLK", 19.95);
    debtor = w.ccv.store.seedUser("webshop@example.com", {
      customertype: "b2b",
      billingaddress: { company: "Webshop orders" },
    });
  });
  afterAll(() => w.stop());

  it("books orders on the configured debtor (by e-mail or by id) and creates no customer", async () => {
    await enable(w, { useDefaultDebtor: true, defaultDebtor: "Webshop@Example.com" });
    const users = w.ccv.store.users.size;
    const a = placeOrder(w, {
      email: "buyer-a@example.com",
      lines: [{ sku: "TEE-BLK", price: 19.95, qty: 1 }],
    });
    const r = await run(w, { sourceIds: [a.orderId] });
    expect(r.counts.created).toBe(1);
    const [order] = ccvOrdersFor(w, a.orderId);
    expect(order.user_id).toBe(debtor.id);
    // the order still carries the buyer's data (addresses for the parcel)
    expect(order.customer).toMatchObject({
      email: "buyer-a@example.com",
      billingaddress: { last_name: "Jansen" },
    });
    expect((await itemOf(w, r.id, a.orderId)).reason).toBe(
      `Sent to CCV SalesPOS as order ${order.ordernumber_full}; booked on the default debtor (customer account ${debtor.id}).`,
    );
    expect(w.ccv.store.users.size).toBe(users);
    expect(userWrites(w)).toHaveLength(0);

    await enable(w, { useDefaultDebtor: true, defaultDebtor: String(debtor.id) });
    const b = placeOrder(w, {
      email: "buyer-b@example.com",
      lines: [{ sku: "TEE-BLK", price: 19.95, qty: 1 }],
    });
    await run(w, { sourceIds: [b.orderId] });
    expect(ccvOrdersFor(w, b.orderId)[0].user_id).toBe(debtor.id);
    expect(w.ccv.store.users.size).toBe(users);
  });

  it("fails the item with DEFAULT_DEBTOR when the debtor does not exist", async () => {
    await enable(w, { useDefaultDebtor: true, defaultDebtor: "24999999" });
    const o = placeOrder(w, {
      email: "buyer-c@example.com",
      lines: [{ sku: "TEE-BLK", price: 19.95, qty: 1 }],
    });
    const r = await run(w, { sourceIds: [o.orderId] });
    expect(await itemOf(w, r.id, o.orderId)).toMatchObject({
      status: "FAILED",
      errorCode: "DEFAULT_DEBTOR",
      reason: "The default debtor 24999999 is not a customer in CCV SalesPOS (no user with that id).",
    });
    expect(ccvOrdersFor(w, o.orderId)).toHaveLength(0);
  });
});

describe("ORDERS_ECWID_TO_CCV triggered by Ecwid webhooks", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
    await enable(w);
    product(w, "TEE-BLK", 19.95);
    w.ecwid.registerWebhook(`${w.t.url}/webhooks/ecwid/${w.integrationId}`, [
      "order.created",
      "order.updated",
    ]);
  });
  afterAll(() => w.stop());

  const webhookRuns = async () =>
    (await w.gql(SyncRunsDocument, { integrationId: w.integrationId, flow: FLOW })).syncRuns.edges
      .map((e) => e.node)
      .filter((r) => r.trigger === "WEBHOOK");

  it("order.created of an unpaid order is skipped; order.updated to PAID sends it", async () => {
    const o = placeOrder(w, {
      email: "hook@example.com",
      paymentStatus: "AWAITING_PAYMENT",
      lines: [{ sku: "TEE-BLK", price: 19.95, qty: 1 }],
    });
    await w.ecwid.webhooks.flush();
    const first = await w.waitRun(
      (await eventually(async () => (await webhookRuns())[0], "a webhook run")).id,
    );
    expect(first.counts).toMatchObject({ total: 1, skipped: 1 });
    expect((await itemOf(w, first.id, o.orderId)).reason).toMatch(/AWAITING_PAYMENT/);

    w.ecwid.store.updateOrder(o.orderId, { paymentStatus: "PAID" });
    await w.ecwid.webhooks.flush();
    const second = await w.waitRun(
      (
        await eventually(
          async () => (await webhookRuns()).find((r) => r.id !== first.id),
          "a second webhook run",
        )
      ).id,
    );
    expect(second.counts).toMatchObject({ total: 1, created: 1 });
    // the webhook names the internal id as entityId; the item is keyed by the public string id
    expect(await itemOf(w, second.id, o.orderId)).toMatchObject({ action: "CREATE", status: "SUCCEEDED" });
    expect(ccvOrdersFor(w, o.orderId)).toHaveLength(1);
    expect(w.ecwid.webhooks.deliveries.every((d) => d.status === 200)).toBe(true);

    // a run for the internal id reads the same order
    const byInternal = await run(w, { sourceIds: [String(o.id)] });
    expect((await itemsOf(w, byInternal.id))[0]).toMatchObject({ sourceId: o.orderId, action: "SKIP" });
  });
});

describe("ORDERS_ECWID_TO_CCV mappings", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
    await enable(w);
    product(w, "TEE-BLK", 19.95);
  });
  afterAll(() => w.stop());

  it("lists default mappings for the fields of the hosted integration's data mapper", async () => {
    const targets = (await w.gql(DefaultFieldMappingsDocument, { flow: FLOW })).defaultFieldMappings.map(
      (m) => m.target,
    );
    expect(targets).toEqual(
      expect.arrayContaining([
        "customer.billingaddress.first_name",
        "customer.billingaddress.last_name",
        "customer.billingaddress.street",
        "customer.billingaddress.housenumber",
        "customer.billingaddress.housenumber_suffix",
        "customer.billingaddress.zipcode",
        "customer.billingaddress.city",
        "customer.billingaddress.country_code",
        "customer.deliveryaddress.street",
        "customer.deliveryaddress.housenumber",
        "customer.deliveryaddress.zipcode",
        "customer.deliveryaddress.city",
        "customer.deliveryaddress.country_code",
        "orderrows",
        "total_shipping",
        "paid",
        "reservationnumber",
        "currency",
        "order_row_taxes_included",
        "deliver_method",
      ]),
    );
  });

  it("previews the CCV body of an order, also when a product is missing", async () => {
    const o = placeOrder(w, {
      lines: [
        { sku: "TEE-BLK", price: 19.95, qty: 2 },
        { sku: "NOT-IN-CCV", price: 5, qty: 1 },
      ],
    });
    const preview = (
      await w.gql(PreviewMappingDocument, { integrationId: w.integrationId, flow: FLOW, sourceId: o.orderId })
    ).previewMapping;
    expect(preview.errors).toEqual([]);
    expect(preview.sourcePayload).toMatchObject({ id: o.orderId });
    const tee = [...w.ccv.store.products.values()].find((p) => p.productnumber === "TEE-BLK")!;
    expect(preview.targetPayload).toMatchObject({
      reservationnumber: o.orderId,
      orderrows: [{ product_id: tee.id, count: 2, price: 19.95, discount: 0, tax: 21 }],
      customer: {
        customertype: "b2c",
        billingaddress: { street: "Dorpsstraat", housenumber: 12, housenumber_suffix: "a" },
      },
    });
    expect((preview.targetPayload as { orderrows: unknown[] }).orderrows).toHaveLength(1);
  });

  it("user mappings override defaults (reference, a customer field, the rows via $ctx) and keep orders single", async () => {
    await w.gql(SetFieldMappingsDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      mappings: [
        { target: "reservationnumber", expression: '"WEB-" & id' },
        {
          target: "customer.billingaddress.zipcode",
          expression: '$uppercase($replace(billingPerson.postalCode, " ", ""))',
        },
        // [ … ] keeps a one-row result an array (JSONata unwraps single results)
        { target: "orderrows", expression: '[$ctx.rows.$merge([$, {"memo": "Ecwid order " & $$.id}])]' },
      ],
    });
    const o = placeOrder(w, {
      email: "mapped@example.com",
      lines: [{ sku: "TEE-BLK", price: 19.95, qty: 1 }],
    });
    const preview = (
      await w.gql(PreviewMappingDocument, { integrationId: w.integrationId, flow: FLOW, sourceId: o.orderId })
    ).previewMapping;
    expect(preview.targetPayload).toMatchObject({
      reservationnumber: `WEB-${o.orderId}`,
      customer: { billingaddress: { zipcode: "3511AB", city: "Utrecht" } },
      orderrows: [{ count: 1, memo: `Ecwid order ${o.orderId}` }],
    });

    // the mapped reference is the one looked up before a create: a lost answer is still not repeated
    w.ccv.faults.add({ method: "POST", path: /\/orders\/?$/, kind: "status", status: 500, afterApply: true });
    const r = await run(w, { sourceIds: [o.orderId] });
    const item = await itemOf(w, r.id, o.orderId);
    expect(item).toMatchObject({ status: "SUCCEEDED", attempts: 2 });
    const stored = ccvOrdersFor(w, `WEB-${o.orderId}`);
    expect(stored).toHaveLength(1);
    expect(stored[0].rows[0].memo).toBe(`Ecwid order ${o.orderId}`);
    expect(stored[0].customer.billingaddress).toMatchObject({ zipcode: "3511AB" });
    expect(usersWithEmail(w, "mapped@example.com")[0].userinfo.billingaddress).toMatchObject({
      zipcode: "3511AB",
    });
  });

  it("refuses a reference mapping that is not unique per order (MAPPING), without touching the other order's link", async () => {
    await w.gql(SetFieldMappingsDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      mappings: [{ target: "reservationnumber", expression: '"WEBSHOP"' }],
    });
    const a = placeOrder(w, { lines: [{ sku: "TEE-BLK", price: 19.95, qty: 1 }] });
    const b = placeOrder(w, { lines: [{ sku: "TEE-BLK", price: 19.95, qty: 2 }] });
    const r = await run(w, { sourceIds: [a.orderId, b.orderId] });
    expect(r.counts).toMatchObject({ created: 1, failed: 1 });
    const [first] = ccvOrdersFor(w, "WEBSHOP");
    expect(await itemOf(w, r.id, b.orderId)).toMatchObject({
      status: "FAILED",
      errorCode: "MAPPING",
      reason: `The reservation number WEBSHOP is already on CCV SalesPOS order ${first.ordernumber_full}, which belongs to Ecwid order ${a.orderId}: the reservationnumber mapping must give every order its own reference.`,
    });
    expect(ccvOrdersFor(w, "WEBSHOP")).toHaveLength(1);
    const again = await run(w, { sourceIds: [a.orderId] });
    expect((await itemOf(w, again.id, a.orderId)).reason).toBe(
      `Already in CCV SalesPOS as order ${first.ordernumber_full}.`,
    );
  });

  it("refuses a mapping that leaves out the reference (MAPPING)", async () => {
    await w.gql(SetFieldMappingsDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      mappings: [{ target: "reservationnumber", policy: "NEVER" }],
    });
    const o = placeOrder(w, { lines: [{ sku: "TEE-BLK", price: 19.95, qty: 1 }] });
    const r = await run(w, { sourceIds: [o.orderId] });
    const item = await itemOf(w, r.id, o.orderId);
    expect(item).toMatchObject({ status: "FAILED", errorCode: "MAPPING" });
    expect(item.reason).toMatch(/^reservationnumber is empty/);
    expect(ccvOrdersFor(w, o.orderId)).toHaveLength(0);
    await w.gql(SetFieldMappingsDocument, { integrationId: w.integrationId, flow: FLOW, mappings: [] });
  });
});
