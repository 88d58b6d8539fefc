import { CCV_PRICES_INCLUDE_VAT_WHEN_UNSET } from "../../connectors/ccv-salespos/ccv.vendor-facts";
import type { CcvProduct, CcvProductCreate, CcvProductPatch } from "../../connectors/ccv-salespos";
import type { EcwidProduct, EcwidProductFilters } from "../../connectors/ecwid";
import { toNumber } from "../../domain/money";
import { diffFields } from "../engine/hash";
import {
  ccvFingerprint,
  echoHash,
  ecwidFingerprint,
  isSynced,
  linkMovedSince,
  otherDirectionEnabled,
  ownHash,
  productPairKey,
  upgradedHash,
  readCcvProduct,
} from "./products/fingerprints";
import { PRODUCT_ITEMS_IN_FLIGHT } from "./products/catalog-writes";
import { syncImagesToCcv, type ImageSync } from "./products/images";
import {
  ecwidFeatures,
  syncFeaturesToCcv,
  unmappedNote,
  type FeatureSync,
  type FeatureValues,
} from "./products/features";
import {
  ItemFailure,
  type FlowDefinition,
  type FlowRuntime,
  type ItemResult,
  type LinkWrite,
  type SourceRecord,
} from "../engine/flow-definition";
import type { LinkEntity } from "../../db/entities/link.entity";
import { ccvTariffFor, convertPrice, ecwidVatRate } from "./products/product-tax";
import {
  ccvProductsFromVendor,
  ccvProductsWithSku,
  describeRefs,
  indexedSku,
} from "./products/sku-resolution";
import { syncVariantsToCcv, type VariantSync } from "./products/ecwid-to-ccv-variants";
import {
  ccvCategoriesOf,
  syncCategoriesToCcv,
  type CategorySync,
  unlinkedNote,
  type CategoryTargets,
} from "./products/ecwid-to-ccv-categories";

/**
 * PRODUCTS_ECWID_TO_CCV (ARCHITECTURE §4): Ecwid products are created or updated in CCV SalesPOS,
 * matched by their PRODUCT link, else by SKU; a product without SKU, or whose SKU is used twice on
 * a side, is skipped with a reason naming the products, never guessed. Each field follows its
 * mapping's write policy (a CREATE_ONLY long description is written once; later edits in CCV are
 * kept). A product deleted in Ecwid is deactivated in CCV, never deleted. Products with variations
 * get CCV attributes, values and attribute combinations (./products/ecwid-to-ccv-variants.ts).
 */

/** an Ecwid product that no longer exists (webhook `product.deleted`, or Ecwid's deleted list) */
interface DeletedProduct {
  id: number;
  deleted: true;
  deletedAt?: string;
}

type Payload = EcwidProduct | DeletedProduct;
const isDeleted = (p: Payload): p is DeletedProduct => (p as DeletedProduct).deleted === true;

/** what the default mappings use beyond the Ecwid product ($ctx) */
export interface ProductContext {
  /** the product's VAT rate in percent, e.g. "21" */
  vatRate: string;
  /** the CCV tax tariff the TAX_RATE value map gives for it (null when it has none: a preview) */
  taxtariff: string | null;
  /** Ecwid's price on the CCV shop's basis (net or gross), exact */
  price: number;
  ecwidPricesIncludeTax: boolean;
  ccvPricesIncludeTax: boolean;
  /** the flow's manageStock setting */
  manageStock: boolean;
}

