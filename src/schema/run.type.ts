import { GraphQLJSON } from "graphql-scalars";
import { Field, Float, ID, InputType, Int, ObjectType } from "type-graphql";
import { EntityKind, FlowKind, ItemAction, ItemStatus, RunStatus, RunTrigger, SyncEventType } from "./enums";

@ObjectType()
export class FieldChange {
  @Field() field!: string;
  @Field(() => GraphQLJSON, { nullable: true }) before!: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) after!: unknown;
}

@ObjectType()
export class SyncItem {
  @Field(() => ID) id!: string;
  @Field(() => ID) runId!: string;
  @Field(() => EntityKind) entity!: EntityKind;
  @Field({ description: "id of the record in the source system" }) sourceId!: string;
  @Field(() => String, { nullable: true, description: "id of the record in the target system, once known" })
  targetId!: string | null;
  @Field(() => String, { nullable: true }) sku!: string | null;
  @Field(() => ItemAction) action!: ItemAction;
  @Field(() => ItemStatus) status!: ItemStatus;
  @Field(() => String, {
    nullable: true,
    description: "why it was skipped or failed, in words a shop owner understands",
  })
  reason!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "machine-readable error class, e.g. TEMPORARY, RATE_LIMITED, AUTH, VALIDATION, MISSING_PRODUCT, UPSTREAM",
  })
  errorCode!: string | null;
  @Field(() => [FieldChange]) changes!: FieldChange[];
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: "what came from the source (subject to retention and redaction)",
  })
  sourcePayload!: unknown;
  @Field(() => GraphQLJSON, {
    nullable: true,
    description: "what was (or, in a dry run, would be) sent to the target",
  })
  sentPayload!: unknown;
  @Field(() => Int) attempts!: number;
  @Field(() => Date, {
    nullable: true,
    description:
      "when this failed item is tried again by itself (causes that can heal: TEMPORARY, RATE_LIMITED, MISSING_PRODUCT, VALUE_MAPPING, DEFAULT_DEBTOR; after 5 min, 30 min, 2 h, 12 h); null when it is not. A MISSING_PRODUCT item is tried at once when a product with its SKU is linked.",
  })
  nextAttemptAt!: Date | null;
  @Field() updatedAt!: Date;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType()
export class SyncItemEdge {
  @Field() cursor!: string;
  @Field(() => SyncItem) node!: SyncItem;
}

@ObjectType()
export class SyncItemConnection {
  @Field(() => [SyncItemEdge]) edges!: SyncItemEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@ObjectType({ description: "items recorded in one hour, by status (a monitoring chart's bar)" })
export class ActivityBucket {
  @Field({ description: "the start of the hour (UTC)" }) hour!: Date;
  @Field(() => Int) succeeded!: number;
  @Field(() => Int) skipped!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int, { description: "dry-run items: planned, not written" }) pending!: number;
}

@ObjectType()
export class RunCounts {
  @Field(() => Int) total!: number;
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int) skipped!: number;
  @Field(() => Int) failed!: number;
}

/** `items` is resolved by RunResolver. */
@ObjectType()
export class SyncRun {
  @Field(() => ID) id!: string;
  @Field(() => ID) integrationId!: string;
  @Field(() => FlowKind) flow!: FlowKind;
  @Field(() => RunTrigger) trigger!: RunTrigger;
  @Field() dryRun!: boolean;
  @Field(() => RunStatus) status!: RunStatus;
  @Field() queuedAt!: Date;
  @Field(() => Date, { nullable: true }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
  @Field(() => RunCounts) counts!: RunCounts;
  @Field(() => Int, {
    nullable: true,
    description: "items the run expects to handle, once known (null while still discovering)",
  })
  expectedTotal!: number | null;
  @Field(() => Float, { description: "0..1, for progress bars" }) progress!: number;
  @Field(() => Date, {
    nullable: true,
    description: "when the run should finish at the current pace and the vendors' rate limits",
  })
  estimatedFinishAt!: Date | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "why the run is waiting right now, e.g. 'Waiting for CCV SalesPOS at shop.example: connection refused; next attempt at …'; null while it moves",
  })
  waiting!: string | null;
  @Field(() => Date, { nullable: true, description: "when the waiting run's next attempt starts" })
  waitingUntil!: Date | null;
}

@ObjectType()
export class SyncRunEdge {
  @Field() cursor!: string;
  @Field(() => SyncRun) node!: SyncRun;
}

@ObjectType()
export class SyncRunConnection {
  @Field(() => [SyncRunEdge]) edges!: SyncRunEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@InputType()
export class RunSyncOptions {
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      "plan only: read both systems and record what would be created/updated/skipped, write nothing",
  })
  dryRun?: boolean | null;
  @Field(() => [String], { nullable: true, description: "limit the run to these source record ids" })
  sourceIds?: string[] | null;
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: "ignore the incremental cursor and look at every source record",
  })
  full?: boolean | null;
}

@ObjectType()
export class SyncEvent {
  @Field(() => ID) id!: string;
  @Field(() => SyncEventType) type!: SyncEventType;
  @Field() at!: Date;
  @Field(() => ID) integrationId!: string;
  @Field(() => FlowKind, { nullable: true }) flow!: FlowKind | null;
  @Field(() => ID, { nullable: true }) runId!: string | null;
  @Field(() => RunStatus, { nullable: true }) runStatus!: RunStatus | null;
  @Field(() => RunCounts, { nullable: true }) counts!: RunCounts | null;
  @Field(() => Float, { nullable: true }) progress!: number | null;
  @Field(() => Date, {
    nullable: true,
    description:
      "item events: when the run should finish at the pace observed so far (like SyncRun.estimatedFinishAt)",
  })
  estimatedFinishAt!: Date | null;
  @Field(() => SyncItem, { nullable: true }) item!: SyncItem | null;
  @Field(() => String, { nullable: true }) message!: string | null;
}
