import type { ApiKeyEntity } from "../db/entities/api-key.entity";
import type { IntegrationEntity } from "../db/entities/integration.entity";
import type { WorkspaceEntity } from "../db/entities/workspace.entity";
import { ccvLabel, ecwidLabel } from "../services/integration.service";
import { ConnectionStatus, Role, SystemKind } from "../schema/enums";
import type { Connection } from "../schema/integration.type";
import type { ApiKey, Workspace } from "../schema/tenancy.type";

/** Entity → GraphQL type conversions (the two shapes are never merged). */
export const toWorkspace = (w: WorkspaceEntity): Workspace => ({ id: w.id, name: w.name, createdAt: w.createdAt });

export const toApiKey = (k: ApiKeyEntity): ApiKey => ({
  id: k.id,
  name: k.name,
  role: k.role as Role,
  prefix: k.prefix,
  createdAt: k.createdAt,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
});

export function toConnection(e: IntegrationEntity, system: SystemKind): Connection {
  if (system === SystemKind.ECWID) {
    return {
      id: `${e.id}:ECWID`,
      system,
      status: e.ecwidStatus as ConnectionStatus,
      label: ecwidLabel(e),
      maskedCredentials: e.ecwidMask,
      lastCheckedAt: e.ecwidCheckedAt,
      lastError: e.ecwidError,
    };
  }
  return {
    id: `${e.id}:CCV_SALESPOS`,
    system,
    status: e.ccvStatus as ConnectionStatus,
    label: ccvLabel(e),
    maskedCredentials: e.ccvMask,
    lastCheckedAt: e.ccvCheckedAt,
    lastError: e.ccvError,
  };
}
