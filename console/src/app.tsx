import { useCallback, useEffect, useMemo, useState } from "react";
import { ViewerDocument, type ViewerQuery } from "../../sdk/generated/graphql";
import { createGatewayClient } from "./api/client";
import { asGatewayError, SessionContext, useSession, type Session } from "./api/hooks";
import { session } from "./api/session";
import { Badge, Button, Link } from "./components/ui";
import { navigate, useLocation } from "./lib/router";
import { ActivityPage } from "./pages/activity";
import { CataloguePage } from "./pages/catalogue";
import { DashboardPage } from "./pages/dashboard";
import { IntegrationNav } from "./pages/integration-nav";
import { IntegrationsPage } from "./pages/integrations";
import { MappingsPage } from "./pages/mappings";
import { SignInPage } from "./pages/sign-in";
import { WizardPage } from "./pages/wizard";
import { WorkspacePage } from "./pages/workspace";

type Viewer = ViewerQuery["viewer"];

export function App() {
  const client = useMemo(
    () => createGatewayClient({ url: window.location.origin, apiKey: () => session.get() }),
    [],
  );
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [checking, setChecking] = useState(!!session.get());
  const [signInError, setSignInError] = useState<string>();

  const signIn = useCallback(
    async (key: string) => {
      session.set(key);
      try {
        const v = (await client.request(ViewerDocument, {})).viewer;
        setViewer(v);
        setSignInError(undefined);
        return true;
      } catch (e) {
        session.clear();
        const err = asGatewayError(e);
        setSignInError(
          err.code === "UNAUTHENTICATED"
            ? "The gateway did not accept this key: it is unknown, revoked or mistyped."
            : err.message,
        );
        return false;
      } finally {
        setChecking(false);
      }
    },
    [client],
  );

  useEffect(() => {
    const k = session.get();
    if (k) void signIn(k);
  }, [signIn]);

  const signOut = useCallback(() => {
    session.clear();
    setViewer(null);
    void client.close();
    navigate("/", { replace: true });
  }, [client]);

  if (checking) return <p className="boot">Signing in…</p>;
  if (!viewer) return <SignInPage onSignIn={signIn} error={signInError} />;

  const value: Session = {
    client,
    role: viewer.role ?? null,
    workspaceName: viewer.workspace?.name ?? null,
    isInstanceAdmin: viewer.isInstanceAdmin,
    signOut,
  };
  return (
    <SessionContext.Provider value={value}>
      <Shell signIn={signIn} />
    </SessionContext.Provider>
  );
}

function Shell({ signIn }: { signIn: (key: string) => Promise<boolean> }) {
  const { path } = useLocation();
  const s = useSession();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="logo" aria-hidden="true">
            ⇄
          </span>
          <span>
            Gateway <span className="brand-sub">Ecwid ⇄ CCV SalesPOS</span>
          </span>
        </Link>
        <div className="who">
          {s.workspaceName ? <span className="who-ws">{s.workspaceName}</span> : null}
          {s.role ? (
            <Badge tone={s.role === "VIEWER" ? "neutral" : "info"}>
              <span className="sr-only">Your role: </span>
              {s.role === "ADMIN" ? "Admin" : s.role === "OPERATOR" ? "Operator" : "Read only"}
            </Badge>
          ) : null}
          {s.isInstanceAdmin ? <Badge tone="warn">Instance operator</Badge> : null}
          <Button variant="ghost" onClick={s.signOut}>
            Sign out
          </Button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {s.isInstanceAdmin ? <WorkspacePage signIn={signIn} /> : <Routes path={path} />}
      </main>
    </>
  );
}

function Routes({ path }: { path: string }) {
  if (path === "/") return <IntegrationsPage />;
  if (path === "/setup") return <WizardPage />;
  const m = /^\/i\/([^/]+)(?:\/(activity|mappings|catalogue|setup))?$/.exec(path);
  if (m) {
    const id = decodeURIComponent(m[1]!);
    const tab = m[2] ?? "dashboard";
    if (tab === "setup") return <WizardPage integrationId={id} />;
    return (
      <>
        <IntegrationNav id={id} tab={tab} />
        {tab === "dashboard" ? <DashboardPage id={id} /> : null}
        {tab === "activity" ? <ActivityPage id={id} /> : null}
        {tab === "mappings" ? <MappingsPage id={id} /> : null}
        {tab === "catalogue" ? <CataloguePage id={id} /> : null}
      </>
    );
  }
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to your integrations</Link>
      </p>
    </div>
  );
}
