import { ccvDate } from "../../connectors/ccv-salespos/ccv.auth";
import type { CcvWebhookEvent } from "../../connectors/ccv-salespos/ccv.vendor-facts";
import type { Rec } from "./ccv.table";
import {
  CcvAttributes,
  CcvAttributeValues,
  CcvCombinations,
  CcvProductAttributeValues,
} from "./resources/attributes.resource";
import { CcvCategories, CcvProductToCategories } from "./resources/categories.resource";
import { CcvOrders } from "./resources/orders.resource";
import { CcvProducts, type ProductRec, type ProductSeed } from "./resources/products.resource";
import {
  CcvProductToPropertyGroups,
  CcvProperties,
  CcvPropertyGroups,
  CcvPropertyOptions,
  CcvPropertyValues,
} from "./resources/properties.resource";
import { CcvUsers, type UserRec } from "./resources/users.resource";
import { CcvPackages, CcvPaymethods, CcvWebshop, type CcvSandboxSeed } from "./resources/webshops.resource";
import { CcvWebhooks } from "./resources/webhooks.resource";
import { CcvProductPhotos } from "./resources/photos.resource";

/**
 * The CCV sandbox's in-memory shop: one table per resource (each defined with its behaviour,
 * validation and rendering in `resources/`, reference §5, §8) and what they share — the API root
 * for hrefs, the clock, and the event sink the server turns into webhook deliveries. No HTTP here.
 *
 * Choices where the reference says [unknown] are marked [sandbox].
 */

export type { CategoryRec, ProductToCategoryRec } from "./resources/categories.resource";
export type {
  AttributeRec,
  AttributeValueRec,
  CombinationRec,
  ProductAttributeValueRec,
} from "./resources/attributes.resource";
export type { OrderRec, OrderRowRec } from "./resources/orders.resource";
export type { ProductRec } from "./resources/products.resource";
export type {
  ProductToPropertyGroupRec,
  PropertyGroupRec,
  PropertyOptionRec,
  PropertyRec,
  PropertyValueRec,
} from "./resources/properties.resource";
export type { UserRec } from "./resources/users.resource";
export type { PhotoRec } from "./resources/photos.resource";
export type { WebhookRec } from "./resources/webhooks.resource";
export type { CcvSandboxSeed, PackageRec, PaymethodRec } from "./resources/webshops.resource";

type Emit = (event: CcvWebhookEvent, payload: Rec) => void;

export interface CcvStoreOptions {
  salesPos: boolean;
  /** §5.6.2 [unknown]: whether API orders change stock; here behind a flag (default off) */
  decrementStockOnOrder: boolean;
  /**
   * §3.4 [unknown] the item shape GET /productqueries answers with (may be changed on a running
   * sandbox): "products-with-combinations" (default) — each product once with its matching
   * combinations embedded; "products" — the same products without them; "combinations" — a matching
   * combination as its own item (`id`, `product_id`), a product only where its own numbers match.
   */
  productQueryItems: CcvProductQueryItems;
  seed: CcvSandboxSeed;
}

export type CcvProductQueryItems = "products-with-combinations" | "products" | "combinations";

export class CcvStore {
  /** `https://host/api/rest/v1` — set by the server once it listens */
  apiRoot = "";

  // one table per resource (see resources/); all are built before any is used
  readonly webshop: CcvWebshop;
  readonly packages: CcvPackages;
  readonly paymethods: CcvPaymethods;
  readonly products: CcvProducts;
  readonly categories: CcvCategories;
  readonly productToCategories: CcvProductToCategories;
  readonly attributes: CcvAttributes;
  readonly attributeValues: CcvAttributeValues;
  readonly productAttributeValues: CcvProductAttributeValues;
  readonly combinations: CcvCombinations;
  readonly propertyGroups: CcvPropertyGroups;
  readonly properties: CcvProperties;
  readonly propertyOptions: CcvPropertyOptions;
  readonly productToPropertyGroups: CcvProductToPropertyGroups;
  readonly propertyValues: CcvPropertyValues;
  readonly orders: CcvOrders;
  readonly users: CcvUsers;
  readonly webhooks: CcvWebhooks;
  readonly productPhotos: CcvProductPhotos;

  private sink: Emit = () => undefined;
  private muted = false;

