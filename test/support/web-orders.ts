import type { EcwidOrder } from "../../src/connectors/ecwid";

/** A paid Ecwid web order of one line (12.50 incl. 21 % VAT), as the Ecwid sandbox stores it. */
export function webOrder(email: string, sku: string, productId?: number, name = "Anna de Vries"): EcwidOrder {
  return {
    email,
    paymentStatus: "PAID",
    fulfillmentStatus: "AWAITING_PROCESSING",
    pricesIncludeTax: true,
    subtotal: 12.5,
    total: 12.5,
    tax: 2.17,
    items: [
      {
        ...(productId ? { productId } : {}),
        sku,
        name: `Product ${sku}`,
        quantity: 1,
        price: 12.5,
        taxes: [{ name: "BTW", value: 21, total: 2.17, includeInPrice: true }],
      },
    ],
    billingPerson: {
      name,
      street: "Dorpsstraat 12",
      city: "Utrecht",
      postalCode: "3511 AB",
      countryCode: "NL",
    },
  } as EcwidOrder;
}
