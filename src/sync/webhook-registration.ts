import type { DataSource } from "typeorm";
import type { Logger } from "pino";
import type { SecretBox } from "../common/crypto";
import { ccvWebhookAddress, type CcvWebhookEvent } from "../connectors/ccv-salespos";
import { FlowConfigEntity } from "../db/entities/flow-config.entity";
import { CcvWebhookEntity } from "../db/entities/infra.entity";
import type { FlowRegistry } from "./engine/flow-registry";
import type { ClientProvider } from "./engine/runtime";

/**
 * CCV webhooks are registered by the gateway, one URL per event
 * (`<public url>/webhooks/ccv/<integrationId>/<event>`), for the events the enabled CCV-source flows
 * listen to. Each webhook's key (used to verify deliveries) is stored encrypted, bound to the
 * integration and event. Ecwid webhooks are set once in the Ecwid app's settings instead (one URL
 * per app), so there is nothing to register there.
 */
export class WebhookRegistrar {
  constructor(
    private readonly ds: DataSource,
    private readonly registry: FlowRegistry,
    private readonly clients: ClientProvider,
    private readonly box: SecretBox,
    private readonly logger: Logger,
    /** where vendors reach this gateway (GATEWAY_PUBLIC_URL, else the address it listens on) */
    public publicUrl = "",
  ) {}

  /** the CCV events the integration's enabled flows need */
  async wantedCcvEvents(integrationId: string): Promise<CcvWebhookEvent[]> {
    const enabled = new Set(
      (await this.ds.manager.findBy(FlowConfigEntity, { integrationId, enabled: true })).map((f) => f.kind),
    );
    const events = new Set<string>();
    for (const d of this.registry.all()) {
      if (enabled.has(d.kind) && d.webhooks?.system === "CCV_SALESPOS")
        for (const e of d.webhooks.events) events.add(e);
    }
    return [...events] as CcvWebhookEvent[];
  }

  /** registers the missing CCV webhooks (idempotent); returns the events registered */
  async ensureCcv(integrationId: string): Promise<string[]> {
    const events = await this.wantedCcvEvents(integrationId);
    if (events.length === 0) return [];
    if (!this.publicUrl)
      throw new Error("the gateway's public URL is not known yet (set GATEWAY_PUBLIC_URL)");
    const { ccv } = await this.clients(integrationId, { readOnly: false });
    const regs = await ccv.ensureWebhooks(events, (e) => ccvWebhookAddress(this.publicUrl, integrationId, e));
    for (const r of regs) {
      await this.ds.manager.upsert(
        CcvWebhookEntity,
        {
          integrationId,
          event: r.event,
          webhookId: String(r.id),
          address: r.address,
          keyEnc: r.key ? this.box.encrypt(r.key, `ccv_webhook:${integrationId}:${r.event}`) : null,
          createdAt: new Date(),
        },
        ["integrationId", "event"],
      );
    }
    this.logger.info({ integrationId, events }, "CCV webhooks registered");
    return regs.map((r) => r.event);
  }

  /** fire-and-forget variant for configuration changes: a failure is logged, never thrown at the user */
  ensureCcvQuietly(integrationId: string): void {
    void this.ensureCcv(integrationId).catch((e: Error) =>
      this.logger.warn(
        { integrationId, err: e.message },
        "registering CCV webhooks failed; runs still poll on their schedule",
      ),
    );
  }
}
