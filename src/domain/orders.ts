import type { OptionValue } from "./catalog";
import type { DecimalString } from "./money";
import type { Address } from "./party";
import type { SystemKind } from "./system";

export interface OrderLine {
  id: string | null;
  productId: string | null;
  /** Ecwid combinationId / CCV attribute_combination_id */
  variantId: string | null;
  sku: string | null;
  name: string;
  quantity: DecimalString;
  /** unit price before discounts, on the order's tax basis (`Order.pricesIncludeTax`) */
  unitPrice: DecimalString;
  /** VAT percentage when known */
  taxRate: DecimalString | null;
  /** total discount on the line (all units) */
  discount: DecimalString;
  options: OptionValue[];
}

export interface Order {
  system: SystemKind;
  id: string;
  /** number shown to people (Ecwid string id, CCV ordernumber_full) */
  number: string | null;
  email: string | null;
  /** vendor status: Ecwid fulfillmentStatus, CCV status code */
  status: string | null;
  /** Ecwid paymentStatus; CCV: "PAID"/"UNPAID" from `paid` */
  paymentStatus: string | null;
  paid: boolean;
  /** CCV: is_completed (false = open basket); Ecwid: not INCOMPLETE */
  completed: boolean;
  currency: string | null;
  pricesIncludeTax: boolean;
  subtotal: DecimalString;
  shippingCost: DecimalString;
  discountTotal: DecimalString;
  tax: DecimalString;
  total: DecimalString;
  shippingMethod: string | null;
  /** payment method as a code for value mapping (Ecwid paymentMethod/paymentModule, CCV paymethod) */
  paymentMethod: string | null;
  customerName: string | null;
  companyName: string | null;
  isCompany: boolean;
  billing: Address | null;
  shipping: Address | null;
  lines: OrderLine[];
  /** the reference the gateway wrote into the other side's order, when present */
  externalReference: string | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}
