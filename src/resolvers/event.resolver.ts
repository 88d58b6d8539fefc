import { Arg, Ctx, ID, Resolver, Root, Subscription } from "type-graphql";
import { syncEventStream } from "../events/event-stream";
import type { SyncEventData } from "../events/event.types";
import { FlowKind } from "../schema/enums";
import { SyncEvent } from "../schema/run.type";
import { requireRole } from "../services/principal";
import { principalOf, type GatewayContext } from "./context";
import { toEvent } from "./mappers";

interface SyncEventsArgs {
  integrationId: string;
  flow?: FlowKind | null;
  runId?: string | null;
  afterId?: string | null;
}

@Resolver()
export class EventResolver {
  @Subscription(() => SyncEvent, {
    description:
      "live events of an integration; filtered by flow and/or run when given. With afterId, the persisted events after that id are replayed first, so a monitor that reconnects misses nothing",
    subscribe: async ({ args, context }: { args: SyncEventsArgs; context: GatewayContext }) => {
      const ws = requireRole(principalOf(context), "VIEWER");
      // another workspace's integration: NOT_FOUND, the same as one that does not exist
      await context.services.integrations.get(ws, args.integrationId);
      return syncEventStream(context.services.eventLog, context.services.eventBus, {
        integrationId: args.integrationId,
        flow: args.flow,
        runId: args.runId,
        afterId: args.afterId,
      });
    },
  })
  syncEvents(
    @Root() event: SyncEventData,
    @Arg("integrationId", () => ID) _integrationId: string,
    @Arg("flow", () => FlowKind, { nullable: true }) _flow: FlowKind | undefined,
    @Arg("runId", () => ID, { nullable: true }) _runId: string | undefined,
    @Arg("afterId", () => ID, { nullable: true }) _afterId: string | undefined,
    @Ctx() _ctx: GatewayContext,
  ): SyncEvent {
    return toEvent(event);
  }
}
