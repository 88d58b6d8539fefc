import Decimal from "decimal.js";

/**
 * Money and quantities travel as canonical decimal strings ("19.95", "-3", "0.1"), never floats:
 * vendors send JSON numbers, and sums of many lines must match to the cent.
 */
export type DecimalString = string;

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

export type DecimalInput = DecimalString | number | Decimal;

export function dec(v: DecimalInput | null | undefined): Decimal {
  if (v === null || v === undefined || v === "") return new D(0);
  return new D(v as Decimal.Value);
}

/** Canonical text: no exponent, no trailing zeros ("12.50" → "12.5", 1e-7 → "0.0000001"). */
export function toDecimalString(v: DecimalInput): DecimalString {
  const d = dec(v);
  return d.isZero() ? "0" : d.toFixed();
}

/** Rounded to `places` (default 2, half-up) and printed with exactly that many decimals. */
export function toFixedString(v: DecimalInput, places = 2): DecimalString {
  return dec(v).toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toFixed(places);
}

export function sum(values: Iterable<DecimalInput>): DecimalString {
  let t = new D(0);
  for (const v of values) t = t.plus(dec(v));
  return toDecimalString(t);
}

/** Parses a vendor JSON number/string into a decimal string, or null when absent. */
export function optDecimal(v: unknown): DecimalString | null {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v !== "number" && typeof v !== "string") return null;
  // JSON numbers like 0.1+0.2 artefacts are not produced by vendors; String(v) keeps what was sent.
  return toDecimalString(typeof v === "number" ? String(v) : v);
}

/** gross = net × (1 + rate/100); net = gross / (1 + rate/100); rounded to cents only at the edges. */
export function grossFromNet(net: DecimalInput, ratePercent: DecimalInput): DecimalString {
  return toDecimalString(dec(net).times(dec(ratePercent).div(100).plus(1)));
}
export function netFromGross(gross: DecimalInput, ratePercent: DecimalInput): DecimalString {
  return toDecimalString(dec(gross).div(dec(ratePercent).div(100).plus(1)));
}

export function toNumber(v: DecimalInput): number {
  return dec(v).toNumber();
}

export { Decimal };
