import { Arg, Ctx, UseMiddleware, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { FieldWritePolicy, FlowKind, ValueMapKind } from "../schema/enums";
import {
  FieldMapping,
  FieldMappingInput,
  Flow,
  FlowInput,
  MappingPreview,
  SeenValueCode,
  ValueMapping,
  ValueMappingInput,
} from "../schema/flow.type";
import { SyncRun } from "../schema/run.type";
import { vendorCost } from "../schema/complexity";
import { requireRole } from "../services/principal";
import { Audited } from "./audit.middleware";
import { principalOf, type GatewayContext } from "./context";
import { toFieldMapping, toFlow, toRun, toValueMapping } from "./mappers";

const toMappingDef = (m: FieldMappingInput) => ({
  target: m.target,
  source: m.source,
  expression: m.expression,
  defaultValue: m.defaultValue ?? undefined,
  policy: m.policy ?? FieldWritePolicy.ALWAYS,
});

@Resolver(() => Flow)
export class FlowResolver {
  @Query(() => [FieldMapping])
  defaultFieldMappings(
    @Arg("flow", () => FlowKind) flow: FlowKind,
    @Ctx() ctx: GatewayContext,
  ): FieldMapping[] {
    requireRole(principalOf(ctx), "VIEWER");
    return ctx.services.flows.defaultMappings(flow).map((m) => toFieldMapping({ ...m, isDefault: true }));
  }

  @Query(() => MappingPreview, { complexity: vendorCost })
  async previewMapping(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("flow", () => FlowKind) flow: FlowKind,
    @Arg("sourceId") sourceId: string,
    @Arg("mappings", () => [FieldMappingInput], {
      nullable: true,
      description:
        "preview these user mappings instead of the saved ones (an editor's draft); nothing is saved",
    })
    mappings: FieldMappingInput[] | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<MappingPreview> {
    const ws = requireRole(principalOf(ctx), "VIEWER");
    const p = await ctx.services.flows.previewMapping(
      ws,
      integrationId,
      flow,
      sourceId,
      mappings?.map(toMappingDef),
    );
    return { flow, sourceId, ...p };
  }

  @Query(() => [SeenValueCode], {
    description:
      "the codes of a value-map kind that the integration's recent items carried, most frequent first",
  })
  async seenValueCodes(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("kind", () => ValueMapKind) kind: ValueMapKind,
    @Ctx() ctx: GatewayContext,
  ): Promise<SeenValueCode[]> {
    const ws = requireRole(principalOf(ctx), "VIEWER");
    await ctx.services.runs.integrationOf(ws, integrationId);
    return ctx.services.activity.seenCodes(integrationId, kind);
  }

  @Mutation(() => Flow)
  @UseMiddleware(Audited)
  async configureFlow(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("flow", () => FlowKind) flow: FlowKind,
    @Arg("input", () => FlowInput) input: FlowInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<Flow> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    return toFlow(
      await ctx.services.flows.configure(ws, integrationId, flow, {
        enabled: input.enabled,
        schedule: input.schedule,
        settings: input.settings
          ? {
              ...input.settings,
              startDate:
                input.settings.startDate === undefined
                  ? undefined
                  : (input.settings.startDate?.toISOString() ?? null),
            }
          : undefined,
      }),
    );
  }

  @Mutation(() => Flow, {
    description:
      "replaces the user mappings of a flow; defaults stay unless a user mapping has the same target",
  })
  @UseMiddleware(Audited)
  async setFieldMappings(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("flow", () => FlowKind) flow: FlowKind,
    @Arg("mappings", () => [FieldMappingInput]) mappings: FieldMappingInput[],
    @Ctx() ctx: GatewayContext,
  ): Promise<Flow> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    return toFlow(
      await ctx.services.flows.setFieldMappings(ws, integrationId, flow, mappings.map(toMappingDef)),
    );
  }

  @Mutation(() => [ValueMapping])
  @UseMiddleware(Audited)
  async setValueMappings(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("kind", () => ValueMapKind) kind: ValueMapKind,
    @Arg("entries", () => [ValueMappingInput]) entries: ValueMappingInput[],
    @Ctx() ctx: GatewayContext,
  ): Promise<ValueMapping[]> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    return (await ctx.services.flows.setValueMappings(ws, integrationId, kind, entries)).map(toValueMapping);
  }

  @FieldResolver(() => [FieldMapping], {
    description: "the mappings in force: defaults overridden by user mappings, by target path",
  })
  async fieldMappings(@Root() flow: Flow, @Ctx() ctx: GatewayContext): Promise<FieldMapping[]> {
    return (await ctx.services.flows.fieldMappings(flow.integrationId, flow.kind)).map(toFieldMapping);
  }

  @FieldResolver(() => [ValueMapping])
  async valueMappings(
    @Root() flow: Flow,
    @Arg("kind", () => ValueMapKind, { nullable: true }) kind: ValueMapKind | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<ValueMapping[]> {
    return (await ctx.services.flows.valueMappings(flow.integrationId, kind)).map(toValueMapping);
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: "when the schedule starts the next run (null: the flow is off or has no schedule)",
  })
  nextRunAt(@Root() flow: Flow, @Ctx() ctx: GatewayContext): Date | null {
    return ctx.services.activity.nextRunAt(flow);
  }

  @FieldResolver(() => SyncRun, { nullable: true })
  async lastRun(@Root() flow: Flow, @Ctx() ctx: GatewayContext): Promise<SyncRun | null> {
    const r = await ctx.services.runs.lastRun(flow.integrationId, flow.kind);
    return r ? toRun(r, ctx.services.runs.costOf(r.flow)) : null;
  }
}
