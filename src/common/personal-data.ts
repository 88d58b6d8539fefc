/**
 * Recognising and removing a person's data in text and JSON. Used by erasure (erasePersonalData)
 * and, for e-mail addresses, as a last line of defence wherever free text is written (item
 * reasons, event messages, log lines): vendor error messages may echo what they refused.
 */
export const ERASED = "[erased]";

const EMAIL_IN_TEXT = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** replaces every e-mail address in a text with "[e-mail]" */
export function redactEmails<T extends string | null | undefined>(text: T): T {
  if (!text) return text;
  return text.replace(EMAIL_IN_TEXT, "[e-mail]") as T;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A matcher for a person's identifiers (an e-mail address, names): case-insensitive, whole words
 * only (a name "Jan" does not touch "January").
 */
export class Identifiers {
  readonly values: string[];
  private readonly re: RegExp | null;

  constructor(values: string[]) {
    this.values = [...new Set(values.map((v) => v.trim()).filter((v) => v.length >= 3))].sort(
      (a, b) => b.length - a.length,
    );
    this.re = this.values.length
      ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${this.values.map(escape).join("|")})(?![\\p{L}\\p{N}])`, "giu")
      : null;
  }

  in(text: string | null | undefined): boolean {
    if (!text || !this.re) return false;
    this.re.lastIndex = 0;
    return this.re.test(text);
  }

  scrub(text: string): string {
    if (!this.re) return text;
    this.re.lastIndex = 0;
    return text.replace(this.re, ERASED);
  }

  /** the same, through every string of a JSON value */
  scrubDeep(v: unknown): unknown {
    if (typeof v === "string") return this.scrub(v);
    if (Array.isArray(v)) return v.map((x) => this.scrubDeep(x));
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = this.scrubDeep(x);
      return out;
    }
    return v;
  }
}

const NAME_KEYS = new Set([
  "name",
  "firstname",
  "lastname",
  "first_name",
  "last_name",
  "firstName",
  "lastName",
  "fullname",
  "fullName",
  "contactname",
  "contact_name",
  "contactName",
]);
const LAST_NAME_KEYS = new Set(["lastname", "last_name", "lastName"]);
const FIRST_NAME_KEYS = new Set(["firstname", "first_name", "firstName"]);

/**
 * Names found in records that carry the person's e-mail: full names (as written, and first + last
 * joined) and last names. First names alone are not used (too common to erase elsewhere); the
 * records they sit in are erased whole.
 */
const PERSON_OBJECT = /person|customer|address|userinfo|personalinfo|contact|billing|delivery|user/i;

export function namesIn(v: unknown, out = new Set<string>(), inPerson = false): Set<string> {
  if (Array.isArray(v)) {
    for (const x of v) namesIn(x, out, inPerson);
    return out;
  }
  if (!v || typeof v !== "object") return out;
  const o = v as Record<string, unknown>;
  let first: string | undefined;
  let last: string | undefined;
  for (const [k, x] of Object.entries(o)) {
    if (typeof x === "string" && NAME_KEYS.has(k) && x.trim().length >= 2) {
      if (FIRST_NAME_KEYS.has(k)) first = x.trim();
      else if (LAST_NAME_KEYS.has(k)) {
        last = x.trim();
        out.add(last);
      } else if (inPerson && /\s/.test(x.trim())) out.add(x.trim());
    } else if (x && typeof x === "object") namesIn(x, out, inPerson || PERSON_OBJECT.test(k));
  }
  if (first && last) out.add(`${first} ${last}`);
  return out;
}
