import { Arg, Ctx, ID, Int, Query, Resolver } from "type-graphql";
import { notImplemented } from "../common/errors";
import { CustomerConnection, OrderConnection, Product, ProductConnection, StockLevel } from "../schema/records.type";
import { requireRole } from "../services/principal";
import { principalOf, type GatewayContext } from "./context";

/** Unified Product, Order, Customer and Stock reads backed by both systems. */
@Resolver()
export class RecordsResolver {
  @Query(() => ProductConnection)
  products(
    @Arg("integrationId", () => ID) _integrationId: string,
    @Arg("search", () => String, { nullable: true }) _search: string | undefined,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) _first: number,
    @Arg("after", () => String, { nullable: true }) _after: string | undefined,
    @Ctx() ctx: GatewayContext,
  ): ProductConnection {
    requireRole(principalOf(ctx), "VIEWER");
    throw notImplemented("products");
  }

  @Query(() => Product, { nullable: true })
  product(
    @Arg("integrationId", () => ID) _integrationId: string,
    @Arg("sku") _sku: string,
    @Ctx() ctx: GatewayContext,
  ): Product | null {
    requireRole(principalOf(ctx), "VIEWER");
    throw notImplemented("product");
  }

  @Query(() => OrderConnection)
  orders(
    @Arg("integrationId", () => ID) _integrationId: string,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) _first: number,
    @Arg("after", () => String, { nullable: true }) _after: string | undefined,
    @Ctx() ctx: GatewayContext,
  ): OrderConnection {
    requireRole(principalOf(ctx), "VIEWER");
    throw notImplemented("orders");
  }

  @Query(() => CustomerConnection)
  customers(
    @Arg("integrationId", () => ID) _integrationId: string,
    @Arg("email", () => String, { nullable: true }) _email: string | undefined,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) _first: number,
    @Arg("after", () => String, { nullable: true }) _after: string | undefined,
    @Ctx() ctx: GatewayContext,
  ): CustomerConnection {
    requireRole(principalOf(ctx), "VIEWER");
    throw notImplemented("customers");
  }

  @Query(() => [StockLevel])
  stockLevels(
    @Arg("integrationId", () => ID) _integrationId: string,
    @Arg("skus", () => [String]) _skus: string[],
    @Ctx() ctx: GatewayContext,
  ): StockLevel[] {
    requireRole(principalOf(ctx), "VIEWER");
    throw notImplemented("stockLevels");
  }
}
