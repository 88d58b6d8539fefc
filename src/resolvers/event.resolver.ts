import { Arg, Ctx, ID, Resolver, Root, Subscription } from "type-graphql";
import { unauthenticated } from "../common/errors";
import { syncEventStream } from "../events/event-stream";
import type { SyncEventData } from "../events/event.types";
import { FlowKind } from "../schema/enums";
import { SyncEvent } from "../schema/run.type";
import { requireRole } from "../services/principal";
import { principalOf, type GatewayContext } from "./context";
import { toEvent } from "./mappers";

/** how often an open subscription re-checks that its key has not been revoked */
const REVALIDATE_MS = 5_000;

/** ends a subscription with UNAUTHENTICATED once its key is revoked (checked at most every few seconds) */
function revocable<T>(
  source: AsyncIterableIterator<T>,
  valid: () => Promise<boolean>,
): AsyncIterableIterator<T> {
  let checkedAt = Date.now();
  const it: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]: () => it,
    async next() {
      const r = await source.next();
      if (!r.done && Date.now() - checkedAt > REVALIDATE_MS) {
        checkedAt = Date.now();
        if (!(await valid())) {
          await source.return?.();
          throw unauthenticated("The API key of this subscription was revoked.");
        }
      }
      return r;
    },
    return: async () => (source.return ? source.return() : { done: true, value: undefined }),
    throw: async (e?: unknown) => (source.throw ? source.throw(e) : { done: true, value: undefined }),
  };
  return it;
}

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
      const stream = syncEventStream(context.services.eventLog, context.services.eventBus, {
        integrationId: args.integrationId,
        flow: args.flow,
        runId: args.runId,
        afterId: args.afterId,
      });
      return revocable(stream, () => context.services.tenancy.stillValid(principalOf(context)));
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
