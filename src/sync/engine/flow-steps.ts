import { guards, recoveredResult, type IntentKey, type Prior, type UpstreamRef } from "./create-once";
import type { FlowDefinition, FlowRuntime, ItemResult, LinkWrite, SourceRecord } from "./flow-definition";
import { diffFields } from "./hash";

/**
 * A flow that creates records upstream, written as named, typed steps. The runner owns the order
 * and the idempotency steps every such flow shares (create-once.ts), so a flow only says what each
 * step does for its records:
 *
 *   guards (linked → qualify → echo; the first that answers decides)
 *   → prepare (reads: everything the mapping needs besides the source)
 *   → map (the target body)
 *   → find existing (write-ahead intent; a vendor search by reference only for an intent
 *     without an outcome) → an earlier create is recorded as recovered, never repeated
 *   → write (plan → in a dry run stop here → ready → send under the intent)
 *   → links (recorded with the item, for a created and a recovered record alike)
 *
 * Each step gets what the steps before it made, typed: the source record (`TSource`), what prepare
 * read (`TPrepared`), the mapped body (`TPayload`), the write plan (`TPlan`) and the created target
 * record (`TTarget`).
 */

/** A source record as read, with its typed payload. */
export interface ReadItem<TSource> {
  record: SourceRecord;
  source: TSource;
}
export interface PreparedItem<TSource, TPrepared> extends ReadItem<TSource> {
  prepared: TPrepared;
}
export interface MappedItem<TSource, TPrepared, TPayload> extends PreparedItem<TSource, TPrepared> {
  /** the body as first mapped (the write plan may map it again, e.g. with a new account's id) */
  payload: TPayload;
}

/** What the write will send, and the field changes the item records for it. */
export interface WritePlan<TPayload> {
  payload: TPayload;
  changes: NonNullable<ItemResult["changes"]>;
}

/** How the item's record exists on the target: created now, or by an earlier attempt. */
export type Written<TPlan, TTarget> =
  | { kind: "CREATED"; ref: UpstreamRef; created: TTarget; plan: TPlan }
  | { kind: "RECOVERED"; ref: UpstreamRef };

export interface FlowSteps<
  TSource,
  TPrepared,
  TPayload extends Record<string, unknown>,
  TPlan extends WritePlan<TPayload>,
  TTarget,
> {
  /** the record's payload as the flow's type (records come from the flow's own discover/fetchOne) */
  source(record: SourceRecord): TSource;
  guards: {
    /** the result for a record that has a link (skip, follow a status …), or null when it has none */
    linked(rt: FlowRuntime, item: ReadItem<TSource>): Promise<ItemResult | null>;
    /** why the record does not qualify (yet), or null */
    qualify?(rt: FlowRuntime, item: ReadItem<TSource>): string | null;
    /** why the record is an echo of the other side (created by the gateway there), or null */
    echo(rt: FlowRuntime, item: ReadItem<TSource>): Promise<string | null>;
  };
  /** reads only; throws an ItemFailure when the record cannot be written (missing product …) */
  prepare(rt: FlowRuntime, item: ReadItem<TSource>): Promise<TPrepared>;
  /** the target body (mappings); throws an ItemFailure when it cannot be mapped */
  map(rt: FlowRuntime, item: PreparedItem<TSource, TPrepared>): Promise<TPayload>;
  findExisting: {
    /** our reference on the record to create (what finds it again when a create's answer was lost) */
    reference(item: MappedItem<TSource, TPrepared, TPayload>): string;
    /** the target record carrying `reference`; asked only for an intent without an outcome */
    byReference(
      rt: FlowRuntime,
      reference: string,
      item: MappedItem<TSource, TPrepared, TPayload>,
    ): Promise<UpstreamRef | undefined>;
    /** the error for a reference another source record's create already carries */
    taken(reference: string, taken: Extract<Prior, { kind: "TAKEN" }>): Error;
    /** for the recovered result: where the record is ("CCV SalesPOS as order") */
    where: string;
    /** for the recovered result: what the reference is called there ("reservation number") */
    referenceName: string;
    /**
     * the reason to skip a recovered record that `links` does not link to this source record (it
     * is linked to another one already); without it such a record is skipped with a general reason
     */
    linkedElsewhere?(ref: UpstreamRef): string;
  };
  write: {
    /** what will be sent and changed; related records follow rt.dryRun themselves */
    plan(rt: FlowRuntime, item: MappedItem<TSource, TPrepared, TPayload>): Promise<TPlan>;
    /** not in a dry run, before the create: writes the create depends on (a new customer account) */
    ready?(rt: FlowRuntime, item: MappedItem<TSource, TPrepared, TPayload>, plan: TPlan): Promise<TPlan>;
    /** the create upstream (run under the write-ahead intent) */
    send(rt: FlowRuntime, plan: TPlan): Promise<TTarget>;
    /** the created record's id and the label people know it by */
    ref(created: TTarget): UpstreamRef;
    /** the item's reason; `ref` null in a dry run */
    reason?(plan: TPlan, ref: UpstreamRef | null): string;
  };
  /** the links to record with the item; must include the item's own link (entity of the flow) */
  links(
    rt: FlowRuntime,
    item: MappedItem<TSource, TPrepared, TPayload>,
    written: Written<TPlan, TTarget>,
  ): Promise<LinkWrite[]>;
  /** the source payload recorded with the item instead of the record's (e.g. enriched in prepare) */
  sourcePayload?(item: PreparedItem<TSource, TPrepared>): unknown;
}

