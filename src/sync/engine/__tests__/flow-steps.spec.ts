import type { LinkWrite, SourceRecord } from "../flow-definition";
import { stepsFlow, type WritePlan } from "../flow-steps";
import { diffFields } from "../hash";
import { testRuntime, type TestRuntimeOptions } from "../test-runtime";

/**
 * The step runner on the test runtime, with a small flow of its own: records in, decisions (and the
 * steps and vendor calls they cost) out. The order flows' own decisions are order-steps.spec.ts's.
 */

interface Sale {
  id: string;
  status: string;
  sku: string;
  /** set when the sale was made by the gateway from the other side */
  madeFrom?: string;
}

/** the mapped body */
type Body = { reservationnumber: string; storeId: string; sku: string };

interface Plan extends WritePlan<Body> {
  /** set by `ready` */
  userId?: number;
}

/** the steps each record went through, in order */
let ran: string[] = [];

const flow = stepsFlow(
  {
    kind: "ORDERS_ECWID_TO_CCV",
    entity: "ORDER",
    source: "ECWID",
    target: "CCV_SALESPOS",
    defaultMappings: [],
    // eslint-disable-next-line require-yield
    async *discover() {
      throw new Error("not used");
    },
    fetchOne: async () => null,
  },
  {
    source: (record) => record.payload as Sale,
    guards: {
      async linked(rt, { record }) {
        ran.push("linked");
        const link = await rt.links.byEcwid("ORDER", record.id);
        return link ? { action: "SKIP", targetId: link.ccvId, reason: "linked" } : null;
      },
      qualify(_rt, { source }) {
        ran.push("qualify");
        return source.status === "PAID" ? null : `status ${source.status}`;
      },
      async echo(_rt, { source }) {
        ran.push("echo");
        return source.madeFrom ? `made from ${source.madeFrom}` : null;
      },
    },
    async prepare(rt) {
      ran.push("prepare");
      const profile = await rt.clients.ccv.getStoreProfile();
      return { storeId: profile.storeId };
    },
    async map(_rt, { source, prepared }): Promise<Body> {
      ran.push("map");
      // the prepared step's type flows here: storeId is a string
      return {
        reservationnumber: `R-${source.id}`,
        storeId: prepared.storeId.toUpperCase(),
        sku: source.sku,
      };
    },
    findExisting: {
      reference: ({ payload }) => String(payload.reservationnumber),
      async byReference(rt, reference) {
        ran.push("byReference");
        const found = await rt.clients.ccv.findOrderByReference(reference, new Date(0));
        return found ? { id: String(found.id), label: `#${found.ordernumber}` } : undefined;
      },
      taken: (reference, taken) => new Error(`${reference} is ${taken.ownerSourceId}'s`),
      where: "CCV SalesPOS as order",
      referenceName: "reservation number",
      linkedElsewhere: (ref) => `${ref.label} is linked to another sale`,
    },
    write: {
      async plan(_rt, { payload }): Promise<Plan> {
        ran.push("plan");
        return { payload, changes: diffFields(null, payload) };
      },
      async ready(rt, _item, plan) {
        ran.push("ready");
        const user = await rt.clients.ccv.createUser({ email: "a@example.com" } as never);
        return { ...plan, userId: user.id };
      },
      async send(rt, plan) {
        ran.push("send");
        return rt.clients.ccv.createOrder({ ...plan.payload, user_id: plan.userId } as never);
      },
      ref: (o) => ({ id: String(o.id), label: `#${o.ordernumber}` }),
      reason: (_plan, ref) => (ref ? `sent as ${ref.label}` : "would be sent"),
    },
    async links(rt, { record }, written) {
      ran.push(`links:${written.kind}`);
      const own = await rt.links.byCcv("ORDER", written.ref.id);
      const links: LinkWrite[] = own
        ? []
        : [
            {
              entity: "ORDER" as const,
              ecwidId: record.id,
              ccvId: written.ref.id,
              createdBy: "CCV_SALESPOS" as const,
            },
          ];
      if (written.kind === "CREATED" && written.plan.userId !== undefined) {
        links.push({
          entity: "CUSTOMER",
          ecwidId: "c-1",
          ccvId: String(written.plan.userId),
          createdBy: "CCV_SALESPOS",
        });
      }
      return links;
    },
  },
);

