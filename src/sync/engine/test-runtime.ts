import pino from "pino";
import type { EntityManager } from "typeorm";
import type { CcvClient } from "../../connectors/ccv-salespos";
import type { EcwidClient } from "../../connectors/ecwid";
import type { LinkEntity } from "../../db/entities/link.entity";
import { MappingSet, resolveMappings, type FieldMappingDef } from "../../mapping/field-mapping";
import { ValueMaps, type ValueMapKindName } from "../../mapping/value-maps";
import {
  WriteIntents,
  type IntentKey,
  type IntentRepo,
  type IntentRow,
  type UpstreamRef,
} from "./create-once";
import type { FlowDefinition, FlowRuntime, ItemResult, LinkWrite, SourceRecord } from "./flow-definition";
import { mergeSettings, type EntityName, type FlowSettingsData } from "./flow-settings";
import { LinkStore } from "./links";
import type { CatalogIndex } from "../catalog/catalog-index";
import { MemoryCatalogIndex } from "../catalog/memory-catalog-index";

/**
 * A FlowRuntime for unit specs of flow steps: records in, decisions out, no sandbox, no database.
 * The vendor clients answer only what a spec stubs (every other call throws "not stubbed", so a
 * step that reads more than the spec expects fails loudly), and every call is recorded in `calls`.
 * Links and write-ahead intents live in memory and run the engine's own intent logic.
 *
 *   const t = testRuntime(ordersEcwidToCcv, { ccv: { createOrder: async () => order }, links: [...] });
 *   const decision = await t.sync(record);
 *   expect(t.calls).toEqual([...]);
 */
export interface TestRuntimeOptions {
  settings?: Partial<FlowSettingsData>;
  /** the methods of each vendor client the steps may call */
  ecwid?: Partial<Record<keyof EcwidClient, unknown>>;
  ccv?: Partial<Record<keyof CcvClient, unknown>>;
  /** links that exist before the step runs */
  links?: LinkWrite[];
  /** intents that exist before the step runs (earlier attempts) */
  intents?: (Omit<IntentRow, "id" | "integrationId" | "runId" | "targetLabel"> & {
    targetLabel?: string | null;
  })[];
  /** the catalogue index (default: an empty one in memory; note entries into it) */
  catalog?: CatalogIndex;
  /** user field mappings on top of the flow's defaults */
  mappings?: FieldMappingDef[];
  valueMaps?: { kind: ValueMapKindName; from: string; to: string }[];
  dryRun?: boolean;
}

export interface ClientCall {
  system: "ecwid" | "ccv";
  method: string;
  args: unknown[];
}

export interface TestRuntime {
  rt: FlowRuntime;
  /** every vendor client call the steps made, in order */
  calls: ClientCall[];
  /** the intents as they are now */
  intents: IntentRow[];
  /** the flow's syncItem on one record: the decision */
  sync(record: SourceRecord): Promise<ItemResult>;
}

