import {
  CCV_COMBINATION_EDIT_MOVES_PRODUCT_MODIFYDATE,
  CCV_MAX_PAGE_SIZE,
  CCV_PRICES_INCLUDE_VAT_WHEN_UNSET,
  CCV_PRODUCT_LINK_EDIT_MOVES_MODIFYDATE,
} from "../../connectors/ccv-salespos/ccv.vendor-facts";
import type { CcvProduct, CcvProductPhoto } from "../../connectors/ccv-salespos";
import type { EcwidAttributeWrite, EcwidProduct, EcwidProductWrite } from "../../connectors/ecwid";
import { dec, toNumber } from "../../domain/money";
import { diffFields } from "../engine/hash";
import { reconcileScan, type ReconcileState } from "../engine/reconcile";
import {
  ItemFailure,
  type FlowDefinition,
  type FlowRuntime,
  type ItemResult,
  type LinkWrite,
  type SourceRecord,
} from "../engine/flow-definition";
import { convertPrice } from "./products/product-tax";
import {
  CCV_PRODUCT_EXPAND,
  ccvFingerprint,
  echoHash,
  ecwidFingerprint,
  isSynced,
  ownHash,
  upgradedHash,
  linkMovedSince,
  otherDirectionEnabled,
  productPairKey,
  readCcvProduct,
  withPropertyValues,
} from "./products/fingerprints";
import { describeRefs, ecwidRefsWithSku, indexedSku } from "./products/sku-resolution";
import { ecwidCategoriesFor, unlinkedCcvCategoriesNote } from "./products/ccv-to-ecwid-categories";
import { syncImagesToEcwid, type ImageSync } from "./products/images";
import { ccvFeatures, ecwidAttributesWithFeatures, unmappedCcvNote } from "./products/features";
import {
  ecwidOptionsFor,
  optionsShape,
  syncVariantsToEcwid,
  type PriceBasis,
} from "./products/ccv-to-ecwid-variants";

/**
 * PRODUCTS_CCV_TO_ECWID (ARCHITECTURE §4): CCV SalesPOS products are created or updated in Ecwid,
 * matched by their PRODUCT link, else by SKU (CCV `productnumber`); the same rules as the other
 * direction: no SKU or a SKU used twice → skipped with a reason naming the products; per-field
 * write policies; a product deleted in CCV is disabled in Ecwid (never deleted). With both
 * directions on, the per-direction fingerprints on the link (./products/fingerprints.ts) make a
 * change travel once. Variants (CCV attribute combinations) become Ecwid options and variations
 * with VARIANT links (./products/ccv-to-ecwid-variants.ts).
 */

interface DeletedProduct {
  id: number;
  deleted: true;
}
type Payload = CcvProduct | DeletedProduct;
const isDeleted = (p: Payload): p is DeletedProduct => (p as DeletedProduct).deleted === true;

/**
 * Pages of the whole catalogue (of CCV_MAX_PAGE_SIZE products) an incremental run reads besides its
 * window: 2 GETs a run of CCV's 150 a minute; a catalogue of 5 000 products is covered every 10
 * runs (engine/reconcile.ts keeps the position between runs).
 */
export const RECONCILE_PAGES_PER_RUN = 2;

export interface CcvProductContext {
  /** the VAT rate (percent) the TAX_RATE value map gives for the product's CCV tax tariff */
  vatRate: string | null;
  /** the Ecwid `tax` object for that rate (null when it cannot be told: a preview) */
  tax: { taxable: boolean; enabledManualTaxes?: number[] } | null;
  /** the CCV sell price (price − discount) on Ecwid's tax basis, exact */
  price: number | null;
  manageStock: boolean;
}

