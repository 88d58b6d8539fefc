import type { CcvAttributeCombination, CcvProduct } from "../../../connectors/ccv-salespos";
import type { EcwidProductOption, EcwidVariation, EcwidVariationWrite } from "../../../connectors/ecwid";
import { ECWID_INACTIVE_VARIATION } from "../../../connectors/ecwid/ecwid.vendor-facts";
import { dec, toNumber } from "../../../domain/money";
import { diffFields } from "../../engine/hash";
import type { FlowRuntime, LinkWrite } from "../../engine/flow-definition";
import { convertPrice } from "./product-tax";

/**
 * CCV attributes, attribute values and attribute combinations (CCV §5.4) → Ecwid options and
 * variations (Ecwid §6.3–6.4), the reverse of ./ecwid-to-ccv-variants.ts:
 *
 * - every CCV attribute a combination uses is one Ecwid SELECT option of the same name; its values
 *   are the choices, each with the value's extra price (`combination[].extra_price`) as an ABSOLUTE
 *   price modifier on Ecwid's tax basis, so the variant price is the product price plus the sum;
 * - each CCV combination is one Ecwid variation with its SKU, EAN (as the UPC attribute) and, when
 *   the variation is new, its stock (afterwards the stock flows own it);
 * - a combination that is inactive in CCV, or whose value was removed, is deactivated in Ecwid
 *   (Ecwid variations have no enabled flag: see ECWID_INACTIVE_VARIATION), never deleted;
 * - VARIANT links: Ecwid combination id ⇄ CCV attribute-combination id, with the variant's SKU.
 */

const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();

export interface CcvVariantAxis {
  name: string;
  values: { name: string; extra: number }[];
}

const combosOf = (c: CcvProduct): CcvAttributeCombination[] => c.attributecombinations?.collection ?? [];

/** the option axes of a CCV product, in the order its combinations name them; empty for a simple one */
export function ccvVariantAxes(c: CcvProduct): CcvVariantAxis[] {
  const axes: CcvVariantAxis[] = [];
  for (const combo of combosOf(c)) {
    for (const part of combo.combination ?? []) {
      let axis = axes.find((a) => norm(a.name) === norm(part.attribute.name));
      if (!axis) axes.push((axis = { name: part.attribute.name.trim(), values: [] }));
      if (!axis.values.some((v) => norm(v.name) === norm(part.attribute_value.name)))
        axis.values.push({ name: part.attribute_value.name.trim(), extra: part.extra_price ?? 0 });
    }
  }
  return axes;
}

export interface PriceBasis {
  vatRate: string;
  ccvPricesIncludeTax: boolean;
  ecwidPricesIncludeTax: boolean;
}

/**
 * The Ecwid options the product should have: the current ones with the CCV axes put in (an option of
 * the same name takes the CCV choices and price modifiers, keeping the choices CCV no longer has;
 * other options stay untouched).
 * Undefined for a simple CCV product (the Ecwid options are left alone).
 */
export function ecwidOptionsFor(
  c: CcvProduct,
  basis: PriceBasis,
  current: EcwidProductOption[] = [],
): EcwidProductOption[] | undefined {
  const axes = ccvVariantAxes(c);
  if (!axes.length) return undefined;
  const options = current.map((o) => ({ ...o }));
  for (const axis of axes) {
    const choices = axis.values.map((v) => ({
      text: v.name,
      priceModifier: toNumber(
        convertPrice(v.extra, basis.vatRate, basis.ccvPricesIncludeTax, basis.ecwidPricesIncludeTax),
      ),
      priceModifierType: "ABSOLUTE" as const,
    }));
    const i = options.findIndex((o) => norm(o.name) === norm(axis.name));
    // a choice CCV no longer has stays: its variation is kept (hidden), and a variation names its choice
    const kept = (i >= 0 ? (options[i].choices ?? []) : []).filter(
      (ch) => !choices.some((x) => norm(x.text) === norm(ch.text)),
    );
    if (i >= 0) options[i] = { ...options[i], choices: [...choices, ...kept] };
    else options.push({ type: "SELECT", name: axis.name, choices, defaultChoice: 0, required: true });
  }
  return options;
}

/** options in the shape both sides compare (types, names, choices with price modifiers) */
export const optionsShape = (options: EcwidProductOption[] | undefined) =>
  (options ?? []).map((o) => ({
    type: o.type,
    name: o.name,
    choices: (o.choices ?? []).map((ch) => [
      ch.text,
      dec(ch.priceModifier ?? 0).toString(),
      ch.priceModifierType ?? "ABSOLUTE",
    ]),
  }));

const optionKey = (parts: { name: string; value: string }[]) =>
  parts
    .map((p) => `${norm(p.name)}=${norm(p.value)}`)
    .sort()
    .join("|");

const upcOf = (v: EcwidVariation) =>
  (v.attributes ?? []).find((a) => ["UPC", "EXTERNAL_EAN", "EXTERNAL_UPC"].includes(a.type ?? "") && a.value)
    ?.value ?? "";

const isInactive = (v: EcwidVariation) =>
  v.outOfStockVisibilityBehaviour === ECWID_INACTIVE_VARIATION.outOfStockVisibilityBehaviour &&
  v.unlimited === false &&
  (v.quantity ?? 0) <= 0;

