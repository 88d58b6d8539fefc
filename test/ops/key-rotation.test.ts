import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import {
  ConfigureFlowDocument,
  CreateAlertChannelDocument,
  RunSyncDocument,
  TestConnectionsDocument,
} from "../../sdk/generated/graphql";
import { keyIdOf, SecretBox } from "../../src/common/crypto";
import { CcvWebhookEntity } from "../../src/db/entities/infra.entity";
import { IntegrationEntity } from "../../src/db/entities/integration.entity";
import { AlertChannelEntity } from "../../src/db/entities/ops.entity";
import { ENTITIES } from "../../src/db/entities";
import { rotateKeyCommand } from "../../src/ops/keys/rotate-key.command";
import { SECRET_COLUMNS } from "../../src/ops/keys/secret-columns";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { SyncRunEntity } from "../../src/db/entities/sync-run.entity";
import { executeOk } from "../support/graphql-client";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { eventually, startWorld, type World } from "../support/world";

const hex = () => randomBytes(32).toString("hex");

async function dump(ds: DataSource): Promise<string> {
  let out = "";
  for (const meta of ds.entityMetadatas)
    out += JSON.stringify(await ds.query(`SELECT * FROM ${ds.driver.escape(meta.tableName)}`));
  return out;
}

describe("key rotation: GATEWAY_ENCRYPTION_KEY_PREVIOUS and npm run rotate-key", () => {
  const oldKey = hex();
  const newKey = hex();
  const oldId = keyIdOf(Buffer.from(oldKey, "hex"));
  const newId = keyIdOf(Buffer.from(newKey, "hex"));
  let w: World;
  let second: TestGateway | undefined;
  let webhookSecret: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gwt-rotate-"));
  const env = (previous: string) => ({
    DATABASE_URL: w.t.db.url,
    GATEWAY_ENCRYPTION_KEY: newKey,
    GATEWAY_ENCRYPTION_KEY_PREVIOUS: previous,
    GATEWAY_DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
  });
  const command = async (argv: string[], previous = oldKey) => {
    const lines: string[] = [];
    const r = await rotateKeyCommand(argv, env(previous), (l) => lines.push(l));
    return { ...r, out: lines.join("\n") };
  };

  beforeAll(async () => {
    w = await startWorld({ gateway: { encryptionKey: oldKey } });
    // every kind of stored secret exists under the old key: credentials, CCV webhook keys, a channel secret
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "ORDERS_CCV_TO_ECWID",
      input: { enabled: true },
    });
    await eventually(
      async () =>
        (await w.t.gw.dataSource.manager.countBy(CcvWebhookEntity, { integrationId: w.integrationId })) > 0,
      "CCV webhooks registered",
    );
    webhookSecret = (
      await w.gql(CreateAlertChannelDocument, {
        input: {
          name: "hook",
          type: "WEBHOOK",
          kinds: ["RUN_FAILED"],
          webhookUrl: "http://127.0.0.1:9/hook",
        },
      })
    ).createAlertChannel.signingSecret!;
  });
  afterAll(async () => {
    await second?.stop();
    await w.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists every encrypted column of every entity", () => {
    const listed = new Set(
      SECRET_COLUMNS.flatMap((s) => s.columns.map((c) => `${(s.entity as { name: string }).name}.${c.prop}`)),
    );
    const enc = ENTITIES.flatMap((e) =>
      w.t.gw.dataSource
        .getMetadata(e)
        .columns.filter((c) => /Enc$/.test(c.propertyName))
        .map((c) => `${e.name}.${c.propertyName}`),
    );
    expect(enc.length).toBeGreaterThanOrEqual(6);
    for (const c of enc) expect(listed).toContain(c);
  });

  it("rotates with the gateway running: every secret moves to the new key, and everything still works", async () => {
    const ds = w.t.gw.dataSource;
    expect(await dump(ds)).toContain(`v1.${oldId}.`);
    // the gateway restarts with the new key and the old one for reading
    await w.t.gw.close();
    second = await startTestGateway({
      db: w.t.db,
      adminToken: w.t.adminToken,
      encryptionKey: newKey,
      env: { GATEWAY_ENCRYPTION_KEY_PREVIOUS: oldKey },
    });
    const gql = <T, V>(doc: TypedDocumentNode<T, V>, vars: V) => executeOk(second!.url, doc, vars, w.key);
    expect(
      (await gql(TestConnectionsDocument, { integrationId: w.integrationId })).testConnections.map(
        (c) => c.ok,
      ),
    ).toEqual([true, true]);

    const check = await command(["--check"]);
    expect(check.code).toBe(1);
    expect(check.report.remaining).toBeGreaterThanOrEqual(6);
    expect(check.out).toMatch(/not under the current key/);

    const r = await command([]);
    expect(r.code).toBe(0);
    expect(r.report.reencrypted).toBe(check.report.remaining);
    expect(r.report.unreadable).toEqual([]);
    expect(r.out).toMatch(/previous key\(s\) can be removed/);

    const sds = second.gw.dataSource;
    const all = await dump(sds);
    expect(all).not.toContain(`v1.${oldId}.`);
    expect(all).toContain(`v1.${newId}.`);
    expect((await command(["--check"])).report.remaining).toBe(0);

    // the running gateway keeps working on the rotated secrets: connections, a run, the channel secret
    expect(
      (await gql(TestConnectionsDocument, { integrationId: w.integrationId })).testConnections.map(
        (c) => c.ok,
      ),
    ).toEqual([true, true]);
    const run = await gql(RunSyncDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
    });
    await eventually(async () => {
      const x = await sds.manager.findOneBy(SyncRunEntity, { id: run.runSync.id });
      return x?.status === "SUCCEEDED";
    }, "the run after rotation");
    const channel = (await sds.manager.find(AlertChannelEntity))[0];
    expect((second.gw.services.alerts.target(channel) as { secret: string }).secret).toBe(webhookSecret);
    // and with the old key gone entirely, every secret still reads
    const onlyNew = new SecretBox(Buffer.from(newKey, "hex"));
    const i = (await sds.manager.find(IntegrationEntity))[0];
    expect(onlyNew.decrypt(i.ccvSecretKeyEnc, `integration:${i.id}:ccv.secretKey`)).toBe(w.ccv.secretKey);
  });

  it("is per row and idempotent: a rerun after an interruption finishes only what is left", async () => {
    const sds = second!.gw.dataSource;
    const old = new SecretBox(Buffer.from(oldKey, "hex"));
    const i = (await sds.manager.find(IntegrationEntity))[0];
    // as if the pass had stopped before this one value
    await sds.manager.update(
      IntegrationEntity,
      { id: i.id },
      {
        ecwidTokenEnc: old.encrypt(w.ecwid.token, `integration:${i.id}:ecwid.token`),
      },
    );
    const r = await command([]);
    expect(r.code).toBe(0);
    expect(r.report.reencrypted).toBe(1);
    expect(r.report.alreadyCurrent).toBeGreaterThanOrEqual(5);
    const again = await command([]);
    expect(again.report.reencrypted).toBe(0);
  });

  it("reports a value no configured key can read and exits non-zero, changing nothing", async () => {
    const sds = second!.gw.dataSource;
    const stranger = new SecretBox(Buffer.from(hex(), "hex"));
    const hook = (await sds.manager.find(AlertChannelEntity))[0];
    const foreign = stranger.encrypt("x", `alert_channel:${hook.id}:secret`);
    await sds.manager.update(AlertChannelEntity, { id: hook.id }, { secretEnc: foreign });
    const r = await command([], "");
    expect(r.code).toBe(1);
    expect(r.report.unreadable).toEqual([
      expect.objectContaining({ place: expect.stringMatching(/alert channel secrets/), row: hook.id }),
    ]);
    expect(r.out).toMatch(/Cannot read alert channel secrets/);
    expect((await sds.manager.findOneByOrFail(AlertChannelEntity, { id: hook.id })).secretEnc).toBe(foreign);
  });

  it("refuses a malformed previous key at start, naming the variable", async () => {
    await expect(command([], "not-a-key")).rejects.toThrow(/GATEWAY_ENCRYPTION_KEY_PREVIOUS/);
  });
});
