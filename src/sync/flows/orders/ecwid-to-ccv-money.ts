import { CCV_ROW_PRICE_DECIMALS } from "../../../connectors/ccv-salespos/ccv.vendor-facts";
import type { EcwidOrder, EcwidOrderItem } from "../../../connectors/ecwid";
import { Decimal, dec, sum, toDecimalString, type DecimalString } from "../../../domain/money";
import type { Order } from "../../../domain/orders";

/**
 * The money of an Ecwid order as CCV SalesPOS order rows, exact to the cent (decimal.js throughout,
 * never floats). Pure; no I/O.
 *
 * Rows are priced on one tax basis (`rowsIncludeTax`, sent as `order_row_taxes_included`): the CCV
 * shop's own setting by default. When the Ecwid order's basis differs, each line is converted with
 * Ecwid's own figures — the VAT Ecwid charged on the line — rather than by multiplying unit prices,
 * so a converted line adds up to exactly what the customer paid for it.
 *
 * Discounts go on the rows (row `discount`, per unit as CCV stores it, CCV §5.6.4), not into one lump
 * sum: CCV computes VAT per row at the row's rate, and a discount lowers the taxable amount of the
 * lines it was given on; a negative `extra_costs` would leave CCV's VAT too high. Ecwid tells per
 * item how much of every promotion and coupon it got (`discounts[].total`, `couponAmount`). What
 * Ecwid did not put on items (e.g. a discount on shipping), the handling fee, surcharges and any
 * rounding difference go into `extra_costs` with a description, so that CCV's total equals Ecwid's
 * `total` to the cent and nothing is lost silently.
 *
 * Shipping is always sent gross (`shipping_taxes_included: true`): CCV would tax net shipping at its
 * own shipping rate (CCV §5.6.1 `shipping_tax_percentage`), which need not be Ecwid's.
 */

/**
 * Decimals of row unit prices and per-unit discounts (CCV_ROW_PRICE_DECIMALS, a vendor fact): a
 * line discount does not always divide by the quantity in cents (1.00 over 3 units); 4 decimals keep
 * every line total exact to the cent for quantities below 100, and the reconciliation below catches
 * the rest.
 */
export const ROW_PRICE_DECIMALS = CCV_ROW_PRICE_DECIMALS;

export interface MoneyLine {
  quantity: DecimalString;
  /** unit price before discounts, on the Ecwid order's basis */
  unitPrice: DecimalString;
  /** discount on the whole line (all units), on the Ecwid order's basis */
  discount: DecimalString;
  /** VAT percentage (0 when Ecwid charged none) */
  taxRate: DecimalString;
  /** the VAT Ecwid charged on the discounted line, when it states it */
  tax: DecimalString | null;
  /** what CCV adds to the row price for the row's attribute combination (netto_extra_price), on the rows' basis */
  attributeExtra: DecimalString;
}

export interface MoneyInput {
  /** the Ecwid order's prices include VAT */
  pricesIncludeTax: boolean;
  /** the basis the CCV rows are sent on */
  rowsIncludeTax: boolean;
  lines: MoneyLine[];
  /** shipping, gross */
  shipping: DecimalString;
  /** extra charges Ecwid added to the order (handling fee, surcharges), gross */
  charges: { label: string; amount: DecimalString }[];
  /** order discounts Ecwid did not assign to items, on the Ecwid order's basis (≥ 0) */
  unassignedDiscount: DecimalString;
  /** e.g. the coupon code, for the description of an unassigned discount */
  discountLabel: string | null;
  /** Ecwid's order total (what the customer paid) */
  total: DecimalString;
}

export interface PricedRow {
  /** unit price as sent (attribute extra already taken off), on the rows' basis */
  price: DecimalString;
  /** per-unit discount, on the rows' basis */
  discount: DecimalString;
  tax: DecimalString;
  count: DecimalString;
  /** the row total CCV will show: (price + attribute extra − discount) × count, to the cent */
  total: DecimalString;
}

export interface OrderMoney {
  rows: PricedRow[];
  rowsIncludeTax: boolean;
  /** gross */
  shipping: DecimalString;
  /** "0" when nothing goes there */
  extraCosts: DecimalString;
  /** what extra_costs consists of, e.g. "Handling fee 1.50; Discount not on items (coupon X) -2.00" */
  extraCostsDescription: string | null;
}

const cents = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const unit = (d: Decimal) => d.toDecimalPlaces(ROW_PRICE_DECIMALS, Decimal.ROUND_HALF_UP);
const fmt = (d: Decimal) => d.toFixed(2);

/** One Ecwid line on the rows' basis. */
function priceLine(l: MoneyLine, pricesIncludeTax: boolean, rowsIncludeTax: boolean): PricedRow {
  const qty = dec(l.quantity);
  const rate = dec(l.taxRate).div(100);
  const extra = dec(l.attributeExtra);
  const before = dec(l.unitPrice).times(qty);
  const discount = dec(l.discount);
  let lineBefore: Decimal;
  let lineDiscount: Decimal;
  if (pricesIncludeTax === rowsIncludeTax) {
    lineBefore = before;
    lineDiscount = discount;
  } else {
    const paid = before.minus(discount);
    // the VAT Ecwid charged on the line; computed the way Ecwid does (per line, to the cent) when absent
    const vat =
      l.tax !== null
        ? dec(l.tax)
        : cents(pricesIncludeTax ? paid.times(rate).div(rate.plus(1)) : paid.times(rate));
    if (rowsIncludeTax) {
      // net Ecwid line → gross row: what the customer paid for it is the net line plus its VAT
      lineDiscount = discount.times(rate.plus(1));
      lineBefore = paid.plus(vat).plus(lineDiscount);
    } else {
      lineDiscount = discount.div(rate.plus(1));
      lineBefore = paid.minus(vat).plus(lineDiscount);
    }
  }
  const price = qty.isZero() ? dec(0) : unit(lineBefore.div(qty)).minus(extra);
  const perUnitDiscount = qty.isZero() ? dec(0) : unit(lineDiscount.div(qty));
  return {
    price: toDecimalString(price),
    discount: toDecimalString(perUnitDiscount),
    tax: toDecimalString(l.taxRate),
    count: toDecimalString(qty),
    total: toDecimalString(cents(price.plus(extra).minus(perUnitDiscount).times(qty))),
  };
}

