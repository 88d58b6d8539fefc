/**
 * The route table of a vendor sandbox: each resource module registers `METHOD /path/{param}`
 * templates with a handler; the vendor server matches a request against them. What a parameter may
 * look like, and what an unmatched request is answered (404, 405, 501, a 400 for a bad id), differ
 * per vendor and stay in the vendor server.
 */

interface Route<H> {
  method: string;
  /** template segments; `{name}` marks a parameter */
  segments: string[];
  handler: H;
}

export interface RouteMatch<H> {
  handler: H;
  /** parameter values in template order */
  params: string[];
  /** parameter names in template order (without braces) */
  names: string[];
}

const isParam = (segment: string) => segment.startsWith("{") && segment.endsWith("}");

export function pathSegments(path: string): string[] {
  return path.split("/").filter(Boolean);
}

export class SandboxRouter<H> {
  private readonly routes: Route<H>[] = [];

  /** @param paramPattern what a path segment must look like to fill a `{param}` */
  constructor(private readonly paramPattern: RegExp = /^.+$/) {}

  /** Registers a route. The first registered route that matches wins (register `/x/deleted` before `/x/{id}`). */
  on(method: string, template: string, handler: H): void {
    this.routes.push({ method, segments: pathSegments(template), handler });
  }

  /**
   * The route for the request, or why there is none: `pathKnown` is true when a route exists at
   * this path for another method.
   */
  match(method: string, segments: string[]): { route?: RouteMatch<H>; pathKnown: boolean } {
    let pathKnown = false;
    for (const r of this.routes) {
      const params = this.fill(r.segments, segments, segments.length);
      if (!params || r.segments.length !== segments.length) continue;
      pathKnown = true;
      if (r.method === method)
        return { route: { handler: r.handler, params, names: this.names(r) }, pathKnown };
    }
    return { pathKnown };
  }

  /**
   * For an unmatched request: the parameters a route would have read from this path, each with the
   * segment standing in its place — those of routes of the same shape, and those a longer route
   * passes through on its way down (so a server can check path ids before it answers 405 or 404,
   * as a handler would have).
   */
  paramsAlongPath(segments: string[]): { name: string; value: string }[] {
    const out: { name: string; value: string }[] = [];
    for (const r of this.routes) {
      r.segments.forEach((t, i) => {
        if (!isParam(t) || i >= segments.length) return;
        const leaf = i === r.segments.length - 1;
        if (leaf && r.segments.length !== segments.length) return;
        if (this.fill(r.segments, segments, i + 1)) out.push({ name: t.slice(1, -1), value: segments[i] });
      });
    }
    return out;
  }

  /** The first segment of every template (the top-level resources the table knows). */
  roots(): Set<string> {
    return new Set(this.routes.map((r) => r.segments[0]).filter((s) => s !== undefined && !isParam(s)));
  }

  /** Every static segment of every template (the resource names the table knows). */
  staticNames(): Set<string> {
    return new Set(this.routes.flatMap((r) => r.segments.filter((s) => !isParam(s))));
  }

  /** The first `n` template segments against the path: the parameter values, or undefined on a mismatch. */
  private fill(template: string[], segments: string[], n: number): string[] | undefined {
    if (template.length < n || segments.length < n) return undefined;
    const params: string[] = [];
    for (let i = 0; i < n; i++) {
      if (isParam(template[i])) {
        if (!this.paramPattern.test(segments[i])) return undefined;
        params.push(segments[i]);
      } else if (template[i] !== segments[i]) return undefined;
    }
    return params;
  }

  private names(r: Route<H>): string[] {
    return r.segments.filter(isParam).map((s) => s.slice(1, -1));
  }
}
