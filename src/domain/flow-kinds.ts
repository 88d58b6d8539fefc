/**
 * Every flow kind, in the order the GraphQL enum lists them (src/schema/enums.ts derives FlowKind
 * from this), with the words people read in alerts and messages. A new kind is added here and in
 * FLOWS_BY_KIND (src/sync/flows/index.ts), which does not compile without its definition.
 */
export const FLOW_KIND_WORDS = {
  ORDERS_ECWID_TO_CCV: "Ecwid orders to CCV SalesPOS",
  ORDERS_CCV_TO_ECWID: "CCV SalesPOS orders to Ecwid",
  PRODUCTS_ECWID_TO_CCV: "Ecwid products to CCV SalesPOS",
  PRODUCTS_CCV_TO_ECWID: "CCV SalesPOS products to Ecwid",
  CATEGORIES_ECWID_TO_CCV: "Ecwid categories to CCV SalesPOS",
  STOCK_ECWID_TO_CCV: "stock from Ecwid to CCV SalesPOS",
  STOCK_CCV_TO_ECWID: "stock from CCV SalesPOS to Ecwid",
} as const;
export type FlowKindName = keyof typeof FLOW_KIND_WORDS;
export const FLOW_KINDS = Object.keys(FLOW_KIND_WORDS) as readonly FlowKindName[];

export const isFlowKind = (s: string): s is FlowKindName => (FLOW_KINDS as readonly string[]).includes(s);