/** Rows, shipping and extra costs whose CCV total is Ecwid's total. */
export function ccvOrderMoney(input: MoneyInput): OrderMoney {
  const rows = input.lines.map((l) => priceLine(l, input.pricesIncludeTax, input.rowsIncludeTax));
  // what CCV makes of the rows: gross rows add up as they are; net rows get CCV's VAT on top.
  // CCV_NET_VAT_ROUNDING (a vendor fact): VAT of net rows summed, then rounded once per order.
  const rowsGross = input.rowsIncludeTax
    ? rows.reduce((t, r) => t.plus(r.total), dec(0))
    : cents(
        rows.reduce(
          (t, r, i) => t.plus(dec(r.total).times(dec(input.lines[i].taxRate).div(100).plus(1))),
          dec(0),
        ),
      );
  const shipping = dec(input.shipping);
  const charges = input.charges.filter((c) => !dec(c.amount).isZero());
  const chargesTotal = charges.reduce((t, c) => t.plus(c.amount), dec(0));
  const residual = dec(input.total).minus(rowsGross).minus(shipping).minus(chargesTotal);

  const parts = charges.map((c) => `${c.label} ${fmt(dec(c.amount))}`);
  if (!residual.isZero()) {
    const label = dec(input.unassignedDiscount).gt(0)
      ? `Discount not on items${input.discountLabel ? ` (${input.discountLabel})` : ""}`
      : "Difference to the Ecwid total (rounding)";
    parts.push(`${label} ${fmt(residual)}`);
  }
  const extraCosts = chargesTotal.plus(residual);
  return {
    rows,
    rowsIncludeTax: input.rowsIncludeTax,
    shipping: toDecimalString(shipping),
    extraCosts: toDecimalString(extraCosts),
    extraCostsDescription: parts.length > 0 ? parts.join("; ") : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the figures out of an Ecwid order (Ecwid §8.3, §8.4)

const n = (v: number | undefined | null): DecimalString =>
  typeof v === "number" ? toDecimalString(String(v)) : "0";

/** The VAT Ecwid charged on an item's discounted line: taxes[].taxOnDiscountedSubtotal, else total minus the shipping and handling shares. */
function itemLineTax(i: EcwidOrderItem): DecimalString | null {
  const taxes = i.taxes ?? [];
  if (taxes.length === 0) return null;
  if (taxes.every((t) => typeof t.taxOnDiscountedSubtotal === "number")) {
    return sum(taxes.map((t) => n(t.taxOnDiscountedSubtotal)));
  }
  if (taxes.every((t) => typeof t.total === "number")) {
    return sum(taxes.map((t) => dec(n(t.total)).minus(n(t.taxOnShipping)).minus(n(t.taxOnHandlingFee))));
  }
  return null;
}

/**
 * The money input of an Ecwid order. `domain` is the same order through mapEcwidOrder (line
 * quantities, prices, discounts and rates); `attributeExtras` gives, per item, what CCV adds for
 * the resolved attribute combination (null for a line left out because its product is missing).
 */
export function ecwidMoneyInput(
  o: EcwidOrder,
  domain: Order,
  attributeExtras: (DecimalString | null)[],
  rowsIncludeTax: boolean,
): MoneyInput {
  const items = o.items ?? [];
  const gross = domain.pricesIncludeTax;
  const lines: MoneyLine[] = [];
  domain.lines.forEach((l, idx) => {
    const extra = attributeExtras[idx];
    if (extra === null || extra === undefined) return;
    lines.push({
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      discount: l.discount,
      taxRate: l.taxRate ?? "0",
      tax: itemLineTax(items[idx]),
      attributeExtra: extra,
    });
  });
  const itemTax = (pick: (t: NonNullable<EcwidOrderItem["taxes"]>[number]) => number | undefined) =>
    sum(items.flatMap((i) => (i.taxes ?? []).map((t) => n(pick(t)))));
  // net orders state shipping and handling without VAT; their VAT sits in taxesOnShipping / item taxes
  const shippingTax = gross
    ? "0"
    : Array.isArray(o.taxesOnShipping)
      ? sum(o.taxesOnShipping.map((t) => n(t.total)))
      : itemTax((t) => t.taxOnShipping);
  const handling = gross
    ? n(o.handlingFee?.value)
    : sum([n(o.handlingFee?.value), itemTax((t) => t.taxOnHandlingFee)]);
  const charges = [
    { label: o.handlingFee?.name?.trim() || "Handling fee", amount: handling },
    ...(o.customSurcharges ?? []).map((s) => ({
      label: s.description?.trim() || "Surcharge",
      amount: n(s.total),
    })),
  ];
  const assigned = sum(domain.lines.map((l) => l.discount));
  const unassigned = dec(domain.discountTotal).minus(assigned);
  return {
    pricesIncludeTax: gross,
    rowsIncludeTax,
    lines,
    shipping: sum([n(o.shippingOption?.shippingRate), shippingTax]),
    charges,
    unassignedDiscount: toDecimalString(Decimal.max(unassigned, 0)),
    discountLabel: o.discountCoupon?.code ? `coupon ${o.discountCoupon.code}` : null,
    total: n(o.total),
  };
}