export function testRuntime(def: FlowDefinition, o: TestRuntimeOptions = {}): TestRuntime {
  const integrationId = "00000000-0000-4000-8000-000000000001";
  const runId = "00000000-0000-4000-8000-000000000002";
  const calls: ClientCall[] = [];
  const client = (system: ClientCall["system"], stubs: Record<string, unknown>) =>
    new Proxy(
      {},
      {
        get(_t, name) {
          if (typeof name !== "string" || name === "then") return undefined;
          return (...args: unknown[]) => {
            calls.push({ system, method: name, args });
            const stub = stubs[name];
            if (stub === undefined) throw new Error(`${system}.${name} is not stubbed in this test runtime`);
            return typeof stub === "function" ? (stub as (...a: unknown[]) => unknown)(...args) : stub;
          };
        },
      },
    );
  const intents: IntentRow[] = (o.intents ?? []).map((i, n) => ({
    ...i,
    targetLabel: i.targetLabel ?? null,
    id: `intent-${n}`,
    integrationId,
    runId: "earlier-run",
  }));
  const memo = new Map<string, Promise<unknown>>();
  const state = new Map<string, string>();
  const rt: FlowRuntime = {
    integrationId,
    flow: def.kind,
    runId,
    dryRun: o.dryRun ?? false,
    settings: mergeSettings(def.kind, o.settings ?? null),
    mappings: new MappingSet(resolveMappings(def.defaultMappings, o.mappings ?? [])),
    valueMaps: new ValueMaps(o.valueMaps ?? []),
    clients: {
      ecwid: client("ecwid", o.ecwid ?? {}) as EcwidClient,
      ccv: client("ccv", o.ccv ?? {}) as CcvClient,
    },
    links: new MemoryLinks(integrationId, o.links ?? []),
    catalog: o.catalog ?? new MemoryCatalogIndex(),
    intents: new WriteIntents(memoryIntentRepo(intents), integrationId, runId),
    logger: pino({ level: "silent" }),
    signal: new AbortController().signal,
    memo<T>(key: string, load: () => Promise<T>): Promise<T> {
      let p = memo.get(key) as Promise<T> | undefined;
      if (!p) {
        p = load();
        memo.set(key, p);
      }
      return p;
    },
    state: {
      get: async (key) => state.get(key),
      set: async (key, value) => void state.set(key, value),
    },
  };
  return { rt, calls, intents, sync: (record) => def.syncItem(rt, record) };
}

/** Links in memory (read by the steps; the engine writes the links an ItemResult names). */
class MemoryLinks extends LinkStore {
  private readonly rows: LinkEntity[];

  constructor(integrationId: string, links: LinkWrite[]) {
    super(undefined as never, integrationId);
    const now = new Date(0);
    this.rows = links.map((l, i) => ({
      id: `link-${i}`,
      integrationId,
      entity: l.entity,
      ecwidId: l.ecwidId,
      ccvId: l.ccvId,
      createdBy: l.createdBy,
      sku: l.sku ?? null,
      hashToCcv: l.hashToCcv ?? "",
      hashToEcwid: l.hashToEcwid ?? "",
      createdAt: now,
      updatedAt: now,
    }));
  }

  override async byEcwid(entity: EntityName, ecwidId: string): Promise<LinkEntity | null> {
    return this.rows.find((r) => r.entity === entity && r.ecwidId === ecwidId) ?? null;
  }

  override async byCcv(entity: EntityName, ccvId: string): Promise<LinkEntity | null> {
    return this.rows.find((r) => r.entity === entity && r.ccvId === ccvId) ?? null;
  }

  override async bySku(entity: EntityName, sku: string): Promise<LinkEntity | null> {
    return this.rows.find((r) => r.entity === entity && r.sku === sku) ?? null;
  }

  override async bothSides(entity: EntityName, ecwidId: string, ccvId: string) {
    return { byEcwid: await this.byEcwid(entity, ecwidId), byCcv: await this.byCcv(entity, ccvId) };
  }

  override async upsert(_em: EntityManager, _w: LinkWrite): Promise<void> {
    throw new Error("steps do not write links: they return them in ItemResult.links");
  }
}

/** The intent store in memory, with the database's uniqueness of references. */
export function memoryIntentRepo(rows: IntentRow[]): IntentRepo {
  const same = (r: IntentRow, k: IntentKey) => r.target === k.target && r.entity === k.entity;
  return {
    async find(integrationId, key) {
      return rows.filter(
        (r) =>
          r.integrationId === integrationId &&
          same(r, key) &&
          (r.reference === key.reference || r.sourceId === key.sourceId),
      );
    },
    async insert(row) {
      const taken = rows.some(
        (r) =>
          r.integrationId === row.integrationId &&
          r.target === row.target &&
          r.entity === row.entity &&
          r.reference === row.reference,
      );
      if (taken) return false;
      rows.push({ ...row });
      return true;
    },
    async settle(id, ref: UpstreamRef) {
      const r = rows.find((x) => x.id === id);
      if (r) Object.assign(r, { targetId: ref.id, targetLabel: ref.label });
    },
    async remove(id) {
      const i = rows.findIndex((x) => x.id === id);
      if (i >= 0) rows.splice(i, 1);
    },
  };
}
