import { createPubSub } from "@graphql-yoga/subscription";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { GraphQLDateTime } from "graphql-scalars";
import { buildSchema } from "type-graphql";
import { RESOLVERS } from "../resolvers";
import { executionDeadline } from "./execution-deadline";

let cached: Promise<GraphQLSchema> | undefined;

/**
 * Builds the GraphQL schema from the type-graphql classes (once per process: the schema is
 * immutable). Subscriptions supply their own async iterators; type-graphql still wants a pubSub.
 */
export function buildGatewaySchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers: [...RESOLVERS],
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    pubSub: createPubSub(),
    validate: false,
    globalMiddlewares: [executionDeadline],
  });
  return cached;
}

/** The SDL written to schema.graphql: sorted, so the committed file changes only when the schema does. */
export async function printGatewaySchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await buildGatewaySchema()))}\n`;
}
