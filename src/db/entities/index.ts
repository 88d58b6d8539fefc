import { ApiKeyEntity } from "./api-key.entity";
import { IntegrationEntity } from "./integration.entity";
import { WorkspaceEntity } from "./workspace.entity";

export { ApiKeyEntity, IntegrationEntity, WorkspaceEntity };

export const ENTITIES = [WorkspaceEntity, ApiKeyEntity, IntegrationEntity];
