import {
  CCV_COMBINATION_ATTRIBUTE_TYPES,
  CCV_ERROR,
  CCV_ORDERING_WITHOUT_STOCK_DEFAULT,
} from "../../../connectors/ccv-salespos/ccv.vendor-facts";
import { dec } from "../../../domain/money";
import type { CcvStore } from "../ccv.store";
import { CcvTable, created, done, money, ok, type CcvRouter, type Rec } from "../ccv.table";
import { CcvSandboxError, invalid, validateBody, type BodySpec } from "../ccv.validate";

/**
 * Variants the CCV way (§5.4): attributes and their values, the values attached to a product
 * (product attribute values) and the attribute combinations CCV generates from them — one per
 * element of the cartesian product over the product's option-menu attributes.
 */

export interface AttributeRec {
  id: number;
  name: string;
  type: string;
}

export interface AttributeValueRec {
  id: number;
  attribute_id: number;
  name: string;
  default_price: number;
}

export interface ProductAttributeValueRec {
  id: number;
  product_id: number;
  attributevalue_id: number;
  price: number;
  position: number;
  optionposition: number;
}

export interface CombinationRec {
  id: number;
  product_id: number;
  /** productattributevalue ids, one per option-menu attribute, in axis order */
  pavIds: number[];
  stock: number;
  note: string;
  product_number: string;
  ean_number: string;
  sku_number: string;
  delivery_time: number;
  delivery_time_type: string;
  delivery_default_text: string;
  active: boolean;
}

/** §5.4 [inferred] attribute type literals; only option menus generate combinations. */
const ATTRIBUTE_TYPES = [
  "option_menu",
  "option_menu_required",
  "text",
  "text_required",
  "additional_menu",
  "additional_menu_required",
];

const COMBINATION_PATCH_FIELDS: BodySpec = {
  note: "string",
  stock: "number",
  product_number: "string",
  ean_number: "string",
  sku_number: "string",
  delivery_time: "integer",
  delivery_time_type: "string",
  delivery_default_text: "string",
  active: "boolean",
};

export class CcvAttributes extends CcvTable<AttributeRec> {
  constructor(store: CcvStore) {
    super(store, "Attribute", 10);
  }

  create(body: unknown): AttributeRec {
    const b = validateBody(body, { name: "!string", type: "!string" }, { resource: "attributes" });
    if (!ATTRIBUTE_TYPES.includes(b.type as string))
      throw invalid(`'type' must be one of: ${ATTRIBUTE_TYPES.join(", ")}.`);
    const rec = { id: this.nextId(), name: b.name as string, type: b.type as string };
    this.set(rec.id, rec);
    return rec;
  }

  patch(id: number, body: unknown): void {
    const a = this.require(id);
    const b = validateBody(
      body,
      { name: "string", type: "string" },
      { partial: true, resource: "attributes" },
    );
    if (
      b.type !== undefined &&
      (b.type as string).replace(/_required$/, "") !== a.type.replace(/_required$/, "")
    ) {
      throw new CcvSandboxError(
        500,
        CCV_ERROR.METHOD_NOT_ALLOWED_ON_RESOURCE,
        "An attribute type can only switch between its required and non-required form.",
      );
    }
    Object.assign(a, b);
  }

  remove(id: number): void {
    this.require(id);
    const values = this.store.attributeValues;
    for (const v of values.ofAttribute(id)) values.remove(v.id);
    this.delete(id);
  }

  render(a: AttributeRec): Rec {
    return {
      href: this.href(`/attributes/${a.id}`),
      id: a.id,
      name: a.name,
      type: a.type,
      attribute_values: { href: this.href(`/attributes/${a.id}/attributevalues`) },
      parent: { href: this.href("/attributes") },
    };
  }
}

export class CcvAttributeValues extends CcvTable<AttributeValueRec> {
  constructor(store: CcvStore) {
    super(store, "Attribute value", 100);
  }

  ofAttribute(attributeId: number): AttributeValueRec[] {
    return [...this.values()].filter((v) => v.attribute_id === attributeId);
  }

