import {
  ConfigureFlowDocument,
  RunSyncDocument,
  SyncRunDocument,
  SyncRunsDocument,
} from "../../sdk/generated/graphql";
import type { EcwidCategory } from "../../src/connectors/ecwid";
import { signEcwidWebhook } from "../../src/connectors/ecwid";
import { WebhookInboxEntity } from "../../src/db/entities/infra.entity";
import { eventually, startWorld, type World } from "../support/world";

const FLOW = "CATEGORIES_ECWID_TO_CCV" as const;
const cats = (n: number, from = 100): EcwidCategory[] =>
  Array.from({ length: n }, (_, i) => ({
    id: from + i,
    name: `Category ${from + i}`,
    orderBy: (i + 1) * 10,
    enabled: true,
  }));
const ccvCreates = (w: World) =>
  w.ccv.log.find("POST", /\/categories\/?$/).filter((e) => e.status === 201).length;

describe("engine resilience: crash and resume, webhooks, races", () => {
  it("a worker that crashes mid-run (after a write, before recording it) is finished by another worker, every item exactly once", async () => {
    let crashed = false;
    const a: World = await startWorld({
      ecwid: { seed: { categories: cats(6) } },
      engine: {
        queue: { lockMs: 600, pollMs: 50 },
        leaseTtlMs: 600,
        hooks: {
          beforeRecord: (_runId, sourceId) => {
            if (sourceId === "103" && !crashed) {
              crashed = true;
              void a.t.gw.engine.queue.crash!();
            }
          },
        },
      },
    });
    let b: World | undefined;
    try {
      await a.gql(ConfigureFlowDocument, {
        integrationId: a.integrationId,
        flow: FLOW,
        input: { enabled: true },
      });
      const run = (await a.gql(RunSyncDocument, { integrationId: a.integrationId, flow: FLOW })).runSync;
      await eventually(async () => crashed, "the crash point");
      // worker A is dead: its run stays RUNNING with 4 items written upstream but only 3 recorded
      const mid = (await a.gql(SyncRunDocument, { id: run.id })).syncRun!;
      expect(mid.status).toBe("RUNNING");
      expect(mid.counts.total).toBe(3);
      expect(ccvCreates(a)).toBe(4);

      b = await startWorld({
        join: {
          db: a.t.db,
          integrationId: a.integrationId,
          key: a.key,
          workspaceId: a.workspaceId,
          ecwid: a.ecwid,
          ccv: a.ccv,
        },
        engine: { queue: { lockMs: 600, pollMs: 50 }, leaseTtlMs: 600 },
      });
      const final = await b.waitRun(run.id);
      expect(final.status).toBe("SUCCEEDED");
      expect(final.counts.total).toBe(6);
      const items = (await b.gql(SyncRunDocument, { id: run.id })).syncRun!.items.edges.map((e) => e.node);
      expect(items.map((i) => i.sourceId).sort()).toEqual(["100", "101", "102", "103", "104", "105"]);
      // the item whose create was not recorded: found in CCV by our match and linked, not created again
      const resumed = items.find((i) => i.sourceId === "103")!;
      expect(resumed.action).toBe("SKIP");
      expect(resumed.reason).toMatch(/linked/);
      expect(ccvCreates(a)).toBe(6);
      expect(a.ccv.store.categories.size).toBe(6);
    } finally {
      await b?.stop();
      await a.stop();
    }
  });

  describe("webhooks", () => {
    let w: World;
    let hook: string;
    beforeAll(async () => {
      w = await startWorld({ ecwid: { seed: { categories: cats(2, 200) } } });
      await w.gql(ConfigureFlowDocument, {
        integrationId: w.integrationId,
        flow: FLOW,
        input: { enabled: true },
      });
      hook = `${w.t.url}/webhooks/ecwid/${w.integrationId}`;
      w.ecwid.registerWebhook(hook, ["category.created", "category.updated"]);
    });
    afterAll(() => w.stop());

    const inbox = () =>
      w.t.gw.dataSource.manager.countBy(WebhookInboxEntity, { integrationId: w.integrationId });
    const runs = async () =>
      (await w.gql(SyncRunsDocument, { integrationId: w.integrationId, flow: FLOW })).syncRuns.edges.map(
        (e) => e.node,
      );

    it("a verified webhook queues a WEBHOOK run for its record, which re-fetches and syncs it", async () => {
      const id = w.ecwid.store.createCategory({ name: "Outlet" });
      await w.ecwid.webhooks.flush();
      const run = await eventually(
        async () => (await runs()).find((r) => r.trigger === "WEBHOOK"),
        "a webhook run",
      );
      const done = await w.waitRun(run.id);
      expect(done.counts).toMatchObject({ total: 1, created: 1 });
      const item = (await w.gql(SyncRunDocument, { id: run.id })).syncRun!.items.edges[0].node;
      expect(item.sourceId).toBe(String(id));
      expect([...w.ccv.store.categories.values()].map((c) => c.name)).toContain("Outlet");
      expect(w.ecwid.webhooks.deliveries.every((d) => d.status === 200)).toBe(true);
    });

    it("a redelivered webhook is acknowledged and ignored: one inbox row, no second run", async () => {
      const before = { inbox: await inbox(), runs: (await runs()).length };
      const last = w.ecwid.webhooks.deliveries.at(-1)!;
      w.ecwid.webhooks.redeliver(last.event.eventId);
      await w.ecwid.webhooks.flush();
      const again = w.ecwid.webhooks.deliveries.at(-1)!;
      expect(again.status).toBe(200);
      expect(await inbox()).toBe(before.inbox);
      expect((await runs()).length).toBe(before.runs);
    });

    it("refuses a bad signature (401, nothing stored, a valid retry is still taken), a malformed body (400) and an unknown integration (404)", async () => {
      const event = {
        eventId: "6f1c2e3d-0000-4000-8000-00000000abcd",
        eventCreated: Math.floor(Date.now() / 1000),
        storeId: w.ecwid.storeId,
        entityId: 200,
        eventType: "category.updated",
      };
      const body = JSON.stringify(event);
      const post = (url: string, b: string, sig?: string) =>
        fetch(`${url}?eventtype=category.updated`, {
          method: "POST",
          headers: {
            "content-type": "application/json; charset=UTF-8",
            ...(sig ? { "x-ecwid-webhook-signature": sig } : {}),
          },
          body: b,
        });
      const before = await inbox();
      expect(
        (
          await post(
            hook,
            body,
            "AAAA" + signEcwidWebhook(w.ecwid.clientSecret, event.eventCreated, event.eventId).slice(4),
          )
        ).status,
      ).toBe(401);
      expect((await post(hook, body)).status).toBe(401);
      expect(await inbox()).toBe(before);
      expect((await post(hook, "{not json", "x")).status).toBe(400);
      expect(
        (await post(`${w.t.url}/webhooks/ecwid/00000000-0000-4000-8000-000000000000`, body, "x")).status,
      ).toBe(404);
      const ok = await post(
        hook,
        body,
        signEcwidWebhook(w.ecwid.clientSecret, event.eventCreated, event.eventId),
      );
      expect(ok.status).toBe(200);
      expect(await inbox()).toBe(before + 1);
      const stale = {
        ...event,
        eventId: "6f1c2e3d-0000-4000-8000-00000000abce",
        eventCreated: event.eventCreated - 50 * 3600,
      };
      expect(
        (
          await post(
            hook,
            JSON.stringify(stale),
            signEcwidWebhook(w.ecwid.clientSecret, stale.eventCreated, stale.eventId),
          )
        ).status,
      ).toBe(401);
    });
  });

  it("a webhook and a scheduled run on two workers racing for the same new record produce one write", async () => {
    const a = await startWorld({ ecwid: { deliverWebhooks: false, seed: { categories: cats(1, 300) } } });
    const b = await startWorld({
      join: {
        db: a.t.db,
        integrationId: a.integrationId,
        key: a.key,
        workspaceId: a.workspaceId,
        ecwid: a.ecwid,
        ccv: a.ccv,
      },
    });
    try {
      await a.gql(ConfigureFlowDocument, {
        integrationId: a.integrationId,
        flow: FLOW,
        input: { enabled: true },
      });
      for (let round = 0; round < 3; round++) {
        const id = a.ecwid.store.createCategory({ name: `Race ${round}` });
        const event = a.ecwid.webhooks.emitted.at(-1)!;
        expect(event.entityId).toBe(id);
        const body = JSON.stringify(event);
        await Promise.all([
          fetch(`${a.t.url}/webhooks/ecwid/${a.integrationId}?eventtype=category.created`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "x-ecwid-webhook-signature": signEcwidWebhook(
                a.ecwid.clientSecret,
                event.eventCreated,
                event.eventId,
              ),
            },
            body,
          }),
          b.t.gw.engine.scheduler.tick(a.integrationId, FLOW),
        ]);
        await eventually(async () => {
          const rs = (
            await a.gql(SyncRunsDocument, { integrationId: a.integrationId, flow: FLOW })
          ).syncRuns.edges.map((e) => e.node);
          return rs.every((r) => ["SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED"].includes(r.status));
        }, "all runs to finish");
        const posts = a.ccv.log
          .find("POST", /\/categories\/?$/)
          .filter((e) => e.status === 201 && e.body.includes(`Race ${round}`));
        expect(posts).toHaveLength(1);
      }
      expect([...a.ccv.store.categories.values()].filter((c) => c.name.startsWith("Race"))).toHaveLength(3);
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});
