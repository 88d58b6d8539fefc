import cron, { type ScheduledTask } from "node-cron";
import type { DataSource } from "typeorm";
import type { Logger } from "pino";
import type { SecretBox } from "../common/crypto";
import type { GatewayConfig } from "../config/config";
import { IntegrationEntity } from "../db/entities/integration.entity";
import { DbJobQueue } from "../jobs/db-job-queue";
import type { RequestObservation } from "../connectors/http";
import type { ConnectionService } from "../sync/connection.service";
import type { LaneObserver } from "../sync/connector-hub";
import { LeaseStore } from "../sync/engine/leases";
import { AlertChannelService } from "./alerts/alert-channel.service";
import { AlertDispatch, type Senders } from "./alerts/alert-dispatch";
import { realSenders } from "./alerts/alert-senders";
import { ALERT_DELIVERY_JOB, HEALTH_CHECK_JOB, OPS_JOB_TYPES } from "./alerts/alert-kinds";
import { AlertWriter } from "./alerts/alert-messages";
import { AlertMonitor } from "./alerts/alert-monitor";
import { BudgetPressure } from "./alerts/budget-pressure";
import { ConsoleLinks } from "./alerts/console-links";
import { AuditService } from "./audit/audit.service";

export interface OpsOptions {
  /** the monitor's clock (tests move time instead of waiting) */
  clock?: () => Date;
  /** how messages leave (tests may wrap the real senders) */
  senders?: Senders;
}

/** What the operations parts report to metrics (the server wires Prometheus counters in). */
export interface OpsObserver {
  alert(kind: string): void;
  delivery(channelType: string, outcome: "delivered" | "failed"): void;
  health(system: string, ok: boolean): void;
  throttled(integrationId: string, system: string, lane: string): void;
  budgetWait(integrationId: string, system: string, lane: string, seconds: number): void;
}

/**
 * Health checks, alerting and the audit log of one process. The alert deliveries and health checks
 * run on a queue lane of their own (the same durable job table, other job types), so a slow or
 * failing channel never takes a slot from a sync run. Timers only enqueue or evaluate; every
 * delivery and check is a job.
 */
export class Operations {
  readonly links: ConsoleLinks;
  readonly channels: AlertChannelService;
  readonly audit: AuditService;
  readonly pressure: BudgetPressure;
  readonly monitor: AlertMonitor;
  readonly dispatch: AlertDispatch;
  readonly queue: DbJobQueue;
  readonly clock: () => Date;
  private timers: NodeJS.Timeout[] = [];
  private digestTask?: ScheduledTask;
  private readonly leases: LeaseStore;

  constructor(
    private args: {
      ds: DataSource;
      box: SecretBox;
      config: Readonly<GatewayConfig>;
      logger: Logger;
      /** set with setConnections once built (they need the connectors, which need these lanes) */
      connections?: ConnectionService;
      workerId: string;
      publicUrl: () => string;
      observer?: OpsObserver;
      options?: OpsOptions;
    },
  ) {
    const { ds, box, config, logger } = args;
    this.clock = args.options?.clock ?? (() => new Date());
    this.links = new ConsoleLinks(args.publicUrl);
    const upstreams = { allowLocal: config.allowLocalUpstreams };
    this.channels = new AlertChannelService(ds, box, upstreams);
    this.audit = new AuditService(ds, config.auditRetentionDays);
    this.pressure = new BudgetPressure(this.clock);
    this.leases = new LeaseStore(ds, args.workerId, 5 * 60_000);
    this.monitor = new AlertMonitor(
      ds,
      new AlertWriter(this.links),
      config.ops,
      this.leases,
      this.pressure,
      logger,
      this.clock,
    );
    this.monitor.onAlert = (k) => args.observer?.alert(k);
    this.queue = new DbJobQueue(ds, {
      concurrency: 2,
      logger,
      workerId: `${args.workerId}-ops`,
      types: { only: OPS_JOB_TYPES },
    });
    const senders = args.options?.senders ?? realSenders(upstreams);
    const counted: Senders = {
      webhook: (t, m) => this.count("WEBHOOK", senders.webhook(t, m)),
      email: (t, m) => this.count("EMAIL", senders.email(t, m)),
    };
    this.dispatch = new AlertDispatch(
      ds,
      this.channels,
      this.queue,
      this.links,
      config.ops.minIntervalSeconds * 1000,
      logger,
      counted,
    );
  }