  create(attributeId: number, body: unknown): AttributeValueRec {
    const a = this.store.attributes.require(attributeId);
    if (!CCV_COMBINATION_ATTRIBUTE_TYPES.includes(a.type) && !a.type.startsWith("additional_menu")) {
      throw new CcvSandboxError(
        500,
        CCV_ERROR.METHOD_NOT_ALLOWED_ON_RESOURCE,
        "Text attributes have no values.",
      );
    }
    const b = validateBody(
      body,
      { name: "!string", default_price: "!number" },
      { resource: "attributevalues" },
    );
    const rec = {
      id: this.nextId(),
      attribute_id: attributeId,
      name: b.name as string,
      default_price: b.default_price as number,
    };
    this.set(rec.id, rec);
    return rec;
  }

  patch(id: number, body: unknown): void {
    Object.assign(
      this.require(id),
      validateBody(
        body,
        { name: "string", default_price: "number" },
        { partial: true, resource: "attributevalues" },
      ),
    );
  }

  remove(id: number): void {
    this.require(id);
    const pavs = this.store.productAttributeValues;
    for (const pav of [...pavs.values()]) if (pav.attributevalue_id === id) pavs.remove(pav.id);
    this.delete(id);
  }

  render(v: AttributeValueRec): Rec {
    return {
      href: this.href(`/attributevalues/${v.id}`),
      id: v.id,
      name: v.name,
      default_price: v.default_price,
      attribute_id: v.attribute_id,
      parent: { href: this.href(`/attributes/${v.attribute_id}/attributevalues`) },
    };
  }

  /** The attribute a value belongs to. */
  attributeOf(v: AttributeValueRec): AttributeRec {
    return this.store.attributes.require(v.attribute_id);
  }
}

export class CcvProductAttributeValues extends CcvTable<ProductAttributeValueRec> {
  constructor(store: CcvStore) {
    super(store, "Product attribute value", 60_000);
  }

  ofProduct(productId: number): ProductAttributeValueRec[] {
    return this.ofProductUnsorted(productId).sort(
      (a, b) => a.optionposition - b.optionposition || a.position - b.position || a.id - b.id,
    );
  }

  /**
   * Attaches an attribute value to a product and regenerates the product's attribute combinations
   * (cartesian product over its option-menu attributes, §5.4). New combinations get the `stock`
   * given here ([sandbox] 0 when omitted); combinations whose value set survives keep their data.
   */
  create(productId: number, body: unknown): ProductAttributeValueRec {
    const { products, attributeValues, combinations } = this.store;
    products.require(productId);
    const b = validateBody(
      body,
      { optionvalue: "!integer", price: "!number", position: "integer", stock: "number", enable: "boolean" },
      { resource: "productattributevalues" },
    );
    const value = attributeValues.require(b.optionvalue as number);
    const existing = this.ofProduct(productId);
    if (existing.some((v) => v.attributevalue_id === value.id)) {
      throw new CcvSandboxError(
        500,
        CCV_ERROR.PROPERTY_ALREADY_EXISTS,
        "This attribute value is already attached to the product.",
      );
    }
    const attributeIdOf = (v: ProductAttributeValueRec) =>
      attributeValues.require(v.attributevalue_id).attribute_id;
    const sameAttribute = existing.filter((v) => attributeIdOf(v) === value.attribute_id);
    const attributeOrder = [...new Set(existing.map(attributeIdOf))];
    const rec: ProductAttributeValueRec = {
      id: this.nextId(),
      product_id: productId,
      attributevalue_id: value.id,
      price: b.price as number,
      position: (b.position as number | undefined) ?? sameAttribute.length + 1,
      optionposition: sameAttribute[0]?.optionposition ?? attributeOrder.length + 1,
    };
    this.set(rec.id, rec);
    combinations.regenerate(productId, (b.stock as number | undefined) ?? 0);
    this.store.emitEntity("products.updated", `/products/${productId}`, productId);
    return rec;
  }

