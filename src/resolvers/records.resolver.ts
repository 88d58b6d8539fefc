import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import {
  CustomerConnection,
  OrderConnection,
  Product,
  ProductConnection,
  StockLevel,
} from "../schema/records.type";
import { requireRole } from "../services/principal";
import { vendorCost, vendorPagedCost, vendorPerSkuCost } from "../schema/complexity";
import type {
  CustomerView,
  OrderView,
  ProductRecordView,
  ProductView,
  StockLevelView,
} from "../sync/records/records.service";
import { principalOf, type GatewayContext } from "./context";
import { toItemFromData } from "./mappers";
import type { StockReservationState, SystemKind } from "../schema/enums";
import type { Customer, Order, ProductRecord } from "../schema/records.type";

const sys = (s: string) => s as SystemKind;
const rec = (r: ProductRecordView | null): ProductRecord | null =>
  r ? { ...r, system: sys(r.system) } : null;
const toStock = (s: StockLevelView): StockLevel => ({
  ...s,
  master: s.master ? sys(s.master) : null,
  reservedOrders: s.reservedOrders.map((o) => ({
    ...o,
    system: sys(o.system),
    state: o.state as StockReservationState,
  })),
});
const toProduct = (p: ProductView): Product => ({
  ...p,
  ecwid: rec(p.ecwid),
  ccv: rec(p.ccv),
  stock: toStock(p.stock),
  variants: p.variants.map((v) => ({ ...v, ecwid: rec(v.ecwid), ccv: rec(v.ccv), stock: toStock(v.stock) })),
});
const toOrder = (o: OrderView): Order => ({
  ...o,
  ecwid: o.ecwid ? { ...o.ecwid, system: sys(o.ecwid.system) } : null,
  ccv: o.ccv ? { ...o.ccv, system: sys(o.ccv.system) } : null,
  lastSync: o.lastSync ? toItemFromData(o.lastSync) : null,
});
const toCustomer = (c: CustomerView): Customer => ({
  ...c,
  ecwid: c.ecwid ? { ...c.ecwid, system: sys(c.ecwid.system) } : null,
  ccv: c.ccv ? { ...c.ccv, system: sys(c.ccv.system) } : null,
});

/**
 * Unified Product, Order, Customer and Stock reads backed by both systems, batched through the
 * request's DataLoaders and a short catalogue cache (reads never spend the write budget first).
 */
@Resolver()
export class RecordsResolver {
  @Query(() => ProductConnection, { complexity: vendorPagedCost(50) })
  async products(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("search", () => String, { nullable: true }) search: string | undefined,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<ProductConnection> {
    await ctx.services.integrations.get(requireRole(principalOf(ctx), "VIEWER"), integrationId);
    const p = await ctx.services.records.products(ctx.loaders(), integrationId, search, first, after);
    return {
      edges: p.nodes.map((n) => ({ cursor: n.cursor, node: toProduct(n.node) })),
      pageInfo: { hasNextPage: p.hasNextPage, endCursor: p.endCursor },
    };
  }

  @Query(() => Product, { nullable: true, complexity: vendorCost })
  async product(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("sku") sku: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<Product | null> {
    await ctx.services.integrations.get(requireRole(principalOf(ctx), "VIEWER"), integrationId);
    const p = await ctx.services.records.product(ctx.loaders(), integrationId, sku);
    return p ? toProduct(p) : null;
  }

  @Query(() => OrderConnection, { complexity: vendorPagedCost(50) })
  async orders(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<OrderConnection> {
    await ctx.services.integrations.get(requireRole(principalOf(ctx), "VIEWER"), integrationId);
    const p = await ctx.services.records.orders(ctx.loaders(), integrationId, first, after);
    return {
      edges: p.nodes.map((n) => ({ cursor: n.cursor, node: toOrder(n.node) })),
      pageInfo: { hasNextPage: p.hasNextPage, endCursor: p.endCursor },
    };
  }

  @Query(() => CustomerConnection, {
    description:
      "customers of both systems joined by e-mail: one node per address with its Ecwid and/or CCV record (CCV-only POS accounts included), sorted by e-mail; `email` matches part of the address in both systems; records without an e-mail are not listed",
    complexity: vendorPagedCost(50),
  })
  async customers(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("email", () => String, { nullable: true }) email: string | undefined,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<CustomerConnection> {
    await ctx.services.integrations.get(requireRole(principalOf(ctx), "VIEWER"), integrationId);
    const p = await ctx.services.records.customers(ctx.loaders(), integrationId, email, first, after);
    return {
      edges: p.nodes.map((n) => ({ cursor: n.cursor, node: toCustomer(n.node) })),
      pageInfo: { hasNextPage: p.hasNextPage, endCursor: p.endCursor },
    };
  }

  @Query(() => [StockLevel], { complexity: vendorPerSkuCost })
  async stockLevels(
    @Arg("integrationId", () => ID) integrationId: string,
    @Arg("skus", () => [String]) skus: string[],
    @Ctx() ctx: GatewayContext,
  ): Promise<StockLevel[]> {
    await ctx.services.integrations.get(requireRole(principalOf(ctx), "VIEWER"), integrationId);
    return (await ctx.services.records.stockLevels(ctx.loaders(), integrationId, skus)).map(toStock);
  }
}
