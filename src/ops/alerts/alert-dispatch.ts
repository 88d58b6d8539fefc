import type { DataSource } from "typeorm";
import { In, MoreThan } from "typeorm";
import type { Logger } from "pino";
import { json } from "../../db/columns";
import { IntegrationEntity } from "../../db/entities/integration.entity";
import {
  AlertChannelEntity,
  AlertDeliveryEntity,
  AlertEntity,
  AlertIncidentEntity,
} from "../../db/entities/ops.entity";
import { SyncItemEntity } from "../../db/entities/sync-item.entity";
import { SyncRunEntity } from "../../db/entities/sync-run.entity";
import { WorkspaceEntity } from "../../db/entities/workspace.entity";
import { PermanentJobFailure, type JobQueue } from "../../jobs/job-queue";
import { ALERT_DELIVERY_JOB, INCIDENT_KINDS } from "./alert-kinds";
import type { AlertChannelService } from "./alert-channel.service";
import { flowWords } from "./alert-messages";
import { DeliveryError, renderMessage, type SmtpTarget, type WebhookTarget } from "./alert-senders";
import type { ConsoleLinks } from "./console-links";

/** A delivery is tried this often (backoff 1 s, 2 s, 4 s … 5 min between attempts: about an hour). */
export const DELIVERY_ATTEMPTS = 16;
/** alerts listed in one message; the rest are counted and linked */
const PER_MESSAGE = 25;

export interface Senders {
  webhook(target: WebhookTarget, m: ReturnType<typeof renderMessage>): Promise<number | void>;
  email(target: SmtpTarget, m: ReturnType<typeof renderMessage>): Promise<number | void>;
}

/**
 * From alerts to messages. Each channel gets at most one message per ALERT_MIN_INTERVAL_SECONDS:
 * alerts made meanwhile wait (the channel's watermark) and go out together, so a flood becomes a
 * handful of messages. A message is a delivery row plus a job on the operations queue, created in
 * one transaction; the job retries with backoff and records every attempt in the delivery log.
 */
export class AlertDispatch {
  constructor(
    private readonly ds: DataSource,
    private readonly channels: AlertChannelService,
    private readonly queue: JobQueue,
    private readonly links: ConsoleLinks,
    private readonly minIntervalMs: number,
    private readonly logger: Logger,
    private readonly senders: Senders,
  ) {}

  /** hands new alerts to the channels that hear them; returns the deliveries created */
  async dispatch(now: Date): Promise<number> {
    let created = 0;
    for (const ch of await this.ds.manager.findBy(AlertChannelEntity, { enabled: true })) {
      if (ch.lastMessageAt && now.getTime() - ch.lastMessageAt.getTime() < this.minIntervalMs) continue;
      const pending = await this.ds.manager.find(AlertEntity, {
        select: { id: true, kind: true },
        where: { workspaceId: ch.workspaceId, id: MoreThan(ch.lastAlertId) },
        order: { id: "ASC" },
        take: 5000,
      });
      if (pending.length === 0) continue;
      const heard = pending.filter((a) => a.kind !== "DIGEST" && ch.kinds.includes(a.kind));
      const watermark = pending[pending.length - 1].id;
      await this.ds.transaction(async (em) => {
        const moved = await em.update(
          AlertChannelEntity,
          { id: ch.id, lastAlertId: ch.lastAlertId },
          { lastAlertId: watermark, ...(heard.length ? { lastMessageAt: now } : {}) },
        );
        if (!moved.affected || heard.length === 0) return;
        const ids = heard.map((a) => a.id);
        const subject = `${ids.length} alert${ids.length === 1 ? "" : "s"}`;
        await this.createDelivery(em, ch, "ALERTS", ids, subject, now);
        created++;
      });
    }
    if (created) this.queue.nudge();
    return created;
  }

  /** a test message to one channel, now (the same path as every alert) */
  async test(ch: AlertChannelEntity, now = new Date()): Promise<AlertDeliveryEntity> {
    const d = await this.ds.transaction((em) => this.createDelivery(em, ch, "TEST", [], "test message", now));
    this.queue.nudge();
    return d;
  }

