import type {
  EcwidBatchRequest,
  EcwidBatchStatusWire,
  EcwidCategory,
  EcwidCustomer,
  EcwidOrder,
  EcwidOrderWrite,
  EcwidPage,
  EcwidProduct,
  EcwidVariationWrite,
} from "../../connectors/ecwid/ecwid.types";

/**
 * The sample JSON of reference §14 (docs/vendors/ecwid.md describes each), plus a few companion
 * records (marked) that the samples refer to but do not show, so that seeding them all gives a
 * consistent store: the mug of the order and the batch, the second apparel product, the third root
 * category of the category page. Used by the sandbox tests (replay) and by the demo.
 */

/** §14.1 `GET /products/700100200` */
export const ECWID_FIXTURE_PRODUCT: EcwidProduct = {
  id: 700100200,
  sku: "TSHIRT-BASE",
  quantity: 14,
  unlimited: false,
  inStock: true,
  name: "Logo T-Shirt",
  nameTranslated: { en: "Logo T-Shirt", de: "Logo-T-Shirt" },
  price: 20,
  priceInProductList: 20,
  defaultDisplayedPrice: 20,
  defaultDisplayedPriceFormatted: "$20.00",
  costPrice: 8.5,
  compareToPrice: 25,
  wholesalePrices: [{ quantity: 10, price: 18 }],
  tax: {
    taxable: true,
    defaultLocationIncludedTaxRate: 0,
    enabledManualTaxes: [1117939042],
    taxClassCode: "default",
  },
  isShippingRequired: true,
  weight: 0.25,
  dimensions: { length: 30, width: 20, height: 2 },
  url: "https://store1003.company.site/products/logo-t-shirt-p700100200",
  created: "2024-05-01 09:00:00 +0000",
  updated: "2024-05-03 12:30:15 +0000",
  createTimestamp: 1714554000,
  updateTimestamp: 1714739415,
  productClassId: 0,
  enabled: true,
  warningLimit: 2,
  fixedShippingRateOnly: false,
  fixedShippingRate: 0,
  shipping: { type: "GLOBAL_METHODS", methodMarkup: 0, flatRate: 0, disabledMethods: [], enabledMethods: [] },
  description: "<p>Soft cotton tee.</p>",
  categoryIds: [9691094],
  categories: [{ id: 9691094, enabled: true }],
  defaultCategoryId: 9691094,
  attributes: [
    { id: 5029057, name: "Brand", value: "Acme", type: "BRAND", show: "DESCR" },
    { id: 5029058, name: "UPC", value: "012345678905", type: "UPC", show: "DESCR" },
  ],
  options: [
    {
      type: "SIZE",
      name: "Size",
      choices: [
        { text: "M", priceModifier: 0, priceModifierType: "ABSOLUTE" },
        { text: "L", priceModifier: 2, priceModifierType: "ABSOLUTE" },
      ],
      defaultChoice: 0,
      required: true,
    },
    {
      type: "SELECT",
      name: "Color",
      choices: [
        { text: "Black", priceModifier: 0, priceModifierType: "ABSOLUTE" },
        { text: "White", priceModifier: 0, priceModifierType: "ABSOLUTE" },
      ],
      defaultChoice: 0,
      required: true,
    },
  ],
  defaultCombinationId: 422488001,
  combinations: [
    {
      id: 422488001,
      combinationNumber: 1,
      options: [
        { name: "Size", value: "M" },
        { name: "Color", value: "Black" },
      ],
      sku: "TSHIRT-M-BLK",
      quantity: 5,
      unlimited: false,
      inStock: true,
      price: 20,
      warningLimit: 1,
      attributes: [{ id: 5029058, name: "UPC", value: "012345678912", type: "UPC", show: "DESCR" }],
    },
    {
      id: 422488002,
      combinationNumber: 2,
      options: [
        { name: "Size", value: "L" },
        { name: "Color", value: "Black" },
      ],
      sku: "TSHIRT-L-BLK",
      quantity: 0,
      unlimited: false,
      inStock: false,
      price: 22,
    },
    {
      id: 422488003,
      combinationNumber: 3,
      options: [
        { name: "Size", value: "M" },
        { name: "Color", value: "White" },
      ],
      sku: "TSHIRT-M-WHT",
      quantity: 9,
      unlimited: false,
      inStock: true,
      weight: 0.26,
    },
  ],
  media: {
    images: [
      {
        id: "0",
        isMain: true,
        orderBy: 0,
        image160pxUrl: "https://example.invalid/i/160.jpg",
        image400pxUrl: "https://example.invalid/i/400.jpg",
        image800pxUrl: "https://example.invalid/i/800.jpg",
        image1500pxUrl: "https://example.invalid/i/1500.jpg",
        imageOriginalUrl: "https://example.invalid/i/orig.jpg",
      },
    ],
    videos: [],
  },
  files: [],
  relatedProducts: { productIds: [], relatedCategory: { enabled: false, categoryId: 0, productCount: 3 } },
  showOnFrontpage: 1,
  isSampleProduct: false,
};

