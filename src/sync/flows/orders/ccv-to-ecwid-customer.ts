import { ccvPersonalinfoToCustomer, emailHash, type CcvOrder } from "../../../connectors/ccv-salespos";
import {
  isEcwidDuplicateCustomer,
  toEcwidCustomerWrite,
  type EcwidCustomer,
  type EcwidCustomerWrite,
} from "../../../connectors/ecwid";
import { normalizeEmail } from "../../../domain/party";
import { ItemFailure, type FlowRuntime, type LinkWrite } from "../../engine/flow-definition";

/**
 * The Ecwid customer of a CCV SalesPOS order (ORDERS_CCV_TO_ECWID). Customers are matched by e-mail
 * (as the hosted integration does): the order's Personalinfo e-mail, normalised. The order carries
 * that e-mail and the customer's id, so Ecwid attaches the order to the customer (Ecwid §8.6).
 */
export interface EcwidOrderCustomer {
  /** the e-mail the Ecwid order carries */
  email: string;
  /** the Ecwid customer id; undefined while the customer still has to be created */
  ecwidId?: number;
  /** the body that creates the customer when it does not exist yet */
  createBody: EcwidCustomerWrite;
  /**
   * the CCV side of the CUSTOMER link: the CCV user id when the order belongs to an account, else
   * `email:<sha256 of the normalised e-mail>` (a guest has no id); undefined for the default debtor
   */
  ccvKey?: string;
}

/** Ecwid customer ids by normalised e-mail, per run: many POS sales share one customer. */
const byEmail = (rt: FlowRuntime) =>
  rt.memo("ecwid-customers-by-email", async () => new Map<string, number | null>());

/** The customers those searches found, by id (a returning customer is compared with it, not read again). */
export const foundCustomers = (rt: FlowRuntime) =>
  rt.memo("ecwid-customers-found", async () => new Map<number, EcwidCustomer>());

async function findId(rt: FlowRuntime, email: string): Promise<number | undefined> {
  const cache = await byEmail(rt);
  if (!cache.has(email)) {
    const found = await rt.clients.ecwid.findCustomerByEmail(email);
    if (found) (await foundCustomers(rt)).set(found.id, found);
    cache.set(email, found?.id ?? null);
  }
  return cache.get(email) ?? undefined;
}

/**
 * Who the order is for, read-only (no customer is created here). With `useDefaultDebtor` every
 * order goes on the `defaultDebtor` e-mail; otherwise the order's own e-mail, and only a sale without
 * one (a walk-in customer) goes on `defaultDebtor` when it is set. Ecwid needs an e-mail (or a
 * customer id) to book the order and to move stock (Ecwid §8.6), so an order with neither fails.
 */
export async function findOrderCustomer(rt: FlowRuntime, order: CcvOrder): Promise<EcwidOrderCustomer> {
  const { useDefaultDebtor, defaultDebtor } = rt.settings;
  const own = normalizeEmail(order.customer?.email ?? null);
  const debtor = normalizeEmail(defaultDebtor);
  if ((useDefaultDebtor || !own) && debtor) {
    if (!debtor.includes("@")) {
      throw new ItemFailure(
        "SETTINGS",
        `defaultDebtor "${defaultDebtor}" is not an e-mail address; ORDERS_CCV_TO_ECWID books orders on an Ecwid customer by e-mail.`,
      );
    }
    return { email: debtor, ecwidId: await findId(rt, debtor), createBody: { email: debtor } };
  }
  if (!own) {
    throw new ItemFailure(
      "MISSING_CUSTOMER",
      "The CCV order has no customer e-mail, and Ecwid needs one to book the order and move its stock. Set defaultDebtor (e.g. a walk-in customer address) to book such sales on it.",
    );
  }
  const userId = order.user?.id;
  const customer = ccvPersonalinfoToCustomer(userId ? String(userId) : "", order.customer);
  return {
    email: own,
    ecwidId: await findId(rt, own),
    createBody: toEcwidCustomerWrite({ ...customer, email: own, isCompany: isBusiness(order) }),
    ccvKey: userId ? String(userId) : `email:${emailHash(own)}`,
  };
}

/** A business buyer: customertype b2b, or a company name on the billing address (CCV §5.7). */
export function isBusiness(order: CcvOrder): boolean {
  const c = ccvPersonalinfoToCustomer("", order.customer);
  return c.isCompany || c.companyName !== null;
}

/**
 * Creates the customer when it does not exist yet. A 409 means the e-mail is taken (created since our
 * read, or a timed-out create that did happen): the customer is read again and reused.
 */
export async function ensureOrderCustomer(
  rt: FlowRuntime,
  c: EcwidOrderCustomer,
): Promise<{ id: number; created: boolean }> {
  if (c.ecwidId !== undefined) return { id: c.ecwidId, created: false };
  const cache = await byEmail(rt);
  try {
    const { id } = await rt.clients.ecwid.createCustomer(c.createBody);
    cache.set(c.email, id);
    return { id, created: true };
  } catch (e) {
    if (!isEcwidDuplicateCustomer(e)) throw e;
    const existing = await rt.clients.ecwid.findCustomerByEmail(c.email);
    if (!existing) throw e;
    cache.set(c.email, existing.id);
    return { id: existing.id, created: false };
  }
}

/**
 * The CUSTOMER link to record, unless either side is linked already (the same pair, or a different
 * one that another flow made — that one is kept: links are unique on both sides).
 */
export async function customerLink(
  rt: FlowRuntime,
  c: EcwidOrderCustomer,
  ecwidId: number,
  created: boolean,
): Promise<LinkWrite[]> {
  if (!c.ccvKey) return [];
  const { byEcwid, byCcv } = await rt.links.bothSides("CUSTOMER", String(ecwidId), c.ccvKey);
  if (byEcwid || byCcv) return [];
  return [
    {
      entity: "CUSTOMER",
      ecwidId: String(ecwidId),
      ccvId: c.ccvKey,
      createdBy: created ? "ECWID" : "MATCHED",
    },
  ];
}