/** The flow's syncItem from its steps (`on`: the entity and target system of its intents and links). */
export function runSteps<
  TSource,
  TPrepared,
  TPayload extends Record<string, unknown>,
  TPlan extends WritePlan<TPayload>,
  TTarget,
>(
  on: Pick<FlowDefinition, "entity" | "target">,
  steps: FlowSteps<TSource, TPrepared, TPayload, TPlan, TTarget>,
): FlowDefinition["syncItem"] {
  return async (rt, record) => {
    const read: ReadItem<TSource> = { record, source: steps.source(record) };
    const { qualify } = steps.guards;
    const guarded = await guards({
      linked: () => steps.guards.linked(rt, read),
      ...(qualify ? { qualify: () => qualify(rt, read) } : {}),
      echo: () => steps.guards.echo(rt, read),
    });
    if (guarded) return guarded;

    const prepared: PreparedItem<TSource, TPrepared> = { ...read, prepared: await steps.prepare(rt, read) };
    const item: MappedItem<TSource, TPrepared, TPayload> = {
      ...prepared,
      payload: await steps.map(rt, prepared),
    };
    const sourcePayload = steps.sourcePayload?.(prepared);
    const recordedSource = sourcePayload !== undefined ? { sourcePayload } : {};
    const find = steps.findExisting;
    const reference = find.reference(item);
    const intent: IntentKey = { entity: on.entity, target: on.target, sourceId: record.id, reference };

    // a create whose answer was lost (or not recorded) is linked, never repeated; the target is
    // searched for the reference only for an intent without an outcome
    const prior = await rt.intents.recover(intent, (ref) => find.byReference(rt, ref, item));
    if (prior?.kind === "TAKEN") throw find.taken(reference, prior);
    if (prior) {
      const links = await steps.links(rt, item, { kind: "RECOVERED", ref: prior.ref });
      if (!links.some((l) => l.entity === on.entity)) {
        return {
          action: "SKIP",
          targetId: prior.ref.id,
          ...recordedSource,
          reason:
            find.linkedElsewhere?.(prior.ref) ??
            `${prior.ref.label} carries this record's ${find.referenceName} but is linked to another record; left as it is.`,
          links,
        };
      }
      return recoveredResult({
        prior,
        where: find.where,
        referenceName: find.referenceName,
        reference,
        changes: diffFields(null, item.payload),
        sentPayload: item.payload,
        sourcePayload,
        links,
      });
    }

    let plan = await steps.write.plan(rt, item);
    const reason = (ref: UpstreamRef | null) =>
      steps.write.reason ? { reason: steps.write.reason(plan, ref) } : {};
    if (rt.dryRun) {
      return {
        action: "CREATE",
        changes: plan.changes,
        sentPayload: plan.payload,
        ...recordedSource,
        ...reason(null),
      };
    }
    if (steps.write.ready) plan = await steps.write.ready(rt, item, plan);
    const sending = plan;
    const outcome = await rt.intents.create(intent, () => steps.write.send(rt, sending), steps.write.ref);
    if (outcome.kind === "TAKEN") throw find.taken(reference, outcome);
    return {
      action: "CREATE",
      targetId: outcome.ref.id,
      ...reason(outcome.ref),
      changes: plan.changes,
      sentPayload: plan.payload,
      ...recordedSource,
      links: await steps.links(rt, item, {
        kind: "CREATED",
        ref: outcome.ref,
        created: outcome.created,
        plan,
      }),
    };
  };
}

/** A FlowDefinition whose syncItem runs `steps` (the engine sees an ordinary flow). */
export function stepsFlow<
  TSource,
  TPrepared,
  TPayload extends Record<string, unknown>,
  TPlan extends WritePlan<TPayload>,
  TTarget,
>(
  def: Omit<FlowDefinition, "syncItem">,
  steps: FlowSteps<TSource, TPrepared, TPayload, TPlan, TTarget>,
): FlowDefinition {
  return { ...def, syncItem: runSteps(def, steps) };
}
