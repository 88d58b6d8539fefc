import type { DataSource } from "typeorm";
import type { Logger } from "pino";
import { FieldMappingEntity, ValueMappingEntity } from "../../db/entities/mapping.entity";
import { FlowConfigEntity } from "../../db/entities/flow-config.entity";
import { SyncCursorEntity } from "../../db/entities/infra.entity";
import { FastSql } from "../../db/fast-sql";
import {
  MappingSet,
  resolveMappings,
  type FieldMappingDef,
  type WritePolicy,
} from "../../mapping/field-mapping";
import { ValueMaps } from "../../mapping/value-maps";
import type { UpstreamWaitListener } from "../../connectors/http";
import type { FlowDefinition, FlowRuntime, IntegrationClients } from "./flow-definition";
import { mergeSettings, type FlowKindName, type FlowSettingsData } from "./flow-settings";
import { DbCatalogIndex } from "../catalog/catalog-index";
import { LinkStore } from "./links";
import { dbIntentRepo, WriteIntents, type IntentHooks } from "./create-once";

export interface ClientOptions {
  readOnly: boolean;
  /** "reads": unified reads, which draw from their own share of each vendor lane budget */
  purpose?: "reads";
  /** stops every request of these clients (a GraphQL request's execution deadline) */
  signal?: AbortSignal;
  /** told when a request waits (backoff on an unreachable vendor, a rate window): runs show why */
  onWait?: UpstreamWaitListener;
}

export type ClientProvider = (integrationId: string, opts: ClientOptions) => Promise<IntegrationClients>;

/** User mappings of a flow, in the order they were set. */
export async function userMappings(
  ds: DataSource,
  integrationId: string,
  flow: FlowKindName,
): Promise<FieldMappingDef[]> {
  const rows = await ds.manager.find(FieldMappingEntity, {
    where: { integrationId, flow },
    order: { position: "ASC" },
  });
  return rows.map((r) => ({
    target: r.target,
    source: r.source,
    expression: r.expression,
    defaultValue: r.defaultValue ?? undefined,
    policy: r.policy as WritePolicy,
  }));
}

export async function loadSettings(
  ds: DataSource,
  integrationId: string,
  flow: FlowKindName,
): Promise<FlowSettingsData> {
  const row = await ds.manager.findOneBy(FlowConfigEntity, { integrationId, kind: flow });
  return mergeSettings(flow, (row?.settings as Partial<FlowSettingsData>) ?? null);
}

export async function loadValueMaps(ds: DataSource, integrationId: string): Promise<ValueMaps> {
  const rows = await ds.manager.findBy(ValueMappingEntity, { integrationId });
  return new ValueMaps(rows.map((r) => ({ kind: r.kind, from: r.from, to: r.to })));
}

/** Builds what a flow's steps use, with the current settings and mappings of the integration. */
export async function buildRuntime(args: {
  ds: DataSource;
  def: FlowDefinition;
  integrationId: string;
  runId: string;
  dryRun: boolean;
  clients: ClientProvider;
  logger: Logger;
  signal: AbortSignal;
  /** told when the run's requests wait (RunWaitReporter) */
  onWait?: UpstreamWaitListener;
  /** test hooks of the intent steps */
  intentHooks?: IntentHooks;
}): Promise<FlowRuntime> {
  const { ds, def, integrationId } = args;
  const [settings, user, valueMaps, clients] = await Promise.all([
    loadSettings(ds, integrationId, def.kind),
    userMappings(ds, integrationId, def.kind),
    loadValueMaps(ds, integrationId),
    args.clients(integrationId, { readOnly: args.dryRun, onWait: args.onWait }),
  ]);
  const memo = new Map<string, Promise<unknown>>();
  const stateSql = new FastSql(ds, SyncCursorEntity);
  return {
    integrationId,
    flow: def.kind,
    runId: args.runId,
    dryRun: args.dryRun,
    settings,
    mappings: new MappingSet(resolveMappings(def.defaultMappings, user)),
    valueMaps,
    clients,
    links: new LinkStore(ds, integrationId),
    catalog: new DbCatalogIndex(ds, integrationId, () => clients),
    intents: new WriteIntents(dbIntentRepo(ds), integrationId, args.runId, args.intentHooks),
    logger: args.logger.child({ integrationId, flow: def.kind, runId: args.runId }),
    signal: args.signal,
    db: ds,
    memo<T>(key: string, load: () => Promise<T>): Promise<T> {
      let p = memo.get(key) as Promise<T> | undefined;
      if (!p) {
        p = load();
        memo.set(key, p);
        p.catch(() => memo.delete(key));
      }
      return p;
    },
    // plain statements: product flows read a product's state (its images) once per item
    state: {
      async get(key) {
        return (await stateSql.findOne({ integrationId, key: `state:${key}` }))?.value;
      },
      async set(key, value) {
        await stateSql.upsert({ integrationId, key: `state:${key}`, value, updatedAt: new Date() }, [
          "integrationId",
          "key",
        ]);
      },
    },
  };
}
