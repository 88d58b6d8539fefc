/**
 * Field paths of the mapping engine: dot-separated keys with optional array indexes, e.g.
 * `customer.billingaddress.zipcode` or `orderrows[0].count`.
 *
 * Paths come from users (saved mappings), so every segment is checked against an allow-list: a
 * name is identifier-like, an index is a small whole number, and the names that reach an object's
 * prototype (`__proto__`, `prototype`, `constructor`) are never a field. Reads follow own
 * properties only, and writes create objects without a prototype, so no path can read or change
 * what every object in the process shares.
 */
type Segment = string | number;

/** keys that reach or replace an object's prototype: never a field name, wherever a key comes from */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "prototype", "constructor"]);

const NAME = /^[A-Za-z_$][\w$-]{0,99}$/;
const PART = /^([^[\]]+)((?:\[\d{1,6}\])*)$/;
/** longest path accepted (a real payload path has a handful of segments) */
export const MAX_PATH_LENGTH = 300;

export const isSafeKey = (k: string): boolean => !FORBIDDEN_KEYS.has(k);

/** Why a path is not acceptable, or null when it is. */
export function pathProblem(path: string): string | null {
  if (typeof path !== "string" || path === "") return "is empty";
  if (path.length > MAX_PATH_LENGTH) return `is longer than ${MAX_PATH_LENGTH} characters`;
  for (const part of path.split(".")) {
    const m = PART.exec(part);
    if (!m || !NAME.test(m[1])) return "is not a field path (names joined by dots, e.g. customer.email)";
    if (FORBIDDEN_KEYS.has(m[1])) return `uses "${m[1]}", which is not a field name`;
  }
  return null;
}

export function isValidPath(path: string): boolean {
  return pathProblem(path) === null;
}

/**
 * Parsed paths, kept because a run applies the same few dozen mapping paths to every record;
 * bounded (emptied when full) since paths come from users.
 */
const PARSED = new Map<string, readonly Segment[]>();
const PARSED_MAX = 5_000;

export function parsePath(path: string): readonly Segment[] {
  const known = PARSED.get(path);
  if (known) return known;
  const problem = pathProblem(path);
  if (problem) throw new Error(`"${path}" ${problem}`);
  const out: Segment[] = [];
  for (const part of path.split(".")) {
    const m = PART.exec(part)!;
    out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  if (PARSED.size >= PARSED_MAX) PARSED.clear();
  PARSED.set(path, Object.freeze(out));
  return PARSED.get(path)!;
}

const own = (o: object, k: Segment): boolean => Object.prototype.hasOwnProperty.call(o, k);

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of parsePath(path)) {
    if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
    // own properties only: `toString` or `hasOwnProperty` are not fields of a record
    if (!own(cur, seg)) return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** A plain object without prototype: whatever key is written into it stays an own property. */
export const bareObject = (): Record<string, unknown> => Object.create(null) as Record<string, unknown>;

export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const segs = parsePath(path);
  let cur: Record<string | number, unknown> = obj;
  segs.forEach((seg, i) => {
    if (i === segs.length - 1) {
      Object.defineProperty(cur, seg, { value, enumerable: true, writable: true, configurable: true });
      return;
    }
    const next = own(cur, seg) ? cur[seg] : undefined;
    if (next === null || next === undefined || typeof next !== "object") {
      Object.defineProperty(cur, seg, {
        value: typeof segs[i + 1] === "number" ? [] : bareObject(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    cur = cur[seg] as Record<string | number, unknown>;
  });
}

/**
 * The first key of a JSON value (user input: a default value, a setting) that is not acceptable as
 * a field name, as a path, or null. Such keys are refused rather than dropped, so the user sees
 * why.
 */
export function unsafeKeyIn(v: unknown, at = "", depth = 0): string | null {
  if (depth > 64) return at || "(root)";
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = unsafeKeyIn(v[i], `${at}[${i}]`, depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  if (v && typeof v === "object") {
    for (const k of Object.keys(v)) {
      const here = at ? `${at}.${k}` : k;
      if (!isSafeKey(k)) return here;
      const bad = unsafeKeyIn((v as Record<string, unknown>)[k], here, depth + 1);
      if (bad) return bad;
    }
  }
  return null;
}

export const isEmptyValue = (v: unknown) =>
  v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
