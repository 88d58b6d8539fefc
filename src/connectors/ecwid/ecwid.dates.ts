/**
 * Ecwid date/time formats (reference §13).
 * Output: "yyyy-MM-dd HH:mm:ss Z" with a numeric offset ("2024-09-04 07:20:11 +0000"), in UTC in
 * practice but old examples carry other offsets, so the offset is parsed, never assumed.
 * Input filters: unix seconds (recommended, what the connector sends) or the string forms
 * "yyyy-MM-dd HH:mm:ss Z", "yyyy-MM-dd HH:mm:ss" (UTC) and "yyyy-MM-dd" (midnight UTC).
 */

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** "2024-09-04 07:20:11 +0000" */
export function formatEcwidDate(d: Date): string {
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
  );
}

const DATE_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\s*([+-])(\d{2}):?(\d{2})|\s*Z)?)?$/;

/**
 * Parses an Ecwid date string (any of the §13 string forms) or a unix-seconds value. Returns null
 * for anything else, including impossible dates.
 */
export function parseEcwidDate(v: string | number | null | undefined): Date | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isFinite(v) ? new Date(v * 1000) : null;
  const s = v.trim();
  if (s === "") return null;
  if (/^-?\d+$/.test(s)) return new Date(Number(s) * 1000);
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", se = "0", sign, oh, om] = m;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  const check = new Date(utc);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return null;
  const offsetMin = sign ? (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  return new Date(utc - offsetMin * 60_000);
}

/** Unix seconds for a filter value: a Date, or a number already in unix seconds. */
export function toUnixSeconds(v: Date | number): number {
  return typeof v === "number" ? Math.floor(v) : Math.floor(v.getTime() / 1000);
}
