import { randomUUID } from "node:crypto";
import {
  FlowDetailDocument,
  PreviewMappingDocument,
  RunSyncDocument,
  SetFieldMappingsDocument,
  SyncRunDocument,
} from "../../sdk/generated/graphql";
import type { EcwidCategory } from "../../src/connectors/ecwid";
import { json } from "../../src/db/columns";
import { FieldMappingEntity } from "../../src/db/entities/mapping.entity";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { startTestGateway, type TestGateway } from "../support/gateway";
import { errorCode, execute, executeOk } from "../support/graphql-client";
import { expectAlive } from "../support/hostile";
import { startWorld, type World } from "../support/world";

/**
 * Issue 9, point 1 (critical): a mapping path that reaches a prototype must never pollute the
 * process, whether it is sent to setFieldMappings, or was saved by an older version and is loaded
 * by a preview, a run, or after a restart. And point 4: a slow expression cannot hold the process.
 */
const FLOW = "CATEGORIES_ECWID_TO_CCV" as const;
const cats: EcwidCategory[] = [{ id: 801, name: "Mugs", orderBy: 10, enabled: true }];
const polluted = () =>
  ["polluted", "x", "isAdmin"].filter((k) => Object.prototype.hasOwnProperty.call(Object.prototype, k));

describe("hostile mappings", () => {
  let db: TestDatabase;
  let w: World;
  let gateway: TestGateway;
  const url = () => gateway.url;

  beforeAll(async () => {
    db = await createTestDatabase();
    w = await startWorld({ ecwid: { seed: { categories: cats } }, gateway: { db } });
    gateway = w.t;
  });
  afterAll(async () => {
    await gateway.stop();
    await w.ecwid.stop();
    await w.ccv.stop();
    await db.drop();
  });
  afterEach(async () => {
    await expectAlive(url());
    expect(polluted()).toEqual([]);
  });

  it.each([
    { target: "__proto__.polluted", defaultValue: true },
    { target: "constructor.prototype.polluted", defaultValue: true },
    { target: "a.__proto__", defaultValue: { polluted: true } },
    { target: "name", source: "__proto__.polluted" },
    { target: "name", defaultValue: JSON.parse('{"__proto__": {"polluted": true}}') },
  ])("setFieldMappings refuses %j with BAD_USER_INPUT naming the mapping", async (m) => {
    const r = await execute(
      url(),
      SetFieldMappingsDocument,
      { integrationId: w.integrationId, flow: FLOW, mappings: [{ policy: "ALWAYS", ...m }] },
      w.key,
    );
    expect(errorCode(r)).toBe("BAD_USER_INPUT");
    expect(r.errors![0].message).toMatch(/^mapping ".*": .*not a field name/);
    expect(r.errors![0].extensions).toMatchObject({ mapping: m.target, index: 0 });
  });

  it("mappings saved by an older version fail the preview and the run's items, and survive a restart", async () => {
    // what an older version let through, written straight into the database
    const saved = [
      { target: "__proto__.polluted", expression: "true" },
      { target: "constructor.prototype.polluted", expression: "true" },
      { target: "description", expression: "$uppercase(name)" },
    ];
    let position = 0;
    for (const m of saved) {
      await gateway.gw.dataSource.manager.insert(FieldMappingEntity, {
        id: randomUUID(),
        integrationId: w.integrationId,
        flow: FLOW,
        target: m.target,
        source: null,
        expression: m.expression,
        defaultValue: json(null),
        policy: "ALWAYS",
        position: position++,
        updatedAt: new Date(),
      });
    }
    const check = async () => {
      const p = (
        await executeOk(
          url(),
          PreviewMappingDocument,
          { integrationId: w.integrationId, flow: FLOW, sourceId: "801" },
          w.key,
        )
      ).previewMapping;
      expect(p.errors).toEqual([
        expect.stringMatching(
          /^mapping "__proto__.polluted": target uses "__proto__", which is not a field name/,
        ),
        expect.stringMatching(/^mapping "constructor.prototype.polluted": target uses "constructor"/),
      ]);
      expect(p.targetPayload).toMatchObject({ name: "Mugs", description: "MUGS" });
      // the mappings are still listed, so the user can see and replace them
      const flow = (await executeOk(url(), FlowDetailDocument, { id: w.integrationId, kind: FLOW }, w.key))
        .integration!.flow;
      expect(flow.fieldMappings.map((m) => m.target)).toEqual(
        expect.arrayContaining(["__proto__.polluted", "constructor.prototype.polluted"]),
      );
    };
    await check();

    const writesBefore = w.ccv.log.writes().length;
    const run = (
      await executeOk(url(), RunSyncDocument, { integrationId: w.integrationId, flow: FLOW }, w.key)
    ).runSync;
    const final = await w.waitRun(run.id);
    expect(final.counts).toMatchObject({ failed: 1, created: 0 });
    const items = (await executeOk(url(), SyncRunDocument, { id: run.id }, w.key)).syncRun!.items.edges;
    expect(items[0].node).toMatchObject({
      status: "FAILED",
      errorCode: "MAPPING",
      reason: expect.stringMatching(/mapping "__proto__.polluted": target uses "__proto__"/),
    });
    expect(w.ccv.log.writes().length).toBe(writesBefore);
    await expectAlive(url());

    // a restart loads them again: still no crash, still no pollution
    await gateway.gw.close();
    gateway = await startTestGateway({ db });
    await expectAlive(url());
    await check();
  });

  it("a catastrophic regular expression in a preview is stopped while the gateway keeps answering", async () => {
    await executeOk(
      url(),
      SetFieldMappingsDocument,
      {
        integrationId: w.integrationId,
        flow: FLOW,
        mappings: [
          { target: "description", expression: `$match("${"a".repeat(34)}!", /(a+)+$/)`, policy: "ALWAYS" },
        ],
      },
      w.key,
    );
    const preview = executeOk(
      url(),
      PreviewMappingDocument,
      { integrationId: w.integrationId, flow: FLOW, sourceId: "801" },
      w.key,
    );
    // while the worker is stuck, the process answers
    await new Promise((r) => setTimeout(r, 300));
    await expectAlive(url());
    const p = (await preview).previewMapping;
    expect(p.errors).toEqual([
      expect.stringMatching(
        /^mapping "description": evaluation did not finish within 500 ms and was stopped/,
      ),
    ]);
  });
});
