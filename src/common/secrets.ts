/**
 * How secrets are shown: a short prefix and the length ("secret_ab… (38 chars)"), never a suffix,
 * never enough to rebuild the value.
 */
export function maskSecret(value: string | null | undefined): string {
  if (!value) return "(not set)";
  const shown = Math.min(9, Math.floor(value.length / 4));
  return `${value.slice(0, shown)}… (${value.length} chars)`;
}

/**
 * True when a value looks like something the gateway itself displayed (a mask), so that a user who
 * pasted back a masked credential is told so instead of the gateway storing "abc… (32 chars)".
 */
export function looksMasked(value: string): boolean {
  return value.includes("…") || /\(\d+ chars\)\s*$/.test(value) || value === "(not set)";
}
