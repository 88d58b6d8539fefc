/**
 * Street lines ⇄ street name, house number and suffix. Ecwid keeps an address in free street lines
 * ("Dorpsstraat 12a", lines joined with "\n"); CCV SalesPOS wants the street, an integer house
 * number and a suffix apart. Pure functions, no locale data: the rules cover the Dutch and German
 * forms ("Dorpsstraat 12a", "Kerkstraat 12-14", "Laan van Meerdervoort 1001 B",
 * "2e Helmersstraat 5 hs", "Straße des 17. Juni 135", "Musterweg 12 - 14") and the
 * number-first form ("12 Main Street").
 */

export interface StreetParts {
  /** the street name; the whole first line when no house number was found */
  street: string;
  /** the house number's digits ("12"), or null when the line has none */
  houseNumber: string | null;
  /** what follows the number: "a", "B", "hs", "-14" (a range keeps its dash); null when nothing */
  suffix: string | null;
  /** further street lines (Ecwid joins lines with "\n"), joined with ", "; null when there are none */
  line2: string | null;
}

// A trailing house number: the street must not end in a digit, a dash or a slash, so that in
// "Musterweg 12 - 14" and "Straße des 17. Juni 135" the number is the last one on the line.
const TRAILING =
  /^(?<street>.*[^\d\s\-–/,]),?\s+(?<num>\d{1,6})(?:\s*(?<range>[-–/]\s*[\p{L}\d]{1,6})|(?<glued>\p{L}{1,4}(?:[-/]?[\p{L}\d]{1,3})?)|\s+(?<word>\p{L}{1,3}))?$/u;
// A leading house number ("12 Main Street", "12-14 High Road"): digits followed by a space, so
// an ordinal that is part of the name ("2e Helmersstraat", "1st Avenue") is never taken for one.
const LEADING = /^(?<num>\d{1,6})(?:\s*(?<range>[-–/]\s*\d{1,6}))?\s+(?<street>\p{L}.*)$/u;

const squash = (s: string) => s.replace(/\s+/g, " ").trim();
const rangeSuffix = (r: string) => r.replace(/\s+/g, "").replace("–", "-");

/**
 * Splits a street line into street, house number and suffix. Given several lines (joined with
 * "\n"), the first is split and the others are returned as `line2`. A line without a
 * recognisable number comes back whole in `street` with `houseNumber` null.
 */
export function splitStreet(line: string): StreetParts {
  const lines = line
    .split("\n")
    .map(squash)
    .filter((l) => l !== "");
  const first = lines[0] ?? "";
  const line2 = lines.length > 1 ? lines.slice(1).join(", ") : null;
  const t = TRAILING.exec(first)?.groups;
  if (t) {
    const suffix = t.range ? rangeSuffix(t.range) : (t.glued ?? t.word ?? null);
    return { street: t.street.trim(), houseNumber: t.num, suffix, line2 };
  }
  const l = LEADING.exec(first)?.groups;
  if (l)
    return {
      street: l.street.trim(),
      houseNumber: l.num,
      suffix: l.range ? rangeSuffix(l.range) : null,
      line2,
    };
  return { street: first, houseNumber: null, suffix: null, line2 };
}

/**
 * One street line from its parts: "Dorpsstraat 12a", "Kerkstraat 12-14", "2e Helmersstraat 5 hs".
 * A single letter or a suffix starting with "-" or "/" is written against the number; a longer
 * suffix after a space. Empty parts are left out.
 */
export function joinStreet(
  street: string | null | undefined,
  houseNumber: string | number | null | undefined,
  suffix?: string | null,
): string {
  const num = houseNumber === null || houseNumber === undefined ? "" : String(houseNumber).trim();
  const suf = (suffix ?? "").trim();
  const glue = /^[-–/]/.test(suf) || /^\p{L}$/u.test(suf) ? "" : " ";
  const number = num === "" ? "" : suf === "" ? num : `${num}${glue}${suf}`;
  return [street?.trim() ?? "", number].filter((p) => p !== "").join(" ");
}