export const productsEcwidToCcv: FlowDefinition = {
  kind: "PRODUCTS_ECWID_TO_CCV",
  entity: "PRODUCT",
  source: "ECWID",
  target: "CCV_SALESPOS",
  // an unlinked product: 2 lookups + create; a product with variants costs more (attributes, values)
  cost: { requestsPerItem: 3, lanePerMinute: 100 },
  // each CCV write route has a lane of its own (product, attribute values, combinations, photos):
  // products side by side keep them all busy; one SKU's items stay in order, and shared records
  // (attributes, features) are found or created one item at a time (sharedCatalogWrites)
  maxItemsInFlight: PRODUCT_ITEMS_IN_FLIGHT,
  itemGroup: (record) => {
    const sku = record.sku?.trim().toLowerCase();
    return sku ? `sku:${sku}` : `id:${record.id}`;
  },
  webhooks: { system: "ECWID", events: ["product.created", "product.updated", "product.deleted"] },
  defaultMappings: [
    { target: "name", source: "name", policy: "ALWAYS" },
    { target: "productnumber", source: "sku", policy: "ALWAYS" },
    { target: "description", source: "description", policy: "ALWAYS" },
    { target: "shortdescription", source: "subtitle", policy: "ALWAYS" },
    { target: "price", expression: "$ctx.price", policy: "ALWAYS" },
    // CCV's sell price is price − discount (CCV §5.1); Ecwid's price is what the shop sells for
    { target: "discount", expression: "0", policy: "CREATE_ONLY" },
    { target: "taxtariff", expression: "$ctx.taxtariff ? $ctx.taxtariff : undefined", policy: "ALWAYS" },
    // Ecwid has no EAN field: the barcode is a product attribute of type UPC (Ecwid §6.2)
    {
      target: "eannumber",
      expression: '(attributes[type in ["UPC", "EXTERNAL_EAN", "EXTERNAL_UPC"] and value != ""].value)[0]',
      policy: "ALWAYS",
    },
    { target: "weight", source: "weight", policy: "ALWAYS" },
    { target: "active", expression: "enabled != false", policy: "ALWAYS" },
    { target: "stockenabled", expression: "$ctx.manageStock and unlimited != true", policy: "ALWAYS" },
    // the starting quantity; afterwards the stock flows own the figure (one stock master, ARCHITECTURE §4)
    {
      target: "stock",
      expression: "$ctx.manageStock and unlimited != true ? (quantity ? quantity : 0) : undefined",
      policy: "CREATE_ONLY",
    },
  ],
  valueMapCodes: {
    TAX_RATE: (payload) => {
      const p = payload as EcwidProduct | null;
      return p && !isDeleted(p) ? ecwidVatRate(p, null) : null;
    },
  },

  async *discover(rt, opts) {
    const filters: EcwidProductFilters = opts.since ? { updatedFrom: opts.since } : {};
    for (let offset = 0; ;) {
      const readAt = Date.now();
      const page = await rt.clients.ecwid.searchProducts(filters, { offset });
      if (offset === 0) opts.setExpectedTotal(page.total);
      const items = page.items ?? [];
      for (const p of items) yield { record: toRecord(p, readAt) };
      offset += items.length;
      if (items.length === 0 || offset >= page.total) break;
    }
    // deletions in the window, for products the gateway linked (others have nothing to deactivate)
    if (opts.since) {
      const seen = new Set<number>();
      for await (const d of rt.clients.ecwid.paginateDeletedProducts({ from: opts.since })) {
        if (seen.has(d.id)) continue;
        seen.add(d.id);
        if (await rt.links.byEcwid("PRODUCT", String(d.id)))
          yield { record: toRecord({ id: d.id, deleted: true, deletedAt: d.date }) };
      }
    }
  },

  async fetchOne(rt, sourceId) {
    try {
      return toRecord(await rt.clients.ecwid.getProduct(Number(sourceId)));
    } catch (e) {
      // a deleted product still has to be deactivated in CCV: the item needs a record
      if ((e as { code?: string }).code === "NOT_FOUND")
        return toRecord({ id: Number(sourceId), deleted: true });
      throw e;
    }
  },

  async mappingInput(rt, record) {
    const p = record.payload as Payload;
    if (isDeleted(p)) return { input: p, bindings: {} };
    return { input: p, bindings: { ctx: await productContext(rt, p, false) } };
  },

  async pairLease(rt, record) {
    if (!(await otherDirectionEnabled(rt))) return null;
    return productPairKey((await rt.links.byEcwid("PRODUCT", record.id))?.ccvId ?? null, record.sku);
  },

  async reread(rt, record) {
    const link = await rt.links.byEcwid("PRODUCT", record.id);
    return link && linkMovedSince(link, record) ? (await this.fetchOne(rt, record.id))! : record;
  },

  async syncItem(rt, record): Promise<ItemResult> {
    const p = record.payload as Payload;
    if (isDeleted(p)) return deactivate(rt, record.id);

    const sku = p.sku?.trim() ?? "";
    if (!sku) {
      return {
        action: "SKIP",
        reason: `Ecwid product ${p.id} ("${p.name}") has no SKU; products are matched by SKU, so it is not synced.`,
      };
    }
    const link = await rt.links.byEcwid("PRODUCT", record.id);
    // the Ecwid product's fingerprint (./products/fingerprints.ts): unchanged, or the gateway's own
    // write from CCV coming back, costs no CCV request
    const hash = await ecwidFingerprint(rt, p);
    const categories = await ccvCategoriesOf(rt, p);
    const features = await ecwidFeatures(rt, p);
    if (link && (await isSynced(rt, link.hashToCcv, hash))) {
      const upgraded = await upgradedHash(rt, link.hashToCcv, hash);
      return {
        action: "SKIP",
        sku,
        targetId: link.ccvId,
        reason: ["Unchanged since the last sync.", unlinkedNote(categories), unmappedNote(features.unmapped)]
          .filter(Boolean)
          .join(" "),
        links: upgraded
          ? [
              {
                entity: "PRODUCT",
                ecwidId: record.id,
                ccvId: link.ccvId,
                createdBy: link.createdBy as LinkWrite["createdBy"],
                sku,
                hashToCcv: upgraded,
              },
            ]
          : [],
      };
    }
    let matched: CcvProduct | null = null;
    if (!link) {
      const otherEcwid = (await indexedSku(rt, sku)).ecwid.filter(
        (r) => r.productId !== record.id || r.combinationId,
      );
      if (otherEcwid.length) {
        return {
          action: "SKIP",
          sku,
          reason: `SKU ${sku} is used twice in Ecwid: product ${p.id} and ${describeRefs("Ecwid", otherEcwid)}. Give each its own SKU; the gateway does not guess.`,
        };
      }
      let ccvHits = await ccvProductsWithSku(rt, sku);
      if (ccvHits.length === 1) {
        matched = await ccvProductIfSku(rt, ccvHits[0].productId, sku);
        // the index's hit is gone or has another number now: CCV decides
        if (!matched) {
          ccvHits = await ccvProductsFromVendor(rt, sku);
          if (ccvHits.length === 1) matched = await readCcvProduct(rt, ccvHits[0].productId);
        }
      }
      if (ccvHits.length > 1) {
        return {
          action: "SKIP",
          sku,
          reason: `SKU ${sku} is used twice in CCV SalesPOS: ${describeRefs("CCV SalesPOS", ccvHits)}. Give each its own article number; the gateway does not guess which one Ecwid product ${p.id} is.`,
        };
      }
    }

    const ctx = await productContext(rt, p, true);
    // the link's hash: the record with this direction's configuration (a changed mapping re-syncs)
    const linkHash = await ownHash(rt, hash);
    if (!link && !matched) return create(rt, record.id, p, sku, ctx, { categories, features }, linkHash);
    const ccvId = link ? link.ccvId : String(matched!.id);
    const linkWrite: LinkWrite = {
      entity: "PRODUCT",
      ecwidId: record.id,
      ccvId,
      createdBy: link ? (link.createdBy as LinkWrite["createdBy"]) : "MATCHED",
      sku,
      hashToCcv: linkHash,
      ...(matched ? { hashToEcwid: await echoHash(rt, await ccvFingerprint(rt, matched)) } : {}),
    };
    if (!rt.settings.updateExisting) {
      return {
        action: "SKIP",
        sku,
        targetId: ccvId,
        reason: link
          ? "Already in CCV SalesPOS; updating existing records is off."
          : `Found in CCV SalesPOS by SKU ${sku} and linked; updating existing records is off.`,
        links: rt.dryRun ? [] : [linkWrite],
      };
    }
    return update(rt, p, sku, ccvId, matched, link, ctx, { categories, features }, linkWrite);
  },
};

