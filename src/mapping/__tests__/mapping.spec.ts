import {
  MappingSet,
  MappingValidationError,
  resolveMappings,
  validateMapping,
  type FieldMappingDef,
} from "../field-mapping";
import { closeExpressionPool } from "../expression-pool";
import { getPath, setPath } from "../paths";
import { MissingValueMapping, ValueMaps } from "../value-maps";

afterAll(() => closeExpressionPool());

describe("paths", () => {
  it("reads and writes nested paths with array indexes", () => {
    const o: Record<string, unknown> = {};
    setPath(o, "customer.billingaddress.zipcode", "1234AB");
    setPath(o, "orderrows[1].count", 2);
    expect(o).toEqual({
      customer: { billingaddress: { zipcode: "1234AB" } },
      orderrows: [undefined, { count: 2 }],
    });
    expect(getPath(o, "orderrows[1].count")).toBe(2);
    expect(getPath(o, "customer.missing.x")).toBeUndefined();
  });
});

describe("mapping validation", () => {
  it("refuses a bad expression naming the mapping and the error position", () => {
    let err: MappingValidationError | undefined;
    try {
      validateMapping({ target: "description", expression: "name & (", policy: "ALWAYS" });
    } catch (e) {
      err = e as MappingValidationError;
    }
    expect(err).toBeInstanceOf(MappingValidationError);
    expect(err!.target).toBe("description");
    expect(typeof err!.position).toBe("number");
    expect(err!.message).toMatch(/mapping "description": invalid expression: .* at position \d+/);
  });
  it.each<[FieldMappingDef, RegExp]>([
    [{ target: "a b", source: "x", policy: "ALWAYS" }, /not a field path/],
    [
      { target: "a", source: "x", expression: "y", policy: "ALWAYS" },
      /either a source path or an expression/,
    ],
    [{ target: "a", policy: "ALWAYS" }, /needs a source path/],
    [{ target: "a", source: "x..y", policy: "ALWAYS" }, /source "x..y" is not a field path/],
  ])("refuses %j", (m, msg) => {
    expect(() => validateMapping(m)).toThrow(msg);
  });
});

describe("applying mappings", () => {
  const defaults: FieldMappingDef[] = [
    { target: "name", source: "name", policy: "ALWAYS" },
    { target: "description", source: "description", policy: "CREATE_ONLY" },
    { target: "shortdescription", source: "subtitle", policy: "FILL_IF_EMPTY" },
    { target: "price", expression: "$round(price * (1 + $ctx.vat / 100), 2)", policy: "ALWAYS" },
  ];
  const src = { name: "Mug", description: "<p>Long</p>", subtitle: "Short", price: 10, sku: "MUG" };
  const bindings = { ctx: { vat: 21 } };

  it("user mappings override defaults by target and add new ones", async () => {
    const set = new MappingSet(
      resolveMappings(defaults, [
        { target: "name", expression: "$uppercase(name)", policy: "ALWAYS" },
        { target: "memo", defaultValue: "from Ecwid", policy: "ALWAYS" },
      ]),
    );
    expect(set.mappings.filter((m) => m.target === "name")).toHaveLength(1);
    const r = await set.apply(src, { isCreate: true, bindings });
    expect(r.errors).toEqual([]);
    expect(r.payload).toEqual({
      name: "MUG",
      description: "<p>Long</p>",
      shortdescription: "Short",
      price: 12.1,
      memo: "from Ecwid",
    });
  });

  it("honours write policies on update", async () => {
    const set = new MappingSet(resolveMappings(defaults, []));
    const kept = await set.apply(src, {
      isCreate: false,
      current: { shortdescription: "Edited in CCV" },
      bindings,
    });
    expect(kept.payload).toEqual({ name: "Mug", price: 12.1 });
    const filled = await set.apply(src, { isCreate: false, current: { shortdescription: "" }, bindings });
    expect(filled.payload.shortdescription).toBe("Short");
  });

  it("reports a failing expression instead of writing a wrong value, and stops runaway expressions", async () => {
    const set = new MappingSet(
      resolveMappings(
        [],
        [
          { target: "x", expression: '$error("no stock field")', policy: "ALWAYS" },
          { target: "loop", expression: "($f := function($n){ $f($n + 1) }; $f(0))", policy: "ALWAYS" },
          { target: "ok", source: "sku", policy: "ALWAYS" },
        ],
      ),
    );
    const r = await set.apply(src, { isCreate: true });
    expect(r.payload).toEqual({ ok: "MUG" });
    expect(r.errors[0]).toMatch(/mapping "x": no stock field/);
    expect(r.errors[1]).toMatch(/mapping "loop": evaluation (took longer|nested too deeply)/);
  });

  it("expressions see only the record and the gateway's bindings", async () => {
    const set = new MappingSet(
      resolveMappings(
        [],
        [
          {
            target: "x",
            expression: "[$exists($process), $exists($require), $exists(sku)]",
            policy: "ALWAYS",
          },
        ],
      ),
    );
    const r = await set.apply(src, { isCreate: true });
    expect(r.payload.x).toEqual([false, false, true]);
  });
});

describe("value maps", () => {
  it("maps codes exactly, then case-insensitively, then by the * default, else fails clearly", () => {
    const vm = new ValueMaps([
      { kind: "PAYMENT_METHOD", from: "BankTransfer", to: "Bank transfer" },
      { kind: "ORDER_STATUS", from: "7", to: "DELIVERED" },
      { kind: "ORDER_STATUS", from: "*", to: "PROCESSING" },
    ]);
    expect(vm.lookup("PAYMENT_METHOD", "BankTransfer")).toBe("Bank transfer");
    expect(vm.lookup("PAYMENT_METHOD", "banktransfer")).toBe("Bank transfer");
    expect(vm.require("ORDER_STATUS", "5")).toBe("PROCESSING");
    expect(() => vm.require("PAYMENT_METHOD", "iDEAL")).toThrow(MissingValueMapping);
    expect(() => vm.require("PAYMENT_METHOD", "iDEAL")).toThrow(
      /No PAYMENT_METHOD value mapping for "iDEAL"/,
    );
  });

  it("reads one direction of a map holding both: entries by their code, the * default only when it belongs", () => {
    const vm = new ValueMaps([
      { kind: "ORDER_STATUS", from: "5", to: "SHIPPED" },
      { kind: "ORDER_STATUS", from: "CANCELLED", to: "8" },
      { kind: "ORDER_STATUS", from: "*", to: "2" },
    ]);
    const ccvCode = (to: string) => /^\d+$/.test(to);
    expect(vm.lookupOneWay("ORDER_STATUS", "cancelled", ccvCode)).toBe("8");
    expect(vm.lookupOneWay("ORDER_STATUS", "SHIPPED", ccvCode)).toBe("2");
    expect(vm.lookupOneWay("ORDER_STATUS", "5", (to) => !ccvCode(to))).toBe("SHIPPED");
    expect(vm.lookupOneWay("ORDER_STATUS", "7", (to) => !ccvCode(to))).toBeUndefined();
    expect(vm.lookupOneWay("ORDER_STATUS", "*", () => false)).toBeUndefined();
  });
});
