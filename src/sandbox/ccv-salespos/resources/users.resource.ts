import { randomBytes } from "node:crypto";
import { CCV_ERROR } from "../../../connectors/ccv-salespos/ccv.vendor-facts";
import { sortBy } from "../ccv.query";
import type { CcvStore } from "../ccv.store";
import { CcvTable, created, done, ok, type CcvRouter, type Rec } from "../ccv.table";
import { CcvSandboxError, invalid, PERSONALINFO_FIELDS, validateBody, type BodySpec } from "../ccv.validate";

/**
 * Customer accounts (§5.7): a `user` with a unique username and its personal info (`userinfo`,
 * the same Personalinfo entity an order's `customer` is). CCV cannot filter users by e-mail.
 */

export interface UserRec {
  id: number;
  createdate: string;
  username: string;
  password: string;
  group_id: number | null;
  status: boolean;
  approval_status: "pending" | "accepted";
  product_in_category_discount: string;
  userinfo: Rec;
}

// write schemas (field names from §5.7; types from the docs-generated schemas)
const USER_FIELDS: BodySpec = {
  username: "!string",
  password: "!string",
  group_id: "integer?",
  status: "boolean",
  product_in_category_discount: "string",
  userinfo: PERSONALINFO_FIELDS,
  encryption: "string",
  gender: "string",
};

const USER_PATCH_FIELDS: BodySpec = {
  username: "string",
  group_id: "integer?",
  status: "boolean",
  approval_status: "string",
  product_in_category_discount: "string",
  userinfo: PERSONALINFO_FIELDS,
};

export class CcvUsers extends CcvTable<UserRec> {
  constructor(store: CcvStore) {
    super(store, "User", 24_000_000);
  }

  create(body: unknown): UserRec {
    const b = validateBody(body, USER_FIELDS, { resource: "users" });
    this.requireUniqueUsername(b.username as string);
    const rec: UserRec = {
      id: this.nextId(),
      createdate: this.store.now(),
      username: b.username as string,
      password: b.password as string,
      group_id: (b.group_id as number | null | undefined) ?? null,
      status: (b.status as boolean | undefined) ?? true,
      approval_status: "accepted",
      product_in_category_discount: (b.product_in_category_discount as string | undefined) ?? "highest",
      userinfo: (b.userinfo as Rec | undefined) ?? {},
    };
    this.set(rec.id, rec);
    return rec;
  }

  private requireUniqueUsername(username: string, except?: number): void {
    const clash = [...this.values()].find(
      (u) => u.id !== except && u.username.toLowerCase() === username.toLowerCase(),
    );
    if (clash)
      throw new CcvSandboxError(
        500,
        CCV_ERROR.PROPERTY_ALREADY_EXISTS,
        `Username '${username}' already exists.`,
      );
  }

  patch(id: number, body: unknown): void {
    const u = this.require(id);
    const b = validateBody(body, USER_PATCH_FIELDS, { partial: true, resource: "users" });
    if (b.username !== undefined) this.requireUniqueUsername(b.username as string, id);
    if (
      b.approval_status !== undefined &&
      b.approval_status !== "pending" &&
      b.approval_status !== "accepted"
    ) {
      throw invalid("'approval_status' must be pending or accepted.");
    }
    const { userinfo, ...rest } = b;
    Object.assign(u, rest);
    if (userinfo !== undefined) u.userinfo = { ...u.userinfo, ...(userinfo as Rec) };
  }

  remove(id: number): void {
    this.require(id);
    this.delete(id);
  }

  filter(q: Record<string, string>): UserRec[] {
    const out = [...this.values()].filter(
      (u) => q.approval_status === undefined || u.approval_status === q.approval_status,
    );
    return sortBy(out, q.orderby, ["id", "first_name", "last_name"], (u, f) =>
      f === "id" ? u.id : ((u.userinfo.billingaddress as Rec | undefined)?.[f] ?? ""),
    );
  }

  render(u: UserRec): Rec {
    return {
      href: this.href(`/users/${u.id}`),
      id: u.id,
      username: u.username,
      group_id: u.group_id,
      status: u.status,
      approval_status: u.approval_status,
      product_in_category_discount: u.product_in_category_discount,
      userinfo: u.userinfo,
      creditpoints: { href: this.href(`/users/${u.id}/creditpoints`) },
      creditpointmutations: { href: this.href(`/users/${u.id}/creditpointmutations`) },
      disabledpaymethods: { href: this.href(`/users/${u.id}/disabledpaymethods`) },
      parent: { href: this.href("/users") },
    };
  }

  /** Adds a customer account directly (a random password; the username defaults to the e-mail). */
  seed(email: string, userinfo: Rec = {}, username = email): UserRec {
    return this.create({
      username,
      password: randomBytes(12).toString("hex"),
      userinfo: { email, ...userinfo },
    });
  }
}

export function usersRoutes(api: CcvRouter, s: CcvStore): void {
  const { users } = s;
  api.on("GET", "/users", (c) => ({ paged: users.filter(c.query).map((u) => users.render(u)) }));
  api.on("POST", "/users", (c) => created(users.render(users.create(c.body))));
  api.on("GET", "/users/{id}", (c) => ok(users.render(users.require(c.ids[0]))));
  api.on("PATCH", "/users/{id}", (c) => (users.patch(c.ids[0], c.body), done));
  api.on("DELETE", "/users/{id}", (c) => (users.remove(c.ids[0]), done));
}
