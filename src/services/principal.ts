import type { RoleName } from "../db/entities/api-key.entity";
import { forbidden } from "../common/errors";

/** Who is calling: the instance operator (GATEWAY_ADMIN_TOKEN) or a workspace API key. */
export type Principal =
  { kind: "instance" } | { kind: "key"; keyId: string; workspaceId: string; role: RoleName };

const RANK: Record<RoleName, number> = { VIEWER: 1, OPERATOR: 2, ADMIN: 3 };

/**
 * The workspace a call acts on, after checking the caller's role. The instance operator token
 * manages the instance (workspaces) only; workspace data needs a workspace key.
 */
export function requireRole(p: Principal, minimum: RoleName): string {
  if (p.kind === "instance") {
    throw forbidden(
      "The instance operator token can create workspaces but not read or change workspace data; use an API key of the workspace.",
    );
  }
  if (RANK[p.role] < RANK[minimum]) {
    throw forbidden(`This needs a key with role ${minimum} or higher; the key used has role ${p.role}.`);
  }
  return p.workspaceId;
}

export function requireInstanceAdmin(p: Principal): void {
  if (p.kind !== "instance")
    throw forbidden("Only the instance operator token (GATEWAY_ADMIN_TOKEN) may do this.");
}