/** §14.2 `POST /products/700100200/combinations` request and response */
export const ECWID_FIXTURE_VARIATION_CREATE: EcwidVariationWrite = {
  options: [
    { name: "Size", value: "L" },
    { name: "Color", value: "White" },
  ],
  sku: "TSHIRT-L-WHT",
  quantity: 4,
  price: 22,
  weight: 0.27,
  attributes: [{ alias: "UPC", value: "012345678929" }],
};
export const ECWID_FIXTURE_VARIATION_CREATE_RESPONSE = { id: 422488004 };

/** §14.3 `GET /categories?parent=0&productIds=true&limit=2` */
export const ECWID_FIXTURE_CATEGORY_PAGE: EcwidPage<EcwidCategory> = {
  total: 3,
  count: 2,
  offset: 0,
  limit: 2,
  items: [
    {
      id: 9691094,
      orderBy: 10,
      name: "Apparel",
      nameTranslated: { en: "Apparel" },
      description: "<p>Clothes</p>",
      enabled: true,
      productIds: [700100200, 700100201],
      productCount: 2,
      enabledProductCount: 2,
      url: "https://store1003.company.site/products/apparel",
      thumbnailUrl: "https://example.invalid/c/400.jpg",
    },
    {
      id: 9691095,
      parentId: 0,
      orderBy: 20,
      name: "Accessories",
      nameTranslated: { en: "Accessories" },
      description: "",
      enabled: true,
      productIds: [],
      productCount: 0,
      enabledProductCount: 0,
      url: "https://store1003.company.site/products/accessories",
    },
  ],
};

