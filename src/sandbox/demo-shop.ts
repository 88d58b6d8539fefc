import { CcvClient, type CcvProduct } from "../connectors/ccv-salespos";
import type { EcwidOrder } from "../connectors/ecwid";
import { AuthCircuit, LOCAL_UPSTREAMS, SharedRateBudget } from "../connectors/http";
import type { Logger } from "../common/logger";
import { CcvSandbox } from "./ccv-salespos/ccv.sandbox";
import { EcwidSandbox } from "./ecwid/ecwid.sandbox";
import { ECWID_FIXTURE_PRODUCT } from "./ecwid/ecwid.fixtures";

/**
 * A shop's worth of data in both sandboxes, the same for `npm run demo`, `npm run sandboxes` and
 * the README session test: categories, a simple product and a T-shirt with variants on both sides
 * (SKUs as in Ecwid), two paid web orders, a POS sale, and a POS customer Ecwid does not know.
 *
 * The credentials are fixed, so the README can show them as they are: the sandboxes listen on
 * loopback only and exist to be pasted into a first session.
 */
export const SANDBOX_CREDENTIALS = {
  ecwid: { storeId: 1003, token: "secret_sandbox_token", clientSecret: "sandbox_client_secret" },
  ccv: { publicKey: "pk_sandbox", secretKey: "sk_sandbox" },
} as const;

export const DEFAULT_SANDBOX_PORTS = { ecwid: 4101, ccv: 4102 } as const;

export interface DemoShop {
  ecwid: EcwidSandbox;
  ccv: CcvSandbox;
  /** a client of the CCV sandbox (makes POS sales) */
  ccvClient: CcvClient;
  /** the mug, as the POS knows it */
  mug: CcvProduct;
  /** an Ecwid web order (n numbers it) */
  webOrder(n: number): EcwidOrder;
  /** a completed, paid POS sale of one mug (n numbers its customer) */
  posSale(n: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startDemoShop(
  opts: { ecwidPort?: number; ccvPort?: number; logger?: Logger } = {},
): Promise<DemoShop> {
  const ecwid = await EcwidSandbox.start({
    port: opts.ecwidPort ?? 0,
    ...SANDBOX_CREDENTIALS.ecwid,
    profile: { formatsAndUnits: { currency: "EUR" }, taxSettings: { pricesIncludeTax: true } } as never,
    seed: {
      categories: [
        { id: 9691094, name: "Kleding", orderBy: 10, enabled: true },
        { id: 9691095, name: "Keuken", orderBy: 20, enabled: true },
        { id: 9691096, name: "Mokken", parentId: 9691095, orderBy: 10, enabled: true },
      ],
      products: [
        { ...ECWID_FIXTURE_PRODUCT, categoryIds: [9691094] },
        {
          id: 700100300,
          sku: "MUG-001",
          name: "Koffiemok",
          price: 12.95,
          quantity: 40,
          unlimited: false,
          enabled: true,
          categoryIds: [9691096],
        },
      ],
    },
  });
  const ccv = await CcvSandbox.start({
    port: opts.ccvPort ?? 0,
    ...SANDBOX_CREDENTIALS.ccv,
    seed: { webshopName: "Demo SalesPOS", currency: "EUR" },
  });
  const ccvClient = new CcvClient(
    { baseUrl: ccv.baseUrl, publicKey: ccv.publicKey, secretKey: ccv.secretKey, salesPos: true },
    {
      budget: new SharedRateBudget(),
      circuit: new AuthCircuit(),
      logger: opts.logger,
      // the sandbox it seeds is on loopback
      transport: { upstreams: LOCAL_UPSTREAMS },
    },
  );
  // the same catalogue in the POS: the mug and the T-shirt with its variants (SKUs as in Ecwid)
  const mug = await ccvClient.createProduct({
    name: "Koffiemok",
    productnumber: "MUG-001",
    price: 12.95,
    discount: 0,
    taxtariff: "normal",
    stockenabled: true,
    stock: 40,
  });
  await ccvClient.createVariantProduct({
    product: {
      name: "Logo T-Shirt",
      productnumber: "TSHIRT-BASE",
      price: 20,
      discount: 0,
      taxtariff: "normal",
      stockenabled: true,
    },
    axes: [
      { name: "Size", values: [{ name: "M" }, { name: "L", price: 2 }] },
      { name: "Color", values: [{ name: "Black" }, { name: "White" }] },
    ],
    variants: [
      { options: { Size: "M", Color: "Black" }, sku: "TSHIRT-M-BLK", stock: 5 },
      { options: { Size: "L", Color: "Black" }, sku: "TSHIRT-L-BLK", stock: 0 },
      { options: { Size: "M", Color: "White" }, sku: "TSHIRT-M-WHT", stock: 9 },
      { options: { Size: "L", Color: "White" }, sku: "TSHIRT-L-WHT", stock: 4 },
    ],
  });
  // a regular at the till who never ordered online
  ccv.store.seedUser("vaste-klant@demo.example", {
    customertype: "b2c",
    billingaddress: { first_name: "Vera", last_name: "Vaste Klant", country_code: "NL" },
  });

  const shop: DemoShop = {
    ecwid,
    ccv,
    ccvClient,
    mug,
    webOrder,
    async posSale(n) {
      await ccvClient.createOrder({
        is_completed: true,
        paid: true,
        status: 7,
        currency: "EUR",
        order_row_taxes_included: true,
        customer: {
          email: `kassa-${n}@demo.example`,
          billingaddress: { first_name: "Kassa", last_name: `Klant ${n}`, country_code: "NL" },
        },
        orderrows: [{ product_id: mug.id, count: 1 }],
      });
    },
    async stop() {
      await Promise.all([ecwid.stop(), ccv.stop()]);
    },
  };
  ecwid.store.createOrder(webOrder(1));
  ecwid.store.createOrder(webOrder(2));
  await shop.posSale(1);
  return shop;
}

/** a paid Ecwid web order of a mug and a T-shirt (n numbers its customer; company on even n) */
export function webOrder(n: number): EcwidOrder {
  const company = n % 2 === 0;
  return {
    email: `klant${n}@demo.example`,
    paymentStatus: "PAID",
    fulfillmentStatus: "AWAITING_PROCESSING",
    pricesIncludeTax: true,
    subtotal: 32.95,
    total: 32.95,
    tax: 5.72,
    items: [
      {
        productId: 700100300,
        sku: "MUG-001",
        name: "Koffiemok",
        quantity: 1,
        price: 12.95,
        taxes: [{ name: "BTW", value: 21, total: 2.25, includeInPrice: true }],
      },
      {
        productId: 700100200,
        combinationId: 422488001,
        sku: "TSHIRT-M-BLK",
        name: "Logo T-Shirt",
        quantity: 1,
        price: 20,
        taxes: [{ name: "BTW", value: 21, total: 3.47, includeInPrice: true }],
      },
    ],
    billingPerson: {
      name: `Demo Klant ${n}`,
      companyName: company ? `Demo BV ${n}` : "",
      street: `Dorpsstraat ${10 + n}a`,
      city: "Utrecht",
      postalCode: "3511 AB",
      countryCode: "NL",
    },
  } as EcwidOrder;
}
