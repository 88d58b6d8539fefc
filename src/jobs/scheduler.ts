import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "pino";
import { runsMoreThanOncePerMinute, type FlowService, type FlowView } from "../sync/flow.service";
import type { RunService } from "../sync/run.service";
import type { LeaseStore } from "../sync/engine/leases";

/**
 * node-cron registrations, one per enabled flow with a schedule, kept in step with configureFlow
 * (immediately in this process, and by a periodic reload for changes made by other processes).
 * A tick only enqueues a SCHEDULE run; RunService skips it while a run of the flow is active.
 */
export class Scheduler {
  private readonly tasks = new Map<string, { expr: string; task: ScheduledTask }>();
  private reloadTimer?: NodeJS.Timeout;

  constructor(
    private readonly flows: FlowService,
    private readonly runs: RunService,
    /** several worker processes tick at the same moment: a short lease lets one of them enqueue */
    private readonly leases: LeaseStore,
    private readonly logger: Logger,
    private readonly reloadMs = 30_000,
  ) {
    this.flows.onChange((f) => {
      if (this.started) this.apply(f);
    });
  }

  private started = false;

  async start(): Promise<void> {
    this.started = true;
    await this.reload();
    this.reloadTimer = setInterval(
      () => void this.reload().catch((e) => this.logger.warn({ err: e }, "scheduler reload failed")),
      this.reloadMs,
    );
    this.reloadTimer.unref();
  }

  async reload(): Promise<void> {
    const scheduled = await this.flows.scheduled();
    const wanted = new Set(scheduled.map((f) => key(f)));
    for (const f of scheduled) this.apply(f);
    for (const k of [...this.tasks.keys()]) if (!wanted.has(k)) this.remove(k);
  }

  apply(f: FlowView): void {
    const k = key(f);
    const existing = this.tasks.get(k);
    if (!f.enabled || !f.schedule) {
      if (existing) this.remove(k);
      return;
    }
    if (existing?.expr === f.schedule) return;
    if (existing) this.remove(k);
    if (runsMoreThanOncePerMinute(f.schedule)) {
      // saved by an older version that allowed it: not run, and said so (configureFlow refuses it now)
      this.logger.warn(
        { integrationId: f.integrationId, flow: f.kind, schedule: f.schedule },
        "schedule runs more than once a minute; not scheduled until it is changed",
      );
      return;
    }
    const task = cron.schedule(f.schedule, () => this.tick(f.integrationId, f.kind), {
      name: k,
      noOverlap: true,
    });
    this.tasks.set(k, { expr: f.schedule, task });
    this.logger.info(
      { integrationId: f.integrationId, flow: f.kind, schedule: f.schedule },
      "flow scheduled",
    );
  }

  /** a tick: enqueue only (one job = one unit of work) */
  async tick(integrationId: string, flow: FlowView["kind"]): Promise<void> {
    try {
      // the workers whose cron fired for the same second compete for that second's tick
      if (!(await this.leases.tryAcquire(`tick:${integrationId}:${flow}:${Math.floor(Date.now() / 1000)}`))) {
        this.logger.debug({ integrationId, flow }, "another worker took this tick");
        return;
      }
      await this.runs.enqueue(integrationId, flow, "SCHEDULE", {});
    } catch (e) {
      this.logger.error({ err: e, integrationId, flow }, "scheduled tick could not enqueue a run");
    }
  }

  /** flows currently registered (for tests and diagnostics) */
  registered(): { key: string; expr: string }[] {
    return [...this.tasks.entries()].map(([k, v]) => ({ key: k, expr: v.expr }));
  }

  private remove(k: string) {
    const t = this.tasks.get(k);
    if (!t) return;
    void t.task.destroy();
    this.tasks.delete(k);
    this.logger.info({ key: k }, "flow schedule removed");
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.reloadTimer) clearInterval(this.reloadTimer);
    for (const k of [...this.tasks.keys()]) this.remove(k);
  }
}

const key = (f: Pick<FlowView, "integrationId" | "kind">) => `${f.integrationId}:${f.kind}`;
