import type { IntegrationService } from "./integration.service";
import type { TenancyService } from "./tenancy.service";

/** Everything resolvers may call. Built once per process in server/app.ts. */
export interface Services {
  tenancy: TenancyService;
  integrations: IntegrationService;
}