export const productsCcvToEcwid: FlowDefinition = {
  kind: "PRODUCTS_CCV_TO_ECWID",
  entity: "PRODUCT",
  source: "CCV_SALESPOS",
  target: "ECWID",
  cost: { requestsPerItem: 3, lanePerMinute: 150 },
  webhooks: { system: "CCV_SALESPOS", events: ["products.created", "products.updated", "products.deleted"] },
  defaultMappings: [
    { target: "name", source: "name", policy: "ALWAYS" },
    { target: "sku", source: "productnumber", policy: "ALWAYS" },
    // CCV gives "" or null for a text never set, Ecwid leaves the field out: no value is no write
    { target: "description", expression: "description ? description : undefined", policy: "ALWAYS" },
    { target: "subtitle", expression: "shortdescription ? shortdescription : undefined", policy: "ALWAYS" },
    { target: "price", expression: "$ctx.price", policy: "ALWAYS" },
    { target: "tax", expression: "$ctx.tax ? $ctx.tax : undefined", policy: "ALWAYS" },
    { target: "enabled", expression: "is_active = true", policy: "ALWAYS" },
    { target: "weight", expression: "weight ? weight : undefined", policy: "ALWAYS" },
    // Ecwid keeps the barcode as the UPC attribute, written by alias (Ecwid §6.5)
    {
      target: "attributes",
      expression: 'eannumber ? [{"alias": "UPC", "value": eannumber}] : undefined',
      policy: "ALWAYS",
    },
    { target: "unlimited", expression: "$ctx.manageStock ? stockenabled = false : true", policy: "ALWAYS" },
    // the starting quantity (Ecwid counts whole units); afterwards the stock flows own the figure
    {
      target: "quantity",
      expression: "$ctx.manageStock and stockenabled != false ? $floor(stock ? stock : 0) : undefined",
      policy: "CREATE_ONLY",
    },
  ],
  valueMapCodes: {
    TAX_RATE: (payload) => {
      const p = payload as Payload | null;
      return p && !isDeleted(p) ? (p.taxtariff ?? null) : null;
    },
  },

  async *discover(rt, opts) {
    // a resumed run whose reconcile had begun continues there (the incremental part was recorded)
    const resumedInScan = typeof (opts.checkpoint as ReconcileState | undefined)?.start === "number";
    if (!resumedInScan) {
      // records are taken from the pages as they are read: each counts as read when the read began
      const readAt = Date.now();
      // CCV has no changed-since filter: newest changes first, until one older than the window (CCV §3.3)
      for await (const p of rt.clients.ccv.paginateProducts({
        orderby: "modifydate_desc",
        expand: [...CCV_PRODUCT_EXPAND],
      })) {
        if (opts.since && p.modifydate && new Date(p.modifydate) < opts.since) break;
        yield { record: toRecord(await withPropertyValues(rt, p), readAt) };
      }
    }
    // a run over everything has seen every product; an incremental one misses what does not move
    // modifydate (category links, property values, combination edits: ccv.vendor-facts.ts), so
    // it also reads its share of the whole catalogue and takes the linked products that changed
    let pageReadAt = Date.now();
    if (
      opts.since &&
      !(CCV_PRODUCT_LINK_EDIT_MOVES_MODIFYDATE && CCV_COMBINATION_EDIT_MOVES_PRODUCT_MODIFYDATE)
    )
      yield* reconcileScan<CcvProduct>(
        rt,
        {
          key: "scan:PRODUCTS_CCV_TO_ECWID",
          pagesPerRun: RECONCILE_PAGES_PER_RUN,
          pageSize: CCV_MAX_PAGE_SIZE,
          fetchPage: async (start, size) => {
            pageReadAt = Date.now();
            const page = await rt.clients.ccv.page<CcvProduct>(
              "/products",
              start,
              { orderby: "id", expand: [...CCV_PRODUCT_EXPAND] },
              { size, signal: rt.signal },
            );
            const items: CcvProduct[] = [];
            for (const p of page.items) items.push(await withPropertyValues(rt, p));
            return { items, hasNext: page.hasNext };
          },
          toRecord: (p) => toRecord(p, pageReadAt),
          // linked products with a SKU only: a new product moves modifydate (the incremental read
          // finds it), and one without SKU would only be skipped again
          changed: async (p) => {
            if (!p.productnumber?.trim()) return false;
            const link = await rt.links.byCcv("PRODUCT", String(p.id));
            return !!link && !(await isSynced(rt, link.hashToEcwid, await ccvFingerprint(rt, p)));
          },
          persist: !rt.dryRun,
        },
        opts.checkpoint,
      );
  },

  async fetchOne(rt, sourceId) {
    try {
      return toRecord(await readCcvProduct(rt, sourceId));
    } catch (e) {
      if ((e as { code?: string }).code === "NOT_FOUND")
        return toRecord({ id: Number(sourceId), deleted: true });
      throw e;
    }
  },

  async mappingInput(rt, record) {
    const p = record.payload as Payload;
    if (isDeleted(p)) return { input: p, bindings: {} };
    return { input: p, bindings: { ctx: await ccvProductContext(rt, p, false) } };
  },

  async pairLease(rt, record) {
    if (!(await otherDirectionEnabled(rt))) return null;
    const link = await rt.links.byCcv("PRODUCT", record.id);
    return productPairKey(link ? record.id : null, record.sku);
  },

  async reread(rt, record) {
    const link = await rt.links.byCcv("PRODUCT", record.id);
    return link && linkMovedSince(link, record) ? (await this.fetchOne(rt, record.id))! : record;
  },

  async syncItem(rt, record): Promise<ItemResult> {
    const c = record.payload as Payload;
    if (isDeleted(c)) return disable(rt, record.id);
    const sku = c.productnumber?.trim() ?? "";
    if (!sku) {
      return {
        action: "SKIP",
        reason: `CCV SalesPOS product ${c.id} ("${c.name}") has no article number (SKU); products are matched by SKU, so it is not synced.`,
      };
    }
    const hash = await ccvFingerprint(rt, c);
    const link = await rt.links.byCcv("PRODUCT", record.id);
    if (link && (await isSynced(rt, link.hashToEcwid, hash))) {
      const upgraded = await upgradedHash(rt, link.hashToEcwid, hash);
      return {
        action: "SKIP",
        sku,
        targetId: link.ecwidId,
        reason: "Unchanged since the last sync (or the gateway's own write from Ecwid).",
        links: upgraded
          ? [
              {
                entity: "PRODUCT",
                ecwidId: link.ecwidId,
                ccvId: record.id,
                createdBy: link.createdBy as LinkWrite["createdBy"],
                sku,
                hashToEcwid: upgraded,
              },
            ]
          : [],
      };
    }
    let matched: EcwidProduct | null = null;
    if (!link) {
      const otherCcv = (await indexedSku(rt, sku)).ccv.filter((r) => r.productId !== record.id);
      if (otherCcv.length) {
        return {
          action: "SKIP",
          sku,
          reason: `SKU ${sku} is used twice in CCV SalesPOS: product ${c.id} and ${describeRefs("CCV SalesPOS", otherCcv)}. Give each its own article number; the gateway does not guess.`,
        };
      }
      let ecwidHits = await ecwidRefsWithSku(rt, sku);
      if (ecwidHits.length === 1 && !ecwidHits[0].combinationId) {
        matched = await ecwidProductIfSku(rt, ecwidHits[0].productId, sku);
        if (!matched) {
          ecwidHits = await ecwidRefsWithSku(rt, sku, true);
          if (ecwidHits.length === 1 && !ecwidHits[0].combinationId)
            matched = await rt.clients.ecwid.getProduct(Number(ecwidHits[0].productId));
        }
      }
      if (ecwidHits.length > 1 || ecwidHits.some((r) => r.combinationId)) {
        return {
          action: "SKIP",
          sku,
          reason: `SKU ${sku} is used in Ecwid by ${describeRefs("Ecwid", ecwidHits)}; the gateway does not guess which one CCV SalesPOS product ${c.id} is.`,
        };
      }
    }
    const ctx = await ccvProductContext(rt, c, true);
    // the link's hash: the record with this direction's configuration (a changed mapping re-syncs)
    const linkHash = await ownHash(rt, hash);
    const basis = await priceBasis(rt, ctx);

    if (!link && !matched) {
      const { payload, errors } = await rt.mappings.apply(c, { isCreate: true, bindings: { ctx } });
      if (errors.length) throw new ItemFailure("MAPPING", errors.join("; "));
      if (!payload.name)
        throw new ItemFailure(
          "MAPPING",
          "The mappings give no name, which Ecwid requires to create a product.",
        );
      const options = basis ? ecwidOptionsFor(c, basis) : undefined;
      if (options) payload.options = options;
      const categories = await ecwidCategoriesFor(rt, c.id, []);
      if (categories.categoryIds) payload.categoryIds = categories.categoryIds;
      const features = await ccvFeatures(rt, c.id);
      const attributes = await ecwidAttributesWithFeatures(
        rt,
        0, // a new product is of the General class
        [],
        (payload.attributes as EcwidAttributeWrite[] | undefined) ?? [],
        features,
      );
      if (attributes.attributes) payload.attributes = attributes.attributes;
      const categoryNote =
        [unlinkedCcvCategoriesNote(categories.unlinked), unmappedCcvNote(features.unmapped)]
          .filter(Boolean)
          .join(" ") || null;
      const changes = diffFields(null, payload);
      if (rt.dryRun) {
        const plan = await syncVariantsToEcwid(rt, c, null, [], sku);
        const imgs = await syncImagesToEcwid(rt, null, record.id, photosOf(c));
        const planned = options ? { ...payload, variations: plan.planned.create } : payload;
        return withImageOutcome(
          {
            action: "CREATE",
            sku,
            changes: [...changes, ...plan.changes, ...imgs.changes],
            sentPayload: imgs.planned ? { ...planned, images: imgs.planned } : planned,
            reason: categoryNote,
          },
          imgs,
          null,
        );
      }
      const created = await rt.clients.ecwid.createProduct(payload as EcwidProductWrite);
      await rt.catalog.noteEcwid({ productId: String(created.id) }, sku);
      const variants = await syncVariantsToEcwid(rt, c, created.id, [], sku);
      const imgs = await syncImagesToEcwid(rt, created.id, record.id, photosOf(c));
      const after = await rt.clients.ecwid.getProduct(created.id);
      const productLink: LinkWrite = {
        entity: "PRODUCT",
        ecwidId: String(created.id),
        ccvId: record.id,
        createdBy: "ECWID",
        sku,
        hashToEcwid: linkHash,
        hashToCcv: await echoHash(rt, await ecwidFingerprint(rt, after)),
      };
      return withImageOutcome(
        {
          action: "CREATE",
          sku,
          targetId: String(created.id),
          changes: [...changes, ...variants.changes, ...imgs.changes],
          sentPayload: options ? { ...payload, variations: variants.planned.create } : payload,
          reason: [variants.note, imgs.note, categoryNote].filter(Boolean).join(" ") || null,
          links: [productLink, ...variants.links],
        },
        imgs,
        productLink,
      );
    }

    const ecwidId = link ? link.ecwidId : String(matched!.id);
    const linkWrite: LinkWrite = {
      entity: "PRODUCT",
      ecwidId,
      ccvId: record.id,
      createdBy: link ? (link.createdBy as LinkWrite["createdBy"]) : "MATCHED",
      sku,
      hashToEcwid: linkHash,
    };
    if (!rt.settings.updateExisting) {
      if (matched) linkWrite.hashToCcv = await echoHash(rt, await ecwidFingerprint(rt, matched));
      return {
        action: "SKIP",
        sku,
        targetId: ecwidId,
        reason: link
          ? "Already in Ecwid; updating existing records is off."
          : `Found in Ecwid by SKU ${sku} and linked; updating existing records is off.`,
        links: rt.dryRun ? [] : [linkWrite],
      };
    }
    const current = matched ?? (await rt.clients.ecwid.getProduct(Number(ecwidId)));
    const before = currentFields(current);
    const { payload, errors } = await rt.mappings.apply(c, {
      isCreate: false,
      current: before,
      bindings: { ctx },
    });
    if (errors.length) throw new ItemFailure("MAPPING", errors.join("; "));
    const options = basis ? ecwidOptionsFor(c, basis, current.options ?? []) : undefined;
    const changes = diffFields(before, payload);
    const patch: Record<string, unknown> = {};
    for (const ch of changes) patch[ch.field.split(".")[0]] = payload[ch.field.split(".")[0]];
    if (options && JSON.stringify(optionsShape(options)) !== JSON.stringify(optionsShape(current.options))) {
      patch.options = options;
      changes.push({ field: "options", before: optionsShape(current.options), after: optionsShape(options) });
    }
    const categories = await ecwidCategoriesFor(rt, c.id, current.categoryIds);
    const features = await ccvFeatures(rt, c.id);
    const attributes = await ecwidAttributesWithFeatures(
      rt,
      current.productClassId ?? 0,
      current.attributes ?? [],
      (payload.attributes as EcwidAttributeWrite[] | undefined) ?? [],
      features,
      patch.attributes !== undefined,
    );
    if (attributes.attributes) {
      patch.attributes = attributes.attributes;
      changes.push(...attributes.changes);
    }
    const categoryNote =
      [unlinkedCcvCategoriesNote(categories.unlinked), unmappedCcvNote(features.unmapped)]
        .filter(Boolean)
        .join(" ") || null;
    if (categories.categoryIds) {
      patch.categoryIds = categories.categoryIds;
      changes.push({ field: "categoryIds", before: categories.before, after: categories.categoryIds });
    }
    // the variations are planned against Ecwid as it is; written after the options they name
    const plan = await syncVariantsToEcwid(rt, c, null, current.combinations ?? [], sku);
    const variantWrites = plan.planned.create.length + plan.planned.update.length;
    // a product linked earlier gets its variants linked too (matching ones are linked without writes)
    const needsVariantLinks = (c.attributecombinations?.collection ?? []).length > 0;
    // images first: only when their content changed (a dry run plans them)
    const imgs = await syncImagesToEcwid(rt, Number(ecwidId), record.id, photosOf(c));
    // an image that failed does not stop the product's fields from being written; the item fails
    if (!imgs.failure) changes.push(...imgs.changes);
    if (imgs.failure && !changes.length && !variantWrites && !(needsVariantLinks && !rt.dryRun)) {
      linkWrite.hashToCcv = await echoHash(rt, await ecwidFingerprint(rt, current));
      return withImageOutcome(
        { action: "SKIP", sku, targetId: ecwidId, reason: categoryNote, links: rt.dryRun ? [] : [linkWrite] },
        imgs,
        rt.dryRun ? null : linkWrite,
      );
    }
    if (!changes.length && !variantWrites && !(needsVariantLinks && !rt.dryRun)) {
      linkWrite.hashToCcv = await echoHash(rt, await ecwidFingerprint(rt, current));
      return {
        action: "SKIP",
        sku,
        targetId: ecwidId,
        reason: [
          link
            ? "Ecwid already has these values."
            : `Found in Ecwid by SKU ${sku} with the same values; linked.`,
          categoryNote,
        ]
          .filter(Boolean)
          .join(" "),
        links: rt.dryRun ? [] : [linkWrite],
      };
    }
    const withVariants = variantWrites ? { ...patch, variations: plan.planned } : patch;
    const sentPayload = imgs.planned ? { ...withVariants, images: imgs.planned } : withVariants;
    if (rt.dryRun) {
      return withImageOutcome(
        {
          action: "UPDATE",
          sku,
          targetId: ecwidId,
          changes: [...changes, ...plan.changes],
          sentPayload,
          reason:
            [link ? null : `Found in Ecwid by SKU ${sku}; linked.`, categoryNote].filter(Boolean).join(" ") ||
            null,
        },
        imgs,
        null,
      );
    }
    if (Object.keys(patch).length)
      await rt.clients.ecwid.updateProduct(Number(ecwidId), patch as EcwidProductWrite);
    const variants = await syncVariantsToEcwid(rt, c, Number(ecwidId), current.combinations ?? [], sku);
    // the Ecwid product as the gateway left it: PRODUCTS_ECWID_TO_CCV will not send it back
    linkWrite.hashToCcv = await echoHash(
      rt,
      await ecwidFingerprint(rt, await rt.clients.ecwid.getProduct(Number(ecwidId))),
    );
    const allChanges = [...changes, ...variants.changes];
    return withImageOutcome(
      {
        action: allChanges.length ? "UPDATE" : "SKIP",
        sku,
        targetId: ecwidId,
        changes: allChanges,
        sentPayload,
        reason:
          [
            link
              ? allChanges.length
                ? null
                : "Ecwid already has these values."
              : `Found in Ecwid by SKU ${sku}; linked.`,
            variants.note,
            imgs.note,
            categoryNote,
          ]
            .filter(Boolean)
            .join(" ") || null,
        links: [linkWrite, ...variants.links],
      },
      imgs,
      linkWrite,
    );
  },
};

