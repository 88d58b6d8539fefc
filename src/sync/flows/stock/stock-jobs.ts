/** The order flows: an order they book moves stock, so the stock flow follows it. */
export const ORDER_FLOWS: ReadonlySet<string> = new Set(["ORDERS_ECWID_TO_CCV", "ORDERS_CCV_TO_ECWID"]);

/**
 * Job queued with every (non-dry) order-flow run, in the run's own transaction: when the run has
 * finished, it runs the enabled stock flow for the products of the orders the run booked. Durable,
 * so a crashed worker loses no stock trigger (StockTriggers.afterOrders).
 */
export const STOCK_AFTER_ORDERS_JOB = "stock.after-orders";
