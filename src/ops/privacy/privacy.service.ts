import { randomUUID } from "node:crypto";
import type { DataSource, ObjectLiteral } from "typeorm";
import { In } from "typeorm";
import type { Logger } from "pino";
import { emailHash } from "../../connectors/ccv-salespos";
import { badInput } from "../../common/errors";
import { json } from "../../db/columns";
import { CcvCustomerIndexEntity, SyncEventEntity, WebhookInboxEntity } from "../../db/entities/infra.entity";
import { IntegrationEntity } from "../../db/entities/integration.entity";
import { LinkEntity } from "../../db/entities/link.entity";
import { FlowConfigEntity } from "../../db/entities/flow-config.entity";
import { SyncItemEntity } from "../../db/entities/sync-item.entity";
import { normalizeEmail } from "../../domain/party";
import { Identifiers, namesIn } from "../../common/personal-data";

export interface ErasedPlace {
  place: string;
  integrationId: string | null;
  count: number;
}

export interface ErasureReport {
  erasedAt: Date;
  total: number;
  places: ErasedPlace[];
  notes: string[];
}

/** configuration the erasure reports but never rewrites (an admin decides) */
const CONFIG_TABLES = new Set([
  "workspace",
  "api_key",
  "integration",
  "flow_config",
  "field_mapping",
  "value_mapping",
  "alert_channel",
  "migrations",
]);
const CHUNK = 500;

/**
 * GDPR erasure of one person (by e-mail address) in every integration of a workspace. What is
 * erased: the payloads of the items about the person's records (orders and customers that carry the
 * address, and every other item of those records), the person's e-mail and names wherever they
 * occur in reasons, events, webhook inbox rows, alerts and the audit log, the CCV e-mail index entry
 * and the e-mail keys of links (replaced by an anonymous key: the link, and so idempotency, stays).
 * Items, runs, counts and links stay. The vendors' own records are not touched: erase the person in
 * Ecwid and CCV SalesPOS too (and re-run this afterwards if a sync ran in between).
 */
export class PrivacyService {
  constructor(
    private readonly ds: DataSource,
    private readonly logger: Logger,
  ) {}

  async erase(workspaceId: string, rawEmail: string): Promise<ErasureReport> {
    const email = normalizeEmail(rawEmail);
    if (!email || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 320)
      throw badInput("erasePersonalData needs the person's e-mail address.");
    const report: ErasureReport = { erasedAt: new Date(), total: 0, places: [], notes: [] };
    const add = (place: string, integrationId: string | null, count: number) => {
      if (count <= 0) return;
      report.places.push({ place, integrationId, count });
      report.total += count;
    };
    const integrations = await this.ds.manager.find(IntegrationEntity, {
      select: { id: true },
      where: { workspaceId },
    });
    const names = new Set<string>();
    for (const { id } of integrations) {
      const r = await this.eraseIntegration(id, email, names);
      for (const [place, n] of Object.entries(r)) add(place, id, n);
      const debtors = await this.ds.manager.findBy(FlowConfigEntity, { integrationId: id });
      for (const f of debtors) {
        if (
          normalizeEmail(String((f.settings as Record<string, unknown> | null)?.defaultDebtor ?? "")) ===
          email
        )
          report.notes.push(
            `The defaultDebtor setting of ${f.kind} (integration ${id}) is this e-mail address; it is configuration and was left as it is: change it to remove it.`,
          );
      }
    }
    // everywhere else the person's e-mail or a name found in their records may remain
    const ids = new Identifiers([email, ...names]);
    for (const [place, n] of Object.entries(
      await this.sweep(
        ids,
        workspaceId,
        integrations.map((i) => i.id),
      ),
    )) {
      if (n === 0)
        report.notes.push(
          `The ${place} configuration mentions this person; it was left as it is: change it to remove it.`,
        );
      else add(place, null, n);
    }
    report.notes.push(
      "The person's records in Ecwid and CCV SalesPOS themselves were not changed: erase them there as well.",
    );
    this.logger.info(
      { workspaceId, total: report.total, places: report.places.length },
      "personal data erased",
    );
    return report;
  }

