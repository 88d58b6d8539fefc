import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { createGatewayClient, type GatewayClient, type GatewayResult } from "../../sdk/src";

/**
 * The e2e tests talk to the gateway the way partners do: through the typed client package (sdk/).
 * `execute` keeps GraphQL errors next to the data (tests assert on codes); `executeOk` throws them.
 */
export type GraphQLResult<T> = GatewayResult<T>;

/** one client per URL and key, created on first use (a plain HTTP client: nothing to close) */
const clients = new Map<string, GatewayClient>();
export function sdkClient(url: string, bearer?: string): GatewayClient {
  const k = `${url}|${bearer ?? ""}`;
  let c = clients.get(k);
  if (!c) {
    c = createGatewayClient({ url, apiKey: bearer, webSocketImpl: WebSocket });
    clients.set(k, c);
  }
  return c;
}

/** POST /graphql with a typed document from the generated SDK. */
export function execute<T, V>(
  url: string,
  doc: TypedDocumentNode<T, V>,
  variables: V,
  bearer?: string,
): Promise<GraphQLResult<T>> {
  return sdkClient(url, bearer).execute(doc, variables);
}

/** Executes and fails the test with the GraphQL errors when there are any. */
export async function executeOk<T, V>(
  url: string,
  doc: TypedDocumentNode<T, V>,
  variables: V,
  bearer?: string,
): Promise<T> {
  const r = await execute(url, doc, variables, bearer);
  if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
  return r.data;
}

export const errorCode = (r: GraphQLResult<unknown>) => r.errors?.[0]?.extensions?.code;

/**
 * A bare graphql-ws client, for the tests of the WebSocket protocol itself (handshake refusals,
 * close codes); everything else subscribes through the SDK client.
 */
export function wsClient(url: string, bearer?: string): Client {
  return createClient({
    url: `${url.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: bearer ? { authorization: `Bearer ${bearer}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}
