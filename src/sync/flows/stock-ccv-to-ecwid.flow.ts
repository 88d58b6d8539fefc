import { ECWID_RATE_LIMIT_PER_MINUTE } from "../../connectors/ecwid";
import { defineStockFlow } from "./stock/stock-flow";
import { CCV_STOCK, ECWID_STOCK } from "./stock/stock-sides";

/**
 * STOCK_CCV_TO_ECWID: CCV SalesPOS is the stock master; Ecwid gets the till's figure per SKU
 * (product or variant), minus the web orders CCV has not booked yet (ARCHITECTURE §4), written as
 * read, delta, verifying re-read so a web sale in between is kept (Ecwid §6.6). Stock edits in CCV
 * fire products.updated (CCV §6, inferred): that product is synced at once.
 */
export const stockCcvToEcwid = defineStockFlow({
  kind: "STOCK_CCV_TO_ECWID",
  master: CCV_STOCK,
  target: ECWID_STOCK,
  webhooks: { system: "CCV_SALESPOS", events: ["products.created", "products.updated"] },
  // per product: an Ecwid read and, when it differs, read + delta + re-read on the one Ecwid lane
  cost: { requestsPerItem: 4, lanePerMinute: ECWID_RATE_LIMIT_PER_MINUTE },
});
