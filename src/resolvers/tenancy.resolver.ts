import { Arg, Ctx, UseMiddleware, ID, Mutation, Query, Resolver } from "type-graphql";
import { Role } from "../schema/enums";
import { ApiKey, CreatedApiKey, CreatedWorkspace, Viewer } from "../schema/tenancy.type";
import { requireInstanceAdmin, requireRole } from "../services/principal";
import { Audited } from "./audit.middleware";
import { principalOf, type GatewayContext } from "./context";
import { toApiKey, toWorkspace } from "./mappers";

@Resolver()
export class TenancyResolver {
  @Query(() => Viewer)
  async viewer(@Ctx() ctx: GatewayContext): Promise<Viewer> {
    const p = principalOf(ctx);
    if (p.kind === "instance") return { workspace: null, role: null, isInstanceAdmin: true };
    const w = await ctx.services.tenancy.getWorkspace(p.workspaceId);
    return { workspace: w ? toWorkspace(w) : null, role: p.role as Role, isInstanceAdmin: false };
  }

  @Query(() => [ApiKey])
  async apiKeys(@Ctx() ctx: GatewayContext): Promise<ApiKey[]> {
    const ws = requireRole(principalOf(ctx), "VIEWER");
    return (await ctx.services.tenancy.listApiKeys(ws)).map(toApiKey);
  }

  @Mutation(() => CreatedWorkspace, { description: "instance operator only" })
  @UseMiddleware(Audited)
  async createWorkspace(@Arg("name") name: string, @Ctx() ctx: GatewayContext): Promise<CreatedWorkspace> {
    requireInstanceAdmin(principalOf(ctx));
    const { workspace, adminKey } = await ctx.services.tenancy.createWorkspace(name);
    return {
      workspace: toWorkspace(workspace),
      adminKey: { apiKey: toApiKey(adminKey.apiKey), secret: adminKey.secret },
    };
  }

  @Mutation(() => CreatedApiKey)
  @UseMiddleware(Audited)
  async createApiKey(
    @Arg("name") name: string,
    @Arg("role", () => Role) role: Role,
    @Ctx() ctx: GatewayContext,
  ): Promise<CreatedApiKey> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    const k = await ctx.services.tenancy.createApiKey(ws, name, role);
    return { apiKey: toApiKey(k.apiKey), secret: k.secret };
  }

  @Mutation(() => ApiKey)
  @UseMiddleware(Audited)
  async revokeApiKey(@Arg("id", () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<ApiKey> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    return toApiKey(await ctx.services.tenancy.revokeApiKey(ws, id));
  }
}
