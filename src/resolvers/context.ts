import { unauthenticated } from "../common/errors";
import type { Principal } from "../services/principal";
import type { Services } from "../services";
import type { RecordLoaders } from "../sync/records/records.service";

/** Per request (HTTP) or per subscription operation (WebSocket). Loaders are never shared across requests. */
export interface GatewayContext {
  requestId: string;
  principal?: Principal;
  services: Services;
  /** per-request DataLoaders for unified reads (created lazily, never shared across requests) */
  loaders: () => RecordLoaders;
  /** queries and mutations: when the execution timeout stops the request (epoch ms) and its signal */
  deadline?: { at: number; ms: number; signal: AbortSignal; abort(): void };
}

/** A request's deadline: `abort` stops the vendor reads that took its signal. */
export function deadlineIn(ms: number): NonNullable<GatewayContext["deadline"]> {
  const ac = new AbortController();
  return {
    at: Date.now() + ms,
    ms,
    signal: ac.signal,
    abort: () => ac.abort(new Error("execution timeout")),
  };
}

/** A context factory's loaders: created on first use within one request or operation. */
export function lazyLoaders(services: Services, signal?: AbortSignal): () => RecordLoaders {
  let l: RecordLoaders | undefined;
  return () => (l ??= services.records.loaders(signal));
}

export function principalOf(ctx: GatewayContext): Principal {
  if (!ctx.principal) throw unauthenticated();
  return ctx.principal;
}
