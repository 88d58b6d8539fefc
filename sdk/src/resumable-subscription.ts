import type { Client as WsClient } from "graphql-ws";
import { GatewayError, type GatewayGraphQLError } from "./errors";

export interface ReconnectOptions {
  /** first wait before reconnecting (default 500 ms); doubles per failed attempt, with jitter */
  initialDelayMs?: number;
  /** longest wait between attempts (default 15 000 ms) */
  maxDelayMs?: number;
  /** give up after this many attempts in a row without an event (default: never) */
  maxAttempts?: number;
}

/**
 * Close codes after which reconnecting cannot help: the key was refused (4403), the request or
 * protocol is wrong (4400, 4406, 1002), the server failed (4500) or the subscription id clashes.
 * Anything else — a dropped socket (1006), a restart (1001, 1012), a pong timeout — is retried.
 */
const FATAL_CLOSE_CODES = new Set([
  1002, 1003, 1007, 1008, 1009, 1010, 4400, 4401, 4403, 4406, 4409, 4429, 4500,
]);

const isCloseEvent = (e: unknown): e is { code: number; reason: string } =>
  !!e && typeof e === "object" && "code" in e && typeof (e as { code: unknown }).code === "number";

/** the id of an event: the `id` of the subscription's root field (`{ syncEvents: { id } }`) */
function eventIdOf(data: unknown): string | undefined {
  if (!data || typeof data !== "object") return undefined;
  const root = Object.values(data as Record<string, unknown>)[0];
  const id = root && typeof root === "object" ? (root as { id?: unknown }).id : undefined;
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
}

/** numeric ids compare as numbers (the event log's ids are), others cannot be ordered */
function notAfter(id: string, last: string): boolean {
  if (!/^\d+$/.test(id) || !/^\d+$/.test(last)) return false;
  return BigInt(id) <= BigInt(last);
}

export interface ResumableSubscriptionOptions<TResult> {
  query: string;
  operationName?: string;
  variables: Record<string, unknown>;
  /** the operation declares $afterId: reconnects resume after the last event received */
  resumable: boolean;
  ws: () => WsClient;
  reconnect?: ReconnectOptions;
  onReconnecting?(): void;
  sink: { next(data: TResult): void; error?(e: unknown): void; complete?(): void };
  onEnd(): void;
}

/**
 * One graphql-ws subscription that survives dropped connections. graphql-ws's own retry would
 * re-send the original variables; here every reconnect subscribes again with
 * `afterId` = the id of the last event delivered, so the server replays exactly what was missed.
 * Events at or before that id (a seam the server already covers) are dropped as a second guard.
 */
export function resumableSubscription<TResult>(o: ResumableSubscriptionOptions<TResult>): () => void {
  const initialDelay = o.reconnect?.initialDelayMs ?? 500;
  const maxDelay = o.reconnect?.maxDelayMs ?? 15_000;
  const maxAttempts = o.reconnect?.maxAttempts ?? Infinity;
  let lastId = typeof o.variables.afterId === "string" ? o.variables.afterId : undefined;
  let attempts = 0;
  let ended = false;
  let current: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const end = (fn?: () => void) => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    current?.();
    current = undefined;
    o.onEnd();
    fn?.();
  };

  const start = () => {
    if (ended) return;
    const variables = o.resumable && lastId !== undefined ? { ...o.variables, afterId: lastId } : o.variables;
    let unsubscribe: () => void;
    try {
      unsubscribe = o.ws().subscribe<TResult>(
        { query: o.query, operationName: o.operationName, variables },
        {
          next: (r) => {
            if (ended) return;
            if (r.errors?.length) {
              end(() => o.sink.error?.(GatewayError.fromGraphQL(r.errors as GatewayGraphQLError[])));
              return;
            }
            attempts = 0;
            const id = eventIdOf(r.data);
            if (id !== undefined) {
              if (lastId !== undefined && notAfter(id, lastId)) return;
              lastId = id;
            }
            o.sink.next(r.data as TResult);
          },
          error: (e) => {
            if (ended) return;
            current = undefined;
            if (Array.isArray(e)) {
              end(() => o.sink.error?.(GatewayError.fromGraphQL(e as GatewayGraphQLError[])));
              return;
            }
            const fatal = isCloseEvent(e) && FATAL_CLOSE_CODES.has(e.code);
            if (fatal || attempts >= maxAttempts) {
              const closeCode = isCloseEvent(e) ? e.code : undefined;
              end(() =>
                o.sink.error?.(
                  new GatewayError(
                    "CONNECTION_CLOSED",
                    closeCode === 4403
                      ? "The gateway refused the subscription: the API key is missing, wrong or revoked."
                      : `The live connection to the gateway closed${closeCode ? ` (code ${closeCode})` : ""}${
                          fatal ? "" : ` after ${attempts} reconnect attempts`
                        }.`,
                    [],
                    { closeCode },
                  ),
                ),
              );
              return;
            }
            attempts++;
            o.onReconnecting?.();
            const backoff = Math.min(maxDelay, initialDelay * 2 ** (attempts - 1));
            timer = setTimeout(start, backoff / 2 + Math.random() * (backoff / 2));
          },
          complete: () => {
            if (!ended) end(() => o.sink.complete?.());
          },
        },
      );
    } catch (e) {
      end(() => o.sink.error?.(e));
      return;
    }
    current = unsubscribe;
  };

  start();
  return () => end();
}
