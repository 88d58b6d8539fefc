export type SystemKind = "ECWID" | "CCV_SALESPOS";
export const SYSTEM_LABEL: Record<SystemKind, string> = { ECWID: "Ecwid", CCV_SALESPOS: "CCV SalesPOS" };
