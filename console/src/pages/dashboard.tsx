import { useCallback, useState } from "react";
import {
  CancelRunDocument,
  ConsoleActivityDocument,
  ConsoleIntegrationDocument,
  RunSyncDocument,
  TestConnectionsDocument,
  type FlowKind,
  type RunFieldsFragment,
} from "../../../sdk/generated/graphql";
import { useLiveRuns, type LiveEvent } from "../api/live-runs";
import { asGatewayError, useCan, useMutation, useQuery, useSession } from "../api/hooks";
import { ActivityChart } from "../components/activity-chart";
import {
  ActionsHeader,
  Badge,
  Button,
  Card,
  ErrorNote,
  Link,
  Loading,
  Note,
  ProgressBar,
} from "../components/ui";
import { ago, clock, dateTime, duration } from "../lib/format";
import { FLOW_ORDER, FLOWS, SYSTEM, scheduleInWords } from "../lib/labels";
import { withQuery } from "../lib/router";
import { countsInWords, lastRunLine, RunBadge } from "./parts";

export function DashboardPage({ id }: { id: string }) {
  const can = useCan();
  const q = useQuery(ConsoleIntegrationDocument, { id });
  const activity = useQuery(ConsoleActivityDocument, { integrationId: id, hours: 72 });
  const refresh = useCallback(() => {
    void q.refetch();
    void activity.refetch();
  }, [q.refetch, activity.refetch]); // eslint-disable-line react-hooks/exhaustive-deps
  const live = useLiveRuns(id, refresh);
  const test = useMutation(TestConnectionsDocument);
  const { client } = useSession();
  const [runErrors, setRunErrors] = useState<Partial<Record<FlowKind, string>>>({});
  const i = q.data?.integration;
  if (!i)
    return (
      <div className="page">{q.error ? <ErrorNote error={q.error} /> : <Loading what="the dashboard" />}</div>
    );

  const startRun = async (flow: FlowKind) => {
    try {
      await client.request(RunSyncDocument, { integrationId: id, flow, options: {} });
      setRunErrors((x) => ({ ...x, [flow]: undefined }));
    } catch (e) {
      setRunErrors((x) => ({ ...x, [flow]: asGatewayError(e).message }));
    }
  };
  const flows = FLOW_ORDER.map((k) => i.flows.find((f) => f.kind === k)!).filter(
    (f) => f.enabled || f.lastRun,
  );
  const next = i.flows.filter((f) => f.nextRunAt).sort((a, b) => a.nextRunAt!.localeCompare(b.nextRunAt!))[0];
  const failing = i.flows.reduce((t, f) => t + (f.lastRun?.counts.failed ?? 0), 0);

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{i.name}</h1>
          <p className="lead">
            {next ? (
              <>
                Next scheduled run: <strong>{FLOWS[next.kind].title}</strong> at {clock(next.nextRunAt!)} (
                {ago(next.nextRunAt)}).
              </>
            ) : (
              "No flow is scheduled."
            )}
          </p>
        </div>
      </div>
      <div className="kpis">
        <Kpi label="Flows on" value={String(i.flows.filter((f) => f.enabled).length)} />
        <Kpi
          label="Running now"
          value={String(live.runs.filter((r) => r.status === "RUNNING" || r.status === "QUEUED").length)}
        />
        <Kpi
          label="Failed in last runs"
          value={String(failing)}
          tone={failing ? "bad" : undefined}
          to={failing ? withQuery(`/i/${encodeURIComponent(id)}/activity`, { status: "FAILED" }) : undefined}
        />
      </div>

      <div className="grid-2">
        <Card
          title="Connections"
          actions={
            can.operate ? (
              <Button
                busy={test.pending}
                onClick={() => void test.mutate({ integrationId: id }).then(() => q.refetch())}
              >
                Test connections
              </Button>
            ) : null
          }
        >
          <ul className="conn-list">
            {[i.ecwid, i.ccv].map((c) => (
              <li key={c.system}>
                <span
                  className={`dot dot-${c.status === "OK" ? "good" : c.status === "FAILING" ? "bad" : "neutral"}`}
                  aria-hidden="true"
                />
                <div>
                  <strong>{SYSTEM[c.system]}</strong> <span className="muted">{c.label}</span>
                  <span className="block">
                    {c.status === "OK"
                      ? "Connected"
                      : c.status === "FAILING"
                        ? "Not working"
                        : "Not tested yet"}
                    {c.lastCheckedAt ? (
                      <span className="muted"> · checked {ago(c.lastCheckedAt)}</span>
                    ) : null}
                  </span>
                  {c.lastError ? <span className="block field-error">{c.lastError}</span> : null}
                </div>
              </li>
            ))}
          </ul>
          <ErrorNote error={test.error} />
        </Card>

        <Card title="Runs in progress" className="live-card">
          {live.error ? <Note tone="warn">Live updates stopped: {live.error}</Note> : null}
          {live.runs.length === 0 ? (
            <p className="muted">Nothing is running. Runs appear here the moment they start.</p>
          ) : null}
          <ul className="runs-live">
            {live.runs.slice(0, 5).map((r) => (
              <LiveRun key={r.id} run={r} canCancel={can.operate} />
            ))}
          </ul>
        </Card>
      </div>

      <Card title="Flows">
        {flows.length === 0 ? (
          <p className="muted">
            No flow is on.{" "}
            {can.configure ? <Link to={`/i/${encodeURIComponent(id)}/setup`}>Continue the setup</Link> : null}
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Flow</th>
                  <th scope="col">State</th>
                  <th scope="col">Last run</th>
                  <th scope="col">Failing</th>
                  <th scope="col">Next run</th>
                  {can.operate ? <ActionsHeader /> : null}
                </tr>
              </thead>
              <tbody>
                {flows.map((f) => (
                  <tr key={f.kind}>
                    <th scope="row">
                      {FLOWS[f.kind].title}
                      <span className="muted block small">{scheduleInWords(f.schedule)}</span>
                    </th>
                    <td>
                      <Badge tone={f.enabled ? "good" : "neutral"}>{f.enabled ? "On" : "Off"}</Badge>
                    </td>
                    <td>
                      {f.lastRun ? <RunBadge run={f.lastRun} /> : null}{" "}
                      <span className="small">{lastRunLine(f.lastRun)}</span>
                    </td>
                    <td>
                      {f.lastRun?.counts.failed ? (
                        <Link
                          to={withQuery(`/i/${encodeURIComponent(id)}/activity`, {
                            flow: f.kind,
                            status: "FAILED",
                          })}
                        >
                          {f.lastRun.counts.failed} failed
                        </Link>
                      ) : (
                        <span className="muted">none</span>
                      )}
                    </td>
                    <td>
                      {f.nextRunAt ? (
                        `${clock(f.nextRunAt)} (${ago(f.nextRunAt)})`
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    {can.operate ? (
                      <td className="right">
                        <Button
                          onClick={() => void startRun(f.kind)}
                          aria-label={`Run ${FLOWS[f.kind].title} now`}
                        >
                          Run now
                        </Button>
                        {runErrors[f.kind] ? (
                          <span className="field-error block">{runErrors[f.kind]}</span>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <div className="grid-2 wide-left">
        <Card title="Items per hour, last 3 days">
          {activity.data ? (
            <ActivityChart buckets={activity.data.syncActivity} />
          ) : (
            <Loading what="the chart" />
          )}
        </Card>
        <Card title="Live events">
          {live.events.length === 0 ? <p className="muted">Waiting for events…</p> : null}
          <ol className="feed" aria-live="polite">
            {live.events.map((e) => (
              <EventLine key={e.id} e={e} />
            ))}
          </ol>
        </Card>
      </div>
    </div>
  );
}

function Kpi({ label, value, tone, to }: { label: string; value: string; tone?: "bad"; to?: string }) {
  const body = (
    <>
      <span className="kpi-value">{value}</span>
      <span className="kpi-label">{label}</span>
    </>
  );
  return <div className={`kpi ${tone ? `kpi-${tone}` : ""}`}>{to ? <Link to={to}>{body}</Link> : body}</div>;
}

function LiveRun({ run, canCancel }: { run: RunFieldsFragment; canCancel: boolean }) {
  const cancel = useMutation(CancelRunDocument);
  const active = run.status === "RUNNING" || run.status === "QUEUED";
  const done = run.counts.total;
  const expected = run.expectedTotal;
  const eta = estimate(run);
  return (
    <li className="run-live" data-run-id={run.id}>
      <div className="run-live-head">
        <strong>{FLOWS[run.flow].title}</strong>
        <RunBadge run={run} />
      </div>
      <ProgressBar
        value={run.status === "SUCCEEDED" || run.status === "PARTIAL" ? 1 : run.progress}
        label={`Progress of ${FLOWS[run.flow].title}`}
      />
      <p className="small">
        {expected ? `${done} of ${expected}` : `${done} handled`} · {countsInWords(run.counts, run.dryRun)}
        {active && eta ? (
          <>
            {" "}
            · about {duration(eta.getTime() - Date.now())} left, done around {clock(eta)}
          </>
        ) : null}
        {!active && run.finishedAt ? <> · finished {dateTime(run.finishedAt)}</> : null}
      </p>
      {run.error ? <p className="field-error">{run.error}</p> : null}
      {active && canCancel ? (
        <Button variant="danger" busy={cancel.pending} onClick={() => void cancel.mutate({ id: run.id })}>
          Cancel run
        </Button>
      ) : null}
      <ErrorNote error={cancel.error} />
    </li>
  );
}

/** the server's estimate, else the pace so far */
function estimate(run: RunFieldsFragment): Date | null {
  if (run.estimatedFinishAt) return new Date(run.estimatedFinishAt);
  if (!run.startedAt || run.progress <= 0.02 || run.progress >= 1) return null;
  const spent = Date.now() - new Date(run.startedAt).getTime();
  return new Date(Date.now() + (spent / run.progress) * (1 - run.progress));
}

const EVENT_WORDS: Record<LiveEvent["type"], string> = {
  RUN_QUEUED: "queued",
  RUN_STARTED: "started",
  ITEM_SUCCEEDED: "done",
  ITEM_SKIPPED: "skipped",
  ITEM_FAILED: "failed",
  RUN_FINISHED: "finished",
  CONNECTION_FAILED: "connection failed",
  RUN_WAITING: "waiting",
};

function EventLine({ e }: { e: LiveEvent }) {
  const tone =
    e.type === "ITEM_FAILED" || e.type === "CONNECTION_FAILED"
      ? "bad"
      : e.type === "ITEM_SUCCEEDED"
        ? "good"
        : "neutral";
  return (
    <li>
      <time dateTime={e.at}>{clock(e.at)}</time> <Badge tone={tone}>{EVENT_WORDS[e.type]}</Badge>{" "}
      <span className="small">
        {e.flow ? FLOWS[e.flow].title : ""}
        {e.item ? ` · ${e.item.entity.toLowerCase()} ${e.item.sku ?? e.item.sourceId}` : ""}
        {e.message ? ` — ${e.message}` : ""}
      </span>
    </li>
  );
}
