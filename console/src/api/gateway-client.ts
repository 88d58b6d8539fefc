import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print, type ExecutionResult } from "graphql";
import { createClient, type Client } from "graphql-ws";

/**
 * The console's only way to the gateway: a client with exactly the interface of the partner SDK's
 * `createGatewayClient` (sdk/src/client.ts, agreed in advance), so switching to the SDK is a
 * one-line change in ./client.ts. It runs in browsers and in Node (tests pass `ws`).
 */
export interface GatewayClientOptions {
  /** gateway base URL (http://host:port) or the /graphql endpoint; ws(s) derived from it */
  url: string;
  /** API key or admin token; a function is called per request (key changes, sign-out) */
  apiKey?: string | (() => string | undefined);
  fetch?: typeof fetch;
  webSocketImpl?: unknown;
}

export class GatewayError extends Error {
  constructor(
    message: string,
    /** extensions.code of the first error (NETWORK when the gateway could not be reached) */
    readonly code: string,
    readonly errors: readonly unknown[],
  ) {
    super(message);
    this.name = "GatewayError";
  }

  /** the first error's extensions (e.g. `position` of an invalid mapping expression) */
  get extensions(): Record<string, unknown> {
    const first = this.errors[0] as { extensions?: Record<string, unknown> } | undefined;
    return first?.extensions ?? {};
  }
}

export interface GatewayClient {
  request<TResult, TVariables>(
    doc: TypedDocumentNode<TResult, TVariables>,
    variables?: TVariables,
  ): Promise<TResult>;
  subscribe<TResult, TVariables>(
    doc: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    sink: { next(data: TResult): void; error?(e: unknown): void; complete?(): void },
  ): () => void;
  close(): Promise<void>;
}

interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string } & Record<string, unknown>;
}

const errorOf = (errors: readonly GraphQLErrorShape[]): GatewayError =>
  new GatewayError(
    errors[0]?.message ?? "The gateway answered with an error.",
    String(errors[0]?.extensions?.code ?? "INTERNAL_SERVER_ERROR"),
    errors,
  );

/** close codes after which reconnecting cannot help (graphql-ws: 4400 bad request … 4499) */
const fatalClose = (e: unknown): boolean => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "number" && code >= 4400 && code < 4500 && code !== 4408 && code !== 4499;
};

/** the id of the event a subscription answer carries (its single root field's id) */
const eventIdOf = (data: unknown): string | undefined => {
  const root = data && typeof data === "object" ? Object.values(data)[0] : undefined;
  const id = root && typeof root === "object" ? (root as { id?: unknown }).id : undefined;
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
};

export function createGatewayClient(opts: GatewayClientOptions): GatewayClient {
  const endpoint = opts.url.replace(/\/+$/, "").replace(/(\/graphql)?$/, "/graphql");
  const wsUrl = endpoint.replace(/^http/, "ws");
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));
  const key = () => (typeof opts.apiKey === "function" ? opts.apiKey() : opts.apiKey);
  let ws: Client | undefined;
  const socket = (): Client =>
    (ws ??= createClient({
      url: wsUrl,
      webSocketImpl: opts.webSocketImpl ?? (globalThis as { WebSocket?: unknown }).WebSocket,
      connectionParams: () => {
        const k = key();
        return k ? { authorization: `Bearer ${k}` } : {};
      },
      lazy: true,
      // reconnecting is done per subscription below, so each one resumes with its own afterId
      retryAttempts: 0,
    }));

  return {
    async request(doc, variables) {
      const k = key();
      let res: Response;
      try {
        res = await doFetch(endpoint, {
          method: "POST",
          headers: { "content-type": "application/json", ...(k ? { authorization: `Bearer ${k}` } : {}) },
          body: JSON.stringify({ query: print(doc), variables: variables ?? {} }),
        });
      } catch (e) {
        throw new GatewayError(`The gateway could not be reached: ${(e as Error).message}`, "NETWORK", []);
      }
      let body: ExecutionResult<unknown>;
      try {
        body = (await res.json()) as ExecutionResult<unknown>;
      } catch {
        throw new GatewayError(
          `The gateway answered HTTP ${res.status} without GraphQL.`,
          `HTTP_${res.status}`,
          [],
        );
      }
      if (body.errors?.length) throw errorOf(body.errors as unknown as GraphQLErrorShape[]);
      if (!body.data) throw new GatewayError("The gateway answered without data.", "NO_DATA", []);
      return body.data as never;
    },

    subscribe(doc, variables, sink) {
      const query = print(doc);
      let lastId: string | undefined;
      let stopped = false;
      let attempt = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let dispose: (() => void) | undefined;
      const start = () => {
        if (stopped) return;
        const vars = lastId ? { ...(variables as object), afterId: lastId } : (variables as object);
        dispose = socket().subscribe<unknown>(
          { query, variables: vars as Record<string, unknown> },
          {
            next(r) {
              if (r.errors?.length) {
                stopped = true;
                sink.error?.(errorOf(r.errors as unknown as GraphQLErrorShape[]));
                return;
              }
              attempt = 0;
              lastId = eventIdOf(r.data) ?? lastId;
              sink.next(r.data as never);
            },
            error(e) {
              if (stopped) return;
              if (Array.isArray(e)) {
                stopped = true;
                sink.error?.(errorOf(e as GraphQLErrorShape[]));
              } else if (fatalClose(e)) {
                stopped = true;
                sink.error?.(e);
              } else {
                // a dropped connection: resume after the last event seen, backing off up to 10 s
                attempt++;
                timer = setTimeout(start, Math.min(10_000, 250 * 2 ** Math.min(attempt, 6)));
              }
            },
            complete() {
              if (!stopped) sink.complete?.();
            },
          },
        );
      };
      start();
      return () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        dispose?.();
      };
    },

    async close() {
      await ws?.dispose();
      ws = undefined;
    },
  };
}
