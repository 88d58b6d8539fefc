/** What a channel can subscribe to. */
export const ALERT_KINDS = [
  "CONNECTION_FAILING",
  "CONNECTION_RECOVERED",
  "RUN_FAILED",
  "RUN_PARTIAL",
  "ITEM_FAILURE",
  "RUN_STALLED",
  "FLOW_SILENT",
  "RATE_BUDGET_EXHAUSTED",
  "DIGEST",
] as const;
export type AlertKindName = (typeof ALERT_KINDS)[number];

/** incident kinds (CONNECTION_RECOVERED is the alert sent when a CONNECTION_FAILING incident ends) */
export type IncidentKindName = Exclude<AlertKindName, "CONNECTION_RECOVERED" | "DIGEST">;

export const INCIDENT_KINDS = ALERT_KINDS.filter(
  (k): k is IncidentKindName => k !== "CONNECTION_RECOVERED" && k !== "DIGEST",
);

export const ALERT_DELIVERY_JOB = "alert-delivery";
export const HEALTH_CHECK_JOB = "health-check";
/** the jobs of the operations lane: never claimed by the workers that run syncs, and vice versa */
export const OPS_JOB_TYPES = [ALERT_DELIVERY_JOB, HEALTH_CHECK_JOB];

export const systemWords = (s: string) => (s === "ECWID" ? "Ecwid" : "CCV SalesPOS");
