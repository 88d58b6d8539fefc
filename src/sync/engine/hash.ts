import { createHash } from "node:crypto";

/** JSON with sorted keys, so equal data always gives equal text (and equal hashes). */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(",")}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(",")}}`;
}

/** The last-synced hash of normalised mapped fields (echo suppression, "unchanged" skips). */
export function hashOf(v: unknown): string {
  return createHash("sha256").update(stableStringify(v)).digest("hex");
}

/** Field-level changes between what the target has and what we send (for the activity log). */
export function diffFields(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown>,
  prefix = "",
) {
  const changes: { field: string; before: unknown; after: unknown }[] = [];
  for (const [k, a] of Object.entries(after)) {
    const field = prefix ? `${prefix}.${k}` : k;
    const b = before ? before[k] : undefined;
    if (
      a &&
      typeof a === "object" &&
      !Array.isArray(a) &&
      (b === undefined || (b && typeof b === "object" && !Array.isArray(b)))
    ) {
      changes.push(
        ...diffFields((b as Record<string, unknown>) ?? null, a as Record<string, unknown>, field),
      );
    } else if (stableStringify(a) !== stableStringify(b)) {
      changes.push({ field, before: b ?? null, after: a ?? null });
    }
  }
  return changes;
}
