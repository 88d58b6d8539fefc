import type { EntityManager } from "typeorm";

/** A unit of work. Payloads carry ids only (never credentials): handlers read the rest from the database. */
export interface JobSpec {
  type: string;
  payload: Record<string, string | number | boolean | null>;
  runAt?: Date;
  maxAttempts?: number;
}

export interface RunningJob {
  id: string;
  type: string;
  payload: Record<string, unknown>;
  /** 1 for the first attempt */
  attempt: number;
  /** aborted when the worker stops or loses the job: handlers stop between units of work */
  signal: AbortSignal;
}

export type JobHandler = (job: RunningJob) => Promise<void>;

/** Throw from a handler to run the job again later without counting a failed attempt. */
export class PostponeJob extends Error {
  constructor(
    readonly untilMs: number,
    reason: string,
  ) {
    super(reason);
    this.name = "PostponeJob";
  }
}

/** Throw from a handler when retrying cannot help. */
export class PermanentJobFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentJobFailure";
  }
}

/**
 * The queue every background unit of work goes through. Embedded mode keeps jobs in the
 * database (DbJobQueue); enqueueing inside a caller's transaction makes "store X and the job it
 * causes" atomic.
 */
export interface JobQueue {
  enqueue(spec: JobSpec, em?: EntityManager): Promise<string>;
  /** starts claiming and running jobs with these handlers */
  start(handlers: Record<string, JobHandler>): void;
  /** stops claiming; waits for running jobs to finish (graceful shutdown) */
  stop(): Promise<void>;
  /** wakes the poller (after an in-process enqueue) */
  nudge(): void;
}

/** attempt n (1-based) failed: wait this long before the next one (1 s, 2 s, 4 s … capped at 5 min) */
export function backoffMs(attempt: number): number {
  return Math.min(5 * 60_000, 1000 * 2 ** Math.max(0, attempt - 1));
}
