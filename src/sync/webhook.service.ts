import { createHash } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Logger } from "pino";
import type { SecretBox } from "../common/crypto";
import { ecwidWebhookTarget, verifyEcwidWebhook } from "../connectors/ecwid";
import {
  isCcvWebhookEvent,
  parseCcvWebhook,
  verifyCcvWebhook,
  CcvWebhookParseError,
  type CcvWebhookVerificationMode,
} from "../connectors/ccv-salespos";
import { isDuplicateKeyError } from "../db/data-source";
import { json } from "../db/columns";
import { FlowConfigEntity } from "../db/entities/flow-config.entity";
import { CcvWebhookEntity, WebhookInboxEntity } from "../db/entities/infra.entity";
import { IntegrationEntity } from "../db/entities/integration.entity";
import type { EventLog } from "../events/event-log";
import type { SyncEventData } from "../events/event.types";
import type { JobQueue } from "../jobs/job-queue";
import type { IntegrationSecrets } from "../services/integration.service";
import type { FlowRegistry } from "./engine/flow-registry";
import type { FlowKindName, SystemName } from "./engine/flow-settings";
import type { RunService } from "./run.service";

/**
 * How long after the first receipt an identical CCV body may still queue one more run (see
 * WebhookService.ccvDuplicate). A same-second change is delivered within seconds; a replay of a
 * captured body after this is absorbed.
 */
export const CCV_SAME_SECOND_REQUEUE_MS = 60_000;

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface WebhookServiceOptions {
  ecwidMaxAgeSeconds: number;
  ccvVerification: CcvWebhookVerificationMode;
}

/**
 * The webhook inbox. A delivery is verified (via the connectors), then stored unique by
 * (integration, system, event id) in the same transaction as the runs it causes; a redelivery is
 * acknowledged and ignored (a CCV body seen before may queue one more run: see ccvDuplicate); a rejected delivery leaves no row (so a valid retry is still taken).
 * Webhooks only trigger: the runs re-fetch every record through the signed APIs.
 */
export class WebhookService {
  constructor(
    private readonly ds: DataSource,
    private readonly secrets: (integrationId: string) => Promise<IntegrationSecrets>,
    private readonly box: SecretBox,
    private readonly registry: FlowRegistry,
    private readonly runs: RunService,
    private readonly events: EventLog,
    private readonly queue: JobQueue,
    private readonly logger: Logger,
    private readonly opts: WebhookServiceOptions,
  ) {}

