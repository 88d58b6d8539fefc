/**
 * "Same shape" for JSON: the same keys with the same JSON types, recursively (arrays element by
 * element). Returns the differences as paths, so a failing assertion says where.
 */

const kind = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

function walk(a: unknown, b: unknown, path: string, subset: boolean, out: string[]): void {
  if (kind(a) !== kind(b)) {
    out.push(`${path}: ${kind(a)} vs ${kind(b)}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (!subset && a.length !== b.length) out.push(`${path}: ${a.length} vs ${b.length} elements`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) walk(a[i], b[i], `${path}[${i}]`, subset, out);
    return;
  }
  if (kind(a) === "object") {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    for (const k of Object.keys(x)) {
      if (!(k in y)) out.push(`${path}.${k}: missing`);
      else walk(x[k], y[k], `${path}.${k}`, subset, out);
    }
    if (!subset) for (const k of Object.keys(y)) if (!(k in x)) out.push(`${path}.${k}: extra`);
  }
}

/** Differences between the shapes of `expected` and `actual` (empty = same shape). */
export function shapeDiff(expected: unknown, actual: unknown): string[] {
  const out: string[] = [];
  walk(expected, actual, "$", false, out);
  return out;
}

/** Keys of `sent` missing from `actual` or typed differently (extra keys in `actual` are fine). */
export function shapeSubsetDiff(sent: unknown, actual: unknown): string[] {
  const out: string[] = [];
  walk(sent, actual, "$", true, out);
  return out;
}
