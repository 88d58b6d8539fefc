import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Logger } from "pino";
import type { SecretBox } from "../common/crypto";
import type { GatewayConfig } from "../config/config";
import { Redis } from "ioredis";
import { RateLimiterRedis } from "rate-limiter-flexible";
import { SharedRateBudget } from "../connectors/http";
import { InMemoryEventBus, type EventBus } from "../events/event-bus";
import { RedisEventBus } from "../events/redis-event-bus";
import { EventLog } from "../events/event-log";
import { DbJobQueue } from "../jobs/db-job-queue";
import type { JobQueue } from "../jobs/job-queue";
import { ItemRetries } from "../jobs/item-retries";
import { Retention } from "../jobs/retention";
import { Scheduler } from "../jobs/scheduler";
import type { Services } from "../services";
import { IntegrationService } from "../services/integration.service";
import { TenancyService } from "../services/tenancy.service";
import { ConnectionService } from "../sync/connection.service";
import { ConnectorHub, type ConnectorHubOptions } from "../sync/connector-hub";
import type { FlowDefinition } from "../sync/engine/flow-definition";
import { FlowRegistry } from "../sync/engine/flow-registry";
import { LeaseStore } from "../sync/engine/leases";
import { RunExecutor, type ExecutorHooks, type ExecutorOptions } from "../sync/engine/run-executor";
import { FlowService } from "../sync/flow.service";
import { RUN_JOB, RunService } from "../sync/run.service";
import { ActivityService } from "../sync/activity.service";
import { CatalogCache } from "../sync/records/catalog";
import { SnapshotCache } from "../sync/records/snapshot-cache";
import { StockTriggers } from "../sync/flows/stock/stock-triggers";
import { STOCK_AFTER_ORDERS_JOB } from "../sync/flows/stock/stock-jobs";
import { RecordsService } from "../sync/records/records.service";
import { WebhookService, type WebhookAnswer } from "../sync/webhook.service";
import { WebhookRegistrar } from "../sync/webhook-registration";
import { ALL_FLOWS } from "../sync/flows";
import { FeatureMappingService } from "../sync/feature-mapping.service";
import type { GatewayMetrics } from "./metrics";
import { OPS_JOB_TYPES } from "../ops/alerts/alert-kinds";
import { Operations, type OpsObserver, type OpsOptions } from "../ops/ops-runtime";
import { PrivacyService } from "../ops/privacy/privacy.service";

/** Prometheus counters for the operations parts. */
function opsObserver(metrics: GatewayMetrics): OpsObserver {
  const m = metrics.ops;
  return {
    alert: (kind) => m.counters.alerts.inc({ kind }),
    delivery: (channelType, outcome) =>
      m.counters.alertDeliveries.inc({ channel_type: channelType, outcome }),
    health: (system, ok) => m.counters.healthChecks.inc({ system, outcome: ok ? "ok" : "failing" }),
    throttled: (integration, system, lane) => m.counters.throttled.inc({ integration, system, lane }),
    budgetWait: (integration, system, lane, seconds) =>
      m.counters.budgetWait.inc({ integration, system, lane }, seconds),
  };
}

/** counts vendor webhook deliveries by outcome, without touching the webhook service itself */
function instrumentWebhooks(w: WebhookService, metrics: GatewayMetrics): WebhookService {
  const observe = async (system: string, p: Promise<WebhookAnswer>) => {
    try {
      const a = await p;
      metrics.ops.observeWebhook(system, a);
      return a;
    } catch (e) {
      metrics.ops.observeWebhook(system, "error");
      throw e;
    }
  };
  return Object.assign(Object.create(w) as WebhookService, {
    ecwid: (...a: Parameters<WebhookService["ecwid"]>) => observe("ECWID", w.ecwid(...a)),
    ccv: (...a: Parameters<WebhookService["ccv"]>) => observe("CCV_SALESPOS", w.ccv(...a)),
  });
}

