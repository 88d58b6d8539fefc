import type { DecimalString } from "./money";
import type { SystemKind } from "./system";

/** A (name, value) pair: an option choice of a variant, or an attribute/feature of a product. */
export interface OptionValue {
  name: string;
  value: string;
}

/** A product option that spans variants (Ecwid option with choices ⇄ CCV option-menu attribute). */
export interface ProductOption {
  name: string;
  values: { name: string; priceModifier: DecimalString }[];
}

/** A product feature (Ecwid attribute ⇄ CCV product property): extra information, not a variant axis. */
export interface ProductFeature {
  name: string;
  value: string;
  /** vendor attribute type (Ecwid: CUSTOM, UPC, BRAND, …) */
  type?: string | null;
}

export interface Variant {
  system: SystemKind;
  /** Ecwid combination id / CCV attribute combination id */
  id: string;
  /** own SKU; null when the variant inherits the product SKU (Ecwid) */
  sku: string | null;
  ean: string | null;
  options: OptionValue[];
  /** absolute price when the vendor states one; null = product price + priceDifference */
  price: DecimalString | null;
  /** difference to the product price (CCV netto_extra_price, Ecwid modifiers) */
  priceDifference: DecimalString | null;
  /** null when stock is not tracked or unknown */
  quantity: DecimalString | null;
  unlimited: boolean;
  enabled: boolean;
}

export interface Product {
  system: SystemKind;
  id: string;
  sku: string | null;
  name: string;
  description: string | null;
  shortDescription: string | null;
  /** the base price as the system stores it; its tax basis is `priceIncludesTax` */
  price: DecimalString | null;
  /** the store's tax mode for catalogue prices; null when unknown to the mapper */
  priceIncludesTax: boolean | null;
  /** VAT percentage when the vendor states one (CCV vatrate) */
  taxRate: DecimalString | null;
  /** vendor tax class or tariff (Ecwid taxClassCode, CCV taxtariff) */
  taxClass: string | null;
  ean: string | null;
  quantity: DecimalString | null;
  /** true = stock not tracked */
  unlimited: boolean;
  enabled: boolean;
  categoryIds: string[];
  features: ProductFeature[];
  options: ProductOption[];
  variants: Variant[];
  mediaUrls: string[];
  weight: DecimalString | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

export interface Category {
  system: SystemKind;
  id: string;
  /** null for a root category */
  parentId: string | null;
  name: string;
  description: string | null;
  enabled: boolean;
  position: number | null;
  /** only when the read asked for it */
  productIds?: string[];
}
