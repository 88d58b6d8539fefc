import {
  CCV_ERROR,
  emailHash,
  type CcvAddress,
  type CcvPersonalinfo,
  type CcvUser,
} from "../../../connectors/ccv-salespos";
import { isConnectorError } from "../../../connectors/http/connector-error";
import { describeParty, normalizeEmail } from "../../../domain/party";
import { ItemFailure, type FlowRuntime, type LinkWrite } from "../../engine/flow-definition";
import { diffFields } from "../../engine/hash";

/**
 * The CCV SalesPOS customer account (a `user`, CCV §5.7) of an Ecwid order, for ORDERS_ECWID_TO_CCV.
 * Matched by e-mail (normalised: trimmed, lower case) through the connector's e-mail index, as the
 * hosted integration does; created when missing, updated when the order's data differs (per the
 * write policies of the `customer.*` mappings, which the caller applies). CCV has no other debtor
 * resource: a guest order (no e-mail) carries its customer data only inside the order.
 */

export type FieldChange = { field: string; before: unknown; after: unknown };

/** The customer data an order would write: the `customer` subtree of the mapped order, per policy. */
export type PersonalinfoFor = (
  isCreate: boolean,
  current: CcvPersonalinfo | null,
) => Promise<CcvPersonalinfo>;

export interface CustomerOutcome {
  /** the account the order is booked on; undefined for a guest, or for a new account in a dry run */
  userId?: number;
  /** what happened (or, in a dry run, would happen) to the account */
  action: "CREATED" | "UPDATED" | "UNCHANGED";
  /** field changes under "customer." (what was written to the account) */
  changes: FieldChange[];
  links: LinkWrite[];
}

/** The Ecwid side of a CUSTOMER link: the Ecwid customer id, else a hash of the e-mail (a guest has no id). */
export function ecwidCustomerKey(customerId: number | undefined, email: string): string {
  return customerId ? String(customerId) : `email:${emailHash(email)}`;
}

/**
 * The CCV accounts this run created or updated, by e-mail hash, as they are after that write: a
 * customer's next order in the same run needs no `GET /users/{id}` to know what the account holds.
 * POST /users answers with the created user (CCV §4.1; what was sent stands in for a body without
 * userinfo), and a PATCH changes only the fields it carries (CCV §5), so the account is the one read
 * (or created) with the merged data laid over it. Like the run's other memos, a change made in the
 * CCV back office during the run is seen by the next run.
 */
const writtenUsers = (rt: FlowRuntime) =>
  rt.memo("ccv:users-written", async () => new Map<string, CcvUser>());

async function rememberUser(rt: FlowRuntime, email: string, user: CcvUser): Promise<void> {
  const h = emailHash(email);
  if (h && !rt.dryRun) (await writtenUsers(rt)).set(h, user);
}

/**
 * The CCV user with this e-mail: one this run wrote, else the connector's index (never a scan of
 * all users per order; an index hit reads the user once).
 */
export async function findCcvUser(rt: FlowRuntime, email: string): Promise<CcvUser | undefined> {
  const h = emailHash(email);
  const known = h ? (await writtenUsers(rt)).get(h) : undefined;
  return known ?? rt.clients.ccv.findUserByEmail(email);
}

/**
 * The account of `settings.defaultDebtor`: an e-mail address, or a CCV user id. Read once per run.
 * Fails the item with DEFAULT_DEBTOR when it is missing or does not exist.
 */
