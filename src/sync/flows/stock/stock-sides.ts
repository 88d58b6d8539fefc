import type { CcvProduct } from "../../../connectors/ccv-salespos";
import { ccvProductToDomain } from "../../../connectors/ccv-salespos";
import { mapEcwidProduct, type EcwidProduct } from "../../../connectors/ecwid";
import { isConnectorError } from "../../../connectors/http";
import type { Product } from "../../../domain/catalog";
import { dec, toDecimalString, type DecimalString } from "../../../domain/money";
import type { FlowRuntime, IntegrationClients } from "../../engine/flow-definition";
import type { SystemName } from "../../engine/flow-settings";

/**
 * The stock of one product as the stock flows see it: one line per SKU that has stock of its own
 * (the product, and each variant with its own SKU). Vendor shapes are turned into the domain
 * Product by the connectors' mappers; only the writes below speak the vendors' field names.
 */
export interface StockLine {
  sku: string;
  productId: string;
  /** Ecwid combination id / CCV attribute-combination id; absent for the product itself */
  combinationId?: string;
  /** null when stock is not tracked (Ecwid `unlimited`, CCV `stockenabled` off) */
  quantity: DecimalString | null;
  tracked: boolean;
}

export interface StockProduct {
  system: SystemName;
  id: string;
  sku: string | null;
  /** the product itself tracks stock */
  tracked: boolean;
  lines: StockLine[];
}

/** A product's lines: the product itself, and every variant with a SKU of its own. */
export function stockProduct(p: Product): StockProduct {
  // the product's own line is always there (a linked product may carry no SKU); variants follow
  const lines: StockLine[] = [
    { sku: p.sku ?? "", productId: p.id, quantity: p.quantity, tracked: !p.unlimited },
  ];
  for (const v of p.variants) {
    // an Ecwid variation without its own SKU shares the product's stock (Ecwid §6.4): no line of its own
    if (!v.sku || v.sku === p.sku) continue;
    lines.push({
      sku: v.sku,
      productId: p.id,
      combinationId: v.id,
      quantity: v.quantity,
      tracked: !v.unlimited,
    });
  }
  return { system: p.system as SystemName, id: p.id, sku: p.sku, tracked: !p.unlimited, lines };
}

export const systemWords = (s: SystemName): string => (s === "ECWID" ? "Ecwid" : "CCV SalesPOS");

/** What a stock write did, for the activity log. */
export interface StockWrite {
  sku: string;
  op: "set" | "untrack";
  before: DecimalString | null;
  after: DecimalString | null;
  /** Ecwid: a sale happened between the read and the write and was kept (Ecwid §6.6) */
  concurrentChange?: boolean;
}

/** One side of the stock flows: reading products and writing figures. */
export interface StockSide {
  system: SystemName;
  /** Ecwid keeps whole numbers only; CCV keeps decimals (CCV §6) */
  wholeNumbers: boolean;
  /** a product by id with its variants; null when it no longer exists */
  read(clients: IntegrationClients, productId: string): Promise<StockProduct | null>;
  /** every product with its variants, in pages (the scheduled reconcile) */
  all(clients: IntegrationClients): AsyncIterable<StockProduct>;
  /** sets one line to an absolute figure, tracking stock from then on */
  write(rt: FlowRuntime, product: StockProduct, line: StockLine, figure: DecimalString): Promise<StockWrite>;
  /** stops tracking stock for a line (Ecwid per product or variation, CCV per product) */
  untrack(rt: FlowRuntime, product: StockProduct, line: StockLine): Promise<StockWrite>;
}

const notFoundIsNull = async <T>(read: () => Promise<T>): Promise<T | null> => {
  try {
    return await read();
  } catch (e) {
    if (isConnectorError(e) && e.code === "NOT_FOUND") return null;
    throw e;
  }
};

const ecwidProduct = (p: EcwidProduct) => stockProduct(mapEcwidProduct(p, {}));

export const ECWID_STOCK: StockSide = {
  system: "ECWID",
  wholeNumbers: true,
  async read(clients, productId) {
    if (!/^\d+$/.test(productId)) return null;
    const p = await notFoundIsNull(() => clients.ecwid.getProduct(Number(productId)));
    return p ? ecwidProduct(p) : null;
  },
  async *all(clients) {
    for await (const p of clients.ecwid.paginateProducts()) yield ecwidProduct(p);
  },
  async write(rt, product, line, figure) {
    const n = dec(figure).floor().toNumber();
    // read, PUT the difference, re-read (Ecwid §6.6): a sale between our read and write is kept
    const r = line.combinationId
      ? await rt.clients.ecwid.setCombinationQuantity(Number(product.id), Number(line.combinationId), n)
      : await rt.clients.ecwid.setProductQuantity(Number(product.id), n);
    return {
      sku: line.sku,
      op: "set",
      before: r.before === null ? null : String(r.before),
      after: String(r.after),
      ...(r.concurrentChange ? { concurrentChange: true } : {}),
    };
  },
  async untrack(rt, product, line) {
    if (line.combinationId)
      await rt.clients.ecwid.updateCombination(Number(product.id), Number(line.combinationId), {
        unlimited: true,
      });
    else await rt.clients.ecwid.updateProduct(Number(product.id), { unlimited: true });
    return { sku: line.sku, op: "untrack", before: line.quantity, after: null };
  },
};

const ccvProduct = (p: CcvProduct) => stockProduct(ccvProductToDomain(p));

export const CCV_STOCK: StockSide = {
  system: "CCV_SALESPOS",
  wholeNumbers: false,
  async read(clients, productId) {
    if (!/^\d+$/.test(productId)) return null;
    const p = await notFoundIsNull(() =>
      clients.ccv.getProduct(productId, { expand: ["attributecombinations"] }),
    );
    return p ? ccvProduct(p) : null;
  },
  async *all(clients) {
    for await (const p of clients.ccv.paginate<CcvProduct>("/products", { expand: "attributecombinations" }))
      yield ccvProduct(p);
  },
  async write(rt, product, line, figure) {
    // tracking is a product setting in CCV (`stockenabled`, CCV §6): switched on before a figure is set
    if (!product.tracked) {
      await rt.clients.ccv.updateProduct(product.id, { stockenabled: true });
      product.tracked = true;
    }
    if (line.combinationId) await rt.clients.ccv.setCombinationStock(line.combinationId, figure);
    else await rt.clients.ccv.setProductStock(product.id, figure);
    return { sku: line.sku, op: "set", before: line.quantity, after: toDecimalString(figure) };
  },
  async untrack(rt, product, line) {
    if (product.tracked) {
      await rt.clients.ccv.updateProduct(product.id, { stockenabled: false });
      product.tracked = false;
    }
    return { sku: line.sku, op: "untrack", before: line.quantity, after: null };
  },
};

export const sideOf = (s: SystemName): StockSide => (s === "ECWID" ? ECWID_STOCK : CCV_STOCK);
