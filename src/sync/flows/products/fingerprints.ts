import type { CcvProduct, CcvProductExpand } from "../../../connectors/ccv-salespos";
import { CCV_EXPANDED_PROPERTY_GROUPS_CARRY_VALUES } from "../../../connectors/ccv-salespos/ccv.vendor-facts";
import type { EcwidProduct } from "../../../connectors/ecwid";
import { FlowConfigEntity } from "../../../db/entities/flow-config.entity";
import { hashOf } from "../../engine/hash";
import type { FlowRuntime, SourceRecord } from "../../engine/flow-definition";
import { ccvCategoriesOf } from "./ecwid-to-ccv-categories";
import { ecwidFeatures, FEATURE_MAP_KIND } from "./features";
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

/**
 * The CCV product's fingerprint: its fields, attribute combinations and photos, and (read with the
 * expansions of `readCcvProduct`) its category links and property values. A product whose only
 * change is a category link or a property value therefore differs, although CCV may not move its
 * `modifydate` for that (ccv.vendor-facts.ts CCV_PRODUCT_LINK_EDIT_MOVES_MODIFYDATE): the budgeted
 * reconcile of PRODUCTS_CCV_TO_ECWID finds it by this fingerprint. A category counts with the Ecwid
 * category it is linked to, so a category linked later changes it too.
 */
export async function ccvFingerprint(rt: FlowRuntime, c: CcvProduct): Promise<string> {
  const categories: [number, string | null][] = [];
  for (const id of [...new Set((c.producttocategories?.collection ?? []).map((l) => l.category_id))].sort(
    (a, b) => a - b,
  ))
    categories.push([id, await linkedEcwidCategory(rt, id)]);
  const properties = (c.producttopropertygroups?.collection ?? [])
    .flatMap((g) => (g.values?.collection ?? []).map((v) => [v.product_property_id, v.value] as const))
    .sort((a, b) => a[0] - b[0] || String(a[1]).localeCompare(String(b[1])));
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
    // only when there are photos, so the hashes of products without photos stay as they were
    ...(c.productphotos?.collection?.length
      ? {
          photos: c.productphotos.collection.map((x) => [x.id, x.is_mainphoto, x.alttext ?? null]),
        }
      : {}),
    // likewise only when there are any: hashes of products in no category, without properties stay
    ...(categories.length ? { categories } : {}),
    ...(properties.length ? { properties } : {}),
  });
}

/** the Ecwid category a CCV category is linked to (once per run and category) */
const linkedEcwidCategory = (rt: FlowRuntime, ccvCategoryId: number): Promise<string | null> =>
  rt.memo(
    `products:ccv-category-link:${ccvCategoryId}`,
    async () => (await rt.links.byCcv("CATEGORY", String(ccvCategoryId)))?.ecwidId ?? null,
  );

/**
 * What both flows read of a CCV product, in one request: its attribute combinations, photos,
 * category links and property values (CCV §3.5 expansions) — all that `ccvFingerprint` covers.
 */
export const CCV_PRODUCT_EXPAND = [
  "attributecombinations",
  "productphotos",
  "producttocategories",
  "producttopropertygroups",
] as const satisfies readonly CcvProductExpand[];

/** the CCV product as both flows fingerprint it */
export async function readCcvProduct(rt: FlowRuntime, id: string | number): Promise<CcvProduct> {
  return withPropertyValues(rt, await rt.clients.ccv.getProduct(id, { expand: [...CCV_PRODUCT_EXPAND] }));
}

/**
 * The product with its property values in its group links: as read when the expansion embeds them
 * (CCV_EXPANDED_PROPERTY_GROUPS_CARRY_VALUES), else read per product.
 */
export async function withPropertyValues(rt: FlowRuntime, p: CcvProduct): Promise<CcvProduct> {
  if (CCV_EXPANDED_PROPERTY_GROUPS_CARRY_VALUES) return p;
  const links = await rt.clients.ccv.listProductToPropertyGroups(p.id);
  return {
    ...p,
    producttopropertygroups: { href: p.producttopropertygroups?.href ?? "", collection: links },
  };
}

// ---------------------------------------------------------------------------------------------
// The configuration a direction writes with. A product whose record is unchanged is still synced
// again when the configuration of its direction changed since (a field mapping, the TAX_RATE or
// feature map, `manageStock`): each direction's link hash covers the record AND that direction's
// configuration. The link columns hold one sha256, so the two are hashed together.

const OTHER_FLOW: Record<string, string> = {
  PRODUCTS_CCV_TO_ECWID: "PRODUCTS_ECWID_TO_CCV",
  PRODUCTS_ECWID_TO_CCV: "PRODUCTS_CCV_TO_ECWID",
};
const configKey = (flow: string) => `products:config:${flow}`;

