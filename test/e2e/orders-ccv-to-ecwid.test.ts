import {
  ConfigureFlowDocument,
  DefaultFieldMappingsDocument,
  PreviewMappingDocument,
  RetryFailedItemsDocument,
  RunSyncDocument,
  SetFieldMappingsDocument,
  SetValueMappingsDocument,
  SyncRunDocument,
  SyncRunsDocument,
  type ItemFieldsFragment,
  type RunFieldsFragment,
} from "../../sdk/generated/graphql";
import { emailHash } from "../../src/connectors/ccv-salespos";
import type { EcwidOrder, EcwidProduct } from "../../src/connectors/ecwid";
import { dec } from "../../src/domain/money";
import { CcvWebhookEntity } from "../../src/db/entities/infra.entity";
import { SyncItemMissingSkuEntity } from "../../src/db/entities/sync-item-missing-sku.entity";
import type { ProductRec } from "../../src/sandbox/ccv-salespos/ccv.store";
import { LinkStore } from "../../src/sync/engine/links";
import { eventually, startWorld, type World } from "../support/world";

const FLOW = "ORDERS_CCV_TO_ECWID" as const;

/** The Ecwid catalogue the POS sells from: the same SKUs as in CCV (product flows would keep them so). */
const ecwidProducts: EcwidProduct[] = [
  { id: 700100, name: "Mug", sku: "MUG-01", price: 12.5, quantity: 40, unlimited: false, enabled: true },
  {
    id: 700200,
    name: "T-Shirt",
    sku: "TSHIRT",
    price: 25,
    quantity: 0,
    unlimited: false,
    enabled: true,
    options: [{ type: "SELECT", name: "Size", choices: [{ text: "M" }, { text: "L" }] }],
    combinations: [
      {
        id: 800201,
        sku: "TSHIRT-M",
        quantity: 10,
        unlimited: false,
        options: [{ name: "Size", value: "M" }],
      },
      { id: 800202, sku: "TSHIRT-L", quantity: 6, unlimited: false, options: [{ name: "Size", value: "L" }] },
    ],
  },
  { id: 700300, name: "Poster", sku: "POSTER", price: 8, quantity: 50, unlimited: false, enabled: true },
];

const janJansen = {
  email: "  Jan.Jansen@Example.COM ",
  customertype: "b2b",
  btw: "NL001234567B01",
  billingaddress: {
    first_name: "Jan",
    last_name: "Jansen",
    company: "Acme B.V.",
    street: "Kerkstraat",
    housenumber: 12,
    housenumber_suffix: "a",
    zipcode: "1011 AB",
    city: "Amsterdam",
    country_code: "NL",
    telephone: "+31 20 123 4567",
  },
  deliveryaddress: {
    company: "Acme B.V.",
    street: "Havenweg",
    housenumber: 3,
    zipcode: "3011 AA",
    city: "Rotterdam",
    country_code: "NL",
  },
};
const person = (email: string, city = "Utrecht") => ({
  email,
  customertype: "b2c",
  billingaddress: {
    first_name: "Piet",
    last_name: "Klant",
    street: "Dorpsweg",
    housenumber: 7,
    zipcode: "3511 AA",
    city,
    country_code: "NL",
  },
});