export function defaultDebtor(rt: FlowRuntime): Promise<CcvUser> {
  return rt.memo("ccv:default-debtor", async () => {
    const setting = rt.settings.defaultDebtor?.trim() ?? "";
    if (setting === "") {
      throw new ItemFailure(
        "DEFAULT_DEBTOR",
        "useDefaultDebtor is on, but no default debtor is set: set defaultDebtor to the e-mail address or the CCV customer number (user id) to book the orders on.",
      );
    }
    if (/^\d+$/.test(setting)) {
      try {
        return await rt.clients.ccv.getUser(setting);
      } catch (e) {
        if (isConnectorError(e) && e.code === "NOT_FOUND") {
          throw new ItemFailure(
            "DEFAULT_DEBTOR",
            `The default debtor ${setting} is not a customer in CCV SalesPOS (no user with that id).`,
          );
        }
        throw e;
      }
    }
    const user = await rt.clients.ccv.findUserByEmail(setting);
    if (!user) {
      throw new ItemFailure(
        "DEFAULT_DEBTOR",
        "The default debtor (the e-mail address in defaultDebtor) is not a customer in CCV SalesPOS (no account with that e-mail). Create it in CCV, or set its user id.",
      );
    }
    return user;
  });
}

/**
 * Creates or updates the CCV account for the order's e-mail (no write in a dry run). The account's
 * username is the e-mail (the connector sets it); a business gets `customertype b2b` and its company
 * on the billing address with the person's name as its contact — that is in the mapped data.
 */
export async function syncCcvCustomer(
  rt: FlowRuntime,
  args: { email: string; existing: CcvUser | undefined; ecwidKey: string; personalinfo: PersonalinfoFor },
): Promise<CustomerOutcome> {
  let existing = args.existing;
  if (!existing) {
    const info = await args.personalinfo(true, null);
    const changes = diffFields(null, info as Record<string, unknown>, "customer");
    if (rt.dryRun) return { action: "CREATED", changes, links: [] };
    try {
      const user = await rt.clients.ccv.createUser({ userinfo: info });
      await rememberUser(rt, args.email, { ...user, userinfo: user.userinfo ?? info });
      return {
        userId: user.id,
        action: "CREATED",
        changes,
        links: await customerLink(rt, args.ecwidKey, user.id, "CCV_SALESPOS"),
      };
    } catch (e) {
      // The username (the e-mail) is taken: an account made in the CCV back office after the
      // e-mail index was last refreshed, or by a parallel order of the same customer. Refresh the
      // index once and update that account instead of failing.
      if (!isConnectorError(e) || e.vendorCode !== CCV_ERROR.PROPERTY_ALREADY_EXISTS)
        throw customerFailure(e, args.ecwidKey);
      await rt.clients.ccv.refreshEmailIndex();
      existing = await rt.clients.ccv.findUserByEmail(args.email);
      if (!existing) throw customerFailure(e, args.ecwidKey);
    }
  }

  const user = existing;
  const current = user.userinfo ?? {};
  const desired = await args.personalinfo(false, current);
  const merged = mergePersonalinfo(current, desired);
  const changes = personalinfoChanges(current, merged);
  const links = await customerLink(rt, args.ecwidKey, user.id, "MATCHED");
  await rememberUser(rt, args.email, user);
  if (changes.length === 0) return { userId: user.id, action: "UNCHANGED", changes, links };
  if (!rt.dryRun) {
    // the changed parts are sent whole (an address with all its fields), whatever CCV's merge rules
    const touched = new Set(changes.map((c) => c.field.split(".")[1]));
    const userinfo = Object.fromEntries(
      Object.entries(merged).filter(([k]) => touched.has(k)),
    ) as CcvPersonalinfo;
    try {
      await rt.clients.ccv.updateUser(user.id, { userinfo });
    } catch (e) {
      throw customerFailure(e, args.ecwidKey, user.id);
    }
    await rememberUser(rt, args.email, { ...user, userinfo: merged });
  }
  return { userId: user.id, action: "UPDATED", changes, links };
}

/** A customer write CCV refuses (VALIDATION) fails the item with CUSTOMER, in words; other errors pass. */
function customerFailure(e: unknown, ecwidKey: string, userId?: number): unknown {
  if (isConnectorError(e) && e.code === "VALIDATION") {
    return new ItemFailure(
      "CUSTOMER",
      `CCV SalesPOS refused the customer account of ${describeParty({ ccvUser: userId, ecwidCustomer: ecwidKey })}: ${e.message}`,
    );
  }
  return e;
}

