import type { EventBus } from "../events/event-bus";
import type { EventLog } from "../events/event-log";
import type { ActivityService } from "../sync/activity.service";
import type { ConnectionService } from "../sync/connection.service";
import type { FeatureMappingService } from "../sync/feature-mapping.service";
import type { FlowService } from "../sync/flow.service";
import type { RecordsService } from "../sync/records/records.service";
import type { RunService } from "../sync/run.service";
import type { WebhookService } from "../sync/webhook.service";
import type { AlertChannelService } from "../ops/alerts/alert-channel.service";
import type { AlertDispatch } from "../ops/alerts/alert-dispatch";
import type { AuditService } from "../ops/audit/audit.service";
import type { PrivacyService } from "../ops/privacy/privacy.service";
import type { IntegrationService } from "./integration.service";
import type { TenancyService } from "./tenancy.service";

/** Everything resolvers and HTTP routes may call. Built once per process in server/app.ts. */
export interface Services {
  tenancy: TenancyService;
  integrations: IntegrationService;
  connections: ConnectionService;
  flows: FlowService;
  runs: RunService;
  records: RecordsService;
  activity: ActivityService;
  webhooks: WebhookService;
  eventLog: EventLog;
  eventBus: EventBus;
  alerts: AlertChannelService;
  alertDispatch: AlertDispatch;
  audit: AuditService;
  privacy: PrivacyService;
  /** the product feature mapping (Ecwid attributes ⇄ CCV product properties) */
  features: FeatureMappingService;
}
