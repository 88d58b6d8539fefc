import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { IsNull } from "typeorm";
import { badInput, notFound } from "../common/errors";
import { constantTimeEqual, randomToken, sha256Hex } from "../common/crypto";
import { ApiKeyEntity, type RoleName } from "../db/entities/api-key.entity";
import { WorkspaceEntity } from "../db/entities/workspace.entity";
import type { Principal } from "./principal";

export const API_KEY_PREFIX = "gwk";
/** how much of a key stays readable: "gwk_" plus 8 random characters */
const READABLE = API_KEY_PREFIX.length + 1 + 8;
/** lastUsedAt is refreshed at most this often per key (saves a write per request) */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface CreatedKey {
  apiKey: ApiKeyEntity;
  secret: string;
}

/** Workspaces, their API keys, and turning a bearer token into a Principal. */
export class TenancyService {
  private readonly adminTokenHash: string;

  constructor(
    private readonly ds: DataSource,
    adminTokenHash: string,
  ) {
    this.adminTokenHash = adminTokenHash;
  }

  /** undefined when the token is unknown, revoked or missing */
  async authenticate(bearer: string | undefined): Promise<Principal | undefined> {
    if (!bearer) return undefined;
    const hash = sha256Hex(bearer);
    if (constantTimeEqual(hash, this.adminTokenHash)) return { kind: "instance" };
    if (!bearer.startsWith(`${API_KEY_PREFIX}_`)) return undefined;
    const key = await this.ds
      .getRepository(ApiKeyEntity)
      .findOne({ where: { keyHash: hash, revokedAt: IsNull() } });
    if (!key) return undefined;
    const now = new Date();
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.ds.getRepository(ApiKeyEntity).update({ id: key.id }, { lastUsedAt: now });
    }
    return { kind: "key", keyId: key.id, workspaceId: key.workspaceId, role: key.role };
  }

  /** true while the key behind a principal may still be used (long-lived subscriptions re-check) */
  async stillValid(p: Principal): Promise<boolean> {
    if (p.kind === "instance") return true;
    return (await this.ds.getRepository(ApiKeyEntity).countBy({ id: p.keyId, revokedAt: IsNull() })) > 0;
  }

  async createWorkspace(name: string): Promise<{ workspace: WorkspaceEntity; adminKey: CreatedKey }> {
    const clean = name.trim();
    if (clean === "" || clean.length > 200) throw badInput("A workspace name needs 1 to 200 characters.");
    return this.ds.transaction(async (m) => {
      const workspace = m.create(WorkspaceEntity, { id: randomUUID(), name: clean, createdAt: new Date() });
      await m.save(workspace);
      const adminKey = this.newKey(workspace.id, "first admin key", "ADMIN");
      await m.save(adminKey.apiKey);
      return { workspace, adminKey };
    });
  }

  async getWorkspace(id: string): Promise<WorkspaceEntity | null> {
    return this.ds.getRepository(WorkspaceEntity).findOneBy({ id });
  }

  async createApiKey(workspaceId: string, name: string, role: RoleName): Promise<CreatedKey> {
    const clean = name.trim();
    if (clean === "" || clean.length > 200) throw badInput("An API key name needs 1 to 200 characters.");
    const created = this.newKey(workspaceId, clean, role);
    await this.ds.getRepository(ApiKeyEntity).save(created.apiKey);
    return created;
  }

  async listApiKeys(workspaceId: string): Promise<ApiKeyEntity[]> {
    return this.ds.getRepository(ApiKeyEntity).find({ where: { workspaceId }, order: { createdAt: "ASC" } });
  }

  /** revoking takes effect for the next request: every request looks the key up */
  async revokeApiKey(workspaceId: string, id: string): Promise<ApiKeyEntity> {
    const repo = this.ds.getRepository(ApiKeyEntity);
    const key = await repo.findOneBy({ id, workspaceId });
    if (!key) throw notFound("API key", id);
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      await repo.save(key);
    }
    return key;
  }

  private newKey(workspaceId: string, name: string, role: RoleName): CreatedKey {
    const secret = randomToken(API_KEY_PREFIX);
    const apiKey = Object.assign(new ApiKeyEntity(), {
      id: randomUUID(),
      workspaceId,
      name,
      role,
      prefix: secret.slice(0, READABLE),
      keyHash: sha256Hex(secret),
      createdAt: new Date(),
      lastUsedAt: null,
      revokedAt: null,
    });
    return { apiKey, secret };
  }
}
