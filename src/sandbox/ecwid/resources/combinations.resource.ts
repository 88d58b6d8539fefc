import type { EcwidProduct, EcwidProductOption, EcwidVariation } from "../../../connectors/ecwid/ecwid.types";
import {
  ECWID_COMBINATION_DUPLICATED_CODE,
  ECWID_INFERRED_MESSAGES as INF,
} from "../../../connectors/ecwid/ecwid.vendor-facts";
import type { EcwidSandboxStore } from "../ecwid.store";
import { idParam, ok, type EcwidRouter, type Row } from "../ecwid.table";
import {
  checkFields,
  clone,
  EcwidApiError,
  isObj,
  requireObject,
  wrongParameter,
  type Json,
} from "../ecwid.validate";

/**
 * Variations ("combinations", §6.4): one per option set, stored inside their product. A variation
 * names its options by value; options or choices the product lacks are created. Omitted fields are
 * inherited from the product; one without its own SKU shares the product's stock.
 */
export class EcwidCombinations {
  private nextId = 400_000_001;

  constructor(private readonly store: EcwidSandboxStore) {}

  /** A seeded variation's id: new ones are numbered after it. */
  noteSeeded(id: number): void {
    this.nextId = Math.max(this.nextId, id + 1);
  }

  find(productId: number, combinationId: number): { row: Row<EcwidProduct>; c: EcwidVariation } {
    const row = this.store.products.row(productId);
    const c = (row.data.combinations ?? []).find((x) => x.id === combinationId);
    if (!c) throw new EcwidApiError(404, `Combination #${combinationId} not found`, "COMBINATION_NOT_FOUND");
    return { row, c };
  }

  list(productId: number): EcwidVariation[] {
    const row = this.store.products.row(productId);
    return (row.data.combinations ?? []).map((c) => this.store.products.renderVariation(c, row.data));
  }

  read(productId: number, combinationId: number): EcwidVariation {
    const { row, c } = this.find(productId, combinationId);
    return this.store.products.renderVariation(c, row.data);
  }

  private checkBody(b: Json): void {
    checkFields(b, {
      sku: "string",
      quantity: "int",
      unlimited: "boolean",
      price: "number",
      weight: "number",
      options: "array",
      attributes: "array",
    });
  }

  private parseOptions(input: unknown): { name: string; value: string }[] {
    if (!Array.isArray(input) || input.length === 0)
      throw wrongParameter("Field 'options' is required for a combination");
    return input.map((o) => {
      if (!isObj(o) || typeof o.name !== "string" || o.value === undefined || o.value === null)
        throw wrongParameter("Field 'options' has a wrong value: expected [{name, value}]");
      return { name: o.name, value: String(o.value) };
    });
  }

  /** Options or choices a variation names that the product lacks are created as SELECT options (§6.4). */
  private ensureOptions(p: EcwidProduct, opts: { name: string; value: string }[]): void {
    p.options = p.options ?? [];
    for (const o of opts) {
      let option: EcwidProductOption | undefined = p.options.find((x) => x.name === o.name);
      if (!option) {
        option = { type: "SELECT", name: o.name, choices: [], defaultChoice: 0, required: false };
        p.options.push(option);
      }
      option.choices = option.choices ?? [];
      if (!option.choices.some((c) => c.text === o.value)) {
        option.choices.push({ text: o.value, priceModifier: 0, priceModifierType: "ABSOLUTE" });
      }
    }
  }

  private sameOptionSet(a: { name: string; value: string }[], b: { name: string; value: string }[]): boolean {
    const key = (x: { name: string; value: string }[]) =>
      x
        .map((o) => `${o.name}\u0000${o.value}`)
        .sort()
        .join("\u0001");
    return key(a) === key(b);
  }

