import {
  ECWID_FIXTURE_CATEGORY_PAGE,
  ECWID_FIXTURE_CUSTOMER,
  ECWID_FIXTURE_ORDER,
  ECWID_FIXTURE_PRODUCT,
} from "../../../sandbox/ecwid/ecwid.fixtures";
import { defaultEcwidProfile } from "../../../sandbox/ecwid/ecwid.sandbox";
import { formatEcwidDate, parseEcwidDate } from "../ecwid.dates";
import {
  ecwidMappingContext,
  mapEcwidCategory,
  mapEcwidCustomer,
  mapEcwidOrder,
  mapEcwidPerson,
  mapEcwidProduct,
  mapEcwidStoreProfile,
  toEcwidCustomerWrite,
  toEcwidOrderCreate,
  toEcwidPerson,
  toEcwidProductWrite,
  toEcwidVariationWrite,
} from "../ecwid.mapper";

describe("Ecwid dates (§13)", () => {
  it("formats UTC with +0000 and parses every documented form, honouring offsets", () => {
    expect(formatEcwidDate(new Date(Date.UTC(2024, 8, 4, 7, 20, 11)))).toBe("2024-09-04 07:20:11 +0000");
    expect(parseEcwidDate("2024-09-04 07:20:11 +0000")?.toISOString()).toBe("2024-09-04T07:20:11.000Z");
    expect(parseEcwidDate("2015-04-22 18:48:38 -0500")?.toISOString()).toBe("2015-04-22T23:48:38.000Z");
    expect(parseEcwidDate("2023-01-15 19:27:50")?.toISOString()).toBe("2023-01-15T19:27:50.000Z");
    expect(parseEcwidDate("2015-04-22")?.toISOString()).toBe("2015-04-22T00:00:00.000Z");
    expect(parseEcwidDate(1447804800)?.toISOString()).toBe("2015-11-18T00:00:00.000Z");
    expect(parseEcwidDate("2024-02-30")).toBeNull();
    expect(parseEcwidDate("yesterday")).toBeNull();
  });
});

describe("mapEcwidProduct (§14.1)", () => {
  const profile = defaultEcwidProfile(1003);
  const ctx = ecwidMappingContext(profile);
  const p = mapEcwidProduct(ECWID_FIXTURE_PRODUCT, ctx);

  it("maps the product fields", () => {
    expect(p).toMatchObject({
      system: "ECWID",
      id: "700100200",
      sku: "TSHIRT-BASE",
      name: "Logo T-Shirt",
      description: "<p>Soft cotton tee.</p>",
      price: "20",
      priceIncludesTax: true,
      // the one manual tax enabled on it (id 1117939042) is 21 % in the profile
      taxRate: "21",
      taxClass: "default",
      ean: "012345678905",
      quantity: "14",
      unlimited: false,
      enabled: true,
      categoryIds: ["9691094"],
      weight: "0.25",
      mediaUrls: ["https://example.invalid/i/orig.jpg"],
    });
    expect(p.createdAt?.toISOString()).toBe("2024-05-01T09:00:00.000Z");
    expect(p.features).toEqual([
      { name: "Brand", value: "Acme", type: "BRAND" },
      { name: "UPC", value: "012345678905", type: "UPC" },
    ]);
    expect(p.options).toEqual([
      {
        name: "Size",
        values: [
          { name: "M", priceModifier: "0" },
          { name: "L", priceModifier: "2" },
        ],
      },
      {
        name: "Color",
        values: [
          { name: "Black", priceModifier: "0" },
          { name: "White", priceModifier: "0" },
        ],
      },
    ]);
  });

  it("maps variations: own SKU and stock, absolute or modifier-derived price, own barcode", () => {
    const [mBlack, lBlack, mWhite] = p.variants;
    expect(mBlack).toMatchObject({
      id: "422488001",
      sku: "TSHIRT-M-BLK",
      ean: "012345678912",
      quantity: "5",
      price: "20",
      priceDifference: "0",
    });
    expect(mBlack.options).toEqual([
      { name: "Size", value: "M" },
      { name: "Color", value: "Black" },
    ]);
    expect(lBlack).toMatchObject({ quantity: "0", price: "22", priceDifference: "2", unlimited: false });
    // no own price: product price + modifiers (M and White are +0)
    expect(mWhite).toMatchObject({ price: null, priceDifference: "0", quantity: "9", ean: null });
  });

  it("treats missing quantity as untracked stock, and a variation without SKU as sharing the product's stock", () => {
    const unlimited = mapEcwidProduct({
      id: 1,
      name: "U",
      unlimited: true,
      combinations: [{ id: 2, options: [{ name: "S", value: "X" }] }],
    });
    expect(unlimited).toMatchObject({
      quantity: null,
      unlimited: true,
      priceIncludesTax: null,
      taxRate: null,
    });
    expect(unlimited.variants[0]).toMatchObject({ sku: null, quantity: null, unlimited: true });
    const shared = mapEcwidProduct({
      id: 1,
      name: "S",
      quantity: 3,
      unlimited: false,
      combinations: [{ id: 2, options: [] }],
    });
    expect(shared.variants[0]).toMatchObject({ sku: null, quantity: "3", unlimited: false });
  });

  it("converts PERCENT option modifiers to money", () => {
    const m = mapEcwidProduct({
      id: 1,
      name: "P",
      price: 50,
      options: [
        {
          type: "SELECT",
          name: "Size",
          choices: [{ text: "XL", priceModifier: 10, priceModifierType: "PERCENT" }],
        },
      ],
      combinations: [{ id: 2, options: [{ name: "Size", value: "XL" }], sku: "P-XL", quantity: 1 }],
    });
    expect(m.options[0].values[0].priceModifier).toBe("5");
    expect(m.variants[0].priceDifference).toBe("5");
  });
});

