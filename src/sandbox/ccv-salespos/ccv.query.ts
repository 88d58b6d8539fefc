import { invalid } from "./ccv.validate";

/** Query-parameter parsing shared by the CCV resources' filters (§3.3, §3.4). */

export function parseBool(v: string, name: string): boolean {
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw invalid(`'${name}' must be true, false, 1 or 0.`);
}

/** [unknown] format of date filters: accepts `YYYY-MM-DD` (whole day) and ISO date-times. */
export function parseFilterDate(v: string, name: string, edge: "start" | "end"): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const t = Date.parse(`${v}T00:00:00Z`);
    if (!Number.isNaN(t)) return edge === "start" ? t : t + 86_400_000 - 1;
  }
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalid(`'${name}' must be a date (YYYY-MM-DD) or an ISO date-time.`);
  return t;
}

/** `orderby=<field>` ascending, `<field>_desc` descending (§3.3); default by id. */
export function sortBy<T extends { id: number }>(
  items: T[],
  orderby: string | undefined,
  allowed: string[],
  get: (x: T, f: string) => unknown,
): T[] {
  let field = "id";
  let desc = false;
  if (orderby) {
    desc = orderby.endsWith("_desc");
    field = desc ? orderby.slice(0, -5) : orderby;
    if (!allowed.includes(field))
      throw invalid(`'orderby' must be one of ${allowed.join(", ")} (optionally with _desc).`);
  }
  const cmp = (a: unknown, b: unknown) =>
    typeof a === "number" && typeof b === "number" ? a - b : String(a ?? "").localeCompare(String(b ?? ""));
  return [...items].sort((a, b) => (desc ? -1 : 1) * (cmp(get(a, field), get(b, field)) || a.id - b.id));
}
