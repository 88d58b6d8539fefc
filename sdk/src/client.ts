import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { Kind, print, type DocumentNode, type OperationDefinitionNode } from "graphql";
import { createClient, type Client as WsClient } from "graphql-ws";
import { GatewayError, type GatewayGraphQLError } from "./errors";
import { resumableSubscription, type ReconnectOptions } from "./resumable-subscription";

export { GatewayError, isGatewayError, type GatewayGraphQLError } from "./errors";
export type { ReconnectOptions } from "./resumable-subscription";

/**
 * The gateway's typed client: isomorphic (Node 20 and browsers; nothing here imports a Node
 * module — in Node, pass the `ws` package as `webSocketImpl` for subscriptions). Documents come
 * from `sdk/operations/**` through codegen (`sdk/generated/graphql.ts`), so results and variables
 * are typed end to end.
 */
export interface GatewayClientOptions {
  /** gateway base URL (http://host:port) or the /graphql endpoint; ws(s) derived from it */
  url: string;
  /** API key or admin token; a function is called per request (key changes, sign-out) */
  apiKey?: string | (() => string | undefined);
  /** default globalThis.fetch */
  fetch?: typeof fetch;
  /** default globalThis.WebSocket (Node: pass `ws`) */
  webSocketImpl?: unknown;
  /** subscriptions: how to reconnect after a dropped connection */
  reconnect?: ReconnectOptions;
  /**
   * subscriptions: a ping every this many ms; a connection whose pong does not come back within
   * the same time is treated as dropped (default 15 000; 0 = no pings)
   */
  keepAliveMs?: number;
  /** subscriptions: told when the live connection goes up or down (status lines, console badges) */
  onConnectionChange?(state: ConnectionState): void;
}

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "closed";

/** A GraphQL answer as it came: data and errors side by side (for callers that inspect errors). */
export interface GatewayResult<TResult> {
  data?: TResult | null;
  errors?: GatewayGraphQLError[];
}

export interface SubscriptionSink<TResult> {
  next(data: TResult): void;
  error?(e: unknown): void;
  complete?(): void;
}

export interface GatewayClient {
  /** one query or mutation; resolves data or throws GatewayError (first error's code and message) */
  request<TResult, TVariables>(
    doc: TypedDocumentNode<TResult, TVariables>,
    variables?: TVariables,
  ): Promise<TResult>;
  /** like request, but GraphQL errors are returned next to the data instead of thrown (transport errors still throw) */
  execute<TResult, TVariables>(
    doc: TypedDocumentNode<TResult, TVariables>,
    variables?: TVariables,
  ): Promise<GatewayResult<TResult>>;
  /** a subscription over graphql-ws; on a dropped connection it reconnects and resumes with
   *  afterId = the last event id received, so no event is lost or repeated. Returns unsubscribe. */
  subscribe<TResult, TVariables>(
    doc: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    sink: SubscriptionSink<TResult>,
  ): () => void;
  /** the HTTP endpoint (…/graphql) and the WebSocket endpoint derived from `url` */
  readonly endpoints: { http: string; ws: string };
  close(): Promise<void>;
}

/** http://host:port[/graphql] → the HTTP and WebSocket GraphQL endpoints */
export function gatewayEndpoints(url: string): { http: string; ws: string } {
  const trimmed = url.trim().replace(/\/+$/, "");
  if (!/^https?:\/\//i.test(trimmed))
    throw new GatewayError("BAD_URL", `The gateway URL must start with http:// or https:// (got "${url}").`);
  const http = /\/graphql$/i.test(trimmed) ? trimmed : `${trimmed}/graphql`;
  return { http, ws: http.replace(/^http/i, "ws") };
}

/** the operation a typed document holds (codegen writes one per document) */
export function operationOf(doc: DocumentNode): OperationDefinitionNode {
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!op) throw new GatewayError("BAD_DOCUMENT", "The document holds no operation.");
  return op;
}

const printed = new WeakMap<DocumentNode, string>();
function queryText(doc: DocumentNode): string {
  let q = printed.get(doc);
  if (q === undefined) {
    q = print(doc);
    printed.set(doc, q);
  }
  return q;
}

