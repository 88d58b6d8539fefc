import { formatEcwidDate, parseEcwidDate } from "../../connectors/ecwid/ecwid.dates";
import type { EcwidDeletedItem } from "../../connectors/ecwid/ecwid.types";
import type { SandboxRouter } from "../common/sandbox-router";
import type { EcwidSandboxStore } from "./ecwid.store";
import type { Query } from "./ecwid.query";
import type { EcwidApiError } from "./ecwid.validate";

/**
 * The pieces every Ecwid resource module is built from: a table of stored rows (a Map by id with
 * the resource's behaviour on it), and the route table its HTTP routes go into.
 */

/** A stored entity with the times Ecwid reports for it. */
export interface Row<T> {
  data: T;
  /** unix seconds */
  created: number;
  updated: number;
}

/** An Ecwid date string (§13) as unix seconds; undefined when absent or unreadable. */
export const toSeconds = (s: string | undefined): number | undefined => {
  const d = parseEcwidDate(s);
  return d ? Math.floor(d.getTime() / 1000) : undefined;
};

interface Deleted {
  id: number;
  orderId?: string;
  at: number;
}

/** Rows of one Ecwid resource by numeric id, with the log of what was deleted (§10.3). */
export abstract class EcwidTable<R extends Row<unknown>> extends Map<number, R> {
  private readonly deletedLog: Deleted[] = [];

  constructor(
    protected readonly store: EcwidSandboxStore,
    /** Ecwid's 404 for this resource (`Product #<id> not found`, PRODUCT_NOT_FOUND…) */
    protected readonly notFound: (id: number | string) => EcwidApiError,
  ) {
    super();
  }

  /** The stored row, or Ecwid's 404. */
  row(id: number): R {
    const row = this.get(id);
    if (!row) throw this.notFound(id);
    return row;
  }

  rows(): R[] {
    return [...this.values()];
  }

  protected bump(row: Row<unknown>): void {
    row.updated = this.store.now();
  }

  protected logDeleted(id: number, orderId?: string): void {
    this.deletedLog.push(
      orderId === undefined ? { id, at: this.store.now() } : { id, orderId, at: this.store.now() },
    );
  }

  /** `GET /<resource>/deleted`: what was deleted between `from` and `to` (unix seconds). */
  deletedItems(from?: number, to?: number): EcwidDeletedItem[] {
    return this.deletedLog
      .filter((d) => (from === undefined || d.at >= from) && (to === undefined || d.at <= to))
      .map((d) => {
        const item: EcwidDeletedItem = { id: d.id, date: formatEcwidDate(new Date(d.at * 1000)) };
        if (d.orderId !== undefined) item.orderId = d.orderId;
        return item;
      });
  }
}

// ---------------------------------------------------------------------------------------------
// routes

/** One API call as a route handler sees it (also each inner request of a batch). */
export interface EcwidRequest {
  method: string;
  /** path relative to /api/v3/{storeId}, without the query string */
  path: string;
  query: Query;
  /** parsed JSON body, undefined when empty */
  body: unknown;
  /** the raw bytes of an image upload (§6.1), when sent with an image content type */
  raw?: Buffer;
  /** path parameters by name, checked by the server: `{…Id}` are integers, `{orderId}` is decoded text */
  params: Record<string, string>;
}

export interface EcwidResult {
  status: number;
  body: unknown;
}

export type EcwidRouter = SandboxRouter<(req: EcwidRequest) => EcwidResult>;

export const ok = (body: unknown): EcwidResult => ({ status: 200, body });

/** An integer path parameter (already checked by the server). */
export const idParam = (req: EcwidRequest, name: string): number => Number(req.params[name]);
