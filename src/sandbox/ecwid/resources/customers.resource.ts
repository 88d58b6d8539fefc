import { formatEcwidDate } from "../../../connectors/ecwid/ecwid.dates";
import type { EcwidCustomer, EcwidPerson } from "../../../connectors/ecwid/ecwid.types";
import {
  ECWID_DOCUMENTED_MESSAGES as DOC,
  ECWID_DUPLICATE_CUSTOMER_CODE,
  ECWID_INFERRED_MESSAGES as INF,
} from "../../../connectors/ecwid/ecwid.vendor-facts";
import {
  bool,
  contains,
  int,
  intList,
  list,
  paged,
  sortRows,
  time,
  within,
  type Query,
} from "../ecwid.query";
import type { EcwidSandboxStore } from "../ecwid.store";
import { EcwidTable, idParam, ok, toSeconds, type EcwidRouter, type Row } from "../ecwid.table";
import {
  checkFields,
  clone,
  EcwidApiError,
  isObj,
  requireObject,
  wrongParameter,
  type Json,
} from "../ecwid.validate";

/**
 * Customers (§9) and their search (§2.4): unique e-mail addresses (409 on a duplicate), shipping
 * addresses and contacts with ids of their own, order statistics kept by the orders.
 */

const COUNTRY_NAMES: Record<string, string> = {
  US: "United States",
  NL: "Netherlands",
  BE: "Belgium",
  DE: "Germany",
  FR: "France",
  GB: "United Kingdom",
};

/** countryName / stateOrProvinceName are output-only, derived from the codes (§5). */
export function withDerivedNames(p: EcwidPerson): EcwidPerson {
  const out = clone(p);
  if (out.countryCode && COUNTRY_NAMES[out.countryCode]) out.countryName = COUNTRY_NAMES[out.countryCode];
  return out;
}

export class EcwidCustomers extends EcwidTable<Row<EcwidCustomer>> {
  private nextId = 170_000_001;
  private nextAddressId = 8_000_001;
  private nextContactId = 110_000_001;

  constructor(store: EcwidSandboxStore) {
    super(store, (id) => new EcwidApiError(404, DOC.customerNotFound(id), "CUSTOMER_NOT_FOUND"));
  }

  seed(c: EcwidCustomer): void {
    const data = clone(c);
    const created = toSeconds(c.registered) ?? this.store.now();
    const updated = toSeconds(c.updated) ?? created;
    this.set(c.id, { data, created, updated });
    this.nextId = Math.max(this.nextId, c.id + 1);
  }

  idByEmail(email: string): number | undefined {
    const e = email.trim().toLowerCase();
    for (const [id, row] of this) if (row.data.email.trim().toLowerCase() === e) return id;
    return undefined;
  }

  private checkBody(b: Json): void {
    checkFields(b, {
      email: "string",
      billingPerson: "object",
      shippingAddresses: "array",
      contacts: "array",
      customerGroupId: "int",
      taxId: "string",
      taxExempt: "boolean",
      acceptMarketing: "boolean",
    });
    if (b.email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(String(b.email).trim()))
      throw wrongParameter("Field 'email' has a wrong value");
  }

  private shippingAddresses(input: unknown): EcwidCustomer["shippingAddresses"] {
    if (!Array.isArray(input)) return [];
    return input.filter(isObj).map((a) => {
      const person = withDerivedNames(a as EcwidPerson);
      const out = { ...person, id: typeof a.id === "number" ? a.id : this.nextAddressId++ } as NonNullable<
        EcwidCustomer["shippingAddresses"]
      >[number];
      out.addressFormatted = [person.street, person.city, person.stateOrProvinceName, person.countryName]
        .filter(Boolean)
        .join(", ");
      return out;
    });
  }

  create(body: unknown, internal: { silent?: boolean } = {}): number {
    const b = requireObject(body);
    this.checkBody(b);
    if (typeof b.email !== "string" || b.email.trim() === "")
      throw wrongParameter("Field 'email' is required");
    if (this.idByEmail(b.email) !== undefined) {
      throw new EcwidApiError(409, INF.customerExists(b.email), ECWID_DUPLICATE_CUSTOMER_CODE);
    }
    const id = this.nextId++;
    const now = this.store.now();
    const billing = isObj(b.billingPerson) ? withDerivedNames(b.billingPerson as EcwidPerson) : {};
    const c: EcwidCustomer = {
      id,
      email: b.email.trim(),
      name: billing.name ?? "",
      customerGroupId: 0,
      customerGroupName: "General",
      billingPerson: billing,
      shippingAddresses: this.shippingAddresses(b.shippingAddresses),
      contacts: [
        {
          id: this.nextContactId++,
          contact: b.email.trim(),
          type: "EMAIL",
          default: true,
          orderBy: 0,
          timestamp: formatEcwidDate(new Date(now * 1000)),
        },
      ],
      taxId: "",
      taxIdValid: true,
      taxExempt: false,
      b2b_b2c: billing.companyName ? "b2b" : "b2c",
      acceptMarketing: false,
      lang: "en",
      stats: { numberOfOrders: 0, salesValue: 0, averageOrderValue: 0 },
      privateAdminNotes: "",
      favorites: [],
    };
    const skip = new Set([
      "id",
      "email",
      "name",
      "billingPerson",
      "shippingAddresses",
      "registered",
      "updated",
      "stats",
      "password",
    ]);
    for (const [k, v] of Object.entries(b))
      if (!skip.has(k) && v !== undefined) (c as unknown as Json)[k] = clone(v);
    this.set(id, { data: c, created: now, updated: now });
    this.store.profile.touch("customersUpdated");
    if (!internal.silent) this.store.emit("customer.created", id, { customerEmail: c.email });
    return id;
  }

