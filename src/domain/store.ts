import type { SystemKind } from "./system";

/** What a flow needs to know about a store: identity, currency and tax mode. */
export interface StoreProfile {
  system: SystemKind;
  /** Ecwid store id; CCV webshop id (the "storeid" of the hosted integration) */
  storeId: string;
  name: string | null;
  currency: string | null;
  /** catalogue prices are gross (incl. VAT) */
  pricesIncludeTax: boolean | null;
  /** CCV only: the webshop is a SalesPOS account */
  isSalesPos?: boolean;
}
