/**
 * Field paths of the mapping engine: dot-separated keys with optional array indexes, e.g.
 * `customer.billingaddress.zipcode` or `orderrows[0].count`.
 */
type Segment = string | number;

const PATH = /^[A-Za-z_$][\w$-]*(\[\d+\])*(\.[A-Za-z_$][\w$-]*(\[\d+\])*)*$/;

export function isValidPath(path: string): boolean {
  return PATH.test(path);
}

export function parsePath(path: string): Segment[] {
  if (!isValidPath(path))
    throw new Error(`"${path}" is not a field path (use names joined by dots, e.g. customer.email)`);
  const out: Segment[] = [];
  for (const part of path.split(".")) {
    const m = /^([^[]+)((\[\d+\])*)$/.exec(part)!;
    out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of parsePath(path)) {
    if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const segs = parsePath(path);
  let cur: Record<string | number, unknown> = obj;
  segs.forEach((seg, i) => {
    if (i === segs.length - 1) {
      cur[seg] = value;
      return;
    }
    const next = cur[seg];
    if (next === null || next === undefined || typeof next !== "object") {
      cur[seg] = typeof segs[i + 1] === "number" ? [] : {};
    }
    cur = cur[seg] as Record<string | number, unknown>;
  });
}

export const isEmptyValue = (v: unknown) =>
  v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
