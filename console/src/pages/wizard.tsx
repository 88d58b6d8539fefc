import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from "react";
import {
  ConsoleCheckCredentialsDocument,
  ConsoleIntegrationDocument,
  CreateIntegrationDocument,
  TestConnectionsDocument,
  UpdateCcvCredentialsDocument,
  UpdateEcwidCredentialsDocument,
  type ConnectionFieldsFragment,
  type ConsoleIntegrationQuery,
  type SystemKind,
} from "../../../sdk/generated/graphql";
import { useCan, useMutation, useQuery, useSession } from "../api/hooks";
import { Button, Card, ErrorNote, Field, Loading, Note, TextField } from "../components/ui";
import { navigate, useLocation, withQuery } from "../lib/router";
import { DryRunStep, FlowsStep, SwitchOnStep } from "./wizard-steps";

export type WizardIntegration = NonNullable<ConsoleIntegrationQuery["integration"]>;

const STEPS = [
  ["name", "Name"],
  ["ecwid", "Ecwid"],
  ["ccv", "CCV SalesPOS"],
  ["flows", "Flows"],
  ["dryrun", "Dry run"],
  ["switch", "Switch on"],
] as const;
export type Step = (typeof STEPS)[number][0];

const DRAFT = "gateway.console.wizardName";

/** chosen = switched on or given a schedule by the wizard: the wizard's state lives in the flow configuration */
export const chosenFlows = (i: WizardIntegration) => i.flows.filter((f) => f.enabled || f.schedule);

/** where a stored integration's setup stands, derived from its configuration (so it can be left and resumed) */
function stepOf(i: WizardIntegration): Step {
  if (i.ecwid.status !== "OK") return "ecwid";
  if (i.ccv.status !== "OK") return "ccv";
  const chosen = chosenFlows(i);
  if (chosen.length === 0) return "flows";
  if (chosen.some((f) => !f.enabled))
    return chosen.some((f) => f.lastRun?.dryRun || f.enabled) ? "switch" : "dryrun";
  return "switch";
}