const photosOf = (c: CcvProduct): CcvProductPhoto[] => c.productphotos?.collection ?? [];

/** an image that could not be taken over fails the item (the product itself is written) */
function withImageOutcome(r: ItemResult, imgs: ImageSync, link: LinkWrite | null): ItemResult {
  if (!imgs.failure) return r;
  // not "synced": the next run tries the image again
  if (link) link.hashToEcwid = "";
  return {
    ...r,
    status: "FAILED",
    errorCode: "IMAGE",
    reason: [imgs.failure, r.reason].filter(Boolean).join(" "),
  };
}

/** the tax bases and the product's rate (null when the rate cannot be told: a preview) */
async function priceBasis(rt: FlowRuntime, ctx: CcvProductContext): Promise<PriceBasis | null> {
  if (ctx.vatRate === null) return null;
  const [ecwid, ccv] = await Promise.all([ecwidProfile(rt), ccvProfile(rt)]);
  return {
    vatRate: ctx.vatRate,
    ccvPricesIncludeTax: ccv.pricesIncludeTax ?? CCV_PRICES_INCLUDE_VAT_WHEN_UNSET,
    ecwidPricesIncludeTax: ecwid.taxSettings?.pricesIncludeTax ?? false,
  };
}

const toRecord = (p: Payload, readAt = Date.now()): SourceRecord => ({
  id: String(p.id),
  entity: "PRODUCT",
  sku: isDeleted(p) ? null : (p.productnumber ?? null),
  payload: p,
  readAt,
});

