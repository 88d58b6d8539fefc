import type { SyncItemEntity } from "../../db/entities/sync-item.entity";
import type { SyncRunEntity } from "../../db/entities/sync-run.entity";
import type { RunCountsData, SyncItemData } from "../../events/event.types";

/** Entity → self-contained data (events, API). */
export function itemData(i: SyncItemEntity): SyncItemData {
  return {
    id: String(i.id),
    runId: i.runId,
    entity: i.entity,
    sourceId: i.sourceId,
    targetId: i.targetId,
    sku: i.sku,
    action: i.action,
    status: i.status,
    reason: i.reason,
    errorCode: i.errorCode,
    changes: i.changes ?? [],
    sourcePayload: i.sourcePayload ?? null,
    sentPayload: i.sentPayload ?? null,
    attempts: i.attempts,
    nextAttemptAt: i.nextAttemptAt ? i.nextAttemptAt.toISOString() : null,
    updatedAt: i.updatedAt.toISOString(),
  };
}

export function countsOf(r: SyncRunEntity): RunCountsData {
  return { total: r.total, created: r.created, updated: r.updated, skipped: r.skipped, failed: r.failed };
}

export const FINAL_STATUSES = new Set(["SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED"]);

export function progressOf(r: SyncRunEntity): number {
  if (FINAL_STATUSES.has(r.status)) return 1;
  if (!r.expectedTotal) return 0;
  return Math.min(1, r.total / r.expectedTotal);
}

export function finalStatus(r: Pick<SyncRunEntity, "total" | "failed">): "SUCCEEDED" | "PARTIAL" | "FAILED" {
  if (r.failed === 0) return "SUCCEEDED";
  return r.failed < r.total ? "PARTIAL" : "FAILED";
}
