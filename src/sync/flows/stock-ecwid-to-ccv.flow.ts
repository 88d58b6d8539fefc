import { CCV_RATE_LIMITS } from "../../connectors/ccv-salespos";
import { defineStockFlow } from "./stock/stock-flow";
import { CCV_STOCK, ECWID_STOCK } from "./stock/stock-sides";

/**
 * STOCK_ECWID_TO_CCV: Ecwid is the stock master; CCV SalesPOS gets Ecwid's figure per SKU (product
 * or variant), minus the till sales Ecwid has not booked yet (ARCHITECTURE §4). Every Ecwid stock
 * change fires product.updated (Ecwid §6.6): that product is synced at once.
 */
export const stockEcwidToCcv = defineStockFlow({
  kind: "STOCK_ECWID_TO_CCV",
  master: ECWID_STOCK,
  target: CCV_STOCK,
  webhooks: { system: "ECWID", events: ["product.created", "product.updated"] },
  // per product: one CCV read and, when it differs, one write; CCV's GET lane is the narrow one
  cost: { requestsPerItem: 2, lanePerMinute: CCV_RATE_LIMITS.GET },
});