const ecwidProfile = (rt: FlowRuntime) => rt.memo("ecwid:profile", () => rt.clients.ecwid.getProfile());
const ccvProfile = (rt: FlowRuntime) => rt.memo("ccv:store-profile", () => rt.clients.ccv.getStoreProfile());

/**
 * $ctx: the product's VAT rate is its CCV tariff translated back through the TAX_RATE value map
 * (the entries whose `to` is the tariff); the Ecwid tax is the store tax with that rate
 * (Ecwid §10.1 `taxSettings.taxes`). `strict`: what cannot be told fails the item (a preview shows the rest).
 */
export async function ccvProductContext(
  rt: FlowRuntime,
  c: CcvProduct,
  strict: boolean,
): Promise<CcvProductContext> {
  const fail = (message: string) => {
    if (strict) throw new ItemFailure("VALUE_MAPPING", message);
  };
  const [ecwid, ccv] = await Promise.all([ecwidProfile(rt), ccvProfile(rt)]);
  const tariff = c.taxtariff ?? "";
  const rates = [...new Set(rt.valueMaps.reverse("TAX_RATE", tariff).map((r) => dec(r).toString()))];
  let vatRate: string | null = null;
  if (rates.length === 1) vatRate = rates[0];
  else if (rates.length === 0)
    fail(
      `The CCV tax tariff "${tariff}" has no TAX_RATE value mapping: add one with setValueMappings(kind: TAX_RATE, entries: [{from: "<VAT %>", to: "${tariff}"}]).`,
    );
  else
    fail(
      `The CCV tax tariff "${tariff}" is the target of several TAX_RATE mappings (${rates.join(", ")}); keep one.`,
    );
  let tax: CcvProductContext["tax"] = null;
  if (vatRate !== null) {
    const enabledTaxes = (ecwid.taxSettings?.taxes ?? []).filter((t) => t.enabled !== false);
    const byDefault = enabledTaxes
      .filter((t) => t.appliedByDefault === true)
      .reduce((sum, t) => sum.plus(dec(t.defaultTax ?? 0)), dec(0));
    if (dec(vatRate).isZero()) tax = { taxable: false };
    // the store's default taxes give that rate: no manual tax (what Ecwid gives a new product)
    else if (byDefault.equals(dec(vatRate))) tax = { taxable: true, enabledManualTaxes: [] };
    else {
      const taxes = (ecwid.taxSettings?.taxes ?? []).filter(
        (t) => t.enabled !== false && dec(t.defaultTax ?? 0).equals(dec(vatRate!)),
      );
      if (taxes.length) tax = { taxable: true, enabledManualTaxes: [taxes[0].id] };
      else
        fail(
          `Ecwid has no enabled tax of ${vatRate}% for the CCV tax tariff "${tariff}"; add it in Ecwid's tax settings.`,
        );
    }
  }
  const sell = dec(c.price ?? 0).minus(dec(c.discount ?? 0));
  const price =
    vatRate === null
      ? null
      : toNumber(
          convertPrice(
            sell.toString(),
            vatRate,
            ccv.pricesIncludeTax ?? CCV_PRICES_INCLUDE_VAT_WHEN_UNSET,
            ecwid.taxSettings?.pricesIncludeTax ?? false,
          ),
        );
  return { vatRate, tax, price, manageStock: rt.settings.manageStock };
}