describe("ORDERS_CCV_TO_ECWID against both sandboxes", () => {
  let w: World;
  let mug: ProductRec;
  let shirt: ProductRec;
  let poster: ProductRec;
  let ghost: ProductRec;
  let shirtM: number;
  let shirtL: number;
  let links: LinkStore;

  beforeAll(async () => {
    w = await startWorld({ ecwid: { seed: { products: ecwidProducts } } });
    links = new LinkStore(w.t.gw.dataSource, w.integrationId);
    const s = w.ccv.store;
    mug = s.seedProduct({ name: "Mug", productnumber: "MUG-01", price: 12.5 });
    poster = s.seedProduct({ name: "Poster", productnumber: "POSTER", price: 8 });
    ghost = s.seedProduct({ name: "Ghost lamp", productnumber: "GHOST-1", price: 30 });
    shirt = s.seedProduct({ name: "T-Shirt", productnumber: "TSHIRT", price: 25 });
    const size = s.createAttribute({ name: "Size", type: "option_menu_required" });
    const m = s.createAttributeValue(size.id, { name: "M", default_price: 0 });
    const l = s.createAttributeValue(size.id, { name: "L", default_price: 0 });
    s.createProductAttributeValue(shirt.id, { optionvalue: m.id, price: 0 });
    s.createProductAttributeValue(shirt.id, { optionvalue: l.id, price: 2 });
    const combinationOf = (valueId: number) =>
      s
        .combinationsOf(shirt.id)
        .find((c) => c.pavIds.some((p) => s.getProductAttributeValue(p).attributevalue_id === valueId))!.id;
    shirtM = combinationOf(m.id);
    shirtL = combinationOf(l.id);
    s.patchCombination(shirtM, { sku_number: "TSHIRT-M" });
    s.patchCombination(shirtL, { sku_number: "TSHIRT-L" });
    // The flow stays disabled (manual runs work regardless) until the webhook test: enabling it makes
    // the gateway register the CCV webhooks, and every sale would then also start a WEBHOOK run.
  });
  afterAll(() => w.stop());

  interface SaleRow {
    product: ProductRec;
    count: number;
    combinationId?: number;
    discount?: number;
  }
  /** A sale at the CCV till (a completed, paid order with a payment method), as the POS books it. */
  function sale(o: {
    rows: SaleRow[];
    customer?: Record<string, unknown>;
    status?: number;
    paid?: boolean;
    completed?: boolean;
    paymethod?: string;
    shipping?: number;
    reservationnumber?: string;
  }): string {
    const order = w.ccv.store.createOrder({
      customer: o.customer ?? person("piet@example.com"),
      orderrows: o.rows.map((r) => ({
        product_id: r.product.id,
        count: r.count,
        ...(r.combinationId !== undefined ? { attribute_combination_id: r.combinationId } : {}),
        ...(r.discount !== undefined ? { discount: r.discount } : {}),
      })),
      is_completed: o.completed ?? true,
      paid: o.paid ?? true,
      status: o.status ?? 7,
      total_shipping: o.shipping ?? 0,
      ...(o.reservationnumber ? { reservationnumber: o.reservationnumber } : {}),
    });
    // the till records how the sale was paid; the API cannot set it (CCV §5.6.1)
    const method = [...w.ccv.store.paymethods.values()].find(
      (p) => p.combined_name === (o.paymethod ?? "PinTerminal"),
    )!;
    order.fields.paymethod_id = method.id;
    return String(order.id);
  }

  const run = async (options?: { dryRun?: boolean; sourceIds?: string[] }): Promise<RunFieldsFragment> =>
    w.waitRun(
      (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: FLOW, options })).runSync.id,
    );
  const itemsOf = async (runId: string): Promise<ItemFieldsFragment[]> =>
    (await w.gql(SyncRunDocument, { id: runId, first: 200 })).syncRun!.items.edges.map((e) => e.node);
  const itemFor = async (runId: string, sourceId: string): Promise<ItemFieldsFragment> => {
    const item = (await itemsOf(runId)).find((i) => i.sourceId === sourceId);
    if (!item) throw new Error(`run ${runId} has no item for CCV order ${sourceId}`);
    return item;
  };
  const ecwidOrdersFor = (ccvId: string): EcwidOrder[] =>
    w.ecwid.store
      .orderRows()
      .map((r) => w.ecwid.store.renderOrder(r))
      .filter((o) => o.externalOrderId === ccvId);
  const orderPosts = () => w.ecwid.log.find("POST", /\/orders$/).length;
  const variation = (productId: number, combinationId: number) =>
    w.ecwid.store.getProduct(productId).combinations!.find((c) => c.id === combinationId)!;
  const setValueMap = (
    kind: "PAYMENT_METHOD" | "PAYMENT_TERM" | "ORDER_STATUS",
    entries: { from: string; to: string }[],
  ) => w.gql(SetValueMappingsDocument, { integrationId: w.integrationId, kind, entries });
  const cents = (v: unknown) => dec(v as number).toFixed(2);

  it("books a completed POS sale as a PAID Ecwid order with product ids by SKU: stock moves, the company customer is created, money adds up to the cent", async () => {
    const id = sale({
      customer: janJansen,
      rows: [
        { product: mug, count: 2, discount: 1.25 },
        { product: shirt, count: 1, combinationId: shirtL },
      ],
      shipping: 4.95,
    });
    const r = await run();
    expect(r.status).toBe("SUCCEEDED");
    const item = await itemFor(r.id, id);
    expect(item).toMatchObject({ action: "CREATE", status: "SUCCEEDED", entity: "ORDER" });

    const [o] = ecwidOrdersFor(id);
    expect(ecwidOrdersFor(id)).toHaveLength(1);
    expect(item.targetId).toBe(o.id);
    expect(o).toMatchObject({
      paymentStatus: "PAID",
      fulfillmentStatus: "DELIVERED", // the fallback for CCV 7 Completed (ORDER_STATUS is empty)
      paymentMethod: "Pinnen", // PAYMENT_METHOD is empty: CCV's label as free text
      email: "jan.jansen@example.com",
      b2b_b2c: "b2b",
      customerTaxId: "NL001234567B01",
      pricesIncludeTax: true,
      externalFulfillment: false,
      disableAllCustomerNotifications: true,
      billingPerson: {
        name: "Jan Jansen",
        companyName: "Acme B.V.",
        street: "Kerkstraat 12a",
        postalCode: "1011 AB",
        city: "Amsterdam",
        countryCode: "NL",
        phone: "+31 20 123 4567",
      },
      shippingPerson: { companyName: "Acme B.V.", street: "Havenweg 3", city: "Rotterdam" },
    });
    expect(o.items).toEqual([
      expect.objectContaining({ productId: 700100, sku: "MUG-01", quantity: 2, price: 12.5 }),
      expect.objectContaining({
        productId: 700200,
        combinationId: 800202,
        sku: "TSHIRT-L",
        quantity: 1,
        price: 27, // 25 + the L option's 2
        selectedOptions: [expect.objectContaining({ name: "Size", value: "L" })],
      }),
    ]);

    // Ecwid moved its stock: the product and the variation the sale took
    expect(w.ecwid.store.getProduct(700100).quantity).toBe(38);
    expect(variation(700200, 800202).quantity).toBe(5);
    expect(variation(700200, 800201).quantity).toBe(10);

    // money: Ecwid's total is CCV's total_price to the cent, and its parts add up to it
    const ccv = w.ccv.store.renderOrder(w.ccv.store.getOrder(Number(id)));
    expect(cents(o.total)).toBe(cents(ccv.total_price));
    expect(cents(o.tax)).toBe(cents(ccv.total_tax));
    expect(cents(o.discount)).toBe("2.50");
    expect(cents(o.shippingOption?.shippingRate)).toBe("4.95");
    expect(cents(o.subtotal)).toBe("52.00");
    expect(dec(o.subtotal!).minus(o.discount!).plus(o.shippingOption!.shippingRate!).toFixed(2)).toBe(
      cents(ccv.total_price),
    );

    // the customer, created with the company data, carries the order
    const customer = w.ecwid.store.getCustomer(o.customerId!);
    expect(customer).toMatchObject({
      email: "jan.jansen@example.com",
      b2b_b2c: "b2b",
      taxId: "NL001234567B01",
      billingPerson: expect.objectContaining({ companyName: "Acme B.V.", street: "Kerkstraat 12a" }),
    });

    // what came from CCV and what went to Ecwid, field by field
    expect(item.changes).toEqual(
      expect.arrayContaining([
        { field: "total", before: null, after: ccv.total_price },
        { field: "paymentStatus", before: null, after: "PAID" },
        { field: "externalOrderId", before: null, after: id },
      ]),
    );
    expect(item.sentPayload).toMatchObject({
      externalOrderId: id,
      customerId: o.customerId,
      email: "jan.jansen@example.com",
    });
    expect(item.sourcePayload).toMatchObject({
      id: Number(id),
      orderrows: { collection: [{ product_number: "MUG-01" }, { sub_sku_number: "TSHIRT-L" }] },
    });

    expect(await links.byCcv("ORDER", id)).toMatchObject({ ecwidId: o.id, createdBy: "ECWID" });
    expect(await links.byEcwid("CUSTOMER", String(o.customerId))).toMatchObject({
      ccvId: `email:${emailHash("jan.jansen@example.com")}`,
      createdBy: "ECWID",
    });
  });

  it("a second run sends nothing new", async () => {
    const posts = orderPosts();
    const r = await run();
    expect(r.counts.created).toBe(0);
    expect(r.counts.skipped).toBeGreaterThanOrEqual(1);
    expect(orderPosts()).toBe(posts);
    const skipped = (await itemsOf(r.id)).filter((i) => i.status === "SKIPPED");
    expect(skipped.length).toBe(r.counts.total);
    for (const i of skipped) expect(i.reason).toMatch(/^Already in Ecwid as order \S+\.$/);
  });

  it("a dry run records the planned Ecwid order and writes nothing to either system", async () => {
    const id = sale({ customer: person("dry.run@example.com"), rows: [{ product: poster, count: 3 }] });
    const ecwidWrites = w.ecwid.log.writes().length;
    const ccvWrites = w.ccv.log.writes().length;
    const r = await run({ dryRun: true });
    expect(r.dryRun).toBe(true);
    expect(w.ecwid.log.writes().length).toBe(ecwidWrites);
    expect(w.ccv.log.writes().length).toBe(ccvWrites);
    const planned = await itemFor(r.id, id);
    expect(planned).toMatchObject({ action: "CREATE", status: "PENDING" });
    expect(planned.sentPayload).toMatchObject({
      email: "dry.run@example.com",
      paymentStatus: "PAID",
      externalOrderId: id,
      items: [{ productId: 700300, sku: "POSTER", quantity: 3, price: 8 }],
      total: 24,
    });
    // the customer does not exist yet, so the plan has no id for it
    expect(planned.sentPayload).not.toHaveProperty("customerId");
    expect(planned.changes).toContainEqual({ field: "email", before: null, after: "dry.run@example.com" });
    expect(ecwidOrdersFor(id)).toHaveLength(0);
    expect(w.ecwid.store.getProduct(700300).quantity).toBe(50);
    expect(await links.byCcv("ORDER", id)).toBeNull();

    const real = await run({ sourceIds: [id] });
    expect((await itemFor(real.id, id)).action).toBe("CREATE");
    expect(ecwidOrdersFor(id)).toHaveLength(1);
    expect(w.ecwid.store.getProduct(700300).quantity).toBe(47);
  });

  it("maps the payment method through PAYMENT_METHOD; a code without mapping fails until one is set, then retryFailedItems books it", async () => {
    await setValueMap("PAYMENT_METHOD", [{ from: "PinTerminal", to: "Debit card at the till" }]);
    const pin = sale({ rows: [{ product: poster, count: 1 }], paymethod: "PinTerminal" });
    const bank = sale({ rows: [{ product: poster, count: 1 }], paymethod: "BankTransfer", paid: false });
    const r = await run({ sourceIds: [pin, bank] });
    expect(r.status).toBe("PARTIAL");
    expect(ecwidOrdersFor(pin)[0].paymentMethod).toBe("Debit card at the till");
    const failed = await itemFor(r.id, bank);
    expect(failed).toMatchObject({ status: "FAILED", errorCode: "VALUE_MAPPING" });
    expect(failed.reason).toContain('"BankTransfer"');
    expect(failed.reason).toContain("setValueMappings(kind: PAYMENT_METHOD");
    expect(ecwidOrdersFor(bank)).toHaveLength(0);

    await setValueMap("PAYMENT_METHOD", [
      { from: "PinTerminal", to: "Debit card at the till" },
      { from: "BankTransfer", to: "Bank transfer" },
    ]);
    await setValueMap("PAYMENT_TERM", [
      { from: "BankTransfer", to: "14 days" },
      { from: "*", to: "Paid at the till" },
    ]);
    const retry = await w.waitRun(
      (await w.gql(RetryFailedItemsDocument, { runId: r.id })).retryFailedItems.id,
    );
    expect(retry.counts).toMatchObject({ total: 1, created: 1, failed: 0 });
    const [booked] = ecwidOrdersFor(bank);
    expect(booked).toMatchObject({ paymentMethod: "Bank transfer", paymentStatus: "AWAITING_PAYMENT" });
    expect(booked.privateAdminNotes).toContain("Payment term: 14 days");
    // an unpaid order moves no stock in Ecwid (Ecwid §8.6): only the paid Pin sale took a poster
    expect(w.ecwid.store.getProduct(700300).quantity).toBe(46);
    await setValueMap("PAYMENT_METHOD", []);
    await setValueMap("PAYMENT_TERM", []);
  });

  it("maps the status through ORDER_STATUS and skips open baskets and statuses outside orderStatuses", async () => {
    await setValueMap("ORDER_STATUS", [
      { from: "7", to: "READY_FOR_PICKUP" },
      { from: "6", to: "Handed over" },
    ]);
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      input: { settings: { orderStatuses: ["7", "6"] } },
    });
    const completed = sale({ rows: [{ product: mug, count: 1 }], status: 7 });
    const badlyMapped = sale({ rows: [{ product: mug, count: 1 }], status: 6 });
    const sent = sale({ rows: [{ product: mug, count: 1 }], status: 5 });
    const basket = sale({ rows: [{ product: mug, count: 1 }], completed: false });
    const r = await run({ sourceIds: [completed, badlyMapped, sent, basket] });

    expect(ecwidOrdersFor(completed)[0].fulfillmentStatus).toBe("READY_FOR_PICKUP");
    const bad = await itemFor(r.id, badlyMapped);
    expect(bad).toMatchObject({ status: "FAILED", errorCode: "VALUE_MAPPING" });
    expect(bad.reason).toMatch(/"Handed over", which is not an Ecwid fulfillment status/);
    const skippedStatus = await itemFor(r.id, sent);
    expect(skippedStatus).toMatchObject({ action: "SKIP", status: "SKIPPED" });
    expect(skippedStatus.reason).toBe(
      "Status 5 Sent is not one of the statuses this flow books (7 Completed, 6 Delivered).",
    );
    const skippedBasket = await itemFor(r.id, basket);
    expect(skippedBasket).toMatchObject({ action: "SKIP", status: "SKIPPED" });
    expect(skippedBasket.reason).toMatch(/open basket/);
    for (const id of [badlyMapped, sent, basket]) expect(ecwidOrdersFor(id)).toHaveLength(0);

    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      input: { settings: { orderStatuses: [] } },
    });
    await setValueMap("ORDER_STATUS", []);
  });

  it("skips orders that came from Ecwid as echoes: by their link, and by an Ecwid order id in the reservation number", async () => {
    const linked = sale({ rows: [{ product: poster, count: 1 }] });
    await w.t.gw.dataSource.transaction((em) =>
      links.upsert(em, { entity: "ORDER", ecwidId: "WEB100", ccvId: linked, createdBy: "CCV_SALESPOS" }),
    );
    const web = w.ecwid.store.createOrder({
      email: "web@example.com",
      paymentStatus: "PAID",
      fulfillmentStatus: "AWAITING_PROCESSING",
      subtotal: 8,
      total: 8,
      items: [{ name: "Poster", quantity: 1, price: 8 }],
    });
    const unlinkedEcho = sale({ rows: [{ product: poster, count: 1 }], reservationnumber: web.orderId });
    // a reservation number that is no Ecwid order id is just a reservation number
    const reserved = sale({ rows: [{ product: poster, count: 1 }], reservationnumber: "R-2024-778" });
    const stock = w.ecwid.store.getProduct(700300).quantity!;

    const r = await run({ sourceIds: [linked, unlinkedEcho, reserved] });
    const byLink = await itemFor(r.id, linked);
    expect(byLink).toMatchObject({ action: "SKIP", status: "SKIPPED", targetId: "WEB100" });
    expect(byLink.reason).toMatch(/^echo: /);
    const byReference = await itemFor(r.id, unlinkedEcho);
    expect(byReference).toMatchObject({ action: "SKIP", status: "SKIPPED" });
    expect(byReference.reason).toMatch(
      new RegExp(`^echo: its reservation number ${web.orderId} is the id of Ecwid order`),
    );
    expect(ecwidOrdersFor(linked)).toHaveLength(0);
    expect(ecwidOrdersFor(unlinkedEcho)).toHaveLength(0);
    expect((await itemFor(r.id, reserved)).action).toBe("CREATE");
    expect(w.ecwid.store.getProduct(700300).quantity).toBe(stock - 1);
  });

  it("an ambiguous create (Ecwid stored the order, then answered 500) creates no duplicate", async () => {
    const id = sale({ rows: [{ product: mug, count: 1 }] });
    const stock = w.ecwid.store.getProduct(700100).quantity!;
    const posts = orderPosts();
    w.ecwid.faults.add({ method: "POST", path: /\/orders$/, kind: "status", status: 500, afterApply: true });
    const r = await run({ sourceIds: [id] });
    const item = await itemFor(r.id, id);
    expect(orderPosts()).toBe(posts + 1);
    expect(ecwidOrdersFor(id)).toHaveLength(1);
    const [o] = ecwidOrdersFor(id);
    // the retry found the order by its reference and linked it instead of posting again; recorded
    // as the item's CREATE, as the opposite flow records a recovered create (create-once.ts)
    expect(item).toMatchObject({ action: "CREATE", status: "SUCCEEDED", targetId: o.id, attempts: 2 });
    expect(item.reason).toBe(
      `Already in Ecwid as order ${o.id}: an earlier attempt created it (found by its externalOrderId ${id}); linked, not sent again.`,
    );
    expect(await links.byCcv("ORDER", id)).toMatchObject({ ecwidId: o.id, createdBy: "ECWID" });
    expect(w.ecwid.store.getProduct(700100).quantity).toBe(stock - 1);

    const again = await run({ sourceIds: [id] });
    expect((await itemFor(again.id, id)).reason).toBe(`Already in Ecwid as order ${o.id}.`);
    expect(orderPosts()).toBe(posts + 1);
  });

  it("enabled, the flow gets its CCV webhooks; a sale's orders.created starts a WEBHOOK run that books it, a later status change is skipped", async () => {
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      input: { enabled: true },
    });
    try {
      // the gateway registers one URL per event the flow listens to, and keeps each key to verify
      // the (signed) deliveries with
      const events = ["orders.created", "orders.updated.status", "orders.updated.ispaid"];
      await eventually(async () => {
        const keys = await w.t.gw.dataSource.manager.findBy(CcvWebhookEntity, {
          integrationId: w.integrationId,
        });
        return events.every((e) => keys.some((k) => k.event === e && k.keyEnc)) || undefined;
      }, "the CCV webhook registrations");
      expect([...w.ccv.store.webhooks.values()].map((h) => h.address).sort()).toEqual(
        events.map((e) => `${w.t.url}/webhooks/ccv/${w.integrationId}/${e}`).sort(),
      );

      const id = sale({ rows: [{ product: shirt, count: 2, combinationId: shirtM }] });
      const delivery = await w.ccv.webhooks.waitFor(
        (d) => d.event === "orders.created" && JSON.parse(d.body).id === Number(id),
      );
      expect(delivery.status).toBe(200);
      const webhookRunFor = (wanted: (i: ItemFieldsFragment) => boolean) =>
        eventually(async () => {
          const runs = (
            await w.gql(SyncRunsDocument, { integrationId: w.integrationId, flow: FLOW, first: 50 })
          ).syncRuns.edges.map((e) => e.node);
          for (const r of runs.filter((x) => x.trigger === "WEBHOOK" && x.finishedAt)) {
            const item = (await itemsOf(r.id)).find((i) => i.sourceId === id && wanted(i));
            if (item) return item;
          }
          return undefined;
        }, "a WEBHOOK run with the sale");
      const created = await webhookRunFor((i) => i.action === "CREATE");
      expect(created.status).toBe("SUCCEEDED");
      expect(ecwidOrdersFor(id)).toHaveLength(1);
      expect(ecwidOrdersFor(id)[0].items).toEqual([
        expect.objectContaining({ productId: 700200, combinationId: 800201, quantity: 2 }),
      ]);
      expect(variation(700200, 800201).quantity).toBe(8);

      w.ccv.store.patchOrder(Number(id), { status: 6 });
      const changed = await w.ccv.webhooks.waitFor(
        (d) => d.event === "orders.updated.status" && JSON.parse(d.body).id === Number(id),
      );
      expect(changed.status).toBe(200);
      const skipped = await webhookRunFor((i) => i.action === "SKIP");
      expect(skipped.reason).toBe(`Already in Ecwid as order ${ecwidOrdersFor(id)[0].id}.`);
      expect(ecwidOrdersFor(id)).toHaveLength(1);
    } finally {
      // later tests drive the flow with manual runs only
      await w.gql(ConfigureFlowDocument, {
        integrationId: w.integrationId,
        flow: FLOW,
        input: { enabled: false },
      });
    }
  });

  it("a sale booked before it was paid follows in Ecwid when it is paid later; an unchanged one is left alone", async () => {
    const id = sale({ rows: [{ product: poster, count: 1 }], paid: false, status: 4 });
    const first = await itemFor((await run({ sourceIds: [id] })).id, id);
    expect(first.action).toBe("CREATE");
    expect(ecwidOrdersFor(id)[0]).toMatchObject({
      paymentStatus: "AWAITING_PAYMENT",
      fulfillmentStatus: "AWAITING_PROCESSING",
    });
    w.ccv.store.patchOrder(Number(id), { paid: true, status: 7 });
    const followed = await itemFor((await run({ sourceIds: [id] })).id, id);
    expect(followed).toMatchObject({ action: "UPDATE", status: "SUCCEEDED" });
    expect(followed.changes).toEqual([
      { field: "paymentStatus", before: "AWAITING_PAYMENT", after: "PAID" },
      { field: "fulfillmentStatus", before: "AWAITING_PROCESSING", after: "DELIVERED" },
    ]);
    expect(ecwidOrdersFor(id)).toHaveLength(1);
    expect(ecwidOrdersFor(id)[0]).toMatchObject({ paymentStatus: "PAID", fulfillmentStatus: "DELIVERED" });
    const again = await itemFor((await run({ sourceIds: [id] })).id, id);
    expect(again).toMatchObject({
      action: "SKIP",
      reason: expect.stringMatching(/^Already in Ecwid as order/),
    });
  });

  it("user mappings override defaults; previewMapping shows the Ecwid order the mappings make", async () => {
    const defaults = (await w.gql(DefaultFieldMappingsDocument, { flow: FLOW })).defaultFieldMappings.map(
      (d) => d.target,
    );
    expect(defaults).toEqual(
      expect.arrayContaining([
        "email",
        "items",
        "total",
        "paymentMethod",
        "fulfillmentStatus",
        "privateAdminNotes",
        "billingPerson.street",
        "shippingPerson.city",
      ]),
    );
    await w.gql(SetFieldMappingsDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      mappings: [
        {
          target: "privateAdminNotes",
          expression: "'Till sale ' & $ctx.orderNumber & ' in ' & customer.billingaddress.city",
        },
        { target: "paymentMethod", expression: "'POS: ' & paymethod" },
      ],
    });
    const id = sale({
      customer: person("preview@example.com", "Zwolle"),
      rows: [{ product: poster, count: 2 }],
    });
    const number = w.ccv.store.getOrder(Number(id)).ordernumber_full;
    const preview = (
      await w.gql(PreviewMappingDocument, { integrationId: w.integrationId, flow: FLOW, sourceId: id })
    ).previewMapping;
    expect(preview.errors).toEqual([]);
    expect(preview.targetPayload).toMatchObject({
      privateAdminNotes: `Till sale ${number} in Zwolle`,
      paymentMethod: "POS: PinTerminal",
      email: "preview@example.com",
      paymentStatus: "PAID",
      items: [{ productId: 700300, quantity: 2 }],
      total: 16,
    });
    expect(preview.sourcePayload).toMatchObject({
      id: Number(id),
      orderrows: { collection: [{ product_number: "POSTER" }] },
    });

    await run({ sourceIds: [id] });
    expect(ecwidOrdersFor(id)[0]).toMatchObject({
      privateAdminNotes: `Till sale ${number} in Zwolle`,
      paymentMethod: "POS: PinTerminal",
    });
    await w.gql(SetFieldMappingsDocument, { integrationId: w.integrationId, flow: FLOW, mappings: [] });
  });

  it("fails a sale whose SKU is not in Ecwid (MISSING_PRODUCT), and a sale without e-mail until a defaultDebtor is set", async () => {
    const unknown = sale({
      rows: [
        { product: mug, count: 1 },
        { product: ghost, count: 1 },
      ],
    });
    const walkIn = sale({ customer: {}, rows: [{ product: poster, count: 1 }] });
    const r = await run({ sourceIds: [unknown, walkIn] });
    expect(r.counts).toMatchObject({ failed: 2, created: 0 });
    const missing = await itemFor(r.id, unknown);
    expect(missing).toMatchObject({ status: "FAILED", errorCode: "MISSING_PRODUCT" });
    expect(missing.reason).toContain("SKU GHOST-1 (Ghost lamp)");
    expect(missing.reason).not.toContain("MUG-01");
    // the SKU alone, as data: what linking a product with exactly this SKU heals
    const recorded = await w.t.gw.dataSource.manager.findBy(SyncItemMissingSkuEntity, {
      itemId: Number(missing.id),
    });
    expect(recorded.map((m) => m.sku)).toEqual(["GHOST-1"]);
    expect(missing.sourcePayload).toMatchObject({
      orderrows: { collection: [{ product_number: "MUG-01" }, { product_number: "GHOST-1" }] },
    });
    expect(await itemFor(r.id, walkIn)).toMatchObject({ status: "FAILED", errorCode: "MISSING_CUSTOMER" });

    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      input: { settings: { defaultDebtor: "Walk-In@Shop.example" } },
    });
    const retry = await w.waitRun(
      (await w.gql(RetryFailedItemsDocument, { runId: r.id })).retryFailedItems.id,
    );
    expect(retry.counts).toMatchObject({ total: 2, created: 1, failed: 1 });
    expect(ecwidOrdersFor(walkIn)[0]).toMatchObject({ email: "walk-in@shop.example", paymentStatus: "PAID" });
    expect(w.ecwid.store.findCustomerIdByEmail("walk-in@shop.example")).toBe(
      ecwidOrdersFor(walkIn)[0].customerId,
    );
    expect(ecwidOrdersFor(unknown)).toHaveLength(0);
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: FLOW,
      input: { settings: { defaultDebtor: null } },
    });
  });
});
