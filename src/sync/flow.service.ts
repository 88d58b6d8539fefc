import { randomUUID } from "node:crypto";
import cron from "node-cron";
import type { DataSource } from "typeorm";
import { badInput, notFound } from "../common/errors";
import { json } from "../db/columns";
import { FlowConfigEntity } from "../db/entities/flow-config.entity";
import { IntegrationEntity } from "../db/entities/integration.entity";
import { FieldMappingEntity, ValueMappingEntity } from "../db/entities/mapping.entity";
import {
  MappingSet,
  MappingValidationError,
  resolveMappings,
  validateMapping,
  type FieldMappingDef,
  type ResolvedMapping,
  type WritePolicy,
} from "../mapping/field-mapping";
import type { FlowRegistry } from "./engine/flow-registry";
import {
  FLOW_KINDS,
  mergeSettings,
  STOCK_FLOWS,
  UNUSED_SETTINGS,
  type FlowKindName,
  type FlowSettingsData,
  type StockCalculationName,
} from "./engine/flow-settings";
import { buildRuntime, userMappings, type ClientProvider } from "./engine/runtime";
import type { Logger } from "pino";

export interface FlowView {
  integrationId: string;
  kind: FlowKindName;
  enabled: boolean;
  schedule: string | null;
  settings: FlowSettingsData;
}

export interface FlowInputData {
  enabled?: boolean | null;
  /** undefined: keep; null: clear */
  schedule?: string | null;
  settings?: Partial<{ [K in keyof FlowSettingsData]: FlowSettingsData[K] | null }> | null;
}

/** Notified when a flow's schedule or enablement changes (the scheduler keeps its cron jobs in step). */
export type FlowChangeListener = (flow: FlowView) => void;

/** Flow configuration, field mappings, value maps and mapping previews. */
export class FlowService {
  private listeners: FlowChangeListener[] = [];

  constructor(
    private readonly ds: DataSource,
    private readonly registry: FlowRegistry,
    private readonly clients: ClientProvider,
    private readonly logger: Logger,
  ) {}

  onChange(l: FlowChangeListener): void {
    this.listeners.push(l);
  }

  private async integration(workspaceId: string, id: string): Promise<IntegrationEntity> {
    const i = await this.ds.manager.findOneBy(IntegrationEntity, { id, workspaceId });
    if (!i) throw notFound("Integration", id);
    return i;
  }

  async flows(integrationId: string): Promise<FlowView[]> {
    const rows = await this.ds.manager.findBy(FlowConfigEntity, { integrationId });
    const byKind = new Map(rows.map((r) => [r.kind, r]));
    return FLOW_KINDS.map((kind) => view(integrationId, kind, byKind.get(kind)));
  }

  async flow(integrationId: string, kind: FlowKindName): Promise<FlowView> {
    return view(
      integrationId,
      kind,
      (await this.ds.manager.findOneBy(FlowConfigEntity, { integrationId, kind })) ?? undefined,
    );
  }

  /** every enabled flow with a schedule (the scheduler's start-up list) */
  async scheduled(): Promise<FlowView[]> {
    const rows = await this.ds.manager.findBy(FlowConfigEntity, { enabled: true });
    return rows.filter((r) => r.schedule).map((r) => view(r.integrationId, r.kind as FlowKindName, r));
  }

