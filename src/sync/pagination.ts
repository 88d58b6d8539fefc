import { z } from "zod";
import { badInput } from "../common/errors";

/** Opaque cursors: base64url of a JSON position. */
export function encodeCursor(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString("base64url");
}

const BASE64URL = /^[A-Za-z0-9_-]{1,1000}$/;

/**
 * A cursor is client input: it is decoded into exactly the position shape its list wrote (a
 * strict zod schema), anything else is BAD_USER_INPUT before it reaches a query or a vendor.
 */
export function decodeCursor<T>(c: string | null | undefined, shape: z.ZodType<T>): T | undefined {
  if (!c) return undefined;
  const refused = () => badInput("The `after` cursor is not one this API returned.");
  if (!BASE64URL.test(c)) throw refused();
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(c, "base64url").toString("utf8"));
  } catch {
    throw refused();
  }
  const r = shape.safeParse(v);
  if (!r.success) throw refused();
  return r.data;
}

/** cursor position fields: offsets and ids as the lists write them */
export const cursorOffset = z.number().int().min(0).max(10_000_000);
export const cursorText = z.string().max(300);

export function pageSize(first: number | null | undefined, dflt: number, max = 200): number {
  const n = first ?? dflt;
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw badInput(`first must be a whole number from 1 to ${max}.`);
  return n;
}