const sale = (over: Partial<Sale> = {}): SourceRecord => ({
  id: "S-1",
  entity: "ORDER",
  payload: { id: "S-1", status: "PAID", sku: "MUG", ...over },
});

const run = (o: TestRuntimeOptions = {}) =>
  testRuntime(flow, {
    ...o,
    ccv: {
      getStoreProfile: async () => ({ storeId: "shop-7" }),
      createUser: async () => ({ id: 31 }),
      createOrder: async () => ({ id: 900, ordernumber: 12 }),
      ...o.ccv,
    },
  });
const methods = (calls: { system: string; method: string }[]) => calls.map((c) => `${c.system}.${c.method}`);
const mapped = { reservationnumber: "R-S-1", storeId: "SHOP-7", sku: "MUG" };

beforeEach(() => {
  ran = [];
});

describe("flow steps: guards", () => {
  it("the first guard that answers decides: a linked record is not qualified, echo-checked, prepared or written", async () => {
    const t = run({ links: [{ entity: "ORDER", ecwidId: "S-1", ccvId: "77", createdBy: "CCV_SALESPOS" }] });
    // it would not qualify and is an echo too: linked comes first
    expect(await t.sync(sale({ status: "OPEN", madeFrom: "77" }))).toEqual({
      action: "SKIP",
      targetId: "77",
      reason: "linked",
    });
    expect(ran).toEqual(["linked"]);
    expect(t.calls).toEqual([]);
    expect(t.intents).toEqual([]);
  });

  it("qualify comes before echo, and echo before prepare", async () => {
    const notPaid = run();
    expect(await notPaid.sync(sale({ status: "OPEN", madeFrom: "77" }))).toEqual({
      action: "SKIP",
      reason: "status OPEN",
    });
    expect(ran).toEqual(["linked", "qualify"]);

    ran = [];
    const echo = run();
    expect(await echo.sync(sale({ madeFrom: "77" }))).toEqual({ action: "SKIP", reason: "made from 77" });
    expect(ran).toEqual(["linked", "qualify", "echo"]);
    expect(echo.calls).toEqual([]);
  });
});

/** an intent whose create was recorded: CCV order 900 (#12) for sale S-1 */
const SETTLED_INTENT = {
  target: "CCV_SALESPOS",
  entity: "ORDER",
  reference: "R-S-1",
  sourceId: "S-1",
  targetId: "900",
  targetLabel: "#12",
} as const;

