import { useState, type FormEvent } from "react";
import { CreateWorkspaceDocument } from "../../../sdk/generated/graphql";
import { useMutation } from "../api/hooks";
import { Button, Card, ErrorNote, Field, Note } from "../components/ui";

/** The instance operator token manages workspaces only: create one and continue with its admin key. */
export function WorkspacePage({ signIn }: { signIn: (key: string) => Promise<boolean> }) {
  const [name, setName] = useState("");
  const create = useMutation(CreateWorkspaceDocument);
  const [created, setCreated] = useState<{ name: string; secret: string }>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await create.mutate({ name: name.trim() });
    if (r) setCreated({ name: r.createWorkspace.workspace.name, secret: r.createWorkspace.adminKey.secret });
  };
  return (
    <div className="page narrow">
      <h1>Create a workspace</h1>
      <p className="lead">
        You signed in with the instance operator token. It creates workspaces; the shop&apos;s integrations
        live in a workspace and are managed with its keys.
      </p>
      {created ? (
        <Card title={`Workspace “${created.name}” is ready`}>
          <Note tone="warn">
            This is the workspace&apos;s first admin key. It is shown only this once: store it in your
            password manager now.
          </Note>
          <pre className="secret" aria-label="Admin key">
            {created.secret}
          </pre>
          <Button variant="primary" onClick={() => void signIn(created.secret)}>
            Continue with this key
          </Button>
        </Card>
      ) : (
        <Card>
          <form onSubmit={submit} noValidate>
            <Field
              label="Workspace name"
              hint="Usually the shop or the client's name."
              error={create.error?.message}
            >
              {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} required />}
            </Field>
            <Button type="submit" variant="primary" busy={create.pending}>
              Create workspace
            </Button>
          </form>
          <ErrorNote error={null} />
        </Card>
      )}
    </div>
  );
}
