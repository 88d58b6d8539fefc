import type { CcvProductProperty, CcvProductPropertyGroup } from "../../../connectors/ccv-salespos";
import type { EcwidAttributeValue, EcwidAttributeWrite, EcwidProduct } from "../../../connectors/ecwid";
import type { FlowRuntime } from "../../engine/flow-definition";
import { sharedCatalogWrites } from "./catalog-writes";

/**
 * Features: Ecwid product attributes that describe a product (country of origin, material,
 * delivery time…, Ecwid §6.5) ⇄ CCV product properties (CCV §5.5), by the user's feature mapping
 * (setFeatureMappings over GraphQL). An item lists the attributes that had no mapping.
 */

/** internal kind of the value-map rows that hold the feature mapping */
export const FEATURE_MAP_KIND = "PRODUCT_FEATURE";

export interface FeatureMappingData {
  ecwidAttribute: string;
  ccvPropertyGroup: string;
  ccvProperty: string;
}

/** group and property as one stored value (a JSON pair: names may contain any character) */
export const featureTarget = (group: string, property: string) => JSON.stringify([group, property]);

export function parseFeatureTarget(to: string): { ccvPropertyGroup: string; ccvProperty: string } | null {
  try {
    const v = JSON.parse(to) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string")
      return { ccvPropertyGroup: v[0], ccvProperty: v[1] };
  } catch {
    /* not a feature target */
  }
  return null;
}

/** attribute types that are not features: barcodes go to the EAN field, the brand has its own field */
const NOT_FEATURES = new Set([
  "UPC",
  "EXTERNAL_EAN",
  "EXTERNAL_UPC",
  "EXTERNAL_ISBN",
  "EXTERNAL_ITF",
  "EXTERNAL_JAN",
]);

const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();

/** the feature mapping of the run's integration, read once per run */
export function featureMappings(rt: FlowRuntime): Promise<FeatureMappingData[]> {
  return rt.memo("products:feature-mappings", async () =>
    rt.valueMaps.entries(FEATURE_MAP_KIND).flatMap(([from, to]) => {
      const t = parseFeatureTarget(to);
      return t ? [{ ecwidAttribute: from, ...t }] : [];
    }),
  );
}

export interface FeatureValues {
  /** per mapped attribute: the CCV group, property and the value to set */
  mapped: { group: string; property: string; value: string; attribute: string }[];
  /** names of the product's attributes with a value and no mapping */
  unmapped: string[];
}

export async function ecwidFeatures(rt: FlowRuntime, p: EcwidProduct): Promise<FeatureValues> {
  const mappings = await featureMappings(rt);
  const byName = new Map(mappings.map((m) => [norm(m.ecwidAttribute), m]));
  const mapped: FeatureValues["mapped"] = [];
  const unmapped: string[] = [];
  for (const a of p.attributes ?? []) {
    if (!a.name || !a.value || NOT_FEATURES.has(a.type ?? "")) continue;
    const m = byName.get(norm(a.name));
    if (m)
      mapped.push({ group: m.ccvPropertyGroup, property: m.ccvProperty, value: a.value, attribute: a.name });
    else unmapped.push(a.name);
  }
  return { mapped, unmapped };
}

export interface FeatureSync {
  changes: { field: string; before: unknown; after: unknown }[];
  planned: { group: string; property: string; value: string }[];
  note: string | null;
}

export const unmappedNote = (unmapped: string[]) =>
  unmapped.length
    ? `Ecwid attributes without a feature mapping (setFeatureMappings): ${unmapped.join(", ")}.`
    : null;

/**
 * Sets the mapped feature values on CCV product `ccvProductId`: the property group and property
 * are found by name (created when missing), the product is linked to the group, and the value is
 * created or changed. A property with options takes the option of that name (created when missing)
 * as its value; any other property the text. Nothing is written in a dry run.
 */
