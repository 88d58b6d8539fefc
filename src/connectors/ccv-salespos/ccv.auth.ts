import { createHmac } from "node:crypto";
import { constantTimeEqual } from "../../common/crypto";

/**
 * CCV request signing and response verification (reference §2). Pure functions: the connector signs
 * with them, the sandbox checks with them.
 *
 * String to sign: `<x-public>|<METHOD>|<uri>|<body>|<x-date>` where `uri` is path + query exactly
 * as sent (percent-encoding untouched), `body` the exact JSON text transmitted ('' for GET/DELETE)
 * and `x-date` the literal header text. `x-hash` = lower-case hex HMAC-SHA512 keyed by the secret.
 */

export interface CcvSignatureParts {
  publicKey: string;
  method: string;
  /** path + query exactly as on the wire, without scheme and host */
  uri: string;
  /** the exact bytes or text sent/received; '' when there is no body */
  body: string | Buffer;
  /** the literal x-date header value */
  date: string;
}

/** hex(HMAC-SHA512(secret, public|METHOD|uri|body|date)); the body is hashed as raw bytes. */
export function ccvHash(secretKey: string, p: CcvSignatureParts): string {
  const h = createHmac("sha512", secretKey);
  h.update(`${p.publicKey}|${p.method.toUpperCase()}|${p.uri}|`, "utf8");
  if (typeof p.body === "string") h.update(p.body, "utf8");
  else h.update(p.body);
  h.update(`|${p.date}`, "utf8");
  return h.digest("hex");
}

/** `YYYY-MM-DDTHH:mm:ssZ` in UTC, no milliseconds (the docs' own example format, §2.1). */
export function ccvDate(at: Date = new Date()): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The three auth headers of one request attempt. */
export function signCcvRequest(
  publicKey: string,
  secretKey: string,
  method: string,
  uri: string,
  body: string,
  date: string = ccvDate(),
): Record<"x-public" | "x-date" | "x-hash", string> {
  return {
    "x-public": publicKey,
    "x-date": date,
    "x-hash": ccvHash(secretKey, { publicKey, method, uri, body, date }),
  };
}

/** Constant-time comparison of two hex digests (case-insensitive, as hex is). */
export function hashesEqual(expected: string, received: string | undefined): boolean {
  if (!received) return false;
  return constantTimeEqual(expected.toLowerCase(), received.trim().toLowerCase());
}

/**
 * Checks a response signature (§2.2): the server signs `public|request METHOD|request uri|raw
 * response body|response x-date`. Must be given the raw bytes: real responses are PHP-encoded
 * (`\/`), so a re-serialised object would never match.
 */
export function verifyCcvResponse(
  secretKey: string,
  p: {
    publicKey: string;
    method: string;
    uri: string;
    rawBody: Buffer | string;
    date?: string;
    hash?: string;
  },
): boolean {
  if (!p.date || !p.hash) return false;
  const expected = ccvHash(secretKey, {
    publicKey: p.publicKey,
    method: p.method,
    uri: p.uri,
    body: p.rawBody,
    date: p.date,
  });
  return hashesEqual(expected, p.hash);
}

/**
 * Parses an x-date leniently (§2.1: `…Z`, `+00:00`, `+0000`, even unpadded day/hour are used by
 * working clients). Returns epoch ms or undefined.
 */
export function parseCcvDate(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(
      value.trim(),
    );
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  if (frac) t += Math.round(Number(`0.${frac}`) * 1000);
  if (tz && tz.toUpperCase() !== "Z") {
    const sign = tz.startsWith("-") ? -1 : 1;
    const digits = tz.slice(1).replace(":", "");
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
    t -= sign * offsetMin * 60_000;
  }
  return Number.isFinite(t) ? t : undefined;
}
