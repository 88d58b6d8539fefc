import type { Order } from "../../../domain/orders";
import { emptyAddress } from "../../../domain/party";
import {
  ccvCategoryToDomain,
  ccvCategoryTreeToDomain,
  ccvOrderToDomain,
  ccvProductToDomain,
  ccvStoreProfile,
  ccvUserToCustomer,
  customerToCcvPersonalinfo,
  orderToCcvCreate,
  pickStoreWebshop,
  productToCcvCreate,
  splitHouseNumber,
} from "../ccv.mapper";
import type {
  CcvAttributeCombination,
  CcvCategory,
  CcvOrder,
  CcvOrderRow,
  CcvProduct,
  CcvWebshop,
} from "../ccv.types";

// Fixtures after reference §8 (abridged to the fields the mappers read).
const product: CcvProduct = {
  href: "https://demo-shop.example/api/rest/v1/products/123456/",
  id: 123456,
  is_active: true,
  createdate: "2024-04-02T09:15:00Z",
  modifydate: "2024-05-01T11:58:41Z",
  productnumber: "MUG-001",
  eannumber: "8712345678906",
  name: "Koffiemok",
  shortdescription: "Stoere mok, 300 ml",
  description: "<p>Vaatwasserbestendig.</p>",
  vatrate: 21,
  taxtariff: "normal",
  price: 12.95,
  discount: 2.95,
  stockenabled: true,
  stocktype: "product",
  stock: 42,
  weight: 0.35,
  productmainphoto: "https://demo-shop.example/Files/2/1000/1001/ProductPhotos/Large/1.jpg",
};

const combination: CcvAttributeCombination = {
  href: "https://demo-shop.example/api/rest/v1/attributecombinations/90001/",
  id: 90001,
  product_id: 123457,
  stock: 5,
  netto_extra_price: 2.5,
  product_number: "TEE-RED-L",
  ean_number: "8712345678913",
  sku_number: "TEE-RED-L",
  active: true,
  combination: [
    { attribute: { id: 11, name: "Kleur" }, attribute_value: { id: 111, name: "Rood" }, extra_price: 0 },
    { attribute: { id: 12, name: "Maat" }, attribute_value: { id: 123, name: "L" }, extra_price: 2.5 },
  ],
};

describe("CCV mappers — catalogue", () => {
  it("maps a product: sell price = price − discount, is_active, stock, tax", () => {
    const p = ccvProductToDomain(product, { pricesIncludeTax: true, categoryIds: ["3001"] });
    expect(p).toMatchObject({
      system: "CCV_SALESPOS",
      id: "123456",
      sku: "MUG-001",
      ean: "8712345678906",
      name: "Koffiemok",
      price: "10",
      priceIncludesTax: true,
      taxRate: "21",
      taxClass: "normal",
      quantity: "42",
      unlimited: false,
      enabled: true,
      categoryIds: ["3001"],
      weight: "0.35",
      mediaUrls: [product.productmainphoto],
      createdAt: new Date("2024-04-02T09:15:00Z"),
    });
    expect(ccvProductToDomain({ ...product, is_active: false, stockenabled: false }).enabled).toBe(false);
    expect(ccvProductToDomain({ ...product, stockenabled: false })).toMatchObject({
      unlimited: true,
      quantity: null,
    });
  });

  it("maps attribute combinations to variants and option axes", () => {
    const p = ccvProductToDomain({
      ...product,
      id: 123457,
      attributecombinations: { href: "x", collection: [combination] },
    });
    expect(p.variants).toEqual([
      {
        system: "CCV_SALESPOS",
        id: "90001",
        sku: "TEE-RED-L",
        ean: "8712345678913",
        options: [
          { name: "Kleur", value: "Rood" },
          { name: "Maat", value: "L" },
        ],
        price: null,
        priceDifference: "2.5",
        quantity: "5",
        unlimited: false,
        enabled: true,
      },
    ]);
    expect(p.options).toEqual([
      { name: "Kleur", values: [{ name: "Rood", priceModifier: "0" }] },
      { name: "Maat", values: [{ name: "L", priceModifier: "2.5" }] },
    ]);
  });

  it("builds a POST /products body with the write names (active, not is_active)", () => {
    const domain = ccvProductToDomain(product);
    const body = productToCcvCreate(domain, 5501);
    expect(body).toEqual({
      name: "Koffiemok",
      price: 10,
      discount: 0,
      package_id: 5501,
      active: true,
      vatrate: 21,
      productnumber: "MUG-001",
      eannumber: "8712345678906",
      shortdescription: "Stoere mok, 300 ml",
      description: "<p>Vaatwasserbestendig.</p>",
      weight: 0.35,
      stockenabled: true,
      stock: 42,
    });
    expect(productToCcvCreate({ ...domain, taxRate: null, taxClass: "low a" }, 1).taxtariff).toBe("low a");
    expect(productToCcvCreate({ ...domain, taxRate: null, taxClass: "REDUCED" }, 1).taxtariff).toBe("normal");
  });

  it("maps categories and the category tree (parents first)", () => {
    const c: CcvCategory = {
      href: "h",
      id: 3001,
      name: "Servies",
      description: "",
      position: 2,
      show_on_website: true,
      parentcategory: { id: 3000, href: "h" },
    };
    expect(ccvCategoryToDomain(c)).toEqual({
      system: "CCV_SALESPOS",
      id: "3001",
      parentId: "3000",
      name: "Servies",
      description: null,
      enabled: true,
      position: 2,
    });
    const tree = ccvCategoryTreeToDomain({
      href: "t",
      root_categories: [
        { href: "h", id: 1, name: "A", children: [{ href: "h", id: 2, name: "B", children: [] }] },
      ],
    });
    expect(tree.map((x) => [x.id, x.parentId])).toEqual([
      ["1", null],
      ["2", "1"],
    ]);
  });
});