export async function syncFeaturesToCcv(
  rt: FlowRuntime,
  ccvProductId: number | null,
  features: FeatureValues,
): Promise<FeatureSync> {
  const note = unmappedNote(features.unmapped);
  const planned = features.mapped.map(({ group, property, value }) => ({ group, property, value }));
  if (!features.mapped.length) return { changes: [], planned, note };
  // property groups, properties and options are shared by products: found or created one item at a time
  return sharedCatalogWrites(rt, () => writeFeatures(rt, ccvProductId, features, planned, note));
}

async function writeFeatures(
  rt: FlowRuntime,
  ccvProductId: number | null,
  features: FeatureValues,
  planned: FeatureSync["planned"],
  note: string | null,
): Promise<FeatureSync> {
  const ccv = rt.clients.ccv;
  const groups = await rt.memo("ccv:property-groups", () => ccv.listPropertyGroups());
  const links = ccvProductId === null ? [] : await ccv.listProductToPropertyGroups(ccvProductId);
  const changes: FeatureSync["changes"] = [];
  for (const f of features.mapped) {
    let group: CcvProductPropertyGroup | undefined = groups.find((g) => norm(g.name) === norm(f.group));
    const props: CcvProductProperty[] = group
      ? await rt.memo(`ccv:properties:${group.id}`, () => ccv.listProperties(group!.id))
      : [];
    let property = props.find((x) => norm(x.name) === norm(f.property));
    const link = group ? links.find((l) => l.product_property_group_id === group!.id) : undefined;
    const current = property
      ? (link?.values?.collection ?? []).find((v) => v.product_property_id === property!.id)
      : undefined;
    const options = property?.options?.collection ?? [];
    const option = options.find((o) => norm(o.name) === norm(f.value));
    const before =
      current === undefined
        ? null
        : options.length
          ? (options.find((o) => o.id === current.value)?.name ?? current.value)
          : current.value;
    if (before !== null && String(before) === f.value) continue;
    changes.push({ field: `features.${f.group}.${f.property}`, before, after: f.value });
    if (rt.dryRun || ccvProductId === null) continue;
    if (!group) {
      group = await ccv.createPropertyGroup(f.group.trim());
      groups.push(group);
    }
    if (!property) {
      property = await ccv.createProperty(group.id, { name: f.property.trim() });
      props.push(property);
    }
    if (!links.some((l) => l.product_property_group_id === group!.id)) {
      links.push(await ccv.createProductToPropertyGroup(ccvProductId, group.id));
    }
    let value: string | number = f.value;
    if (options.length)
      value = option ? option.id : (await ccv.createPropertyOption(property.id, { name: f.value })).id;
    if (current) await ccv.updateProductPropertyValue(current.id, value);
    else
      await ccv.createProductPropertyValue({
        product_id: ccvProductId,
        product_property_id: property.id,
        value,
      });
  }
  return { changes, planned, note };
}

// ---------------------------------------------------------------------------------------------
// The reverse direction (PRODUCTS_CCV_TO_ECWID): CCV product property values → Ecwid attributes of
// the product's class, by the same feature mapping.

export interface CcvFeatureValues {
  /** per mapped property: the Ecwid attribute name and the value */
  mapped: { attribute: string; value: string }[];
  /** "group / property" of the product's property values without a mapping */
  unmapped: string[];
}

/** the CCV product's property values, named by the feature mapping in reverse */
export async function ccvFeatures(rt: FlowRuntime, ccvProductId: number): Promise<CcvFeatureValues> {
  const ccv = rt.clients.ccv;
  const mappings = await featureMappings(rt);
  const byTarget = new Map(
    mappings.map((m) => [`${norm(m.ccvPropertyGroup)}\u0000${norm(m.ccvProperty)}`, m]),
  );
  const links = await ccv.listProductToPropertyGroups(ccvProductId);
  const mapped: CcvFeatureValues["mapped"] = [];
  const unmapped: string[] = [];
  if (!links.some((l) => (l.values?.collection ?? []).length)) return { mapped, unmapped };
  const groups = await rt.memo("ccv:property-groups", () => ccv.listPropertyGroups());
  for (const link of links) {
    const group = groups.find((g) => g.id === link.product_property_group_id);
    if (!group) continue;
    const props = await rt.memo(`ccv:properties:${group.id}`, () => ccv.listProperties(group.id));
    for (const v of link.values?.collection ?? []) {
      const property = props.find((x) => x.id === v.product_property_id);
      if (!property) continue;
      const options = property.options?.collection ?? [];
      const value =
        typeof v.value === "boolean"
          ? v.value
            ? "Yes"
            : "No"
          : options.length
            ? (options.find((o) => o.id === Number(v.value))?.name ?? String(v.value))
            : String(v.value);
      if (value === "") continue;
      const m = byTarget.get(`${norm(group.name)}\u0000${norm(property.name)}`);
      if (m) mapped.push({ attribute: m.ecwidAttribute, value });
      else unmapped.push(`${group.name} / ${property.name}`);
    }
  }
  return { mapped, unmapped };
}

