import type { FlowKind, ItemStatus, RunStatus, SystemKind } from "../../../sdk/generated/graphql";

/** Flows in the words of a shop owner: what moves where, and why one would want it. */
export const FLOWS: Record<FlowKind, { title: string; from: SystemKind; to: SystemKind; about: string }> = {
  ORDERS_ECWID_TO_CCV: {
    title: "Web shop orders to the till",
    from: "ECWID",
    to: "CCV_SALESPOS",
    about: "Orders placed in your Ecwid shop are booked in CCV SalesPOS, with their customer.",
  },
  ORDERS_CCV_TO_ECWID: {
    title: "Till sales to the web shop",
    from: "CCV_SALESPOS",
    to: "ECWID",
    about: "Sales made at the CCV SalesPOS till appear in Ecwid as paid orders, so Ecwid stock follows.",
  },
  CATEGORIES_ECWID_TO_CCV: {
    title: "Categories to the till",
    from: "ECWID",
    to: "CCV_SALESPOS",
    about: "Your Ecwid category tree is created and kept up to date in CCV SalesPOS.",
  },
  PRODUCTS_ECWID_TO_CCV: {
    title: "Products to the till",
    from: "ECWID",
    to: "CCV_SALESPOS",
    about: "Products and their variants from Ecwid are created and updated in CCV SalesPOS, matched by SKU.",
  },
  PRODUCTS_CCV_TO_ECWID: {
    title: "Products to the web shop",
    from: "CCV_SALESPOS",
    to: "ECWID",
    about: "Products and their variants from CCV SalesPOS are created and updated in Ecwid, matched by SKU.",
  },
  STOCK_ECWID_TO_CCV: {
    title: "Stock from the web shop",
    from: "ECWID",
    to: "CCV_SALESPOS",
    about: "Ecwid is the stock master: its stock levels are written to CCV SalesPOS.",
  },
  STOCK_CCV_TO_ECWID: {
    title: "Stock from the till",
    from: "CCV_SALESPOS",
    to: "ECWID",
    about: "CCV SalesPOS is the stock master: its stock levels are written to Ecwid.",
  },
};

export const FLOW_ORDER: FlowKind[] = [
  "ORDERS_ECWID_TO_CCV",
  "ORDERS_CCV_TO_ECWID",
  "CATEGORIES_ECWID_TO_CCV",
  "PRODUCTS_ECWID_TO_CCV",
  "PRODUCTS_CCV_TO_ECWID",
  "STOCK_ECWID_TO_CCV",
  "STOCK_CCV_TO_ECWID",
];

export const SYSTEM: Record<SystemKind, string> = { ECWID: "Ecwid", CCV_SALESPOS: "CCV SalesPOS" };

export const RUN_STATUS: Record<RunStatus, { label: string; tone: Tone }> = {
  QUEUED: { label: "Waiting", tone: "neutral" },
  RUNNING: { label: "Running", tone: "info" },
  SUCCEEDED: { label: "Done", tone: "good" },
  PARTIAL: { label: "Done, some failed", tone: "warn" },
  FAILED: { label: "Failed", tone: "bad" },
  CANCELLED: { label: "Cancelled", tone: "neutral" },
};

export const ITEM_STATUS: Record<ItemStatus, { label: string; tone: Tone }> = {
  SUCCEEDED: { label: "Done", tone: "good" },
  SKIPPED: { label: "Skipped", tone: "neutral" },
  FAILED: { label: "Failed", tone: "bad" },
  PENDING: { label: "Planned (dry run)", tone: "info" },
};

export type Tone = "good" | "warn" | "bad" | "info" | "neutral";

/** a cron expression in words, for the common ones the wizard offers */
export function scheduleInWords(expr: string | null | undefined): string {
  if (!expr) return "no schedule (webhooks and manual runs only)";
  const e = expr.trim().replace(/\s+/g, " ");
  const every = /^\*\/(\d+) \* \* \* \*$/.exec(e);
  if (every) return every[1] === "1" ? "every minute" : `every ${every[1]} minutes`;
  if (e === "* * * * *") return "every minute";
  const hourly = /^(\d+) \* \* \* \*$/.exec(e);
  if (hourly) return hourly[1] === "0" ? "every hour" : `every hour at :${hourly[1]!.padStart(2, "0")}`;
  const daily = /^(\d+) (\d+) \* \* \*$/.exec(e);
  if (daily) return `every day at ${daily[2]!.padStart(2, "0")}:${daily[1]!.padStart(2, "0")}`;
  return `cron “${e}”`;
}

export const SCHEDULES: { value: string; label: string }[] = [
  { value: "*/5 * * * *", label: "Every 5 minutes" },
  { value: "*/15 * * * *", label: "Every 15 minutes" },
  { value: "0 * * * *", label: "Every hour" },
  { value: "0 3 * * *", label: "Once a day, at 03:00" },
];
