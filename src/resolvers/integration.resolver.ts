import { Arg, Ctx, UseMiddleware, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { IntegrationEntity } from "../db/entities/integration.entity";
import { FlowKind, SystemKind } from "../schema/enums";
import { Flow } from "../schema/flow.type";
import {
  CcvCredentialsInput,
  Connection,
  ConnectionCheck,
  CreateIntegrationInput,
  EcwidCredentialsInput,
  Integration,
} from "../schema/integration.type";
import { requireRole } from "../services/principal";
import { Audited } from "./audit.middleware";
import { vendorCost } from "../schema/complexity";
import { principalOf, type GatewayContext } from "./context";
import { toConnection, toFlow } from "./mappers";

@Resolver(() => Integration)
export class IntegrationResolver {
  @Query(() => [Integration])
  async integrations(@Ctx() ctx: GatewayContext): Promise<IntegrationEntity[]> {
    return ctx.services.integrations.list(requireRole(principalOf(ctx), "VIEWER"));
  }

  @Query(() => Integration, { nullable: true })
  async integration(
    @Arg("id", () => ID) id: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<IntegrationEntity | null> {
    return ctx.services.integrations.find(requireRole(principalOf(ctx), "VIEWER"), id);
  }

  @Mutation(() => Integration)
  @UseMiddleware(Audited)
  async createIntegration(
    @Arg("input", () => CreateIntegrationInput) input: CreateIntegrationInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<IntegrationEntity> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    return ctx.services.integrations.create(ws, input.name, input.ecwid, input.ccv);
  }

  @Mutation(() => Connection)
  @UseMiddleware(Audited)
  async updateEcwidCredentials(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("input", () => EcwidCredentialsInput) input: EcwidCredentialsInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<Connection> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    return toConnection(
      await ctx.services.integrations.updateEcwid(ws, integrationId, input),
      SystemKind.ECWID,
    );
  }

  @Mutation(() => Connection)
  @UseMiddleware(Audited)
  async updateCcvCredentials(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("input", () => CcvCredentialsInput) input: CcvCredentialsInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<Connection> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    return toConnection(
      await ctx.services.integrations.updateCcv(ws, integrationId, input),
      SystemKind.CCV_SALESPOS,
    );
  }

  @Mutation(() => [ConnectionCheck], { complexity: vendorCost })
  async testConnections(
    @Arg("integrationId", () => ID) integrationId: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<ConnectionCheck[]> {
    const checks = await ctx.services.connections.test(
      requireRole(principalOf(ctx), "OPERATOR"),
      integrationId,
    );
    return checks.map((c) => ({ ...c, system: c.system as SystemKind }));
  }

  @Mutation(() => [ConnectionCheck], {
    description:
      "checks credentials before they are saved (one read per side given, nothing stored), with the answer in words",
  })
  async checkCredentials(
    @Arg("ecwid", () => EcwidCredentialsInput, { nullable: true }) ecwid: EcwidCredentialsInput | undefined,
    @Arg("ccv", () => CcvCredentialsInput, { nullable: true }) ccv: CcvCredentialsInput | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<ConnectionCheck[]> {
    requireRole(principalOf(ctx), "ADMIN");
    const checks = await ctx.services.connections.check({ ecwid, ccv });
    return checks.map((c) => ({ ...c, system: c.system as SystemKind }));
  }

  @Mutation(() => Boolean)
  @UseMiddleware(Audited)
  async deleteIntegration(@Arg("id", () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<boolean> {
    return ctx.services.integrations.delete(requireRole(principalOf(ctx), "ADMIN"), id);
  }

  @FieldResolver(() => Connection)
  ecwid(@Root() e: IntegrationEntity): Connection {
    return toConnection(e, SystemKind.ECWID);
  }

  @FieldResolver(() => Connection)
  ccv(@Root() e: IntegrationEntity): Connection {
    return toConnection(e, SystemKind.CCV_SALESPOS);
  }

  @FieldResolver(() => [Flow])
  async flows(@Root() e: IntegrationEntity, @Ctx() ctx: GatewayContext): Promise<Flow[]> {
    return (await ctx.services.flows.flows(e.id)).map(toFlow);
  }

  @FieldResolver(() => Flow)
  async flow(
    @Root() e: IntegrationEntity,
    @Arg("kind", () => FlowKind) kind: FlowKind,
    @Ctx() ctx: GatewayContext,
  ): Promise<Flow> {
    return toFlow(await ctx.services.flows.flow(e.id, kind));
  }
}
