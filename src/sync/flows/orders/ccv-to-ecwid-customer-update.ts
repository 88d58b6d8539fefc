import type { EcwidCustomer, EcwidCustomerWrite, EcwidPerson } from "../../../connectors/ecwid";
import { isConnectorError } from "../../../connectors/http/connector-error";
import { describeParty } from "../../../domain/party";
import { ItemFailure, type FlowRuntime } from "../../engine/flow-definition";
import { foundCustomers, type EcwidOrderCustomer } from "./ccv-to-ecwid-customer";

/**
 * A returning POS customer (ORDERS_CCV_TO_ECWID): a sale by someone Ecwid knows already (found by
 * e-mail) updates that Ecwid customer with the sale's data, as ORDERS_ECWID_TO_CCV updates a
 * returning CCV account. The data and the write policies are the order's own mappings of the
 * customer's fields — `billingPerson.*`, `b2b_b2c` and `customerTaxId` (Ecwid's `taxId`) — applied as
 * an update over the customer as Ecwid has it: ALWAYS writes, CREATE_ONLY leaves the customer's
 * value alone (it was written when the customer was created), FILL_IF_EMPTY writes only where the
 * customer has nothing, NEVER never. Only fields the sale carries are compared; only what differs
 * is written (Ecwid §9: a PUT is partial; the billing person is sent whole).
 *
 * Not updated: a customer the sale has just created (it has the sale's data), and the default
 * debtor a sale without e-mail is booked on (a walk-in account, not the buyer).
 */

export type FieldChange = { field: string; before: unknown; after: unknown };

/** Output-only PersonInfo fields (Ecwid §5): never sent back. */
const OUTPUT_ONLY = new Set(["countryName", "stateOrProvinceName"]);

const comparable = (v: unknown): unknown =>
  v === undefined || v === null || (typeof v === "string" && v.trim() === "")
    ? null
    : typeof v === "string"
      ? v.trim()
      : v;
const same = (a: unknown, b: unknown) => JSON.stringify(comparable(a)) === JSON.stringify(comparable(b));

/**
 * Updates the Ecwid customer of a returning buyer (no write in a dry run) and returns the changes,
 * under "customer.". `order` and `ctx` are the mapping input and `$ctx` the order is mapped with.
 */
export async function updateReturningCustomer(
  rt: FlowRuntime,
  args: { order: unknown; ctx: unknown; customer: EcwidOrderCustomer },
): Promise<FieldChange[]> {
  const { customer } = args;
  if (customer.ecwidId === undefined || customer.ccvKey === undefined) return [];
  const id = customer.ecwidId;
  const found = await foundCustomers(rt);
  const current: EcwidCustomer = found.get(id) ?? (await rt.clients.ecwid.getCustomer(id));
  const before = current.billingPerson ?? {};

  const { payload, errors } = await rt.mappings.apply(args.order, {
    isCreate: false,
    current: { billingPerson: before, b2b_b2c: current.b2b_b2c, customerTaxId: current.taxId },
    bindings: { ctx: args.ctx },
  });
  if (errors.length > 0)
    throw new ItemFailure("MAPPING", `The customer could not be mapped: ${errors.join("; ")}`);

  const changes: FieldChange[] = [];
  const body: EcwidCustomerWrite = {};
  const person = payload.billingPerson;
  if (person && typeof person === "object" && !Array.isArray(person)) {
    const merged: Record<string, unknown> = { ...before };
    for (const [k, v] of Object.entries(person as Record<string, unknown>)) {
      if (comparable(v) === null || same((before as Record<string, unknown>)[k], v)) continue;
      changes.push({
        field: `customer.billingPerson.${k}`,
        before: (before as Record<string, unknown>)[k] ?? null,
        after: v,
      });
      merged[k] = v;
    }
    if (changes.length > 0) {
      body.billingPerson = Object.fromEntries(
        Object.entries(merged).filter(([k]) => !OUTPUT_ONLY.has(k)),
      ) as EcwidPerson;
    }
  }
  const kind = payload.b2b_b2c;
  if ((kind === "b2b" || kind === "b2c") && !same(current.b2b_b2c, kind)) {
    changes.push({ field: "customer.b2b_b2c", before: current.b2b_b2c ?? null, after: kind });
    body.b2b_b2c = kind;
  }
  const taxId = payload.customerTaxId;
  if (typeof taxId === "string" && comparable(taxId) !== null && !same(current.taxId, taxId)) {
    changes.push({ field: "customer.taxId", before: current.taxId ?? null, after: taxId });
    body.taxId = taxId;
  }
  if (changes.length === 0 || rt.dryRun) return changes;

  try {
    await rt.clients.ecwid.updateCustomer(id, body);
  } catch (e) {
    if (isConnectorError(e) && e.code === "VALIDATION") {
      throw new ItemFailure(
        "CUSTOMER",
        `Ecwid refused the update of ${describeParty({ ecwidCustomer: String(id) })}: ${e.message}`,
      );
    }
    throw e;
  }
  // later sales of this customer in the run compare with what it has now
  found.set(id, {
    ...current,
    ...(body.billingPerson ? { billingPerson: body.billingPerson } : {}),
    ...(body.b2b_b2c ? { b2b_b2c: body.b2b_b2c } : {}),
    ...(body.taxId ? { taxId: body.taxId } : {}),
  });
  return changes;
}
