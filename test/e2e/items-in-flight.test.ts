import { ConfigureFlowDocument, RunSyncDocument } from "../../sdk/generated/graphql";
import type { CcvProduct } from "../../src/connectors/ccv-salespos";
import { LeaseEntity } from "../../src/db/entities/infra.entity";
import { SyncItemEntity } from "../../src/db/entities/sync-item.entity";
import { SyncRunEntity } from "../../src/db/entities/sync-run.entity";
import type { FlowDefinition } from "../../src/sync/engine/flow-definition";
import { eventually, startWorld, type World } from "../support/world";

/**
 * Several items of one run in flight (FlowDefinition.maxItemsInFlight): every record is leased and
 * recorded once, the resumable checkpoint never passes an item that is not durably recorded, and a
 * crash with items in flight skips and doubles nothing. The test flow discovers CCV products (real
 * HTTP, pages of 3, a checkpoint after every record) and lets every fourth item take longer, so
 * items finish out of discovery order. SQLite and MariaDB.
 */
const FLOW = "PRODUCTS_CCV_TO_ECWID" as const;
const PRODUCTS = 12;
const IN_FLIGHT = 4;

interface Probe {
  inFlight: number;
  maxInFlight: number;
  /** syncItem calls per source id */
  calls: Map<string, number>;
  /** discovery position of each source id */
  order: string[];
}

const newProbe = (): Probe => ({ inFlight: 0, maxInFlight: 0, calls: new Map(), order: [] });

function testFlow(probe: Probe, groupOf?: (id: string) => string | null): FlowDefinition {
  return {
    kind: FLOW,
    entity: "PRODUCT",
    source: "CCV_SALESPOS",
    target: "ECWID",
    defaultMappings: [],
    maxItemsInFlight: IN_FLIGHT,
    ...(groupOf ? { itemGroup: (r) => groupOf(r.id) } : {}),
    async *discover(rt, opts) {
      let start = (opts.checkpoint as { next?: number } | undefined)?.next ?? 0;
      for (;;) {
        const page = await rt.clients.ccv.page<CcvProduct>("/products", start, {}, { size: 3 });
        for (const p of page.items) {
          start += 1;
          if (!probe.order.includes(String(p.id))) probe.order.push(String(p.id));
          yield { record: { id: String(p.id), payload: p }, checkpoint: { next: start } };
        }
        if (!page.hasNext) return;
      }
    },
    fetchOne: async (rt, id) => ({ id, payload: await rt.clients.ccv.getProduct(id) }),
    async syncItem(_rt, record) {
      probe.calls.set(record.id, (probe.calls.get(record.id) ?? 0) + 1);
      probe.inFlight += 1;
      probe.maxInFlight = Math.max(probe.maxInFlight, probe.inFlight);
      try {
        // every fourth record takes longer: later ones overtake it
        const slow = probe.order.indexOf(record.id) % IN_FLIGHT === 0;
        await new Promise((r) => setTimeout(r, slow ? 150 : 10));
        return { action: "UPDATE", targetId: `e${record.id}` };
      } finally {
        probe.inFlight -= 1;
      }
    },
  };
}

/**
 * Called before each item is recorded: the checkpoint stored so far must not pass a record whose
 * item is not recorded yet. Counts the items recorded out of discovery order (the case under test).
 */
function checkpointWatch(world: () => World | undefined, probe: Probe) {
  const violations: string[] = [];
  let outOfOrder = 0;
  const check = async (runId: string, sourceId: string) => {
    const ds = world()!.t.gw.dataSource;
    const run = await ds.manager.findOneByOrFail(SyncRunEntity, { id: runId });
    // the record is still leased until its item is recorded (the record's transaction releases it)
    const key = `${run.integrationId}:PRODUCT:${sourceId}`;
    if (!(await ds.manager.findOneBy(LeaseEntity, { key })))
      violations.push(`${sourceId} not leased while recorded`);
    const recorded = new Set(
      (await ds.manager.find(SyncItemEntity, { where: { runId } })).map((i) => i.sourceId),
    );
    const next = (run.state?.checkpoint as { next?: number } | undefined)?.next ?? 0;
    const passed = probe.order.slice(0, next).filter((id) => !recorded.has(id));
    if (passed.length > 0) violations.push(`checkpoint ${next} passes unrecorded ${passed.join(",")}`);
    const position = probe.order.indexOf(sourceId);
    if (probe.order.slice(0, position).some((id) => !recorded.has(id))) outOfOrder += 1;
  };
  return { violations, outOfOrder: () => outOfOrder, check };
}

const seed = (w: World) =>
  w.ccv.store.seedProducts(PRODUCTS, (i) => ({ name: `Product ${i}`, productnumber: `P-${i}`, price: 10 }));

async function itemsOf(w: World, runId: string) {
  return w.t.gw.dataSource.manager.find(SyncItemEntity, { where: { runId }, order: { id: "ASC" } });
}