export function createGatewayClient(opts: GatewayClientOptions): GatewayClient {
  const endpoints = gatewayEndpoints(opts.url);
  const key = (): string | undefined => (typeof opts.apiKey === "function" ? opts.apiKey() : opts.apiKey);
  const doFetch = opts.fetch ?? globalThis.fetch?.bind(globalThis);
  const subscriptions = new Set<() => void>();
  let ws: WsClient | undefined;
  let closed = false;

  async function execute<TResult, TVariables>(
    doc: TypedDocumentNode<TResult, TVariables>,
    variables?: TVariables,
  ): Promise<GatewayResult<TResult>> {
    if (!doFetch) throw new GatewayError("NO_FETCH", "No fetch implementation: pass `fetch` in the options.");
    const bearer = key();
    let res: Response;
    try {
      res = await doFetch(endpoints.http, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json, application/json",
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        body: JSON.stringify({
          query: queryText(doc),
          variables: variables ?? {},
          operationName: operationOf(doc).name?.value,
        }),
      });
    } catch (e) {
      throw new GatewayError(
        "NETWORK_ERROR",
        `Cannot reach the gateway at ${endpoints.http} (${causeOf(e)}).`,
      );
    }
    const text = await res.text();
    let body: GatewayResult<TResult> | undefined;
    try {
      body = JSON.parse(text) as GatewayResult<TResult>;
    } catch {
      body = undefined;
    }
    if (!body || typeof body !== "object" || (!("data" in body) && !Array.isArray(body.errors))) {
      throw new GatewayError(
        "HTTP_ERROR",
        `The gateway at ${endpoints.http} answered HTTP ${res.status} without a GraphQL result.`,
        [],
        { status: res.status },
      );
    }
    return body;
  }

  async function request<TResult, TVariables>(
    doc: TypedDocumentNode<TResult, TVariables>,
    variables?: TVariables,
  ): Promise<TResult> {
    const r = await execute(doc, variables);
    if (r.errors?.length) throw GatewayError.fromGraphQL(r.errors);
    if (r.data === undefined || r.data === null)
      throw new GatewayError("INTERNAL_SERVER_ERROR", "The gateway answered without data.");
    return r.data;
  }

  function wsClient(): WsClient {
    if (ws) return ws;
    const impl = opts.webSocketImpl ?? (globalThis as { WebSocket?: unknown }).WebSocket;
    if (!impl)
      throw new GatewayError(
        "NO_WEBSOCKET",
        "No WebSocket implementation: in Node, pass the `ws` package as `webSocketImpl`.",
      );
    const keepAlive = opts.keepAliveMs ?? 15_000;
    let pongTimer: ReturnType<typeof setTimeout> | undefined;
    let socket: { readyState: number; close(code: number, reason: string): void } | undefined;
    ws = createClient({
      url: endpoints.ws,
      webSocketImpl: impl,
      // re-read per connection: a reconnect after the key changed uses the new key
      connectionParams: () => {
        const bearer = key();
        return bearer ? { authorization: `Bearer ${bearer}` } : {};
      },
      lazy: true,
      // reconnecting (and resuming where the stream stopped) is done per subscription, below
      retryAttempts: 0,
      keepAlive,
      on: {
        connecting: () => opts.onConnectionChange?.("connecting"),
        connected: (s) => {
          socket = s as typeof socket;
          opts.onConnectionChange?.("connected");
        },
        closed: () => {
          clearTimeout(pongTimer);
          socket = undefined;
        },
        // a ping we sent that is not answered in time: the connection is dead, close it so the
        // subscriptions reconnect (graphql-ws's keep-alive recipe)
        ping: (received) => {
          if (received || !keepAlive) return;
          clearTimeout(pongTimer);
          pongTimer = setTimeout(() => {
            if (socket?.readyState === 1) socket.close(4408, "Pong timeout");
          }, keepAlive);
        },
        pong: (received) => {
          if (received) clearTimeout(pongTimer);
        },
      },
    });
    return ws;
  }

  function subscribe<TResult, TVariables>(
    doc: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    sink: SubscriptionSink<TResult>,
  ): () => void {
    if (closed) throw new GatewayError("CLIENT_CLOSED", "This client was closed.");
    const op = operationOf(doc);
    const stop = resumableSubscription<TResult>({
      query: queryText(doc),
      operationName: op.name?.value,
      variables: (variables ?? {}) as Record<string, unknown>,
      resumable: (op.variableDefinitions ?? []).some((v) => v.variable.name.value === "afterId"),
      ws: wsClient,
      reconnect: opts.reconnect,
      onReconnecting: () => opts.onConnectionChange?.("reconnecting"),
      sink,
      onEnd: () => subscriptions.delete(stop),
    });
    subscriptions.add(stop);
    return stop;
  }

  return {
    request,
    execute,
    subscribe,
    endpoints,
    async close() {
      closed = true;
      for (const stop of [...subscriptions]) stop();
      subscriptions.clear();
      if (ws) await ws.dispose();
      ws = undefined;
      opts.onConnectionChange?.("closed");
    },
  };
}

function causeOf(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
}
