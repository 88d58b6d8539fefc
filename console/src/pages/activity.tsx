import { useEffect, useState, type FormEvent } from "react";
import {
  CancelRunDocument,
  ConsoleItemsDocument,
  ConsoleItemsOfRunDocument,
  ConsoleRunsDocument,
  ReplayItemDocument,
  RetryFailedItemsDocument,
  SyncItemDocument,
  SyncRunDocument,
  type FlowKind,
  type ItemFieldsFragment,
  type ItemStatus,
  type RunFieldsFragment,
} from "../../../sdk/generated/graphql";
import { asGatewayError, useCan, useMutation, useQuery, useSession } from "../api/hooks";
import {
  ActionsHeader,
  Badge,
  Button,
  Card,
  ErrorNote,
  Field,
  JsonBlock,
  Loading,
  Note,
} from "../components/ui";
import { ago, dateTime, short } from "../lib/format";
import { FLOW_ORDER, FLOWS, ITEM_STATUS, SYSTEM } from "../lib/labels";
import { navigate, useLocation, withQuery } from "../lib/router";
import { countsInWords, RunBadge } from "./parts";

const FINAL = new Set(["SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED"]);

export function ActivityPage({ id }: { id: string }) {
  const { query } = useLocation();
  const filters = {
    flow: (query.get("flow") as FlowKind | null) ?? undefined,
    status: (query.get("status") as ItemStatus | null) ?? undefined,
    sku: query.get("sku") ?? undefined,
    orderId: query.get("orderId") ?? undefined,
    email: query.get("email") ?? undefined,
  };
  const selected = query.get("item") ?? undefined;
  const base = `/i/${encodeURIComponent(id)}/activity`;
  const items = useQuery(ConsoleItemsDocument, { integrationId: id, ...filters, first: 50 });
  const rows = items.data?.syncItems.edges.map((e) => e.node) ?? [];
  const [more, setMore] = useState<{ rows: typeof rows; cursor: string | null; hasNext: boolean }>();
  useEffect(() => {
    setMore(undefined);
  }, [items.data]);
  const { client } = useSession();
  const loadMore = async () => {
    const after = more ? more.cursor : (items.data?.syncItems.pageInfo.endCursor ?? null);
    const r = await client.request(ConsoleItemsDocument, { integrationId: id, ...filters, first: 50, after });
    setMore((m) => ({
      rows: [...(m?.rows ?? []), ...r.syncItems.edges.map((e) => e.node)],
      cursor: r.syncItems.pageInfo.endCursor ?? null,
      hasNext: r.syncItems.pageInfo.hasNextPage,
    }));
  };
  const hasNext = more ? more.hasNext : !!items.data?.syncItems.pageInfo.hasNextPage;
  const all = [...rows, ...(more?.rows ?? [])];
  const select = (itemId: string) =>
    navigate(withQuery(base, { ...filters, item: itemId }), { replace: false });

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Activity log</h1>
          <p className="lead">
            Every record the gateway handled: what came in, what was sent, what changed and why.
          </p>
        </div>
      </div>
      <Filters
        key={JSON.stringify(filters)}
        initial={filters}
        onSearch={(f) => navigate(withQuery(base, f))}
      />
      <div className={`activity-layout ${selected ? "with-detail" : ""}`}>
        <Card
          title={
            items.data ? (
              <>
                {items.data.syncItems.totalCount} {items.data.syncItems.totalCount === 1 ? "item" : "items"}
              </>
            ) : (
              "Items"
            )
          }
        >
          <ErrorNote error={items.error} />
          {items.loading && !items.data ? <Loading what="items" /> : null}
          {items.data && all.length === 0 ? <p className="muted">No item matches these filters.</p> : null}
          {all.length > 0 ? (
            <div className="table-wrap">
              <table className="table items-table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Record</th>
                    <th scope="col">Result</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {all.map((i) => (
                    <tr
                      key={i.id}
                      className={i.id === selected ? "selected" : undefined}
                      aria-selected={i.id === selected}
                    >
                      <td className="nowrap small">{ago(i.updatedAt)}</td>
                      <td>
                        <button type="button" className="linklike" onClick={() => select(i.id)}>
                          {i.entity.toLowerCase()} {i.sourceId}
                        </button>
                        {i.sku ? <span className="muted block small mono">{i.sku}</span> : null}
                      </td>
                      <td>
                        <Badge tone={ITEM_STATUS[i.status].tone}>{ITEM_STATUS[i.status].label}</Badge>
                        {i.errorCode ? <span className="muted block small mono">{i.errorCode}</span> : null}
                      </td>
                      <td className="small reason">{i.reason ?? <span className="muted">—</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {hasNext ? (
            <div className="actions">
              <Button onClick={() => void loadMore()}>Show more</Button>
            </div>
          ) : null}
        </Card>
        {selected ? (
          <ItemDetail
            itemId={selected}
            onSelect={(itemId) => {
              select(itemId);
              void items.refetch();
            }}
            onClose={() => navigate(withQuery(base, filters))}
          />
        ) : null}
      </div>
      <RecentRuns integrationId={id} />
    </div>
  );
}

function Filters({
  initial,
  onSearch,
}: {
  initial: Record<string, string | undefined>;
  onSearch: (f: Record<string, string | undefined>) => void;
}) {
  const [f, setF] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v?.trim() || undefined])));
  };
  return (
    <form className="filters card" onSubmit={submit} role="search" aria-label="Filter items">
      <Field label="Flow">
        {(p) => (
          <select
            {...p}
            value={f.flow ?? ""}
            onChange={(e) => setF({ ...f, flow: e.target.value || undefined })}
          >
            <option value="">All flows</option>
            {FLOW_ORDER.map((k) => (
              <option key={k} value={k}>
                {FLOWS[k].title}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Result">
        {(p) => (
          <select
            {...p}
            value={f.status ?? ""}
            onChange={(e) => setF({ ...f, status: e.target.value || undefined })}
          >
            <option value="">Any result</option>
            {(Object.keys(ITEM_STATUS) as ItemStatus[]).map((s) => (
              <option key={s} value={s}>
                {ITEM_STATUS[s].label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="SKU">
        {(p) => (
          <input
            {...p}
            value={f.sku ?? ""}
            onChange={(e) => setF({ ...f, sku: e.target.value })}
            placeholder="e.g. MUG-001"
          />
        )}
      </Field>
      <Field label="Order id">
        {(p) => (
          <input {...p} value={f.orderId ?? ""} onChange={(e) => setF({ ...f, orderId: e.target.value })} />
        )}
      </Field>
      <Field label="E-mail">
        {(p) => (
          <input
            {...p}
            type="email"
            value={f.email ?? ""}
            onChange={(e) => setF({ ...f, email: e.target.value })}
          />
        )}
      </Field>
      <div className="filters-actions">
        <Button type="submit" variant="primary">
          Search
        </Button>
        <Button variant="ghost" onClick={() => onSearch({})}>
          Clear
        </Button>
      </div>
    </form>
  );
}

function ItemDetail({
  itemId,
  onSelect,
  onClose,
}: {
  itemId: string;
  onSelect: (id: string) => void;
  onClose: () => void;
}) {
  const can = useCan();
  const { client } = useSession();
  const q = useQuery(SyncItemDocument, { id: itemId });
  const item = q.data?.syncItem ?? undefined;
  const runQ = useQuery(SyncRunDocument, { id: item?.runId ?? "", first: 1 }, { skip: !item });
  const run = runQ.data?.syncRun ?? undefined;
  const replay = useMutation(ReplayItemDocument);
  const retry = useMutation(RetryFailedItemsDocument);
  const cancel = useMutation(CancelRunDocument);
  const [retryRun, setRetryRun] = useState<RunFieldsFragment>();
  const [retryItem, setRetryItem] = useState<string>();

  // follow the retry run until it has finished, then offer its outcome for this record
  useEffect(() => {
    if (!retryRun || FINAL.has(retryRun.status)) return;
    const t = setInterval(async () => {
      const r = (await client.request(ConsoleItemsOfRunDocument, { id: retryRun.id, first: 50 })).syncRun;
      if (!r) return;
      setRetryRun(r);
      if (FINAL.has(r.status))
        setRetryItem(r.items.edges.find((e) => e.node.sourceId === item?.sourceId)?.node.id);
    }, 700);
    return () => clearInterval(t);
  }, [client, retryRun, item?.sourceId]);
  useEffect(() => {
    setRetryRun(undefined);
    setRetryItem(undefined);
  }, [itemId]);

  if (!item)
    return <Card title="Item">{q.error ? <ErrorNote error={q.error} /> : <Loading what="the item" />}</Card>;
  const flow = run ? FLOWS[run.flow] : undefined;
  const runActive = run && !FINAL.has(run.status);
  return (
    <Card
      className="item-detail"
      title={
        <>
          {item.entity.toLowerCase()} {item.sourceId}{" "}
          <Badge tone={ITEM_STATUS[item.status].tone}>{ITEM_STATUS[item.status].label}</Badge>
        </>
      }
      actions={
        <Button variant="ghost" onClick={onClose} aria-label="Close the item">
          Close
        </Button>
      }
    >
      <dl className="facts">
        <div>
          <dt>Flow</dt>
          <dd>{flow?.title ?? "…"}</dd>
        </div>
        <div>
          <dt>Action</dt>
          <dd>{item.action.toLowerCase()}</dd>
        </div>
        <div>
          <dt>In {flow ? SYSTEM[flow.to] : "the target"}</dt>
          <dd className="mono">{item.targetId ?? "—"}</dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd>{item.attempts}</dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>{dateTime(item.updatedAt)}</dd>
        </div>
      </dl>
      {item.reason ? (
        <Note tone={item.status === "FAILED" ? "bad" : "info"}>
          {item.errorCode ? <strong className="mono">{item.errorCode}: </strong> : null}
          {item.reason}
        </Note>
      ) : null}
      {can.operate ? (
        <div className="actions">
          <Button
            busy={replay.pending}
            onClick={() =>
              void replay.mutate({ itemId: item.id }).then((r) => r && onSelect(r.replayItem.id))
            }
          >
            Replay this item now
          </Button>
          {item.status === "FAILED" && run && FINAL.has(run.status) ? (
            <Button
              variant="primary"
              busy={retry.pending}
              onClick={() =>
                void retry.mutate({ runId: run.id }).then((r) => r && setRetryRun(r.retryFailedItems))
              }
            >
              Retry the failed items of this run
            </Button>
          ) : null}
          {runActive ? (
            <Button
              variant="danger"
              busy={cancel.pending}
              onClick={() => void cancel.mutate({ id: run.id }).then(() => runQ.refetch())}
            >
              Cancel the run
            </Button>
          ) : null}
        </div>
      ) : null}
      <ErrorNote error={replay.error ?? retry.error ?? cancel.error} />
      {retryRun ? (
        <Note tone={FINAL.has(retryRun.status) ? (retryRun.counts.failed ? "warn" : "good") : "info"}>
          {FINAL.has(retryRun.status) ? (
            <>
              <strong>Retry finished:</strong> {countsInWords(retryRun.counts)}.{" "}
              {retryItem ? (
                <button type="button" className="linklike" onClick={() => onSelect(retryItem)}>
                  Show the new result
                </button>
              ) : null}
            </>
          ) : (
            <>
              <strong>Retry running…</strong> <RunBadge run={retryRun} />
            </>
          )}
        </Note>
      ) : null}
      <Payloads
        item={item}
        from={flow ? SYSTEM[flow.from] : "the source"}
        to={flow ? SYSTEM[flow.to] : "the target"}
      />
    </Card>
  );
}

function Payloads({ item, from, to }: { item: ItemFieldsFragment; from: string; to: string }) {
  return (
    <div className="payloads">
      <section aria-label={`Came from ${from}`}>
        <h3>Came from {from}</h3>
        <JsonBlock
          value={item.sourcePayload}
          label={`Payload from ${from}`}
          empty="Not kept (older than the retention period)."
        />
      </section>
      <section aria-label={`Sent to ${to}`}>
        <h3>{item.status === "PENDING" ? `Would be sent to ${to}` : `Sent to ${to}`}</h3>
        <JsonBlock
          value={item.sentPayload}
          label={`Payload sent to ${to}`}
          empty={
            item.status === "FAILED" ? "Nothing was sent: the item failed before that." : "Nothing was sent."
          }
        />
      </section>
      <section aria-label="Field changes">
        <h3>Field changes</h3>
        {item.changes.length === 0 ? (
          <p className="muted">No field changed.</p>
        ) : (
          <table className="table changes">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {item.changes.map((c) => (
                <tr key={c.field}>
                  <th scope="row" className="mono">
                    {c.field}
                  </th>
                  <td className="before">{short(c.before)}</td>
                  <td className="after">{short(c.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function RecentRuns({ integrationId }: { integrationId: string }) {
  const can = useCan();
  const { client } = useSession();
  const q = useQuery(ConsoleRunsDocument, { integrationId, first: 10 });
  const [error, setError] = useState<string>();
  const act = async (fn: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(asGatewayError(e).message);
    }
    await q.refetch();
  };
  const runs = q.data?.syncRuns.edges.map((e) => e.node) ?? [];
  return (
    <Card
      title="Recent runs"
      actions={
        <Button variant="ghost" onClick={() => void q.refetch()}>
          Refresh
        </Button>
      }
    >
      <ErrorNote error={error} />
      {runs.length === 0 && q.data ? <p className="muted">No run yet.</p> : null}
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Flow</th>
              <th scope="col">Started by</th>
              <th scope="col">Result</th>
              <th scope="col">When</th>
              {can.operate ? <ActionsHeader /> : null}
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <th scope="row">{FLOWS[r.flow].title}</th>
                <td className="small">{r.trigger.toLowerCase()}</td>
                <td>
                  <RunBadge run={r} /> <span className="small">{countsInWords(r.counts, r.dryRun)}</span>
                </td>
                <td className="small nowrap">{ago(r.queuedAt)}</td>
                {can.operate ? (
                  <td className="right">
                    {!FINAL.has(r.status) ? (
                      <Button
                        variant="danger"
                        onClick={() => void act(() => client.request(CancelRunDocument, { id: r.id }))}
                      >
                        Cancel
                      </Button>
                    ) : r.counts.failed > 0 ? (
                      <Button
                        onClick={() =>
                          void act(() => client.request(RetryFailedItemsDocument, { runId: r.id }))
                        }
                      >
                        Retry {r.counts.failed} failed
                      </Button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
