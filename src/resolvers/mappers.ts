import type { ApiKeyEntity } from "../db/entities/api-key.entity";
import type { IntegrationEntity } from "../db/entities/integration.entity";
import type { WorkspaceEntity } from "../db/entities/workspace.entity";
import { ccvLabel, ecwidLabel } from "../services/integration.service";
import type { Connection } from "../schema/integration.type";
import type { ApiKey, Workspace } from "../schema/tenancy.type";
import type { SyncItemEntity } from "../db/entities/sync-item.entity";
import type { SyncRunEntity } from "../db/entities/sync-run.entity";
import type { SyncEventData, SyncItemData } from "../events/event.types";
import type { FlowView } from "../sync/flow.service";
import type { Page } from "../sync/run.service";
import { estimateFinish, type FlowCost } from "../sync/engine/finish-estimate";
import { itemData, progressOf } from "../sync/engine/records";
import type { ResolvedMapping } from "../mapping/field-mapping";
import {
  ConnectionStatus,
  Role,
  SystemKind,
  EntityKind,
  FieldWritePolicy,
  FlowKind,
  ItemAction,
  ItemStatus,
  RunStatus,
  RunTrigger,
  StockCalculation,
  SyncEventType,
  ValueMapKind,
} from "../schema/enums";
import type { FieldMapping, Flow, ValueMapping } from "../schema/flow.type";
import type { SyncEvent, SyncItem, SyncItemConnection, SyncRun } from "../schema/run.type";

/** Entity → GraphQL type conversions (the two shapes are never merged). */
export const toWorkspace = (w: WorkspaceEntity): Workspace => ({
  id: w.id,
  name: w.name,
  createdAt: w.createdAt,
});

export const toApiKey = (k: ApiKeyEntity): ApiKey => ({
  id: k.id,
  name: k.name,
  role: k.role as Role,
  prefix: k.prefix,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
});

export function toConnection(e: IntegrationEntity, system: SystemKind): Connection {
  if (system === SystemKind.ECWID) {
    return {
      id: `${e.id}:ECWID`,
      system,
      status: e.ecwidStatus as ConnectionStatus,
      label: ecwidLabel(e),
      maskedCredentials: e.ecwidMask,
      lastCheckedAt: e.ecwidCheckedAt,
      lastError: e.ecwidError,
    };
  }
  return {
    id: `${e.id}:CCV_SALESPOS`,
    system,
    status: e.ccvStatus as ConnectionStatus,
    label: ccvLabel(e),
    maskedCredentials: e.ccvMask,
    lastCheckedAt: e.ccvCheckedAt,
    lastError: e.ccvError,
  };
}

// ---------------------------------------------------------------------------- flows, runs, items

export function toFlow(f: FlowView): Flow {
  return {
    integrationId: f.integrationId,
    kind: f.kind as FlowKind,
    enabled: f.enabled,
    schedule: f.schedule,
    settings: {
      orderStatuses: f.settings.orderStatuses,
      useDefaultDebtor: f.settings.useDefaultDebtor,
      defaultDebtor: f.settings.defaultDebtor,
      updateExisting: f.settings.updateExisting,
      stockCalculation: f.settings.stockCalculation as StockCalculation,
      manageStock: f.settings.manageStock,
      startDate: f.settings.startDate ? new Date(f.settings.startDate) : null,
    },
  };
}

export const toFieldMapping = (m: ResolvedMapping): FieldMapping => ({
  target: m.target,
  source: m.source ?? null,
  expression: m.expression ?? null,
  defaultValue: m.defaultValue ?? null,
  policy: m.policy as FieldWritePolicy,
  isDefault: m.isDefault,
});

export const toValueMapping = (v: { kind: string; from: string; to: string }): ValueMapping => ({
  kind: v.kind as ValueMapKind,
  from: v.from,
  to: v.to,
});

export function toRun(r: SyncRunEntity, cost?: FlowCost): SyncRun {
  return {
    id: r.id,
    integrationId: r.integrationId,
    flow: r.flow as FlowKind,
    trigger: r.trigger as RunTrigger,
    dryRun: r.dryRun,
    status: r.status as RunStatus,
    queuedAt: r.queuedAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    counts: { total: r.total, created: r.created, updated: r.updated, skipped: r.skipped, failed: r.failed },
    expectedTotal: r.expectedTotal,
    progress: progressOf(r),
    estimatedFinishAt: estimateFinish(r, cost),
    error: r.error,
    // a final run waits for nothing, whatever was last recorded
    waiting: r.status === "RUNNING" || r.status === "QUEUED" ? (r.waitingReason ?? null) : null,
    waitingUntil: r.status === "RUNNING" || r.status === "QUEUED" ? (r.waitingUntil ?? null) : null,
  };
}

export function toItemFromData(i: SyncItemData): SyncItem {
  return {
    ...i,
    entity: i.entity as EntityKind,
    action: i.action as ItemAction,
    status: i.status as ItemStatus,
    changes: i.changes.map((c) => ({ field: c.field, before: c.before ?? null, after: c.after ?? null })),
    nextAttemptAt: i.nextAttemptAt ? new Date(i.nextAttemptAt) : null,
    updatedAt: new Date(i.updatedAt),
  };
}

export const toItem = (i: SyncItemEntity): SyncItem => toItemFromData(itemData(i));

export function toItemConnection(p: Page<SyncItemEntity>): SyncItemConnection {
  return {
    edges: p.nodes.map((n) => ({ cursor: n.cursor, node: toItem(n.node) })),
    pageInfo: { hasNextPage: p.hasNextPage, endCursor: p.endCursor },
    totalCount: p.totalCount ?? p.nodes.length,
  };
}

export function toEvent(e: SyncEventData): SyncEvent {
  return {
    id: e.id,
    type: e.type as SyncEventType,
    at: new Date(e.at),
    integrationId: e.integrationId,
    flow: (e.flow as FlowKind) ?? null,
    runId: e.runId,
    runStatus: (e.runStatus as RunStatus) ?? null,
    counts: e.counts,
    progress: e.progress,
    estimatedFinishAt: e.estimatedFinishAt ? new Date(e.estimatedFinishAt) : null,
    item: e.item ? toItemFromData(e.item) : null,
    message: e.message,
  };
}
