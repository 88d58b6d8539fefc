import type { CcvStore } from "../ccv.store";
import { CcvTable, created, done, ok, type CcvRouter, type Rec } from "../ccv.table";
import { validateBody } from "../ccv.validate";

/**
 * Product properties, the "features" or specifications of a product (§5.5): property groups hold
 * properties (with options for choice properties); a product is linked to a group and gets one value
 * per property.
 */

export interface PropertyGroupRec {
  id: number;
  name: string;
}
export interface PropertyRec {
  id: number;
  group_id: number;
  parent: number | null;
  name: string;
  description: string | null;
  position: number | null;
  type: string | null;
  icon: string | null;
}
export interface PropertyOptionRec {
  id: number;
  property_id: number;
  name: string;
  position: number | null;
}
export interface ProductToPropertyGroupRec {
  id: number;
  product_id: number;
  product_property_group_id: number;
}
export interface PropertyValueRec {
  id: number;
  product_id: number;
  product_property_id: number;
  value: boolean | number | string;
}

export class CcvPropertyGroups extends CcvTable<PropertyGroupRec> {
  constructor(store: CcvStore) {
    super(store, "Product property group", 200);
  }

  create(body: unknown): PropertyGroupRec {
    const b = validateBody(body, { name: "!string" }, { resource: "productpropertygroups" });
    const rec = { id: this.nextId(), name: b.name as string };
    this.set(rec.id, rec);
    return rec;
  }

  render(g: PropertyGroupRec): Rec {
    return {
      href: this.href(`/productpropertygroups/${g.id}`),
      id: g.id,
      name: g.name,
      productproperties: { href: this.href(`/productpropertygroups/${g.id}/productproperties`) },
    };
  }
}

export class CcvProperties extends CcvTable<PropertyRec> {
  constructor(store: CcvStore) {
    super(store, "Product property", 300);
  }

  ofGroup(groupId: number): PropertyRec[] {
    return [...this.values()].filter((p) => p.group_id === groupId);
  }

  create(groupId: number, body: unknown): PropertyRec {
    this.store.propertyGroups.require(groupId);
    const b = validateBody(
      body,
      {
        name: "!string",
        parent: "integer?",
        description: "string?",
        position: "integer?",
        icon: "string?",
        type: "string?",
      },
      { resource: "productproperties" },
    );
    if (b.parent !== undefined && b.parent !== null) this.require(b.parent as number);
    const rec: PropertyRec = {
      id: this.nextId(),
      group_id: groupId,
      parent: (b.parent as number | null | undefined) ?? null,
      name: b.name as string,
      description: (b.description as string | null | undefined) ?? null,
      position: (b.position as number | null | undefined) ?? null,
      type: (b.type as string | null | undefined) ?? null,
      icon: (b.icon as string | null | undefined) ?? null,
    };
    this.set(rec.id, rec);
    return rec;
  }

  render(p: PropertyRec): Rec {
    const options = this.store.propertyOptions;
    return {
      href: this.href(`/productproperties/${p.id}`),
      id: p.id,
      parent: p.parent,
      name: p.name,
      description: p.description,
      position: p.position,
      icon: p.icon,
      type: p.type,
      options: {
        href: this.href(`/productproperties/${p.id}/productpropertyoptions`),
        collection: options.ofProperty(p.id).map((o) => options.render(o)),
      },
      children: [...this.values()].filter((c) => c.parent === p.id).map((c) => this.render(c)),
    };
  }
}

export class CcvPropertyOptions extends CcvTable<PropertyOptionRec> {
  constructor(store: CcvStore) {
    super(store, "Product property option", 400);
  }

  ofProperty(propertyId: number): PropertyOptionRec[] {
    return [...this.values()].filter((o) => o.property_id === propertyId);
  }

  create(propertyId: number, body: unknown): PropertyOptionRec {
    this.store.properties.require(propertyId);
    const b = validateBody(
      body,
      { name: "!string", position: "integer?" },
      { resource: "productpropertyoptions" },
    );
    const rec = {
      id: this.nextId(),
      property_id: propertyId,
      name: b.name as string,
      position: (b.position as number | null | undefined) ?? null,
    };
    this.set(rec.id, rec);
    return rec;
  }

  render(o: PropertyOptionRec): Rec {
    return {
      href: this.href(`/productpropertyoptions/${o.id}`),
      id: o.id,
      name: o.name,
      position: o.position,
    };
  }
}

export class CcvProductToPropertyGroups extends CcvTable<ProductToPropertyGroupRec> {
  constructor(store: CcvStore) {
    super(store, "Product to property group", 500);
  }

  ofProduct(productId: number): ProductToPropertyGroupRec[] {
    return [...this.values()].filter((l) => l.product_id === productId);
  }