export interface EcwidVariantSync {
  links: LinkWrite[];
  changes: { field: string; before: unknown; after: unknown }[];
  /** the variation writes (done, or planned in a dry run) */
  planned: { create: EcwidVariationWrite[]; update: { id: number; patch: EcwidVariationWrite }[] };
  note: string | null;
}

/**
 * Brings the Ecwid variations of product `ecwidProductId` in line with the CCV combinations.
 * `ecwidProductId` null (a dry run of a create): only plans. `current` = the Ecwid variations now.
 * Call after the product's options are written (the variations name their choices).
 */
export async function syncVariantsToEcwid(
  rt: FlowRuntime,
  c: CcvProduct,
  ecwidProductId: number | null,
  current: EcwidVariation[],
  productSku: string,
): Promise<EcwidVariantSync> {
  const combos = combosOf(c);
  const empty: EcwidVariantSync = { links: [], changes: [], planned: { create: [], update: [] }, note: null };
  if (!combos.length) return empty;
  const byId = new Map(current.map((v) => [v.id, v]));
  const byOptions = new Map(current.map((v) => [optionKey(v.options), v]));
  const create: EcwidVariationWrite[] = [];
  const update: { id: number; patch: EcwidVariationWrite }[] = [];
  const targets: {
    combo: CcvAttributeCombination;
    existing?: EcwidVariation;
    write?: EcwidVariationWrite;
  }[] = [];
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const seen = new Set<number>();

  for (const combo of combos) {
    const options = (combo.combination ?? []).map((p) => ({
      name: p.attribute.name.trim(),
      value: p.attribute_value.name.trim(),
    }));
    const key = optionKey(options);
    const link = ecwidProductId === null ? null : await rt.links.byCcv("VARIANT", String(combo.id));
    const existing = (link ? byId.get(Number(link.ecwidId)) : undefined) ?? byOptions.get(key);
    if (existing) seen.add(existing.id);
    const sku = combo.sku_number?.trim() || undefined;
    const ean = combo.ean_number?.trim() || "";
    const active = combo.active !== false;
    before[key] = existing
      ? { sku: existing.sku ?? "", ean: upcOf(existing), active: !isInactive(existing) }
      : undefined;
    after[key] = { sku: sku ?? "", ean, active };
    if (!existing) {
      const stock =
        rt.settings.manageStock && sku && active
          ? { quantity: Math.floor(combo.stock ?? 0), unlimited: false }
          : {};
      const write: EcwidVariationWrite = {
        options,
        ...(sku ? { sku } : {}),
        ...(ean ? { attributes: [{ alias: "UPC", value: ean }] } : {}),
        ...(active ? stock : ECWID_INACTIVE_VARIATION),
      };
      create.push(write);
      targets.push({ combo, write });
      continue;
    }
    const patch: EcwidVariationWrite = {};
    if (sku && existing.sku !== sku) patch.sku = sku;
    if (ean !== upcOf(existing) && ean) patch.attributes = [{ alias: "UPC", value: ean }];
    if (!active && !isInactive(existing)) Object.assign(patch, ECWID_INACTIVE_VARIATION);
    if (active && isInactive(existing)) {
      patch.outOfStockVisibilityBehaviour = "SHOW";
      if (rt.settings.manageStock && existing.sku)
        Object.assign(patch, { quantity: Math.floor(combo.stock ?? 0), unlimited: false });
    }
    if (Object.keys(patch).length) update.push({ id: existing.id, patch });
    targets.push({ combo, existing });
  }
  // Ecwid variations no CCV combination names any more (a value removed in CCV): deactivated
  const orphans = current.filter((v) => !seen.has(v.id) && !isInactive(v));
  for (const v of orphans) {
    update.push({ id: v.id, patch: { ...ECWID_INACTIVE_VARIATION } });
    before[optionKey(v.options)] = { sku: v.sku ?? "", ean: upcOf(v), active: true };
    after[optionKey(v.options)] = { sku: v.sku ?? "", ean: upcOf(v), active: false };
  }
  const changes = diffFields(before, after, "variants");
  const planned = { create, update };
  if (rt.dryRun || ecwidProductId === null) return { links: [], changes, planned, note: null };

  const links: LinkWrite[] = [];
  for (const t of targets) {
    const id = t.existing
      ? t.existing.id
      : (await rt.clients.ecwid.createCombination(ecwidProductId, t.write!)).id;
    if (!t.existing) {
      await rt.catalog.noteEcwid(
        { productId: String(ecwidProductId), combinationId: String(id) },
        t.write!.sku ?? null,
        t.combo.ean_number ?? null,
      );
    }
    links.push({
      entity: "VARIANT",
      ecwidId: String(id),
      ccvId: String(t.combo.id),
      createdBy: t.existing ? "MATCHED" : "ECWID",
      sku: t.combo.sku_number?.trim() || productSku,
    });
  }
  for (const u of update) await rt.clients.ecwid.updateCombination(ecwidProductId, u.id, u.patch);
  const notes = [`${links.length} variant(s) linked`];
  if (create.length) notes.push(`${create.length} variation(s) created in Ecwid`);
  const deactivated = update.filter((u) => u.patch.outOfStockVisibilityBehaviour === "HIDE");
  if (deactivated.length)
    notes.push(
      `${deactivated.length} Ecwid variation(s) deactivated because the CCV SalesPOS combination is inactive or its value was removed (${deactivated.map((u) => u.id).join(", ")})`,
    );
  return { links, changes, planned, note: notes.join("; ") + "." };
}
