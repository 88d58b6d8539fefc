import { ConsoleIntegrationsDocument, type ConsoleIntegrationsQuery } from "../../../sdk/generated/graphql";
import { useCan, useQuery } from "../api/hooks";
import { Badge, Button, Card, ErrorNote, Link, Loading } from "../components/ui";
import { ago } from "../lib/format";
import { FLOWS, RUN_STATUS } from "../lib/labels";
import { navigate } from "../lib/router";
import { ConnectionBadge } from "./parts";

type Integration = ConsoleIntegrationsQuery["integrations"][number];

export function IntegrationsPage() {
  const can = useCan();
  const q = useQuery(ConsoleIntegrationsDocument, {});
  const list = q.data?.integrations ?? [];
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Integrations</h1>
          <p className="lead">Each integration connects one Ecwid store with one CCV SalesPOS shop.</p>
        </div>
        {can.configure ? (
          <Button variant="primary" onClick={() => navigate("/setup")}>
            Set up a new integration
          </Button>
        ) : null}
      </div>
      <ErrorNote error={q.error} />
      {q.loading && !q.data ? <Loading what="integrations" /> : null}
      {q.data && list.length === 0 ? (
        <Card>
          <div className="empty">
            <h2>No integration yet</h2>
            <p>
              {can.configure
                ? "The setup wizard asks for your Ecwid and CCV SalesPOS credentials, tests them, and walks you through the flows in plain words. Nothing is switched on before you say so."
                : "An administrator of this workspace has not set up an integration yet."}
            </p>
            {can.configure ? (
              <Button variant="primary" onClick={() => navigate("/setup")}>
                Start the setup wizard
              </Button>
            ) : null}
          </div>
        </Card>
      ) : null}
      <div className="grid-cards">
        {list.map((i) => (
          <IntegrationCard key={i.id} i={i} canConfigure={can.configure} />
        ))}
      </div>
    </div>
  );
}

function IntegrationCard({ i, canConfigure }: { i: Integration; canConfigure: boolean }) {
  const on = i.flows.filter((f) => f.enabled);
  const last = i.flows
    .map((f) => f.lastRun)
    .filter((r): r is NonNullable<typeof r> => !!r)
    .sort((a, b) => b.queuedAt.localeCompare(a.queuedAt))[0];
  const setupDone = on.length > 0 && i.ecwid.status === "OK" && i.ccv.status === "OK";
  return (
    <Card title={<Link to={`/i/${encodeURIComponent(i.id)}`}>{i.name}</Link>} className="integration-card">
      <div className="conn-row">
        <ConnectionBadge c={i.ecwid} />
        <ConnectionBadge c={i.ccv} />
      </div>
      <p>
        {on.length === 0 ? (
          <span className="muted">No flow is switched on.</span>
        ) : (
          <>
            <strong>{on.length}</strong> {on.length === 1 ? "flow is" : "flows are"} on:{" "}
            {on.map((f) => FLOWS[f.kind].title).join(", ")}.
          </>
        )}
      </p>
      {last ? (
        <p className="muted">
          Last run {ago(last.queuedAt)}:{" "}
          <Badge tone={RUN_STATUS[last.status].tone}>{RUN_STATUS[last.status].label}</Badge>
        </p>
      ) : null}
      <div className="card-foot">
        <Link to={`/i/${encodeURIComponent(i.id)}`} className="btn btn-secondary">
          Open dashboard
        </Link>
        {canConfigure && !setupDone ? (
          <Link to={`/i/${encodeURIComponent(i.id)}/setup`} className="btn btn-primary">
            Continue setup
          </Link>
        ) : null}
      </div>
    </Card>
  );
}