describe("mapEcwidOrder (§14.4)", () => {
  const o = mapEcwidOrder(ECWID_FIXTURE_ORDER, { currency: "USD" });

  it("maps ids, statuses, money and the company buyer", () => {
    expect(o).toMatchObject({
      id: "XJ12H",
      number: "XJ12H",
      email: "buyer@example.com",
      status: "AWAITING_PROCESSING",
      paymentStatus: "PAID",
      paid: true,
      completed: true,
      currency: "USD",
      pricesIncludeTax: false,
      subtotal: "42",
      shippingCost: "10",
      discountTotal: "0",
      tax: "3.36",
      total: "55.36",
      shippingMethod: "USPS Priority Mail",
      paymentMethod: "Phone order",
      customerName: "Jane Doe",
      companyName: "Acme Widgets LLC",
      isCompany: true,
      externalReference: null,
    });
    expect(o.createdAt?.toISOString()).toBe("2024-06-01T10:15:00.000Z");
  });

  it("splits Ecwid's two-line street and keeps the shipping person's company", () => {
    expect(o.billing).toMatchObject({
      street: "1 Main St",
      street2: "Suite 200",
      firstName: "Jane",
      lastName: "Doe",
      province: "IL",
      countryCode: "US",
    });
    // shippingPerson carries no first/last name: derived from the name
    expect(o.shipping).toMatchObject({ companyName: "Acme Widgets LLC", firstName: "Jane", lastName: "Doe" });
  });

  it("maps lines with options, tax rate and variant id", () => {
    expect(o.lines).toEqual([
      {
        id: "1828115520",
        productId: "700100200",
        variantId: "422488001",
        sku: "TSHIRT-M-BLK",
        name: "Logo T-Shirt",
        quantity: "2",
        unitPrice: "20",
        taxRate: "8",
        discount: "0",
        options: [
          { name: "Size", value: "M" },
          { name: "Color", value: "Black" },
        ],
      },
      expect.objectContaining({
        id: "1828115521",
        productId: "700100300",
        variantId: null,
        sku: "MUG-01",
        quantity: "1",
        unitPrice: "2",
      }),
    ]);
  });

  it("adds the coupon discount to the other discounts, per order and per line", () => {
    const d = mapEcwidOrder({
      id: "A",
      discount: 5,
      couponDiscount: 2.5,
      paymentStatus: "INCOMPLETE",
      items: [{ quantity: 1, price: 10, couponAmount: 1, discounts: [{ total: 0.5 }] }],
    });
    expect(d).toMatchObject({ discountTotal: "7.5", completed: false, paid: false });
    expect(d.lines[0].discount).toBe("1.5");
  });
});

