import type { EventBus } from "./event-bus";
import type { EventLog } from "./event-log";
import type { SyncEventData } from "./event.types";

export interface StreamFilter {
  integrationId: string;
  flow?: string | null;
  runId?: string | null;
  /** replay persisted events after this id first (a monitor that reconnects misses nothing) */
  afterId?: string | null;
}

const matches = (f: StreamFilter, e: SyncEventData) =>
  (!f.flow || e.flow === f.flow) && (!f.runId || e.runId === f.runId);

/**
 * Live events of one integration as an async iterator. With afterId, it subscribes first (buffering),
 * replays the persisted log after that id, then continues live, skipping what the replay already
 * yielded — no gap and no duplicate at the seam.
 */
export function syncEventStream(
  log: EventLog,
  bus: EventBus,
  filter: StreamFilter,
): AsyncIterableIterator<SyncEventData> {
  const buffer: SyncEventData[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  const unsubscribe = bus.subscribe(filter.integrationId, (e) => {
    buffer.push(e);
    wake?.();
  });
  let lastId = filter.afterId !== undefined && filter.afterId !== null ? Number(filter.afterId) : undefined;
  const replay: SyncEventData[] = [];
  let replayDone = lastId === undefined;

  const close = () => {
    closed = true;
    unsubscribe();
    wake?.();
  };

  const iterator: AsyncIterableIterator<SyncEventData> = {
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async next(): Promise<IteratorResult<SyncEventData>> {
      for (;;) {
        if (closed) return { done: true, value: undefined };
        if (!replayDone) {
          if (replay.length === 0) {
            const page = await log.after(filter.integrationId, lastId!, 500);
            if (page.length === 0) replayDone = true;
            else replay.push(...page);
          }
          const e = replay.shift();
          if (e) {
            lastId = Number(e.id);
            if (matches(filter, e)) return { done: false, value: e };
            continue;
          }
          continue;
        }
        const e = buffer.shift();
        if (e) {
          if (lastId !== undefined && Number(e.id) <= lastId) continue;
          lastId = Number(e.id);
          if (matches(filter, e)) return { done: false, value: e };
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
    async return(): Promise<IteratorResult<SyncEventData>> {
      close();
      return { done: true, value: undefined };
    },
    async throw(err?: unknown): Promise<IteratorResult<SyncEventData>> {
      close();
      throw err;
    },
  };
  return iterator;
}