export const unmappedCcvNote = (unmapped: string[]) =>
  unmapped.length
    ? `CCV SalesPOS properties without a feature mapping (setFeatureMappings): ${unmapped.join(", ")}.`
    : null;

export interface EcwidAttributePlan {
  /** the complete `attributes` to write (Ecwid §6.5 replaces the list); undefined when no feature changes */
  attributes?: EcwidAttributeWrite[];
  changes: { field: string; before: unknown; after: unknown }[];
  /** attributes added to the product class for this product */
  createdInClass: string[];
}

/**
 * The product's Ecwid attributes with the mapped CCV feature values: an attribute of that name in
 * the product's class (id 0 = General) gets the value; a missing one is added to the class first
 * (`PUT /classes/{id}` with all attributes, Ecwid §6.5). Attributes the mapping does not name stay;
 * `base` (what the field mappings write, e.g. the UPC by alias) is kept. Nothing is written in a
 * dry run (new attributes are then planned by name).
 */
export async function ecwidAttributesWithFeatures(
  rt: FlowRuntime,
  classId: number,
  current: EcwidAttributeValue[],
  base: EcwidAttributeWrite[],
  features: CcvFeatureValues,
  /** give the complete list even when no feature changed (the field mappings write `attributes`) */
  force = false,
): Promise<EcwidAttributePlan> {
  const changes: EcwidAttributePlan["changes"] = [];
  for (const f of features.mapped) {
    const have = current.find((a) => a.name && norm(a.name) === norm(f.attribute))?.value ?? null;
    if (have !== f.value) changes.push({ field: `attributes.${f.attribute}`, before: have, after: f.value });
  }
  if (!changes.length && !(force && features.mapped.length)) return { changes, createdInClass: [] };
  const ecwid = rt.clients.ecwid;
  let cls = await ecwid.getProductClass(classId);
  const find = (name: string) => (cls.attributes ?? []).find((a) => norm(a.name) === norm(name));
  const missing = features.mapped.filter((f) => !find(f.attribute)).map((f) => f.attribute.trim());
  if (missing.length && !rt.dryRun) {
    await ecwid.updateProductClass(classId, {
      attributes: [
        ...(cls.attributes ?? []).map((a) => ({ id: a.id })),
        ...missing.map((name) => ({ name, type: "CUSTOM", show: "DESCR" })),
      ],
    });
    cls = await ecwid.getProductClass(classId);
  }
  const featureIds = new Set<number>();
  const featureWrites: EcwidAttributeWrite[] = features.mapped.map((f) => {
    const a = find(f.attribute);
    if (a) featureIds.add(a.id);
    return a
      ? { id: a.id, value: f.value } // planned in a dry run only: the attribute is added to the class before the write
      : ({ name: f.attribute, value: f.value } as unknown as EcwidAttributeWrite);
  });
  const baseAliases = new Set(
    base.map((b) => (b as { alias?: string }).alias?.toUpperCase()).filter(Boolean),
  );
  const kept = current
    .filter((a) => !featureIds.has(a.id) && !baseAliases.has(a.type ?? "") && a.value !== "")
    .filter((a) => !features.mapped.some((f) => a.name && norm(a.name) === norm(f.attribute)))
    .map((a) => ({ id: a.id, value: a.value }));
  return { attributes: [...kept, ...base, ...featureWrites], changes, createdInClass: missing };
}