const toRecord = (p: Payload, readAt = Date.now()): SourceRecord => ({
  id: String(p.id),
  entity: "PRODUCT",
  sku: isDeleted(p) ? null : (p.sku ?? null),
  payload: p,
  readAt,
});

const ecwidProfile = (rt: FlowRuntime) => rt.memo("ecwid:profile", () => rt.clients.ecwid.getProfile());
const ccvProfile = (rt: FlowRuntime) => rt.memo("ccv:store-profile", () => rt.clients.ccv.getStoreProfile());

/** $ctx of the mappings; `strict`: a VAT rate without TAX_RATE mapping fails the item (a preview shows the rest) */
export async function productContext(
  rt: FlowRuntime,
  p: EcwidProduct,
  strict: boolean,
): Promise<ProductContext> {
  const [ecwid, ccv] = await Promise.all([ecwidProfile(rt), ccvProfile(rt)]);
  const vatRate = ecwidVatRate(p, ecwid);
  let taxtariff: string | null = null;
  try {
    taxtariff = ccvTariffFor(rt.valueMaps, vatRate);
  } catch (e) {
    if (strict) throw e;
  }
  const ecwidPricesIncludeTax = ecwid.taxSettings?.pricesIncludeTax ?? false;
  const ccvPricesIncludeTax = ccv.pricesIncludeTax ?? CCV_PRICES_INCLUDE_VAT_WHEN_UNSET;
  return {
    vatRate,
    taxtariff,
    price: toNumber(convertPrice(p.price ?? 0, vatRate, ecwidPricesIncludeTax, ccvPricesIncludeTax)),
    ecwidPricesIncludeTax,
    ccvPricesIncludeTax,
    manageStock: rt.settings.manageStock,
  };
}