/** §14.4 `GET /orders/XJ12H` */
export const ECWID_FIXTURE_ORDER: EcwidOrder = {
  id: "XJ12H",
  internalId: 547872251,
  orderNumber: 547872251,
  vendorOrderNumber: "XJ12H",
  publicUid: "XJ12H",
  email: "buyer@example.com",
  paymentMethod: "Phone order",
  paymentModule: "",
  paymentStatus: "PAID",
  fulfillmentStatus: "AWAITING_PROCESSING",
  subtotal: 42,
  subtotalWithoutTax: 42,
  total: 55.36,
  totalWithoutTax: 52,
  tax: 3.36,
  usdTotal: 55.36,
  pricesIncludeTax: false,
  couponDiscount: 0,
  discount: 0,
  volumeDiscount: 0,
  membershipBasedDiscount: 0,
  totalAndMembershipBasedDiscount: 0,
  customDiscount: [],
  customSurcharges: [],
  customerId: 177737165,
  customerGroupId: 0,
  customerGroup: "General",
  customerTaxExempt: false,
  customerTaxId: "",
  customerTaxIdValid: false,
  reversedTaxApplied: false,
  b2b_b2c: "b2b",
  acceptMarketing: false,
  ipAddress: "203.0.113.7",
  refererUrl: "https://store1003.company.site/products/",
  createDate: "2024-06-01 10:15:00 +0000",
  updateDate: "2024-06-01 10:16:30 +0000",
  createTimestamp: 1717236900,
  updateTimestamp: 1717236990,
  hidden: false,
  orderComments: "Please ring the bell",
  privateAdminNotes: "VIP",
  items: [
    {
      id: 1828115520,
      productId: 700100200,
      combinationId: 422488001,
      categoryId: 9691094,
      sku: "TSHIRT-M-BLK",
      name: "Logo T-Shirt",
      quantity: 2,
      price: 20,
      productPrice: 20,
      priceWithoutTax: 20,
      tax: 3.2,
      shipping: 0,
      quantityInStock: 5,
      weight: 0.25,
      isShippingRequired: true,
      trackQuantity: true,
      digital: false,
      couponApplied: false,
      fixedShippingRateOnly: false,
      fixedShippingRate: 0,
      taxable: true,
      selectedOptions: [
        {
          name: "Size",
          type: "CHOICE",
          value: "M",
          valuesArray: ["M"],
          selections: [{ selectionTitle: "M", selectionModifier: 0, selectionModifierType: "ABSOLUTE" }],
        },
        {
          name: "Color",
          type: "CHOICE",
          value: "Black",
          valuesArray: ["Black"],
          selections: [{ selectionTitle: "Black", selectionModifier: 0, selectionModifierType: "ABSOLUTE" }],
        },
      ],
      taxes: [
        {
          name: "State tax",
          value: 8,
          total: 3.2,
          taxOnDiscountedSubtotal: 3.2,
          taxOnShipping: 0,
          includeInPrice: false,
          sourceTaxRateId: 1117939042,
          sourceTaxRateType: "MANUAL",
          taxClassCode: "default",
        },
      ],
      dimensions: { length: 30, width: 20, height: 2 },
      discounts: [],
    },
    {
      id: 1828115521,
      productId: 700100300,
      categoryId: 0,
      sku: "MUG-01",
      name: "Mug",
      quantity: 1,
      price: 2,
      productPrice: 2,
      tax: 0.16,
      shipping: 0,
      quantityInStock: 40,
      weight: 0.4,
      isShippingRequired: true,
      trackQuantity: true,
      digital: false,
      couponApplied: false,
      selectedOptions: [],
      taxes: [{ name: "State tax", value: 8, total: 0.16, includeInPrice: false }],
    },
  ],
  billingPerson: {
    name: "Jane Doe",
    firstName: "Jane",
    lastName: "Doe",
    companyName: "Acme Widgets LLC",
    street: "1 Main St\nSuite 200",
    city: "Springfield",
    countryCode: "US",
    countryName: "United States",
    postalCode: "62701",
    stateOrProvinceCode: "IL",
    stateOrProvinceName: "Illinois",
    phone: "+1 217 555 0100",
  },
  shippingPerson: {
    name: "Jane Doe",
    companyName: "Acme Widgets LLC",
    street: "1 Main St\nSuite 200",
    city: "Springfield",
    countryCode: "US",
    countryName: "United States",
    postalCode: "62701",
    stateOrProvinceCode: "IL",
    stateOrProvinceName: "Illinois",
    phone: "+1 217 555 0100",
  },
  shippingOption: {
    shippingMethodId: "6589-1709547151586",
    shippingCarrierName: "USPS",
    shippingMethodName: "USPS Priority Mail",
    shippingRate: 10,
    shippingRateWithoutTax: 10,
    estimatedTransitTime: "1-3",
    isPickup: false,
    fulfillmentType: "SHIPPING",
  },
  handlingFee: { name: "Handling Fee", value: 0, description: "" },
  taxesOnShipping: [],
  predictedPackage: [{ length: 30, width: 20, height: 6, weight: 0.9, declaredValue: 42 }],
  refundedAmount: 0,
  refunds: [],
  extraFields: {},
  orderExtraFields: [],
  additionalInfo: {},
  paymentParams: {},
  trackingNumber: "",
  disableAllCustomerNotifications: false,
  externalFulfillment: false,
  externalOrderId: "",
};

/** §14.5 `POST /orders` request and response, then the status-only update */
export const ECWID_FIXTURE_ORDER_CREATE: EcwidOrderWrite = {
  email: "buyer@example.com",
  paymentMethod: "Invoice",
  paymentStatus: "PAID",
  fulfillmentStatus: "AWAITING_PROCESSING",
  subtotal: 40,
  total: 50,
  tax: 0,
  createDate: "2024-06-02 08:00:00 +0000",
  items: [
    {
      productId: 700100200,
      combinationId: 422488001,
      sku: "TSHIRT-M-BLK",
      name: "Logo T-Shirt",
      quantity: 2,
      price: 20,
      selectedOptions: [
        { name: "Size", type: "CHOICE", value: "M" },
        { name: "Color", type: "CHOICE", value: "Black" },
      ],
    },
  ],
  billingPerson: {
    name: "Jane Doe",
    companyName: "Acme Widgets LLC",
    street: "1 Main St",
    city: "Springfield",
    countryCode: "US",
    postalCode: "62701",
    stateOrProvinceCode: "IL",
    phone: "+1 217 555 0100",
  },
  shippingPerson: {
    name: "Jane Doe",
    companyName: "Acme Widgets LLC",
    street: "1 Main St",
    city: "Springfield",
    countryCode: "US",
    postalCode: "62701",
    stateOrProvinceCode: "IL",
    phone: "+1 217 555 0100",
  },
  shippingOption: { shippingMethodName: "Courier", shippingRate: 10, fulfillmentType: "DELIVERY" },
  externalFulfillment: true,
  externalOrderId: "ERP-100045",
  privateAdminNotes: "Imported by gateway",
  disableAllCustomerNotifications: true,
};
export const ECWID_FIXTURE_ORDER_CREATE_RESPONSE = { id: 547872260, orderId: "TL3E4" };
export const ECWID_FIXTURE_ORDER_STATUS_UPDATE: EcwidOrderWrite = {
  fulfillmentStatus: "SHIPPED",
  trackingNumber: "9400111899223197428490",
};

