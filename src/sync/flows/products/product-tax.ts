import { CCV_TAX_TARIFFS } from "../../../connectors/ccv-salespos/ccv.vendor-facts";
import type { EcwidProduct, EcwidStoreProfile } from "../../../connectors/ecwid";
import { dec, Decimal, toDecimalString, type DecimalString } from "../../../domain/money";
import { ItemFailure } from "../../engine/flow-definition";
import type { ValueMaps } from "../../../mapping/value-maps";

/**
 * The VAT of one Ecwid product and the price conversion between the two systems' tax bases.
 * Pure; no I/O.
 *
 * Ecwid states no rate on the product itself (Ecwid §6.2 `tax`): it names the manual taxes that
 * apply (`enabledManualTaxes`, ids into the store profile's `taxSettings.taxes`), or none, in
 * which case the store's taxes `appliedByDefault` apply; `taxable: false` means no VAT at all.
 * `defaultLocationIncludedTaxRate` (output only) is used last, when the profile names no tax.
 */
export function ecwidVatRate(p: EcwidProduct, profile: EcwidStoreProfile | null): DecimalString {
  if (p.tax?.taxable === false) return "0";
  const taxes = (profile?.taxSettings?.taxes ?? []).filter((t) => t.enabled !== false);
  const manual = p.tax?.enabledManualTaxes ?? [];
  const chosen = manual.length
    ? taxes.filter((t) => manual.includes(t.id))
    : taxes.filter((t) => t.appliedByDefault === true);
  if (chosen.length) return toDecimalString(chosen.reduce((s, t) => s.plus(dec(t.defaultTax ?? 0)), dec(0)));
  return toDecimalString(dec(p.tax?.defaultLocationIncludedTaxRate ?? 0));
}

/** decimals of a converted net price: enough that net → gross gives the gross cents back */
export const NET_PRICE_DECIMALS = 4;

/**
 * A price on one tax basis converted to the other, exact (decimal.js): gross prices are rounded
 * to the cent, net prices to NET_PRICE_DECIMALS so that the round trip is exact.
 */
export function convertPrice(
  amount: number | string,
  ratePercent: DecimalString,
  fromGross: boolean,
  toGross: boolean,
): DecimalString {
  const a = dec(amount);
  const factor = dec(ratePercent).div(100).plus(1);
  if (fromGross === toGross) return toDecimalString(a);
  if (toGross) return toDecimalString(a.times(factor).toDecimalPlaces(2, Decimal.ROUND_HALF_UP));
  return toDecimalString(a.div(factor).toDecimalPlaces(NET_PRICE_DECIMALS, Decimal.ROUND_HALF_UP));
}

/**
 * The CCV tax tariff for an Ecwid VAT rate, through the TAX_RATE value map (from: the rate as a
 * plain number, e.g. "21" or "5.5"; to: a CCV tariff such as "normal"). No mapping fails the item.
 */
export function ccvTariffFor(valueMaps: ValueMaps, rate: DecimalString): string {
  const to = valueMaps.lookup("TAX_RATE", rate);
  if (to === undefined) {
    throw new ItemFailure(
      "VALUE_MAPPING",
      `The product's VAT rate ${rate}% has no TAX_RATE value mapping: add one with setValueMappings(kind: TAX_RATE, entries: [{from: "${rate}", to: "<CCV tax tariff, e.g. normal>"}]).`,
    );
  }
  if (!(CCV_TAX_TARIFFS as readonly string[]).includes(to)) {
    throw new ItemFailure(
      "VALUE_MAPPING",
      `The TAX_RATE value mapping turns ${rate}% into "${to}", which is not a CCV SalesPOS tax tariff (one of: ${CCV_TAX_TARIFFS.join(", ")}).`,
    );
  }
  return to;
}