describe("CCV mappers — store, customers, orders", () => {
  const shop = (id: number, is_salespos: boolean): CcvWebshop => ({
    href: "h",
    id,
    name: `shop ${id}`,
    is_salespos,
  });

  it("picks the SalesPOS webshop as the store, else the first", () => {
    expect(pickStoreWebshop([shop(1, false), shop(2, true)])?.id).toBe(2);
    expect(pickStoreWebshop([shop(1, false), shop(2, false)])?.id).toBe(1);
    expect(ccvStoreProfile(shop(2, true), { currency: "EUR", prices_include_vat: true })).toEqual({
      system: "CCV_SALESPOS",
      storeId: "2",
      name: "shop 2",
      currency: "EUR",
      pricesIncludeTax: true,
      isSalesPos: true,
    });
  });

  it("splits house numbers into CCV's integer + suffix", () => {
    expect(splitHouseNumber("12")).toEqual({ housenumber: 12, suffix: null });
    expect(splitHouseNumber("12a")).toEqual({ housenumber: 12, suffix: "a" });
    expect(splitHouseNumber("12-3")).toEqual({ housenumber: 12, suffix: "3" });
    expect(splitHouseNumber("Hoog")).toBeNull();
  });

  it("makes a business customer b2b with the company on the billing address and the person as contact", () => {
    const info = customerToCcvPersonalinfo({
      email: " Jan@Example.com ",
      isCompany: false,
      companyName: "Jansen BV",
      vatNumber: "NL000099998B57",
      billing: {
        ...emptyAddress(),
        firstName: "Jan",
        lastName: "Jansen",
        street: "Dorpsstraat",
        houseNumber: "1A",
        postalCode: "1234AB",
        city: "Utrecht",
        countryCode: "nl",
      },
      shipping: {
        ...emptyAddress(),
        name: "Piet Jansen",
        street: "Kerkstraat 5",
        postalCode: "1234AC",
        city: "Utrecht",
        countryCode: "NL",
      },
    });
    expect(info).toEqual({
      customertype: "b2b",
      email: "Jan@Example.com",
      btw: "NL000099998B57",
      billingaddress: {
        first_name: "Jan",
        last_name: "Jansen",
        company: "Jansen BV",
        street: "Dorpsstraat",
        housenumber: 1,
        housenumber_suffix: "A",
        zipcode: "1234AB",
        city: "Utrecht",
        country_code: "NL",
      },
      deliveryaddress: {
        address_line_1: "Kerkstraat 5",
        zipcode: "1234AC",
        city: "Utrecht",
        country_code: "NL",
      },
    });
    expect(
      customerToCcvPersonalinfo({
        email: "a@b.c",
        isCompany: false,
        companyName: null,
        vatNumber: null,
        billing: null,
        shipping: null,
      }),
    ).toEqual({
      customertype: "b2c",
      email: "a@b.c",
    });
  });

  it("maps a user to a customer (e-mail normalised, username as fallback)", () => {
    const c = ccvUserToCustomer({
      href: "h",
      id: 24000001,
      username: "Jan@Example.com",
      userinfo: { customertype: "b2c" },
    });
    expect(c).toMatchObject({ id: "24000001", email: "jan@example.com", isCompany: false });
  });

  it("maps an order with its rows (fixture §8.9)", () => {
    const row: CcvOrderRow = {
      href: "h",
      id: 700000001,
      order_id: 500000123,
      product_name: "Koffiemok",
      product_number: "MUG-001",
      sub_sku_number: "",
      product_id: 123456,
      count: 2,
      price: 12.95,
      discount: 2.95,
      tax: 21,
      total_price: 20,
      price_without_discount_with_attributes: 12.95,
      attributes: [],
    };
    const order: CcvOrder = {
      href: "h",
      id: 500000123,
      ordernumber: 1042,
      ordernumber_full: "1042",
      create_date: "2024-05-01T12:00:00Z",
      status: 5,
      is_completed: true,
      paid: true,
      paymethod: "BankTransfer",
      order_row_taxes_included: true,
      total_orderrow_price: 20,
      total_price: 24.95,
      total_tax: 4.33,
      total_shipping: 4.95,
      currency: "EUR",
      deliver_method: "shipping",
      reservationnumber: "ecwid-1042",
      customer: {
        email: "Jan@Example.com",
        customertype: "b2b",
        billingaddress: { first_name: "Jan", last_name: "Jansen", company: "Jansen BV" },
      },
    };
    const o = ccvOrderToDomain(order, [row]);
    expect(o).toMatchObject({
      id: "500000123",
      number: "1042",
      email: "jan@example.com",
      status: "5",
      paymentStatus: "PAID",
      completed: true,
      pricesIncludeTax: true,
      subtotal: "20",
      shippingCost: "4.95",
      total: "24.95",
      paymentMethod: "BankTransfer",
      customerName: "Jan Jansen",
      companyName: "Jansen BV",
      isCompany: true,
      externalReference: "ecwid-1042",
    });
    expect(o.lines[0]).toEqual({
      id: "700000001",
      productId: "123456",
      variantId: null,
      sku: "MUG-001",
      name: "Koffiemok",
      quantity: "2",
      unitPrice: "12.95",
      taxRate: "21",
      discount: "5.9",
      options: [],
    });
  });

  it("builds a POST /orders body from a domain order; unresolved SKUs are reported, not sent", () => {
    const order: Order = {
      system: "ECWID",
      id: "1042",
      number: "1042",
      email: "jan@example.com",
      status: "PAID",
      paymentStatus: "PAID",
      paid: true,
      completed: true,
      currency: "EUR",
      pricesIncludeTax: true,
      subtotal: "30",
      shippingCost: "4.95",
      discountTotal: "0",
      tax: "0",
      total: "34.95",
      shippingMethod: null,
      paymentMethod: null,
      customerName: "Jan Jansen",
      companyName: null,
      isCompany: false,
      billing: { ...emptyAddress(), firstName: "Jan", lastName: "Jansen" },
      shipping: null,
      lines: [
        {
          id: "1",
          productId: "p1",
          variantId: null,
          sku: "MUG-001",
          name: "Mok",
          quantity: "2",
          unitPrice: "10",
          taxRate: "21",
          discount: "1",
          options: [],
        },
        {
          id: "2",
          productId: "p2",
          variantId: "v",
          sku: "TEE-RED-L",
          name: "Tee",
          quantity: "1",
          unitPrice: "10",
          taxRate: null,
          discount: "0",
          options: [],
        },
        {
          id: "3",
          productId: "p3",
          variantId: null,
          sku: "GONE",
          name: "x",
          quantity: "1",
          unitPrice: "1",
          taxRate: null,
          discount: "0",
          options: [],
        },
      ],
      externalReference: null,
      createdAt: null,
      updatedAt: null,
    };
    const { body, unresolved } = orderToCcvCreate(order, {
      reference: "ecwid-1042",
      resolveLine: (l) =>
        l.sku === "MUG-001"
          ? { productId: 123456 }
          : l.sku === "TEE-RED-L"
            ? { productId: 123457, combinationId: 90001 }
            : null,
      status: 1,
    });
    expect(unresolved.map((l) => l.sku)).toEqual(["GONE"]);
    expect(body).toEqual({
      is_completed: true,
      paid: true,
      customer: {
        customertype: "b2c",
        email: "jan@example.com",
        billingaddress: { first_name: "Jan", last_name: "Jansen" },
      },
      orderrows: [
        { product_id: 123456, count: 2, price: 10, discount: 0.5, tax: 21 },
        { product_id: 123457, attribute_combination_id: 90001, count: 1, price: 10, discount: 0 },
      ],
      taxes_included: true,
      order_row_taxes_included: true,
      total_shipping: 4.95,
      deliver_method: "shipping",
      reservationnumber: "ecwid-1042",
      currency: "EUR",
      status: 1,
    });
  });
});
