import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import type { CcvClient } from "../../connectors/ccv-salespos";
import type { EcwidClient } from "../../connectors/ecwid";
import type { FieldMappingDef, MappingSet } from "../../mapping/field-mapping";
import type { ValueMapKindName, ValueMaps } from "../../mapping/value-maps";
import type { EntityName, FlowKindName, FlowSettingsData, ItemActionName, SystemName } from "./flow-settings";
import type { CatalogIndex } from "../catalog/catalog-index";
import type { LinkKindName } from "./link-kinds";
import type { LinkStore } from "./links";
import type { WriteIntents } from "./create-once";

/** The two vendor clients of one integration (read-only transports in a dry run). */
export interface IntegrationClients {
  ecwid: EcwidClient;
  ccv: CcvClient;
}

/** A record of the source system, as read (the payload is what the activity log shows). */
export interface SourceRecord {
  id: string;
  entity?: EntityName;
  sku?: string | null;
  payload: unknown;
  /** when the payload was read (ms), no later than the read: a flow may read it again when its link moved since */
  readAt?: number;
}

export interface DiscoveredRecord {
  record: SourceRecord;
  /** a discovery position to resume from after this record is durably recorded */
  checkpoint?: unknown;
}

/** What every step of a flow can use. One per run. */
export interface FlowRuntime {
  integrationId: string;
  flow: FlowKindName;
  runId: string;
  dryRun: boolean;
  settings: FlowSettingsData;
  mappings: MappingSet;
  valueMaps: ValueMaps;
  clients: IntegrationClients;
  links: LinkStore;
  /** SKU/EAN → ids on both sides, shared by every flow and worker (src/sync/catalog) */
  catalog: CatalogIndex;
  /** write-ahead intents of creates upstream (create-once.ts) */
  intents: WriteIntents;
  logger: Logger;
  signal: AbortSignal;
  /**
   * the gateway's database, for steps that read the engine's own records (the stock flows'
   * reservations read the reverse order flow's items); absent in the test runtime
   */
  db?: DataSource;
  /** per-run memo for things read once per run (store profiles, tax settings, indexes) */
  memo<T>(key: string, load: () => Promise<T>): Promise<T>;
  /** key/value state of the integration that outlives runs (e.g. a CCV customer index marker) */
  state: { get(key: string): Promise<string | undefined>; set(key: string, value: string): Promise<void> };
}

export interface DiscoverOptions {
  /** lower bound of the incremental window (already moved back by the lookback); null = everything */
  since: Date | null;
  /** the watermark taken before the read */
  until: Date;
  /** where a resumed run's discovery stopped */
  checkpoint?: unknown;
  /** tell the engine how many items to expect (progress bars) as soon as it is known */
  setExpectedTotal(n: number): void;
}

export interface LinkWrite {
  /** what the two ids name: LINK_KINDS (link-kinds.ts) */
  entity: LinkKindName;
  ecwidId: string;
  ccvId: string;
  /** which side the gateway created: ECWID, CCV_SALESPOS, or MATCHED (both existed) */
  createdBy: SystemName | "MATCHED";
  sku?: string | null;
  hashToCcv?: string;
  hashToEcwid?: string;
  /**
   * VARIANT only: this pair replaces the links its ids had (the target regenerated its variant
   * records, e.g. CCV after a new option axis), instead of failing as a conflict. Ignored for every
   * other kind, which keeps the conflict check.
   */
  repoint?: boolean;
}

export interface ItemResult {
  action: ItemActionName;
  /** defaults: SKIP → SKIPPED; otherwise SUCCEEDED (PENDING in a dry run) */
  status?: "SUCCEEDED" | "SKIPPED" | "FAILED";
  reason?: string | null;
  errorCode?: string | null;
  targetId?: string | null;
  sku?: string | null;
  entity?: EntityName;
  changes?: { field: string; before: unknown; after: unknown }[];
  /** what was sent (or, in a dry run, would be sent) */
  sentPayload?: unknown;
  /** overrides the source payload recorded for the item (e.g. enriched) */
  sourcePayload?: unknown;
  /** links to record in the same transaction as the item */
  links?: LinkWrite[];
  /**
   * a failed item: the SKUs it misses (MISSING_PRODUCT), recorded as data with it so that linking a
   * product with exactly one of them tries it again at once (ItemRetries.healSkus)
   */
  missingSkus?: string[];
}

/**
 * One FlowKind: what qualifies, how records are found, how one item is synced. The engine adds
 * leases, links, idempotent recording, cursors, retries, dry run, events and progress.
 */
export interface FlowDefinition {
  kind: FlowKindName;
  entity: EntityName;
  source: SystemName;
  target: SystemName;
  /**
   * how many of a run's items may be worked on at once (default 1: in discovery order, one at a
   * time). A flow whose items do not depend on each other (orders) allows more, so a run keeps the
   * vendor lanes busy while items wait for answers; the connectors' lanes still pace every request,
   * and the engine caps it (ExecutorOptions.maxItemsInFlight).
   */
  maxItemsInFlight?: number;
  /**
   * with more than one item in flight: items of the same group are worked on one after the other
   * (e.g. the orders of one customer, whose account is found or created once). Null: no group.
   */
  itemGroup?(record: SourceRecord): string | null;
  /** upstream requests one item costs on the slowest lane, and that lane's limit (finish estimates) */
  cost?: { requestsPerItem: number; lanePerMinute: number };
  /** vendor webhook events that trigger a run for the record they name */
  webhooks?: { system: SystemName; events: string[] };
  /** default field mappings (listed by defaultFieldMappings) */
  defaultMappings: FieldMappingDef[];
  /**
   * where a source payload holds the code each value map translates (the console offers the codes
   * seen in recent items when a value map is edited)
   */
  valueMapCodes?: Partial<
    Record<ValueMapKindName, (sourcePayload: unknown) => string | number | null | undefined>
  >;
  /**
   * A key shared with the flow that syncs the same records the other way (the two product flows):
   * an item holds it from its decision until its links are recorded, so one direction never
   * decides on a link the other is writing. Null: no such key for this record.
   */
  pairLease?(rt: FlowRuntime, record: SourceRecord): Promise<string | null>;
  /**
   * With pairLease, once it is held: the record read again when the other direction wrote the pair
   * since it was read (`readAt`), so a stale read is never taken for a change; else the same record.
   */
  reread?(rt: FlowRuntime, record: SourceRecord): Promise<SourceRecord>;
  /** records changed in the window (or all); resumable from a checkpoint */
  discover(rt: FlowRuntime, opts: DiscoverOptions): AsyncIterable<DiscoveredRecord>;
  /** one source record by id (webhook, retry, replay and preview runs); null when it no longer exists */
  fetchOne(rt: FlowRuntime, sourceId: string): Promise<SourceRecord | null>;
  /** decide and do; must not write upstream when rt.dryRun (the transports refuse it anyway) */
  syncItem(rt: FlowRuntime, record: SourceRecord): Promise<ItemResult>;
  /** the mapping input for previewMapping and for syncItem: the source enriched with what mappings may use */
  mappingInput?(
    rt: FlowRuntime,
    record: SourceRecord,
  ): Promise<{ input: unknown; bindings: Record<string, unknown> }>;
}

/** A failure of one item with a machine-readable class (MISSING_PRODUCT, MAPPING, …) and words for people. */
export class ItemFailure extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly details: Partial<ItemResult> = {},
  ) {
    super(message);
    this.name = "ItemFailure";
  }
}
