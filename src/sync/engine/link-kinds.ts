import type { FlowKindName } from "./flow-settings";

/**
 * The kinds of link the engine keeps, each defined once: what the id on each side names, which
 * flows write the link and which read it. A link pairs one Ecwid record with one CCV record of
 * the same kind; both ids are unique per integration and kind (LinkStore).
 */
export type LinkKindName = "PRODUCT" | "VARIANT" | "CATEGORY" | "CUSTOMER" | "ORDER";

export interface LinkKindDef {
  /** what the Ecwid id names (the resource it reads back) */
  ecwid: string;
  /** what the CCV id names (the resource it reads back) */
  ccv: string;
  /** flows that create or re-point links of this kind */
  writtenBy: readonly FlowKindName[];
  /** flows that resolve records through links of this kind */
  readBy: readonly FlowKindName[];
}

export const LINK_KINDS: Readonly<Record<LinkKindName, LinkKindDef>> = {
  PRODUCT: {
    ecwid: "a product id (GET /products/{productId})",
    ccv: "a product id (GET /products/{id})",
    writtenBy: ["PRODUCTS_ECWID_TO_CCV", "PRODUCTS_CCV_TO_ECWID"],
    readBy: ["ORDERS_ECWID_TO_CCV", "ORDERS_CCV_TO_ECWID", "STOCK_ECWID_TO_CCV", "STOCK_CCV_TO_ECWID"],
  },
  VARIANT: {
    ecwid: "a product combination (variation) id (GET /products/{productId}/combinations/{combinationId})",
    ccv: "an attribute combination id (GET /attributecombinations/{id}), never a product id",
    writtenBy: ["PRODUCTS_ECWID_TO_CCV", "PRODUCTS_CCV_TO_ECWID"],
    readBy: ["ORDERS_ECWID_TO_CCV", "ORDERS_CCV_TO_ECWID", "STOCK_ECWID_TO_CCV", "STOCK_CCV_TO_ECWID"],
  },
  CATEGORY: {
    ecwid: "a category id (GET /categories/{categoryId})",
    ccv: "a category id (GET /categories/{id})",
    writtenBy: ["CATEGORIES_ECWID_TO_CCV"],
    readBy: ["PRODUCTS_ECWID_TO_CCV", "PRODUCTS_CCV_TO_ECWID"],
  },
  CUSTOMER: {
    ecwid: "a customer id (GET /customers/{customerId})",
    ccv: "a user id (GET /users/{id})",
    writtenBy: ["ORDERS_ECWID_TO_CCV", "ORDERS_CCV_TO_ECWID"],
    readBy: ["ORDERS_ECWID_TO_CCV", "ORDERS_CCV_TO_ECWID"],
  },
  ORDER: {
    ecwid: "an order id (GET /orders/{orderId}: its `id`, or the numeric orderNumber on stores without one)",
    ccv: "an order id (GET /orders/{id})",
    writtenBy: ["ORDERS_ECWID_TO_CCV", "ORDERS_CCV_TO_ECWID"],
    readBy: ["ORDERS_ECWID_TO_CCV", "ORDERS_CCV_TO_ECWID"],
  },
};

export const isLinkKind = (s: string): s is LinkKindName => Object.hasOwn(LINK_KINDS, s);
