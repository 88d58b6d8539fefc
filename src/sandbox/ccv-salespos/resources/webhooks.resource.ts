import { randomBytes } from "node:crypto";
import { CCV_WEBHOOK_EVENTS } from "../../../connectors/ccv-salespos/ccv.vendor-facts";
import type { CcvStore } from "../ccv.store";
import { CcvTable, created, done, ok, type CcvRouter, type Rec } from "../ccv.table";
import { invalid, validateBody } from "../ccv.validate";

/**
 * Webhook registrations (§5.9.1): one address per event, with a key CCV generates. Deliveries are
 * the webhook dispatcher's job (ccv.webhook-dispatcher.ts).
 */

export interface WebhookRec {
  id: number;
  createdate: string;
  event: string;
  address: string;
  key: string;
  is_active: boolean;
}

export class CcvWebhooks extends CcvTable<WebhookRec> {
  constructor(store: CcvStore) {
    super(store, "Webhook", 40);
  }

  create(body: unknown): WebhookRec {
    const b = validateBody(
      body,
      { event: "!string", address: "!string", is_active: "boolean" },
      { resource: "webhooks" },
    );
    // [3p] list of valid names; the status for an invalid one is [unknown]
    if (!(CCV_WEBHOOK_EVENTS as readonly string[]).includes(b.event as string))
      throw invalid(`'${String(b.event)}' is not a webhook event.`);
    if (!/^https?:\/\//.test(b.address as string)) throw invalid("'address' must be an http(s) URL.");
    const rec: WebhookRec = {
      id: this.nextId(),
      createdate: this.store.now(),
      event: b.event as string,
      address: b.address as string,
      key: randomBytes(24).toString("hex"),
      is_active: (b.is_active as boolean | undefined) ?? true,
    };
    this.set(rec.id, rec);
    return rec;
  }

  patch(id: number, body: unknown): void {
    const w = this.require(id);
    // the event is immutable (§5.9.1)
    Object.assign(
      w,
      validateBody(
        body,
        { address: "string", is_active: "boolean" },
        { partial: true, resource: "webhooks" },
      ),
    );
  }

  remove(id: number): void {
    this.require(id);
    this.delete(id);
  }

  render(w: WebhookRec): Rec {
    return {
      href: this.href(`/webhooks/${w.id}`),
      id: w.id,
      createdate: w.createdate,
      event: w.event,
      address: w.address,
      key: w.key,
      is_active: w.is_active,
      parent: { href: this.href("/webhooks") },
    };
  }
}

export function webhooksRoutes(api: CcvRouter, s: CcvStore): void {
  const { webhooks } = s;
  api.on("GET", "/webhooks", () => ({ paged: [...webhooks.values()].map((w) => webhooks.render(w)) }));
  api.on("POST", "/webhooks", (c) => created(webhooks.render(webhooks.create(c.body))));
  api.on("GET", "/webhooks/{id}", (c) => ok(webhooks.render(webhooks.require(c.ids[0]))));
  api.on("PATCH", "/webhooks/{id}", (c) => (webhooks.patch(c.ids[0], c.body), done));
  api.on("DELETE", "/webhooks/{id}", (c) => (webhooks.remove(c.ids[0]), done));
}
