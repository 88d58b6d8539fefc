import { createHash } from "node:crypto";
import { normalizeEmail } from "../../domain/party";

/**
 * CCV `users` cannot be filtered by e-mail (§3.4 lists only `approval_status`), so the connector
 * keeps an index e-mail hash → user id: filled by paging all users once (and again when it is older
 * than a maximum age), updated on every create, and verified on every hit. Keys are hashes so the
 * index holds no personal data in clear.
 *
 * The engine provides a database-backed implementation; the in-memory one serves a single process.
 */
export interface CustomerEmailIndex {
  get(emailHash: string): Promise<string | undefined>;
  set(emailHash: string, userId: string): Promise<void>;
  setMany(entries: [string, string][]): Promise<void>;
  /** drops a stale entry (the user was deleted or its e-mail changed) */
  delete(emailHash: string): Promise<void>;
  size(): Promise<number>;
  lastRefreshedAt(): Promise<Date | undefined>;
  markRefreshed(at: Date): Promise<void>;
}

/** sha256 hex of the normalised (trimmed, lower-cased) e-mail; undefined for an empty one. */
export function emailHash(email: string | null | undefined): string | undefined {
  const n = normalizeEmail(email);
  return n === null ? undefined : createHash("sha256").update(n, "utf8").digest("hex");
}

export class InMemoryCustomerEmailIndex implements CustomerEmailIndex {
  private readonly map = new Map<string, string>();
  private refreshedAt: Date | undefined;

  async get(h: string): Promise<string | undefined> {
    return this.map.get(h);
  }
  async set(h: string, userId: string): Promise<void> {
    this.map.set(h, userId);
  }
  async setMany(entries: [string, string][]): Promise<void> {
    for (const [h, id] of entries) this.map.set(h, id);
  }
  async delete(h: string): Promise<void> {
    this.map.delete(h);
  }
  async size(): Promise<number> {
    return this.map.size;
  }
  async lastRefreshedAt(): Promise<Date | undefined> {
    return this.refreshedAt;
  }
  async markRefreshed(at: Date): Promise<void> {
    this.refreshedAt = at;
  }
}
