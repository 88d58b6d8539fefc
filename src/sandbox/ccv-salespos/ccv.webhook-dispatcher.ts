import { request } from "undici";
import { ccvWebhookSignature } from "../../connectors/ccv-salespos/ccv.webhooks";
import { CCV_WEBHOOK_SIGNATURE, type CcvWebhookEvent } from "../../connectors/ccv-salespos/ccv.vendor-facts";
import { phpJsonEncode } from "./php-json";

/** One registered webhook as the dispatcher sees it. */
export interface WebhookTarget {
  id: number;
  event: string;
  address: string;
  key: string;
  is_active: boolean;
}

export interface CcvWebhookDelivery {
  webhookId: number;
  event: CcvWebhookEvent;
  address: string;
  /** the exact bytes sent */
  body: string;
  headers: Record<string, string>;
  /** the receiver's status, or undefined while in flight / when the call failed */
  status?: number;
  error?: string;
  at: Date;
}

/**
 * Delivers events to registered addresses (§5.9): a POST with the §5.9.3 payload, PHP-encoded, and
 * an `x-hash` header per the [inferred] scheme of §5.9.4 (can be switched off to test receivers
 * that must accept unsigned deliveries). Retries and timeouts of the real service are [unknown]:
 * one attempt, 5 s timeout. Deliveries are sent after the API response that caused them.
 */
export class CcvWebhookDispatcher {
  readonly deliveries: CcvWebhookDelivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private waiters: { pred: (d: CcvWebhookDelivery) => boolean; resolve: (d: CcvWebhookDelivery) => void }[] =
    [];

  constructor(
    private readonly targets: () => Iterable<WebhookTarget>,
    private readonly opts: { sign: boolean; timeoutMs?: number },
  ) {}

  emit(event: CcvWebhookEvent, payload: Record<string, unknown>): void {
    for (const t of this.targets()) {
      if (!t.is_active || t.event !== event) continue;
      const body = phpJsonEncode(payload);
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (this.opts.sign) headers[CCV_WEBHOOK_SIGNATURE.header] = ccvWebhookSignature(t.key, t.address, body);
      const d: CcvWebhookDelivery = {
        webhookId: t.id,
        event,
        address: t.address,
        body,
        headers,
        at: new Date(),
      };
      const p = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => this.send(d))
        .finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }
  }

  private async send(d: CcvWebhookDelivery): Promise<void> {
    try {
      const res = await request(d.address, {
        method: "POST",
        headers: d.headers,
        body: d.body,
        headersTimeout: this.opts.timeoutMs ?? 5_000,
        bodyTimeout: this.opts.timeoutMs ?? 5_000,
      });
      await res.body.dump();
      d.status = res.statusCode;
    } catch (e) {
      d.error = e instanceof Error ? e.message : String(e);
    }
    this.deliveries.push(d);
    this.waiters = this.waiters.filter((w) => {
      if (!w.pred(d)) return true;
      w.resolve(d);
      return false;
    });
  }

  /** Resolves with the first finished delivery (past or future) matching `pred`. */
  waitFor(pred: (d: CcvWebhookDelivery) => boolean, timeoutMs = 5_000): Promise<CcvWebhookDelivery> {
    const done = this.deliveries.find(pred);
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const waiter = {
        pred,
        resolve: (d: CcvWebhookDelivery) => {
          clearTimeout(timer);
          resolve(d);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching CCV webhook delivery within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Waits until every delivery started so far has finished. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  clear(): void {
    this.deliveries.length = 0;
  }
}
