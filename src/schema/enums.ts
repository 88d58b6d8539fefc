import { registerEnumType } from "type-graphql";
import { FLOW_KINDS, type FlowKindName } from "../domain/flow-kinds";

export enum Role {
  ADMIN = "ADMIN",
  OPERATOR = "OPERATOR",
  VIEWER = "VIEWER",
}
registerEnumType(Role, {
  name: "Role",
  valuesConfig: {
    ADMIN: {
      description:
        "configure integrations, credentials, flows, mappings, keys; run and retry syncs; read everything",
    },
    OPERATOR: { description: "run, cancel and retry syncs; read everything" },
    VIEWER: { description: "read only" },
  },
});

export enum SystemKind {
  ECWID = "ECWID",
  CCV_SALESPOS = "CCV_SALESPOS",
}
registerEnumType(SystemKind, { name: "SystemKind" });

export enum ConnectionStatus {
  UNTESTED = "UNTESTED",
  OK = "OK",
  FAILING = "FAILING",
}
registerEnumType(ConnectionStatus, { name: "ConnectionStatus" });

/** The flow kinds as the engine defines them (flow-settings.ts): one list, so a new kind is one edit. */
export const FlowKind = Object.fromEntries(FLOW_KINDS.map((k) => [k, k])) as {
  readonly [K in FlowKindName]: K;
};
export type FlowKind = FlowKindName;
registerEnumType(FlowKind, { name: "FlowKind" });

export enum StockCalculation {
  AVAILABLE_MINUS_RESERVED = "AVAILABLE_MINUS_RESERVED",
  AVAILABLE = "AVAILABLE",
}
registerEnumType(StockCalculation, {
  name: "StockCalculation",
  valuesConfig: {
    AVAILABLE_MINUS_RESERVED: {
      description:
        "the stock master's figure minus the quantities the other system has already sold that the master has not booked yet (items of the reverse order flow that are queued, running or failed), never below zero; the default",
    },
    AVAILABLE: { description: "the stock master's figure as it reports it" },
  },
});

export enum StockReservationState {
  QUEUED = "QUEUED",
  RUNNING = "RUNNING",
  FAILED = "FAILED",
}
registerEnumType(StockReservationState, {
  name: "StockReservationState",
  description: "where an order of the other system is on its way to the stock master",
  valuesConfig: {
    QUEUED: { description: "in a queued run of the order flow" },
    RUNNING: { description: "in a running run of the order flow, not booked yet" },
    FAILED: { description: "its booking failed and waits for a retry" },
  },
});

export enum FieldWritePolicy {
  ALWAYS = "ALWAYS",
  CREATE_ONLY = "CREATE_ONLY",
  FILL_IF_EMPTY = "FILL_IF_EMPTY",
  NEVER = "NEVER",
}
registerEnumType(FieldWritePolicy, {
  name: "FieldWritePolicy",
  valuesConfig: {
    ALWAYS: { description: "written on create and on every update" },
    CREATE_ONLY: { description: "written on create only; later edits in the target are kept" },
    FILL_IF_EMPTY: { description: "written only while the target field is empty" },
    NEVER: { description: "never written" },
  },
});

export enum ValueMapKind {
  PAYMENT_METHOD = "PAYMENT_METHOD",
  PAYMENT_TERM = "PAYMENT_TERM",
  ORDER_STATUS = "ORDER_STATUS",
  TAX_RATE = "TAX_RATE",
  SHIPPING_METHOD = "SHIPPING_METHOD",
}
registerEnumType(ValueMapKind, { name: "ValueMapKind" });

export enum RunTrigger {
  MANUAL = "MANUAL",
  SCHEDULE = "SCHEDULE",
  WEBHOOK = "WEBHOOK",
  RETRY = "RETRY",
}
registerEnumType(RunTrigger, { name: "RunTrigger" });

export enum RunStatus {
  QUEUED = "QUEUED",
  RUNNING = "RUNNING",
  SUCCEEDED = "SUCCEEDED",
  PARTIAL = "PARTIAL",
  FAILED = "FAILED",
  CANCELLED = "CANCELLED",
}
registerEnumType(RunStatus, {
  name: "RunStatus",
  valuesConfig: { PARTIAL: { description: "finished, some items failed" } },
});

export enum EntityKind {
  ORDER = "ORDER",
  PRODUCT = "PRODUCT",
  VARIANT = "VARIANT",
  CATEGORY = "CATEGORY",
  CUSTOMER = "CUSTOMER",
  STOCK = "STOCK",
}
registerEnumType(EntityKind, { name: "EntityKind" });

export enum ItemAction {
  CREATE = "CREATE",
  UPDATE = "UPDATE",
  SKIP = "SKIP",
}
registerEnumType(ItemAction, { name: "ItemAction" });

export enum ItemStatus {
  PENDING = "PENDING",
  SUCCEEDED = "SUCCEEDED",
  SKIPPED = "SKIPPED",
  FAILED = "FAILED",
}
registerEnumType(ItemStatus, { name: "ItemStatus" });

export enum SyncEventType {
  RUN_QUEUED = "RUN_QUEUED",
  RUN_STARTED = "RUN_STARTED",
  ITEM_SUCCEEDED = "ITEM_SUCCEEDED",
  ITEM_SKIPPED = "ITEM_SKIPPED",
  ITEM_FAILED = "ITEM_FAILED",
  RUN_FINISHED = "RUN_FINISHED",
  CONNECTION_FAILED = "CONNECTION_FAILED",
  RUN_WAITING = "RUN_WAITING",
}
registerEnumType(SyncEventType, {
  name: "SyncEventType",
  valuesConfig: {
    RUN_WAITING: {
      description:
        "a run waits for a vendor (unreachable, or a rate window); the message says why and when the next attempt starts",
    },
  },
});