  async configure(
    workspaceId: string,
    integrationId: string,
    kind: FlowKindName,
    input: FlowInputData,
  ): Promise<FlowView> {
    await this.integration(workspaceId, integrationId);
    const current = await this.flow(integrationId, kind);
    const enabled = input.enabled ?? current.enabled;
    const schedule =
      input.schedule === undefined
        ? current.schedule
        : input.schedule === null
          ? null
          : input.schedule.trim();
    if (schedule !== null && (schedule.length > 200 || !cron.validate(schedule))) {
      throw badInput(
        `schedule "${schedule.slice(0, 200)}" is not a valid cron expression (node-cron syntax, e.g. "*/15 * * * *" for every 15 minutes).`,
      );
    }
    if (schedule !== null && runsMoreThanOncePerMinute(schedule)) {
      throw badInput(
        `schedule "${schedule}" would run more than once a minute; the shortest interval is one minute (five fields, e.g. "* * * * *", or six with a fixed second such as "30 * * * * *").`,
      );
    }
    // refuses a kind this engine has no definition for (only an engine built with fewer flows)
    if (enabled) this.registry.get(kind);
    const unused = (UNUSED_SETTINGS[kind] ?? []).filter(
      (k) => input.settings?.[k] !== undefined && input.settings?.[k] !== null,
    );
    if (unused.length) {
      throw badInput(
        `${kind} does not use the setting${unused.length > 1 ? "s" : ""} ${unused.join(", ")}; leave ${unused.length > 1 ? "them" : "it"} out.`,
      );
    }
    const settings = applySettings(current.settings, input.settings ?? {});
    if (settings.useDefaultDebtor && !settings.defaultDebtor) {
      throw badInput(
        "useDefaultDebtor needs defaultDebtor: the e-mail address or CCV user id of the debtor to book orders on.",
      );
    }
    const row: FlowConfigEntity = {
      integrationId,
      kind,
      enabled,
      schedule,
      settings: settings as unknown as Record<string, unknown>,
      updatedAt: new Date(),
    };
    await this.ds.transaction(async (em) => {
      if (enabled && STOCK_FLOWS.includes(kind)) {
        // One stock master: two requests enabling both stock flows at once must not both pass. On
        // MySQL/MariaDB the integration row is locked for the check; SQLite has one writer at a time.
        if (this.ds.options.type === "mysql") {
          await em
            .createQueryBuilder(IntegrationEntity, "i")
            .setLock("pessimistic_write")
            .where("i.id = :id", { id: integrationId })
            .getOne();
        }
        const other = STOCK_FLOWS.find((k) => k !== kind)!;
        if ((await em.findOneBy(FlowConfigEntity, { integrationId, kind: other, enabled: true })) !== null) {
          throw badInput(
            `${other} is enabled: one system is the stock master, so only one stock flow may be on (mirroring both ways loses concurrent sales). Disable ${other} first.`,
          );
        }
      }
      await em.upsert(FlowConfigEntity, { ...row, settings: json(row.settings) }, ["integrationId", "kind"]);
    });
    const v = view(integrationId, kind, row);
    for (const l of this.listeners) l(v);
    return v;
  }

  // ------------------------------------------------------------------ mappings

  defaultMappings(kind: FlowKindName): FieldMappingDef[] {
    return this.registry.has(kind) ? this.registry.get(kind).defaultMappings : [];
  }

  async fieldMappings(integrationId: string, kind: FlowKindName): Promise<ResolvedMapping[]> {
    return resolveMappings(this.defaultMappings(kind), await userMappings(this.ds, integrationId, kind));
  }

  /** replaces the user mappings; every expression is compiled first and a bad one refused */
  async setFieldMappings(
    workspaceId: string,
    integrationId: string,
    kind: FlowKindName,
    mappings: FieldMappingDef[],
  ): Promise<FlowView> {
    await this.integration(workspaceId, integrationId);
    const seen = new Set<string>();
    mappings.forEach((m, i) => {
      try {
        validateMapping(m);
      } catch (e) {
        if (e instanceof MappingValidationError) {
          throw badInput(e.message, {
            mapping: e.target,
            index: i,
            ...(e.position !== undefined ? { position: e.position } : {}),
          });
        }
        throw e;
      }
      if (seen.has(m.target))
        throw badInput(`mapping "${m.target}" is given twice; one mapping per target.`, {
          mapping: m.target,
          index: i,
        });
      seen.add(m.target);
    });
    await this.ds.transaction(async (em) => {
      await em.delete(FieldMappingEntity, { integrationId, flow: kind });
      let position = 0;
      for (const m of mappings) {
        await em.insert(FieldMappingEntity, {
          id: randomUUID(),
          integrationId,
          flow: kind,
          target: m.target,
          source: m.source?.trim() || null,
          expression: m.expression?.trim() || null,
          defaultValue: json(m.defaultValue ?? null),
          policy: m.policy,
          position: position++,
          updatedAt: new Date(),
        });
      }
    });
    return this.flow(integrationId, kind);
  }

  async valueMappings(
    integrationId: string,
    kind?: string,
  ): Promise<{ kind: string; from: string; to: string }[]> {
    const rows = await this.ds.manager.find(ValueMappingEntity, {
      where: kind ? { integrationId, kind } : { integrationId },
      order: { kind: "ASC", from: "ASC" },
    });
    return rows.map((r) => ({ kind: r.kind, from: r.from, to: r.to }));
  }

