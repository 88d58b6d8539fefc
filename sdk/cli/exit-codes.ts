/**
 * Exit codes of `gateway run`, `gateway watch` and `gateway items retry`, by the run's outcome, so a
 * script can act on them (`gateway run … || notify`). Any other command exits 0 on success and
 * EXIT.ERROR when it could not do what was asked.
 */
export const EXIT = {
  /** the run SUCCEEDED (every item synced or skipped) */
  SUCCEEDED: 0,
  /** the command failed: bad arguments or input, gateway unreachable, key refused, … */
  ERROR: 1,
  /** the run finished PARTIAL: some items failed (list them with `gateway items list`) */
  PARTIAL: 2,
  /** the run FAILED as a whole (e.g. a connection failed) */
  FAILED: 3,
  /** the run was CANCELLED */
  CANCELLED: 4,
} as const;

export function exitCodeForRun(status: string): number {
  switch (status) {
    case "SUCCEEDED":
      return EXIT.SUCCEEDED;
    case "PARTIAL":
      return EXIT.PARTIAL;
    case "FAILED":
      return EXIT.FAILED;
    case "CANCELLED":
      return EXIT.CANCELLED;
    default:
      return EXIT.ERROR;
  }
}

export const FINAL_RUN_STATUSES = new Set(["SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED"]);
