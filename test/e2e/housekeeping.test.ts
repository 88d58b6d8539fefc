import {
  ConfigureFlowDocument,
  RunSyncDocument,
  SyncRunDocument,
  SyncRunsDocument,
} from "../../sdk/generated/graphql";
import type { EcwidCategory } from "../../src/connectors/ecwid";
import { LinkEntity } from "../../src/db/entities/link.entity";
import { SyncEventEntity } from "../../src/db/entities/infra.entity";
import { SyncItemEntity } from "../../src/db/entities/sync-item.entity";
import { eventually, startWorld, type World } from "../support/world";

const cats: EcwidCategory[] = [1, 2].map((i) => ({
  id: 700 + i,
  name: `Kept ${i}`,
  orderBy: i * 10,
  enabled: true,
}));

describe("retention and the scheduler", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({
      ecwid: { seed: { categories: cats } },
      gateway: { env: { LOG_RETENTION_DAYS: "30" } },
    });
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      input: { enabled: true },
    });
  });
  afterAll(() => w.stop());

  it("deletes item payloads and events older than LOG_RETENTION_DAYS; items, counts and links stay", async () => {
    const old = await w.waitRun(
      (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "CATEGORIES_ECWID_TO_CCV" }))
        .runSync.id,
    );
    const recent = await w.waitRun(
      (
        await w.gql(RunSyncDocument, {
          integrationId: w.integrationId,
          flow: "CATEGORIES_ECWID_TO_CCV",
          options: { full: true },
        })
      ).runSync.id,
    );
    const m = w.t.gw.dataSource.manager;
    const longAgo = new Date(Date.now() - 31 * 24 * 3600_000);
    await m.update(SyncItemEntity, { runId: old.id }, { createdAt: longAgo });
    await m
      .createQueryBuilder()
      .update(SyncEventEntity)
      .set({ at: longAgo })
      .where("run_id = :r", { r: old.id })
      .execute();
    const links = await m.countBy(LinkEntity, { integrationId: w.integrationId });

    const r = await w.t.gw.engine.retention.purge();
    expect(r.itemPayloadsCleared).toBe(2);
    expect(r.eventsDeleted).toBe(old.counts.total + 3);

    const oldItems = (await w.gql(SyncRunDocument, { id: old.id })).syncRun!;
    expect(oldItems.counts).toEqual(old.counts);
    expect(oldItems.items.edges).toHaveLength(2);
    for (const e of oldItems.items.edges) {
      expect(e.node.sourcePayload).toBeNull();
      expect(e.node.sentPayload).toBeNull();
      expect(e.node.changes).toEqual([]);
      expect(e.node.action).toBe("CREATE");
    }
    const recentItems = (await w.gql(SyncRunDocument, { id: recent.id })).syncRun!.items.edges;
    expect(recentItems.every((e) => e.node.sourcePayload !== null)).toBe(true);
    expect(await m.countBy(LinkEntity, { integrationId: w.integrationId })).toBe(links);
    expect(await m.countBy(SyncEventEntity, { runId: old.id })).toBe(0);
    expect(await m.countBy(SyncEventEntity, { runId: recent.id })).toBeGreaterThan(0);
  });

  it("a flow schedule enqueues SCHEDULE runs, a tick while one is active is skipped, and disabling removes the schedule", async () => {
    const runs = async () =>
      (await w.gql(SyncRunsDocument, { integrationId: w.integrationId, first: 100 })).syncRuns.edges.map(
        (e) => e.node,
      );
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      input: { schedule: "* * * * *" },
    });
    expect(w.t.gw.engine.scheduler.registered().map((r) => r.expr)).toEqual(["* * * * *"]);
    // schedules run at most once a minute: the tick that node-cron would fire is fired here
    await w.t.gw.engine.scheduler.tick(w.integrationId, "CATEGORIES_ECWID_TO_CCV");
    const scheduled = await eventually(
      async () => (await runs()).find((r) => r.trigger === "SCHEDULE"),
      "a scheduled run",
      10_000,
    );
    await w.waitRun(scheduled.id);
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      input: { enabled: false },
    });
    expect(w.t.gw.engine.scheduler.registered()).toEqual([]);

    // one run per flow at a time: with a run queued, a tick enqueues nothing
    await w.t.gw.engine.stopWorker();
    const manual = (
      await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "CATEGORIES_ECWID_TO_CCV" })
    ).runSync;
    const before = (await runs()).length;
    await w.t.gw.engine.scheduler.tick(w.integrationId, "CATEGORIES_ECWID_TO_CCV");
    expect((await runs()).length).toBe(before);
    await w.t.gw.engine.startWorker();
    expect((await w.waitRun(manual.id)).status).toBe("SUCCEEDED");
  });
});
