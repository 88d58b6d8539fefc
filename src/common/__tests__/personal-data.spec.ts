import { describeParty } from "../../domain/party";
import { Identifiers, namesIn, redactEmails } from "../personal-data";

describe("personal data in text", () => {
  it("redacts e-mail addresses wherever they sit in a text", () => {
    expect(redactEmails('Ecwid refused: email "Jan.de-Vries+shop@Example.co.uk" is taken; call x@y.nl')).toBe(
      'Ecwid refused: email "[e-mail]" is taken; call [e-mail]',
    );
    expect(redactEmails(null)).toBeNull();
    expect(redactEmails("order 123 has no address")).toBe("order 123 has no address");
  });

  it("matches identifiers case-insensitively and as whole words only", () => {
    const ids = new Identifiers(["erika@example.com", "Erika Müller", "Müller", "Jo"]);
    expect(ids.values).toEqual(["erika@example.com", "Erika Müller", "Müller"]); // too short to match safely: dropped
    expect(ids.scrub("Dear ERIKA MÜLLER (erika@EXAMPLE.com), Müllerstraße stays")).toBe(
      "Dear [erased] ([erased]), Müllerstraße stays",
    );
    expect(ids.in("January")).toBe(false);
    expect(ids.scrubDeep({ a: ["müller"], b: { c: 1 } })).toEqual({ a: ["[erased]"], b: { c: 1 } });
  });

  it("finds a person's names in vendor payloads, not product names", () => {
    const names = namesIn({
      billingPerson: { name: "Erika Mustermann", street: "Hauptstr. 1" },
      customer: { billingaddress: { first_name: "Erika", last_name: "Mustermann" } },
      items: [{ name: "Blue Mug" }],
    });
    expect([...names].sort()).toEqual(["Erika Mustermann", "Mustermann"]);
  });

  it("describes a party by its ids only", () => {
    expect(describeParty({ ccvUser: 12, ecwidCustomer: "456" })).toBe(
      "customer account 12 (Ecwid customer 456)",
    );
    expect(describeParty({ ccvUser: 12, ecwidCustomer: "email:ab12" })).toBe(
      "customer account 12 (a guest in Ecwid)",
    );
    expect(describeParty({ ecwidCustomer: 7 })).toBe("Ecwid customer 7");
    expect(describeParty({})).toBe("the order's customer");
  });
});
