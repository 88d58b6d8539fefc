/** Flow kinds, entities and per-flow settings as plain data (the GraphQL enums mirror these). */
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

export type EntityName = "ORDER" | "PRODUCT" | "VARIANT" | "CATEGORY" | "CUSTOMER" | "STOCK";
export type SystemName = "ECWID" | "CCV_SALESPOS";
export type TriggerName = "MANUAL" | "SCHEDULE" | "WEBHOOK" | "RETRY";
export type RunStatusName = "QUEUED" | "RUNNING" | "SUCCEEDED" | "PARTIAL" | "FAILED" | "CANCELLED";
export type ItemActionName = "CREATE" | "UPDATE" | "SKIP";
export type ItemStatusName = "PENDING" | "SUCCEEDED" | "SKIPPED" | "FAILED";
export type StockCalculationName = "AVAILABLE_MINUS_RESERVED" | "AVAILABLE";

export interface FlowSettingsData {
  orderStatuses: string[];
  useDefaultDebtor: boolean;
  defaultDebtor: string | null;
  updateExisting: boolean;
  stockCalculation: StockCalculationName;
  manageStock: boolean;
  /** ISO-8601 */
  startDate: string | null;
}

/** What a flow does out of the box (the hosted platform's defaults: only PAID Ecwid orders go to CCV). */
export function defaultSettings(kind: FlowKindName): FlowSettingsData {
  return {
    orderStatuses: kind === "ORDERS_ECWID_TO_CCV" ? ["PAID"] : [],
    useDefaultDebtor: false,
    defaultDebtor: null,
    updateExisting: true,
    stockCalculation: "AVAILABLE_MINUS_RESERVED",
    manageStock: true,
    startDate: null,
  };
}

export function mergeSettings(
  kind: FlowKindName,
  stored: Partial<FlowSettingsData> | null | undefined,
): FlowSettingsData {
  return { ...defaultSettings(kind), ...(stored ?? {}) };
}

export const isFlowKind = (s: string): s is FlowKindName => (FLOW_KINDS as readonly string[]).includes(s);

/** Stock flows mirror absolute figures: at most one direction may be the master per integration. */
export const STOCK_FLOWS: FlowKindName[] = ["STOCK_ECWID_TO_CCV", "STOCK_CCV_TO_ECWID"];

/**
 * Settings a flow does not use: configureFlow refuses them with a clear error instead of storing
 * them silently. Flows not listed here accept every setting (as before).
 */
export const UNUSED_SETTINGS: Partial<Record<FlowKindName, (keyof FlowSettingsData)[]>> = {
  PRODUCTS_ECWID_TO_CCV: ["orderStatuses", "useDefaultDebtor", "defaultDebtor", "stockCalculation"],
  PRODUCTS_CCV_TO_ECWID: ["orderStatuses", "useDefaultDebtor", "defaultDebtor", "stockCalculation"],
};
