import { ccvUserToCustomer, type CcvUser } from "../../connectors/ccv-salespos";
import { mapEcwidCustomer } from "../../connectors/ecwid";
import { normalizeEmail, type Customer } from "../../domain/party";
import type { IntegrationClients } from "../engine/flow-definition";
import { SnapshotCache } from "./snapshot-cache";

/** One person as both systems know them: joined by normalized e-mail. */
export interface DirectoryEntry {
  email: string;
  ecwid: Customer | null;
  ccv: Customer | null;
}

/**
 * Customers of both systems joined by e-mail and sorted by it. Records without an e-mail cannot be
 * joined or named in the unified list and are left out; two accounts with one e-mail in one system:
 * the first one listed (Ecwid: oldest registration, CCV: lowest id) wins, like CCV's e-mail index.
 */
export function joinByEmail(ecwid: Customer[], ccv: Customer[]): DirectoryEntry[] {
  const byEmail = new Map<string, DirectoryEntry>();
  for (const c of ecwid) {
    const email = normalizeEmail(c.email);
    if (email && !byEmail.has(email)) byEmail.set(email, { email, ecwid: c, ccv: null });
  }
  for (const c of ccv) {
    const email = normalizeEmail(c.email);
    if (!email) continue;
    const e = byEmail.get(email);
    if (!e) byEmail.set(email, { email, ecwid: null, ccv: c });
    else if (!e.ccv) e.ccv = c;
  }
  return [...byEmail.values()].sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}

/**
 * One page of the directory after the e-mail `after` (keyset: a cursor names the last e-mail seen,
 * so customers added or removed on either side never shift the pages that follow), optionally
 * only e-mails containing `search`.
 */
export function directoryPage(
  entries: readonly DirectoryEntry[],
  opts: { search?: string; after?: string; first: number },
): { entries: DirectoryEntry[]; hasNextPage: boolean } {
  const q = opts.search?.trim().toLowerCase();
  const after = opts.after;
  const matching = entries.filter(
    (e) => (!q || e.email.includes(q)) && (after === undefined || e.email > after),
  );
  return { entries: matching.slice(0, opts.first), hasNextPage: matching.length > opts.first };
}

/**
 * Short-lived customer directories per integration for unified reads. Neither vendor can look up
 * many e-mails in one call (and CCV has no e-mail filter at all), so a read pages both customer
 * lists once (Ecwid 100, CCV 250 per call) and serves every page of the next `ttlMs` from the join.
 */
export class CustomerDirectoryCache {
  private readonly snapshots: SnapshotCache<DirectoryEntry[]>;

  constructor(ttlMs = 60_000) {
    this.snapshots = new SnapshotCache(ttlMs);
  }

  get(integrationId: string, clients: IntegrationClients): Promise<DirectoryEntry[]> {
    return this.snapshots.get(integrationId, async () => {
      const [ecwid, ccv] = await Promise.all([
        (async () => {
          const out: Customer[] = [];
          // oldest first, so "the first account with an e-mail" is the oldest one
          for await (const c of clients.ecwid.paginateCustomers({ sortBy: "REGISTERED_DATE_ASC" }))
            out.push(mapEcwidCustomer(c));
          return out;
        })(),
        (async () => {
          const out: Customer[] = [];
          for await (const u of clients.ccv.paginate<CcvUser>("/users", { orderby: "id" }))
            out.push(ccvUserToCustomer(u));
          return out;
        })(),
      ]);
      return joinByEmail(ecwid, ccv);
    });
  }

  invalidate(integrationId: string): void {
    this.snapshots.invalidate(integrationId);
  }
}
