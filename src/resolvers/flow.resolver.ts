import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver } from "type-graphql";
import { notImplemented } from "../common/errors";
import { FlowKind, ValueMapKind } from "../schema/enums";
import { FieldMapping, FieldMappingInput, Flow, FlowInput, MappingPreview, ValueMapping, ValueMappingInput } from "../schema/flow.type";
import { SyncRun } from "../schema/run.type";
import { requireRole } from "../services/principal";
import { principalOf, type GatewayContext } from "./context";

@Resolver(() => Flow)
export class FlowResolver {
  @Query(() => [FieldMapping])
  defaultFieldMappings(@Arg("flow", () => FlowKind) _flow: FlowKind, @Ctx() ctx: GatewayContext): FieldMapping[] {
    requireRole(principalOf(ctx), "VIEWER");
    throw notImplemented("defaultFieldMappings");
  }

  @Query(() => MappingPreview)
  previewMapping(
    @Arg("integrationId", () => ID) _integrationId: string,
    @Arg("flow", () => FlowKind) _flow: FlowKind,
    @Arg("sourceId") _sourceId: string,
    @Ctx() ctx: GatewayContext,
  ): MappingPreview {
    requireRole(principalOf(ctx), "VIEWER");
    throw notImplemented("previewMapping");
  }

  @Mutation(() => Flow)
  configureFlow(
    @Arg("integrationId", () => ID) _integrationId: string,
    @Arg("flow", () => FlowKind) _flow: FlowKind,
    @Arg("input", () => FlowInput) _input: FlowInput,
    @Ctx() ctx: GatewayContext,
  ): Flow {
    requireRole(principalOf(ctx), "ADMIN");
    throw notImplemented("configureFlow");
  }

  @Mutation(() => Flow, {
    description: "replaces the user mappings of a flow; defaults stay unless a user mapping has the same target",
  })
  setFieldMappings(
    @Arg("integrationId", () => ID) _integrationId: string,
    @Arg("flow", () => FlowKind) _flow: FlowKind,
    @Arg("mappings", () => [FieldMappingInput]) _mappings: FieldMappingInput[],
    @Ctx() ctx: GatewayContext,
  ): Flow {
    requireRole(principalOf(ctx), "ADMIN");
    throw notImplemented("setFieldMappings");
  }

  @Mutation(() => [ValueMapping])
  setValueMappings(
    @Arg("integrationId", () => ID) _integrationId: string,
    @Arg("kind", () => ValueMapKind) _kind: ValueMapKind,
    @Arg("entries", () => [ValueMappingInput]) _entries: ValueMappingInput[],
    @Ctx() ctx: GatewayContext,
  ): ValueMapping[] {
    requireRole(principalOf(ctx), "ADMIN");
    throw notImplemented("setValueMappings");
  }

  @FieldResolver(() => [FieldMapping], { description: "the mappings in force: defaults overridden by user mappings, by target path" })
  fieldMappings(): FieldMapping[] {
    throw notImplemented("Flow.fieldMappings");
  }

  @FieldResolver(() => [ValueMapping])
  valueMappings(@Arg("kind", () => ValueMapKind, { nullable: true }) _kind?: ValueMapKind): ValueMapping[] {
    throw notImplemented("Flow.valueMappings");
  }

  @FieldResolver(() => SyncRun, { nullable: true })
  lastRun(): SyncRun | null {
    throw notImplemented("Flow.lastRun");
  }
}
