import type {
  CcvAttributeMemo,
  CcvProduct,
  CcvAttributeCombination,
  CcvAttributeCombinationPatch,
  CcvVariantAxis,
  CcvVariantSpec,
} from "../../../connectors/ccv-salespos";
import type { EcwidOptionType, EcwidProduct, EcwidVariation } from "../../../connectors/ecwid";
import { dec, Decimal, toNumber } from "../../../domain/money";
import { diffFields } from "../../engine/hash";
import type { FlowRuntime, LinkWrite } from "../../engine/flow-definition";
import { sharedCatalogWrites } from "./catalog-writes";
import { convertPrice } from "./product-tax";

/**
 * Ecwid options and variations ("combinations", Ecwid §6.3–6.4) → CCV attributes, attribute values,
 * product attribute values and the attribute combinations CCV generates from them (CCV §5.4).
 *
 * - every choice-based Ecwid option that a variation uses is one CCV option-menu attribute, reused
 *   by name (case- and space-insensitive) and created when missing; each choice is an attribute
 *   value, attached to the product with its price modifier as the value's extra price (converted
 *   to the CCV shop's tax basis like the product price; PERCENT modifiers become the amount they
 *   add to the product price);
 * - each Ecwid variation's CCV combination gets the variation's SKU, EAN (its UPC attribute) and
 *   active flag; its stock only when the variant is new (afterwards the stock flows own it);
 * - a choice removed in Ecwid deactivates the CCV combinations that use it (never deleted); a
 *   choice added later is attached, and CCV generates its combinations;
 * - VARIANT links: Ecwid combination id ⇄ CCV attribute-combination id, with the variant's SKU —
 *   what the order flows read to book a variant without any SKU lookup.
 */

/** option types whose choices make variations; CHECKBOX is a multi-choice add-on, not an axis */
const AXIS_TYPES: readonly EcwidOptionType[] = ["SELECT", "RADIO", "SIZE", "SWATCHES"];

const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();

export interface VariantSync {
  links: LinkWrite[];
  changes: { field: string; before: unknown; after: unknown }[];
  /** what is (or, in a dry run, would be) written for the variants; undefined for a simple product */
  planned?: { axes: CcvVariantAxis[]; variants: CcvVariantSpec[]; deactivate: number[] };
  /** words for the item (e.g. "2 variants deactivated") */
  note: string | null;
  /** the CCV product with its combinations as read after the variant writes (saves a read) */
  readBack?: CcvProduct;
}

const upc = (v: EcwidVariation): string | undefined =>
  (v.attributes ?? []).find((a) => ["UPC", "EXTERNAL_EAN", "EXTERNAL_UPC"].includes(a.type ?? "") && a.value)
    ?.value;

/** The axes (with extra prices on Ecwid's basis) and variants of an Ecwid product; empty for a simple one. */
export function ecwidVariantAxes(p: EcwidProduct): {
  axes: { name: string; values: { name: string; price: string }[] }[];
  variants: { id: number; options: Record<string, string>; sku?: string; ean?: string }[];
} {
  const combos = p.combinations ?? [];
  if (!combos.length) return { axes: [], variants: [] };
  const used = new Set(combos.flatMap((c) => c.options.map((o) => norm(o.name))));
  const axes = (p.options ?? [])
    .filter((o) => AXIS_TYPES.includes(o.type) && used.has(norm(o.name)))
    .map((o) => ({
      name: o.name.trim(),
      values: (o.choices ?? []).map((c) => ({
        name: c.text.trim(),
        price:
          c.priceModifierType === "PERCENT"
            ? dec(p.price ?? 0)
                .times(dec(c.priceModifier ?? 0))
                .div(100)
                .toDecimalPlaces(2, Decimal.ROUND_HALF_UP)
                .toString()
            : dec(c.priceModifier ?? 0).toString(),
      })),
    }));
  const axisNames = new Set(axes.map((a) => norm(a.name)));
  const variants = combos.map((c) => {
    const options: Record<string, string> = {};
    for (const o of c.options) if (axisNames.has(norm(o.name))) options[o.name.trim()] = o.value.trim();
    const ean = upc(c);
    return { id: c.id, options, ...(c.sku ? { sku: c.sku } : {}), ...(ean ? { ean } : {}) };
  });
  return { axes, variants };
}

const comboKey = (parts: { axis: string; value: string }[]) =>
  parts
    .map((x) => `${norm(x.axis)}=${norm(x.value)}`)
    .sort()
    .join("|");

const ccvKey = (c: CcvAttributeCombination) =>
  comboKey((c.combination ?? []).map((x) => ({ axis: x.attribute.name, value: x.attribute_value.name })));

/**
 * Brings the variants of CCV product `ccvProductId` in line with the Ecwid product. `ccvProductId`
 * null (a dry run of a create): only plans. In a dry run nothing is written.
 */
