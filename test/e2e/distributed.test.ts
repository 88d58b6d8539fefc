import { randomBytes } from "node:crypto";
import {
  ConfigureFlowDocument,
  RunSyncDocument,
  SyncEventsDocument,
  type SyncEventsSubscription,
} from "../../sdk/generated/graphql";
import { sdkClient } from "../support/graphql-client";
import { redisSuite, redisUrl } from "../support/redis";
import { eventually, startWorld, type World } from "../support/world";

/**
 * REDIS_URL: an API process and a worker process on one database. The API queues the run, the
 * worker executes it, and the worker's live events reach the API's WebSocket subscribers over Redis.
 */
redisSuite("the REDIS_URL suite")(
  "an api process and a worker process sharing the database and Redis",
  () => {
    const prefix = `gwt-${randomBytes(4).toString("hex")}:`;
    let api: World;
    let worker: World;
    beforeAll(async () => {
      api = await startWorld({
        ecwid: {
          seed: {
            categories: [1, 2, 3].map((i) => ({
              id: 800 + i,
              name: `Dist ${i}`,
              orderBy: i * 10,
              enabled: true,
            })),
          },
        },
        gateway: { env: { GATEWAY_ROLE: "api", REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix } },
      });
      worker = await startWorld({
        join: {
          db: api.t.db,
          integrationId: api.integrationId,
          key: api.key,
          workspaceId: api.workspaceId,
          ecwid: api.ecwid,
          ccv: api.ccv,
        },
        gateway: { env: { GATEWAY_ROLE: "worker", REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix } },
      });
    });
    afterAll(async () => {
      await worker.stop();
      await api.stop();
    });

    it("the worker runs what the api queued, and its events stream to the api's subscribers", async () => {
      const ready = await (await fetch(`${api.t.url}/readyz`)).json();
      expect(ready).toMatchObject({ status: "ready", redis: "ok" });
      await api.gql(ConfigureFlowDocument, {
        integrationId: api.integrationId,
        flow: "CATEGORIES_ECWID_TO_CCV",
        input: { enabled: true },
      });
      const events: SyncEventsSubscription["syncEvents"][] = [];
      const stop = sdkClient(api.t.url, api.key).subscribe(
        SyncEventsDocument,
        { integrationId: api.integrationId },
        { next: (v) => events.push(v.syncEvents) },
      );
      await new Promise((r) => setTimeout(r, 300));
      const run = (
        await api.gql(RunSyncDocument, { integrationId: api.integrationId, flow: "CATEGORIES_ECWID_TO_CCV" })
      ).runSync;
      const done = await api.waitRun(run.id);
      expect(done.counts.created).toBe(3);
      await eventually(
        async () => events.find((e) => e.type === "RUN_FINISHED" && e.runId === run.id),
        "RUN_FINISHED over Redis",
      );
      stop();
      // RUN_QUEUED comes from the api process itself, the rest from the worker through Redis
      expect(events.filter((e) => e.runId === run.id).map((e) => e.type)).toEqual([
        "RUN_QUEUED",
        "RUN_STARTED",
        "ITEM_SUCCEEDED",
        "ITEM_SUCCEEDED",
        "ITEM_SUCCEEDED",
        "RUN_FINISHED",
      ]);
      // the api process has no worker: nothing ran there
      expect(api.t.gw.engine.scheduler.registered()).toEqual([]);
    });
  },
);
