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

  integration = (id: string) => this.url(`/integrations/${id}`);
  connections = (id: string) => this.url(`/integrations/${id}/connections`);
  flow = (id: string, flow: string) => this.url(`/integrations/${id}/flows/${flow}`);
  run = (id: string, runId: string) => this.url(`/integrations/${id}/runs/${runId}`);
  failedItems = (id: string, flow: string, errorCode?: string) =>
    this.url(`/integrations/${id}/items`, { flow, status: "FAILED", errorCode });
  alerts = () => this.url(`/alerts`);
}
