import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export interface GraphQLResult<T> {
  data?: T | null;
  errors?: {
    message: string;
    extensions?: { code?: string } & Record<string, unknown>;
    path?: (string | number)[];
  }[];
}

/** POST /graphql with a typed document from the generated SDK. */
export async function execute<T, V>(
  url: string,
  doc: TypedDocumentNode<T, V>,
  variables: V,
  bearer?: string,
): Promise<GraphQLResult<T>> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query: print(doc), variables }),
  });
  return (await res.json()) as GraphQLResult<T>;
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

/** A graphql-ws client authenticated like a live-monitoring screen. */
export function wsClient(url: string, bearer?: string): Client {
  return createClient({
    url: `${url.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: bearer ? { authorization: `Bearer ${bearer}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}
