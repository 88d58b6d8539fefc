import { useEffect, useMemo, useRef, useState } from "react";
import {
  ConsoleItemsDocument,
  ConsolePreviewMappingDocument,
  ConsoleSeenValueCodesDocument,
  ConsoleValueMappingsDocument,
  FlowDetailDocument,
  SetFieldMappingsDocument,
  SetValueMappingsDocument,
  type FieldMappingInput,
  type FieldWritePolicy,
  type FlowKind,
  type ValueMapKind,
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
import { short } from "../lib/format";
import { FLOW_ORDER, FLOWS, SYSTEM } from "../lib/labels";
import { navigate, useLocation, withQuery } from "../lib/router";

const POLICIES: Record<FieldWritePolicy, string> = {
  ALWAYS: "Always: on create and on every update",
  CREATE_ONLY: "On create only: later edits in the target are kept",
  FILL_IF_EMPTY: "Only while the target field is empty",
  NEVER: "Never written",
};

type Mapping = {
  target: string;
  source: string | null;
  expression: string | null;
  defaultValue?: unknown;
  policy: FieldWritePolicy;
  isDefault: boolean;
};

const toInput = (m: Mapping): FieldMappingInput => ({
  target: m.target,
  source: m.source || null,
  expression: m.expression || null,
  defaultValue: m.defaultValue ?? null,
  policy: m.policy,
});

export function MappingsPage({ id }: { id: string }) {
  const { query } = useLocation();
  const flow = (query.get("flow") as FlowKind | null) ?? "ORDERS_ECWID_TO_CCV";
  const base = `/i/${encodeURIComponent(id)}/mappings`;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Mappings</h1>
          <p className="lead">
            Which field of one system fills which field of the other, and how codes are translated.
          </p>
        </div>
      </div>
      <FieldMappings key={flow} id={id} flow={flow} onFlow={(f) => navigate(withQuery(base, { flow: f }))} />
      <ValueMaps id={id} />
    </div>
  );
}