  constructor(readonly options: CcvStoreOptions) {
    this.webshop = new CcvWebshop(this, options.seed);
    this.packages = new CcvPackages(this, options.seed);
    this.paymethods = new CcvPaymethods(this, options.seed);
    this.products = new CcvProducts(this);
    this.categories = new CcvCategories(this);
    this.productToCategories = new CcvProductToCategories(this);
    this.attributes = new CcvAttributes(this);
    this.attributeValues = new CcvAttributeValues(this);
    this.productAttributeValues = new CcvProductAttributeValues(this);
    this.combinations = new CcvCombinations(this);
    this.propertyGroups = new CcvPropertyGroups(this);
    this.properties = new CcvProperties(this);
    this.propertyOptions = new CcvPropertyOptions(this);
    this.productToPropertyGroups = new CcvProductToPropertyGroups(this);
    this.propertyValues = new CcvPropertyValues(this);
    this.orders = new CcvOrders(this);
    this.users = new CcvUsers(this);
    this.webhooks = new CcvWebhooks(this);
    this.productPhotos = new CcvProductPhotos(this);
  }

  /** The server wires webhook delivery here. */
  onEvent(emit: Emit): void {
    this.sink = emit;
  }

  emit(event: CcvWebhookEvent, payload: Rec): void {
    if (!this.muted) this.sink(event, payload);
  }

  /** §5.9.3 [inferred] products.*, categories.*: `{triggered_at, href, id}`. */
  emitEntity(event: CcvWebhookEvent, path: string, id: number): void {
    this.emit(event, { triggered_at: this.now(), href: `${this.apiRoot}${path}`, id });
  }

  /** Runs `fn` without firing webhooks (seeding). */
  quietly<T>(fn: () => T): T {
    const was = this.muted;
    this.muted = true;
    try {
      return fn();
    } finally {
      this.muted = was;
    }
  }

  /** `<api root><path>/`, the form of every `href` CCV writes */
  href(path: string): string {
    return `${this.apiRoot}${path}/`;
  }

  /** The shop's own URL (the API root without `/api/rest/v1`), for deeplinks. */
  shopRoot(): string {
    return this.apiRoot.replace(/\/api\/rest\/v1$/, "");
  }

  now(): string {
    return this.frozenAt ?? ccvDate();
  }

  private frozenAt: string | null = null;

  /**
   * Stops the shop's clock at `at` (null: runs again) — for tests of changes within one second:
   * every `triggered_at`, `modifydate` and `createdate` written meanwhile is `at`.
   */
  freezeClock(at: string | null): void {
    this.frozenAt = at;
  }

  // -------------------------------------------------------------------------------------------
  // seeding and shortcuts for tests, benchmarks and the demo: no signatures, no limits

  /** Adds a product directly (no webhook); `fields` uses the POST field names (price, discount, active…). */
  seedProduct(fields: ProductSeed): ProductRec {
    return this.products.seed(fields);
  }

  /** Adds many products at once (paging tests). */
  seedProducts(count: number, make: (i: number) => ProductSeed): ProductRec[] {
    return Array.from({ length: count }, (_, i) => this.products.seed(make(i)));
  }

  seedUser(email: string, userinfo: Rec = {}, username = email): UserRec {
    return this.users.seed(email, userinfo, username);
  }

  getProduct(id: number) {
    return this.products.require(id);
  }
  patchProduct(id: number, body: unknown) {
    this.products.patch(id, body);
  }
  deleteProduct(id: number) {
    this.products.remove(id);
  }
  createCategory(body: unknown) {
    return this.categories.create(body);
  }
  createAttribute(body: unknown) {
    return this.attributes.create(body);
  }
  createAttributeValue(attributeId: number, body: unknown) {
    return this.attributeValues.create(attributeId, body);
  }
  getProductAttributeValue(id: number) {
    return this.productAttributeValues.require(id);
  }
  createProductAttributeValue(productId: number, body: unknown) {
    return this.productAttributeValues.create(productId, body);
  }
  combinationsOf(productId: number) {
    return this.combinations.ofProduct(productId);
  }
  patchCombination(id: number, body: unknown) {
    this.combinations.patch(id, body);
  }
  getOrder(id: number) {
    return this.orders.require(id);
  }
  createOrder(body: unknown) {
    return this.orders.create(body);
  }
  patchOrder(id: number, body: unknown) {
    this.orders.patch(id, body);
  }
  renderOrder(o: Parameters<CcvOrders["render"]>[0]) {
    return this.orders.render(o);
  }
  deleteUser(id: number) {
    this.users.remove(id);
  }
}