/** §14.6 `GET /customers/177737165` */
export const ECWID_FIXTURE_CUSTOMER: EcwidCustomer = {
  id: 177737165,
  email: "buyer@example.com",
  name: "Jane Doe",
  registered: "2023-02-11 14:05:58 +0000",
  updated: "2024-06-02 08:00:05 +0000",
  customerGroupId: 0,
  customerGroupName: "General",
  billingPerson: {
    name: "Jane Doe",
    firstName: "Jane",
    lastName: "Doe",
    companyName: "Acme Widgets LLC",
    street: "1 Main St",
    city: "Springfield",
    countryCode: "US",
    countryName: "United States",
    postalCode: "62701",
    stateOrProvinceCode: "IL",
    stateOrProvinceName: "Illinois",
    phone: "+1 217 555 0100",
  },
  shippingAddresses: [
    {
      id: 8315122,
      name: "Jane Doe",
      companyName: "Acme Widgets LLC",
      street: "1 Main St",
      city: "Springfield",
      countryCode: "US",
      countryName: "United States",
      postalCode: "62701",
      stateOrProvinceCode: "IL",
      stateOrProvinceName: "Illinois",
      phone: "+1 217 555 0100",
      defaultAddress: true,
      addressFormatted: "1 Main St, Springfield, Illinois, United States",
    },
  ],
  contacts: [
    {
      id: 113861381,
      contact: "buyer@example.com",
      type: "EMAIL",
      default: true,
      orderBy: 0,
      timestamp: "2023-02-11 14:05:58 +0000",
    },
  ],
  taxId: "",
  taxIdValid: true,
  taxExempt: false,
  b2b_b2c: "b2b",
  acceptMarketing: false,
  lang: "en",
  stats: {
    numberOfOrders: 2,
    salesValue: 105.36,
    averageOrderValue: 52.68,
    firstOrderDate: "2024-06-01 10:15:00 +0000",
    lastOrderDate: "2024-06-02 08:00:00 +0000",
  },
  privateAdminNotes: "",
  favorites: [],
};

/** §14.7 webhooks, signed with this client secret */
export const ECWID_FIXTURE_WEBHOOK_SECRET = "test_client_secret_123";
export const ECWID_FIXTURE_WEBHOOK_ORDER = {
  eventId: "5b1f0c3e-8d2a-4e7b-9a61-2f4c7d9e0b13",
  eventCreated: 1717000000,
  storeId: 1003,
  entityId: 547872251,
  eventType: "order.updated",
  data: {
    orderId: "XJ12H",
    oldPaymentStatus: "AWAITING_PAYMENT",
    newPaymentStatus: "PAID",
    oldFulfillmentStatus: "AWAITING_PROCESSING",
    newFulfillmentStatus: "AWAITING_PROCESSING",
  },
};
export const ECWID_FIXTURE_WEBHOOK_ORDER_SIGNATURE = "hO4aOKjQv4mqgVT9j2eKxnfXlYWo6PJ1WoNA93aYtc0=";
export const ECWID_FIXTURE_WEBHOOK_PRODUCT = {
  eventId: "08a78904-4c1a-0aa0-953a-2e33c56236f1",
  eventCreated: 1469429915,
  storeId: 1003,
  entityId: 700100200,
  eventType: "product.updated",
};
export const ECWID_FIXTURE_WEBHOOK_PRODUCT_SIGNATURE = "k/+QxprIYEZHglS+5MZdtGOvaNbhT+ajIYi314WAgHk=";

/** §14.8 error bodies (404, 409 duplicate SKU, 429 with `Retry-After: 12`) */
export const ECWID_FIXTURE_ERRORS = {
  notFound: { errorMessage: "Product #999 not found", errorCode: "PRODUCT_NOT_FOUND" },
  skuExists: {
    errorMessage: "Product with SKU 'TSHIRT-BASE' already exists",
    errorCode: "SKU_ALREADY_EXISTS",
  },
  rateLimited: { errorMessage: "Too many requests", errorCode: "RATE_LIMITED" },
};

