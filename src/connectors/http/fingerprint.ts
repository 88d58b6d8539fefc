import { createHash } from "node:crypto";

/** A stable, non-reversible id for a credential: budgets and circuits are keyed by it, never by the secret. */
export function credentialFingerprint(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 16);
}
