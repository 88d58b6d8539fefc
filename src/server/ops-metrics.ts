import { Counter, Gauge, type Registry } from "prom-client";
import type { DataSource } from "typeorm";
import { IntegrationEntity } from "../db/entities/integration.entity";
import { JobEntity } from "../db/entities/infra.entity";
import { SyncRunEntity } from "../db/entities/sync-run.entity";
import type { SyncEventData } from "../events/event.types";
import type { BudgetPressure } from "../ops/alerts/budget-pressure";
import type { WebhookAnswer } from "../sync/webhook.service";

/** The counters: name, help and label names; each counter's label type comes from its names. */
const COUNTERS = {
  runs: {
    name: "gateway_sync_runs_total",
    help: "Sync runs finished, by integration, flow and final status",
    labelNames: ["integration", "flow", "status"],
  },
  items: {
    name: "gateway_sync_items_total",
    help: "Sync items recorded, by integration, flow and status (SUCCEEDED, SKIPPED, FAILED, PENDING)",
    labelNames: ["integration", "flow", "status"],
  },
  itemFailures: {
    name: "gateway_sync_item_failures_total",
    help: "Failed sync items, by integration, flow and error code",
    labelNames: ["integration", "flow", "error_code"],
  },
  throttled: {
    name: "gateway_upstream_throttled_total",
    help: "Vendor answers 429 (too many requests), by integration, system and rate-limit lane",
    labelNames: ["integration", "system", "lane"],
  },
  budgetWait: {
    name: "gateway_rate_budget_wait_seconds_total",
    help: "Time requests waited for the rate budget of their lane",
    labelNames: ["integration", "system", "lane"],
  },
  webhooks: {
    name: "gateway_webhook_deliveries_total",
    help: "Vendor webhook deliveries received, by system and outcome (accepted, duplicate, rejected, error)",
    labelNames: ["system", "outcome"],
  },
  alertDeliveries: {
    name: "gateway_alert_delivery_attempts_total",
    help: "Attempts to deliver alert messages, by channel type and outcome (delivered, failed)",
    labelNames: ["channel_type", "outcome"],
  },
  alerts: { name: "gateway_alerts_total", help: "Alerts made, by kind", labelNames: ["kind"] },
  healthChecks: {
    name: "gateway_health_checks_total",
    help: "Scheduled connection checks, by system and outcome (ok, failing)",
    labelNames: ["system", "outcome"],
  },
} as const;
type Counters = {
  readonly [K in keyof typeof COUNTERS]: Counter<(typeof COUNTERS)[K]["labelNames"][number]>;
};

/**
 * The operations metrics: runs and items by outcome, the job queue, rate budgets and 429s per
 * lane, webhook deliveries (vendor → gateway) and alert deliveries (gateway → channels). Labels
 * are bounded: integration ids, flow kinds, statuses, error codes, vendor lanes (path templates);
 * never a SKU, an e-mail address, a record id or an operation name.
 *
 * Gauges read from the database (queue, active runs, connections) describe the shared database,
 * so several processes report the same values: aggregate them with max(), not sum().
 */
export class OpsMetrics {
  readonly counters: Counters;
  /** what the gauges read at scrape time (bound once the database is open) */
  private readonly source: { db?: DataSource; pressure?: BudgetPressure } = {};

