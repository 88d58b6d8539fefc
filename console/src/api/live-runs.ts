import { useEffect, useRef, useState } from "react";
import {
  ConsoleRunsDocument,
  SyncEventsDocument,
  SyncRunDocument,
  type RunFieldsFragment,
  type SyncEventsSubscription,
} from "../../../sdk/generated/graphql";
import { useSession } from "./hooks";

export type LiveEvent = SyncEventsSubscription["syncEvents"];
const ACTIVE = new Set(["QUEUED", "RUNNING"]);

/**
 * Runs in progress, kept live by the syncEvents subscription (the client resumes after the last
 * event id when the connection drops, so no progress is missed). The server's finish estimate and
 * expected total are re-read at most every 2 s per run.
 */
export function useLiveRuns(integrationId: string, onFinished: () => void) {
  const { client } = useSession();
  const [runs, setRuns] = useState<Record<string, RunFieldsFragment>>({});
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [error, setError] = useState<string>();
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    let live = true;
    const lastRead = new Map<string, number>();
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    const reread = (id: string) => {
      if (timers.has(id)) return;
      const wait = Math.max(0, 2000 - (Date.now() - (lastRead.get(id) ?? 0)));
      timers.set(
        id,
        setTimeout(() => {
          timers.delete(id);
          lastRead.set(id, Date.now());
          void client.request(SyncRunDocument, { id, first: 1 }).then((r) => {
            const run = r.syncRun;
            if (live && run) setRuns((x) => (x[id] ? { ...x, [id]: { ...x[id], ...stripItems(run) } } : x));
          });
        }, wait),
      );
    };
    void client.request(ConsoleRunsDocument, { integrationId, first: 20 }).then((r) => {
      if (!live) return;
      const active = r.syncRuns.edges.map((e) => e.node).filter((n) => ACTIVE.has(n.status));
      setRuns((x) => ({ ...Object.fromEntries(active.map((a) => [a.id, a])), ...x }));
    });
    const stop = client.subscribe(
      SyncEventsDocument,
      { integrationId },
      {
        next: ({ syncEvents: ev }) => {
          if (!live) return;
          setEvents((x) => [ev, ...x].slice(0, 12));
          if (!ev.runId || !ev.flow) return;
          const id = ev.runId;
          setRuns((x) => {
            const prev = x[id];
            const base: RunFieldsFragment = prev ?? {
              __typename: "SyncRun",
              id,
              integrationId,
              flow: ev.flow!,
              trigger: "MANUAL",
              dryRun: false,
              status: "QUEUED",
              queuedAt: ev.at,
              startedAt: null,
              finishedAt: null,
              counts: { __typename: "RunCounts", total: 0, created: 0, updated: 0, skipped: 0, failed: 0 },
              expectedTotal: null,
              progress: 0,
              estimatedFinishAt: null,
              error: null,
            };
            const status =
              ev.type === "RUN_FINISHED" ? (ev.runStatus ?? "SUCCEEDED") : (ev.runStatus ?? base.status);
            return {
              ...x,
              [id]: {
                ...base,
                status: ev.type === "RUN_STARTED" ? "RUNNING" : status,
                startedAt: base.startedAt ?? (ev.type === "RUN_STARTED" ? ev.at : base.startedAt),
                finishedAt: ev.type === "RUN_FINISHED" ? ev.at : base.finishedAt,
                counts: ev.counts ?? base.counts,
                progress: ev.type === "RUN_FINISHED" ? 1 : (ev.progress ?? base.progress),
                error:
                  ev.type === "RUN_FINISHED" && ev.runStatus === "FAILED"
                    ? (ev.message ?? base.error)
                    : base.error,
              },
            };
          });
          if (ev.type === "RUN_FINISHED") finished.current();
          else reread(id);
        },
        error: (e) => setError((e as Error)?.message ?? "The live connection was refused."),
      },
    );
    return () => {
      live = false;
      stop();
      for (const t of timers.values()) clearTimeout(t);
    };
  }, [client, integrationId]);

  return { runs: Object.values(runs).sort((a, b) => b.queuedAt.localeCompare(a.queuedAt)), events, error };
}

function stripItems<T extends { items?: unknown }>(r: T): Omit<T, "items"> {
  const { items: _items, ...rest } = r;
  return rest;
}