/**
 * The CUSTOMER link, unless either side is already linked to someone else (e.g. the Ecwid customer
 * changed e-mail, or the opposite flow linked a guest): a link is never moved silently.
 */
export async function customerLink(
  rt: FlowRuntime,
  ecwidId: string,
  userId: number,
  createdBy: LinkWrite["createdBy"],
): Promise<LinkWrite[]> {
  const ccvId = String(userId);
  const { byEcwid, byCcv } = await rt.links.bothSides("CUSTOMER", ecwidId, ccvId);
  if (byEcwid?.ccvId === ccvId) return [];
  if (byEcwid || byCcv) {
    rt.logger.info({ ecwidId, ccvId }, "CUSTOMER link not recorded: one side is linked to another record");
    return [];
  }
  return [{ entity: "CUSTOMER", ecwidId, ccvId, createdBy }];
}

// ---------------------------------------------------------------------------------------------
// comparing and merging Personalinfo

const ADDRESS_KEYS = ["billingaddress", "deliveryaddress"] as const;
// CCV takes an address either as free lines or as street + house number (CCV §5.7): writing one form
// clears the other, so an account never keeps a stale street next to new address lines.
const LINE_FORM: (keyof CcvAddress)[] = ["address_line_1", "address_line_2"];
const STREET_FORM: (keyof CcvAddress)[] = ["street", "housenumber", "housenumber_suffix"];

const isEmpty = (v: unknown) => v === undefined || v === null || v === "";

function mergeAddress(current: CcvAddress | null | undefined, desired: CcvAddress): CcvAddress {
  const out: CcvAddress = { ...(current ?? {}) };
  const has = (keys: (keyof CcvAddress)[]) => keys.some((k) => !isEmpty(desired[k]));
  const clear = has(STREET_FORM) ? LINE_FORM : has(LINE_FORM) ? STREET_FORM : [];
  for (const k of clear) if (!isEmpty(out[k])) (out as Record<string, unknown>)[k] = null;
  return { ...out, ...desired };
}

/** The account's data with the order's data laid over it: addresses field by field, the rest by key. */
export function mergePersonalinfo(current: CcvPersonalinfo, desired: CcvPersonalinfo): CcvPersonalinfo {
  const out: CcvPersonalinfo = { ...current };
  for (const [k, v] of Object.entries(desired)) {
    if (v === undefined) continue;
    out[k] =
      (ADDRESS_KEYS as readonly string[]).includes(k) && v && typeof v === "object"
        ? mergeAddress(current[k] as CcvAddress | null | undefined, v as CcvAddress)
        : v;
  }
  return out;
}

/** Comparable form: empty is empty whatever its spelling, numbers as text, e-mail without case. */
function comparable(field: string, v: unknown): unknown {
  if (isEmpty(v)) return null;
  if (typeof v === "number") return String(v);
  if (field === "email" && typeof v === "string") return normalizeEmail(v);
  return v;
}

/** Field changes from the account's data to the merged data, under "customer.". */
export function personalinfoChanges(current: CcvPersonalinfo, merged: CcvPersonalinfo): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const [k, after] of Object.entries(merged)) {
    const before = current[k];
    if ((ADDRESS_KEYS as readonly string[]).includes(k) && after && typeof after === "object") {
      const b = (before ?? {}) as Record<string, unknown>;
      for (const [f, a] of Object.entries(after as Record<string, unknown>)) {
        if (comparable(f, b[f]) !== comparable(f, a))
          changes.push({ field: `customer.${k}.${f}`, before: b[f] ?? null, after: a ?? null });
      }
    } else if (JSON.stringify(comparable(k, before)) !== JSON.stringify(comparable(k, after))) {
      changes.push({ field: `customer.${k}`, before: before ?? null, after: after ?? null });
    }
  }
  return changes;
}