  constructor(registry: Registry) {
    const counter = <K extends keyof Counters>(k: K): Counters[K] =>
      new Counter({ ...COUNTERS[k], labelNames: [...COUNTERS[k].labelNames], registers: [registry] });
    this.counters = {
      runs: counter("runs"),
      items: counter("items"),
      itemFailures: counter("itemFailures"),
      throttled: counter("throttled"),
      budgetWait: counter("budgetWait"),
      webhooks: counter("webhooks"),
      alertDeliveries: counter("alertDeliveries"),
      alerts: counter("alerts"),
      healthChecks: counter("healthChecks"),
    };
    const self = this.source;
    new Gauge({
      name: "gateway_rate_budget_utilization_ratio",
      help: "Share of each lane's per-minute vendor limit used in the last minute (this process)",
      labelNames: ["integration", "system", "lane"],
      registers: [registry],
      collect() {
        this.reset();
        for (const u of self.pressure?.utilization() ?? [])
          this.set({ integration: u.key.integrationId, system: u.key.system, lane: u.key.lane }, u.ratio);
      },
    });
    new Gauge({
      name: "gateway_job_queue_depth",
      help: "Jobs in the database queue, by type and state (due, scheduled, running)",
      labelNames: ["type", "state"],
      registers: [registry],
      async collect() {
        this.reset();
        if (!self.db?.isInitialized) return;
        const now = new Date();
        const rows: { type: string; status: string; due: number | string; n: number | string }[] =
          await self.db.manager
            .createQueryBuilder(JobEntity, "j")
            .select("j.type", "type")
            .addSelect("j.status", "status")
            .addSelect("CASE WHEN j.run_at <= :now THEN 1 ELSE 0 END", "due")
            .addSelect("COUNT(*)", "n")
            .where("j.status IN (:...s)", { s: ["queued", "running"] })
            .setParameter("now", now)
            .groupBy("j.type")
            .addGroupBy("j.status")
            .addGroupBy("due")
            .getRawMany();
        for (const row of rows) {
          const state = row.status === "running" ? "running" : Number(row.due) ? "due" : "scheduled";
          this.inc({ type: row.type, state }, Number(row.n));
        }
      },
    });
    new Gauge({
      name: "gateway_job_queue_oldest_age_seconds",
      help: "Age of the oldest job that is due and not yet running, by type (0 when none)",
      labelNames: ["type"],
      registers: [registry],
      async collect() {
        this.reset();
        if (!self.db?.isInitialized) return;
        const now = new Date();
        const rows: { type: string; oldest: string | Date }[] = await self.db.manager
          .createQueryBuilder(JobEntity, "j")
          .select("j.type", "type")
          .addSelect("MIN(j.run_at)", "oldest")
          .where("j.status = :q AND j.run_at <= :now", { q: "queued", now })
          .groupBy("j.type")
          .getRawMany();
        for (const row of rows) {
          const t =
            row.oldest instanceof Date
              ? row.oldest
              : new Date(
                  String(row.oldest).replace(" ", "T") + (String(row.oldest).endsWith("Z") ? "" : "Z"),
                );
          this.set({ type: row.type }, Math.max(0, (now.getTime() - t.getTime()) / 1000));
        }
      },
    });
    new Gauge({
      name: "gateway_sync_runs_active",
      help: "Runs queued or running, by integration, flow and status",
      labelNames: ["integration", "flow", "status"],
      registers: [registry],
      async collect() {
        this.reset();
        if (!self.db?.isInitialized) return;
        const rows: { i: string; flow: string; status: string; n: number | string }[] = await self.db.manager
          .createQueryBuilder(SyncRunEntity, "r")
          .select("r.integration_id", "i")
          .addSelect("r.flow", "flow")
          .addSelect("r.status", "status")
          .addSelect("COUNT(*)", "n")
          .where("r.status IN (:...s)", { s: ["QUEUED", "RUNNING"] })
          .groupBy("r.integration_id")
          .addGroupBy("r.flow")
          .addGroupBy("r.status")
          .getRawMany();
        for (const row of rows)
          this.set({ integration: row.i, flow: row.flow, status: row.status }, Number(row.n));
      },
    });
    new Gauge({
      name: "gateway_connection_up",
      help: "1 when the connection's last check succeeded, 0 when it is failing (untested: absent)",
      labelNames: ["integration", "system"],
      registers: [registry],
      async collect() {
        this.reset();
        if (!self.db?.isInitialized) return;
        const rows = await self.db.manager.find(IntegrationEntity, {
          select: { id: true, ecwidStatus: true, ccvStatus: true },
        });
        for (const i of rows) {
          if (i.ecwidStatus !== "UNTESTED")
            this.set({ integration: i.id, system: "ECWID" }, i.ecwidStatus === "OK" ? 1 : 0);
          if (i.ccvStatus !== "UNTESTED")
            this.set({ integration: i.id, system: "CCV_SALESPOS" }, i.ccvStatus === "OK" ? 1 : 0);
        }
      },
    });
  }

  /** the database the queue, run and connection gauges read */
  bind(db: DataSource, pressure: BudgetPressure): void {
    this.source.db = db;
    this.source.pressure = pressure;
  }

  /** counts runs and items from the events this process publishes */
  observeEvent = (e: SyncEventData): void => {
    const flow = e.flow ?? "none";
    if (e.type === "RUN_FINISHED" && e.runStatus) {
      this.counters.runs.inc({ integration: e.integrationId, flow, status: e.runStatus });
    } else if (
      e.item &&
      (e.type === "ITEM_FAILED" || e.type === "ITEM_SKIPPED" || e.type === "ITEM_SUCCEEDED")
    ) {
      this.counters.items.inc({ integration: e.integrationId, flow, status: e.item.status });
      if (e.type === "ITEM_FAILED")
        this.counters.itemFailures.inc({
          integration: e.integrationId,
          flow,
          error_code: e.item.errorCode ?? "UNKNOWN",
        });
    }
  };

  observeWebhook(system: string, a: WebhookAnswer | "error"): void {
    const outcome =
      a === "error"
        ? "error"
        : a.status >= 500
          ? "error"
          : a.status >= 300
            ? "rejected"
            : a.body.status === "duplicate"
              ? "duplicate"
              : "accepted";
    this.counters.webhooks.inc({ system, outcome });
  }
}
