import { useState, type FormEvent } from "react";
import { Button, Field } from "../components/ui";

export function SignInPage({
  onSignIn,
  error,
}: {
  onSignIn: (key: string) => Promise<boolean>;
  error?: string;
}) {
  const [key, setKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [local, setLocal] = useState<string>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const k = key.trim();
    if (!k) {
      setLocal("Paste an API key (gwk_…) or the instance operator token.");
      return;
    }
    setLocal(undefined);
    setBusy(true);
    await onSignIn(k);
    setBusy(false);
  };
  return (
    <main className="signin" id="main">
      <form className="signin-card" onSubmit={submit} noValidate>
        <div className="signin-brand">
          <span className="logo logo-lg" aria-hidden="true">
            ⇄
          </span>
          <div>
            <h1>Gateway console</h1>
            <p className="muted">Your Ecwid shop and your CCV SalesPOS till, kept in step.</p>
          </div>
        </div>
        <Field
          label="API key"
          hint="Kept in this browser tab only: closing the tab signs you out. Keys are made in the playground or by your administrator."
          error={local ?? error}
        >
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder="gwk_…"
              value={key}
              onChange={(e) => setKey(e.target.value)}
              autoFocus
            />
          )}
        </Field>
        <Button type="submit" variant="primary" busy={busy} className="btn-block">
          Sign in
        </Button>
      </form>
    </main>
  );
}
