import type { FlowDefinition } from "../engine/flow-definition";
import { categoriesEcwidToCcv } from "./categories-ecwid-to-ccv.flow";
import { ordersCcvToEcwid } from "./orders-ccv-to-ecwid.flow";
import { ordersEcwidToCcv } from "./orders-ecwid-to-ccv.flow";
import { productsCcvToEcwid } from "./products-ccv-to-ecwid.flow";
import { productsEcwidToCcv } from "./products-ecwid-to-ccv.flow";
import { stockCcvToEcwid } from "./stock-ccv-to-ecwid.flow";
import { stockEcwidToCcv } from "./stock-ecwid-to-ccv.flow";

/** Every flow the gateway ships. */
export const ALL_FLOWS: FlowDefinition[] = [
  categoriesEcwidToCcv,
  ordersCcvToEcwid,
  ordersEcwidToCcv,
  productsEcwidToCcv,
  productsCcvToEcwid,
  stockEcwidToCcv,
  stockCcvToEcwid,
];