/**
 * This run's configuration fingerprint. Kept in the integration's state (not in a dry run), so the
 * other direction can write its echo hashes with this direction's configuration.
 */
export function configFingerprint(rt: FlowRuntime): Promise<string> {
  return rt.memo("products:config-fingerprint", async () => {
    const fp = hashOf({
      flow: rt.flow,
      mappings: rt.mappings.mappings.map((m) => ({
        target: m.target,
        source: m.source ?? null,
        expression: m.expression ?? null,
        defaultValue: m.defaultValue ?? null,
        policy: m.policy ?? null,
      })),
      taxRates: rt.valueMaps.entries("TAX_RATE").sort(),
      features: rt.valueMaps.entries(FEATURE_MAP_KIND).sort(),
      manageStock: rt.settings.manageStock,
    });
    if (!rt.dryRun && (await rt.state.get(configKey(rt.flow))) !== fp)
      await rt.state.set(configKey(rt.flow), fp);
    return fp;
  });
}

/** the other direction's configuration as of its last run; null when it never ran */
const otherConfig = (rt: FlowRuntime): Promise<string | null> =>
  rt.memo("products:other-config", async () => (await rt.state.get(configKey(OTHER_FLOW[rt.flow]))) ?? null);

/** the hash this direction records for a record it synced (record + this direction's configuration) */
export async function ownHash(rt: FlowRuntime, recordFingerprint: string): Promise<string> {
  return hashOf([recordFingerprint, await configFingerprint(rt)]);
}

/**
 * The hash recorded for the other direction after this one wrote there (its echo): the written
 * record with the other direction's configuration; only the record when that direction never ran.
 */
export async function echoHash(rt: FlowRuntime, recordFingerprint: string): Promise<string> {
  const other = await otherConfig(rt);
  return other ? hashOf([recordFingerprint, other]) : recordFingerprint;
}

/**
 * Whether a link's hash says the record is synced as it is with this configuration. A bare record
 * fingerprint (written before configurations were fingerprinted, or as an echo while this
 * direction had never run) matches whatever the configuration.
 */
export async function isSynced(
  rt: FlowRuntime,
  stored: string | null | undefined,
  recordFingerprint: string,
): Promise<boolean> {
  if (!stored) return false;
  return stored === recordFingerprint || stored === (await ownHash(rt, recordFingerprint));
}

/**
 * A link whose hash matched as a bare record fingerprint gets this direction's full hash (no upstream
 * request): from then on a change of this direction's configuration re-syncs the product.
 * Undefined when nothing is to be upgraded (or in a dry run).
 */
export async function upgradedHash(
  rt: FlowRuntime,
  stored: string | null | undefined,
  recordFingerprint: string,
): Promise<string | undefined> {
  return !rt.dryRun && stored === recordFingerprint ? ownHash(rt, recordFingerprint) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Both directions at once. The two product flows hold a shared lease on the product pair while an
// item decides and records (FlowDefinition.pairLease): the CCV id once linked, else the SKU. A
// record read before the other direction wrote the pair (a webhook's record, a discovery page) is
// read again, so it is compared with the link's hashes as they are now and a stale read is never
// written back.

/**
 * Whether the other direction is enabled (read once per run): with one product flow on there is
 * nothing to pair with, and an item saves the lease's statements. A run that began before the other
 * direction was enabled does not pair; the runs after it do.
 */
export const otherDirectionEnabled = (rt: FlowRuntime): Promise<boolean> =>
  rt.memo("products:other-direction-enabled", async () => {
    if (!rt.db) return true;
    const other = await rt.db.manager.findOneBy(FlowConfigEntity, {
      integrationId: rt.integrationId,
      kind: OTHER_FLOW[rt.flow],
    });
    return other?.enabled === true;
  });

/** the shared lease key of a product pair (null without link and SKU: nothing to pair with) */
export function productPairKey(linkedCcvId: string | null, sku: string | null | undefined): string | null {
  if (linkedCcvId) return `PRODUCT:ccv:${linkedCcvId}`;
  const s = sku?.trim();
  return s ? `PRODUCT:sku:${s}` : null;
}

/** slack of the link's stamp against the read time (clocks of workers and database) */
const LINK_STAMP_SLACK_MS = 2_000;

/** whether the link was written since (or about when) the record was read: the read may be stale */
export const linkMovedSince = (link: { updatedAt: Date }, record: SourceRecord): boolean =>
  record.readAt !== undefined && new Date(link.updatedAt).getTime() >= record.readAt - LINK_STAMP_SLACK_MS;
