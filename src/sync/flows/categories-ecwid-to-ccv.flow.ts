import type { CcvCategory, CcvCategoryCreate } from "../../connectors/ccv-salespos";
import type { EcwidCategory } from "../../connectors/ecwid";
import { diffFields, hashOf } from "../engine/hash";
import {
  ItemFailure,
  type FlowDefinition,
  type FlowRuntime,
  type ItemResult,
  type SourceRecord,
} from "../engine/flow-definition";

/**
 * CATEGORIES_ECWID_TO_CCV: the Ecwid category tree is created or updated in CCV, parents first,
 * linked by id. Ecwid has no updated-since filter for categories, so every run reads the (small)
 * tree and skips categories whose mapped fields are unchanged since the last sync (hash).
 */
export const categoriesEcwidToCcv: FlowDefinition = {
  kind: "CATEGORIES_ECWID_TO_CCV",
  entity: "CATEGORY",
  source: "ECWID",
  target: "CCV_SALESPOS",
  cost: { requestsPerItem: 1, lanePerMinute: 100 },
  webhooks: { system: "ECWID", events: ["category.created", "category.updated", "category.deleted"] },
  defaultMappings: [
    { target: "name", source: "name", policy: "ALWAYS" },
    { target: "description", source: "description", policy: "ALWAYS" },
    { target: "show_on_website", expression: "enabled != false", policy: "ALWAYS" },
    { target: "position", expression: "orderBy ? $floor(orderBy / 10) : undefined", policy: "ALWAYS" },
    { target: "parentcategory_id", expression: "$ctx.parentCcvId", policy: "ALWAYS" },
  ],

  async *discover(rt, opts) {
    const all: EcwidCategory[] = [];
    for await (const c of rt.clients.ecwid.paginateCategories({ includeHidden: true })) all.push(c);
    opts.setExpectedTotal(all.length);
    for (const c of parentsFirst(all)) yield { record: toRecord(c) };
  },

  async fetchOne(rt, sourceId) {
    try {
      return toRecord(await rt.clients.ecwid.getCategory(Number(sourceId)));
    } catch (e) {
      // a deleted category is hidden in CCV: the item needs a record
      if ((e as { code?: string }).code === "NOT_FOUND")
        return { id: sourceId, entity: "CATEGORY", payload: { id: Number(sourceId), deleted: true } };
      throw e;
    }
  },

  async mappingInput(rt, record) {
    const c = record.payload as EcwidCategory;
    if ((record.payload as { deleted?: boolean }).deleted) return { input: c, bindings: {} };
    return { input: c, bindings: { ctx: { parentCcvId: await parentCcvId(rt, c) } } };
  },

  async syncItem(rt, record): Promise<ItemResult> {
    if ((record.payload as { deleted?: boolean }).deleted) return hideDeleted(rt, record.id);
    const c = record.payload as EcwidCategory;
    const parent = await parentCcvId(rt, c);
    if (c.parentId && parent === undefined) {
      throw new ItemFailure(
        "MISSING_PARENT",
        `The parent category ${c.parentId} is not in CCV SalesPOS yet; it is synced first, so check its item in this run.`,
      );
    }
    const link = await rt.links.byEcwid("CATEGORY", record.id);
    const { payload, errors } = await rt.mappings.apply(c, {
      isCreate: !link,
      bindings: { ctx: { parentCcvId: parent } },
    });
    if (errors.length) throw new ItemFailure("MAPPING", errors.join("; "));
    const hash = hashOf(payload);

    if (link) {
      if (link.hashToCcv === hash)
        return { action: "SKIP", targetId: link.ccvId, reason: "Unchanged since the last sync." };
      if (!rt.settings.updateExisting) {
        return {
          action: "SKIP",
          targetId: link.ccvId,
          reason: "Already in CCV SalesPOS; updating existing records is off.",
        };
      }
      const current = await rt.clients.ccv.getCategory(link.ccvId);
      const changes = diffFields(currentFields(current), payload);
      if (!rt.dryRun) await rt.clients.ccv.updateCategory(link.ccvId, payload as Partial<CcvCategoryCreate>);
      return {
        action: "UPDATE",
        targetId: link.ccvId,
        changes,
        sentPayload: payload,
        links: [
          {
            entity: "CATEGORY",
            ecwidId: record.id,
            ccvId: link.ccvId,
            createdBy: "MATCHED",
            hashToCcv: hash,
          },
        ],
      };
    }

    // Not linked: a category with the same name under the same parent is the same category (a
    // create that timed out, or one made by hand): link it instead of creating a duplicate.
    const existing = await findCcvCategory(rt, String(payload.name ?? c.name), parent);
    if (existing) {
      const changes = diffFields(currentFields(existing), payload);
      if (!rt.dryRun && changes.length && rt.settings.updateExisting) {
        await rt.clients.ccv.updateCategory(existing.id, payload as Partial<CcvCategoryCreate>);
      }
      return {
        action: changes.length && rt.settings.updateExisting ? "UPDATE" : "SKIP",
        targetId: String(existing.id),
        reason: changes.length ? null : "Already in CCV SalesPOS with the same data; linked.",
        changes,
        sentPayload: changes.length ? payload : null,
        links: [
          {
            entity: "CATEGORY",
            ecwidId: record.id,
            ccvId: String(existing.id),
            createdBy: "MATCHED",
            hashToCcv: hash,
          },
        ],
      };
    }
    const changes = diffFields(null, payload);
    if (rt.dryRun) return { action: "CREATE", changes, sentPayload: payload };
    const created = await rt.clients.ccv.createCategory(payload as unknown as CcvCategoryCreate);
    return {
      action: "CREATE",
      targetId: String(created.id),
      changes,
      sentPayload: payload,
      links: [
        {
          entity: "CATEGORY",
          ecwidId: record.id,
          ccvId: String(created.id),
          createdBy: "CCV_SALESPOS",
          hashToCcv: hash,
        },
      ],
    };
  },
};