  private async eraseIntegration(
    integrationId: string,
    email: string,
    names: Set<string>,
  ): Promise<Record<string, number>> {
    const m = this.ds.manager;
    const counts: Record<string, number> = {};
    const like = `%${email}%`;
    // 1. the items that carry the e-mail, and through their record ids every other item of those records
    const carrying = await m
      .createQueryBuilder(SyncItemEntity, "s")
      .where("s.integration_id = :id", { id: integrationId })
      .andWhere(
        "(LOWER(s.source_payload) LIKE :like OR LOWER(s.sent_payload) LIKE :like OR LOWER(s.changes) LIKE :like OR LOWER(s.reason) LIKE :like)",
        { like },
      )
      .getMany();
    for (const it of carrying)
      for (const n of namesIn([it.sourcePayload, it.sentPayload, it.changes])) names.add(n);
    const recordIds = new Set<string>();
    for (const it of carrying) {
      recordIds.add(it.sourceId);
      if (it.targetId) recordIds.add(it.targetId);
    }
    const ids = new Identifiers([email, ...names]);
    const tied = new Map(carrying.map((i) => [i.id, i]));
    const rid = [...recordIds];
    for (let k = 0; k < rid.length; k += CHUNK) {
      const chunk = rid.slice(k, k + CHUNK);
      for (const it of await m
        .createQueryBuilder(SyncItemEntity, "s")
        .where("s.integration_id = :id", { id: integrationId })
        .andWhere("(s.source_id IN (:...c) OR s.target_id IN (:...c))", { c: chunk })
        .getMany())
        tied.set(it.id, it);
    }
    for (const it of tied.values()) {
      if (it.sourcePayload === null && it.sentPayload === null && !it.changes?.length && !ids.in(it.reason))
        continue;
      await m.update(
        SyncItemEntity,
        { id: it.id },
        {
          sourcePayload: json(null),
          sentPayload: json(null),
          changes: json(null),
          reason: it.reason ? ids.scrub(it.reason) : it.reason,
        },
      );
      counts["item payloads"] = (counts["item payloads"] ?? 0) + 1;
    }
    // 2. events of those items, and events whose text names the person
    const tiedIds = new Set([...tied.keys()].map(String));
    const runIds = [...new Set([...tied.values()].map((i) => i.runId))];
    const events = new Map<number, SyncEventEntity>();
    for (let k = 0; k < runIds.length; k += CHUNK)
      for (const e of await m.find(SyncEventEntity, {
        where: { integrationId, runId: In(runIds.slice(k, k + CHUNK)) },
      }))
        if (e.payload && tiedIds.has(String((e.payload as { item?: { id?: string } }).item?.id)))
          events.set(e.id, e);
    for (const e of await this.matching(SyncEventEntity, "payload", ids, { integration_id: integrationId }))
      events.set(e.id, e);
    for (const e of events.values()) {
      const p = { ...(e.payload as Record<string, unknown>) };
      const item = p.item as Record<string, unknown> | null;
      if (item && tiedIds.has(String(item.id)))
        p.item = { ...item, sourcePayload: null, sentPayload: null, changes: [] };
      await m.update(SyncEventEntity, { id: e.id }, { payload: json(ids.scrubDeep(p)) });
      counts["events"] = (counts["events"] ?? 0) + 1;
    }
    // 3. webhook inbox rows about those records or naming the person (the row stays: redeliveries are still recognised)
    const inbox = new Map<number, WebhookInboxEntity>();
    for (let k = 0; k < rid.length; k += CHUNK)
      for (const w of await m.find(WebhookInboxEntity, {
        where: { integrationId, entityId: In(rid.slice(k, k + CHUNK)) },
      }))
        if (w.payload !== null) inbox.set(w.id, w);
    for (const w of await this.matching(WebhookInboxEntity, "payload", ids, {
      integration_id: integrationId,
    }))
      inbox.set(w.id, w);
    for (const w of inbox.values()) {
      await m.update(WebhookInboxEntity, { id: w.id }, { payload: json(null) });
      counts["webhook inbox"] = (counts["webhook inbox"] ?? 0) + 1;
    }
    // 4. the CCV e-mail index and the links keyed by the e-mail's hash
    const hash = emailHash(email)!;
    counts["CCV e-mail index"] =
      (await m.delete(CcvCustomerIndexEntity, { integrationId, emailHash: hash })).affected ?? 0;
    const key = `email:${hash}`;
    let links = 0;
    for (const l of await m.find(LinkEntity, {
      where: [
        { integrationId, ecwidId: key },
        { integrationId, ccvId: key },
      ],
    })) {
      // an anonymous key keeps the link (the record is never synced twice) without the e-mail's hash
      const anon = `erased:${randomUUID()}`;
      await m.update(LinkEntity, { id: l.id }, l.ecwidId === key ? { ecwidId: anon } : { ccvId: anon });
      links++;
    }
    counts["link e-mail keys"] = links;
    return counts;
  }