  create(productId: number, body: unknown, internal: { silent?: boolean } = {}): number {
    const row = this.store.products.row(productId);
    const b = requireObject(body);
    this.checkBody(b);
    const options = this.parseOptions(b.options);
    const combos = (row.data.combinations = row.data.combinations ?? []);
    if (combos.some((c) => this.sameOptionSet(c.options, options))) {
      throw new EcwidApiError(409, INF.combinationDuplicated, ECWID_COMBINATION_DUPLICATED_CODE);
    }
    if (typeof b.sku === "string" && b.sku !== "") this.store.products.assertSkuFree(b.sku, {}, row.data.sku);
    this.ensureOptions(row.data, options);
    const id = this.nextId++;
    const c: EcwidVariation = {
      id,
      combinationNumber: combos.reduce((m, x) => Math.max(m, x.combinationNumber ?? 0), 0) + 1,
      options,
    };
    const skip = new Set(["id", "combinationNumber", "options", "attributes", "inStock"]);
    for (const [k, v] of Object.entries(b))
      if (!skip.has(k) && v !== undefined) (c as unknown as Json)[k] = clone(v);
    // a variation with its own SKU keeps its own stock; one without shares the product's (§6.4)
    if (c.sku && c.unlimited === undefined) c.unlimited = c.quantity === undefined;
    if (b.attributes !== undefined) c.attributes = this.store.products.resolveAttributes(b.attributes);
    combos.push(c);
    if (!internal.silent) this.store.products.changed(row);
    return id;
  }

  update(productId: number, combinationId: number, body: unknown): number {
    const { row, c } = this.find(productId, combinationId);
    const b = requireObject(body);
    this.checkBody(b);
    if (b.options !== undefined) {
      const options = this.parseOptions(b.options);
      if (
        (row.data.combinations ?? []).some(
          (x) => x.id !== combinationId && this.sameOptionSet(x.options, options),
        )
      ) {
        throw new EcwidApiError(409, INF.combinationDuplicated, ECWID_COMBINATION_DUPLICATED_CODE);
      }
      this.ensureOptions(row.data, options);
      c.options = options;
    }
    if (typeof b.sku === "string" && b.sku !== "")
      this.store.products.assertSkuFree(b.sku, { combinationId }, row.data.sku);
    const skip = new Set(["id", "combinationNumber", "options", "attributes", "inStock"]);
    for (const [k, v] of Object.entries(b))
      if (!skip.has(k) && v !== undefined) (c as unknown as Json)[k] = clone(v);
    if (b.quantity !== undefined && b.unlimited === undefined) c.unlimited = false;
    if (b.attributes !== undefined) c.attributes = this.store.products.resolveAttributes(b.attributes);
    this.store.products.changed(row);
    return 1;
  }

  remove(productId: number, combinationId: number): number {
    const { row } = this.find(productId, combinationId);
    row.data.combinations = (row.data.combinations ?? []).filter((c) => c.id !== combinationId);
    this.store.products.changed(row);
    return 1;
  }

  removeAll(productId: number): number {
    const row = this.store.products.row(productId);
    const n = (row.data.combinations ?? []).length;
    row.data.combinations = [];
    if (n > 0) this.store.products.changed(row);
    return n;
  }
}

export function combinationsRoutes(api: EcwidRouter, s: EcwidSandboxStore): void {
  const { combinations } = s;
  const pid = (c: Parameters<typeof idParam>[0]) => idParam(c, "productId");
  const cid = (c: Parameters<typeof idParam>[0]) => idParam(c, "combinationId");
  api.on("GET", "/products/{productId}/combinations", (c) => ok(combinations.list(pid(c))));
  api.on("POST", "/products/{productId}/combinations", (c) =>
    ok({ id: combinations.create(pid(c), c.body) }),
  );
  api.on("DELETE", "/products/{productId}/combinations", (c) =>
    ok({ deleteCount: combinations.removeAll(pid(c)) }),
  );
  api.on("GET", "/products/{productId}/combinations/{combinationId}", (c) =>
    ok(combinations.read(pid(c), cid(c))),
  );
  api.on("PUT", "/products/{productId}/combinations/{combinationId}", (c) =>
    ok({ updateCount: combinations.update(pid(c), cid(c), c.body) }),
  );
  api.on("DELETE", "/products/{productId}/combinations/{combinationId}", (c) =>
    ok({ deleteCount: combinations.remove(pid(c), cid(c)) }),
  );
}
