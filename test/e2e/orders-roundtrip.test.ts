import { RunSyncDocument, SyncRunDocument, type ItemFieldsFragment } from "../../sdk/generated/graphql";
import type { EcwidOrder } from "../../src/connectors/ecwid";
import { startWorld, type World } from "../support/world";

/**
 * Both order flows on one integration: an order travels once and never comes back. A web order
 * booked in CCV is not booked in Ecwid again by the reverse flow, and a POS sale booked in Ecwid is
 * not sent back to CCV — echo suppression in both directions, by link and by reference.
 */
describe("both order flows together: no ping-pong", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({
      ecwid: {
        seed: {
          products: [
            {
              id: 700100300,
              sku: "MUG-001",
              name: "Koffiemok",
              price: 12.95,
              quantity: 40,
              unlimited: false,
              enabled: true,
            },
          ],
        },
      },
    });
    w.ccv.store.seedProduct({
      name: "Koffiemok",
      productnumber: "MUG-001",
      price: 12.95,
      stockenabled: true,
      stock: 40,
    });
  });
  afterAll(() => w.stop());

  const run = async (flow: "ORDERS_ECWID_TO_CCV" | "ORDERS_CCV_TO_ECWID"): Promise<ItemFieldsFragment[]> => {
    const r = await w.waitRun(
      (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow, options: { full: true } }))
        .runSync.id,
    );
    expect(r.counts.failed).toBe(0);
    return (await w.gql(SyncRunDocument, { id: r.id, first: 100 })).syncRun!.items.edges.map((e) => e.node);
  };
  const ecwidOrders = () => w.ecwid.store.orderRows().map((r) => w.ecwid.store.renderOrder(r));
  const ccvOrders = () => [...w.ccv.store.orders.values()];

  it("a web order goes to CCV once and its CCV copy is recognised as an echo; a POS sale goes to Ecwid once and back never", async () => {
    const web = w.ecwid.store.createOrder({
      email: "web@example.com",
      paymentStatus: "PAID",
      fulfillmentStatus: "AWAITING_PROCESSING",
      pricesIncludeTax: true,
      subtotal: 25.9,
      total: 25.9,
      tax: 4.5,
      items: [
        {
          productId: 700100300,
          sku: "MUG-001",
          name: "Koffiemok",
          quantity: 2,
          price: 12.95,
          taxes: [{ name: "BTW", value: 21, total: 4.5, includeInPrice: true }],
        },
      ],
      billingPerson: {
        name: "Web Klant",
        street: "Dorpsstraat 1",
        city: "Utrecht",
        postalCode: "3511AA",
        countryCode: "NL",
      },
    } as EcwidOrder);
    const toCcv = await run("ORDERS_ECWID_TO_CCV");
    expect(toCcv).toEqual([
      expect.objectContaining({ sourceId: web.orderId, action: "CREATE", status: "SUCCEEDED" }),
    ]);
    expect(ccvOrders()).toHaveLength(1);
    const copy = ccvOrders()[0];

    // the reverse flow sees the CCV copy: an echo, not a sale
    const back = await run("ORDERS_CCV_TO_ECWID");
    expect(back).toEqual([expect.objectContaining({ sourceId: String(copy.id), action: "SKIP" })]);
    expect(back[0].reason).toMatch(/^echo:/);
    expect(ecwidOrders()).toHaveLength(1);

    // a sale at the till
    const sale = w.ccv.store.createOrder({
      customer: {
        email: "pos@example.com",
        billingaddress: { first_name: "Piet", last_name: "Kassa", country_code: "NL" },
      },
      orderrows: [{ product_id: [...w.ccv.store.products.values()][0].id, count: 1 }],
      is_completed: true,
      paid: true,
      status: 7,
    });
    const toEcwid = await run("ORDERS_CCV_TO_ECWID");
    expect(toEcwid.find((i) => i.sourceId === String(sale.id))).toMatchObject({
      action: "CREATE",
      status: "SUCCEEDED",
    });
    expect(ecwidOrders()).toHaveLength(2);
    const booked = ecwidOrders().find((o) => o.externalOrderId === String(sale.id))!;

    // and the web flow sees the Ecwid copy of the sale: an echo
    const again = await run("ORDERS_ECWID_TO_CCV");
    const echo = again.find((i) => i.sourceId === booked.id)!;
    expect(echo.action).toBe("SKIP");
    expect(echo.reason).toMatch(/^echo:/);
    expect(again.find((i) => i.sourceId === web.orderId)).toMatchObject({
      action: "SKIP",
      reason: expect.stringMatching(/^Already in CCV/),
    });
    expect(ccvOrders()).toHaveLength(2);
    expect(ecwidOrders()).toHaveLength(2);
  });
});
