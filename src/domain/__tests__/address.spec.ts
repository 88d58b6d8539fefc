import { joinStreet, splitStreet, type StreetParts } from "../address";

const parts = (
  street: string,
  houseNumber: string | null,
  suffix: string | null = null,
  line2: string | null = null,
): StreetParts => ({
  street,
  houseNumber,
  suffix,
  line2,
});

describe("splitStreet", () => {
  it.each<[string, StreetParts]>([
    // Dutch
    ["Dorpsstraat 12", parts("Dorpsstraat", "12")],
    ["Dorpsstraat 12a", parts("Dorpsstraat", "12", "a")],
    ["Kerkstraat 12-14", parts("Kerkstraat", "12", "-14")],
    ["Laan van Meerdervoort 1001 B", parts("Laan van Meerdervoort", "1001", "B")],
    ["2e Helmersstraat 5 hs", parts("2e Helmersstraat", "5", "hs")],
    ["Prinsengracht 263-II", parts("Prinsengracht", "263", "-II")],
    ["Oudegracht 12/3", parts("Oudegracht", "12", "/3")],
    // German
    ["Hauptstraße 5", parts("Hauptstraße", "5")],
    ["Am Markt 12a", parts("Am Markt", "12", "a")],
    ["Straße des 17. Juni 135", parts("Straße des 17. Juni", "135")],
    ["Musterweg 12 - 14", parts("Musterweg", "12", "-14")],
    ["Musterweg 12–14", parts("Musterweg", "12", "-14")],
    ["Königsallee, 9", parts("Königsallee", "9")],
    // number first
    ["12 Main Street", parts("Main Street", "12")],
    ["12-14 High Road", parts("High Road", "12", "-14")],
  ])("%s", (line, expected) => {
    expect(splitStreet(line)).toEqual(expected);
  });

  it("keeps a line without a house number whole", () => {
    expect(splitStreet("Straße des 17. Juni")).toEqual(parts("Straße des 17. Juni", null));
    expect(splitStreet("Dorpsstraat")).toEqual(parts("Dorpsstraat", null));
    // an ordinal in the name is not a house number
    expect(splitStreet("2e Helmersstraat")).toEqual(parts("2e Helmersstraat", null));
    expect(splitStreet("1st Avenue")).toEqual(parts("1st Avenue", null));
    expect(splitStreet("")).toEqual(parts("", null));
  });

  it("splits the first of several street lines and returns the others as line2", () => {
    expect(splitStreet("Dorpsstraat 12a\nAchterhuis")).toEqual(parts("Dorpsstraat", "12", "a", "Achterhuis"));
    expect(splitStreet("1 Main St\nSuite 200\n  Floor 3 ")).toEqual(
      parts("Main St", "1", null, "Suite 200, Floor 3"),
    );
    expect(splitStreet("Hauptstraße 5\n\n")).toEqual(parts("Hauptstraße", "5"));
  });

  it("tidies whitespace", () => {
    expect(splitStreet("  Am   Markt  12a ")).toEqual(parts("Am Markt", "12", "a"));
  });
});

describe("joinStreet", () => {
  it.each<[string | null, string | number | null, string | null, string]>([
    ["Dorpsstraat", "12", "a", "Dorpsstraat 12a"],
    ["Kerkstraat", 12, "-14", "Kerkstraat 12-14"],
    ["2e Helmersstraat", "5", "hs", "2e Helmersstraat 5 hs"],
    ["Laan van Meerdervoort", 1001, "B", "Laan van Meerdervoort 1001B"],
    ["Hauptstraße", "5", null, "Hauptstraße 5"],
    ["Dorpsstraat", null, "a", "Dorpsstraat"],
    [null, "12", null, "12"],
  ])("%s %s %s", (street, number, suffix, expected) => {
    expect(joinStreet(street, number, suffix)).toBe(expected);
  });

  it("round-trips what splitStreet splits", () => {
    for (const line of [
      "Dorpsstraat 12a",
      "Kerkstraat 12-14",
      "2e Helmersstraat 5 hs",
      "Straße des 17. Juni 135",
      "Am Markt 12a",
    ]) {
      const p = splitStreet(line);
      expect(joinStreet(p.street, p.houseNumber, p.suffix)).toBe(line);
    }
  });
});
