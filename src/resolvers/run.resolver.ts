import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { notImplemented } from "../common/errors";
import { EntityKind, FlowKind, ItemStatus } from "../schema/enums";
import { RunSyncOptions, SyncItem, SyncItemConnection, SyncRun, SyncRunConnection } from "../schema/run.type";
import { requireRole } from "../services/principal";
import { principalOf, type GatewayContext } from "./context";

@Resolver(() => SyncRun)
export class RunResolver {
  @Query(() => SyncRun, { nullable: true })
  syncRun(@Arg("id", () => ID) _id: string, @Ctx() ctx: GatewayContext): SyncRun | null {
    requireRole(principalOf(ctx), "VIEWER");
    throw notImplemented("syncRun");
  }

  @Query(() => SyncRunConnection)
  syncRuns(
    @Arg("integrationId", () => ID) _integrationId: string,
    @Arg("flow", () => FlowKind, { nullable: true }) _flow: FlowKind | undefined,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) _first: number,
    @Arg("after", () => String, { nullable: true }) _after: string | undefined,
    @Ctx() ctx: GatewayContext,
  ): SyncRunConnection {
    requireRole(principalOf(ctx), "VIEWER");
    throw notImplemented("syncRuns");
  }

  @Query(() => SyncItem, { nullable: true })
  syncItem(@Arg("id", () => ID) _id: string, @Ctx() ctx: GatewayContext): SyncItem | null {
    requireRole(principalOf(ctx), "VIEWER");
    throw notImplemented("syncItem");
  }

  @Query(() => SyncItemConnection)
  syncItems(
    @Arg("integrationId", () => ID) _integrationId: string,
    @Arg("flow", () => FlowKind, { nullable: true }) _flow: FlowKind | undefined,
    @Arg("status", () => ItemStatus, { nullable: true }) _status: ItemStatus | undefined,
    @Arg("entity", () => EntityKind, { nullable: true }) _entity: EntityKind | undefined,
    @Arg("sourceId", () => String, { nullable: true }) _sourceId: string | undefined,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) _first: number,
    @Arg("after", () => String, { nullable: true }) _after: string | undefined,
    @Ctx() ctx: GatewayContext,
  ): SyncItemConnection {
    requireRole(principalOf(ctx), "VIEWER");
    throw notImplemented("syncItems");
  }

  @Mutation(() => SyncRun, { description: "enqueues a run and returns at once" })
  runSync(
    @Arg("integrationId", () => ID) _integrationId: string,
    @Arg("flow", () => FlowKind) _flow: FlowKind,
    @Arg("options", () => RunSyncOptions, { nullable: true }) _options: RunSyncOptions | undefined,
    @Ctx() ctx: GatewayContext,
  ): SyncRun {
    requireRole(principalOf(ctx), "OPERATOR");
    throw notImplemented("runSync");
  }

  @Mutation(() => SyncRun)
  cancelRun(@Arg("id", () => ID) _id: string, @Ctx() ctx: GatewayContext): SyncRun {
    requireRole(principalOf(ctx), "OPERATOR");
    throw notImplemented("cancelRun");
  }

  @Mutation(() => SyncRun, { description: "enqueues a new run for the failed items of a run" })
  retryFailedItems(@Arg("runId", () => ID) _runId: string, @Ctx() ctx: GatewayContext): SyncRun {
    requireRole(principalOf(ctx), "OPERATOR");
    throw notImplemented("retryFailedItems");
  }

  @Mutation(() => SyncItem, { description: "runs one item again with the current mappings and settings" })
  replayItem(@Arg("itemId", () => ID) _itemId: string, @Ctx() ctx: GatewayContext): SyncItem {
    requireRole(principalOf(ctx), "OPERATOR");
    throw notImplemented("replayItem");
  }

  @FieldResolver(() => SyncItemConnection)
  items(
    @Arg("status", () => ItemStatus, { nullable: true }) _status: ItemStatus | undefined,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) _first: number,
    @Arg("after", () => String, { nullable: true }) _after: string | undefined,
  ): SyncItemConnection {
    throw notImplemented("SyncRun.items");
  }
}
