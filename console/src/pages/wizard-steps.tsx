import { useEffect, useState } from "react";
import {
  ConfigureFlowDocument,
  ConsoleItemsOfRunDocument,
  ConsoleRunsDocument,
  DefaultFieldMappingsDocument,
  FlowDetailDocument,
  RunSyncDocument,
  SetFieldMappingsDocument,
  type ConsoleItemsOfRunQuery,
  type FieldMappingInput,
  type FlowKind,
} from "../../../sdk/generated/graphql";
import { asGatewayError, useSession } from "../api/hooks";
import { Badge, Button, Card, ErrorNote, Link, ProgressBar } from "../components/ui";
import { FLOW_ORDER, FLOWS, SCHEDULES, scheduleInWords } from "../lib/labels";
import { countsInWords, RunBadge } from "./parts";
import type { WizardIntegration } from "./wizard";
import { chosenFlows } from "./wizard";
import { fieldOfError, FlowQuestions, isProducts, settingsOf, type FlowAnswers } from "./wizard-flows";

type Errors = Partial<Record<FlowKind, Partial<Record<string, string>>>>;
const FINAL = new Set(["SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED"]);

function answersOf(f: WizardIntegration["flows"][number]): FlowAnswers {
  return {
    chosen: f.enabled || !!f.schedule,
    schedule: f.schedule ?? SCHEDULES[1]!.value,
    orderStatuses: f.settings.orderStatuses,
    useDefaultDebtor: f.settings.useDefaultDebtor,
    defaultDebtor: f.settings.defaultDebtor ?? "",
    updateExisting: f.settings.updateExisting,
    stockCalculation: f.settings.stockCalculation,
    manageStock: f.settings.manageStock,
    startDate: f.settings.startDate ? f.settings.startDate.slice(0, 10) : "",
    createOnly: [],
  };
}

