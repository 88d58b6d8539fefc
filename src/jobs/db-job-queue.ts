import { randomUUID } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { Brackets } from "typeorm";
import type { Logger } from "pino";
import { JobEntity } from "../db/entities/infra.entity";
import {
  backoffMs,
  PermanentJobFailure,
  PostponeJob,
  type JobHandler,
  type JobQueue,
  type JobSpec,
} from "./job-queue";

/**
 * How long a claimed job stays locked without a heartbeat. The runner heartbeats every third of it,
 * so a job of a crashed worker is claimed by another worker at most this (plus a poll) after the
 * crash — with ITEM_LEASE_TTL_MS, a crashed run resumes well within 30 s of a worker being there.
 */
export const JOB_LOCK_MS = 15_000;

export interface DbJobQueueOptions {
  concurrency: number;
  /** how long a claimed job stays locked without a heartbeat (a crashed worker's jobs are picked up after this) */
  lockMs?: number;
  pollMs?: number;
  logger: Logger;
  /** a name for this worker in locks and logs */
  workerId?: string;
  /**
   * Which job types this queue claims: `only` these, or all `except` these. Separate lanes (e.g.
   * alert deliveries beside sync runs) never wait for each other's slots.
   */
  types?: { only?: string[]; except?: string[] };
  /** the lock clock (tests move it instead of waiting) */
  clock?: () => number;
}

/**
 * The durable in-process queue: jobs are rows; a pool of `concurrency` runners claims due jobs with a
 * conditional UPDATE (safe with several processes on one MySQL/MariaDB), keeps the claim alive with
 * heartbeats, and on failure reschedules with exponential backoff. A job whose worker died (lock
 * expired without a heartbeat) is claimed again by any worker.
 */
export class DbJobQueue implements JobQueue {
  private handlers: Record<string, JobHandler> = {};
  private running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private timer?: NodeJS.Timeout;
  private stopped = true;
  private polling = false;
  private repoll = false;
  readonly workerId: string;
  private readonly lockMs: number;
  private readonly pollMs: number;
  private readonly clock: () => number;

  constructor(
    private readonly ds: DataSource,
    private readonly opts: DbJobQueueOptions,
  ) {
    this.workerId = opts.workerId ?? `w-${randomUUID().slice(0, 8)}`;
    this.lockMs = opts.lockMs ?? JOB_LOCK_MS;
    this.clock = opts.clock ?? Date.now;
    this.pollMs = opts.pollMs ?? 500;
  }

  async enqueue(spec: JobSpec, em?: EntityManager): Promise<string> {
    const now = new Date(this.clock());
    const r = await (em ?? this.ds.manager).insert(JobEntity, {
      type: spec.type,
      payload: spec.payload,
      status: "queued",
      runAt: spec.runAt ?? now,
      attempts: 0,
      maxAttempts: spec.maxAttempts ?? 10,
      lockedBy: null,
      lockedUntil: null,
      lastError: null,
      createdAt: now,
      updatedAt: now,
    });
    const id = String(r.identifiers[0]?.id ?? r.raw?.insertId ?? r.raw);
    if (!em) this.nudge();
    return id;
  }

  start(handlers: Record<string, JobHandler>): void {
    this.handlers = handlers;
    this.stopped = false;
    this.schedule(0);
  }

  nudge(): void {
    if (!this.stopped) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /**
   * Test hook: behave like a worker process that died — stop claiming, abort running handlers and
   * keep their locks (no release, no heartbeat), so another worker must wait out the lock.
   */
  async crash(): Promise<void> {
    this.stopped = true;
    this.crashed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const r of this.running.values()) r.abort.abort(new Error("worker crashed"));
    await Promise.all([...this.running.values()].map((r) => r.done));
  }
  private crashed = false;

