import { Arg, Ctx, ID, Resolver, Subscription } from "type-graphql";
import { notImplemented } from "../common/errors";
import { FlowKind } from "../schema/enums";
import { SyncEvent } from "../schema/run.type";
import { requireRole } from "../services/principal";
import { principalOf, type GatewayContext } from "./context";

@Resolver()
export class EventResolver {
  @Subscription(() => SyncEvent, {
    description:
      "live events of an integration; filtered by flow and/or run when given. With afterId, the persisted events after that id are replayed first, so a monitor that reconnects misses nothing",
    subscribe: ({ context }: { context: GatewayContext }) => {
      requireRole(principalOf(context), "VIEWER");
      throw notImplemented("syncEvents");
    },
  })
  syncEvents(
    @Arg("integrationId", () => ID) _integrationId: string,
    @Arg("flow", () => FlowKind, { nullable: true }) _flow: FlowKind | undefined,
    @Arg("runId", () => ID, { nullable: true }) _runId: string | undefined,
    @Arg("afterId", () => ID, { nullable: true }) _afterId: string | undefined,
    @Ctx() _ctx: GatewayContext,
  ): SyncEvent {
    throw notImplemented("syncEvents");
  }
}
