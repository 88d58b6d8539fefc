/**
 * Links into the browser console (served at <GATEWAY_PUBLIC_URL>/app). The only place that knows
 * the console's routes, so alerts follow the console when its pages move.
 */
export class ConsoleLinks {
  constructor(private readonly base: () => string) {}

  private url(path: string, query: Record<string, string | undefined> = {}): string {
    const q = Object.entries(query)
      .filter(([, v]) => v !== undefined && v !== "")
      .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
      .join("&");
    return `${this.base().replace(/\/+$/, "")}/app${path}${q ? `?${q}` : ""}`;
  }

  // the console's pages: /i/<id> (dashboard), /i/<id>/setup (credentials), /i/<id>/activity?flow=&status=
  integration = (id: string) => this.url(`/i/${id}`);
  connections = (id: string) => this.url(`/i/${id}/setup`);
  flow = (id: string, flow: string) => this.url(`/i/${id}/activity`, { flow });
  run = (id: string, flow: string, runId: string) => this.url(`/i/${id}/activity`, { flow, run: runId });
  failedItems = (id: string, flow: string, errorCode?: string) =>
    this.url(`/i/${id}/activity`, { flow, status: "FAILED", errorCode });
  alerts = () => this.url(`/`);
}