  /** the daily digest of every workspace with a channel that asked for it */
  async digest(now: Date): Promise<number> {
    const channels = (await this.ds.manager.findBy(AlertChannelEntity, { enabled: true })).filter((c) =>
      c.kinds.includes("DIGEST"),
    );
    const byWs = new Map<string, AlertChannelEntity[]>();
    for (const c of channels) byWs.set(c.workspaceId, [...(byWs.get(c.workspaceId) ?? []), c]);
    let n = 0;
    for (const [ws, list] of byWs) {
      const text = await this.digestText(ws, now);
      await this.ds.transaction(async (em) => {
        const ins = await em.insert(AlertEntity, {
          workspaceId: ws,
          integrationId: "",
          kind: "DIGEST",
          incidentId: null,
          title: text.title,
          body: text.body,
          link: this.links.alerts(),
          facts: json(text.facts),
          createdAt: now,
        });
        const id = Number(ins.identifiers[0]?.id);
        for (const c of list) {
          await this.createDelivery(em, c, "DIGEST", [id], "daily digest", now);
          n++;
        }
      });
    }
    if (n) this.queue.nudge();
    return n;
  }

  private async createDelivery(
    em: import("typeorm").EntityManager,
    ch: AlertChannelEntity,
    kind: string,
    alertIds: number[],
    subject: string,
    now: Date,
  ): Promise<AlertDeliveryEntity> {
    const row = {
      channelId: ch.id,
      workspaceId: ch.workspaceId,
      kind,
      alertIds,
      subject,
      status: "PENDING",
      attempts: 0,
      lastError: null,
      responseStatus: null,
      createdAt: now,
      updatedAt: now,
      deliveredAt: null,
    };
    const r = await em.insert(AlertDeliveryEntity, { ...row, alertIds: json(alertIds) });
    const id = Number(r.identifiers[0]?.id);
    await this.queue.enqueue(
      { type: ALERT_DELIVERY_JOB, payload: { deliveryId: id }, maxAttempts: DELIVERY_ATTEMPTS },
      em,
    );
    return Object.assign(new AlertDeliveryEntity(), row, { id });
  }

  /** the job: one attempt to deliver; a failure is recorded and retried by the queue */
  async deliver(deliveryId: number, attempt: number): Promise<void> {
    const m = this.ds.manager;
    const d = await m.findOneBy(AlertDeliveryEntity, { id: deliveryId });
    if (!d || d.status !== "PENDING") return;
    const ch = await m.findOneBy(AlertChannelEntity, { id: d.channelId });
    if (!ch) return; // deleted with its deliveries
    const ws = await m.findOneBy(WorkspaceEntity, { id: d.workspaceId });
    const alerts = await this.channels.alertsByIds(d.alertIds.slice(0, PER_MESSAGE));
    if (d.alertIds.length > PER_MESSAGE && alerts.length) {
      const more = d.alertIds.length - PER_MESSAGE;
      const last = alerts[alerts.length - 1];
      alerts.push(
        Object.assign(new AlertEntity(), {
          ...last,
          id: 0,
          kind: "MORE",
          title: `… and ${more} more alerts`,
          body: `${more} more alerts were made at the same time; the console lists them all.`,
          link: this.links.alerts(),
          facts: { more },
        }),
      );
    }
    const msg = renderMessage(
      d.id,
      d.kind,
      { id: d.workspaceId, name: ws?.name ?? d.workspaceId },
      alerts,
      new Date(),
    );
    try {
      const target = this.channels.target(ch);
      const status =
        ch.type === "WEBHOOK"
          ? await this.senders.webhook(target as WebhookTarget, msg)
          : await this.senders.email(target as SmtpTarget, msg);
      await m.update(
        AlertDeliveryEntity,
        { id: d.id },
        {
          status: "DELIVERED",
          attempts: attempt,
          subject: msg.subject.slice(0, 300),
          responseStatus: typeof status === "number" ? status : null,
          lastError: null,
          deliveredAt: new Date(),
          updatedAt: new Date(),
        },
      );
    } catch (e) {
      const message = e instanceof DeliveryError ? e.message : `delivery failed: ${(e as Error).message}`;
      const final = attempt >= DELIVERY_ATTEMPTS;
      await m.update(
        AlertDeliveryEntity,
        { id: d.id },
        {
          status: final ? "FAILED" : "PENDING",
          attempts: attempt,
          subject: msg.subject.slice(0, 300),
          lastError: message.slice(0, 1000),
          responseStatus: e instanceof DeliveryError ? (e.status ?? null) : null,
          updatedAt: new Date(),
        },
      );
      this.logger.warn(
        { deliveryId: d.id, channelId: ch.id, attempt, err: message },
        "alert delivery failed",
      );
      if (final) throw new PermanentJobFailure(message);
      throw new DeliveryError(message);
    }
  }