  create(body: unknown): ProductToPropertyGroupRec {
    const b = validateBody(
      body,
      { product_id: "!integer", product_property_group_id: "!integer" },
      { resource: "producttopropertygroups" },
    );
    this.store.products.require(b.product_id as number);
    this.store.propertyGroups.require(b.product_property_group_id as number);
    const rec = {
      id: this.nextId(),
      product_id: b.product_id as number,
      product_property_group_id: b.product_property_group_id as number,
    };
    this.set(rec.id, rec);
    return rec;
  }

  render(l: ProductToPropertyGroupRec): Rec {
    const { properties, propertyValues } = this.store;
    const propertyIds = new Set(properties.ofGroup(l.product_property_group_id).map((p) => p.id));
    return {
      href: this.href(`/producttopropertygroups/${l.id}`),
      id: l.id,
      product_id: l.product_id,
      product_property_group_id: l.product_property_group_id,
      values: {
        href: this.href(`/producttopropertygroups/${l.id}/productpropertyvalues`),
        collection: [...propertyValues.values()]
          .filter((v) => v.product_id === l.product_id && propertyIds.has(v.product_property_id))
          .map((v) => propertyValues.render(v)),
      },
    };
  }
}

export class CcvPropertyValues extends CcvTable<PropertyValueRec> {
  constructor(store: CcvStore) {
    super(store, "Product property value", 600);
  }

  create(body: unknown): PropertyValueRec {
    const b = validateBody(
      body,
      { product_id: "!integer", product_property_id: "!integer", value: "!boolean|number|string" },
      { resource: "productpropertyvalues" },
    );
    this.store.products.require(b.product_id as number);
    this.store.properties.require(b.product_property_id as number);
    const rec = {
      id: this.nextId(),
      product_id: b.product_id as number,
      product_property_id: b.product_property_id as number,
      value: b.value as boolean | number | string,
    };
    this.set(rec.id, rec);
    return rec;
  }

  patch(id: number, body: unknown): void {
    const v = this.require(id);
    const b = validateBody(
      body,
      { value: "boolean|number|string" },
      { partial: true, resource: "productpropertyvalues" },
    );
    if (b.value !== undefined) v.value = b.value as boolean | number | string;
  }

  render(v: PropertyValueRec): Rec {
    return {
      href: this.href(`/productpropertyvalues/${v.id}`),
      id: v.id,
      product_id: v.product_id,
      product_property_id: v.product_property_id,
      value: v.value,
    };
  }
}

export function propertiesRoutes(api: CcvRouter, s: CcvStore): void {
  const { propertyGroups: groups, properties, propertyOptions: options, productToPropertyGroups: links } = s;
  const values = s.propertyValues;
  api.on("GET", "/productpropertygroups", () => ({
    paged: [...groups.values()].map((g) => groups.render(g)),
  }));
  api.on("POST", "/productpropertygroups", (c) => created(groups.render(groups.create(c.body))));
  api.on("GET", "/productpropertygroups/{id}", (c) => ok(groups.render(groups.require(c.ids[0]))));

  api.on(
    "GET",
    "/productpropertygroups/{id}/productproperties",
    (c) => (
      groups.require(c.ids[0]),
      { flat: properties.ofGroup(c.ids[0]).map((p) => properties.render(p)) }
    ),
  );
  api.on("POST", "/productpropertygroups/{id}/productproperties", (c) =>
    created(properties.render(properties.create(c.ids[0], c.body))),
  );
  api.on("GET", "/productproperties/{id}", (c) => ok(properties.render(properties.require(c.ids[0]))));

  api.on(
    "GET",
    "/productproperties/{id}/productpropertyoptions",
    (c) => (
      properties.require(c.ids[0]),
      { flat: options.ofProperty(c.ids[0]).map((o) => options.render(o)) }
    ),
  );
  api.on("POST", "/productproperties/{id}/productpropertyoptions", (c) =>
    created(options.render(options.create(c.ids[0], c.body))),
  );

  api.on(
    "GET",
    "/products/{id}/producttopropertygroups",
    (c) => (s.products.require(c.ids[0]), { flat: links.ofProduct(c.ids[0]).map((l) => links.render(l)) }),
  );
  api.on("POST", "/producttopropertygroups", (c) => created(links.render(links.create(c.body))));
  api.on("GET", "/producttopropertygroups/{id}", (c) => ok(links.render(links.require(c.ids[0]))));
  api.on(
    "DELETE",
    "/producttopropertygroups/{id}",
    (c) => (links.require(c.ids[0]), links.delete(c.ids[0]), done),
  );

  api.on("POST", "/productpropertyvalues", (c) => created(values.render(values.create(c.body))));
  api.on("GET", "/productpropertyvalues/{id}", (c) => ok(values.render(values.require(c.ids[0]))));
  api.on("PATCH", "/productpropertyvalues/{id}", (c) => (values.patch(c.ids[0], c.body), done));
  api.on(
    "DELETE",
    "/productpropertyvalues/{id}",
    (c) => (values.require(c.ids[0]), values.delete(c.ids[0]), done),
  );
}