export function FlowsStep({ integration, onSaved }: { integration: WizardIntegration; onSaved: () => void }) {
  const { client } = useSession();
  const [answers, setAnswers] = useState(
    () =>
      Object.fromEntries(integration.flows.map((f) => [f.kind, answersOf(f)])) as Record<
        FlowKind,
        FlowAnswers
      >,
  );
  const [defaults, setDefaults] = useState<
    Partial<Record<FlowKind, { target: string; source: string | null; expression: string | null }[]>>
  >({});
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  // the product flows' fields (for "written on create only") and the policies set so far
  useEffect(() => {
    let live = true;
    void (async () => {
      for (const kind of ["PRODUCTS_ECWID_TO_CCV", "PRODUCTS_CCV_TO_ECWID"] as FlowKind[]) {
        const [d, detail] = await Promise.all([
          client.request(DefaultFieldMappingsDocument, { flow: kind }),
          client.request(FlowDetailDocument, { id: integration.id, kind }),
        ]).catch(() => [undefined, undefined] as const);
        if (!live || !d) continue;
        setDefaults((x) => ({ ...x, [kind]: d.defaultFieldMappings }));
        const createOnly = (detail?.integration?.flow.fieldMappings ?? [])
          .filter((m) => m.policy === "CREATE_ONLY")
          .map((m) => m.target);
        setAnswers((a) => ({ ...a, [kind]: { ...a[kind], createOnly } }));
      }
    })();
    return () => {
      live = false;
    };
  }, [client, integration.id]);

  const set = (kind: FlowKind) => (patch: Partial<FlowAnswers>) =>
    setAnswers((a) => ({ ...a, [kind]: { ...a[kind], ...patch } }));
  const master: FlowKind | "" = answers.STOCK_ECWID_TO_CCV.chosen
    ? "STOCK_ECWID_TO_CCV"
    : answers.STOCK_CCV_TO_ECWID.chosen
      ? "STOCK_CCV_TO_ECWID"
      : "";
  const setMaster = (k: FlowKind | "") =>
    setAnswers((a) => ({
      ...a,
      STOCK_ECWID_TO_CCV: { ...a.STOCK_ECWID_TO_CCV, chosen: k === "STOCK_ECWID_TO_CCV" },
      STOCK_CCV_TO_ECWID: { ...a.STOCK_CCV_TO_ECWID, chosen: k === "STOCK_CCV_TO_ECWID" },
    }));

  const save = async () => {
    setBusy(true);
    setProblem(undefined);
    const errs: Errors = {};
    const current = Object.fromEntries(integration.flows.map((f) => [f.kind, f]));
    for (const kind of FLOW_ORDER) {
      const a = answers[kind];
      const was = current[kind]!;
      try {
        if (a.chosen) {
          await client.request(ConfigureFlowDocument, {
            integrationId: integration.id,
            flow: kind,
            input: { schedule: a.schedule, settings: settingsOf(kind, a) },
          });
          const d = defaults[kind];
          if (isProducts(kind) && d && d.length > 0) await saveCreateOnly(kind, a.createOnly);
        } else if (was.enabled || was.schedule) {
          await client.request(ConfigureFlowDocument, {
            integrationId: integration.id,
            flow: kind,
            input: { enabled: false, schedule: null },
          });
        }
      } catch (e) {
        const err = asGatewayError(e);
        errs[kind] = { [fieldOfError(err.message)]: err.message };
      }
    }
    setErrors(errs);
    setBusy(false);
    if (Object.keys(errs).length === 0) {
      if (!FLOW_ORDER.some((k) => answers[k].chosen)) setProblem("Choose at least one flow.");
      else onSaved();
    }
  };

  // keeps the user's own mappings; a default field ticked "create only" gets a copy with that policy
  const saveCreateOnly = async (kind: FlowKind, createOnly: string[]) => {
    const detail = await client.request(FlowDetailDocument, { id: integration.id, kind });
    const mine = new Map(
      (detail.integration?.flow.fieldMappings ?? []).filter((m) => !m.isDefault).map((m) => [m.target, m]),
    );
    const out: FieldMappingInput[] = [];
    for (const d of defaults[kind] ?? []) {
      const own = mine.get(d.target);
      mine.delete(d.target);
      const sameAsDefault = own && own.source === d.source && own.expression === d.expression;
      if (createOnly.includes(d.target)) {
        out.push({
          target: d.target,
          source: own?.source ?? d.source,
          expression: own?.expression ?? d.expression,
          defaultValue: own?.defaultValue,
          policy: "CREATE_ONLY",
        });
      } else if (own && !sameAsDefault) {
        out.push({
          target: own.target,
          source: own.source,
          expression: own.expression,
          defaultValue: own.defaultValue,
          policy: own.policy === "CREATE_ONLY" ? "ALWAYS" : own.policy,
        });
      }
    }
    for (const own of mine.values())
      out.push({
        target: own.target,
        source: own.source,
        expression: own.expression,
        defaultValue: own.defaultValue,
        policy: own.policy,
      });
    await client.request(SetFieldMappingsDocument, {
      integrationId: integration.id,
      flow: kind,
      mappings: out,
    });
  };

  const flowCard = (kind: FlowKind) => {
    const a = answers[kind];
    const f = FLOWS[kind];
    const e = errors[kind] ?? {};
    return (
      <Card key={kind} className={`flow-card ${a.chosen ? "chosen" : ""}`}>
        <label className="flow-choice">
          <input
            type="checkbox"
            checked={a.chosen}
            onChange={(ev) => set(kind)({ chosen: ev.target.checked })}
          />
          <span>
            <strong>{f.title}</strong>
            <span className="muted block">{f.about}</span>
          </span>
        </label>
        {e.chosen ? (
          <p className="field-error" role="alert">
            {e.chosen}
          </p>
        ) : null}
        {a.chosen ? (
          <FlowQuestions kind={kind} a={a} set={set(kind)} errors={e} defaults={defaults[kind] as never} />
        ) : null}
      </Card>
    );
  };

  return (
    <div className="stack">
      <p className="lead">
        Choose what the gateway should keep in step and answer a few questions. Nothing is switched on yet:
        the next step shows what would happen, and you switch on at the end.
      </p>
      {(
        [
          "ORDERS_ECWID_TO_CCV",
          "ORDERS_CCV_TO_ECWID",
          "CATEGORIES_ECWID_TO_CCV",
          "PRODUCTS_ECWID_TO_CCV",
          "PRODUCTS_CCV_TO_ECWID",
        ] as FlowKind[]
      ).map(flowCard)}
      <Card className={`flow-card ${master ? "chosen" : ""}`}>
        <fieldset>
          <legend>
            <strong>Stock levels</strong>
            <span className="muted block">
              One system is the stock master; its stock is written to the other. Sales on the other side reach
              the master as orders.
            </span>
          </legend>
          <div className="checks">
            {(
              [
                ["", "Don't sync stock"],
                ["STOCK_ECWID_TO_CCV", "Ecwid is the stock master"],
                ["STOCK_CCV_TO_ECWID", "CCV SalesPOS is the stock master"],
              ] as const
            ).map(([k, label]) => (
              <label key={k || "none"} className="check">
                <input
                  type="radio"
                  name="stock-master"
                  checked={master === k}
                  onChange={() => setMaster(k)}
                />
                {label}
              </label>
            ))}
          </div>
        </fieldset>
        {(["STOCK_ECWID_TO_CCV", "STOCK_CCV_TO_ECWID"] as FlowKind[]).map((k) =>
          errors[k]?.chosen ? (
            <p key={k} className="field-error" role="alert">
              {errors[k]!.chosen}
            </p>
          ) : null,
        )}
        {master ? (
          <FlowQuestions
            kind={master}
            a={answers[master]}
            set={set(master)}
            errors={errors[master] ?? {}}
            defaults={undefined}
          />
        ) : null}
      </Card>
      <ErrorNote error={problem} />
      <div className="actions">
        <Button variant="primary" busy={busy} onClick={() => void save()}>
          Save and continue
        </Button>
      </div>
    </div>
  );
}

