import type { AlertKindName } from "./alert-kinds";
import { systemWords } from "./alert-kinds";
import type { ConsoleLinks } from "./console-links";
import { FLOW_KIND_WORDS, isFlowKind } from "../../domain/flow-kinds";

/**
 * The words of every alert: what happened, to which records, what to do, and where to look. Item
 * failures quote the item's own reason (the words the activity log shows), which already names the
 * fix; the advice per error code adds the step after it. Records are named by their ids, never by
 * a person's name or e-mail address.
 */
export interface AlertText {
  kind: AlertKindName;
  title: string;
  body: string;
  link: string;
  facts: Record<string, unknown>;
}

export const flowWords = (flow: string) => `${isFlowKind(flow) ? FLOW_KIND_WORDS[flow] : flow} (${flow})`;

const ADVICE: Record<string, string> = {
  MISSING_PRODUCT: "Create or sync the missing products, then retry the failed items.",
  VALUE_MAPPING: "Add the missing value mapping (setValueMappings), then retry the failed items.",
  MAPPING: "Correct the field mapping the reason names (setFieldMappings), then retry the failed items.",
  AUTH: "Enter valid credentials for the connection and test it; the flow resumes on its next run.",
  DEFAULT_DEBTOR: "Set the flow's defaultDebtor to an existing customer (configureFlow), then retry.",
  SETTINGS: "Correct the flow setting the reason names (configureFlow), then retry the failed items.",
  MISSING_CUSTOMER: "Set a defaultDebtor for sales without a customer (configureFlow), then retry.",
  CUSTOMER: "Correct the customer data the reason names in the source system, then retry the item.",
  VALIDATION: "Correct the data the reason names in the source system, then retry the failed items.",
  UPSTREAM: "The vendor did not answer properly; retry the failed items once it works again.",
  TEMPORARY:
    "The vendor could not be reached or answered with an error; the items are retried automatically.",
  RATE_LIMITED: "The vendor's rate limit was reached; the items can be retried a little later.",
  NOT_FOUND: "The record no longer exists at the vendor; nothing to do unless that is unexpected.",
};
export const adviceFor = (code: string | null | undefined) =>
  (code && ADVICE[code]) ??
  "Read the reason of the failed items, fix the cause, then retry them (retryFailedItems).";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const minutes = (ms: number) => {
  const m = Math.round(ms / 60_000);
  return m >= 120 ? `${Math.round(m / 60)} hours` : plural(m, "minute");
};

export interface RecordRef {
  sourceId: string;
  sku?: string | null;
}
const records = (refs: RecordRef[], total: number) => {
  const shown = refs.map((r) => (r.sku ? `${r.sourceId} (SKU ${r.sku})` : r.sourceId)).join(", ");
  return total > refs.length ? `${shown} and ${total - refs.length} more` : shown;
};

export class AlertWriter {
  constructor(private readonly links: ConsoleLinks) {}

  connectionFailing(i: Named, system: string, message: string | null): AlertText {
    const who = systemWords(system);
    return {
      kind: "CONNECTION_FAILING",
      title: `[${i.name}] The ${who} connection is failing`,
      body: [
        `The gateway cannot work with ${who} for the integration "${i.name}": ${message ?? "the connection test failed"}`,
        `Syncing with ${who} stops until the connection works again; nothing is lost, the flows catch up afterwards.`,
        `What to do: check the ${who} credentials of the integration (replace them if they were changed or revoked) and test the connection.`,
      ].join("\n"),
      link: this.links.connections(i.id),
      facts: { integrationId: i.id, system, message },
    };
  }

  connectionRecovered(i: Named, system: string, failingSince: Date): AlertText {
    const who = systemWords(system);
    return {
      kind: "CONNECTION_RECOVERED",
      title: `[${i.name}] The ${who} connection works again`,
      body: [
        `The ${who} connection of the integration "${i.name}" works again (failing since ${failingSince.toISOString()}).`,
        "What to do: nothing; the flows catch up on their next runs. Retry failed items if a run failed meanwhile.",
      ].join("\n"),
      link: this.links.connections(i.id),
      facts: { integrationId: i.id, system, failingSince: failingSince.toISOString() },
    };
  }

