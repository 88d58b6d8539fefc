import { ApiKeyEntity } from "./api-key.entity";
import { CatalogEntryEntity } from "./catalog.entity";
import { FlowConfigEntity } from "./flow-config.entity";
import {
  CcvCustomerIndexEntity,
  CcvWebhookEntity,
  JobEntity,
  LeaseEntity,
  SyncCursorEntity,
  SyncEventEntity,
  WebhookInboxEntity,
} from "./infra.entity";
import { IntegrationEntity } from "./integration.entity";
import { LinkEntity } from "./link.entity";
import {
  AlertChannelEntity,
  AlertDeliveryEntity,
  AlertEntity,
  AlertIncidentEntity,
  AuditLogEntity,
  ConnectionEventEntity,
  OpsStateEntity,
} from "./ops.entity";
import { FieldMappingEntity, ValueMappingEntity } from "./mapping.entity";
import { SyncItemEntity } from "./sync-item.entity";
import { SyncItemMissingSkuEntity } from "./sync-item-missing-sku.entity";
import { SyncRunEntity } from "./sync-run.entity";
import { WorkspaceEntity } from "./workspace.entity";
import { WriteIntentEntity } from "./write-intent.entity";

export {
  CatalogEntryEntity,
  AlertChannelEntity,
  AlertDeliveryEntity,
  AlertEntity,
  AlertIncidentEntity,
  AuditLogEntity,
  ConnectionEventEntity,
  OpsStateEntity,
  ApiKeyEntity,
  CcvCustomerIndexEntity,
  CcvWebhookEntity,
  FieldMappingEntity,
  FlowConfigEntity,
  IntegrationEntity,
  JobEntity,
  LeaseEntity,
  LinkEntity,
  SyncCursorEntity,
  SyncEventEntity,
  SyncItemEntity,
  SyncItemMissingSkuEntity,
  SyncRunEntity,
  ValueMappingEntity,
  WebhookInboxEntity,
  WorkspaceEntity,
  WriteIntentEntity,
};

export const ENTITIES = [
  WorkspaceEntity,
  ApiKeyEntity,
  IntegrationEntity,
  FlowConfigEntity,
  FieldMappingEntity,
  ValueMappingEntity,
  SyncRunEntity,
  SyncItemEntity,
  LinkEntity,
  LeaseEntity,
  SyncCursorEntity,
  JobEntity,
  WebhookInboxEntity,
  SyncEventEntity,
  CcvCustomerIndexEntity,
  CcvWebhookEntity,
  AlertChannelEntity,
  AlertIncidentEntity,
  AlertEntity,
  AlertDeliveryEntity,
  ConnectionEventEntity,
  AuditLogEntity,
  OpsStateEntity,
  CatalogEntryEntity,
  WriteIntentEntity,
  SyncItemMissingSkuEntity,
];