describe("flow steps: find existing", () => {
  it("an intent with an outcome is the recovered create: linked, with no search and no write", async () => {
    const t = run({
      intents: [SETTLED_INTENT],
    });
    expect(await t.sync(sale())).toEqual({
      action: "CREATE",
      targetId: "900",
      reason:
        "Already in CCV SalesPOS as order #12: an earlier attempt created it (recorded when it was sent, with reservation number R-S-1); linked, not sent again.",
      changes: diffFields(null, mapped),
      sentPayload: mapped,
      links: [{ entity: "ORDER", ecwidId: "S-1", ccvId: "900", createdBy: "CCV_SALESPOS" }],
    });
    expect(ran).toEqual(["linked", "qualify", "echo", "prepare", "map", "links:RECOVERED"]);
    expect(methods(t.calls)).toEqual(["ccv.getStoreProfile"]);
    expect(t.rt.intents.searches).toBe(0);
  });

  it("an intent without an outcome searches by reference once; found, it is recorded as recovered", async () => {
    const t = run({
      intents: [
        { target: "CCV_SALESPOS", entity: "ORDER", reference: "R-S-1", sourceId: "S-1", targetId: null },
      ],
      ccv: { findOrderByReference: async () => ({ id: 901, ordernumber: 13 }) },
    });
    expect(await t.sync(sale())).toMatchObject({
      action: "CREATE",
      targetId: "901",
      reason:
        "Already in CCV SalesPOS as order #13: an earlier attempt created it (found by its reservation number R-S-1); linked, not sent again.",
      links: [{ entity: "ORDER", ecwidId: "S-1", ccvId: "901" }],
    });
    expect(methods(t.calls)).toEqual(["ccv.getStoreProfile", "ccv.findOrderByReference"]);
    expect(t.calls[1].args[0]).toBe("R-S-1");
    // the search's answer is kept: the next attempt needs none
    expect(t.intents).toMatchObject([{ reference: "R-S-1", targetId: "901", targetLabel: "#13" }]);
  });

  it("a recovered record the links step does not link to this record is skipped, not linked", async () => {
    const t = run({
      links: [{ entity: "ORDER", ecwidId: "S-OTHER", ccvId: "900", createdBy: "CCV_SALESPOS" }],
      intents: [SETTLED_INTENT],
    });
    expect(await t.sync(sale())).toEqual({
      action: "SKIP",
      targetId: "900",
      reason: "#12 is linked to another sale",
      links: [],
    });
    expect(methods(t.calls)).not.toContain("ccv.createOrder");
  });

  it("a reference another record's intent carries fails the item before any write", async () => {
    const t = run({
      intents: [
        { target: "CCV_SALESPOS", entity: "ORDER", reference: "R-S-1", sourceId: "S-9", targetId: "905" },
      ],
    });
    await expect(t.sync(sale())).rejects.toThrow("R-S-1 is S-9's");
    expect(ran).not.toContain("plan");
    expect(methods(t.calls)).toEqual(["ccv.getStoreProfile"]);
  });
});

describe("flow steps: write and links", () => {
  it("plan → ready → send under an intent; the created record and the plan's records are linked", async () => {
    const t = run({ ccv: { findOrderByReference: async () => undefined } });
    expect(await t.sync(sale())).toEqual({
      action: "CREATE",
      targetId: "900",
      reason: "sent as #12",
      changes: diffFields(null, mapped),
      sentPayload: mapped,
      links: [
        { entity: "ORDER", ecwidId: "S-1", ccvId: "900", createdBy: "CCV_SALESPOS" },
        { entity: "CUSTOMER", ecwidId: "c-1", ccvId: "31", createdBy: "CCV_SALESPOS" },
      ],
    });
    expect(ran).toEqual([
      "linked",
      "qualify",
      "echo",
      "prepare",
      "map",
      "plan",
      "ready",
      "send",
      "links:CREATED",
    ]);
    // no intent yet: no reference search; the create sends what ready made of the plan
    expect(methods(t.calls)).toEqual(["ccv.getStoreProfile", "ccv.createUser", "ccv.createOrder"]);
    expect(t.calls[2].args[0]).toEqual({ ...mapped, user_id: 31 });
    // the intent holds the outcome: a later attempt links it without asking CCV
    expect(t.intents).toMatchObject([
      { sourceId: "S-1", reference: "R-S-1", targetId: "900", targetLabel: "#12" },
    ]);
  });

  it("a dry run plans and stops: no ready, no create, no intent", async () => {
    const t = run({ dryRun: true });
    expect(await t.sync(sale())).toEqual({
      action: "CREATE",
      changes: diffFields(null, mapped),
      sentPayload: mapped,
      reason: "would be sent",
    });
    expect(ran).toEqual(["linked", "qualify", "echo", "prepare", "map", "plan"]);
    expect(methods(t.calls)).toEqual(["ccv.getStoreProfile"]);
    expect(t.intents).toEqual([]);
  });
});
