import type { ObjectLiteral, SelectQueryBuilder } from "typeorm";
import { z } from "zod";
import { cursorOffset, decodeCursor, encodeCursor, pageSize } from "../sync/pagination";
import type { Page } from "../sync/run.service";

/**
 * One page of an append-only table, newest first, by its numeric id (alerts, deliveries, audit
 * entries): the filtered total, then the rows before the cursor.
 */
export async function newestFirst<T extends ObjectLiteral & { id: number }>(
  qb: SelectQueryBuilder<T>,
  first: number | undefined,
  after: string | undefined,
  dflt: number,
): Promise<Page<T>> {
  const n = pageSize(first, dflt);
  const pos = decodeCursor(after, z.object({ id: cursorOffset }).strict());
  const a = qb.alias;
  const totalCount = await qb.getCount();
  if (pos) qb.andWhere(`${a}.id < :pageAfter`, { pageAfter: pos.id });
  const rows = await qb
    .orderBy(`${a}.id`, "DESC")
    .take(n + 1)
    .getMany();
  const nodes = rows.slice(0, n).map((r) => ({ cursor: encodeCursor({ id: r.id }), node: r }));
  return { nodes, hasNextPage: rows.length > n, endCursor: nodes.at(-1)?.cursor ?? null, totalCount };
}