describe("items in flight within one run", () => {
  it("works on several items at once, records each once, and never checkpoints past an unrecorded item", async () => {
    const probe = newProbe();
    const ref: { w?: World } = {};
    const watch = checkpointWatch(() => ref.w, probe);
    const w = (ref.w = await startWorld({
      engine: { flows: [testFlow(probe)], hooks: { beforeRecord: watch.check } },
    }));
    try {
      seed(w);
      await w.gql(ConfigureFlowDocument, {
        integrationId: w.integrationId,
        flow: FLOW,
        input: { enabled: true },
      });
      const run = (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: FLOW })).runSync;
      const final = await w.waitRun(run.id);
      expect(final.status).toBe("SUCCEEDED");
      expect(final.counts.total).toBe(PRODUCTS);
      expect(final.progress).toBe(1);
      const items = await itemsOf(w, run.id);
      expect(items.map((i) => i.sourceId).sort()).toEqual([...probe.order].sort());
      expect(new Set(items.map((i) => i.sourceId)).size).toBe(PRODUCTS);
      expect([...probe.calls.values()].every((n) => n === 1)).toBe(true);
      // more than one at a time, never more than the flow allows
      expect(probe.maxInFlight).toBeGreaterThan(1);
      expect(probe.maxInFlight).toBeLessThanOrEqual(IN_FLIGHT);
      expect(watch.outOfOrder()).toBeGreaterThan(0);
      expect(watch.violations).toEqual([]);
      // the finished run's checkpoint covers every record
      const stored = await w.t.gw.dataSource.manager.findOneByOrFail(SyncRunEntity, { id: run.id });
      expect((stored.state?.checkpoint as { next: number }).next).toBe(PRODUCTS);
      // every item's lease was given up with its record
      expect(await w.t.gw.dataSource.manager.count(LeaseEntity)).toBe(0);
    } finally {
      await w.stop();
    }
  });

  it("items of one group are worked on one after the other", async () => {
    const probe = newProbe();
    const groupOf = () => "one customer";
    const w = await startWorld({ engine: { flows: [testFlow(probe, groupOf)] } });
    try {
      seed(w);
      await w.gql(ConfigureFlowDocument, {
        integrationId: w.integrationId,
        flow: FLOW,
        input: { enabled: true },
      });
      const run = (await w.gql(RunSyncDocument, { integrationId: w.integrationId, flow: FLOW })).runSync;
      expect((await w.waitRun(run.id)).counts.total).toBe(PRODUCTS);
      expect(probe.maxInFlight).toBe(1);
      // in discovery order, as one item at a time would
      const items = await itemsOf(w, run.id);
      expect(items.map((i) => i.sourceId)).toEqual(probe.order);
    } finally {
      await w.stop();
    }
  });

  it("a crash with items in flight is resumed by another worker: nothing skipped, nothing recorded twice, recorded items not redone", async () => {
    const probe = newProbe();
    const ref: { a?: World; b?: World } = {};
    const watch = checkpointWatch(() => ref.b ?? ref.a, probe);
    let seen = 0;
    let crashed = false;
    let recordedAtCrash: string[] = [];
    const a = (ref.a = await startWorld({
      engine: {
        flows: [testFlow(probe)],
        queue: { lockMs: 600, pollMs: 50 },
        leaseTtlMs: 600,
        hooks: {
          beforeRecord: async (runId, sourceId) => {
            await watch.check(runId, sourceId);
            seen += 1;
            // the worker dies while this item and others are in flight, none of them recorded
            if (seen === 6 && !crashed) {
              crashed = true;
              recordedAtCrash = (await itemsOf(ref.a!, runId)).map((i) => i.sourceId);
              void ref.a!.t.gw.engine.queue.crash!();
            }
          },
        },
      },
    }));
    let b: World | undefined;
    try {
      seed(a);
      await a.gql(ConfigureFlowDocument, {
        integrationId: a.integrationId,
        flow: FLOW,
        input: { enabled: true },
      });
      const run = (await a.gql(RunSyncDocument, { integrationId: a.integrationId, flow: FLOW })).runSync;
      await eventually(async () => crashed, "the crash point");
      expect(recordedAtCrash.length).toBeLessThan(PRODUCTS);

      b = ref.b = await startWorld({
        join: {
          db: a.t.db,
          integrationId: a.integrationId,
          key: a.key,
          workspaceId: a.workspaceId,
          ecwid: a.ecwid,
          ccv: a.ccv,
        },
        engine: {
          flows: [testFlow(probe)],
          queue: { lockMs: 600, pollMs: 50 },
          leaseTtlMs: 600,
          hooks: { beforeRecord: watch.check },
        },
      });
      const final = await b.waitRun(run.id);
      expect(final.status).toBe("SUCCEEDED");
      expect(final.counts.total).toBe(PRODUCTS);
      const items = await itemsOf(b, run.id);
      // every record once: none skipped by the checkpoint, none recorded twice
      expect(items.map((i) => i.sourceId).sort()).toEqual([...probe.order].sort());
      expect(new Set(items.map((i) => i.sourceId)).size).toBe(PRODUCTS);
      // what was recorded before the crash was not worked on again
      for (const id of recordedAtCrash) expect(probe.calls.get(id)).toBe(1);
      expect(watch.violations).toEqual([]);
    } finally {
      await b?.stop();
      await a.stop();
    }
  });
});
