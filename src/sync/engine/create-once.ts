import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { ConnectorError } from "../../connectors/http/connector-error";
import { isDuplicateKeyError } from "../../db/data-source";
import { FastSql } from "../../db/fast-sql";
import { WriteIntentEntity } from "../../db/entities/write-intent.entity";
import type { ItemResult, LinkWrite } from "./flow-definition";
import type { EntityName, SystemName } from "./flow-settings";

/**
 * The idempotency steps every flow that creates records upstream shares, in this order:
 *
 * 1. linked   — the source record has a link: it was created already (the flow says what happens to
 *               a linked record: skip, follow a status …);
 * 2. echo     — the record was itself created by the gateway from the other side: never sent back;
 * 3. intent   — a write-ahead intent (`WriteIntents`): before the create the engine records the
 *               source record and the reference the new record will carry; after it, the created id.
 *               The next attempt of a record whose intent has an outcome links that outcome without
 *               asking the vendor; only an intent WITHOUT an outcome (a crash between the create
 *               and its recording, an ambiguous failure) makes it search the vendor by reference.
 *               In the steady state no reference search is made at all;
 * 4. link     — the item records the link (in the item's transaction), created or recovered alike:
 *               `recoveredResult` is what both order flows record for a create that happened in an
 *               earlier attempt.
 *
 * `guards` runs steps 1–2 (and the flow's qualification between them); `rt.intents` steps 3. A flow
 * written as steps (flow-steps.ts) gets all four in this order from the step runner.
 */
export async function guards(steps: {
  /** the result for a linked record, or null when it has no link */
  linked(): Promise<ItemResult | null>;
  /** why the record does not qualify (yet), or null */
  qualify?(): string | null;
  /** why the record is an echo of the other side, or null */
  echo(): Promise<string | null>;
}): Promise<ItemResult | null> {
  const linked = await steps.linked();
  if (linked) return linked;
  const notQualifying = steps.qualify?.() ?? null;
  if (notQualifying) return { action: "SKIP", reason: notQualifying };
  const echo = await steps.echo();
  if (echo) return { action: "SKIP", reason: echo };
  return null;
}

/** A record upstream: its id and how people know it (an order number). */
export interface UpstreamRef {
  id: string;
  label: string;
}

export interface IntentKey {
  entity: EntityName;
  /** the system the record is created in */
  target: SystemName;
  sourceId: string;
  /** our reference on the created record */
  reference: string;
}

/** What an earlier attempt left behind. */
export type Prior =
  /** created by an earlier attempt: link it, do not create again */
  | { kind: "RECOVERED"; ref: UpstreamRef; foundBy: "intent" | "reference" }
  /** the reference is another source record's: a mapping that does not give every record its own */
  | { kind: "TAKEN"; ownerSourceId: string; ref: UpstreamRef | null };

export type CreateOutcome<T> =
  { kind: "CREATED"; created: T; ref: UpstreamRef } | Extract<Prior, { kind: "TAKEN" }>;

/** test hooks of the intent steps (simulated crashes) */
export interface IntentHooks {
  /** after the upstream create answered, before its outcome is recorded */
  afterCreate?(key: IntentKey & { integrationId: string }): void | Promise<void>;
}

/** An intent as stored (WriteIntentEntity's fields the steps use). */
export type IntentRow = Pick<
  WriteIntentEntity,
  | "id"
  | "integrationId"
  | "target"
  | "entity"
  | "reference"
  | "sourceId"
  | "runId"
  | "targetId"
  | "targetLabel"
>;

/** Where intents live: the database (`dbIntentRepo`), or memory in unit tests (test-runtime.ts). */
export interface IntentRepo {
  /** intents of this integration, target and entity carrying `reference` or made for `sourceId` */
  find(integrationId: string, key: IntentKey): Promise<IntentRow[]>;
  /** false when the reference is taken (unique per integration, target and entity) */
  insert(row: IntentRow): Promise<boolean>;
  settle(id: string, ref: UpstreamRef): Promise<void>;
  remove(id: string): Promise<void>;
}

export function dbIntentRepo(ds: DataSource): IntentRepo {
  const sql = new FastSql(ds, WriteIntentEntity);
  return {
    find: (integrationId, key) =>
      sql.find([
        { integrationId, target: key.target, entity: key.entity, reference: key.reference },
        { integrationId, target: key.target, entity: key.entity, sourceId: key.sourceId },
      ]),
    async insert(row) {
      const now = new Date();
      try {
        await sql.insert({ ...row, createdAt: now, updatedAt: now });
        return true;
      } catch (e) {
        if (isDuplicateKeyError(e)) return false;
        throw e;
      }
    },
    async settle(id, ref) {
      await sql.update(
        { id },
        { targetId: ref.id, targetLabel: ref.label.slice(0, 191), updatedAt: new Date() },
      );
    },
    async remove(id) {
      await sql.delete({ id });
    },
  };
}

