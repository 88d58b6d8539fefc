import type {
  EcwidCategory,
  EcwidCustomer,
  EcwidOrder,
  EcwidProduct,
  EcwidStoreProfile,
} from "../../connectors/ecwid/ecwid.types";
import { EcwidCategories } from "./resources/categories.resource";
import { EcwidCombinations } from "./resources/combinations.resource";
import { EcwidCustomers } from "./resources/customers.resource";
import { EcwidImages } from "./resources/images.resource";
import { EcwidInventory } from "./resources/inventory.resource";
import { EcwidOrders, type OrderRow } from "./resources/orders.resource";
import { EcwidProducts } from "./resources/products.resource";
import { EcwidProfile } from "./resources/profile.resource";

/**
 * The Ecwid sandbox's in-memory store: one table (or view) per resource, each defined with its
 * behaviour, validation and rendering in `resources/` (reference §6–§10), and what they share — the
 * store id, the clock and the event sink the server turns into webhook deliveries (§11). HTTP
 * concerns (auth, limits, paging, query parsing) live in the server and the routes.
 */

/** Emitted on every change; the server turns them into webhook deliveries (§11). */
export type EcwidStoreEventSink = (
  eventType: string,
  entityId: number | string,
  data?: Record<string, unknown>,
) => void;

export interface EcwidSandboxStoreOptions {
  storeId: number;
  profile: EcwidStoreProfile;
  /** epoch ms */
  clock: () => number;
  onEvent: EcwidStoreEventSink;
}

export class EcwidSandboxStore {
  readonly storeId: number;
  readonly profile: EcwidProfile;
  readonly products: EcwidProducts;
  readonly combinations: EcwidCombinations;
  readonly inventory: EcwidInventory;
  readonly images: EcwidImages;
  readonly categories: EcwidCategories;
  readonly customers: EcwidCustomers;
  readonly orders: EcwidOrders;
  /** sends one event to the server's webhook dispatcher */
  readonly emit: EcwidStoreEventSink;
  private readonly clock: () => number;

  constructor(o: EcwidSandboxStoreOptions) {
    this.storeId = o.storeId;
    this.clock = o.clock;
    this.emit = o.onEvent;
    this.profile = new EcwidProfile(this, o.profile);
    this.products = new EcwidProducts(this);
    this.combinations = new EcwidCombinations(this);
    this.inventory = new EcwidInventory(this);
    this.images = new EcwidImages(this);
    this.categories = new EcwidCategories(this);
    this.customers = new EcwidCustomers(this);
    this.orders = new EcwidOrders(this);
  }

  /** unix seconds */
  now(): number {
    return Math.floor(this.clock() / 1000);
  }

  // ---------------------------------------------------------------------------------------------
  // seeding and shortcuts for tests, benchmarks and the demo: no auth, no limits

  /** Stores a product exactly as given (e.g. a §14 fixture); ids and timestamps are kept. */
  seedProduct(p: EcwidProduct): void {
    this.products.seed(p);
  }
  seedCategory(c: EcwidCategory): void {
    this.categories.seed(c);
  }
  seedCustomer(c: EcwidCustomer): void {
    this.customers.seed(c);
  }
  seedOrder(o: EcwidOrder): void {
    this.orders.seed(o);
  }

  getProduct(id: number): EcwidProduct {
    return this.products.read(id);
  }
  createCategory(body: unknown): number {
    return this.categories.create(body);
  }
  updateCategory(id: number, body: unknown): number {
    return this.categories.update(id, body);
  }
  findCustomerIdByEmail(email: string): number | undefined {
    return this.customers.idByEmail(email);
  }
  getCustomer(id: number): EcwidCustomer {
    return this.customers.read(id);
  }
  createOrder(body: unknown): { id: number; orderId: string } {
    return this.orders.create(body);
  }
  updateOrder(key: string, body: unknown): number {
    return this.orders.update(key, body);
  }
  orderRows(): OrderRow[] {
    return this.orders.rows();
  }
  getOrder(key: string): EcwidOrder {
    return this.orders.read(key);
  }
  /** Whether the order has taken stock and not given it back (§8.7 "stock applied" flag). */
  orderStockApplied(key: string): boolean {
    return this.orders.stockApplied(key);
  }
  renderOrder(row: OrderRow): EcwidOrder {
    return this.orders.render(row);
  }
}