function FieldMappings({ id, flow, onFlow }: { id: string; flow: FlowKind; onFlow: (f: FlowKind) => void }) {
  const can = useCan();
  const q = useQuery(FlowDetailDocument, { id, kind: flow });
  const [editing, setEditing] = useState<Mapping | null>(null);
  const mappings = (q.data?.integration?.flow.fieldMappings ?? []) as Mapping[];
  const f = FLOWS[flow];
  return (
    <Card
      title="Field mappings"
      actions={
        <form role="search" aria-label="Choose a flow" onSubmit={(e) => e.preventDefault()}>
          <label className="inline-select">
            <span>Flow</span>
            <select value={flow} onChange={(e) => onFlow(e.target.value as FlowKind)}>
              {FLOW_ORDER.map((k) => (
                <option key={k} value={k}>
                  {FLOWS[k].title}
                </option>
              ))}
            </select>
          </label>
        </form>
      }
    >
      <p className="muted">
        From {SYSTEM[f.from]} to {SYSTEM[f.to]}. Defaults ship with the gateway; a mapping of yours replaces
        the default of the same field.
      </p>
      <ErrorNote error={q.error} />
      {q.loading && !q.data ? <Loading what="mappings" /> : null}
      {q.data && mappings.length === 0 ? (
        <p className="muted">This flow has no field mappings in this gateway version yet.</p>
      ) : null}
      {mappings.length > 0 ? (
        <div className="table-wrap">
          <table className="table mappings-table">
            <thead>
              <tr>
                <th scope="col">Field in {SYSTEM[f.to]}</th>
                <th scope="col">Filled from</th>
                <th scope="col">Written</th>
                {can.configure ? <ActionsHeader /> : null}
              </tr>
            </thead>
            <tbody>
              {mappings.map((m) => (
                <tr key={m.target} className={editing?.target === m.target ? "selected" : undefined}>
                  <th scope="row" className="mono">
                    {m.target}{" "}
                    {m.isDefault ? <Badge tone="neutral">default</Badge> : <Badge tone="info">yours</Badge>}
                  </th>
                  <td className="mono small">
                    {m.expression ? (
                      <span title="JSONata expression">ƒ {m.expression}</span>
                    ) : (
                      (m.source ?? "—")
                    )}
                    {m.defaultValue !== null && m.defaultValue !== undefined ? (
                      <span className="muted block">default {short(m.defaultValue)}</span>
                    ) : null}
                  </td>
                  <td className="small">{POLICIES[m.policy].split(":")[0]}</td>
                  {can.configure ? (
                    <td className="right">
                      <Button onClick={() => setEditing(m)} aria-label={`Edit the mapping of ${m.target}`}>
                        Edit
                      </Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {can.configure && q.data ? (
        <div className="actions">
          <Button
            onClick={() =>
              setEditing({
                target: "",
                source: null,
                expression: "",
                defaultValue: null,
                policy: "ALWAYS",
                isDefault: false,
              })
            }
          >
            Add a mapping
          </Button>
        </div>
      ) : null}
      {editing ? (
        <MappingEditor
          key={editing.target || "new"}
          integrationId={id}
          flow={flow}
          original={editing}
          all={mappings}
          onDone={() => {
            setEditing(null);
            void q.refetch();
          }}
        />
      ) : null}
    </Card>
  );
}

function MappingEditor({
  integrationId,
  flow,
  original,
  all,
  onDone,
}: {
  integrationId: string;
  flow: FlowKind;
  original: Mapping;
  all: Mapping[];
  onDone: () => void;
}) {
  const { client } = useSession();
  const [m, setM] = useState<Mapping>({
    ...original,
    expression: original.expression ?? (original.source ? null : ""),
  });
  const [mode, setMode] = useState<"expression" | "source">(
    original.source && !original.expression ? "source" : "expression",
  );
  const [defaultText, setDefaultText] = useState(
    original.defaultValue === null || original.defaultValue === undefined
      ? ""
      : JSON.stringify(original.defaultValue),
  );
  const recent = useQuery(ConsoleItemsDocument, { integrationId, flow, first: 10 });
  const records = [...new Set((recent.data?.syncItems.edges ?? []).map((e) => e.node.sourceId))];
  const [record, setRecord] = useState("");
  const sourceId = record || records[0] || "";
  const save = useMutation(SetFieldMappingsDocument);
  const [preview, setPreview] = useState<{
    target?: unknown;
    source?: unknown;
    problem?: { message: string; position: number | null };
    errors: string[];
  }>();
  const [previewError, setPreviewError] = useState<string>();
  const [defaultError, setDefaultError] = useState<string>();
  const ref = useRef<HTMLElement>(null);
  // braces: newer browsers return a promise from scrollIntoView, which must not become the cleanup
  useEffect(() => {
    void ref.current?.scrollIntoView({ block: "start", behavior: "smooth" });
  }, []);

  const draft = useMemo((): Mapping | null => {
    let defaultValue: unknown = null;
    if (defaultText.trim()) {
      try {
        defaultValue = JSON.parse(defaultText);
      } catch {
        defaultValue = defaultText;
      }
    }
    return {
      ...m,
      source: mode === "source" ? m.source : null,
      expression: mode === "expression" ? m.expression : null,
      defaultValue,
    };
  }, [m, mode, defaultText]);

  // the user mappings with this draft in place (the defaults stay on the server)
  const userMappings = (d: Mapping) => [
    ...all.filter((x) => !x.isDefault && x.target !== original.target && x.target !== d.target).map(toInput),
    toInput(d),
  ];

  // live preview on a real record, a moment after typing stops
  useEffect(() => {
    if (!draft || !draft.target || !sourceId) return;
    const t = setTimeout(() => {
      client
        .request(ConsolePreviewMappingDocument, {
          integrationId,
          flow,
          sourceId,
          mappings: userMappings(draft),
        })
        .then((r) => {
          const p = r.previewMapping;
          const problem = p.problems.find((x) => x.target === draft.target);
          setPreview({
            target: valueAt(p.targetPayload, draft.target),
            source: p.sourcePayload,
            problem: problem ? { message: problem.message, position: problem.position ?? null } : undefined,
            errors: p.errors,
          });
          setPreviewError(undefined);
        })
        .catch((e) => setPreviewError(asGatewayError(e).message));
    }, 350);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, integrationId, flow, sourceId, JSON.stringify(draft)]);

  const submit = async () => {
    if (!draft) return;
    setDefaultError(undefined);
    const r = await save.mutate({ integrationId, flow, mappings: userMappings(draft) });
    if (r) onDone();
  };
  const restoreDefault = async () => {
    const r = await save.mutate({
      integrationId,
      flow,
      mappings: all.filter((x) => !x.isDefault && x.target !== original.target).map(toInput),
    });
    if (r) onDone();
  };
  const saveError = save.error;
  const position =
    (saveError?.extensions.position as number | undefined) ?? preview?.problem?.position ?? undefined;
  const exprError = saveError?.message ?? preview?.problem?.message;

  return (
    <section className="editor" ref={ref} aria-label={`Edit mapping ${original.target || "(new)"}`}>
      <h3>{original.target ? `Mapping of ${original.target}` : "New mapping"}</h3>
      <div className="editor-grid">
        <div>
          <Field label="Target field" hint="A path in the payload sent, e.g. customer.billingaddress.zipcode">
            {(p) => (
              <input
                {...p}
                className="mono"
                value={m.target}
                readOnly={!!original.target}
                onChange={(e) => setM({ ...m, target: e.target.value })}
              />
            )}
          </Field>
          <fieldset>
            <legend>Filled from</legend>
            <label className="check">
              <input
                type="radio"
                name="mode"
                checked={mode === "expression"}
                onChange={() => setMode("expression")}
              />{" "}
              A JSONata expression
            </label>
            <label className="check">
              <input
                type="radio"
                name="mode"
                checked={mode === "source"}
                onChange={() => setMode("source")}
              />{" "}
              A field of the source record
            </label>
          </fieldset>
          {mode === "expression" ? (
            <Field
              label="Expression"
              hint={
                <>
                  JSONata over the source record; <code>$ctx</code> holds what the flow prepared.
                </>
              }
              error={exprError}
            >
              {(p) => (
                <>
                  <textarea
                    {...p}
                    className="mono"
                    rows={3}
                    spellCheck={false}
                    value={m.expression ?? ""}
                    onChange={(e) => setM({ ...m, expression: e.target.value })}
                  />
                  {position !== undefined && exprError ? (
                    <ErrorPointer text={m.expression ?? ""} position={position} />
                  ) : null}
                </>
              )}
            </Field>
          ) : (
            <Field
              label="Source field"
              hint="A path in the source record, e.g. billingPerson.postalCode"
              error={saveError?.message}
            >
              {(p) => (
                <input
                  {...p}
                  className="mono"
                  value={m.source ?? ""}
                  onChange={(e) => setM({ ...m, source: e.target.value })}
                />
              )}
            </Field>
          )}
          <Field
            label="Default value (optional)"
            hint="Used when the source has no value; JSON or plain text."
            error={defaultError}
          >
            {(p) => (
              <input
                {...p}
                className="mono"
                value={defaultText}
                onChange={(e) => setDefaultText(e.target.value)}
              />
            )}
          </Field>
          <Field label="When is it written?">
            {(p) => (
              <select
                {...p}
                value={m.policy}
                onChange={(e) => setM({ ...m, policy: e.target.value as FieldWritePolicy })}
              >
                {(Object.keys(POLICIES) as FieldWritePolicy[]).map((k) => (
                  <option key={k} value={k}>
                    {POLICIES[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="preview">
          <Field
            label="Preview on record"
            hint="A record this flow handled recently, read live from the source."
          >
            {(p) => (
              <select {...p} value={sourceId} onChange={(e) => setRecord(e.target.value)}>
                {records.length === 0 ? <option value="">No recent record</option> : null}
                {records.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="preview-result" aria-live="polite" data-testid="mapping-preview">
            {previewError ? <ErrorNote error={previewError} /> : null}
            {!sourceId ? <p className="muted">Run the flow once to preview on a real record.</p> : null}
            {preview && !preview.problem ? (
              <>
                <p className="small muted">
                  <span className="mono">{m.target}</span> would be:
                </p>
                <pre className="json preview-value">
                  {preview.target === undefined ? "(not written)" : JSON.stringify(preview.target, null, 2)}
                </pre>
                {preview.errors.length ? <Note tone="warn">{preview.errors.join(" ")}</Note> : null}
              </>
            ) : null}
            {preview?.source ? (
              <details>
                <summary>The source record</summary>
                <JsonBlock value={preview.source} label="Source record" empty="" />
              </details>
            ) : null}
          </div>
        </div>
      </div>
      <div className="actions">
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        {!original.isDefault && original.target ? (
          <Button variant="danger" busy={save.pending} onClick={() => void restoreDefault()}>
            Remove mine (use the default)
          </Button>
        ) : null}
        <Button variant="primary" busy={save.pending} onClick={() => void submit()}>
          Save mapping
        </Button>
      </div>
    </section>
  );
}

/** the expression with a marker under the character where it went wrong */
function ErrorPointer({ text, position }: { text: string; position: number }) {
  const at = Math.max(0, Math.min(text.length, position));
  return (
    <p className="pointer mono" aria-label={`Error at character ${at + 1}`}>
      <span>{text.slice(0, at)}</span>
      <mark>{text.slice(at, at + 1) || " "}</mark>
      <span>{text.slice(at + 1)}</span>
      <span className="small muted"> ← character {at + 1}</span>
    </p>
  );
}

function valueAt(payload: unknown, path: string): unknown {
  let v: unknown = payload;
  for (const part of path.split(".")) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

const KINDS: { kind: ValueMapKind; label: string; about: string }[] = [
  {
    kind: "PAYMENT_METHOD",
    label: "Payment methods",
    about: "CCV SalesPOS payment method → the payment method Ecwid shows",
  },
  {
    kind: "PAYMENT_TERM",
    label: "Payment terms",
    about: "CCV payment method → payment term on the Ecwid order",
  },
  { kind: "ORDER_STATUS", label: "Order statuses", about: "CCV order status code → Ecwid fulfilment status" },
  {
    kind: "SHIPPING_METHOD",
    label: "Shipping methods",
    about: "CCV delivery method → Ecwid shipping method name",
  },
  { kind: "TAX_RATE", label: "Tax rates", about: "tax rate of one system → the other's" },
];

function ValueMaps({ id }: { id: string }) {
  const can = useCan();
  const [kind, setKind] = useState<ValueMapKind>("PAYMENT_METHOD");
  const q = useQuery(ConsoleValueMappingsDocument, { id });
  const seen = useQuery(ConsoleSeenValueCodesDocument, { integrationId: id, kind });
  const saved = (q.data?.integration?.flow.valueMappings ?? []).filter((v) => v.kind === kind);
  const [rows, setRows] = useState<{ from: string; to: string }[]>([]);
  const savedKey = JSON.stringify(saved);
  useEffect(() => {
    setRows((JSON.parse(savedKey) as { from: string; to: string }[]).map(({ from, to }) => ({ from, to })));
  }, [savedKey]);
  const save = useMutation(SetValueMappingsDocument);
  const [done, setDone] = useState(false);
  const unmapped = (seen.data?.seenValueCodes ?? []).filter((c) => !rows.some((r) => r.from === c.code));
  const about = KINDS.find((k) => k.kind === kind)!;
  return (
    <Card title="Value maps">
      <div className="segmented" role="tablist" aria-label="Kind of value map">
        {KINDS.map((k) => (
          <button
            key={k.kind}
            type="button"
            role="tab"
            aria-selected={k.kind === kind}
            className={k.kind === kind ? "on" : ""}
            onClick={() => {
              setKind(k.kind);
              setDone(false);
            }}
          >
            {k.label}
          </button>
        ))}
      </div>
      <p className="muted">
        {about.about}. A row with code <code>*</code> is the default for codes without a row of their own.
      </p>
      {seen.data && seen.data.seenValueCodes.length > 0 ? (
        <div className="seen">
          <span className="small">Seen in recent items:</span>{" "}
          {seen.data.seenValueCodes.map((c) => {
            const mapped = rows.some((r) => r.from === c.code);
            return can.configure && !mapped ? (
              <button
                key={c.code}
                type="button"
                className="chip chip-add"
                onClick={() => setRows([...rows, { from: c.code, to: "" }])}
                aria-label={`Add a row for ${c.code} (seen ${c.count} times)`}
              >
                + {c.code} <span className="muted">×{c.count}</span>
              </button>
            ) : (
              <span key={c.code} className={`chip ${mapped ? "chip-done" : ""}`}>
                {c.code} <span className="muted">×{c.count}</span>
              </span>
            );
          })}
          {unmapped.length > 0 ? (
            <span className="small warn-text"> {unmapped.length} without a row</span>
          ) : null}
        </div>
      ) : (
        <p className="small muted">No codes of this kind in recent items.</p>
      )}
      <table className="table valuemap">
        <thead>
          <tr>
            <th scope="col">Code</th>
            <th scope="col">Becomes</th>
            {can.configure ? <ActionsHeader /> : null}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={3} className="muted">
                No rows: codes are passed on as they are.
              </td>
            </tr>
          ) : null}
          {rows.map((r, idx) => (
            <tr key={idx}>
              <td>
                {can.configure ? (
                  <input
                    aria-label={`Code ${idx + 1}`}
                    className="mono"
                    value={r.from}
                    onChange={(e) =>
                      setRows(rows.map((x, i) => (i === idx ? { ...x, from: e.target.value } : x)))
                    }
                  />
                ) : (
                  <span className="mono">{r.from}</span>
                )}
              </td>
              <td>
                {can.configure ? (
                  <input
                    aria-label={`Becomes, for code ${r.from || idx + 1}`}
                    value={r.to}
                    onChange={(e) =>
                      setRows(rows.map((x, i) => (i === idx ? { ...x, to: e.target.value } : x)))
                    }
                  />
                ) : (
                  r.to
                )}
              </td>
              {can.configure ? (
                <td className="right">
                  <Button
                    variant="ghost"
                    onClick={() => setRows(rows.filter((_, i) => i !== idx))}
                    aria-label={`Remove the row for ${r.from}`}
                  >
                    Remove
                  </Button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {can.configure ? (
        <>
          <ErrorNote error={save.error} />
          {done && !save.error ? <Note tone="good">Saved.</Note> : null}
          <div className="actions">
            <Button onClick={() => setRows([...rows, { from: "", to: "" }])}>Add a row</Button>
            <Button
              variant="primary"
              busy={save.pending}
              onClick={() =>
                void save.mutate({ integrationId: id, kind, entries: rows }).then((r) => {
                  setDone(!!r);
                  return q.refetch();
                })
              }
            >
              Save {about.label.toLowerCase()}
            </Button>
          </div>
        </>
      ) : null}
    </Card>
  );
}