/** Write-ahead intents of one integration (see `guards` for where they sit among the steps). */
export class WriteIntents {
  /** reference searches made (tests and benches count them) */
  searches = 0;

  constructor(
    private readonly repo: IntentRepo,
    readonly integrationId: string,
    private readonly runId: string,
    private readonly hooks: IntentHooks = {},
  ) {}

  /**
   * Step 3, reading: what earlier attempts left for this record or reference. Searches the vendor
   * (`find`) only for an intent without an outcome; null = nothing was created, go ahead.
   */
  async recover(
    key: IntentKey,
    find: (reference: string) => Promise<UpstreamRef | undefined>,
  ): Promise<Prior | null> {
    const rows = await this.repo.find(this.integrationId, key);
    const byRef = rows.find((r) => r.reference === key.reference);
    if (byRef && byRef.sourceId !== key.sourceId) {
      return { kind: "TAKEN", ownerSourceId: byRef.sourceId, ref: refOf(byRef) };
    }
    // this record's intents: the current reference first, then any it had under an older mapping
    const own = rows
      .filter((r) => r.sourceId === key.sourceId)
      .sort((a, b) => Number(b.reference === key.reference) - Number(a.reference === key.reference));
    for (const intent of own) {
      const done = refOf(intent);
      if (done) return { kind: "RECOVERED", ref: done, foundBy: "intent" };
    }
    for (const intent of own) {
      this.searches++;
      const found = await find(intent.reference);
      if (found) {
        await this.repo.settle(intent.id, found);
        return { kind: "RECOVERED", ref: found, foundBy: "reference" };
      }
    }
    return null;
  }

  /**
   * Step 3, writing: records the intent, creates, records the outcome. A refusal that certainly
   * created nothing (not ambiguous) removes the intent, so the next attempt needs no search.
   */
  async create<T>(
    key: IntentKey,
    create: () => Promise<T>,
    refOfCreated: (t: T) => UpstreamRef,
  ): Promise<CreateOutcome<T>> {
    let id: string = randomUUID();
    const inserted = await this.repo.insert({
      id,
      integrationId: this.integrationId,
      target: key.target,
      entity: key.entity,
      reference: key.reference,
      sourceId: key.sourceId,
      runId: this.runId,
      targetId: null,
      targetLabel: null,
    });
    if (!inserted) {
      const existing = (await this.repo.find(this.integrationId, key)).find(
        (r) => r.reference === key.reference,
      );
      if (!existing) throw new Error(`the intent for reference ${key.reference} vanished while it was taken`);
      if (existing.sourceId !== key.sourceId)
        return { kind: "TAKEN", ownerSourceId: existing.sourceId, ref: refOf(existing) };
      // our own intent without an outcome, already searched for by `recover`: create again
      id = existing.id;
    }
    let created: T;
    try {
      created = await create();
    } catch (e) {
      if (e instanceof ConnectorError && !e.ambiguous) await this.repo.remove(id);
      throw e;
    }
    const ref = refOfCreated(created);
    await this.hooks.afterCreate?.({ ...key, integrationId: this.integrationId });
    await this.repo.settle(id, ref);
    return { kind: "CREATED", created, ref };
  }
}

const refOf = (r: IntentRow): UpstreamRef | null =>
  r.targetId ? { id: r.targetId, label: r.targetLabel ?? r.targetId } : null;

/**
 * Step 4 for a create an earlier attempt made: what both order flows record. It counts as the
 * item's CREATE (the earlier attempt was never recorded), says how it was found, and links it.
 */
export function recoveredResult(args: {
  prior: Extract<Prior, { kind: "RECOVERED" }>;
  /** "CCV SalesPOS as order", "Ecwid as order" */
  where: string;
  /** what the reference is called on the target: "reservation number", "externalOrderId" */
  referenceName: string;
  reference: string;
  sentPayload?: unknown;
  changes?: ItemResult["changes"];
  sourcePayload?: unknown;
  links: LinkWrite[];
}): ItemResult {
  const { prior } = args;
  const how =
    prior.foundBy === "intent"
      ? `recorded when it was sent, with ${args.referenceName} ${args.reference}`
      : `found by its ${args.referenceName} ${args.reference}`;
  return {
    action: "CREATE",
    targetId: prior.ref.id,
    reason: `Already in ${args.where} ${prior.ref.label}: an earlier attempt created it (${how}); linked, not sent again.`,
    ...(args.changes ? { changes: args.changes } : {}),
    ...(args.sentPayload !== undefined ? { sentPayload: args.sentPayload } : {}),
    ...(args.sourcePayload !== undefined ? { sourcePayload: args.sourcePayload } : {}),
    links: args.links,
  };
}
