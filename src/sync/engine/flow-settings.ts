/** Flow kinds, entities and per-flow settings as plain data (the GraphQL enums mirror these). */
import type { FlowKindName } from "../../domain/flow-kinds";
export { FLOW_KINDS, isFlowKind, type FlowKindName } from "../../domain/flow-kinds";

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