  private async count<T>(type: string, p: Promise<T>): Promise<T> {
    try {
      const r = await p;
      this.args.observer?.delivery(type, "delivered");
      return r;
    } catch (e) {
      this.args.observer?.delivery(type, "failed");
      throw e;
    }
  }

  /** feeds the budget pressure (alerts) and the lane metrics from every vendor request */
  readonly lanes: LaneObserver = {
    request: (integrationId: string, o: RequestObservation) => {
      if (o.status === 429) {
        this.pressure.throttled({ integrationId, system: o.system, lane: o.lane });
        this.args.observer?.throttled(integrationId, o.system, o.lane);
      }
    },
    budget: (integrationId, system, lane, perMinute, waitedMs) => {
      this.pressure.started({ integrationId, system, lane }, perMinute);
      if (waitedMs > 0) this.args.observer?.budgetWait(integrationId, system, lane, waitedMs / 1000);
    },
  };

  /** the connection tests the health checks run (built after the operations parts) */
  setConnections(c: ConnectionService): void {
    this.args.connections = c;
  }

  /** one round: look at what happened, then hand new alerts to the channels */
  async tick(now = this.clock()): Promise<void> {
    await this.monitor.evaluate(now);
    await this.dispatch.dispatch(now);
  }

  /** enqueues one health-check job per integration (one process per period does it) */
  async scheduleHealthChecks(now = this.clock()): Promise<number> {
    const period = this.args.config.ops.healthCheckMinutes * 60_000;
    if (period <= 0) return 0;
    if (!(await this.leases.tryAcquire(`ops:health:${Math.floor(now.getTime() / period)}`))) return 0;
    const ids = await this.args.ds.manager.find(IntegrationEntity, { select: { id: true } });
    for (const { id } of ids)
      await this.queue.enqueue({ type: HEALTH_CHECK_JOB, payload: { integrationId: id }, maxAttempts: 1 });
    return ids.length;
  }

  /** the health check job: one cheap read per side, recorded (and alerted on a change of state) */
  async healthCheck(integrationId: string): Promise<void> {
    const i = await this.args.ds.manager.findOne(IntegrationEntity, {
      select: { id: true, workspaceId: true },
      where: { id: integrationId },
    });
    if (!i || !this.args.connections) return;
    for (const c of await this.args.connections.test(i.workspaceId, i.id, "HEALTH"))
      this.args.observer?.health(c.system, c.ok);
  }

  async start(): Promise<void> {
    const { config, logger } = this.args;
    this.queue.start({
      [ALERT_DELIVERY_JOB]: (job) => this.dispatch.deliver(Number(job.payload.deliveryId), job.attempt),
      [HEALTH_CHECK_JOB]: (job) => this.healthCheck(String(job.payload.integrationId)),
    });
    await this.monitor.init();
    const every = (ms: number, what: string, fn: () => Promise<unknown>) => {
      const t = setInterval(() => void fn().catch((e) => logger.error({ err: e }, `${what} failed`)), ms);
      t.unref();
      this.timers.push(t);
    };
    every(config.ops.evaluateSeconds * 1000, "alert evaluation", () => this.tick());
    if (config.ops.healthCheckMinutes > 0)
      every(Math.min(config.ops.healthCheckMinutes * 60_000, 60_000), "health check scheduling", () =>
        this.scheduleHealthChecks(),
      );
    this.digestTask = cron.schedule(
      config.ops.digestCron,
      () => void this.dispatch.digest(this.clock()).catch((e) => logger.error({ err: e }, "digest failed")),
      { name: "alert-digest", noOverlap: true },
    );
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    if (this.digestTask) await this.digestTask.destroy();
    this.digestTask = undefined;
    await this.queue.stop();
  }
}