const toRecord = (c: EcwidCategory): SourceRecord => ({ id: String(c.id), entity: "CATEGORY", payload: c });

/**
 * Deleted in Ecwid → hidden in CCV (`show_on_website` false), never deleted: CCV products keep their
 * category links, and a category deleted by mistake comes back by showing it again.
 */
async function hideDeleted(rt: FlowRuntime, ecwidId: string): Promise<ItemResult> {
  const link = await rt.links.byEcwid("CATEGORY", ecwidId);
  if (!link)
    return {
      action: "SKIP",
      reason: `Ecwid category ${ecwidId} no longer exists and was never synced; nothing to hide.`,
    };
  let current: CcvCategory;
  try {
    current = await rt.clients.ccv.getCategory(link.ccvId);
  } catch (e) {
    if ((e as { code?: string }).code === "NOT_FOUND")
      return {
        action: "SKIP",
        targetId: link.ccvId,
        reason: `Deleted in Ecwid; CCV SalesPOS category ${link.ccvId} no longer exists either.`,
      };
    throw e;
  }
  if (current.show_on_website === false)
    return {
      action: "SKIP",
      targetId: link.ccvId,
      reason: `Deleted in Ecwid; CCV SalesPOS category ${link.ccvId} is already hidden.`,
    };
  const patch = { show_on_website: false };
  if (!rt.dryRun) await rt.clients.ccv.updateCategory(link.ccvId, patch);
  return {
    action: "UPDATE",
    targetId: link.ccvId,
    changes: [{ field: "show_on_website", before: current.show_on_website ?? null, after: false }],
    sentPayload: patch,
    reason: "Deleted in Ecwid; hidden in CCV SalesPOS (categories are never deleted there).",
    links: rt.dryRun
      ? []
      : [{ entity: "CATEGORY", ecwidId, ccvId: link.ccvId, createdBy: "MATCHED", hashToCcv: "deleted" }],
  };
}

async function parentCcvId(rt: FlowRuntime, c: EcwidCategory): Promise<number | undefined> {
  if (!c.parentId) return undefined;
  const l = await rt.links.byEcwid("CATEGORY", String(c.parentId));
  return l ? Number(l.ccvId) : undefined;
}

/** CCV categories by (parent, name), read once per run */
async function findCcvCategory(
  rt: FlowRuntime,
  name: string,
  parent: number | undefined,
): Promise<CcvCategory | undefined> {
  const byKey = await rt.memo("ccv-categories", async () => {
    const m = new Map<string, CcvCategory>();
    for await (const cat of rt.clients.ccv.paginateCategories())
      m.set(`${cat.parentcategory?.id ?? 0}|${cat.name.trim().toLowerCase()}`, cat);
    return m;
  });
  return byKey.get(`${parent ?? 0}|${name.trim().toLowerCase()}`);
}

function currentFields(c: CcvCategory): Record<string, unknown> {
  return {
    name: c.name,
    description: c.description ?? null,
    show_on_website: c.show_on_website ?? null,
    position: c.position ?? null,
    parentcategory_id: c.parentcategory?.id ?? undefined,
  };
}

/** orders categories so that every parent comes before its children */
export function parentsFirst(all: EcwidCategory[]): EcwidCategory[] {
  const byId = new Map(all.map((c) => [c.id, c]));
  const out: EcwidCategory[] = [];
  const done = new Set<number>();
  const visit = (c: EcwidCategory, path: Set<number>) => {
    if (done.has(c.id) || path.has(c.id)) return;
    path.add(c.id);
    const p = c.parentId ? byId.get(c.parentId) : undefined;
    if (p) visit(p, path);
    done.add(c.id);
    out.push(c);
  };
  for (const c of [...all].sort((a, b) => (a.orderBy ?? 0) - (b.orderBy ?? 0))) visit(c, new Set());
  return out;
}
