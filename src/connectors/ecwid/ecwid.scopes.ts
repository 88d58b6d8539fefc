/**
 * Which access scopes an Ecwid endpoint needs (reference §1.3, per-endpoint table from [DOCNEW]).
 * The connector uses it to name the missing scope in words when Ecwid answers 403
 * INSUFFICIENT_APP_SCOPE (the error body does not say which); the sandbox uses it to enforce them.
 */

export type EcwidScope =
  | "read_store_profile"
  | "update_store_profile"
  | "read_catalog"
  | "update_catalog"
  | "create_catalog"
  | "update_catalog_batch_delete"
  | "read_orders"
  | "update_orders"
  | "create_orders"
  | "read_customers"
  | "update_customers"
  | "create_customers";

/** Every data scope the sandbox grants by default. */
export const ALL_ECWID_SCOPES: readonly EcwidScope[] = [
  "read_store_profile",
  "update_store_profile",
  "read_catalog",
  "update_catalog",
  "create_catalog",
  "update_catalog_batch_delete",
  "read_orders",
  "update_orders",
  "create_orders",
  "read_customers",
  "update_customers",
  "create_customers",
];

/** The read scopes the gateway's flows need; `testConnection` probes each of them. */
export const ECWID_SCOPES_NEEDED_FOR_READS: readonly EcwidScope[] = [
  "read_store_profile",
  "read_catalog",
  "read_orders",
  "read_customers",
];

/** What a scope lets the gateway do, for messages a shop owner understands. */
export const ECWID_SCOPE_PURPOSE: Record<EcwidScope, string> = {
  read_store_profile: "read the store profile",
  update_store_profile: "change the store profile",
  read_catalog: "read products and categories",
  update_catalog: "change products, stock and categories",
  create_catalog: "create products, variations and categories",
  update_catalog_batch_delete: "delete all products at once",
  read_orders: "read orders",
  update_orders: "change orders",
  create_orders: "create orders",
  read_customers: "read customers",
  update_customers: "change customers",
  create_customers: "create customers",
};

/**
 * Scopes needed by `method path`, where `path` is relative to `/api/v3/{storeId}` and carries no
 * query string. Unknown paths need none of the listed scopes (e.g. /batch: each inner request is
 * checked on its own).
 */
export function requiredEcwidScopes(method: string, path: string): EcwidScope[] {
  const m = method.toUpperCase();
  const seg = path.split("/").filter(Boolean);
  const [root, second, third] = seg;
  if (root === "profile") return m === "GET" ? ["read_store_profile"] : ["update_store_profile"];
  if (root === "latest-stats") return ["read_store_profile"];
  // deleted-items statistics are store-profile reads (§1.3 scope table)
  if (
    (root === "products" || root === "orders" || root === "customers") &&
    second === "deleted" &&
    seg.length === 2
  )
    return ["read_store_profile"];
  if (root === "products" || root === "categories" || root === "classes") {
    if (m === "GET") return ["read_catalog"];
    if (root === "products" && third === "combinations") {
      if (m === "POST" && seg.length === 3) return ["create_catalog"];
      return ["read_catalog", "update_catalog"];
    }
    if (m === "POST" && seg.length === 1) return ["create_catalog"];
    if (root === "products" && m === "DELETE" && seg.length === 1) return ["update_catalog_batch_delete"];
    // PUT/DELETE of products, categories, classes; inventory; assign/unassignProducts
    return ["update_catalog"];
  }
  if (root === "orders") {
    if (m === "GET") return ["read_orders"];
    if (m === "POST" && seg.length === 1) return ["create_orders"];
    return ["update_orders"];
  }
  if (root === "customers") {
    if (m === "GET") return ["read_customers"];
    if (m === "POST" && seg.length === 1) return ["create_customers"];
    return ["read_customers", "update_customers"];
  }
  return [];
}
