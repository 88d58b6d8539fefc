import {
  CancelRunDocument,
  DefaultFieldMappingsDocument,
  PreviewMappingDocument,
  ReplayItemDocument,
  RetryFailedItemsDocument,
  SetFieldMappingsDocument,
  SetValueMappingsDocument,
  SyncItemDocument,
  SyncItemsDocument,
  ConfigureFlowDocument,
  RunSyncDocument,
  SyncRunDocument,
  SyncRunsDocument,
  FlowDetailDocument,
} from "../../sdk/generated/graphql";
import type { EcwidCategory } from "../../src/connectors/ecwid";
import { errorCode } from "../support/graphql-client";
import { startWorld, type World } from "../support/world";

const tree: EcwidCategory[] = [
  { id: 9001, name: "Apparel", orderBy: 10, enabled: true, description: "<p>Clothes</p>" },
  { id: 9002, name: "Shirts", parentId: 9001, orderBy: 10, enabled: true },
  { id: 9003, name: "Accessories", orderBy: 20, enabled: true },
  { id: 9004, name: "Caps", parentId: 9003, orderBy: 10, enabled: false },
];

describe("the sync engine with CATEGORIES_ECWID_TO_CCV against both sandboxes", () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ ecwid: { seed: { categories: tree } } });
    await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      input: { enabled: true },
    });
  });
  afterAll(() => w.stop());

  it("runs end to end: parents first, linked, counts consistent with items", async () => {
    const queued = (
      await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "CATEGORIES_ECWID_TO_CCV" })
    ).runSync;
    expect(queued.status).toBe("QUEUED");
    const run = await w.waitRun(queued.id);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.counts).toEqual({ total: 4, created: 4, updated: 0, skipped: 0, failed: 0 });
    expect(run.expectedTotal).toBe(4);
    expect(run.progress).toBe(1);
    const detail = (await w.gql(SyncRunDocument, { id: run.id })).syncRun!;
    expect(detail.items.totalCount).toBe(4);
    const items = detail.items.edges.map((e) => e.node);
    expect(items.map((i) => i.sourceId)).toEqual(["9001", "9002", "9003", "9004"]);
    for (const i of items) {
      expect(i.action).toBe("CREATE");
      expect(i.status).toBe("SUCCEEDED");
      expect(i.targetId).toBeTruthy();
      expect(i.sentPayload).toMatchObject({ name: expect.any(String) });
      expect(i.changes.find((c) => c.field === "name")).toBeTruthy();
    }
    const ccvCats = [...w.ccv.store.categories.values()];
    const shirts = ccvCats.find((c) => c.name === "Shirts")!;
    const apparel = ccvCats.find((c) => c.name === "Apparel")!;
    expect(shirts.parentcategory_id).toBe(apparel.id);
    expect(ccvCats.find((c) => c.name === "Caps")!.show_on_website).toBe(false);
  });

  it("a second run writes nothing: unchanged records are skipped", async () => {
    const before = w.ccv.log.writes().length;
    const r = await w.waitRun(
      (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "CATEGORIES_ECWID_TO_CCV" }))
        .runSync.id,
    );
    expect(r.counts).toEqual({ total: 4, created: 0, updated: 0, skipped: 4, failed: 0 });
    expect(w.ccv.log.writes().length).toBe(before);
    const runs = (await w.gql(SyncRunsDocument, { integrationId: w.integrationId })).syncRuns.edges.map(
      (e) => e.node.id,
    );
    expect(runs[0]).toBe(r.id);
    const flow = (await w.gql(FlowDetailDocument, { id: w.integrationId, kind: "CATEGORIES_ECWID_TO_CCV" }))
      .integration!.flow;
    expect(flow.lastRun?.id).toBe(r.id);
  });

  it("a dry run records what it would do and sends no write to either system", async () => {
    w.ecwid.store.updateCategory(9002, { name: "T-Shirts" });
    w.ecwid.store.createCategory({ name: "Bags", parentId: 9003 });
    const ecwidWrites = w.ecwid.log.writes().length;
    const ccvWrites = w.ccv.log.writes().length;
    const r = await w.waitRun(
      (
        await w.gql(RunSyncDocument, {
          integrationId: w.integrationId,
          flow: "CATEGORIES_ECWID_TO_CCV",
          options: { dryRun: true },
        })
      ).runSync.id,
    );
    expect(r.dryRun).toBe(true);
    expect(r.counts).toMatchObject({ total: 5, created: 1, updated: 1, skipped: 3, failed: 0 });
    expect(w.ccv.log.writes().length).toBe(ccvWrites);
    expect(w.ecwid.log.writes().length).toBe(ecwidWrites);
    const items = (await w.gql(SyncRunDocument, { id: r.id })).syncRun!.items.edges.map((e) => e.node);
    const rename = items.find((i) => i.sourceId === "9002")!;
    expect(rename).toMatchObject({ action: "UPDATE", status: "PENDING" });
    expect(rename.changes).toContainEqual({ field: "name", before: "Shirts", after: "T-Shirts" });
    const bags = items.find((i) => i.action === "CREATE")!;
    expect(bags.status).toBe("PENDING");
    expect(bags.sentPayload).toMatchObject({ name: "Bags", parentcategory_id: expect.any(Number) });
    // nothing was linked by the dry run: a real run still creates
    const real = await w.waitRun(
      (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "CATEGORIES_ECWID_TO_CCV" }))
        .runSync.id,
    );
    expect(real.counts).toMatchObject({ created: 1, updated: 1, skipped: 3 });
    expect([...w.ccv.store.categories.values()].map((c) => c.name)).toEqual(
      expect.arrayContaining(["T-Shirts", "Bags"]),
    );
  });

  it("a failed item is retried alone by retryFailedItems, and replayItem runs one item again now", async () => {
    w.ecwid.store.createCategory({ name: "Shoes" });
    w.ecwid.store.createCategory({ name: "Socks" });
    // CCV refuses the first create (validation): not retried by the transport, the item fails
    w.ccv.faults.add({ method: "POST", path: /\/categories\/?$/, kind: "status", status: 400, times: 1 });
    const r = await w.waitRun(
      (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: "CATEGORIES_ECWID_TO_CCV" }))
        .runSync.id,
    );
    expect(r.status).toBe("PARTIAL");
    expect(r.counts).toMatchObject({ created: 1, failed: 1 });
    const failed = (await w.gql(SyncRunDocument, { id: r.id, status: "FAILED" })).syncRun!.items.edges.map(
      (e) => e.node,
    );
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ errorCode: "VALIDATION", attempts: 1 });
    expect(failed[0].reason).toBeTruthy();

    const retry = (await w.gql(RetryFailedItemsDocument, { runId: r.id })).retryFailedItems;
    expect(retry.trigger).toBe("RETRY");
    expect(retry.expectedTotal).toBe(1);
    const done = await w.waitRun(retry.id);
    expect(done.counts).toEqual({ total: 1, created: 1, updated: 0, skipped: 0, failed: 0 });
    const retried = (await w.gql(SyncRunDocument, { id: retry.id })).syncRun!.items.edges[0].node;
    expect(retried.sourceId).toBe(failed[0].sourceId);
    expect(errorCode(await w.raw(RetryFailedItemsDocument, { runId: retry.id }))).toBe("BAD_USER_INPUT");

    const replayed = (await w.gql(ReplayItemDocument, { itemId: retried.id })).replayItem;
    expect(replayed.id).not.toBe(retried.id);
    expect(replayed).toMatchObject({ sourceId: retried.sourceId, action: "SKIP", status: "SKIPPED" });
    expect((await w.gql(SyncItemDocument, { id: replayed.id })).syncItem?.runId).toBe(replayed.runId);
  });

  it("cancelRun stops a run between items", async () => {
    const run = (
      await w.gql(RunSyncDocument, {
        integrationId: w.integrationId,
        flow: "CATEGORIES_ECWID_TO_CCV",
        options: { full: true },
      })
    ).runSync;
    const c = (await w.gql(CancelRunDocument, { id: run.id })).cancelRun;
    const final = await w.waitRun(c.id);
    expect(final.status).toBe("CANCELLED");
    expect(final.counts.total).toBeLessThan(8);
  });

  it("lists items across runs with filters and cursor pagination", async () => {
    const all = await w.gql(SyncItemsDocument, { integrationId: w.integrationId, sourceId: "9001" });
    expect(all.syncItems.totalCount).toBeGreaterThanOrEqual(3);
    const p1 = await w.gql(SyncItemsDocument, { integrationId: w.integrationId, first: 2 });
    expect(p1.syncItems.edges).toHaveLength(2);
    expect(p1.syncItems.pageInfo.hasNextPage).toBe(true);
    const p2 = await w.gql(SyncItemsDocument, {
      integrationId: w.integrationId,
      first: 2,
      after: p1.syncItems.pageInfo.endCursor,
    });
    expect(p2.syncItems.edges[0].node.id).not.toBe(p1.syncItems.edges[1].node.id);
    expect(Number(p2.syncItems.edges[0].node.id)).toBeGreaterThan(Number(p1.syncItems.edges[1].node.id));
    const failed = await w.gql(SyncItemsDocument, { integrationId: w.integrationId, status: "FAILED" });
    expect(failed.syncItems.edges.every((e) => e.node.status === "FAILED")).toBe(true);
    expect(
      errorCode(await w.raw(SyncItemsDocument, { integrationId: w.integrationId, after: "garbage!" })),
    ).toBe("BAD_USER_INPUT");
  });

  it("user mappings override defaults; a bad expression is refused with its position; preview shows the payload", async () => {
    const defaults = (await w.gql(DefaultFieldMappingsDocument, { flow: "CATEGORIES_ECWID_TO_CCV" }))
      .defaultFieldMappings;
    expect(defaults.map((d) => d.target)).toEqual(
      expect.arrayContaining(["name", "description", "parentcategory_id"]),
    );
    const bad = await w.raw(SetFieldMappingsDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      mappings: [{ target: "description", expression: "'<p>' & (name" }],
    });
    expect(errorCode(bad)).toBe("BAD_USER_INPUT");
    expect(bad.errors![0].message).toMatch(/mapping "description".*position/);
    expect(bad.errors![0].extensions).toMatchObject({ mapping: "description", position: expect.any(Number) });
    const set = await w.gql(SetFieldMappingsDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      mappings: [
        { target: "description", expression: "'<p>' & name & '</p>'", policy: "CREATE_ONLY" },
        { target: "name", expression: "$uppercase(name)" },
      ],
    });
    const inForce = set.setFieldMappings.fieldMappings;
    expect(inForce.filter((m) => m.target === "name")).toEqual([
      expect.objectContaining({ isDefault: false, expression: "$uppercase(name)" }),
    ]);
    expect(inForce.find((m) => m.target === "parentcategory_id")?.isDefault).toBe(true);
    const preview = (
      await w.gql(PreviewMappingDocument, {
        integrationId: w.integrationId,
        flow: "CATEGORIES_ECWID_TO_CCV",
        sourceId: "9002",
      })
    ).previewMapping;
    expect(preview.errors).toEqual([]);
    expect(preview.targetPayload).toMatchObject({
      name: "T-SHIRTS",
      description: "<p>T-Shirts</p>",
      parentcategory_id: expect.any(Number),
    });
    expect(preview.sourcePayload).toMatchObject({ id: 9002, name: "T-Shirts" });
    // an update applies ALWAYS mappings and keeps CREATE_ONLY ones
    const r = await w.waitRun(
      (
        await w.gql(RunSyncDocument, {
          integrationId: w.integrationId,
          flow: "CATEGORIES_ECWID_TO_CCV",
          options: { sourceIds: ["9002"] },
        })
      ).runSync.id,
    );
    expect(r.counts.updated).toBe(1);
    const shirt = [...w.ccv.store.categories.values()].find((c) => c.name === "T-SHIRTS")!;
    expect(shirt.description).not.toBe("<p>T-Shirts</p>");
    await w.gql(SetFieldMappingsDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      mappings: [],
    });
  });

  it("validates flow configuration and value maps", async () => {
    const badCron = await w.raw(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      input: { schedule: "every five minutes" },
    });
    expect(errorCode(badCron)).toBe("BAD_USER_INPUT");
    expect(badCron.errors![0].message).toMatch(/cron/);
    const debtor = await w.raw(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      input: { settings: { useDefaultDebtor: true } },
    });
    expect(errorCode(debtor)).toBe("BAD_USER_INPUT");
    const ok = await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      input: {
        schedule: "*/15 * * * *",
        settings: { orderStatuses: ["PAID", " PAID ", "AWAITING_PAYMENT"] },
      },
    });
    expect(ok.configureFlow).toMatchObject({
      enabled: true,
      schedule: "*/15 * * * *",
      settings: { orderStatuses: ["PAID", "AWAITING_PAYMENT"] },
    });
    const cleared = await w.gql(ConfigureFlowDocument, {
      integrationId: w.integrationId,
      flow: "CATEGORIES_ECWID_TO_CCV",
      input: { schedule: null },
    });
    expect(cleared.configureFlow.schedule).toBeNull();
    const vm = await w.gql(SetValueMappingsDocument, {
      integrationId: w.integrationId,
      kind: "PAYMENT_METHOD",
      entries: [
        { from: "BankTransfer", to: "Bank transfer" },
        { from: "*", to: "Other" },
      ],
    });
    expect(vm.setValueMappings).toHaveLength(2);
    const dup = await w.raw(SetValueMappingsDocument, {
      integrationId: w.integrationId,
      kind: "PAYMENT_METHOD",
      entries: [
        { from: "x", to: "a" },
        { from: "x", to: "b" },
      ],
    });
    expect(errorCode(dup)).toBe("BAD_USER_INPUT");
    const flow = (await w.gql(FlowDetailDocument, { id: w.integrationId, kind: "CATEGORIES_ECWID_TO_CCV" }))
      .integration!.flow;
    expect(flow.valueMappings.map((v) => v.from).sort()).toEqual(["*", "BankTransfer"]);
  });
});
