import cliProgress from "cli-progress";
import type { GatewayClient } from "../src/client";
import { SyncEventsDocument, SyncRunDocument, type RunFieldsFragment } from "../generated/graphql";
import { duration, finishText, type Output } from "./cli-output";
import { FINAL_RUN_STATUSES } from "./exit-codes";

export interface WatchOptions {
  /** how often the run is re-read while no event arrives (default 2 000 ms) */
  pollMs?: number;
  /** draw a progress bar (a terminal); otherwise a line per 10 % step */
  interactive: boolean;
}

interface Shown {
  status: string;
  done: number;
  total: number | null;
  failed: number;
  estimatedFinishAt: string | null;
}

/**
 * Follows a run until it is over: live events (graphql-ws, resuming after a dropped connection)
 * move the progress bar and its finish estimate (the gateway's, from the run's observed item rate);
 * the run is re-read between events, so a missed event or a socket that cannot connect only makes
 * the display a little later, never wrong. Resolves with the final run.
 */
export async function watchRun(
  client: GatewayClient,
  run: RunFieldsFragment,
  out: Output,
  opts: WatchOptions,
): Promise<RunFieldsFragment> {
  const pollMs = opts.pollMs ?? 2_000;
  let latest = run;
  let wake: (() => void) | undefined;
  const shown: Shown = {
    status: run.status,
    done: run.counts.total,
    total: run.expectedTotal,
    failed: run.counts.failed,
    estimatedFinishAt: run.estimatedFinishAt,
  };
  const quiet = out.json;
  const bar =
    !quiet && opts.interactive
      ? new cliProgress.SingleBar(
          {
            stream: process.stderr,
            hideCursor: true,
            clearOnComplete: false,
            barsize: 30,
            format: (options, params, payload: { line: string }) =>
              `${cliProgress.Format.BarFormat(params.progress, options)} ${payload.line}`,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  const line = () => {
    const count = shown.total !== null ? `${shown.done}/${shown.total}` : `${shown.done}`;
    const finish = shown.status === "RUNNING" ? finishText(shown.estimatedFinishAt) : "";
    return [shown.status.toLowerCase(), `${count} items`, `${shown.failed} failed`, finish]
      .filter(Boolean)
      .join(" | ");
  };
  let lastStep = -1;
  const render = () => {
    const total = Math.max(shown.total ?? 0, shown.done);
    if (bar) {
      bar.setTotal(Math.max(1, total));
      bar.update(shown.done, { line: line() });
      return;
    }
    if (quiet) return;
    const step = total > 0 ? Math.floor((shown.done / total) * 10) : 0;
    if (step !== lastStep) {
      lastStep = step;
      out.note(`${run.flow} ${run.id}: ${line()}`);
    }
  };
  if (bar) bar.start(Math.max(1, run.expectedTotal ?? 1), run.counts.total, { line: line() });
  else render();

  const stop = client.subscribe(
    SyncEventsDocument,
    { integrationId: run.integrationId, runId: run.id },
    {
      next: ({ syncEvents: e }) => {
        if (e.counts) {
          shown.done = e.counts.total;
          shown.failed = e.counts.failed;
        }
        if (e.runStatus) shown.status = e.runStatus;
        if (e.estimatedFinishAt) shown.estimatedFinishAt = e.estimatedFinishAt;
        render();
        // the end is confirmed by reading the run; other events only move the display
        if (e.type === "RUN_FINISHED") wake?.();
      },
      // no live events (e.g. a proxy without WebSockets): polling alone still sees the run through
      error: () => undefined,
    },
  );
  try {
    for (;;) {
      latest = (await client.request(SyncRunDocument, { id: run.id })).syncRun ?? latest;
      shown.status = latest.status;
      shown.done = Math.max(shown.done, latest.counts.total);
      shown.total = latest.expectedTotal;
      shown.failed = Math.max(shown.failed, latest.counts.failed);
      shown.estimatedFinishAt = latest.estimatedFinishAt ?? shown.estimatedFinishAt;
      render();
      if (FINAL_RUN_STATUSES.has(latest.status)) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = undefined;
    }
  } finally {
    stop();
    bar?.stop();
  }
  if (!quiet) {
    const took =
      latest.startedAt && latest.finishedAt
        ? ` in ${duration(Date.parse(latest.finishedAt) - Date.parse(latest.startedAt))}`
        : "";
    const c = latest.counts;
    out.note(
      `${latest.flow} run ${latest.id} ${latest.status}${took}: ${c.total} items, ${c.created} created, ` +
        `${c.updated} updated, ${c.skipped} skipped, ${c.failed} failed${latest.error ? ` (${latest.error})` : ""}`,
    );
  }
  return latest;
}
