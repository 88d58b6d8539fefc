import { createHash } from "node:crypto";
import type { DataSource } from "typeorm";
import {
  AuditLogDocument,
  ConfigureFlowDocument,
  ErasePersonalDataDocument,
  RunSyncDocument,
} from "../../sdk/generated/graphql";
import { LinkEntity } from "../../src/db/entities/link.entity";
import { SyncItemEntity } from "../../src/db/entities/sync-item.entity";
import { SyncRunEntity } from "../../src/db/entities/sync-run.entity";
import { webOrder, startMugWorld } from "../support/alert-receivers";
import { errorCode } from "../support/graphql-client";
import { eventually, type World } from "../support/world";

const EMAIL = "erika.mustermann@example.com";
const TYPED = "  Erika.Mustermann@Example.COM ";
const OTHER = "otto.anders@example.com";

/** every row of every table of the database, as one lower-case text */
async function everything(ds: DataSource): Promise<string> {
  const tables: string[] =
    ds.options.type === "mysql"
      ? (await ds.query("SHOW TABLES")).map((r: Record<string, string>) => Object.values(r)[0])
      : (await ds.query("SELECT name FROM sqlite_master WHERE type='table'")).map(
          (r: { name: string }) => r.name,
        );
  expect(tables.length).toBeGreaterThan(20);
  let out = "";
  for (const t of tables) out += JSON.stringify(await ds.query(`SELECT * FROM ${ds.driver.escape(t)}`));
  return out.toLowerCase();
}

describe("GDPR: erasePersonalData after orders and customers of one e-mail went both ways", () => {
  let w: World;
  const flowsDone = () =>
    eventually(async () => {
      const n = await w.t.gw.dataSource.manager.count(SyncRunEntity, {
        where: [{ status: "QUEUED" }, { status: "RUNNING" }],
      });
      return n === 0;
    }, "every run finished");
  const run = async (flow: "ORDERS_ECWID_TO_CCV" | "ORDERS_CCV_TO_ECWID") => {
    const r = await w.waitRun(
      (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow, options: { full: true } }))
        .runSync.id,
    );
    expect(r.counts.failed).toBe(0);
    return r;
  };

  beforeAll(async () => {
    w = await startMugWorld({
      gateway: { captureLogs: true, env: { ALERT_EVALUATE_SECONDS: "3600", HEALTH_CHECK_MINUTES: "0" } },
    });
    for (const flow of ["ORDERS_ECWID_TO_CCV", "ORDERS_CCV_TO_ECWID"] as const)
      await w.gql(ConfigureFlowDocument, { integrationId: w.integrationId, flow, input: { enabled: true } });

    // first a sale at the till for Erika (a guest there), to Ecwid: her Ecwid customer is linked by e-mail
    w.ccv.store.createOrder({
      customer: {
        email: EMAIL,
        billingaddress: { first_name: "Erika", last_name: "Mustermann", city: "Berlin", country_code: "DE" },
      },
      orderrows: [{ product_id: [...w.ccv.store.products.values()][0].id, count: 1 }],
      is_completed: true,
      paid: true,
      status: 7,
    });
    await run("ORDERS_CCV_TO_ECWID");
    // then web orders of Erika and of someone else, to CCV: CCV accounts and orders
    const erika = webOrder("MUG-001", 700100300, EMAIL);
    erika.billingPerson = { ...erika.billingPerson, name: "Erika Mustermann", phone: "+49 30 1234567" };
    w.ecwid.store.createOrder(erika);
    const otto = webOrder("MUG-001", 700100300, OTHER);
    otto.billingPerson = { ...otto.billingPerson, name: "Otto Anders" };
    w.ecwid.store.createOrder(otto);
    await run("ORDERS_ECWID_TO_CCV");
    await flowsDone();
  });
  afterAll(() => w.stop());

  it("reasons and event messages name records, never the person", async () => {
    const items = await w.t.gw.dataSource.manager.find(SyncItemEntity);
    expect(items.length).toBeGreaterThanOrEqual(3);
    const reasons = JSON.stringify(items.map((i) => i.reason)).toLowerCase();
    expect(reasons).toMatch(/customer account \d+/);
    expect(reasons).not.toContain("@");
    expect(reasons).not.toContain("mustermann");
    const messages = JSON.stringify(await w.t.gw.dataSource.query("SELECT * FROM sync_event")).toLowerCase();
    expect(messages).toContain("mustermann"); // in the payloads, until erased
  });

  it("leaves no trace of the e-mail or the name in any table or log, while links and counts stay", async () => {
    const ds = w.t.gw.dataSource;
    const hash = createHash("sha256").update(EMAIL).digest("hex");
    const before = await everything(ds);
    for (const s of [EMAIL, "mustermann", hash]) expect(before).toContain(s);
    const links = await ds.manager.count(LinkEntity);
    const items = await ds.manager.count(SyncItemEntity);
    const countsOf = async () =>
      Object.fromEntries(
        (await ds.manager.find(SyncRunEntity)).map((x) => [x.id, [x.total, x.created, x.failed]]),
      );
    const counts = await countsOf();

    const r = (await w.gql(ErasePersonalDataDocument, { email: TYPED })).erasePersonalData;
    const places = Object.fromEntries(r.places.map((p) => [p.place, p.count]));
    expect(places["item payloads"]).toBeGreaterThanOrEqual(2);
    expect(places["events"]).toBeGreaterThanOrEqual(2);
    expect(places["CCV e-mail index"]).toBe(1);
    expect(places["link e-mail keys"]).toBe(1);
    expect(r.total).toBe(r.places.reduce((n, p) => n + p.count, 0));
    expect(r.notes.join(" ")).toMatch(/Ecwid and CCV SalesPOS themselves were not changed/);

    const after = await everything(ds);
    for (const s of [EMAIL, "mustermann", "erika", hash, "1234567"])
      expect([s, after.includes(s)]).toEqual([s, false]);
    // someone else's data is untouched
    expect(after).toContain(OTTO_L);
    expect(after).toContain("otto anders");
    // history and idempotency stay
    expect(await ds.manager.count(LinkEntity)).toBe(links);
    expect(await ds.manager.count(SyncItemEntity)).toBe(items);
    // (a webhook may have queued another run meanwhile: the runs that were there keep their counts)
    expect(await countsOf()).toMatchObject(counts);
    const logs = w.t.logs.join("").toLowerCase();
    expect(logs.length).toBeGreaterThan(1000);
    for (const s of [EMAIL, "mustermann"]) expect(logs).not.toContain(s);

    // the audit log records the erasure without the address
    const audit = (await w.gql(AuditLogDocument, { filter: { action: "PERSONAL_DATA_ERASED" } })).auditLog
      .edges;
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit).toLowerCase()).not.toContain("mustermann");

    // an erased order is still known: syncing again creates nothing twice
    const again = await run("ORDERS_ECWID_TO_CCV");
    expect(again.counts.created).toBe(0);
  });

  it("refuses what is not an e-mail address", async () => {
    const r = await w.raw(ErasePersonalDataDocument, { email: "not an address" });
    expect(errorCode(r)).toBe("BAD_USER_INPUT");
  });
});

const OTTO_L = OTHER.toLowerCase();
