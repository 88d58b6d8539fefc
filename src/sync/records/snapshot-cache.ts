/**
 * Short-lived snapshots per key (e.g. "<integrationId>:ECWID"): the first read loads, reads in the
 * next `ttlMs` share the result (and a load in flight), a failed load is forgotten at once. For
 * unified reads that must page a whole upstream collection because neither vendor can look up many
 * records in one call. Writes never read from here.
 */
export class SnapshotCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = load();
    this.entries.set(key, { at: this.now(), value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  /** forgets every snapshot whose key starts with `prefix` */
  invalidate(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