  update(id: number, body: unknown): number {
    const row = this.row(id);
    const b = requireObject(body);
    this.checkBody(b);
    if (typeof b.email === "string") {
      const other = this.idByEmail(b.email);
      if (other !== undefined && other !== id)
        throw new EcwidApiError(409, INF.customerExists(b.email), ECWID_DUPLICATE_CUSTOMER_CODE);
      row.data.email = b.email.trim();
    }
    if (isObj(b.billingPerson)) {
      row.data.billingPerson = withDerivedNames({
        ...(row.data.billingPerson ?? {}),
        ...(b.billingPerson as EcwidPerson),
      });
      row.data.name = row.data.billingPerson.name ?? "";
    }
    if (b.shippingAddresses !== undefined)
      row.data.shippingAddresses = this.shippingAddresses(b.shippingAddresses);
    const skip = new Set([
      "id",
      "email",
      "billingPerson",
      "shippingAddresses",
      "registered",
      "updated",
      "stats",
      "password",
      "name",
    ]);
    for (const [k, v] of Object.entries(b))
      if (!skip.has(k) && v !== undefined) (row.data as unknown as Json)[k] = clone(v);
    this.bump(row);
    this.store.profile.touch("customersUpdated");
    this.store.emit("customer.updated", id, { customerEmail: row.data.email });
    return 1;
  }

  remove(id: number): number {
    const row = this.get(id);
    if (!row) return 0;
    this.delete(id);
    this.logDeleted(id);
    this.store.profile.touch("customersUpdated");
    this.store.emit("customer.deleted", id, { customerEmail: row.data.email });
    return 1;
  }

  read(id: number): EcwidCustomer {
    return this.render(this.row(id));
  }

  render(row: Row<EcwidCustomer>): EcwidCustomer {
    const c = clone(row.data);
    c.registered = formatEcwidDate(new Date(row.created * 1000));
    c.updated = formatEcwidDate(new Date(row.updated * 1000));
    return c;
  }

  /** Search items also carry totalOrderCount (§9). */
  orderCountOf(customerId: number): number {
    return [...this.store.orders.values()].filter((o) => o.data.customerId === customerId).length;
  }

  /** GET /customers (§2.4), sorted by name unless asked otherwise. */
  search(q: Query): EcwidCustomer[] {
    const email = q.email?.trim().toLowerCase();
    const exact = bool(q, "useExactEmailMatch") ?? false;
    const keyword = q.keyword?.trim().toLowerCase();
    const name = q.name?.trim().toLowerCase();
    const createdFrom = time(q, "createdFrom");
    const createdTo = time(q, "createdTo");
    const updatedFrom = time(q, "updatedFrom");
    const updatedTo = time(q, "updatedTo");
    const groupIds =
      intList(q, "customerGroupIds") ??
      (int(q, "customerGroup") !== undefined ? [int(q, "customerGroup") as number] : undefined);
    let rows = this.rows().filter((r) => {
      const c = r.data;
      if (email !== undefined && (exact ? c.email.trim().toLowerCase() !== email : !contains(c.email, email)))
        return false;
      if (keyword && !contains(c.email, keyword) && !contains(c.name, keyword)) return false;
      if (name && !contains(c.billingPerson?.name ?? c.name, name)) return false;
      if (q.companyName && !contains(c.billingPerson?.companyName, q.companyName.toLowerCase())) return false;
      if (q.phone && !contains(c.billingPerson?.phone, q.phone.toLowerCase())) return false;
      if (q.city && !contains(c.billingPerson?.city, q.city.toLowerCase())) return false;
      if (q.postalCode && (c.billingPerson?.postalCode ?? "") !== q.postalCode) return false;
      if (q.countryCodes && !(list(q, "countryCodes") ?? []).includes(c.billingPerson?.countryCode ?? ""))
        return false;
      if (groupIds && !groupIds.includes(c.customerGroupId ?? 0)) return false;
      if (!within(r.created, createdFrom, createdTo) || !within(r.updated, updatedFrom, updatedTo))
        return false;
      return true;
    });
    rows = sortRows(rows, q.sortBy ?? "NAME_ASC", {
      NAME: (r) => (r.data.name ?? "").toLowerCase(),
      EMAIL: (r) => r.data.email.toLowerCase(),
      REGISTERED_DATE: (r) => r.created,
      UPDATED_DATE: (r) => r.updated,
      ORDER_COUNT: (r) => this.orderCountOf(r.data.id),
    });
    return rows.map((r) => this.render(r));
  }
}

export function customersRoutes(api: EcwidRouter, s: EcwidSandboxStore): void {
  const { customers } = s;
  api.on("GET", "/customers/deleted", (c) =>
    ok(paged(customers.deletedItems(time(c.query, "from_date"), time(c.query, "to_date")), c.query)),
  );
  api.on("GET", "/customers", (c) => {
    const items = customers
      .search(c.query)
      .map((x) => ({ ...x, totalOrderCount: customers.orderCountOf(x.id) }));
    return ok(paged(items, c.query, { allCustomerCount: customers.size }));
  });
  api.on("POST", "/customers", (c) => ok({ id: customers.create(c.body) }));
  api.on("GET", "/customers/{customerId}", (c) => ok(customers.read(idParam(c, "customerId"))));
  api.on("PUT", "/customers/{customerId}", (c) =>
    ok({ updateCount: customers.update(idParam(c, "customerId"), c.body) }),
  );
  api.on("DELETE", "/customers/{customerId}", (c) =>
    ok({ deleteCount: customers.remove(idParam(c, "customerId")) }),
  );
}
