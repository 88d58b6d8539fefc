import { Arg, Ctx, ID, Mutation, Query, Resolver, UseMiddleware } from "type-graphql";
import { FeatureMapping, FeatureMappingInput } from "../schema/feature-mapping.type";
import { requireRole } from "../services/principal";
import { Audited } from "./audit.middleware";
import { principalOf, type GatewayContext } from "./context";

@Resolver(() => FeatureMapping)
export class FeatureMappingResolver {
  @Query(() => [FeatureMapping], { description: "the product feature mapping of an integration" })
  async featureMappings(
    @Arg("integrationId", () => ID) integrationId: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<FeatureMapping[]> {
    const ws = requireRole(principalOf(ctx), "VIEWER");
    return ctx.services.features.list(ws, integrationId);
  }

  @Mutation(() => [FeatureMapping], {
    description:
      "replaces the product feature mapping (Ecwid attributes ⇄ CCV SalesPOS product properties); items list the attributes that have none",
  })
  @UseMiddleware(Audited)
  async setFeatureMappings(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("entries", () => [FeatureMappingInput]) entries: FeatureMappingInput[],
    @Ctx() ctx: GatewayContext,
  ): Promise<FeatureMapping[]> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    return ctx.services.features.set(ws, integrationId, entries);
  }
}
