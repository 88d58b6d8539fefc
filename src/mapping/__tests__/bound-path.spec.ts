import jsonata from "jsonata";
import { compileExpression } from "../expression";

/**
 * `$ctx.a.b` expressions are read without JSONata's evaluator (expression.ts, boundPath): whatever
 * the bound value holds, the result must be JSONata's own.
 */
const jsonataResult = async (src: string, bindings: Record<string, unknown>) => {
  const v: unknown = await jsonata(src).evaluate({}, bindings);
  return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as unknown);
};

class Money {
  constructor(readonly amount: number) {}
}

const CTX: Record<string, unknown> = {
  name: "Ada",
  zero: 0,
  no: false,
  nothing: null,
  billing: { first_name: "Ada", zipcode: "1011 AB", nested: { deep: [1, 2] }, empty: {} },
  rows: [{ sku: "A", count: 1 }],
  single: [{ sku: "B" }],
  list: [1, 2, 3],
  people: [{ name: "a" }, { name: "b" }],
  text: "abc",
  money: new Money(5),
  bare: Object.assign(Object.create(null) as object, { x: 1 }),
};

const EXPRESSIONS = [
  "$ctx.name",
  "$ctx.zero",
  "$ctx.no",
  "$ctx.nothing",
  "$ctx.missing",
  "$ctx.missing.deeper",
  "$ctx.billing",
  "$ctx.billing.first_name",
  "$ctx.billing.nested",
  "$ctx.billing.nested.deep",
  "$ctx.billing.empty",
  "$ctx.rows",
  "$ctx.single",
  "$ctx.single.sku",
  "$ctx.list",
  "$ctx.people.name",
  "$ctx.text.length",
  "$ctx.money.amount",
  "$ctx.bare.x",
  "$ctx.toString",
  "$ctx.nothing.x",
  "$other.name",
  " $ctx.name ",
];

describe("bound paths ($ctx.a.b) read without the evaluator", () => {
  it.each(EXPRESSIONS)("%s gives JSONata's result", async (src) => {
    const ours = await compileExpression(src).evaluate({}, { ctx: CTX });
    const theirs = await jsonataResult(src, { ctx: CTX });
    expect(ours === undefined ? undefined : JSON.parse(JSON.stringify(ours))).toStrictEqual(theirs);
  });

  it("returns a copy: changing the result does not change the bound value", async () => {
    const v = (await compileExpression("$ctx.billing").evaluate({}, { ctx: CTX })) as Record<string, unknown>;
    v.first_name = "Eve";
    expect((CTX.billing as Record<string, unknown>).first_name).toBe("Ada");
  });

  it("without bindings the expression is JSONata's (an unbound variable is nothing)", async () => {
    expect(await compileExpression("$ctx.name").evaluate({ ctx: { name: "x" } })).toBeUndefined();
  });
});
