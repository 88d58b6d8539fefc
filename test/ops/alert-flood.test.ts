import {
  AlertIncidentsDocument,
  ConfigureFlowDocument,
  RunSyncDocument,
  UpdateCcvCredentialsDocument,
} from "../../sdk/generated/graphql";
import { SyncItemEntity } from "../../src/db/entities/sync-item.entity";
import {
  MailReceiver,
  WebhookReceiver,
  webOrder,
  startMugWorld,
  subscribe,
} from "../support/alert-receivers";
import { eventually, type World } from "../support/world";

const SEC = 1000;
// a thousand items through the real flow and sandboxes take a while on a shared machine
jest.setTimeout(900_000);

describe("alert throttling: a flood of failures makes a handful of messages", () => {
  let w: World;
  let hook: WebhookReceiver;
  let mail: MailReceiver;
  // a frozen test clock: runs take real time, the monitor only sees what the test says
  let offset = 0;
  const start = Date.now();
  const clock = () => new Date(start + offset);
  let ghosts: { orderId: string }[] = [];
  const ops = () => w.t.gw.engine.ops;

  async function tick(): Promise<void> {
    await ops().tick(clock());
    await eventually(async () => {
      const d = await w.t.gw.dataSource.query(
        "SELECT COUNT(*) AS n FROM alert_delivery WHERE status = 'PENDING'",
      );
      return Number(d[0].n) === 0;
    }, "deliveries done");
  }
  const run = async (sourceIds?: string[]) =>
    w.waitRun(
      (
        await w.gql(RunSyncDocument, {
          integrationId: w.integrationId,
          flow: "ORDERS_ECWID_TO_CCV",
          options: sourceIds ? { sourceIds } : { full: true },
        })
      ).runSync.id,
      600_000,
    );

  beforeAll(async () => {
    hook = await WebhookReceiver.start();
    mail = await MailReceiver.start("u", "p");
    w = await startMugWorld({
      gateway: {
        env: {
          ALERT_EVALUATE_SECONDS: "3600",
          ALERT_MIN_INTERVAL_SECONDS: "60",
          ALERT_REPEAT_HOURS: "24",
          HEALTH_CHECK_MINUTES: "0",
        },
      },
      engine: { ops: { clock } },
    });
    await subscribe(w, hook, mail, ["CONNECTION_FAILING", "RUN_FAILED", "RUN_PARTIAL", "ITEM_FAILURE"], {
      user: "u",
      password: "p",
    });
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "ORDERS_ECWID_TO_CCV",
      input: { enabled: true },
    });
  });
  afterAll(async () => {
    await w.stop();
    await hook.stop();
    await mail.stop();
  });

  it("1,000 failing items within a minute, then more runs and a connection failure: two messages per channel", async () => {
    ghosts = Array.from({ length: 1000 }, (_, i) =>
      w.ecwid.store.createOrder(webOrder(`GHOST-${i % 2}`, 700100390, null)),
    );
    w.ecwid.store.createOrder(webOrder("MUG-001", 700100300));
    const first = await run();
    expect(first.counts.failed).toBe(1000);
    expect(first.status).toBe("PARTIAL");
    await tick();
    expect(hook.messages).toHaveLength(1);
    const kindsOf = (i: number) => hook.messages[i].alerts.map((a) => a.kind).sort();
    expect(kindsOf(0)).toEqual(["ITEM_FAILURE", "RUN_PARTIAL"]);
    const item = hook.messages[0].alerts.find((a) => a.kind === "ITEM_FAILURE")!;
    expect(item.text).toMatch(/1000 items failed with MISSING_PRODUCT/);
    expect(item.text).toMatch(/Records: (\S+, ){4}\S+ and 995 more\./);

    // the flood goes on within the same minute: four more runs over the same orders, and a connection breaks
    for (let k = 0; k < 4; k++) {
      offset += 10 * SEC;
      const again = await run(ghosts.slice(k * 50, (k + 1) * 50).map((g) => g.orderId));
      expect(again.status).toBe("FAILED");
      await tick();
    }
    await w.gql(UpdateCcvCredentialsDocument, {
      integrationId: w.integrationId,
      input: { baseUrl: w.ccv.baseUrl, publicKey: w.ccv.publicKey, secretKey: "sk_broken_for_flood" },
    });
    await w.t.gw.services.connections.test(w.workspaceId, w.integrationId, "HEALTH");
    offset += 5 * SEC;
    await tick();
    // still within the minute after the first message: the new alerts wait
    expect(hook.messages).toHaveLength(1);
    expect(mail.messages).toHaveLength(1);

    offset += 20 * SEC;
    await tick();
    expect(hook.messages).toHaveLength(2);
    expect(kindsOf(1)).toEqual(["CONNECTION_FAILING", "RUN_FAILED"]);
    expect(mail.messages).toHaveLength(2);
    expect(mail.messages[1].subject).toMatch(/^\[Test shop\] 2 alerts: /);

    offset += 120 * SEC;
    await tick();
    expect(hook.messages).toHaveLength(2);
    expect(await w.t.gw.dataSource.manager.countBy(SyncItemEntity, { status: "FAILED" })).toBe(1200);
    const open = (await w.gql(AlertIncidentsDocument, { integrationId: w.integrationId })).alertIncidents;
    expect(
      open.find((i) => i.kind === "ITEM_FAILURE" && i.key === "ORDERS_ECWID_TO_CCV:MISSING_PRODUCT")!.count,
    ).toBe(1200);
  });

  it("an incident that lasts is reminded once after ALERT_REPEAT_HOURS, saying how much came since", async () => {
    await w.gql(UpdateCcvCredentialsDocument, {
      integrationId: w.integrationId,
      input: { baseUrl: w.ccv.baseUrl, publicKey: w.ccv.publicKey, secretKey: w.ccv.secretKey },
    });
    await w.t.gw.services.connections.test(w.workspaceId, w.integrationId, "HEALTH");
    offset += 25 * 3600 * SEC;
    await run(ghosts.slice(0, 10).map((g) => g.orderId));
    await tick();
    expect(hook.messages).toHaveLength(3);
    const reminders = hook.messages[2].alerts;
    expect(reminders.map((a) => a.title)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Still: \[Sandbox pair\] ORDERS_ECWID_TO_CCV: a new kind of failure, MISSING_PRODUCT/,
        ),
      ]),
    );
    expect(reminders.find((a) => /MISSING_PRODUCT/.test(a.title))!.text).toMatch(
      /This is still going on .*more occurrences since the last alert/,
    );
    offset += 120 * SEC;
    await tick();
    expect(hook.messages).toHaveLength(3);
  });
});
