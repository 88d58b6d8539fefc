import type { ConsoleActivityQuery } from "../../../sdk/generated/graphql";
import { clock } from "../lib/format";

type Bucket = ConsoleActivityQuery["syncActivity"][number];

const SERIES = [
  ["succeeded", "Done", "var(--good)"],
  ["skipped", "Skipped", "var(--neutral-strong)"],
  ["failed", "Failed", "var(--bad)"],
  ["pending", "Planned (dry run)", "var(--info)"],
] as const;

/** Items per hour by status, stacked bars; the same numbers are available as a table. */
export function ActivityChart({ buckets }: { buckets: Bucket[] }) {
  const W = 720;
  const H = 180;
  const pad = { l: 34, r: 6, t: 8, b: 22 };
  const max = Math.max(1, ...buckets.map((b) => b.succeeded + b.skipped + b.failed + b.pending));
  const niceMax = max <= 5 ? 5 : Math.ceil(max / 5) * 5;
  const bw = (W - pad.l - pad.r) / Math.max(1, buckets.length);
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / niceMax);
  const totals = SERIES.map(([k]) => buckets.reduce((t, b) => t + b[k], 0));
  const summary = SERIES.map(([, label], i) => `${totals[i]} ${label.toLowerCase()}`).join(", ");
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Items per hour over the last ${buckets.length} hours: ${summary}`}
      >
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={pad.l} x2={W - pad.r} y1={y(niceMax * f)} y2={y(niceMax * f)} className="gridline" />
            <text x={pad.l - 6} y={y(niceMax * f) + 4} textAnchor="end" className="axis">
              {Math.round(niceMax * f)}
            </text>
          </g>
        ))}
        {buckets.map((b, i) => {
          let acc = 0;
          const x = pad.l + i * bw;
          const hour = new Date(b.hour);
          return (
            <g key={b.hour}>
              {SERIES.map(([k, label, color]) => {
                const v = b[k];
                if (!v) return null;
                const top = y(acc + v);
                const h = y(acc) - top;
                acc += v;
                return (
                  <rect key={k} x={x + 0.5} width={Math.max(1, bw - 1)} y={top} height={h} fill={color}>
                    <title>{`${clock(hour)}: ${v} ${label.toLowerCase()}`}</title>
                  </rect>
                );
              })}
              {hour.getHours() === 0 || i === 0 ? (
                <text x={x} y={H - 6} className="axis">
                  {hour.toLocaleDateString("en-GB", { weekday: "short", day: "numeric" })}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">
        {SERIES.map(([k, label, color], i) => (
          <span key={k}>
            <i style={{ background: color }} aria-hidden="true" /> {label} <strong>{totals[i]}</strong>
          </span>
        ))}
      </figcaption>
      <details className="chart-table">
        <summary>Show the hours with activity as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Hour</th>
              {SERIES.map(([k, label]) => (
                <th key={k} scope="col">
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {buckets
              .filter((b) => b.succeeded + b.skipped + b.failed + b.pending > 0)
              .map((b) => (
                <tr key={b.hour}>
                  <th scope="row">
                    {new Date(b.hour).toLocaleString("en-GB", { dateStyle: "short", timeStyle: "short" })}
                  </th>
                  {SERIES.map(([k]) => (
                    <td key={k}>{b[k]}</td>
                  ))}
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
