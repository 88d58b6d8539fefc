import { closeExpressionPool } from "../expression-pool";
import { MappingSet, resolveMappings, validateMapping, type FieldMappingDef } from "../field-mapping";
import { getPath, parsePath, setPath, unsafeKeyIn } from "../paths";

afterAll(() => closeExpressionPool());

const polluted = () =>
  ["x", "polluted", "isAdmin"].filter((k) => Object.prototype.hasOwnProperty.call(Object.prototype, k));

const ATTACK_PATHS = [
  "__proto__.x",
  "__proto__",
  "constructor.prototype.x",
  "a.__proto__",
  "a.__proto__.x",
  "prototype.x",
  "a[0].constructor",
  "orderrows[1].__proto__.polluted",
];

describe("mapping paths refuse every way to an object's prototype", () => {
  it.each(ATTACK_PATHS)("%s is not a field path, for writes and reads", (p) => {
    expect(() => parsePath(p)).toThrow(/not a field name/);
    expect(() => setPath({}, p, "yes")).toThrow();
    expect(() => getPath({}, p)).toThrow();
    expect(polluted()).toEqual([]);
  });

  it("reads own fields only and writes objects without a prototype", () => {
    expect(getPath({ a: 1 }, "toString")).toBeUndefined();
    expect(getPath({ a: { b: 2 } }, "a.hasOwnProperty")).toBeUndefined();
    const o: Record<string, unknown> = {};
    setPath(o, "customer.toString", "x");
    expect(Object.getPrototypeOf(o.customer)).toBeNull();
    expect((o.customer as Record<string, unknown>).toString).toBe("x");
    expect({}.toString).toBe(Object.prototype.toString);
  });

  it("names the first unsafe key of a JSON value", () => {
    expect(unsafeKeyIn(JSON.parse('{"a":[{"__proto__":{"x":1}}]}'))).toBe("a[0].__proto__");
    expect(unsafeKeyIn({ a: { constructor: { prototype: 1 } } })).toBe("a.constructor");
    expect(unsafeKeyIn({ a: [1, { b: "prototype" }] })).toBeNull();
  });
});

describe("user mappings that try to pollute are refused when saved and fail safely when loaded", () => {
  const attacks: FieldMappingDef[] = [
    ...ATTACK_PATHS.map((target) => ({ target, defaultValue: "yes", policy: "ALWAYS" as const })),
    { target: "memo", source: "__proto__.constructor", policy: "ALWAYS" },
    { target: "memo", defaultValue: JSON.parse('{"__proto__":{"polluted":true}}'), policy: "ALWAYS" },
  ];

  it.each(attacks.map((a) => [JSON.stringify(a), a] as const))("validateMapping refuses %s", (_, a) => {
    expect(() => validateMapping(a)).toThrow(/not a field name/);
  });

  it("a set holding saved attacks never throws, reports each one by name, and pollutes nothing", async () => {
    const set = new MappingSet(
      resolveMappings([{ target: "name", source: "name", policy: "ALWAYS" }], attacks),
    );
    const r = await set.apply({ name: "Mug" }, { isCreate: true, current: { name: "old" } });
    expect(r.payload).toEqual({ name: "Mug" });
    expect(r.errors).toHaveLength(attacks.length);
    expect(r.errors[0]).toMatch(/^mapping "__proto__.x": target uses "__proto__", which is not a field name/);
    expect(polluted()).toEqual([]);
  });

  it("an expression that builds prototype keys gets an error, not a polluted payload", async () => {
    const set = new MappingSet(
      resolveMappings(
        [],
        [
          { target: "a", expression: '{"__proto__": {"polluted": true}}', policy: "ALWAYS" },
          { target: "b", expression: '{"constructor": {"prototype": {"x": 1}}}', policy: "ALWAYS" },
          { target: "ok", expression: '{"name": name}', policy: "ALWAYS" },
        ],
      ),
    );
    const r = await set.apply({ name: "Mug" }, { isCreate: true });
    expect(r.payload).toEqual({ ok: { name: "Mug" } });
    expect(r.errors).toEqual([
      expect.stringMatching(/mapping "a": .*"__proto__", which is not a field name/),
      expect.stringMatching(/mapping "b": .*"constructor", which is not a field name/),
    ]);
    expect(polluted()).toEqual([]);
  });
});