/** the CCV product when it exists and still has this article number, else null */
async function ccvProductIfSku(rt: FlowRuntime, id: string, sku: string): Promise<CcvProduct | null> {
  try {
    const c = await readCcvProduct(rt, id);
    return c.productnumber === sku ? c : null;
  } catch (e) {
    if ((e as { code?: string }).code === "NOT_FOUND") return null;
    throw e;
  }
}

/** the CCV product in the shape of the mapped payload (diffs, FILL_IF_EMPTY) */
function currentFields(c: CcvProduct): Record<string, unknown> {
  const { is_active, ...rest } = c;
  return { ...rest, active: is_active };
}

async function create(
  rt: FlowRuntime,
  ecwidId: string,
  p: EcwidProduct,
  sku: string,
  ctx: ProductContext,
  extras: Extras,
  hash: string,
): Promise<ItemResult> {
  const { payload, errors } = await rt.mappings.apply(p, { isCreate: true, bindings: { ctx } });
  if (errors.length) throw new ItemFailure("MAPPING", errors.join("; "));
  for (const required of ["name", "price", "taxtariff"]) {
    if (payload[required] === undefined || payload[required] === null)
      throw new ItemFailure(
        "MAPPING",
        `The mappings give no ${required}, which CCV SalesPOS requires to create a product.`,
      );
  }
  if (payload.discount === undefined) payload.discount = 0;
  const changes = diffFields(null, payload);
  if (rt.dryRun) {
    const parts = await syncParts(rt, p, null, ctx, extras);
    return withImageOutcome(
      {
        action: "CREATE",
        sku,
        changes: [...changes, ...partChanges(parts)],
        sentPayload: sent(payload, parts),
        reason: notes(null, parts),
      },
      parts,
      null,
    );
  }
  const created = await rt.clients.ccv.createProduct(payload as unknown as CcvProductCreate);
  const link: LinkWrite = {
    entity: "PRODUCT",
    ecwidId,
    ccvId: String(created.id),
    createdBy: "CCV_SALESPOS",
    sku,
    hashToCcv: hash,
  };
  const parts = await syncParts(rt, p, created.id, ctx, extras, true);
  // what the gateway created is in the catalogue index at once (orders and stock resolve it there)
  await rt.catalog.noteCcv({ productId: String(created.id) }, sku, created.eannumber || null);
  for (const c of parts.variants.readBack?.attributecombinations?.collection ?? [])
    await rt.catalog.noteCcv(
      { productId: String(created.id), combinationId: String(c.id) },
      c.sku_number || null,
      c.ean_number || null,
    );
  // the CCV product as the gateway left it: PRODUCTS_CCV_TO_ECWID will not send it back. The answer
  // to the POST (CCV §4.1: the created resource) is that state when nothing else was written; the
  // fingerprint covers categories, property values and photos, so after those it is read back
  // (the read after the variant writes serves when nothing was written after them)
  const wroteOthers = parts.cats.changes.length > 0 || parts.feats.changes.length > 0 || !!parts.imgs.planned;
  const leftAs =
    (wroteOthers ? null : parts.variants.planned ? parts.variants.readBack : created) ??
    (await readCcvProduct(rt, created.id));
  link.hashToEcwid = await echoHash(rt, await ccvFingerprint(rt, leftAs));
  return withImageOutcome(
    {
      action: "CREATE",
      sku,
      targetId: String(created.id),
      changes: [...changes, ...partChanges(parts)],
      sentPayload: sent(payload, parts),
      reason: notes(null, parts),
      links: [link, ...parts.variants.links],
    },
    parts,
    link,
  );
}