  async setValueMappings(
    workspaceId: string,
    integrationId: string,
    kind: string,
    entries: { from: string; to: string }[],
  ): Promise<{ kind: string; from: string; to: string }[]> {
    await this.integration(workspaceId, integrationId);
    const seen = new Set<string>();
    for (const e of entries) {
      const from = e.from.trim();
      if (from === "" || e.to.trim() === "")
        throw badInput(`value mapping entries need a non-empty from and to (got "${e.from}" → "${e.to}").`);
      if (from.length > 191 || e.to.length > 200)
        throw badInput("value mapping codes are limited to 191 characters.");
      if (seen.has(from)) throw badInput(`value mapping "${from}" is given twice.`);
      seen.add(from);
    }
    await this.ds.transaction(async (em) => {
      await em.delete(ValueMappingEntity, { integrationId, kind });
      for (const e of entries) {
        await em.insert(ValueMappingEntity, {
          id: randomUUID(),
          integrationId,
          kind,
          from: e.from.trim(),
          to: e.to.trim(),
        });
      }
    });
    return this.valueMappings(integrationId, kind);
  }

  /** the target payload the current mappings produce for one source record (reads only) */
  async previewMapping(
    workspaceId: string,
    integrationId: string,
    kind: FlowKindName,
    sourceId: string,
    /** an editor's draft of the user mappings, previewed instead of the saved ones */
    draft?: FieldMappingDef[],
  ): Promise<{
    sourcePayload: unknown;
    targetPayload: unknown;
    errors: string[];
    problems: { target: string; message: string; position: number | null }[];
  }> {
    await this.integration(workspaceId, integrationId);
    const def = this.registry.get(kind);
    const rt = await buildRuntime({
      ds: this.ds,
      def,
      integrationId,
      runId: "preview",
      dryRun: true,
      clients: this.clients,
      logger: this.logger,
      signal: new AbortController().signal,
    });
    const record = await def.fetchOne(rt, sourceId).catch((e: Error) => {
      throw badInput(`Could not read ${sourceId} from the source: ${e.message}`);
    });
    if (!record) throw notFound("Source record", sourceId);
    const { input, bindings } = def.mappingInput
      ? await def.mappingInput(rt, record)
      : { input: record.payload, bindings: {} };
    // a refused draft mapping is reported (with its position) and left out; the rest still preview
    const problems: { target: string; message: string; position: number | null }[] = [];
    const usable = (draft ?? []).filter((m) => {
      try {
        validateMapping(m);
        return true;
      } catch (e) {
        if (!(e instanceof MappingValidationError)) throw e;
        problems.push({ target: e.target, message: e.message, position: e.position ?? null });
        return false;
      }
    });
    const set = draft ? new MappingSet(resolveMappings(def.defaultMappings, usable)) : rt.mappings;
    const r = await set.apply(input, { isCreate: true, bindings });
    return { sourcePayload: record.payload, targetPayload: r.payload, errors: r.errors, problems };
  }
}

/**
 * Scheduled runs come at most once a minute: a run reads both vendors, and per-second runs would
 * spend their rate budgets on nothing. node-cron's optional sixth (leading) field is the second;
 * only a single fixed second is accepted there.
 */
export function runsMoreThanOncePerMinute(schedule: string): boolean {
  const fields = schedule.trim().split(/\s+/);
  return fields.length === 6 && !/^([0-5]?\d)$/.test(fields[0]);
}

function view(integrationId: string, kind: FlowKindName, row: FlowConfigEntity | undefined): FlowView {
  return {
    integrationId,
    kind,
    enabled: row?.enabled ?? false,
    schedule: row?.schedule ?? null,
    settings: mergeSettings(kind, (row?.settings as Partial<FlowSettingsData>) ?? null),
  };
}

function applySettings(
  current: FlowSettingsData,
  input: Partial<{ [K in keyof FlowSettingsData]: FlowSettingsData[K] | null }>,
): FlowSettingsData {
  const s = { ...current };
  if (input.orderStatuses !== undefined && input.orderStatuses !== null) {
    s.orderStatuses = [...new Set(input.orderStatuses.map((x) => x.trim()).filter((x) => x !== ""))];
  }
  if (input.useDefaultDebtor !== undefined && input.useDefaultDebtor !== null)
    s.useDefaultDebtor = input.useDefaultDebtor;
  if (input.defaultDebtor !== undefined) s.defaultDebtor = input.defaultDebtor?.trim() || null;
  if (input.updateExisting !== undefined && input.updateExisting !== null)
    s.updateExisting = input.updateExisting;
  if (input.stockCalculation !== undefined && input.stockCalculation !== null) {
    s.stockCalculation = input.stockCalculation as StockCalculationName;
  }
  if (input.manageStock !== undefined && input.manageStock !== null) s.manageStock = input.manageStock;
  if (input.startDate !== undefined) {
    const d = input.startDate as unknown;
    s.startDate = d === null ? null : d instanceof Date ? d.toISOString() : new Date(String(d)).toISOString();
  }
  return s;
}

export type { WritePolicy };