export function WizardPage({ integrationId }: { integrationId?: string }) {
  const can = useCan();
  const { query } = useLocation();
  const q = useQuery(ConsoleIntegrationDocument, { id: integrationId ?? "" }, { skip: !integrationId });
  const integration = q.data?.integration ?? undefined;
  const derived: Step = integration ? stepOf(integration) : "name";
  const asked = query.get("step") as Step | null;
  const reached = STEPS.findIndex(([s]) => s === derived);
  const step: Step =
    asked && STEPS.some(([s]) => s === asked) && (integration || ["name", "ecwid", "ccv"].includes(asked))
      ? asked
      : derived;
  // credentials typed for a new integration stay in memory only, until it is saved
  const [draft, setDraft] = useState<{ name: string; ecwid?: EcwidForm }>({
    name: sessionStorage.getItem(DRAFT) ?? "",
  });
  const base = integrationId ? `/i/${encodeURIComponent(integrationId)}/setup` : "/setup";
  const go = (s: Step) => navigate(withQuery(base, { step: s }));

  if (!can.configure)
    return (
      <div className="page narrow">
        <h1>Setup</h1>
        <Note>Setting up an integration needs an admin key; yours may look but not change.</Note>
      </div>
    );
  if (integrationId && !integration)
    return (
      <div className="page">
        {q.error ? <ErrorNote error={q.error} /> : <Loading what="the integration" />}
      </div>
    );

  const idx = STEPS.findIndex(([s]) => s === step);
  return (
    <div className="page wizard">
      <h1>{integration ? `Set up “${integration.name}”` : "Set up a new integration"}</h1>
      <nav aria-label="Setup steps">
        <ol className="stepper">
          {STEPS.map(([s, label], i) => {
            const done = integration ? i < reached || (s === "name" && !!integration) : i < idx;
            const canGo = integration ? i <= Math.max(reached, idx) && s !== "name" : i < idx;
            return (
              <li
                key={s}
                className={`${s === step ? "current" : ""} ${done ? "done" : ""}`}
                aria-current={s === step ? "step" : undefined}
              >
                {canGo && s !== step ? (
                  <button type="button" className="linklike" onClick={() => go(s)}>
                    <span className="step-no">{i + 1}</span> {label}
                  </button>
                ) : (
                  <span>
                    <span className="step-no">{i + 1}</span> {label}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      </nav>
      {step === "name" ? (
        <NameStep
          name={integration?.name ?? draft.name}
          readOnly={!!integration}
          onNext={(name) => {
            sessionStorage.setItem(DRAFT, name);
            setDraft((d) => ({ ...d, name }));
            go("ecwid");
          }}
        />
      ) : null}
      {step === "ecwid" ? (
        <EcwidStep
          integration={integration}
          onTested={(ecwid) => setDraft((d) => ({ ...d, ecwid }))}
          onNext={() => go("ccv")}
          refetch={q.refetch}
          needsName={!integration && !draft.name}
          onBack={() => go("name")}
        />
      ) : null}
      {step === "ccv" ? (
        <CcvStep
          integration={integration}
          draft={draft}
          onBack={() => go("ecwid")}
          onSaved={(id) => {
            sessionStorage.removeItem(DRAFT);
            navigate(withQuery(`/i/${encodeURIComponent(id)}/setup`, { step: "flows" }));
          }}
          onNext={() => go("flows")}
          refetch={q.refetch}
        />
      ) : null}
      {integration && step === "flows" ? (
        <FlowsStep integration={integration} onSaved={() => void q.refetch().then(() => go("dryrun"))} />
      ) : null}
      {integration && step === "dryrun" ? (
        <DryRunStep integration={integration} onBack={() => go("flows")} onNext={() => go("switch")} />
      ) : null}
      {integration && step === "switch" ? (
        <SwitchOnStep integration={integration} refetch={q.refetch} onBack={() => go("dryrun")} />
      ) : null}
    </div>
  );
}

function NameStep({
  name,
  readOnly,
  onNext,
}: {
  name: string;
  readOnly: boolean;
  onNext: (n: string) => void;
}) {
  const [value, setValue] = useState(name);
  const [error, setError] = useState<string>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = value.trim();
    if (!n) return setError("Give the integration a name, e.g. the shop's name.");
    if (n.length > 200) return setError("A name has at most 200 characters.");
    onNext(n);
  };
  return (
    <Card title="What shall we call this integration?">
      <form onSubmit={submit} noValidate>
        <Field
          label="Integration name"
          hint="Shown on the dashboard, e.g. “Main shop” or the client's name."
          error={error}
        >
          {(p) => (
            <input
              {...p}
              value={value}
              readOnly={readOnly}
              onChange={(e) => setValue(e.target.value)}
              autoFocus
            />
          )}
        </Field>
        <div className="actions">
          <Button type="submit" variant="primary">
            Continue
          </Button>
        </div>
      </form>
    </Card>
  );
}

interface EcwidForm {
  storeId: string;
  token: string;
  clientSecret: string;
  apiBaseUrl: string;
}
interface CcvForm {
  baseUrl: string;
  publicKey: string;
  secretKey: string;
}

/** the field a BAD_USER_INPUT message names ("ecwid.token must …") */
const fieldError = (message: string | undefined, field: string) =>
  message && message.startsWith(`${field} `) ? message : undefined;

function CheckAnswer({ ok, message, system }: { ok: boolean; message: string; system: SystemKind }) {
  return (
    <Note tone={ok ? "good" : "bad"}>
      <strong>
        {ok ? "It works. " : `${system === "ECWID" ? "Ecwid" : "CCV SalesPOS"} did not accept this. `}
      </strong>
      {message}
    </Note>
  );
}

/** under a credentials form: the gateway's refusal, the check's answer in words, and the buttons */
function CheckFooter({
  system,
  serverError,
  answer,
  saved,
  busy,
  onBack,
  next,
}: {
  system: SystemKind;
  serverError: string | undefined;
  answer: { ok: boolean; message: string } | undefined;
  saved: boolean;
  busy: boolean;
  onBack: () => void;
  next: ReactNode;
}) {
  const prefix = system === "ECWID" ? "ecwid." : "ccv.";
  return (
    <>
      {serverError && !serverError.startsWith(prefix) ? <ErrorNote error={serverError} /> : null}
      {answer ? <CheckAnswer {...answer} system={system} /> : null}
      <div className="actions">
        <Button variant="ghost" onClick={onBack}>
          Back
        </Button>
        <Button type="submit" variant={answer?.ok ? "secondary" : "primary"} busy={busy}>
          {saved ? "Save and test" : "Test connection"}
        </Button>
        {next}
      </div>
    </>
  );
}

function SavedConnection({ c }: { c: ConnectionFieldsFragment }) {
  return (
    <Note tone={c.status === "OK" ? "good" : c.status === "FAILING" ? "bad" : "info"}>
      <strong>
        {c.status === "OK" ? "Connected: " : c.status === "FAILING" ? "Not working: " : "Saved, not tested: "}
      </strong>
      {c.label} · <span className="mono">{c.maskedCredentials}</span>
      {c.lastError ? <span className="block">{c.lastError}</span> : null}
    </Note>
  );
}

function EcwidStep({
  integration,
  onTested,
  onNext,
  onBack,
  refetch,
  needsName,
}: {
  integration?: WizardIntegration;
  onTested: (f: EcwidForm) => void;
  onNext: () => void;
  onBack: () => void;
  refetch: () => Promise<unknown>;
  needsName: boolean;
}) {
  const [f, setF] = useState<EcwidForm>({ storeId: "", token: "", clientSecret: "", apiBaseUrl: "" });
  const [local, setLocal] = useState<Partial<Record<keyof EcwidForm, string>>>({});
  const [answer, setAnswer] = useState<{ ok: boolean; message: string }>();
  const check = useMutation(ConsoleCheckCredentialsDocument);
  const update = useMutation(UpdateEcwidCredentialsDocument);
  const test = useMutation(TestConnectionsDocument);
  const [editing, setEditing] = useState(!integration || integration.ecwid.status !== "OK");
  useEffect(() => {
    if (needsName) onBack();
  }, [needsName, onBack]);
  const serverError = check.error?.message ?? update.error?.message;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof local = {};
    if (!/^\d+$/.test(f.storeId.trim()))
      errs.storeId = "The store id is a number: Ecwid shows it at the bottom of the admin (Store ID).";
    if (!f.token.trim())
      errs.token = "Paste the secret access token of your Ecwid app (it starts with secret_).";
    setLocal(errs);
    setAnswer(undefined);
    if (Object.keys(errs).length) return;
    const input = {
      storeId: Number(f.storeId.trim()),
      token: f.token.trim(),
      clientSecret: f.clientSecret.trim() || null,
      apiBaseUrl: f.apiBaseUrl.trim() || null,
    };
    if (!integration) {
      const r = await check.mutate({ ecwid: input });
      const c = r?.checkCredentials[0];
      if (c) {
        setAnswer(c);
        if (c.ok) onTested(f);
      }
      return;
    }
    if (!(await update.mutate({ integrationId: integration.id, input }))) return;
    const r = await test.mutate({ integrationId: integration.id });
    const c = r?.testConnections.find((x) => x.system === "ECWID");
    if (c) setAnswer(c);
    await refetch();
    if (c?.ok) setEditing(false);
  };
  const ok = integration ? integration.ecwid.status === "OK" && !editing : answer?.ok;
  return (
    <Card title="Connect your Ecwid store">
      <p>
        In Ecwid, open <em>Apps → My apps</em> and your custom app: it shows the store id, the secret token
        and the client secret. The gateway keeps them encrypted and never shows them again.
      </p>
      {integration ? <SavedConnection c={integration.ecwid} /> : null}
      {editing ? (
        <form onSubmit={submit} noValidate>
          <div className="row-2">
            <TextField
              label="Store ID"
              error={local.storeId ?? fieldError(serverError, "ecwid.storeId")}
              inputMode="numeric"
              value={f.storeId}
              onChange={(v) => setF({ ...f, storeId: v })}
            />
            <TextField
              label="Secret token"
              error={local.token ?? fieldError(serverError, "ecwid.token")}
              type="password"
              autoComplete="off"
              placeholder="secret_…"
              value={f.token}
              onChange={(v) => setF({ ...f, token: v })}
            />
          </div>
          <TextField
            label="Client secret (optional)"
            hint="Needed to check that webhooks really come from Ecwid; without it the schedule does all the work."
            error={fieldError(serverError, "ecwid.clientSecret")}
            type="password"
            autoComplete="off"
            value={f.clientSecret}
            onChange={(v) => setF({ ...f, clientSecret: v })}
          />
          <details className="advanced" open={!!fieldError(serverError, "ecwid.apiBaseUrl") || undefined}>
            <summary>Advanced: API address</summary>
            <TextField
              label="Ecwid API address"
              hint="Leave empty for Ecwid itself (https://app.ecwid.com/api/v3); a test sandbox has its own."
              error={fieldError(serverError, "ecwid.apiBaseUrl")}
              value={f.apiBaseUrl}
              onChange={(v) => setF({ ...f, apiBaseUrl: v })}
            />
          </details>
          <CheckFooter
            system="ECWID"
            serverError={serverError}
            answer={answer}
            saved={!!integration}
            busy={check.pending || update.pending || test.pending}
            onBack={onBack}
            next={
              answer?.ok && !integration ? (
                <Button variant="primary" onClick={onNext}>
                  Continue
                </Button>
              ) : null
            }
          />
        </form>
      ) : (
        <div className="actions">
          <Button onClick={() => setEditing(true)}>Change credentials</Button>
          {ok ? (
            <Button variant="primary" onClick={onNext}>
              Continue
            </Button>
          ) : null}
        </div>
      )}
    </Card>
  );
}

function CcvStep({
  integration,
  draft,
  onBack,
  onSaved,
  onNext,
  refetch,
}: {
  integration?: WizardIntegration;
  draft: { name: string; ecwid?: EcwidForm };
  onBack: () => void;
  onSaved: (id: string) => void;
  onNext: () => void;
  refetch: () => Promise<unknown>;
}) {
  const [f, setF] = useState<CcvForm>({ baseUrl: "", publicKey: "", secretKey: "" });
  const [local, setLocal] = useState<Partial<Record<keyof CcvForm, string>>>({});
  const [answer, setAnswer] = useState<{ ok: boolean; message: string }>();
  const check = useMutation(ConsoleCheckCredentialsDocument);
  const create = useMutation(CreateIntegrationDocument);
  const update = useMutation(UpdateCcvCredentialsDocument);
  const test = useMutation(TestConnectionsDocument);
  const [editing, setEditing] = useState(!integration || integration.ccv.status !== "OK");
  const { client } = useSession();
  const serverError = check.error?.message ?? update.error?.message ?? create.error?.message;
  const missingEcwid = !integration && !draft.ecwid;
  const input = useMemo(
    () => ({ baseUrl: f.baseUrl.trim(), publicKey: f.publicKey.trim(), secretKey: f.secretKey.trim() }),
    [f],
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const errs: typeof local = {};
    if (!input.baseUrl) errs.baseUrl = "The address of your CCV shop, e.g. https://myshop.ccvshop.nl.";
    if (!input.publicKey) errs.publicKey = "Paste the public key of the API key you made in CCV.";
    if (!input.secretKey) errs.secretKey = "Paste the secret key that belongs to it.";
    setLocal(errs);
    setAnswer(undefined);
    if (Object.keys(errs).length) return;
    if (!integration) {
      const r = await check.mutate({ ccv: input });
      const c = r?.checkCredentials[0];
      if (c) setAnswer(c);
      return;
    }
    if (!(await update.mutate({ integrationId: integration.id, input }))) return;
    const r = await test.mutate({ integrationId: integration.id });
    const c = r?.testConnections.find((x) => x.system === "CCV_SALESPOS");
    if (c) setAnswer(c);
    await refetch();
    if (c?.ok) setEditing(false);
  };
  const save = async () => {
    const e = draft.ecwid!;
    const r = await create.mutate({
      input: {
        name: draft.name,
        ecwid: {
          storeId: Number(e.storeId.trim()),
          token: e.token.trim(),
          clientSecret: e.clientSecret.trim() || null,
          apiBaseUrl: e.apiBaseUrl.trim() || null,
        },
        ccv: input,
      },
    });
    if (!r) return;
    // store the outcome of the checks on the new connections (both were just tested)
    await client
      .request(TestConnectionsDocument, { integrationId: r.createIntegration.id })
      .catch(() => undefined);
    onSaved(r.createIntegration.id);
  };
  if (missingEcwid)
    return (
      <Card title="Connect CCV SalesPOS">
        <Note>
          The Ecwid credentials are kept only until the integration is saved, and this page was reloaded:
          please enter them again.
        </Note>
        <div className="actions">
          <Button variant="primary" onClick={onBack}>
            Back to Ecwid
          </Button>
        </div>
      </Card>
    );
  return (
    <Card title="Connect CCV SalesPOS">
      <p>
        In your CCV shop, open <em>Settings → API</em> and create an API key with read and write rights. Copy
        its public and secret key here.
      </p>
      {integration ? <SavedConnection c={integration.ccv} /> : null}
      {editing ? (
        <form onSubmit={submit} noValidate>
          <TextField
            label="Shop address"
            hint="e.g. https://myshop.ccvshop.nl (the gateway adds /api/rest/v1)"
            error={local.baseUrl ?? fieldError(serverError, "ccv.baseUrl")}
            value={f.baseUrl}
            onChange={(v) => setF({ ...f, baseUrl: v })}
          />
          <div className="row-2">
            <TextField
              label="Public key"
              error={local.publicKey ?? fieldError(serverError, "ccv.publicKey")}
              autoComplete="off"
              value={f.publicKey}
              onChange={(v) => setF({ ...f, publicKey: v })}
            />
            <TextField
              label="Secret key"
              error={local.secretKey ?? fieldError(serverError, "ccv.secretKey")}
              type="password"
              autoComplete="off"
              value={f.secretKey}
              onChange={(v) => setF({ ...f, secretKey: v })}
            />
          </div>
          <CheckFooter
            system="CCV_SALESPOS"
            serverError={serverError}
            answer={answer}
            saved={!!integration}
            busy={check.pending || update.pending || test.pending}
            onBack={onBack}
            next={
              answer?.ok && !integration ? (
                <Button variant="primary" busy={create.pending} onClick={() => void save()}>
                  Save integration and continue
                </Button>
              ) : null
            }
          />
        </form>
      ) : (
        <div className="actions">
          <Button onClick={() => setEditing(true)}>Change credentials</Button>
          <Button variant="primary" onClick={onNext}>
            Continue
          </Button>
        </div>
      )}
    </Card>
  );
}