async function update(
  rt: FlowRuntime,
  p: EcwidProduct,
  sku: string,
  ccvId: string,
  matched: CcvProduct | null,
  link: LinkEntity | null,
  ctx: ProductContext,
  extras: Extras,
  linkWrite: LinkWrite,
): Promise<ItemResult> {
  const current = matched ?? (await readCcvProduct(rt, ccvId));
  const before = currentFields(current);
  const { payload, errors } = await rt.mappings.apply(p, {
    isCreate: false,
    current: before,
    bindings: { ctx },
  });
  if (errors.length) throw new ItemFailure("MAPPING", errors.join("; "));
  const changes = diffFields(before, payload);
  // a partial PATCH with only what differs (CCV §5.1): fields edited in CCV that no mapping writes stay
  const patch: Record<string, unknown> = {};
  for (const c of changes) patch[c.field.split(".")[0]] = payload[c.field.split(".")[0]];
  if (!rt.dryRun && Object.keys(patch).length)
    await rt.clients.ccv.updateProduct(ccvId, patch as CcvProductPatch);
  const parts = await syncParts(rt, p, Number(ccvId), ctx, extras);
  const allChanges = [...changes, ...partChanges(parts)];
  const links = rt.dryRun ? [] : [linkWrite, ...parts.variants.links];
  if (!allChanges.length) {
    if (!parts.variants.planned)
      linkWrite.hashToEcwid = await echoHash(rt, await ccvFingerprint(rt, current));
    else if (!rt.dryRun)
      linkWrite.hashToEcwid = await echoHash(rt, await ccvFingerprint(rt, await readCcvProduct(rt, ccvId)));
    return withImageOutcome(
      {
        action: "SKIP",
        sku,
        targetId: ccvId,
        reason: notes(
          link
            ? "CCV SalesPOS already has these values."
            : `Found in CCV SalesPOS by SKU ${sku} with the same values; linked.`,
          parts,
        ),
        links,
      },
      parts,
      rt.dryRun ? null : linkWrite,
    );
  }
  if (!rt.dryRun)
    linkWrite.hashToEcwid = await echoHash(rt, await ccvFingerprint(rt, await readCcvProduct(rt, ccvId)));
  return withImageOutcome(
    {
      action: "UPDATE",
      sku,
      targetId: ccvId,
      changes: allChanges,
      sentPayload: sent(patch, parts),
      reason: notes(link ? null : `Found in CCV SalesPOS by SKU ${sku}; linked.`, parts),
      links,
    },
    parts,
    rt.dryRun ? null : linkWrite,
  );
}

/** what a product brings beyond its own fields */
interface Extras {
  categories: CategoryTargets;
  features: FeatureValues;
}

/** the parts of a product beyond its own fields, as synced (or planned in a dry run) */
interface Parts {
  variants: VariantSync;
  cats: CategorySync;
  feats: FeatureSync;
  imgs: ImageSync;
}