export interface EngineOptions {
  /** the flow definitions (default: every flow the gateway ships) */
  flows?: FlowDefinition[];
  connectors?: ConnectorHubOptions;
  executor?: Partial<ExecutorOptions>;
  hooks?: ExecutorHooks;
  queue?: { lockMs?: number; pollMs?: number; workerId?: string };
  /** how long a record lease lives without its holder (a crashed worker's leases expire after this) */
  leaseTtlMs?: number;
  /** health checks and alerting (test clock, senders) */
  ops?: OpsOptions;
  /** how often a worker looks for failed items due for their automatic attempt */
  itemRetries?: { intervalMs?: number; now?: () => Date };
  /** how long unified reads reuse a catalogue snapshot (default 60 s; tests that watch stock move use 0) */
  recordsCacheMs?: number;
}

export interface Engine {
  services: Services;
  queue: JobQueue & { crash?: () => Promise<void> };
  scheduler: Scheduler;
  retention: Retention;
  /** automatic retries of failed items whose cause can heal */
  itemRetries: ItemRetries;
  executor: RunExecutor;
  hub: ConnectorHub;
  registry: FlowRegistry;
  registrar: WebhookRegistrar;
  ops: Operations;
  /** the Redis client, when REDIS_URL is set (shared rate budgets and per-key rate limits) */
  redis?: Redis;
  /** true when Redis (if configured) answers: part of readiness */
  redisReady(): Promise<boolean>;
  /** starts the worker parts (queue consumer, scheduler, retention) */
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  /** stops the worker parts and closes the event bus and Redis */
  close(): Promise<void>;
}

