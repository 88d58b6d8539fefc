import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { createContext, useCallback, useContext, useEffect, useRef, useState } from "react";
import type { Role } from "../../../sdk/generated/graphql";
import { GatewayError, type GatewayClient } from "./client";

export interface Session {
  client: GatewayClient;
  role: Role | null;
  workspaceName: string | null;
  isInstanceAdmin: boolean;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside the signed-in console");
  return s;
}

/** what the key may do: the console offers nothing the gateway would refuse */
export function useCan() {
  const { role } = useSession();
  return {
    /** run, cancel and retry syncs, test connections */
    operate: role === "ADMIN" || role === "OPERATOR",
    /** credentials, flows, mappings */
    configure: role === "ADMIN",
  };
}

export interface QueryState<T> {
  data: T | undefined;
  error: GatewayError | undefined;
  loading: boolean;
  refetch(): Promise<T | undefined>;
}

/** one query, re-run when its variables change; keeps the previous data while reloading */
export function useQuery<T, V>(
  doc: TypedDocumentNode<T, V>,
  variables: V,
  opts: { skip?: boolean } = {},
): QueryState<T> {
  const { client } = useSession();
  const [data, setData] = useState<T>();
  const [error, setError] = useState<GatewayError>();
  const [loading, setLoading] = useState(!opts.skip);
  const varsKey = JSON.stringify(variables);
  const seq = useRef(0);
  const run = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const d = await client.request(doc, JSON.parse(varsKey) as V);
      if (mine === seq.current) {
        setData(d);
        setError(undefined);
      }
      return d;
    } catch (e) {
      if (mine === seq.current) setError(asGatewayError(e));
      return undefined;
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [client, doc, varsKey]);
  useEffect(() => {
    if (!opts.skip) void run();
  }, [run, opts.skip]);
  return { data, error, loading, refetch: run };
}

/** a mutation with its pending state and last error */
export function useMutation<T, V>(doc: TypedDocumentNode<T, V>) {
  const { client } = useSession();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<GatewayError>();
  const mutate = useCallback(
    async (variables: V): Promise<T | undefined> => {
      setPending(true);
      setError(undefined);
      try {
        return await client.request(doc, variables);
      } catch (e) {
        setError(asGatewayError(e));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [client, doc],
  );
  return { mutate, pending, error, reset: () => setError(undefined) };
}

export const asGatewayError = (e: unknown): GatewayError =>
  e instanceof GatewayError ? e : new GatewayError("CLIENT", (e as Error)?.message ?? String(e), []);