  /** rows whose column mentions one of the identifiers (candidates by LIKE, confirmed by the matcher) */
  private async matching<T extends ObjectLiteral>(
    entity: new () => T,
    column: string,
    ids: Identifiers,
    where: Record<string, string>,
  ): Promise<T[]> {
    const qb = this.ds.manager.createQueryBuilder(entity, "x");
    for (const [k, v] of Object.entries(where)) qb.andWhere(`x.${k} = :${k}`, { [k]: v });
    qb.andWhere(
      `(${ids.values.map((_, i) => `LOWER(x.${column}) LIKE :v${i}`).join(" OR ")})`,
      Object.fromEntries(ids.values.map((v, i) => [`v${i}`, `%${v.toLowerCase()}%`])),
    );
    const rows = await qb.getMany();
    return rows.filter((r) =>
      ids.in(JSON.stringify((r as Record<string, unknown>)[columnProp(this.ds, entity, column)])),
    );
  }

  /**
   * Every other text column of every table (run errors, alerts, incidents, the audit log, job
   * errors, connection history, tables added later): the person's e-mail and names are replaced.
   * Configuration tables are only reported.
   */
  private async sweep(
    ids: Identifiers,
    workspaceId: string,
    integrationIds: string[],
  ): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    const done = new Set(["sync_item", "sync_event", "webhook_inbox", "ccv_customer_index", "link"]);
    for (const meta of this.ds.entityMetadatas) {
      if (done.has(meta.tableName)) continue;
      const textCols = meta.columns.filter(
        (c) =>
          !c.isPrimary &&
          (c.type === "text" || c.type === "varchar") &&
          !meta.indices.some((ix) => ix.isUnique && ix.columns.includes(c)),
      );
      if (textCols.length === 0) continue;
      const scope = meta.columns.find((c) => c.databaseName === "workspace_id")
        ? { col: "workspace_id", values: [workspaceId] }
        : meta.columns.find((c) => c.databaseName === "integration_id")
          ? { col: "integration_id", values: integrationIds }
          : null;
      if (scope && scope.values.length === 0) continue;
      const qb = this.ds.manager.createQueryBuilder(meta.target, "x");
      if (scope) qb.where(`x.${scope.col} IN (:...scope)`, { scope: scope.values });
      const params: Record<string, string> = {};
      const ors: string[] = [];
      textCols.forEach((c, ci) =>
        ids.values.forEach((v, vi) => {
          ors.push(`LOWER(x.${c.databaseName}) LIKE :p${ci}_${vi}`);
          params[`p${ci}_${vi}`] = `%${v.toLowerCase()}%`;
        }),
      );
      qb.andWhere(`(${ors.join(" OR ")})`, params);
      const rows = (await qb.getMany()) as Record<string, unknown>[];
      for (const row of rows) {
        const patch: Record<string, unknown> = {};
        for (const c of textCols) {
          const v = row[c.propertyName];
          if (v === null || v === undefined) continue;
          const text = typeof v === "string" ? v : JSON.stringify(v);
          if (!ids.in(text)) continue;
          patch[c.propertyName] = typeof v === "string" ? ids.scrub(v) : json(ids.scrubDeep(v));
        }
        if (Object.keys(patch).length === 0) continue;
        const place = meta.tableName;
        if (CONFIG_TABLES.has(place)) {
          counts[place] = 0;
          continue;
        }
        const where = Object.fromEntries(
          meta.primaryColumns.map((p) => [p.propertyName, row[p.propertyName]]),
        );
        await this.ds.manager.update(meta.target, where, patch);
        counts[place] = (counts[place] ?? 0) + 1;
      }
    }
    return counts;
  }
}

function columnProp(ds: DataSource, entity: new () => unknown, column: string): string {
  return ds.getMetadata(entity).findColumnWithDatabaseName(column)?.propertyName ?? column;
}
