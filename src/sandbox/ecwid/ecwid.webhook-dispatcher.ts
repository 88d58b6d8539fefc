import { randomUUID } from "node:crypto";
import { Agent, request } from "undici";
import { signEcwidWebhook, type EcwidWebhookEvent } from "../../connectors/ecwid/ecwid.webhooks";
import {
  ECWID_WEBHOOK_DELIVERED_STATUSES,
  ECWID_WEBHOOK_SIGNATURE_HEADER,
} from "../../connectors/ecwid/ecwid.vendor-facts";

/**
 * Webhook deliveries of the Ecwid sandbox (reference §11): `POST <url>?eventtype=<type>` with
 * `Content-Type: application/json; charset=UTF-8` and `X-Ecwid-Webhook-Signature`, signed with the
 * app's client secret over `<eventCreated>.<eventId>`. Delivered = 200, 201, 202, 204 or 209.
 * Ecwid's 24 h retry schedule is not simulated by a clock: tests call `redeliver` (which resends
 * with the original eventCreated, as Ecwid does) or `retryFailed`.
 */

export interface WebhookEndpoint {
  url: string;
  /** event types to send; all when omitted */
  eventTypes?: string[];
  /** extra headers configured for the app (§11.1) */
  headers?: Record<string, string>;
}

export interface WebhookDelivery {
  url: string;
  event: EcwidWebhookEvent;
  /** the exact body sent */
  body: string;
  signature: string;
  at: Date;
  status?: number;
  error?: string;
  delivered: boolean;
}

export class EcwidSandboxWebhooks {
  /** every event the store emitted, whether or not an endpoint wanted it */
  readonly emitted: EcwidWebhookEvent[] = [];
  readonly deliveries: WebhookDelivery[] = [];
  /** when false, events are recorded but not sent */
  enabled: boolean;
  private readonly endpoints: WebhookEndpoint[] = [];
  private readonly pending = new Set<Promise<void>>();
  // Ecwid's timeouts: 3 s to connect, 10 s for the answer (§11.1)
  private readonly agent = new Agent({
    connect: { timeout: 3_000 },
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });

  constructor(
    private readonly storeId: number,
    private readonly clientSecret: () => string,
    private readonly clock: () => number,
    enabled = true,
  ) {
    this.enabled = enabled;
  }

  register(endpoint: WebhookEndpoint): void {
    this.endpoints.push(endpoint);
  }

  unregisterAll(): void {
    this.endpoints.length = 0;
  }

  /** Records an event and, when enabled, sends it to every endpoint subscribed to its type. */
  emit(eventType: string, entityId: number | string, data?: Record<string, unknown>): EcwidWebhookEvent {
    const event: EcwidWebhookEvent = {
      eventId: randomUUID(),
      eventCreated: Math.floor(this.clock() / 1000),
      storeId: this.storeId,
      entityId,
      eventType,
    };
    if (data) event.data = data;
    this.emitted.push(event);
    if (this.enabled) this.dispatch(event);
    return event;
  }

  /** Sends an emitted event again, unchanged (original eventId and eventCreated), as Ecwid's retries do. */
  redeliver(eventId: string): void {
    const event = this.emitted.find((e) => e.eventId === eventId);
    if (!event) throw new Error(`no emitted event ${eventId}`);
    this.dispatch(event);
  }

  /** Resends every event whose last delivery attempt to an endpoint failed. */
  retryFailed(): void {
    const last = new Map<string, WebhookDelivery>();
    for (const d of this.deliveries) last.set(`${d.url}\u0000${d.event.eventId}`, d);
    for (const d of last.values())
      if (!d.delivered) this.track(this.send(d.url, d.event, this.endpointFor(d.url)?.headers));
  }

  /** Waits until every delivery started so far has finished (answered, failed or timed out). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }

  private endpointFor(url: string): WebhookEndpoint | undefined {
    return this.endpoints.find((e) => e.url === url);
  }

  private dispatch(event: EcwidWebhookEvent): void {
    for (const ep of this.endpoints) {
      if (ep.eventTypes && !ep.eventTypes.includes(event.eventType)) continue;
      this.track(this.send(ep.url, event, ep.headers));
    }
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async send(
    url: string,
    event: EcwidWebhookEvent,
    headers: Record<string, string> = {},
  ): Promise<void> {
    const body = JSON.stringify(event);
    const signature = signEcwidWebhook(this.clientSecret(), event.eventCreated, event.eventId);
    const target = `${url}${url.includes("?") ? "&" : "?"}eventtype=${encodeURIComponent(event.eventType)}`;
    const delivery: WebhookDelivery = { url, event, body, signature, at: new Date(), delivered: false };
    this.deliveries.push(delivery);
    try {
      const res = await request(target, {
        method: "POST",
        dispatcher: this.agent,
        headers: {
          ...headers,
          "content-type": "application/json; charset=UTF-8",
          [ECWID_WEBHOOK_SIGNATURE_HEADER]: signature,
        },
        body,
      });
      await res.body.dump();
      delivery.status = res.statusCode;
      delivery.delivered = ECWID_WEBHOOK_DELIVERED_STATUSES.includes(res.statusCode);
    } catch (e) {
      delivery.error = (e as Error).message;
    }
  }
}
