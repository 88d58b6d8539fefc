import { SecretBox } from "../../common/crypto";
import { createLogger, silentLogger } from "../../common/logger";
import { loadConfig } from "../../config/config";
import { resolveEncryptionKey } from "../../config/local-secrets";
import { openDatabase } from "../../db/data-source";
import { rotateSecrets, type RotationReport } from "./key-rotation";

/**
 * `npm run rotate-key [-- --check]`: re-encrypts every stored secret under GATEWAY_ENCRYPTION_KEY,
 * reading old values with GATEWAY_ENCRYPTION_KEY_PREVIOUS. Runs beside a live gateway (same
 * DATABASE_URL and keys); safe to interrupt and run again. Exit code 0 when every secret is under
 * the current key afterwards, 1 otherwise (unreadable values are listed).
 */
export async function rotateKeyCommand(
  argv: string[],
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
): Promise<{ code: number; report: RotationReport }> {
  const check = argv.includes("--check");
  const config = loadConfig(env);
  const box = new SecretBox(resolveEncryptionKey(config), config.previousEncryptionKeys);
  const ds = await openDatabase(config.database);
  try {
    const logger = config.logLevel === "silent" ? silentLogger : createLogger({ level: config.logLevel });
    const report = await rotateSecrets(ds, box, { check, logger });
    const before = Object.entries(report.byKeyBefore)
      .map(([k, n]) => `${n} under key ${k}`)
      .join(", ");
    out(`Secrets found: ${before || "none"}.`);
    if (check) {
      out(
        report.remaining === 0
          ? `Every secret is under the current key ${report.keyId}; the previous keys can be removed.`
          : `${report.remaining} secret(s) are not under the current key ${report.keyId}; run npm run rotate-key.`,
      );
    } else {
      out(
        `Re-encrypted ${report.reencrypted} secret(s) under key ${report.keyId}; ${report.alreadyCurrent} already were` +
          (report.skippedConcurrent
            ? `; ${report.skippedConcurrent} changed meanwhile (written under the current key)`
            : "") +
          ".",
      );
    }
    for (const u of report.unreadable) out(`Cannot read ${u.place}, row ${u.row}: ${u.reason}`);
    const done = report.remaining === 0 && report.unreadable.length === 0;
    if (!check && done) out("Done: the previous key(s) can be removed from GATEWAY_ENCRYPTION_KEY_PREVIOUS.");
    return { code: done ? 0 : 1, report };
  } finally {
    await ds.destroy();
  }
}