  async ecwid(
    integrationId: string,
    rawBody: Buffer,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<WebhookAnswer> {
    const integration = await this.integration(integrationId);
    if (!integration) return { status: 404, body: { error: "unknown integration" } };
    const secrets = await this.secrets(integrationId);
    const v = verifyEcwidWebhook({
      rawBody,
      signatureHeader: headers["x-ecwid-webhook-signature"],
      clientSecret: secrets.ecwid.clientSecret,
      maxAgeSeconds: this.opts.ecwidMaxAgeSeconds,
    });
    if (!v.ok) {
      this.logger.warn({ integrationId, status: v.status, reason: v.reason }, "Ecwid webhook refused");
      return { status: v.status, body: { error: v.reason } };
    }
    const e = v.event;
    if (e.storeId !== integration.ecwidStoreId) {
      this.logger.info({ integrationId, storeId: e.storeId }, "Ecwid webhook for another store refused");
      return {
        status: 400,
        body: {
          error: `the event is for store ${e.storeId}, this integration is store ${integration.ecwidStoreId}`,
        },
      };
    }
    const target = ecwidWebhookTarget(e);
    const sourceId = target.kind === "other" ? null : String(target.id);
    const flows = sourceId ? await this.flowsFor(integrationId, "ECWID", e.eventType) : [];
    if (flows.length === 0) return this.ignored(integrationId, "ECWID", e.eventType);
    return this.store(integrationId, "ECWID", e.eventId, e.eventType, sourceId!, e, flows);
  }

  async ccv(
    integrationId: string,
    event: string,
    rawBody: Buffer,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<WebhookAnswer> {
    const integration = await this.integration(integrationId);
    if (!integration) return { status: 404, body: { error: "unknown integration" } };
    if (!isCcvWebhookEvent(event)) return { status: 404, body: { error: `unknown CCV event ${event}` } };
    const reg = await this.ds.manager.findOneBy(CcvWebhookEntity, { integrationId, event });
    const key = reg?.keyEnc ? this.box.decrypt(reg.keyEnc, `ccv_webhook:${integrationId}:${event}`) : null;
    if (key && reg) {
      // the gateway registered this webhook and holds its key: only a delivery signed with it counts
      const v = verifyCcvWebhook({
        key,
        address: reg.address,
        rawBody,
        headers,
        mode: this.opts.ccvVerification,
      });
      if (!v.ok) {
        this.logger.warn({ integrationId, event, reason: v.reason }, "CCV webhook refused");
        return { status: 401, body: { error: v.reason } };
      }
    } else if (!reg) {
      // not registered by this gateway: nobody can have been told this address, so it is not CCV
      this.logger.warn({ integrationId, event }, "CCV webhook for an event not registered refused");
      return {
        status: 401,
        body: { error: "no webhook is registered for this event, so the delivery cannot be verified" },
      };
    } else {
      // registered, but CCV gave no key to verify with (CCV_WEBHOOK_SIGNATURE): taken as a trigger only
      this.logger.warn(
        { integrationId, event },
        "CCV webhook accepted unverified: the registration has no key",
      );
    }
    const flows = await this.flowsFor(integrationId, "CCV_SALESPOS", event);
    if (flows.length === 0) return this.ignored(integrationId, "CCV_SALESPOS", event);
    let payload;
    try {
      payload = parseCcvWebhook(event, rawBody);
    } catch (e) {
      if (e instanceof CcvWebhookParseError) return { status: 400, body: { error: e.message } };
      throw e;
    }
    // CCV payloads carry no event id: a redelivery repeats the same body and triggered_at
    const eventId = createHash("sha256").update(`${event}|`).update(rawBody).digest("hex");
    return this.store(integrationId, "CCV_SALESPOS", eventId, event, payload.id, payload.raw, flows);
  }

  /** a verified delivery no enabled flow listens to: acknowledged, nothing stored, no run */
  private ignored(integrationId: string, system: SystemName, eventType: string): WebhookAnswer {
    this.logger.info({ integrationId, system, eventType }, "webhook ignored: no enabled flow listens to it");
    return { status: 200, body: { status: "ignored", reason: "no enabled flow listens to this event" } };
  }

  private async integration(id: string): Promise<IntegrationEntity | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    return this.ds.manager.findOneBy(IntegrationEntity, { id });
  }

  private async store(
    integrationId: string,
    system: SystemName,
    eventId: string,
    eventType: string,
    sourceId: string,
    payload: unknown,
    flows: FlowKindName[],
  ): Promise<WebhookAnswer> {
    let events: SyncEventData[] = [];
    try {
      events = await this.ds.transaction(async (em) => {
        await em.insert(WebhookInboxEntity, {
          integrationId,
          system,
          eventId,
          eventType,
          entityId: sourceId,
          payload: json(payload),
          receivedAt: new Date(),
        });
        const out: SyncEventData[] = [];
        for (const flow of flows)
          out.push(...(await this.runs.enqueueForWebhook(em, integrationId, flow, sourceId)));
        return out;
      });
    } catch (e) {
      if (!isDuplicateKeyError(e)) throw e;
      if (system !== "CCV_SALESPOS") return { status: 200, body: { status: "duplicate", eventId } };
      return this.ccvDuplicate(integrationId, eventId, sourceId, flows);
    }
    await this.events.publish(events);
    this.queue.nudge();
    return { status: 200, body: { status: "accepted", eventId, flows } };
  }

  /**
   * A CCV body seen before. CCV deliveries carry no event id and `triggered_at` only to the second
   * (CCV §5.9.3), so a second change of one record within that second arrives byte-identical to
   * the first. If the first delivery's run has not picked the record up yet, the run reads it after
   * both changes: the duplicate is absorbed. If it has (started or finished), the record may have
   * been read before the second change: one more run is queued for it, coalesced into the pending
   * webhook run (at most one pending per record). Only within CCV_SAME_SECOND_REQUEUE_MS of the
   * first receipt, so a body replayed later is absorbed like any redelivery.
   */
  private async ccvDuplicate(
    integrationId: string,
    eventId: string,
    sourceId: string,
    flows: FlowKindName[],
  ): Promise<WebhookAnswer> {
    const absorbed: WebhookAnswer = { status: 200, body: { status: "duplicate", eventId } };
    const first = await this.ds.manager.findOneBy(WebhookInboxEntity, {
      integrationId,
      system: "CCV_SALESPOS",
      eventId,
    });
    if (!first || Date.now() - first.receivedAt.getTime() > CCV_SAME_SECOND_REQUEUE_MS) return absorbed;
    const requeued: FlowKindName[] = [];
    const events = await this.ds.transaction(async (em) => {
      const out: SyncEventData[] = [];
      for (const flow of flows) {
        if (await this.runs.pendingForWebhook(em, integrationId, flow, sourceId)) continue;
        requeued.push(flow);
        out.push(...(await this.runs.enqueueForWebhook(em, integrationId, flow, sourceId)));
      }
      return out;
    });
    if (requeued.length === 0) return absorbed;
    this.logger.info(
      { integrationId, eventId, sourceId, flows: requeued },
      "CCV webhook body seen before, after its run picked the record up: one more run queued",
    );
    await this.events.publish(events);
    this.queue.nudge();
    return { status: 200, body: { status: "requeued", eventId, flows: requeued } };
  }

  /** enabled flows whose definition listens to this event */
  private async flowsFor(
    integrationId: string,
    system: SystemName,
    eventType: string,
  ): Promise<FlowKindName[]> {
    const enabled = new Set(
      (await this.ds.manager.findBy(FlowConfigEntity, { integrationId, enabled: true })).map((f) => f.kind),
    );
    return this.registry
      .all()
      .filter(
        (d) => enabled.has(d.kind) && d.webhooks?.system === system && d.webhooks.events.includes(eventType),
      )
      .map((d) => d.kind);
  }
}