type RunWithItems = NonNullable<ConsoleItemsOfRunQuery["syncRun"]>;

export function DryRunStep({
  integration,
  onBack,
  onNext,
}: {
  integration: WizardIntegration;
  onBack: () => void;
  onNext: () => void;
}) {
  const { client } = useSession();
  const chosen = chosenFlows(integration).map((f) => f.kind);
  const [runs, setRuns] = useState<Partial<Record<FlowKind, RunWithItems>>>({});
  const [errors, setErrors] = useState<Partial<Record<FlowKind, string>>>({});
  const [starting, setStarting] = useState(false);

  // resume: the latest dry run of each chosen flow
  useEffect(() => {
    void client.request(ConsoleRunsDocument, { integrationId: integration.id, first: 50 }).then(async (r) => {
      for (const kind of chosen) {
        const run = r.syncRuns.edges.map((e) => e.node).find((n) => n.flow === kind && n.dryRun);
        if (run) {
          const full = (await client.request(ConsoleItemsOfRunDocument, { id: run.id, first: 5 })).syncRun;
          if (full) setRuns((x) => ({ ...x, [kind]: full }));
        }
      }
    });
    // once per integration
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, integration.id]);

  // follow runs that are still going
  const pending = Object.values(runs)
    .filter((r) => r && !FINAL.has(r.status))
    .map((r) => r!.id);
  useEffect(() => {
    if (pending.length === 0) return;
    const t = setInterval(() => {
      for (const id of pending) {
        void client.request(ConsoleItemsOfRunDocument, { id, first: 5 }).then((r) => {
          if (r.syncRun) setRuns((x) => ({ ...x, [r.syncRun!.flow]: r.syncRun! }));
        });
      }
    }, 800);
    return () => clearInterval(t);
  }, [client, pending.join(",")]); // eslint-disable-line react-hooks/exhaustive-deps

  const start = async () => {
    setStarting(true);
    const errs: typeof errors = {};
    for (const kind of chosen) {
      try {
        const r = await client.request(RunSyncDocument, {
          integrationId: integration.id,
          flow: kind,
          options: { dryRun: true },
        });
        setRuns((x) => ({ ...x, [kind]: { ...r.runSync, items: { totalCount: 0, edges: [] } } }));
      } catch (e) {
        errs[kind] = asGatewayError(e).message;
      }
    }
    setErrors(errs);
    setStarting(false);
  };
  const anyDone = Object.values(runs).some((r) => r && FINAL.has(r.status));

  return (
    <div className="stack">
      <p className="lead">
        A dry run reads both systems and shows, for real records, what each flow would create, update or skip
        and the payload it would send. Nothing is written.
      </p>
      <div className="actions">
        <Button variant="ghost" onClick={onBack}>
          Back
        </Button>
        <Button variant={anyDone ? "secondary" : "primary"} busy={starting} onClick={() => void start()}>
          {anyDone ? "Run the dry run again" : "Start the dry run"}
        </Button>
        {anyDone ? (
          <Button variant="primary" onClick={onNext}>
            Continue
          </Button>
        ) : null}
      </div>
      {chosen.map((kind) => {
        const run = runs[kind];
        return (
          <Card key={kind} title={FLOWS[kind].title} actions={run ? <RunBadge run={run} /> : null}>
            {errors[kind] ? (
              <p className="field-error" role="alert">
                {errors[kind]}
              </p>
            ) : null}
            {!run && !errors[kind] ? <p className="muted">Not tried yet.</p> : null}
            {run && !FINAL.has(run.status) ? (
              <ProgressBar value={run.progress} label={`Dry run of ${FLOWS[kind].title}`} />
            ) : null}
            {run ? (
              <>
                <p>
                  {FINAL.has(run.status) ? "Would do: " : "So far: "}
                  <strong>{countsInWords(run.counts, true)}</strong>
                  {run.error ? <span className="block field-error">{run.error}</span> : null}
                </p>
                {run.items.edges.length > 0 ? (
                  <ul className="plan">
                    {run.items.edges.map(({ node: i }) => (
                      <li key={i.id}>
                        <Badge
                          tone={i.status === "FAILED" ? "bad" : i.action === "SKIP" ? "neutral" : "info"}
                        >
                          {i.status === "FAILED"
                            ? "would fail"
                            : i.action === "CREATE"
                              ? "would create"
                              : i.action === "UPDATE"
                                ? "would update"
                                : "skip"}
                        </Badge>{" "}
                        <span className="mono">
                          {i.entity.toLowerCase()} {i.sourceId}
                        </span>
                        {i.reason ? <span className="muted"> — {i.reason}</span> : null}
                        {i.sentPayload ? (
                          <details>
                            <summary>Payload it would send</summary>
                            <pre className="json" tabIndex={0}>
                              {JSON.stringify(i.sentPayload, null, 2)}
                            </pre>
                          </details>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </>
            ) : null}
          </Card>
        );
      })}
    </div>
  );
}

export function SwitchOnStep({
  integration,
  refetch,
  onBack,
}: {
  integration: WizardIntegration;
  refetch: () => Promise<unknown>;
  onBack: () => void;
}) {
  const { client } = useSession();
  const chosen = chosenFlows(integration);
  const [errors, setErrors] = useState<Partial<Record<FlowKind, string>>>({});
  const [busy, setBusy] = useState(false);
  const switchOn = async () => {
    setBusy(true);
    const errs: typeof errors = {};
    for (const f of chosen.filter((x) => !x.enabled)) {
      try {
        await client.request(ConfigureFlowDocument, {
          integrationId: integration.id,
          flow: f.kind,
          input: { enabled: true },
        });
      } catch (e) {
        errs[f.kind] = asGatewayError(e).message;
      }
    }
    setErrors(errs);
    await refetch();
    setBusy(false);
  };
  const allOn = chosen.every((f) => f.enabled);
  const someOn = chosen.some((f) => f.enabled);
  return (
    <Card title={allOn ? "Everything is switched on" : "Switch on"}>
      <ul className="switch-list">
        {chosen.map((f) => (
          <li key={f.kind}>
            <div>
              <strong>{FLOWS[f.kind].title}</strong>
              <span className="muted block">{scheduleInWords(f.schedule)}</span>
              {errors[f.kind] ? (
                <p className="field-error" role="alert">
                  {errors[f.kind]}
                </p>
              ) : null}
            </div>
            <Badge tone={f.enabled ? "good" : errors[f.kind] ? "bad" : "neutral"}>
              {f.enabled ? "On" : "Off"}
            </Badge>
          </li>
        ))}
      </ul>
      {allOn ? (
        <p>
          The gateway now keeps your shop and your till in step. The dashboard shows each run as it happens.
        </p>
      ) : (
        <p>
          When you switch on, the flows run on their schedule and whenever a webhook says something changed.
        </p>
      )}
      <div className="actions">
        <Button variant="ghost" onClick={onBack}>
          Back
        </Button>
        {!allOn ? (
          <Button variant="primary" busy={busy} onClick={() => void switchOn()}>
            Switch on
          </Button>
        ) : null}
        {someOn ? (
          <Link
            to={`/i/${encodeURIComponent(integration.id)}`}
            className={`btn ${allOn ? "btn-primary" : "btn-secondary"}`}
          >
            Open the dashboard
          </Link>
        ) : null}
      </div>
      <ErrorNote error={null} />
    </Card>
  );
}