/** Wires the services of one process. Nothing here starts work; `startWorker` does (GATEWAY_ROLE all/worker). */
export function createEngine(args: {
  config: Readonly<GatewayConfig>;
  ds: DataSource;
  box: SecretBox;
  adminTokenHash: string;
  logger: Logger;
  metrics: GatewayMetrics;
  bus?: EventBus;
  options?: EngineOptions;
}): Engine {
  const { config, ds, box, logger, metrics } = args;
  const o = args.options ?? {};
  const workerId = o.queue?.workerId ?? `w-${randomUUID().slice(0, 8)}`;
  // REDIS_URL: live events and rate budgets are shared by every process; jobs stay in the database
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 3 }) : undefined;
  const bus =
    args.bus ??
    (config.redisUrl
      ? new RedisEventBus(config.redisUrl, config.redisPrefix, logger)
      : new InMemoryEventBus());
  const budget = redis
    ? new SharedRateBudget({
        limiterFactory: (points, keyPrefix) =>
          new RateLimiterRedis({
            storeClient: redis,
            points,
            duration: 60,
            keyPrefix: `${config.redisPrefix}${keyPrefix}`,
          }),
      })
    : undefined;
  const eventLog = new EventLog(ds, bus, logger);
  const upstreams = { allowLocal: config.allowLocalUpstreams };
  const integrations = new IntegrationService(ds, box, upstreams);
  const secrets = (id: string) => integrations.secrets(id);
  const registry = new FlowRegistry(o.flows ?? ALL_FLOWS);
  // the gateway's own URL is known once it listens (registrar.publicUrl is set then)
  let publicUrl = () => config.publicUrl ?? `http://${config.host}:${config.port}`;
  const ops: Operations = new Operations({
    ds,
    box,
    config,
    logger,
    workerId,
    publicUrl: () => publicUrl(),
    observer: opsObserver(metrics),
    options: o.ops,
  });
  const hub = new ConnectorHub(ds, secrets, logger, {
    observe: metrics.observeUpstream,
    budget,
    lanes: ops.lanes,
    upstreams,
    ...(o.connectors ?? {}),
  });
  const queue = new DbJobQueue(ds, {
    concurrency: config.workerConcurrency,
    lockMs: o.queue?.lockMs,
    pollMs: o.queue?.pollMs,
    logger,
    workerId,
    types: { except: OPS_JOB_TYPES },
  });
  const registrar = new WebhookRegistrar(ds, registry, hub.clients, box, logger, config.publicUrl);
  const connections = new ConnectionService(
    integrations,
    hub.clients,
    eventLog,
    logger,
    (id) => registrar.ensureCcvQuietly(id),
    hub,
  );
  ops.setConnections(connections);
  publicUrl = () => config.publicUrl ?? registrar.publicUrl;
  eventLog.tap(metrics.ops.observeEvent);
  metrics.ops.bind(ds, ops.pressure);
  const executor = new RunExecutor({
    ds,
    logger,
    events: eventLog,
    registry,
    clients: hub.clients,
    leases: new LeaseStore(ds, workerId, o.leaseTtlMs),
    onConnectionFailed: (id, system, message) => connections.markFailing(id, system, message),
    options: o.executor,
    hooks: o.hooks,
    onSkusLinked: async (id, skus) => void (await itemRetries.healSkus(id, skus)),
  });
  const runs = new RunService(ds, queue, eventLog, registry, executor, logger);
  const itemRetries: ItemRetries = new ItemRetries(ds, runs, logger, o.itemRetries);
  const flows = new FlowService(ds, registry, hub.clients, logger);
  // an order booked by either order flow moves stock: the stock flow follows for its products
  const stockTriggers = new StockTriggers(ds, runs, eventLog, queue, logger);
  eventLog.tap(stockTriggers.listener);
  const webhooks = new WebhookService(ds, secrets, box, registry, runs, eventLog, queue, logger, {
    ecwidMaxAgeSeconds: config.ecwidWebhookMaxAgeSeconds,
    // the gateway registers every CCV webhook itself and keeps its key: unsigned deliveries are refused
    ccvVerification: "require",
  });
  flows.onChange((f) => {
    if (f.enabled && registry.has(f.kind) && registry.get(f.kind).webhooks?.system === "CCV_SALESPOS") {
      registrar.ensureCcvQuietly(f.integrationId);
    }
  });
  const scheduler = new Scheduler(flows, runs, new LeaseStore(ds, workerId, 60_000), logger);
  const retention = new Retention(ds, config.logRetentionDays, logger, ops.audit);
  const services: Services = {
    tenancy: new TenancyService(ds, args.adminTokenHash),
    integrations,
    connections,
    flows,
    runs,
    records: new RecordsService(
      ds,
      hub.clients,
      new CatalogCache(o.recordsCacheMs),
      undefined,
      o.recordsCacheMs === undefined ? undefined : new SnapshotCache(o.recordsCacheMs),
    ),
    activity: new ActivityService(ds, registry),
    webhooks: instrumentWebhooks(webhooks, metrics),
    eventLog,
    eventBus: bus,
    alerts: ops.channels,
    alertDispatch: ops.dispatch,
    audit: ops.audit,
    privacy: new PrivacyService(ds, logger),
    features: new FeatureMappingService(ds),
  };
  let workerStarted = false;
  return {
    services,
    queue,
    scheduler,
    retention,
    itemRetries,
    executor,
    hub,
    registry,
    registrar,
    ops,
    redis,
    async redisReady() {
      if (!redis) return true;
      try {
        return (await redis.ping()) === "PONG";
      } catch {
        return false;
      }
    },
    async startWorker() {
      queue.start({
        [RUN_JOB]: (job) => executor.execute(String(job.payload.runId), job.signal),
        [STOCK_AFTER_ORDERS_JOB]: stockTriggers.afterOrders,
      });
      await scheduler.start();
      retention.start();
      itemRetries.start();
      await ops.start();
      workerStarted = true;
    },
    async stopWorker() {
      if (workerStarted) {
        await scheduler.stop();
        await retention.stop();
        await itemRetries.stop();
        await ops.stop();
        await queue.stop();
        workerStarted = false;
      }
    },
    async close() {
      await this.stopWorker();
      await bus.close();
      if (redis) await redis.quit().catch(() => undefined);
    },
  };
}
