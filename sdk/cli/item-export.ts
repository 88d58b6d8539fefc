import { stringify } from "csv-stringify/sync";
import type { GatewayClient } from "../src/client";
import {
  SyncItemsDocument,
  SyncRunDocument,
  type ItemFieldsFragment,
  type FlowKind,
  type ItemStatus,
} from "../generated/graphql";

export interface ItemQuery {
  integrationId?: string;
  runId?: string;
  flow?: FlowKind;
  status?: ItemStatus;
  /** stop after this many items (default: all) */
  limit?: number;
}

const PAGE = 100;

/** Every item a query names, page by page (a run's items, or an integration's by flow and status). */
export async function* listItems(client: GatewayClient, q: ItemQuery): AsyncGenerator<ItemFieldsFragment> {
  let after: string | null | undefined;
  let n = 0;
  for (;;) {
    const first = Math.min(PAGE, q.limit !== undefined ? q.limit - n : PAGE);
    if (first <= 0) return;
    let page: {
      edges: { node: ItemFieldsFragment }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
    if (q.runId) {
      const run = (await client.request(SyncRunDocument, { id: q.runId, status: q.status, first, after }))
        .syncRun;
      if (!run) throw new Error(`There is no run ${q.runId} (or it belongs to another workspace).`);
      page = run.items;
    } else {
      page = (
        await client.request(SyncItemsDocument, {
          integrationId: q.integrationId!,
          flow: q.flow,
          status: q.status,
          first,
          after,
        })
      ).syncItems;
    }
    for (const e of page.edges) {
      n++;
      yield e.node;
    }
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
    after = page.pageInfo.endCursor;
  }
}

/** the columns of a CSV export: what a person filters on in a spreadsheet (payloads: use JSON lines) */
export const CSV_COLUMNS = [
  "id",
  "runId",
  "entity",
  "sourceId",
  "targetId",
  "sku",
  "action",
  "status",
  "errorCode",
  "reason",
  "attempts",
  "updatedAt",
] as const;

export function csvHeader(): string {
  return stringify([], { header: true, columns: [...CSV_COLUMNS] });
}

export function csvRow(item: ItemFieldsFragment): string {
  return stringify([CSV_COLUMNS.map((c) => item[c])]);
}

/** one item as a JSON line: everything, payloads and field changes included */
export function jsonLine(item: ItemFieldsFragment): string {
  return `${JSON.stringify(item)}\n`;
}
