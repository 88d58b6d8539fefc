import type { Customer } from "../../../domain/party";
import { directoryPage, joinByEmail } from "../customer-directory";

const customer = (system: "ECWID" | "CCV_SALESPOS", id: string, email: string | null): Customer => ({
  system,
  id,
  email,
  name: `${system} ${id}`,
  companyName: null,
  isCompany: false,
  vatNumber: null,
  billing: null,
  shipping: null,
  updatedAt: null,
});

describe("customer directory: both systems joined by e-mail", () => {
  const ecwid = [
    customer("ECWID", "1", "Jane@Example.com "),
    customer("ECWID", "2", "web-only@example.com"),
    customer("ECWID", "3", "jane@example.com"), // a second account with Jane's e-mail: the first wins
  ];
  const ccv = [
    customer("CCV_SALESPOS", "10", "jane@example.com"),
    customer("CCV_SALESPOS", "11", "pos-only@example.com"),
    customer("CCV_SALESPOS", "12", null), // no e-mail: cannot be joined or listed
    customer("CCV_SALESPOS", "13", "POS-ONLY@example.com"),
  ];

  it("lists a person in both systems once with both records, and each system's own customers", () => {
    const d = joinByEmail(ecwid, ccv);
    expect(d.map((e) => [e.email, e.ecwid?.id ?? null, e.ccv?.id ?? null])).toEqual([
      ["jane@example.com", "1", "10"],
      ["pos-only@example.com", null, "11"],
      ["web-only@example.com", "2", null],
    ]);
  });

  it("pages by the last e-mail seen, so records added before the cursor do not shift the next page", () => {
    const d = joinByEmail(ecwid, ccv);
    const p1 = directoryPage(d, { first: 1 });
    expect(p1.entries.map((e) => e.email)).toEqual(["jane@example.com"]);
    expect(p1.hasNextPage).toBe(true);
    // a customer registers in Ecwid with an e-mail sorting before the cursor
    const later = joinByEmail([customer("ECWID", "4", "aaron@example.com"), ...ecwid], ccv);
    const p2 = directoryPage(later, { first: 1, after: "jane@example.com" });
    expect(p2.entries.map((e) => e.email)).toEqual(["pos-only@example.com"]);
    const p3 = directoryPage(later, { first: 5, after: "pos-only@example.com" });
    expect(p3.entries.map((e) => e.email)).toEqual(["web-only@example.com"]);
    expect(p3.hasNextPage).toBe(false);
  });

  it("filters by part of the e-mail, case-insensitively, in both systems alike", () => {
    const d = joinByEmail(ecwid, ccv);
    expect(directoryPage(d, { first: 10, search: " ONLY@" }).entries.map((e) => e.email)).toEqual([
      "pos-only@example.com",
      "web-only@example.com",
    ]);
  });
});