describe("user expressions run off the main thread with a hard limit", () => {
  // a catastrophic regular expression: JSONata's own timeout cannot interrupt it
  const slowRegex = `$match("${"a".repeat(34)}!", /(a+)+$/)`;

  it("a catastrophic regular expression is stopped while the main thread keeps running", async () => {
    const set = new MappingSet(
      resolveMappings(
        [{ target: "name", source: "name", policy: "ALWAYS" }],
        [{ target: "memo", expression: slowRegex, policy: "ALWAYS" }],
      ),
    );
    const order: string[] = [];
    const applying = set.apply({ name: "Mug" }, { isCreate: true }).then((r) => {
      order.push("apply");
      return r;
    });
    // the main thread is free: timers and I/O callbacks run while the worker is stuck
    await new Promise((res) => setTimeout(res, 50));
    order.push("timer");
    const r = await applying;
    expect(order).toEqual(["timer", "apply"]);
    expect(r.errors).toEqual([
      expect.stringMatching(/mapping "memo": evaluation did not finish within \d+ ms and was stopped/),
    ]);
    expect(r.payload).toEqual({ name: "Mug" });
    // a stopped expression is held back for a while instead of burning a worker on every record
    const held = await set.apply({ name: "Mug" }, { isCreate: true });
    expect(held.errors).toEqual([
      expect.stringMatching(
        /mapping "memo": not evaluated: this expression was stopped at the 500 ms limit less than 10 minutes ago/,
      ),
    ]);
    // the pool replaced the terminated worker: the next apply works
    const again = await new MappingSet(
      resolveMappings([], [{ target: "up", expression: "$uppercase(name)", policy: "ALWAYS" }]),
    ).apply({ name: "Mug" }, { isCreate: true });
    expect(again).toEqual({ payload: { up: "MUG" }, errors: [] });
  });

  it("an endless loop ends with JSONata's timeout and names the mapping", async () => {
    const set = new MappingSet(
      resolveMappings(
        [],
        [
          { target: "loop", expression: "($f := function($n){ $f($n + 1) }; $f(0))", policy: "ALWAYS" },
          { target: "sku", expression: "sku", policy: "ALWAYS" },
        ],
      ),
    );
    const r = await set.apply({ sku: "MUG" }, { isCreate: true });
    expect(r.payload).toEqual({ sku: "MUG" });
    expect(r.errors).toEqual([
      expect.stringMatching(/mapping "loop": evaluation (took longer|nested too deeply)/),
    ]);
  });

  it("an expression that allocates without end ends its worker, not the gateway", async () => {
    const set = new MappingSet(
      resolveMappings(
        [],
        [{ target: "big", expression: '$count([1..10000000].($string($) & "xxxxxxxx"))', policy: "ALWAYS" }],
      ),
    );
    const r = await set.apply({}, { isCreate: true });
    expect(r.errors).toEqual([
      expect.stringMatching(/mapping "big": evaluation (used too much memory|did not finish|took longer)/),
    ]);
  });

  it("refuses overlong regular expressions and expressions", async () => {
    const set = new MappingSet(
      resolveMappings(
        [],
        [{ target: "m", expression: `$match(name, /${"a".repeat(600)}/)`, policy: "ALWAYS" }],
      ),
    );
    const r = await set.apply({ name: "a" }, { isCreate: true });
    expect(r.errors).toEqual([expect.stringMatching(/mapping "m": .*longer than 500 characters/)]);
    expect(() =>
      validateMapping({ target: "m", expression: `"${"x".repeat(5000)}"`, policy: "ALWAYS" }),
    ).toThrow(/5002 characters; the limit is 4000/);
  });
});
