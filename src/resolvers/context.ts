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
}

/** A context factory's loaders: created on first use within one request or operation. */
export function lazyLoaders(services: Services): () => RecordLoaders {
  let l: RecordLoaders | undefined;
  return () => (l ??= services.records.loaders());
}

export function principalOf(ctx: GatewayContext): Principal {
  if (!ctx.principal) throw unauthenticated();
  return ctx.principal;
}