export async function syncVariantsToCcv(
  rt: FlowRuntime,
  p: EcwidProduct,
  ccvProductId: number | null,
  ctx: { vatRate: string; ecwidPricesIncludeTax: boolean; ccvPricesIncludeTax: boolean },
  /** the CCV product was created just now: it has no variants, and its values get their prices on attaching */
  created = false,
): Promise<VariantSync> {
  const { axes: ecwidAxes, variants: ecwidVariants } = ecwidVariantAxes(p);
  if (!ecwidAxes.length) return { links: [], changes: [], note: null };

  const axes: CcvVariantAxis[] = ecwidAxes.map((a) => ({
    name: a.name,
    values: a.values.map((v) => ({
      name: v.name,
      price: toNumber(convertPrice(v.price, ctx.vatRate, ctx.ecwidPricesIncludeTax, ctx.ccvPricesIncludeTax)),
    })),
  }));
  const isNew = new Map<number, boolean>();
  for (const v of ecwidVariants)
    isNew.set(v.id, ccvProductId === null || !(await rt.links.byEcwid("VARIANT", String(v.id))));
  const ecwidById = new Map((p.combinations ?? []).map((c) => [c.id, c]));
  const specs: CcvVariantSpec[] = ecwidVariants.map((v) => {
    const source = ecwidById.get(v.id)!;
    const stock =
      isNew.get(v.id) && rt.settings.manageStock && source.sku && source.unlimited !== true
        ? (source.quantity ?? 0)
        : undefined;
    return {
      options: v.options,
      ...(v.sku !== undefined ? { sku: v.sku } : {}),
      ...(v.ean !== undefined ? { ean: v.ean } : {}),
      ...(stock !== undefined ? { stock } : {}),
      active: true,
    };
  });

  // what CCV has now (nothing for a product not created yet)
  const before =
    ccvProductId === null || created ? [] : await rt.clients.ccv.listAttributeCombinations(ccvProductId);
  const choices = new Map(ecwidAxes.map((a) => [norm(a.name), new Set(a.values.map((v) => norm(v.name)))]));
  // combinations using a value of a synced axis that is no longer among Ecwid's choices
  const removed = (list: CcvAttributeCombination[]) =>
    list.filter(
      (c) =>
        c.active &&
        (c.combination ?? []).some((x) => {
          const allowed = choices.get(norm(x.attribute.name));
          return allowed !== undefined && !allowed.has(norm(x.attribute_value.name));
        }),
    );
  const planned = { axes, variants: specs, deactivate: removed(before).map((c) => c.id) };
  const changes = diffFields(
    Object.fromEntries(before.map((c) => [ccvKey(c), { sku: c.sku_number ?? "", active: c.active }])),
    Object.fromEntries([
      ...specs.map((s) => [
        comboKey(Object.entries(s.options).map(([axis, value]) => ({ axis, value }))),
        { sku: s.sku ?? "", active: true },
      ]),
      ...removed(before).map((c) => [ccvKey(c), { sku: c.sku_number ?? "", active: false }]),
    ]),
    "variants",
  );
  if (rt.dryRun || ccvProductId === null) return { links: [], changes, planned, note: null };

  const { product: readBack, combinations } = await rt.clients.ccv.createVariantProduct(
    { product: { id: ccvProductId, createdNow: created }, axes, variants: specs },
    // the attributes and values read for earlier products of the run
    await rt.memo("ccv.attributes", async (): Promise<CcvAttributeMemo> => ({
      values: new Map(),
      exclusive: (fn) => sharedCatalogWrites(rt, fn),
    })),
  );
  // extra prices changed in Ecwid: the value is attached already, so its price is PATCHed (CCV §5.4)
  const pavs = created ? [] : await rt.clients.ccv.listProductAttributeValues(ccvProductId);
  for (const axis of axes) {
    for (const v of axis.values) {
      const pav = pavs.find(
        (x) => norm(x.optionname) === norm(axis.name) && norm(x.optionvalue_name) === norm(v.name),
      );
      if (pav && v.price !== undefined && !dec(pav.price).equals(dec(v.price)))
        await rt.clients.ccv.updateProductAttributeValue(pav.id, { price: v.price });
    }
  }
  const toDeactivate = removed(combinations);
  for (const c of toDeactivate) {
    const patch: CcvAttributeCombinationPatch = { active: false };
    await rt.clients.ccv.updateAttributeCombination(c.id, patch);
  }

  const byKey = new Map(combinations.map((c) => [ccvKey(c), c]));
  const links: LinkWrite[] = [];
  for (const v of ecwidVariants) {
    const c = byKey.get(comboKey(Object.entries(v.options).map(([axis, value]) => ({ axis, value }))));
    if (!c) continue;
    links.push({
      entity: "VARIANT",
      ecwidId: String(v.id),
      ccvId: String(c.id),
      createdBy: "CCV_SALESPOS",
      sku: v.sku ?? p.sku ?? null,
      // CCV regenerates the combinations when an axis is added: the variant's link follows
      repoint: true,
    });
  }
  const notes: string[] = [`${links.length} variant(s) linked`];
  if (toDeactivate.length)
    notes.push(
      `${toDeactivate.length} CCV variant(s) deactivated because their choice was removed in Ecwid (${toDeactivate.map((c) => c.id).join(", ")})`,
    );
  return {
    links,
    changes,
    planned,
    note: notes.join("; ") + ".",
    readBack: toDeactivate.length ? undefined : readBack,
  };
}