  patch(id: number, body: unknown): void {
    const v = this.require(id);
    Object.assign(
      v,
      validateBody(
        body,
        { optionposition: "integer", position: "integer", price: "number" },
        { partial: true, resource: "productattributevalues" },
      ),
    );
    this.store.emitEntity("products.updated", `/products/${v.product_id}`, v.product_id);
  }

  remove(id: number): void {
    const v = this.require(id);
    this.delete(id);
    this.store.combinations.regenerate(v.product_id, 0);
  }

  render(v: ProductAttributeValueRec): Rec {
    const value = this.store.attributeValues.require(v.attributevalue_id);
    const attribute = this.store.attributeValues.attributeOf(value);
    return {
      href: this.href(`/productattributevalues/${v.id}`),
      id: v.id,
      optionid: attribute.id,
      optionname: attribute.name,
      optionposition: v.optionposition,
      optionvalue_id: value.id,
      optionvalue_name: value.name,
      position: v.position,
      price: v.price,
      enable: true,
      parent: { href: this.href(`/products/${v.product_id}/productattributevalues`) },
    };
  }

  /** The attribute and value a product attribute value stands for. */
  describe(id: number): { pav: ProductAttributeValueRec; value: AttributeValueRec; attribute: AttributeRec } {
    const pav = this.require(id);
    const value = this.store.attributeValues.require(pav.attributevalue_id);
    return { pav, value, attribute: this.store.attributeValues.attributeOf(value) };
  }
}

export class CcvCombinations extends CcvTable<CombinationRec> {
  constructor(store: CcvStore) {
    super(store, "Attribute combination", 90_000);
  }

  ofProduct(productId: number): CombinationRec[] {
    return this.ofProductUnsorted(productId).sort((a, b) => a.id - b.id);
  }

  /** One combination per element of the cartesian product over the option-menu attributes. */
  regenerate(productId: number, stockForNew: number): void {
    const axes = new Map<number, ProductAttributeValueRec[]>();
    const pavs = this.store.productAttributeValues;
    for (const pav of pavs.ofProduct(productId)) {
      const { attribute } = pavs.describe(pav.id);
      if (!CCV_COMBINATION_ATTRIBUTE_TYPES.includes(attribute.type)) continue; // additional menus/text: no combinations
      const list = axes.get(attribute.id) ?? [];
      list.push(pav);
      axes.set(attribute.id, list);
    }
    let tuples: ProductAttributeValueRec[][] = axes.size === 0 ? [] : [[]];
    for (const values of axes.values()) tuples = tuples.flatMap((t) => values.map((v) => [...t, v]));
    const key = (pavIds: number[]) => [...pavIds].sort((a, b) => a - b).join(",");
    const existing = new Map(this.ofProduct(productId).map((c) => [key(c.pavIds), c]));
    const keep = new Set<number>();
    for (const t of tuples) {
      const ids = t.map((v) => v.id);
      const found = existing.get(key(ids));
      if (found) {
        found.pavIds = ids;
        keep.add(found.id);
        continue;
      }
      const c: CombinationRec = {
        id: this.nextId(),
        product_id: productId,
        pavIds: ids,
        stock: stockForNew,
        note: "",
        product_number: "",
        ean_number: "",
        sku_number: "",
        delivery_time: 1,
        delivery_time_type: "days",
        delivery_default_text: "",
        active: true,
      };
      this.set(c.id, c);
      keep.add(c.id);
    }
    for (const c of this.ofProduct(productId)) if (!keep.has(c.id)) this.delete(c.id);
  }

  patch(id: number, body: unknown): void {
    const c = this.require(id);
    Object.assign(
      c,
      validateBody(body, COMBINATION_PATCH_FIELDS, { partial: true, resource: "attributecombinations" }),
    );
    // [inferred] stock and variant edits fire products.updated (§6)
    this.store.emitEntity("products.updated", `/products/${c.product_id}`, c.product_id);
  }

