import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import type { RequestObservation } from "../connectors/http";
import { OpsMetrics } from "./ops-metrics";

/** Prometheus metrics of one gateway instance (own registry, so tests can run several instances). */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: "gateway_http_requests_total",
    help: "HTTP requests served, by method, route and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: "gateway_http_request_duration_seconds",
    help: "HTTP request duration",
    labelNames: ["method", "route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly graphqlOperations = new Counter({
    name: "gateway_graphql_operations_total",
    help: "GraphQL operations, by type, name and outcome",
    labelNames: ["type", "name", "outcome"] as const,
    registers: [this.registry],
  });
  readonly graphqlDuration = new Histogram({
    name: "gateway_graphql_operation_duration_seconds",
    help: "GraphQL operation duration",
    labelNames: ["type", "name"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly upstreamRequests = new Counter({
    name: "gateway_upstream_requests_total",
    help: "Requests to the vendor APIs, by system, method, lane and status",
    labelNames: ["system", "method", "lane", "status"] as const,
    registers: [this.registry],
  });
  readonly upstreamDuration = new Histogram({
    name: "gateway_upstream_request_duration_seconds",
    help: "Vendor API request duration",
    labelNames: ["system"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  /** runs, items, queue, rate budgets, webhook and alert deliveries (issue 14) */
  readonly ops = new OpsMetrics(this.registry);

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "gateway_" });
  }

  observeUpstream = (o: RequestObservation): void => {
    this.upstreamRequests.inc({ system: o.system, method: o.method, lane: o.lane, status: String(o.status) });
    this.upstreamDuration.observe({ system: o.system }, o.durationMs / 1000);
  };
}
