import type { ConnectionFieldsFragment, RunFieldsFragment } from "../../../sdk/generated/graphql";
import { Badge } from "../components/ui";
import { ago, plural } from "../lib/format";
import { RUN_STATUS, SYSTEM } from "../lib/labels";

export function ConnectionBadge({ c }: { c: ConnectionFieldsFragment }) {
  const tone = c.status === "OK" ? "good" : c.status === "FAILING" ? "bad" : "neutral";
  const word = c.status === "OK" ? "connected" : c.status === "FAILING" ? "failing" : "not tested";
  return (
    <Badge tone={tone}>
      {SYSTEM[c.system]}: {word}
    </Badge>
  );
}

export function RunBadge({ run }: { run: Pick<RunFieldsFragment, "status" | "dryRun"> }) {
  const s = RUN_STATUS[run.status];
  return (
    <Badge tone={s.tone}>
      {s.label}
      {run.dryRun ? " (dry run)" : ""}
    </Badge>
  );
}

export function countsInWords(c: RunFieldsFragment["counts"], dryRun = false): string {
  const parts = [
    c.created ? `${c.created} ${dryRun ? "to create" : "created"}` : null,
    c.updated ? `${c.updated} ${dryRun ? "to update" : "updated"}` : null,
    c.skipped ? `${c.skipped} skipped` : null,
    c.failed ? `${c.failed} failed` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : c.total ? plural(c.total, "item") : "nothing to do";
}

export function lastRunLine(run: RunFieldsFragment | null | undefined): string {
  if (!run) return "never ran";
  return `${ago(run.finishedAt ?? run.startedAt ?? run.queuedAt)} · ${countsInWords(run.counts, run.dryRun)}`;
}
