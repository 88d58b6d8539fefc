/**
 * JSON the way PHP's `json_encode` writes it by default (reference §2.2, §7.4): `/` escaped as `\/`
 * and every non-ASCII UTF-16 code unit as `\uXXXX` (astral characters become surrogate pairs).
 * Numbers print without trailing zeros (590, 102.4), as both PHP 7.1+ and JavaScript do. Real CCV
 * responses look like this, so clients must verify signatures over the raw bytes, never over a
 * re-serialisation.
 */
export function phpJsonEncode(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return "null";
  // In JSON text a "/" or a non-ASCII character can only occur inside a string: replacing them
  // textually is safe.
  return text
    .replace(/\//g, "\\/")
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
