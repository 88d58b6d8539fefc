import type { DiscoveredRecord, FlowRuntime, SourceRecord } from "./flow-definition";

/**
 * A budgeted, resumable full scan for sources that offer no updated-since filter (CCV products):
 * each run reads at most `pagesPerRun` pages, starting where the previous run stopped (the position
 * is kept in the integration's state, so a catalogue of any size is covered across runs without
 * one run spending the whole rate budget), and yields only the records whose fingerprint differs
 * from the last-synced hash (new or changed ones). After the last page the next run starts over.
 * Within a run, each page's position is also a checkpoint, so a resumed run continues there.
 */
export interface ReconcileOptions<T> {
  /** key of the scan position in the integration state, e.g. "scan:PRODUCTS_CCV_TO_ECWID" */
  key: string;
  pagesPerRun: number;
  pageSize: number;
  fetchPage(start: number, size: number): Promise<{ items: T[]; hasNext: boolean }>;
  toRecord(item: T): SourceRecord;
  /** whether the record is to be synced: new, or its fingerprint differs from the last-synced hash */
  changed(item: T): Promise<boolean>;
  /** keep the scan position between runs (false in a dry run: a preview must not move it) */
  persist?: boolean;
}

export interface ReconcileState {
  /** where the next page starts */
  start: number;
}

export async function* reconcileScan<T>(
  rt: FlowRuntime,
  o: ReconcileOptions<T>,
  checkpoint: unknown,
): AsyncGenerator<DiscoveredRecord> {
  const saved = Number((await rt.state.get(o.key)) ?? "0");
  let start =
    typeof (checkpoint as ReconcileState | undefined)?.start === "number"
      ? (checkpoint as ReconcileState).start
      : saved;
  for (let pages = 0; pages < o.pagesPerRun; pages++) {
    const page = await o.fetchPage(start, o.pageSize);
    const next = page.hasNext ? start + page.items.length : 0;
    let last: DiscoveredRecord | undefined;
    for (const item of page.items) {
      if (!(await o.changed(item))) continue;
      if (last) yield last;
      last = { record: o.toRecord(item) };
    }
    // the page's last changed record carries the position after the page: once it is recorded, a
    // resumed run continues with the next page
    if (last) yield { ...last, checkpoint: { start: next } satisfies ReconcileState };
    start = next;
    if (o.persist !== false) await rt.state.set(o.key, String(start));
    if (start === 0) break;
  }
}
