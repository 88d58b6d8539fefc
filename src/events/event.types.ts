/**
 * A live sync event, self-contained: everything a monitoring screen shows is in the payload (no
 * follow-up query needed). `id` orders events of an integration and is what `afterId` refers to.
 */
export type SyncEventTypeName =
  | "RUN_QUEUED"
  | "RUN_STARTED"
  | "ITEM_SUCCEEDED"
  | "ITEM_SKIPPED"
  | "ITEM_FAILED"
  | "RUN_FINISHED"
  | "CONNECTION_FAILED"
  | "RUN_WAITING";

export interface RunCountsData {
  total: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

export interface SyncItemData {
  id: string;
  runId: string;
  entity: string;
  sourceId: string;
  targetId: string | null;
  sku: string | null;
  action: string;
  status: string;
  reason: string | null;
  errorCode: string | null;
  changes: { field: string; before: unknown; after: unknown }[];
  sourcePayload: unknown;
  sentPayload: unknown;
  attempts: number;
  /** when a failed item is tried again by itself (ISO-8601); null when it is not */
  nextAttemptAt: string | null;
  updatedAt: string;
}

export interface SyncEventData {
  id: string;
  type: SyncEventTypeName;
  at: string;
  integrationId: string;
  flow: string | null;
  runId: string | null;
  runStatus: string | null;
  counts: RunCountsData | null;
  progress: number | null;
  /** item events: when the run should finish at its observed pace (ISO) */
  estimatedFinishAt?: string | null;
  item: SyncItemData | null;
  message: string | null;
}
