import { parseEcwidDate } from "../../connectors/ecwid/ecwid.dates";
import {
  ECWID_DATE_BOUNDS_INCLUSIVE,
  ECWID_LIMIT_ABOVE_MAX_IS_CLAMPED,
  ECWID_PAGE_LIMIT,
} from "../../connectors/ecwid/ecwid.vendor-facts";
import { wrongParameter } from "./ecwid.validate";

/**
 * Query parameters of the Ecwid sandbox: filters (booleans, numbers, lists, both date forms),
 * the paged envelope with its 100 cap, sorting and `responseFields`. Shared by every resource.
 */

export type Query = Record<string, string>;

const BOOL_VALUES: Record<string, boolean> = {
  true: true,
  yes: true,
  on: true,
  "1": true,
  false: false,
  no: false,
  off: false,
  "0": false,
};

/** §2.2: the documented answer to a bad boolean. */
export function bool(q: Query, name: string): boolean | undefined {
  const v = q[name];
  if (v === undefined || v === "") return undefined;
  const b = BOOL_VALUES[v.toLowerCase()];
  if (b === undefined) {
    throw wrongParameter(
      `Wrong parameter '${name}' value: expected one of 'true', 'false', 'yes', 'no', 'on', 'off', '1', '0'`,
    );
  }
  return b;
}

export function int(q: Query, name: string): number | undefined {
  const v = q[name];
  if (v === undefined || v === "") return undefined;
  if (!/^-?\d+$/.test(v)) throw wrongParameter(`Wrong parameter '${name}' value`);
  return Number(v);
}

export function num(q: Query, name: string): number | undefined {
  const v = q[name];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw wrongParameter(`Wrong parameter '${name}' value`);
  return n;
}

export function list(q: Query, name: string): string[] | undefined {
  const v = q[name];
  if (v === undefined || v === "") return undefined;
  return v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

export function intList(q: Query, name: string): number[] | undefined {
  const l = list(q, name);
  if (!l) return undefined;
  return l.map((s) => {
    if (!/^\d+$/.test(s)) throw wrongParameter(`Wrong parameter '${name}' value`);
    return Number(s);
  });
}

/** §13: unix seconds or "yyyy-MM-dd HH:mm:ss Z" / "yyyy-MM-dd HH:mm:ss" / "yyyy-MM-dd"; → unix seconds. */
export function time(q: Query, name: string): number | undefined {
  const v = q[name];
  if (v === undefined || v === "") return undefined;
  const d = parseEcwidDate(v);
  if (!d) throw wrongParameter(`Wrong parameter '${name}' value`);
  return Math.floor(d.getTime() / 1000);
}

/** Both bounds inclusive (INFERRED, vendor facts). */
export function within(t: number, from: number | undefined, to: number | undefined): boolean {
  if (ECWID_DATE_BOUNDS_INCLUSIVE) return (from === undefined || t >= from) && (to === undefined || t <= to);
  return (from === undefined || t > from) && (to === undefined || t < to);
}

/** §2.1 envelope; limit default and maximum 100 (above: clamped and echoed as 100, INFERRED). */
/** one page of `items`; `render` (when given) runs for the records of the page only */
export function paged<T, R = T>(
  items: T[],
  q: Query,
  extra: Record<string, unknown> = {},
  render?: (item: T) => R,
): Record<string, unknown> {
  const offset = int(q, "offset") ?? 0;
  let limit = int(q, "limit") ?? ECWID_PAGE_LIMIT;
  if (offset < 0) throw wrongParameter("Wrong parameter 'offset' value");
  if (limit < 0) throw wrongParameter("Wrong parameter 'limit' value");
  if (limit > ECWID_PAGE_LIMIT) {
    if (!ECWID_LIMIT_ABOVE_MAX_IS_CLAMPED) throw wrongParameter("Wrong parameter 'limit' value");
    limit = ECWID_PAGE_LIMIT;
  }
  const page = items.slice(offset, offset + limit);
  return {
    total: items.length,
    count: page.length,
    offset,
    limit,
    items: render ? page.map(render) : page,
    ...extra,
  };
}

export const contains = (hay: string | undefined, needle: string) =>
  (hay ?? "").toLowerCase().includes(needle);

// ------------------------------------------------------------------ responseFields (§1.1)

type FieldTree = Map<string, FieldTree | null>;

/** "total,items(id,name,price)" → a tree of kept keys. */
export function parseResponseFields(spec: string): FieldTree {
  let i = 0;
  const parse = (): FieldTree => {
    const out: FieldTree = new Map();
    let name = "";
    const flush = (sub: FieldTree | null) => {
      const n = name.trim();
      if (n) out.set(n, sub);
      name = "";
    };
    while (i < spec.length) {
      const ch = spec[i++];
      if (ch === "(") flush(parse());
      else if (ch === ")") break;
      else if (ch === ",") flush(null);
      else name += ch;
    }
    flush(null);
    return out;
  };
  return parse();
}

export function applyResponseFields(value: unknown, tree: FieldTree): unknown {
  if (Array.isArray(value)) return value.map((v) => applyResponseFields(v, tree));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, sub] of tree) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    out[k] = sub ? applyResponseFields(v, sub) : v;
  }
  return out;
}

/** Sorts by `<KEY>_ASC|_DESC` when the key is known; the store order otherwise. */
export function sortRows<R>(
  rows: R[],
  sortBy: string | undefined,
  keys: Record<string, (r: R) => string | number>,
): R[] {
  const m = /^(.*)_(ASC|DESC)$/.exec(sortBy ?? "");
  const key = m ? keys[m[1]] : undefined;
  if (!m || !key) return rows;
  const dir = m[2] === "DESC" ? -1 : 1;
  return [...rows].sort((x, y) => {
    const a = key(x);
    const b = key(y);
    return dir * (a < b ? -1 : a > b ? 1 : 0);
  });
}
