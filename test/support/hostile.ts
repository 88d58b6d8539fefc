import type { World } from "./world";

/**
 * Helpers of the hostile-input suites: after every attack the gateway must still answer /healthz
 * within 100 ms (the process is alive and its event loop free), and where nothing should have
 * reached a vendor, the sandboxes' request logs must not have grown.
 */
export async function expectAlive(url: string): Promise<void> {
  // The machine is shared and the gateway runs in the test's own process: a try that missed the
  // deadline because this process was not scheduled gets more, a moment apart. An event loop held
  // by an attack (seconds) fails them all.
  let last: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 50));
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(100) });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok" });
      return;
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

/** requests both sandboxes have received so far */
export const vendorRequests = (w: Pick<World, "ecwid" | "ccv">): number =>
  w.ecwid.log.entries.length + w.ccv.log.entries.length;

export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** a raw HTTP request, answered as text and (when it parses) JSON */
export async function send(
  url: string,
  init: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const res = await fetch(url, {
    method: init.method ?? "POST",
    headers: init.headers,
    body: init.body as string | undefined,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const graphqlBody = (query: string, variables?: Record<string, unknown>) =>
  JSON.stringify({ query, ...(variables ? { variables } : {}) });

/** POST /graphql as a client would */
export function gqlPost(url: string, query: string, key?: string, variables?: Record<string, unknown>) {
  return send(`${url}/graphql`, {
    body: graphqlBody(query, variables),
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
  });
}

/** no answer of the gateway may carry HTML, a stack trace or a file path */
export function expectNoLeak(a: RawAnswer): void {
  expect(a.headers.get("content-type") ?? "").toMatch(/application\/json/);
  expect(a.text).not.toMatch(/<html|<pre|<!DOCTYPE/i);
  expect(a.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\/work\/|\/src\/|\.ts:\d+/);
}

export const errorOf = (a: RawAnswer): { message: string; extensions?: Record<string, unknown> } =>
  ((a.json as { errors?: { message: string; extensions?: Record<string, unknown> }[] }).errors ?? [])[0];
