/** The kinds of value maps (contract ValueMapKind). */
export type ValueMapKindName =
  "PAYMENT_METHOD" | "PAYMENT_TERM" | "ORDER_STATUS" | "TAX_RATE" | "SHIPPING_METHOD";

/** Raised when a code has no mapping and no default: the item fails with this reason. */
export class MissingValueMapping extends Error {
  constructor(
    readonly kind: ValueMapKindName,
    readonly from: string,
  ) {
    super(
      `No ${kind} value mapping for "${from}" and no default ("*") entry: add one with setValueMappings(kind: ${kind}, entries: [{from: "${from}", to: "…"}]).`,
    );
    this.name = "MissingValueMapping";
  }
}

/**
 * Value maps of one integration: code of one system → code of the other. An entry with from "*"
 * is the default for codes without their own entry. Matching is exact first, then
 * case-insensitive.
 */
export class ValueMaps {
  private readonly maps = new Map<string, Map<string, string>>();

  constructor(entries: { kind: string; from: string; to: string }[] = []) {
    for (const e of entries) {
      let m = this.maps.get(e.kind);
      if (!m) {
        m = new Map();
        this.maps.set(e.kind, m);
      }
      m.set(e.from, e.to);
    }
  }

  lookup(kind: ValueMapKindName, from: string | null | undefined): string | undefined {
    const m = this.maps.get(kind);
    if (!m) return undefined;
    const key = (from ?? "").trim();
    if (m.has(key)) return m.get(key);
    const lower = key.toLowerCase();
    for (const [k, v] of m) if (k.toLowerCase() === lower && k !== "*") return v;
    return m.get("*");
  }

  /**
   * One direction of a map that holds entries of both directions (ORDER_STATUS: CCV codes → Ecwid
   * statuses and Ecwid statuses → CCV codes; the two code sets never overlap, so an entry's `from`
   * says its direction). Entries match as in `lookup`; the "*" default only when `isThisWay(to)`
   * says its target belongs to this direction.
   */
  lookupOneWay(
    kind: ValueMapKindName,
    from: string | null | undefined,
    isThisWay: (to: string) => boolean,
  ): string | undefined {
    const m = this.maps.get(kind);
    if (!m) return undefined;
    const key = (from ?? "").trim();
    if (key !== "" && key !== "*") {
      if (m.has(key)) return m.get(key);
      const lower = key.toLowerCase();
      for (const [k, v] of m) if (k.toLowerCase() === lower && k !== "*") return v;
    }
    const fallback = m.get("*");
    return fallback !== undefined && isThisWay(fallback) ? fallback : undefined;
  }

  require(kind: ValueMapKindName, from: string | null | undefined): string {
    const v = this.lookup(kind, from);
    if (v === undefined) throw new MissingValueMapping(kind, from ?? "");
    return v;
  }

  /**
   * The codes that map to `to` (the reverse direction of a map, e.g. a CCV tax tariff back to the
   * Ecwid rate); exact first, then case-insensitive; the default entry ("*") is not a code.
   */
  reverse(kind: ValueMapKindName, to: string | null | undefined): string[] {
    const m = this.maps.get(kind);
    if (!m) return [];
    const key = (to ?? "").trim();
    const exact = [...m].filter(([k, v]) => k !== "*" && v === key).map(([k]) => k);
    if (exact.length) return exact;
    return [...m].filter(([k, v]) => k !== "*" && v.toLowerCase() === key.toLowerCase()).map(([k]) => k);
  }

  /** every (from, to) entry of a kind, including internal kinds that are no ValueMapKind */
  entries(kind: string): [string, string][] {
    return [...(this.maps.get(kind) ?? new Map<string, string>())];
  }

  has(kind: ValueMapKindName): boolean {
    return (this.maps.get(kind)?.size ?? 0) > 0;
  }
}