/** §14.9 `PUT /products/700100300/inventory`: request, normal and negative-stock responses */
export const ECWID_FIXTURE_INVENTORY = {
  request: { quantityDelta: -3 },
  response: { updateCount: 1 },
  negativeResponse: { updateCount: 1, warning: "Product has negative stock." },
};

/** §14.10 `POST /batch?stopOnFirstFailure=false`, its create response, and the status with escapedJson=true */
export const ECWID_FIXTURE_BATCH_REQUEST: EcwidBatchRequest[] = [
  { id: "adj-1", path: "/products/700100300/inventory", method: "PUT", body: { quantityDelta: -1 } },
  { id: "get-1", path: "/products/700100300?responseFields=id,quantity", method: "GET", body: "" },
  { id: "bad-1", path: "/products/999", method: "GET", body: "" },
];
export const ECWID_FIXTURE_BATCH_CREATE_RESPONSE = { ticket: "11d140a2-966f-4a9f-b4e6-fc451bc78979" };
export const ECWID_FIXTURE_BATCH_STATUS: EcwidBatchStatusWire = {
  status: "COMPLETED",
  totalRequests: 3,
  completedRequests: 3,
  responses: [
    {
      id: "adj-1",
      status: "COMPLETED",
      escapedHttpBody: '{"updateCount":1}',
      httpStatusCode: 200,
      httpStatusLine: "OK",
    },
    {
      id: "get-1",
      status: "COMPLETED",
      escapedHttpBody: '{"id":700100300,"quantity":35}',
      httpStatusCode: 200,
      httpStatusLine: "OK",
    },
    {
      id: "bad-1",
      status: "FAILED",
      escapedHttpBody: '{"errorMessage":"Product #999 not found","errorCode":"PRODUCT_NOT_FOUND"}',
      httpStatusCode: 404,
      httpStatusLine: "Not Found",
    },
  ],
};

// ------------------------------------------------------------------ companions (not in §14)

/** Companion: the mug of §14.4 and §14.10 (36 in stock, so the batch's −1 reads back 35 as in §14.10). */
export const ECWID_COMPANION_MUG: EcwidProduct = {
  id: 700100300,
  sku: "MUG-01",
  quantity: 36,
  unlimited: false,
  inStock: true,
  name: "Mug",
  price: 2,
  tax: {
    taxable: true,
    defaultLocationIncludedTaxRate: 0,
    enabledManualTaxes: [1117939042],
    taxClassCode: "default",
  },
  enabled: true,
  weight: 0.4,
  created: "2024-05-01 09:05:00 +0000",
  updated: "2024-05-01 09:05:00 +0000",
  createTimestamp: 1714554300,
  updateTimestamp: 1714554300,
  categoryIds: [],
  attributes: [],
  options: [],
  combinations: [],
};

/** Companion: the second product of the "Apparel" category in §14.3. */
export const ECWID_COMPANION_CAP: EcwidProduct = {
  id: 700100201,
  sku: "CAP-01",
  quantity: 7,
  unlimited: false,
  inStock: true,
  name: "Logo Cap",
  price: 12,
  enabled: true,
  created: "2024-05-01 09:10:00 +0000",
  updated: "2024-05-01 09:10:00 +0000",
  createTimestamp: 1714554600,
  updateTimestamp: 1714554600,
  categoryIds: [9691094],
  attributes: [],
  options: [],
  combinations: [],
};

/** Companion: the third root category counted by §14.3's `total: 3`. */
export const ECWID_COMPANION_CATEGORY: EcwidCategory = {
  id: 9691096,
  orderBy: 30,
  name: "Gifts",
  nameTranslated: { en: "Gifts" },
  description: "",
  enabled: true,
  url: "https://store1003.company.site/products/gifts",
};

/** Everything above as a sandbox seed (store 1003). */
export const ECWID_FIXTURE_SEED = {
  products: [ECWID_FIXTURE_PRODUCT, ECWID_COMPANION_CAP, ECWID_COMPANION_MUG],
  categories: [...ECWID_FIXTURE_CATEGORY_PAGE.items, ECWID_COMPANION_CATEGORY],
  customers: [ECWID_FIXTURE_CUSTOMER],
  orders: [ECWID_FIXTURE_ORDER],
};
