import type { DataSource, EntityManager } from "typeorm";
import { LessThan } from "typeorm";
import { json } from "../../db/columns";
import { ApiKeyEntity } from "../../db/entities/api-key.entity";
import { AuditLogEntity } from "../../db/entities/ops.entity";
import type { Principal } from "../../services/principal";
import { newestFirst } from "../paging";
import type { Page } from "../../sync/run.service";

/** Who made a change: an API key (by its readable prefix), the operator token, or a command. */
export interface Actor {
  label: string;
  role: string | null;
}

export interface AuditEntryInput {
  workspaceId: string;
  actor: Actor;
  action: string;
  targetType: string;
  targetId?: string | null;
  integrationId?: string | null;
  summary: string;
  before?: unknown;
  after?: unknown;
  at?: Date;
}

export interface AuditFilter {
  action?: string;
  targetType?: string;
  targetId?: string;
  integrationId?: string;
  actor?: string;
  from?: Date;
  to?: Date;
}

/**
 * Property names that carry secrets. Snapshots are built from the API's own (masked) views, so
 * nothing secret should reach here; this is the second lock: such a property is dropped whatever
 * its value, unless it is a display mask.
 */
const SECRET_NAME = /(secret|password|token|privatekey|publickey|apikey|^key$|keyenc|enc$)/i;
const MASK_NAME = /(mask|masked)/i;

export function withoutSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutSecrets);
  if (v && typeof v === "object" && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (SECRET_NAME.test(k) && !MASK_NAME.test(k)) {
        out[k] = x === null || x === undefined ? x : "(set)";
        continue;
      }
      out[k] = withoutSecrets(x);
    }
    return out;
  }
  return v;
}

/**
 * The audit log: every configuration change with who, when, before and after. Kept for
 * AUDIT_RETENTION_DAYS (longer than item logs); never holds a secret or a person's e-mail address.
 */
export class AuditService {
  constructor(
    private readonly ds: DataSource,
    private readonly retentionDays: number,
  ) {}

  async actorOf(p: Principal): Promise<Actor> {
    if (p.kind === "instance") return { label: "operator token", role: null };
    const key = await this.ds.manager.findOne(ApiKeyEntity, {
      select: { prefix: true, role: true },
      where: { id: p.keyId },
    });
    return { label: key ? `${key.prefix}…` : `key ${p.keyId}`, role: p.role };
  }

  async record(e: AuditEntryInput, em?: EntityManager): Promise<void> {
    await (em ?? this.ds.manager).insert(AuditLogEntity, {
      workspaceId: e.workspaceId,
      at: e.at ?? new Date(),
      actor: e.actor.label.slice(0, 64),
      actorRole: e.actor.role,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId ?? null,
      integrationId: e.integrationId ?? null,
      summary: e.summary.slice(0, 500),
      before: json(e.before === undefined ? null : withoutSecrets(e.before)),
      after: json(e.after === undefined ? null : withoutSecrets(e.after)),
    });
  }

  /** newest first */
  async list(
    workspaceId: string,
    filter: AuditFilter,
    first: number | undefined,
    after: string | undefined,
  ): Promise<Page<AuditLogEntity>> {
    const qb = this.ds.manager
      .createQueryBuilder(AuditLogEntity, "a")
      .where("a.workspace_id = :ws", { ws: workspaceId });
    if (filter.action) qb.andWhere("a.action = :action", { action: filter.action });
    if (filter.targetType) qb.andWhere("a.target_type = :tt", { tt: filter.targetType });
    if (filter.targetId) qb.andWhere("a.target_id = :tid", { tid: filter.targetId });
    if (filter.integrationId) qb.andWhere("a.integration_id = :iid", { iid: filter.integrationId });
    if (filter.actor) qb.andWhere("a.actor LIKE :actor", { actor: `${filter.actor.replace(/[%_]/g, "")}%` });
    if (filter.from) qb.andWhere("a.at >= :from", { from: filter.from });
    if (filter.to) qb.andWhere("a.at < :to", { to: filter.to });
    return newestFirst(qb, first, after, 50);
  }

  /** deletes entries older than AUDIT_RETENTION_DAYS */
  async purge(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.retentionDays * 24 * 3600_000);
    return (await this.ds.manager.delete(AuditLogEntity, { at: LessThan(cutoff) })).affected ?? 0;
  }
}

/** Field-level differences between two snapshots ("settings.orderStatuses": before → after). */
export function auditChanges(
  before: unknown,
  after: unknown,
): { field: string; before: unknown; after: unknown }[] {
  const out: { field: string; before: unknown; after: unknown }[] = [];
  const walk = (path: string, a: unknown, b: unknown) => {
    const isObj = (x: unknown) => x !== null && typeof x === "object" && !Array.isArray(x);
    if (isObj(a) && isObj(b)) {
      const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
      for (const k of keys)
        walk(path ? `${path}.${k}` : k, (a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
      return;
    }
    if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null))
      out.push({ field: path || "(whole)", before: a ?? null, after: b ?? null });
  };
  walk("", before, after);
  return out;
}