  private async digestText(workspaceId: string, now: Date) {
    const since = new Date(now.getTime() - 24 * 3600_000);
    const ws = await this.ds.manager.findOneBy(WorkspaceEntity, { id: workspaceId });
    const integrations = await this.ds.manager.findBy(IntegrationEntity, { workspaceId });
    const lines: string[] = [
      `What happened in the workspace "${ws?.name ?? workspaceId}" since ${since.toISOString()}:`,
    ];
    const facts: Record<string, unknown>[] = [];
    for (const i of integrations) {
      const runs: { flow: string; status: string; n: string | number }[] = await this.ds.manager
        .createQueryBuilder(SyncRunEntity, "r")
        .select("r.flow", "flow")
        .addSelect("r.status", "status")
        .addSelect("COUNT(*)", "n")
        .where("r.integration_id = :id AND r.finished_at >= :since AND r.dry_run = :dry", {
          id: i.id,
          since,
          dry: false,
        })
        .groupBy("r.flow")
        .addGroupBy("r.status")
        .getRawMany();
      const failures: { flow: string; code: string | null; n: string | number }[] = await this.ds.manager
        .createQueryBuilder(SyncItemEntity, "s")
        .select("s.flow", "flow")
        .addSelect("s.error_code", "code")
        .addSelect("COUNT(*)", "n")
        .where("s.integration_id = :id AND s.created_at >= :since AND s.status = :f", {
          id: i.id,
          since,
          f: "FAILED",
        })
        .groupBy("s.flow")
        .addGroupBy("s.error_code")
        .getRawMany();
      const open = await this.ds.manager.find(AlertIncidentEntity, {
        where: {
          integrationId: i.id,
          status: "OPEN",
          kind: In([...INCIDENT_KINDS]),
        },
      });
      lines.push("", `${i.name}: Ecwid ${i.ecwidStatus}, CCV SalesPOS ${i.ccvStatus}`);
      if (runs.length === 0) lines.push("  no runs finished");
      for (const r of runs) lines.push(`  ${flowWords(r.flow)}: ${Number(r.n)} run(s) ${r.status}`);
      for (const f of failures)
        lines.push(`  ${Number(f.n)} item(s) failed in ${f.flow} with ${f.code ?? "UNKNOWN"}`);
      for (const o of open)
        lines.push(
          `  open: ${String((o.details?.text as { title?: string })?.title ?? o.kind)} (${o.count}x since ${o.openedAt.toISOString()})`,
        );
      lines.push(`  ${this.links.integration(i.id)}`);
      facts.push({
        integrationId: i.id,
        runs: runs.map((r) => ({ flow: r.flow, status: r.status, count: Number(r.n) })),
        failures: failures.map((f) => ({ flow: f.flow, errorCode: f.code, count: Number(f.n) })),
        openIncidents: open.length,
      });
    }
    return {
      title: `[${ws?.name ?? workspaceId}] Daily digest`,
      body: lines.join("\n"),
      facts: { integrations: facts },
    };
  }
}
