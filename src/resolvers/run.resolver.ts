import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { EntityKind, FlowKind, ItemStatus } from "../schema/enums";
import {
  ActivityBucket,
  RunSyncOptions,
  SyncItem,
  SyncItemConnection,
  SyncRun,
  SyncRunConnection,
} from "../schema/run.type";
import { requireRole } from "../services/principal";
import { pagedCost, vendorCost } from "../schema/complexity";
import { principalOf, type GatewayContext } from "./context";
import { toItem, toItemConnection, toRun } from "./mappers";

@Resolver(() => SyncRun)
export class RunResolver {
  @Query(() => SyncRun, { nullable: true })
  async syncRun(@Arg("id", () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<SyncRun | null> {
    const r = await ctx.services.runs.getRun(requireRole(principalOf(ctx), "VIEWER"), id);
    return r ? toRun(r, ctx.services.runs.costOf(r.flow)) : null;
  }

  @Query(() => SyncRunConnection, { complexity: pagedCost(20) })
  async syncRuns(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("flow", () => FlowKind, { nullable: true }) flow: FlowKind | undefined,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<SyncRunConnection> {
    const ws = requireRole(principalOf(ctx), "VIEWER");
    const p = await ctx.services.runs.listRuns(ws, integrationId, flow, first, after);
    return {
      edges: p.nodes.map((n) => ({
        cursor: n.cursor,
        node: toRun(n.node, ctx.services.runs.costOf(n.node.flow)),
      })),
      pageInfo: { hasNextPage: p.hasNextPage, endCursor: p.endCursor },
    };
  }

  @Query(() => SyncItem, { nullable: true })
  async syncItem(@Arg("id", () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<SyncItem | null> {
    const i = await ctx.services.runs.getItem(requireRole(principalOf(ctx), "VIEWER"), id);
    return i ? toItem(i) : null;
  }

  @Query(() => SyncItemConnection, { complexity: pagedCost(50) })
  async syncItems(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("flow", () => FlowKind, { nullable: true }) flow: FlowKind | undefined,
    @Arg("status", () => ItemStatus, { nullable: true }) status: ItemStatus | undefined,
    @Arg("entity", () => EntityKind, { nullable: true }) entity: EntityKind | undefined,
    @Arg("sourceId", () => String, { nullable: true }) sourceId: string | undefined,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | undefined,
    @Arg("sku", () => String, {
      nullable: true,
      description:
        "the item's SKU, or a SKU in its source or sent payload (an order's lines); case-insensitive",
    })
    sku: string | undefined,
    @Arg("email", () => String, {
      nullable: true,
      description: "an e-mail address in the item's source or sent payload; case-insensitive",
    })
    email: string | undefined,
    @Arg("orderId", () => String, {
      nullable: true,
      description: "an order's id on either side (the item's source or target id)",
    })
    orderId: string | undefined,
    @Arg("newestFirst", () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: "newest items first (an activity log); default oldest first",
    })
    newestFirst: boolean,
    @Ctx() ctx: GatewayContext,
  ): Promise<SyncItemConnection> {
    const ws = requireRole(principalOf(ctx), "VIEWER");
    await ctx.services.runs.integrationOf(ws, integrationId);
    return toItemConnection(
      await ctx.services.runs.listItems(
        { integrationId, flow, status, entity, sourceId, sku, email, orderId, newestFirst },
        first,
        after,
      ),
    );
  }

  @Query(() => [ActivityBucket], {
    description:
      "items recorded per hour by status over the last `hours` (at most two weeks), oldest first, empty hours included",
  })
  async syncActivity(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("flow", () => FlowKind, { nullable: true }) flow: FlowKind | undefined,
    @Arg("hours", () => Int, { nullable: true, defaultValue: 72 }) hours: number,
    @Ctx() ctx: GatewayContext,
  ): Promise<ActivityBucket[]> {
    const ws = requireRole(principalOf(ctx), "VIEWER");
    await ctx.services.runs.integrationOf(ws, integrationId);
    return ctx.services.activity.hourly(integrationId, flow, hours);
  }

  @Mutation(() => SyncRun, { description: "enqueues a run and returns at once" })
  async runSync(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("flow", () => FlowKind) flow: FlowKind,
    @Arg("options", () => RunSyncOptions, { nullable: true }) options: RunSyncOptions | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<SyncRun> {
    const ws = requireRole(principalOf(ctx), "OPERATOR");
    const r = await ctx.services.runs.runSync(ws, integrationId, flow, {
      dryRun: options?.dryRun ?? false,
      sourceIds: options?.sourceIds ?? undefined,
      full: options?.full ?? false,
    });
    return toRun(r);
  }

  @Mutation(() => SyncRun)
  async cancelRun(@Arg("id", () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<SyncRun> {
    return toRun(await ctx.services.runs.cancelRun(requireRole(principalOf(ctx), "OPERATOR"), id));
  }

  @Mutation(() => SyncRun, { description: "enqueues a new run for the failed items of a run" })
  async retryFailedItems(
    @Arg("runId", () => ID) runId: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<SyncRun> {
    return toRun(await ctx.services.runs.retryFailedItems(requireRole(principalOf(ctx), "OPERATOR"), runId));
  }

  @Mutation(() => SyncItem, {
    description: "runs one item again with the current mappings and settings",
    complexity: vendorCost,
  })
  async replayItem(@Arg("itemId", () => ID) itemId: string, @Ctx() ctx: GatewayContext): Promise<SyncItem> {
    return toItem(await ctx.services.runs.replayItem(requireRole(principalOf(ctx), "OPERATOR"), itemId));
  }

  @FieldResolver(() => SyncItemConnection, { complexity: pagedCost(50) })
  async items(
    @Root() run: SyncRun,
    @Arg("status", () => ItemStatus, { nullable: true }) status: ItemStatus | undefined,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<SyncItemConnection> {
    // the run itself was resolved with a workspace check
    return toItemConnection(await ctx.services.runs.listItems({ runId: run.id, status }, first, after));
  }
}
