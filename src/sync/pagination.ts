import { badInput } from "../common/errors";

/** Opaque cursors: base64url of a JSON position. */
export function encodeCursor(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString("base64url");
}

export function decodeCursor<T>(c: string | null | undefined): T | undefined {
  if (!c) return undefined;
  try {
    return JSON.parse(Buffer.from(c, "base64url").toString("utf8")) as T;
  } catch {
    throw badInput("The `after` cursor is not one this API returned.");
  }
}

export function pageSize(first: number | null | undefined, dflt: number, max = 200): number {
  const n = first ?? dflt;
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw badInput(`first must be a whole number from 1 to ${max}.`);
  return n;
}