async function syncParts(
  rt: FlowRuntime,
  p: EcwidProduct,
  ccvId: number | null,
  ctx: ProductContext,
  extras: Extras,
  /** the CCV product was created in this item (nothing to read back about its parts) */
  created = false,
): Promise<Parts> {
  return {
    variants: await syncVariantsToCcv(rt, p, ccvId, ctx, created),
    cats: await syncCategoriesToCcv(rt, ccvId, extras.categories, created),
    feats: await syncFeaturesToCcv(rt, ccvId, extras.features),
    imgs: await syncImagesToCcv(rt, ccvId, String(p.id), p),
  };
}

const partChanges = (x: Parts) => [
  ...x.variants.changes,
  ...x.cats.changes,
  ...x.feats.changes,
  ...x.imgs.changes,
];

/** the product payload alone, or with what is (to be) written for its other parts */
function sent(product: Record<string, unknown>, x: Parts): unknown {
  const withCategories = x.cats.planned.add.length || x.cats.planned.remove.length;
  const withFeatures = x.feats.changes.length > 0;
  const withImages = x.imgs.planned !== undefined;
  if (!x.variants.planned && !withCategories && !withFeatures && !withImages) return product;
  return {
    product,
    ...(x.variants.planned ? { variants: x.variants.planned } : {}),
    ...(withCategories ? { categories: x.cats.planned } : {}),
    ...(withFeatures ? { features: x.feats.changes.map((c) => ({ field: c.field, value: c.after })) } : {}),
    ...(withImages ? { images: x.imgs.planned } : {}),
  };
}

function notes(first: string | null, x: Parts): string | null {
  return [first, x.variants.note, x.cats.note, x.feats.note, x.imgs.note].filter(Boolean).join(" ") || null;
}

/**
 * An image that could not be fetched fails the item (the rest is written and linked); the link
 * keeps no hash, so the next run tries the product again.
 */
function withImageOutcome(r: ItemResult, x: Parts, link: LinkWrite | null): ItemResult {
  if (!x.imgs.failure) return r;
  if (link) link.hashToCcv = "";
  return {
    ...r,
    status: "FAILED",
    errorCode: "IMAGE",
    reason: [x.imgs.failure, r.reason].filter(Boolean).join(" "),
  };
}

/** deleted in Ecwid → deactivated in CCV (never deleted: its sales history stays) */
async function deactivate(rt: FlowRuntime, ecwidId: string): Promise<ItemResult> {
  const link = await rt.links.byEcwid("PRODUCT", ecwidId);
  if (!link) {
    return {
      action: "SKIP",
      reason: `Ecwid product ${ecwidId} no longer exists and was never synced; nothing to deactivate.`,
    };
  }
  let current: CcvProduct;
  try {
    current = await readCcvProduct(rt, link.ccvId);
  } catch (e) {
    if ((e as { code?: string }).code === "NOT_FOUND")
      return {
        action: "SKIP",
        targetId: link.ccvId,
        sku: link.sku,
        reason: `Deleted in Ecwid; CCV SalesPOS product ${link.ccvId} no longer exists either.`,
      };
    throw e;
  }
  if (!current.is_active) {
    return {
      action: "SKIP",
      targetId: link.ccvId,
      sku: link.sku,
      reason: `Deleted in Ecwid; CCV SalesPOS product ${link.ccvId} is already inactive.`,
    };
  }
  const patch = { active: false };
  if (!rt.dryRun) await rt.clients.ccv.updateProduct(link.ccvId, patch);
  const after = rt.dryRun
    ? null
    : await echoHash(rt, await ccvFingerprint(rt, await readCcvProduct(rt, link.ccvId)));
  return {
    action: "UPDATE",
    targetId: link.ccvId,
    sku: link.sku,
    changes: [{ field: "active", before: true, after: false }],
    sentPayload: patch,
    reason: `Deleted in Ecwid; deactivated in CCV SalesPOS (products are never deleted there).`,
    links: rt.dryRun
      ? []
      : [
          {
            entity: "PRODUCT",
            ecwidId,
            ccvId: link.ccvId,
            createdBy: link.createdBy as LinkWrite["createdBy"],
            hashToCcv: "deleted",
            ...(after ? { hashToEcwid: after } : {}),
          },
        ],
  };
}