  private schedule(ms: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poll(), ms);
  }

  private async poll(): Promise<void> {
    if (this.polling) {
      this.repoll = true;
      return;
    }
    this.polling = true;
    try {
      while (!this.stopped && this.running.size < this.opts.concurrency) {
        const job = await this.claim();
        if (!job) break;
        this.launch(job);
      }
    } catch (e) {
      this.opts.logger.error({ err: e }, "job queue poll failed");
    } finally {
      this.polling = false;
    }
    if (this.repoll) {
      this.repoll = false;
      this.schedule(0);
    } else this.schedule(this.pollMs);
  }

  /** claims the oldest due job: queued and due, or running with an expired lock (its worker died) */
  private async claim(): Promise<JobEntity | undefined> {
    const now = new Date(this.clock());
    const candidates = await this.ds.manager
      .createQueryBuilder(JobEntity, "j")
      .where(
        new Brackets((q) =>
          q
            .where("j.status = :queued AND j.run_at <= :now", { queued: "queued", now })
            .orWhere("j.status = :running AND j.locked_until < :now", { running: "running", now }),
        ),
      )
      .andWhere(this.typeFilter())
      .orderBy("j.run_at", "ASC")
      .addOrderBy("j.id", "ASC")
      .limit(5)
      .getMany();
    for (const c of candidates) {
      const lockedUntil = new Date(this.clock() + this.lockMs);
      const r = await this.ds.manager
        .createQueryBuilder()
        .update(JobEntity)
        .set({
          status: "running",
          lockedBy: this.workerId,
          lockedUntil,
          attempts: () => "attempts + 1",
          updatedAt: new Date(),
        })
        .where("id = :id", { id: c.id })
        .andWhere(
          new Brackets((q) =>
            q
              .where("status = :queued AND run_at <= :now", { queued: "queued", now })
              .orWhere("status = :running AND locked_until < :now", { running: "running", now }),
          ),
        )
        .execute();
      if ((r.affected ?? 0) > 0)
        return { ...c, attempts: c.attempts + 1, lockedBy: this.workerId, lockedUntil };
    }
    return undefined;
  }

  private typeFilter(): Brackets {
    const t = this.opts.types;
    return new Brackets((q) => {
      if (t?.only?.length) q.where("j.type IN (:...only)", { only: t.only });
      else if (t?.except?.length) q.where("j.type NOT IN (:...except)", { except: t.except });
      else q.where("1 = 1");
    });
  }

  private launch(job: JobEntity) {
    const abort = new AbortController();
    const key = String(job.id);
    const heartbeat = setInterval(
      () => {
        void this.ds.manager
          .update(
            JobEntity,
            { id: job.id, lockedBy: this.workerId },
            { lockedUntil: new Date(this.clock() + this.lockMs) },
          )
          .then((r) => {
            // someone else took the job over (our lock had expired): stop working on it
            if ((r.affected ?? 0) === 0) abort.abort(new Error("job lock lost"));
          })
          .catch(() => undefined);
      },
      Math.max(50, Math.floor(this.lockMs / 3)),
    );
    const done = (async () => {
      try {
        const handler = this.handlers[job.type];
        if (!handler) throw new PermanentJobFailure(`no handler for job type ${job.type}`);
        await handler({
          id: key,
          type: job.type,
          payload: job.payload ?? {},
          attempt: job.attempts,
          signal: abort.signal,
        });
        if (!this.crashed) await this.finish(job, "done", null);
      } catch (e) {
        if (this.crashed) return;
        await this.fail(job, e);
      } finally {
        clearInterval(heartbeat);
        this.running.delete(key);
        this.nudge();
      }
    })();
    this.running.set(key, { abort, done });
  }

  private async finish(job: JobEntity, status: "done" | "failed", error: string | null) {
    await this.ds.manager.update(
      JobEntity,
      { id: job.id, lockedBy: this.workerId },
      { status, lockedBy: null, lockedUntil: null, lastError: error, updatedAt: new Date() },
    );
  }

  private async fail(job: JobEntity, e: unknown) {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof PostponeJob) {
      await this.ds.manager.update(
        JobEntity,
        { id: job.id, lockedBy: this.workerId },
        {
          status: "queued",
          runAt: new Date(Date.now() + e.untilMs),
          attempts: job.attempts - 1,
          lockedBy: null,
          lockedUntil: null,
          lastError: message,
          updatedAt: new Date(),
        },
      );
      return;
    }
    const permanent = e instanceof PermanentJobFailure || job.attempts >= job.maxAttempts;
    this.opts.logger[permanent ? "error" : "warn"](
      { jobId: job.id, type: job.type, attempt: job.attempts, err: message },
      "job failed",
    );
    if (permanent) {
      await this.finish(job, "failed", message);
      return;
    }
    await this.ds.manager.update(
      JobEntity,
      { id: job.id, lockedBy: this.workerId },
      {
        status: "queued",
        runAt: new Date(Date.now() + backoffMs(job.attempts)),
        lockedBy: null,
        lockedUntil: null,
        lastError: message,
        updatedAt: new Date(),
      },
    );
  }
}