  render(c: CombinationRec): Rec {
    const parts = c.pavIds.map((id) => {
      const { pav, value, attribute } = this.store.productAttributeValues.describe(id);
      return {
        attribute: { id: attribute.id, name: attribute.name, href: this.href(`/attributes/${attribute.id}`) },
        attribute_value: { id: value.id, name: value.name, href: this.href(`/attributevalues/${value.id}`) },
        extra_price: pav.price,
      };
    });
    const extra = parts.reduce((s, p) => s.plus(dec(p.extra_price)), dec(0));
    return {
      href: this.href(`/attributecombinations/${c.id}`),
      id: c.id,
      note: c.note,
      product_id: c.product_id,
      stock: c.stock,
      netto_extra_price: money(extra),
      ordering_without_stock: CCV_ORDERING_WITHOUT_STOCK_DEFAULT,
      product_number: c.product_number,
      ean_number: c.ean_number,
      sku_number: c.sku_number,
      delivery_time: c.delivery_time,
      delivery_time_type: c.delivery_time_type,
      delivery_default_text: c.delivery_default_text,
      active: c.active,
      combination: parts,
      attributecombinationphotos: {
        href: this.href(`/attributecombinations/${c.id}/attributecombinationphotos`),
        collection: [],
      },
      attributes: { href: this.href(`/attributecombinations/${c.id}/attributes`) },
      attributevalues: { href: this.href(`/attributecombinations/${c.id}/attributevalues`) },
      parent: { href: this.href(`/products/${c.product_id}/attributecombinations`) },
    };
  }
}

export function attributesRoutes(api: CcvRouter, s: CcvStore): void {
  const { attributes, attributeValues: values, productAttributeValues: pavs, combinations } = s;
  api.on("GET", "/attributes", () => ({ flat: [...attributes.values()].map((a) => attributes.render(a)) }));
  api.on("POST", "/attributes", (c) => created(attributes.render(attributes.create(c.body))));
  api.on("GET", "/attributes/{id}", (c) => ok(attributes.render(attributes.require(c.ids[0]))));
  api.on("PATCH", "/attributes/{id}", (c) => (attributes.patch(c.ids[0], c.body), done));
  api.on("DELETE", "/attributes/{id}", (c) => (attributes.remove(c.ids[0]), done));

  api.on(
    "GET",
    "/attributes/{id}/attributevalues",
    (c) => (
      attributes.require(c.ids[0]),
      { flat: values.ofAttribute(c.ids[0]).map((v) => values.render(v)) }
    ),
  );
  api.on("POST", "/attributes/{id}/attributevalues", (c) =>
    created(values.render(values.create(c.ids[0], c.body))),
  );
  api.on("GET", "/attributevalues/{id}", (c) => ok(values.render(values.require(c.ids[0]))));
  api.on("PATCH", "/attributevalues/{id}", (c) => (values.patch(c.ids[0], c.body), done));
  api.on("DELETE", "/attributevalues/{id}", (c) => (values.remove(c.ids[0]), done));

  api.on("GET", "/products/{id}/productattributevalues", (c) => {
    s.products.require(c.ids[0]);
    return { paged: pavs.ofProduct(c.ids[0]).map((v) => pavs.render(v)) };
  });
  api.on("POST", "/products/{id}/productattributevalues", (c) =>
    created(pavs.render(pavs.create(c.ids[0], c.body))),
  );
  api.on("GET", "/productattributevalues/{id}", (c) => ok(pavs.render(pavs.require(c.ids[0]))));
  api.on("PATCH", "/productattributevalues/{id}", (c) => (pavs.patch(c.ids[0], c.body), done));
  api.on("DELETE", "/productattributevalues/{id}", (c) => (pavs.remove(c.ids[0]), done));

  api.on(
    "GET",
    "/products/{id}/attributecombinations",
    (c) => (
      s.products.require(c.ids[0]),
      { flat: combinations.ofProduct(c.ids[0]).map((x) => combinations.render(x)) }
    ),
  );
  api.on("GET", "/attributecombinations/{id}", (c) =>
    ok(combinations.render(combinations.require(c.ids[0]))),
  );
  api.on("PATCH", "/attributecombinations/{id}", (c) => (combinations.patch(c.ids[0], c.body), done));
}
