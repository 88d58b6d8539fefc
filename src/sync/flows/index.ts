import type { FlowDefinition } from "../engine/flow-definition";
import type { FlowKindName } from "../engine/flow-settings";
import { categoriesEcwidToCcv } from "./categories-ecwid-to-ccv.flow";
import { ordersCcvToEcwid } from "./orders-ccv-to-ecwid.flow";
import { ordersEcwidToCcv } from "./orders-ecwid-to-ccv.flow";
import { productsCcvToEcwid } from "./products-ccv-to-ecwid.flow";
import { productsEcwidToCcv } from "./products-ecwid-to-ccv.flow";
import { stockCcvToEcwid } from "./stock-ccv-to-ecwid.flow";
import { stockEcwidToCcv } from "./stock-ecwid-to-ccv.flow";

/** The definition of every flow kind: a kind without one does not compile. */
export const FLOWS_BY_KIND: Record<FlowKindName, FlowDefinition> = {
  CATEGORIES_ECWID_TO_CCV: categoriesEcwidToCcv,
  ORDERS_CCV_TO_ECWID: ordersCcvToEcwid,
  ORDERS_ECWID_TO_CCV: ordersEcwidToCcv,
  PRODUCTS_ECWID_TO_CCV: productsEcwidToCcv,
  PRODUCTS_CCV_TO_ECWID: productsCcvToEcwid,
  STOCK_ECWID_TO_CCV: stockEcwidToCcv,
  STOCK_CCV_TO_ECWID: stockCcvToEcwid,
};

/** Every flow the gateway ships. */
export const ALL_FLOWS: FlowDefinition[] = Object.values(FLOWS_BY_KIND);
