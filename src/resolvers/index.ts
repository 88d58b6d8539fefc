import { EventResolver } from "./event.resolver";
import { FeatureMappingResolver } from "./feature-mapping.resolver";
import { FlowResolver } from "./flow.resolver";
import { IntegrationResolver } from "./integration.resolver";
import { IntegrationHealthResolver, OpsResolver } from "./ops.resolver";
import { RecordsResolver } from "./records.resolver";
import { RunResolver } from "./run.resolver";
import { TenancyResolver } from "./tenancy.resolver";

export const RESOLVERS = [
  TenancyResolver,
  IntegrationResolver,
  FlowResolver,
  RunResolver,
  RecordsResolver,
  EventResolver,
  OpsResolver,
  IntegrationHealthResolver,
  FeatureMappingResolver,
] as const;