  runFinished(
    i: Named,
    run: { id: string; flow: string; status: string; total: number; failed: number; error: string | null },
    groups: { errorCode: string; count: number; reason: string | null }[],
  ): AlertText {
    const failed = run.status === "FAILED";
    const lines = [
      failed
        ? `A run of ${flowWords(run.flow)} failed${run.error ? `: ${run.error}` : "."}`
        : `A run of ${flowWords(run.flow)} finished with ${plural(run.failed, "failed item")} of ${run.total}.`,
      ...groups.map(
        (g) => `- ${plural(g.count, "item")} failed with ${g.errorCode}${g.reason ? `: ${g.reason}` : ""}`,
      ),
      `What to do: ${failed && !groups.length ? "fix what the error names; the next run starts where this one stopped." : adviceFor(groups[0]?.errorCode)}`,
    ];
    return {
      kind: failed ? "RUN_FAILED" : "RUN_PARTIAL",
      title: failed
        ? `[${i.name}] A run of ${run.flow} failed`
        : `[${i.name}] ${run.flow}: ${plural(run.failed, "item")} failed`,
      body: lines.join("\n"),
      link: this.links.run(i.id, run.flow, run.id),
      facts: {
        integrationId: i.id,
        flow: run.flow,
        runId: run.id,
        status: run.status,
        total: run.total,
        failed: run.failed,
        errorCodes: groups.map((g) => ({ errorCode: g.errorCode, count: g.count })),
      },
    };
  }

  itemFailure(
    i: Named,
    flow: string,
    errorCode: string,
    reason: string | null,
    refs: RecordRef[],
    count: number,
    reminder = false,
  ): AlertText {
    return {
      kind: "ITEM_FAILURE",
      title: reminder
        ? `[${i.name}] ${flow}: items still fail with ${errorCode} (${plural(count, "item")} so far)`
        : `[${i.name}] ${flow}: a new kind of failure, ${errorCode}`,
      body: [
        `${reminder ? "Still failing" : "New failure"} in ${flowWords(flow)}: ${plural(count, "item")} failed with ${errorCode}.`,
        `Reason: ${reason ?? "(none recorded)"}`,
        `Records: ${records(refs, count)}.`,
        `What to do: ${adviceFor(errorCode)}`,
      ].join("\n"),
      link: this.links.failedItems(i.id, flow, errorCode),
      facts: { integrationId: i.id, flow, errorCode, count, records: refs },
    };
  }

  runStalled(
    i: Named,
    run: { id: string; flow: string; status: string; total: number; expectedTotal: number | null },
    idleMs: number,
  ): AlertText {
    const queued = run.status === "QUEUED";
    return {
      kind: "RUN_STALLED",
      title: `[${i.name}] A run of ${run.flow} has stalled`,
      body: [
        queued
          ? `A run of ${flowWords(run.flow)} has been queued for ${minutes(idleMs)} without starting.`
          : `A run of ${flowWords(run.flow)} has made no progress for ${minutes(idleMs)} (${run.total}${run.expectedTotal ? ` of ${run.expectedTotal}` : ""} items done).`,
        queued
          ? "What to do: make sure a worker process is running (GATEWAY_ROLE=all or worker) and look at its log."
          : "What to do: check the connections and the worker's log; cancel the run and start it again if it stays stuck (it resumes where it stopped).",
      ].join("\n"),
      link: this.links.run(i.id, run.flow, run.id),
      facts: {
        integrationId: i.id,
        flow: run.flow,
        runId: run.id,
        status: run.status,
        idleMinutes: Math.round(idleMs / 60_000),
      },
    };
  }

  flowSilent(
    i: Named,
    flow: string,
    schedule: string,
    lastSuccess: Date | null,
    periodMs: number,
  ): AlertText {
    return {
      kind: "FLOW_SILENT",
      title: `[${i.name}] ${flow} has not run successfully for a while`,
      body: [
        `${flowWords(flow)} is enabled with the schedule "${schedule}" (about every ${minutes(periodMs)}), but ${lastSuccess ? `its last successful run finished at ${lastSuccess.toISOString()}` : "it has never finished a run successfully"}.`,
        "What to do: make sure a worker process is running, and look at the flow's latest runs for errors.",
      ].join("\n"),
      link: this.links.flow(i.id, flow),
      facts: { integrationId: i.id, flow, schedule, lastSuccessAt: lastSuccess?.toISOString() ?? null },
    };
  }

  budgetExhausted(
    i: Named,
    l: { system: string; lane: string; minutes: number; throttled: number; perMinute: number },
  ): AlertText {
    const who = systemWords(l.system);
    return {
      kind: "RATE_BUDGET_EXHAUSTED",
      title: `[${i.name}] ${who} rate limit reached for ${minutes(l.minutes * 60_000)}`,
      body: [
        `Requests to ${who} on "${l.lane}" have been at the vendor's limit (${l.perMinute} per minute) for ${minutes(l.minutes * 60_000)}${l.throttled ? `; ${who} refused ${plural(l.throttled, "request")} with 429 (too many requests)` : ""}.`,
        "Syncs are slowed, not broken: they wait for the budget and nothing is lost.",
        `What to do: if this lasts, check whether other apps use the same ${who} credentials, and spread the flows' schedules.`,
      ].join("\n"),
      link: this.links.integration(i.id),
      facts: {
        integrationId: i.id,
        system: l.system,
        lane: l.lane,
        minutes: l.minutes,
        throttled: l.throttled,
      },
    };
  }
}

export interface Named {
  id: string;
  name: string;
}
