import type { CcvProduct } from "../../../connectors/ccv-salespos";
import type { EcwidProduct } from "../../../connectors/ecwid";
import { hashOf } from "../../engine/hash";
import type { FlowRuntime } from "../../engine/flow-definition";
import { ccvCategoriesOf } from "./ecwid-to-ccv-categories";
import { ecwidFeatures } from "./features";
import { ecwidImageUrls } from "./images";

/**
 * Per-direction content hashes of a PRODUCT link (echo suppression, "unchanged" skips). Each is a
 * fingerprint of one side's record, independent of the mappings, so that either flow can compute
 * the other side's fingerprint after it wrote there:
 *
 * - `hashToCcv` = the Ecwid product's fingerprint when it was last synced to CCV, or as the
 *   gateway left it after writing it from CCV;
 * - `hashToEcwid` = the CCV product's fingerprint when it was last synced to Ecwid, or as the
 *   gateway left it after writing it from Ecwid.
 *
 * A flow skips a record whose fingerprint equals its direction's hash: either nothing changed, or
 * the change is the gateway's own write coming back (a change travels once). Stock figures are
 * left out: the stock flows own them.
 */

const upcOf = (attrs: EcwidProduct["attributes"]) =>
  (attrs ?? []).find((a) => ["UPC", "EXTERNAL_EAN", "EXTERNAL_UPC"].includes(a.type ?? "") && a.value)
    ?.value ?? null;

export async function ecwidFingerprint(rt: FlowRuntime, p: EcwidProduct): Promise<string> {
  const categories = await ccvCategoriesOf(rt, p);
  const features = await ecwidFeatures(rt, p);
  return hashOf({
    sku: p.sku ?? null,
    name: p.name,
    description: p.description ?? null,
    subtitle: p.subtitle ?? null,
    price: p.price ?? null,
    enabled: p.enabled ?? null,
    weight: p.weight ?? null,
    unlimited: p.unlimited ?? null,
    tax: { taxable: p.tax?.taxable ?? null, manual: p.tax?.enabledManualTaxes ?? [] },
    upc: upcOf(p.attributes),
    options: (p.options ?? []).map((o) => ({
      type: o.type,
      name: o.name,
      choices: (o.choices ?? []).map((c) => [
        c.text,
        c.priceModifier ?? 0,
        c.priceModifierType ?? "ABSOLUTE",
      ]),
    })),
    combinations: (p.combinations ?? []).map((c) => ({
      id: c.id,
      options: c.options.map((o) => [o.name, o.value]),
      sku: c.sku ?? null,
      upc: upcOf(c.attributes),
    })),
    // the CCV categories the product's categories are linked to: a category linked later changes it
    categories: categories.ccvIds,
    unlinkedCategories: categories.unlinked,
    // the attribute values as the feature mapping places them: a new mapping changes it too
    features: features.mapped,
    unmappedFeatures: features.unmapped,
    images: ecwidImageUrls(p).map((i) => [i.url, i.main, i.alt]),
  });
}

export function ccvFingerprint(c: CcvProduct): string {
  return hashOf({
    productnumber: c.productnumber ?? null,
    name: c.name,
    description: c.description ?? null,
    shortdescription: c.shortdescription ?? null,
    price: c.price,
    discount: c.discount,
    taxtariff: c.taxtariff ?? null,
    eannumber: c.eannumber ?? null,
    weight: c.weight ?? null,
    active: c.is_active,
    stockenabled: c.stockenabled ?? null,
    combinations: (c.attributecombinations?.collection ?? []).map((x) => ({
      id: x.id,
      sku: x.sku_number ?? null,
      ean: x.ean_number ?? null,
      active: x.active,
      extra: x.netto_extra_price,
      values: (x.combination ?? []).map((v) => [v.attribute.name, v.attribute_value.name]),
    })),
  });
}

/** the CCV product as both flows fingerprint it (with its attribute combinations) */
export const readCcvProduct = (rt: FlowRuntime, id: string | number) =>
  rt.clients.ccv.getProduct(id, { expand: ["attributecombinations"] });
