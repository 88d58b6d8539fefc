import type { SystemKind } from "./system";

export interface Address {
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  companyName: string | null;
  /** street name only when the vendor splits it (CCV); otherwise the full first street line (Ecwid) */
  street: string | null;
  houseNumber: string | null;
  houseNumberSuffix: string | null;
  /** a second street line (Ecwid joins lines with \n) */
  street2: string | null;
  postalCode: string | null;
  city: string | null;
  /** ISO 3166-1 alpha-2 */
  countryCode: string | null;
  province: string | null;
  phone: string | null;
}

export interface Customer {
  system: SystemKind;
  id: string;
  email: string | null;
  name: string | null;
  companyName: string | null;
  /** a business (b2b) customer: a company debtor with the person as its contact */
  isCompany: boolean;
  vatNumber: string | null;
  billing: Address | null;
  shipping: Address | null;
  updatedAt: Date | null;
}

export const emptyAddress = (): Address => ({
  name: null,
  firstName: null,
  lastName: null,
  companyName: null,
  street: null,
  houseNumber: null,
  houseNumberSuffix: null,
  street2: null,
  postalCode: null,
  city: null,
  countryCode: null,
  province: null,
  phone: null,
});

/** Customers are matched by e-mail: case-insensitive and trimmed. */
export function normalizeEmail(email: string | null | undefined): string | null {
  const e = (email ?? "").trim().toLowerCase();
  return e === "" ? null : e;
}
