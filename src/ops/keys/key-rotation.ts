import type { DataSource, ObjectLiteral } from "typeorm";
import type { Logger } from "pino";
import { SecretBox } from "../../common/crypto";
import { SECRET_COLUMNS, type SecretColumnSet } from "./secret-columns";

export interface RotationReport {
  /** the key every secret is (now) under */
  keyId: string;
  reencrypted: number;
  alreadyCurrent: number;
  /** values that changed under us while rotating (a user replaced them): left as written */
  skippedConcurrent: number;
  /** values no configured key can read, by place */
  unreadable: { place: string; row: string; reason: string }[];
  /** values still under another key after the pass (check mode: the values that would be rotated) */
  remaining: number;
  byKeyBefore: Record<string, number>;
}

const BATCH = 200;

/**
 * Re-encrypts every stored secret under the current key (GATEWAY_ENCRYPTION_KEY), reading old
 * values with GATEWAY_ENCRYPTION_KEY_PREVIOUS. One row at a time, each its own compare-and-set
 * UPDATE (the value must still be the one read), so the pass can be interrupted and run again at
 * any moment and runs safely beside a live gateway: a credential a user replaces meanwhile is
 * left as the user wrote it (already under the current key). With `check`, nothing is written.
 */
export async function rotateSecrets(
  ds: DataSource,
  box: SecretBox,
  opts: { check?: boolean; logger?: Logger } = {},
): Promise<RotationReport> {
  const report: RotationReport = {
    keyId: box.keyId,
    reencrypted: 0,
    alreadyCurrent: 0,
    skippedConcurrent: 0,
    unreadable: [],
    remaining: 0,
    byKeyBefore: {},
  };
  for (const set of SECRET_COLUMNS) await rotateSet(ds, box, set, report, !!opts.check);
  opts.logger?.info(
    {
      keyId: report.keyId,
      reencrypted: report.reencrypted,
      alreadyCurrent: report.alreadyCurrent,
      unreadable: report.unreadable.length,
    },
    opts.check ? "encryption key check done" : "encryption key rotation done",
  );
  return report;
}

async function rotateSet(
  ds: DataSource,
  box: SecretBox,
  set: SecretColumnSet,
  report: RotationReport,
  check: boolean,
): Promise<void> {
  const repo = ds.getRepository<ObjectLiteral>(set.entity);
  const meta = repo.metadata;
  const order = Object.fromEntries(set.keys.map((k) => [k, "ASC" as const]));
  const select = Object.fromEntries([...set.keys, ...set.columns.map((c) => c.prop)].map((k) => [k, true]));
  for (let skip = 0; ; skip += BATCH) {
    const rows = await repo.find({ select, order, skip, take: BATCH });
    for (const row of rows) {
      const where = Object.fromEntries(set.keys.map((k) => [k, row[k]]));
      for (const col of set.columns) {
        const stored = row[col.prop] as string | null;
        if (!stored) continue;
        const keyId = SecretBox.keyIdOf(stored) ?? "unknown";
        report.byKeyBefore[keyId] = (report.byKeyBefore[keyId] ?? 0) + 1;
        if (box.isCurrent(stored)) {
          report.alreadyCurrent++;
          continue;
        }
        const place = `${set.name} (${meta.tableName}.${meta.findColumnWithPropertyName(col.prop)?.databaseName ?? col.prop})`;
        const rowId = set.keys.map((k) => String(row[k])).join("/");
        let plain: string;
        try {
          plain = box.decrypt(stored, col.aad(row));
        } catch (e) {
          report.unreadable.push({ place, row: rowId, reason: (e as Error).message });
          report.remaining++;
          continue;
        }
        if (check) {
          report.remaining++;
          continue;
        }
        const fresh = box.encrypt(plain, col.aad(row));
        const r = await repo
          .createQueryBuilder()
          .update()
          .set({ [col.prop]: fresh })
          .where(where)
          .andWhere(`${meta.findColumnWithPropertyName(col.prop)!.databaseName} = :old`, { old: stored })
          .execute();
        if ((r.affected ?? 0) > 0) report.reencrypted++;
        else report.skippedConcurrent++;
      }
    }
    if (rows.length < BATCH) break;
  }
}
