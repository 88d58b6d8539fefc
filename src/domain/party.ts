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

/**
 * A party in words by its ids only, for item reasons, events and alerts: "customer account 123
 * (Ecwid customer 456)". Never a name or an e-mail address, so the activity log outlives the
 * payloads without keeping anyone's personal data (GDPR: logs only, deleted regularly).
 * `ecwidCustomer` may be a link key: an "email:…" key means a guest (no Ecwid customer id).
 */
export function describeParty(p: {
  ccvUser?: string | number | null;
  ecwidCustomer?: string | number | null;
}): string {
  const ecwid =
    p.ecwidCustomer === undefined || p.ecwidCustomer === null || p.ecwidCustomer === ""
      ? null
      : String(p.ecwidCustomer).startsWith("email:")
        ? "a guest in Ecwid"
        : `Ecwid customer ${p.ecwidCustomer}`;
  const ccv =
    p.ccvUser === undefined || p.ccvUser === null || p.ccvUser === ""
      ? null
      : String(p.ccvUser).startsWith("email:")
        ? "a CCV guest"
        : `customer account ${p.ccvUser}`;
  if (ccv && ecwid) return `${ccv} (${ecwid})`;
  return ccv ?? ecwid ?? "the order's customer";
}
