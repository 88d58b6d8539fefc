/**
 * What the CLI prints: for people, aligned tables and short sentences on stdout (progress on
 * stderr); for scripts (`--json`), one JSON document on stdout, or JSON lines for streams.
 * Nothing printed here ever contains an API key: commands pass only API answers, and the API
 * never returns a secret except the one-time `secret` of a new key, which the CLI never asks for.
 */
export interface Output {
  json: boolean;
  /** stdout */
  out(text: string): void;
  /** stderr: progress and notes for people */
  note(text: string): void;
  /** one JSON document (or one JSON line of a stream) on stdout */
  data(value: unknown): void;
}

export function createOutput(json: boolean, stdout = process.stdout, stderr = process.stderr): Output {
  return {
    json,
    out: (t) => void stdout.write(`${t}\n`),
    note: (t) => void stderr.write(`${t}\n`),
    data: (v) => void stdout.write(`${JSON.stringify(v)}\n`),
  };
}

/** columns padded to their widest cell; null and undefined print as "-" */
export function table(headers: string[], rows: unknown[][]): string {
  const cells = [
    headers,
    ...rows.map((r) => r.map((c) => (c === null || c === undefined ? "-" : String(c)))),
  ];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** 95 s → "1m 35s"; 3 700 s → "1h 1m" */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** "finish ~14:32:05 (in 2m 10s)" from an ISO estimate, or "" when there is none */
export function finishText(estimatedFinishAt: string | null | undefined, now = Date.now()): string {
  if (!estimatedFinishAt) return "";
  const at = new Date(estimatedFinishAt);
  if (Number.isNaN(at.getTime())) return "";
  const clock = at.toTimeString().slice(0, 8);
  return `finish ~${clock} (in ${duration(at.getTime() - now)})`;
}