/** the Ecwid product when it exists and still has this SKU, else null */
async function ecwidProductIfSku(rt: FlowRuntime, id: string, sku: string): Promise<EcwidProduct | null> {
  try {
    const p = await rt.clients.ecwid.getProduct(Number(id));
    return p.sku === sku ? p : null;
  } catch (e) {
    if ((e as { code?: string }).code === "NOT_FOUND") return null;
    throw e;
  }
}

/** the Ecwid product in the shape of the mapped payload (diffs, FILL_IF_EMPTY) */
function currentFields(p: EcwidProduct): Record<string, unknown> {
  const upc = (p.attributes ?? []).find((a) => a.type === "UPC" && a.value)?.value;
  return {
    ...p,
    attributes: upc ? [{ alias: "UPC", value: upc }] : undefined,
    tax: p.tax ? { taxable: p.tax.taxable, enabledManualTaxes: p.tax.enabledManualTaxes } : undefined,
  };
}

/** deleted in CCV → disabled in Ecwid (never deleted) */
async function disable(rt: FlowRuntime, ccvId: string): Promise<ItemResult> {
  const link = await rt.links.byCcv("PRODUCT", ccvId);
  if (!link)
    return {
      action: "SKIP",
      reason: `CCV SalesPOS product ${ccvId} no longer exists and was never synced; nothing to disable.`,
    };
  let current: EcwidProduct;
  try {
    current = await rt.clients.ecwid.getProduct(Number(link.ecwidId));
  } catch (e) {
    if ((e as { code?: string }).code === "NOT_FOUND")
      return {
        action: "SKIP",
        sku: link.sku,
        targetId: link.ecwidId,
        reason: `Deleted in CCV SalesPOS; Ecwid product ${link.ecwidId} no longer exists either.`,
      };
    throw e;
  }
  if (current.enabled === false)
    return {
      action: "SKIP",
      sku: link.sku,
      targetId: link.ecwidId,
      reason: `Deleted in CCV SalesPOS; Ecwid product ${link.ecwidId} is already disabled.`,
    };
  const patch = { enabled: false };
  let after: string | undefined;
  if (!rt.dryRun) {
    await rt.clients.ecwid.updateProduct(Number(link.ecwidId), patch);
    after = await echoHash(
      rt,
      await ecwidFingerprint(rt, await rt.clients.ecwid.getProduct(Number(link.ecwidId))),
    );
  }
  return {
    action: "UPDATE",
    sku: link.sku,
    targetId: link.ecwidId,
    changes: [{ field: "enabled", before: true, after: false }],
    sentPayload: patch,
    reason: "Deleted in CCV SalesPOS; disabled in Ecwid (products are never deleted there).",
    links: rt.dryRun
      ? []
      : [
          {
            entity: "PRODUCT",
            ecwidId: link.ecwidId,
            ccvId,
            createdBy: link.createdBy as LinkWrite["createdBy"],
            hashToEcwid: "deleted",
            ...(after ? { hashToCcv: after } : {}),
          },
        ],
  };
}
