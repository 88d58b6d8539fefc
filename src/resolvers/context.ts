import { unauthenticated } from "../common/errors";
import type { Principal } from "../services/principal";
import type { Services } from "../services";

/** Per request (HTTP) or per subscription operation (WebSocket). Loaders are never shared across requests. */
export interface GatewayContext {
  requestId: string;
  principal?: Principal;
  services: Services;
}

export function principalOf(ctx: GatewayContext): Principal {
  if (!ctx.principal) throw unauthenticated();
  return ctx.principal;
}