describe("customers, categories, profile", () => {
  it("maps the §14.6 customer", () => {
    expect(mapEcwidCustomer(ECWID_FIXTURE_CUSTOMER)).toMatchObject({
      id: "177737165",
      email: "buyer@example.com",
      name: "Jane Doe",
      companyName: "Acme Widgets LLC",
      isCompany: true,
      vatNumber: null,
      billing: { street: "1 Main St", city: "Springfield", countryCode: "US" },
      shipping: { companyName: "Acme Widgets LLC", postalCode: "62701" },
    });
  });

  it("maps §14.3 categories: root without parentId or with parentId 0", () => {
    const [apparel, accessories] = ECWID_FIXTURE_CATEGORY_PAGE.items.map(mapEcwidCategory);
    expect(apparel).toEqual({
      system: "ECWID",
      id: "9691094",
      parentId: null,
      name: "Apparel",
      description: "<p>Clothes</p>",
      enabled: true,
      position: 10,
      productIds: ["700100200", "700100201"],
    });
    expect(accessories).toMatchObject({ parentId: null, description: null, position: 20, productIds: [] });
  });

  it("maps the store profile: currency and the gross/net switch", () => {
    expect(mapEcwidStoreProfile(defaultEcwidProfile(1003), 1003)).toEqual({
      system: "ECWID",
      storeId: "1003",
      name: "Sandbox Store",
      currency: "EUR",
      pricesIncludeTax: true,
    });
  });
});

describe("domain → Ecwid writes", () => {
  it("round-trips an address into PersonInfo with the street lines joined by \\n", () => {
    const a = mapEcwidPerson(ECWID_FIXTURE_ORDER.billingPerson)!;
    expect(toEcwidPerson(a)).toEqual({
      name: "Jane Doe",
      companyName: "Acme Widgets LLC",
      street: "1 Main St\nSuite 200",
      city: "Springfield",
      countryCode: "US",
      postalCode: "62701",
      stateOrProvinceCode: "IL",
      phone: "+1 217 555 0100",
    });
    expect(
      toEcwidPerson({ ...a, street: "Kerkstraat", houseNumber: "12", houseNumberSuffix: "a", street2: null }),
    ).toMatchObject({
      street: "Kerkstraat 12a",
    });
  });

  it("builds an order create that carries the totals, line product ids and our reference", () => {
    const order = mapEcwidOrder(ECWID_FIXTURE_ORDER);
    const w = toEcwidOrderCreate(order, {
      paymentStatus: "PAID",
      lineRefs: [{ productId: 700100200, combinationId: 422488001 }, { productId: 700100300 }],
      externalOrderId: "CCV-42",
    });
    expect(w).toMatchObject({
      email: "buyer@example.com",
      paymentStatus: "PAID",
      fulfillmentStatus: "AWAITING_PROCESSING",
      subtotal: 42,
      total: 55.36,
      tax: 3.36,
      createDate: "2024-06-01 10:15:00 +0000",
      externalOrderId: "CCV-42",
      b2b_b2c: "b2b",
      shippingOption: { shippingMethodName: "USPS Priority Mail", shippingRate: 10 },
      disableAllCustomerNotifications: true,
    });
    expect(w.items?.[0]).toMatchObject({
      productId: 700100200,
      combinationId: 422488001,
      sku: "TSHIRT-M-BLK",
      quantity: 2,
      price: 20,
      selectedOptions: [
        { name: "Size", type: "CHOICE", value: "M" },
        { name: "Color", type: "CHOICE", value: "Black" },
      ],
    });
    expect(w).not.toHaveProperty("externalFulfillment");
  });

  it("builds product and variation bodies with the barcode as a UPC alias", () => {
    const p = mapEcwidProduct(ECWID_FIXTURE_PRODUCT);
    const w = toEcwidProductWrite(p, { categoryIds: [5], includeStock: true });
    expect(w).toMatchObject({
      name: "Logo T-Shirt",
      sku: "TSHIRT-BASE",
      price: 20,
      quantity: 14,
      unlimited: false,
      categoryIds: [5],
    });
    expect(w.attributes).toEqual([{ alias: "UPC", value: "012345678905" }]);
    expect(w.options?.[0]).toMatchObject({
      type: "SELECT",
      name: "Size",
      choices: [{ text: "M" }, { text: "L", priceModifier: 2 }],
    });
    expect(toEcwidProductWrite(p)).not.toHaveProperty("quantity");
    const v = toEcwidVariationWrite(p.variants[2], p.price, { includeStock: true });
    expect(v).toEqual({
      options: [
        { name: "Size", value: "M" },
        { name: "Color", value: "White" },
      ],
      sku: "TSHIRT-M-WHT",
      price: 20,
      unlimited: false,
      quantity: 9,
    });
  });

  it("builds a customer body; a company name makes it b2b", () => {
    const c = mapEcwidCustomer(ECWID_FIXTURE_CUSTOMER);
    expect(toEcwidCustomerWrite(c)).toMatchObject({
      email: "buyer@example.com",
      b2b_b2c: "b2b",
      billingPerson: { name: "Jane Doe", companyName: "Acme Widgets LLC" },
      shippingAddresses: [expect.objectContaining({ defaultAddress: true, street: "1 Main St" })],
    });
  });
});
