import type { CcvProductProperty, CcvProductPropertyGroup } from "../../../connectors/ccv-salespos";
import type { EcwidProduct } from "../../../connectors/ecwid";
import type { FlowRuntime } from "../../engine/flow-definition";

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
