import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { In } from "typeorm";
import { randomToken, type SecretBox } from "../../common/crypto";
import { badInput, notFound } from "../../common/errors";
import { looksMasked, maskSecret } from "../../common/secrets";
import { json } from "../../db/columns";
import {
  AlertChannelEntity,
  AlertDeliveryEntity,
  AlertEntity,
  AlertIncidentEntity,
  ConnectionEventEntity,
  type AlertChannelTypeName,
} from "../../db/entities/ops.entity";
import net from "node:net";
import { addressProblem, STRICT_UPSTREAMS, type UpstreamPolicy } from "../../connectors/http";
import { checkVendorUrl } from "../../services/integration.service";
import { pageSize } from "../../sync/pagination";
import { newestFirst } from "../paging";
import type { Page } from "../../sync/run.service";
import { ALERT_KINDS, type AlertKindName } from "./alert-kinds";
import type { SmtpTarget, WebhookTarget } from "./alert-senders";
import { alertChannelAad } from "../keys/secret-columns";

export type SmtpTlsName = SmtpTarget["tls"];

export interface EmailSettingsInput {
  host?: string | null;
  port?: number | null;
  tls?: SmtpTlsName | null;
  username?: string | null;
  /** write-only; on update: undefined keeps the stored one, "" removes it */
  password?: string | null;
  from?: string | null;
  to?: string[] | null;
}

export interface ChannelInput {
  name?: string | null;
  type?: AlertChannelTypeName;
  enabled?: boolean | null;
  kinds?: string[] | null;
  webhookUrl?: string | null;
  email?: EmailSettingsInput | null;
}

/** What the API and the audit log show of a channel: never the secret, only its mask. */
export interface ChannelView {
  id: string;
  name: string;
  type: AlertChannelTypeName;
  enabled: boolean;
  kinds: AlertKindName[];
  webhookUrl: string | null;
  email: {
    host: string;
    port: number;
    tls: SmtpTlsName;
    username: string | null;
    from: string;
    to: string[];
  } | null;
  secretMask: string | null;
  createdAt: Date;
  updatedAt: Date;
  lastMessageAt: Date | null;
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
export const WEBHOOK_SECRET_PREFIX = "gwhsec";

/** Alert channels of a workspace: validation, write-only secrets, and the reads of alerts and deliveries. */
export class AlertChannelService {
  constructor(
    private readonly ds: DataSource,
    private readonly box: SecretBox,
    /** who may be reached: the vendor-URL rule (GATEWAY_ALLOW_LOCAL_UPSTREAMS) */
    private readonly upstreams: UpstreamPolicy = STRICT_UPSTREAMS,
  ) {}

  private get repo() {
    return this.ds.getRepository(AlertChannelEntity);
  }

  async list(workspaceId: string): Promise<AlertChannelEntity[]> {
    return this.repo.find({ where: { workspaceId }, order: { createdAt: "ASC" } });
  }

  async get(workspaceId: string, id: string): Promise<AlertChannelEntity> {
    const c = await this.repo.findOneBy({ id, workspaceId });
    if (!c) throw notFound("Alert channel", id);
    return c;
  }

  /** creates a channel; a webhook channel's signing secret is returned here once */
  async create(
    workspaceId: string,
    input: ChannelInput,
  ): Promise<{ channel: AlertChannelEntity; secret: string | null }> {
    if (input.type !== "WEBHOOK" && input.type !== "EMAIL") throw badInput("type must be WEBHOOK or EMAIL.");
    const now = new Date();
    const max = await this.ds.manager
      .createQueryBuilder(AlertEntity, "a")
      .select("MAX(a.id)", "m")
      .where("a.workspace_id = :ws", { ws: workspaceId })
      .getRawOne();
    const c = Object.assign(new AlertChannelEntity(), {
      id: randomUUID(),
      workspaceId,
      type: input.type,
      enabled: input.enabled ?? true,
      config: {},
      secretEnc: null,
      secretMask: null,
      // a new channel hears what happens from now on, not the workspace's history
      lastAlertId: Number(max?.m ?? 0),
      lastMessageAt: null,
      createdAt: now,
      updatedAt: now,
    });
    let secret: string | null = null;
    this.apply(c, input, true);
    if (c.type === "WEBHOOK") secret = this.newWebhookSecret(c);
    await this.repo.insert({ ...c, kinds: json(c.kinds), config: json(c.config) });
    return { channel: c, secret };
  }

  async update(workspaceId: string, id: string, input: ChannelInput): Promise<AlertChannelEntity> {
    const c = await this.get(workspaceId, id);
    if (input.type && input.type !== c.type)
      throw badInput("A channel's type cannot change; create a new channel.");
    this.apply(c, input, false);
    c.updatedAt = new Date();
    await this.repo.update(
      { id },
      {
        name: c.name,
        enabled: c.enabled,
        kinds: json(c.kinds),
        config: json(c.config),
        secretEnc: c.secretEnc,
        secretMask: c.secretMask,
        updatedAt: c.updatedAt,
      },
    );
    return c;
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    await this.get(workspaceId, id);
    await this.repo.delete({ id, workspaceId });
    return true;
  }

  /** a new signing secret for a webhook channel, shown once; the old one stops working at once */
  async rotateSecret(
    workspaceId: string,
    id: string,
  ): Promise<{ channel: AlertChannelEntity; secret: string }> {
    const c = await this.get(workspaceId, id);
    if (c.type !== "WEBHOOK") throw badInput("Only webhook channels have a signing secret.");
    const secret = this.newWebhookSecret(c);
    c.updatedAt = new Date();
    await this.repo.update(
      { id },
      { secretEnc: c.secretEnc, secretMask: c.secretMask, updatedAt: c.updatedAt },
    );
    return { channel: c, secret };
  }

  view(c: AlertChannelEntity): ChannelView {
    const cfg = c.config as Record<string, unknown>;
    return {
      id: c.id,
      name: c.name,
      type: c.type,
      enabled: c.enabled,
      kinds: c.kinds as AlertKindName[],
      webhookUrl: c.type === "WEBHOOK" ? String(cfg.url) : null,
      email:
        c.type === "EMAIL"
          ? {
              host: String(cfg.host),
              port: Number(cfg.port),
              tls: cfg.tls as SmtpTlsName,
              username: (cfg.username as string | null) ?? null,
              from: String(cfg.from),
              to: (cfg.to as string[]) ?? [],
            }
          : null,
      secretMask: c.secretMask,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      lastMessageAt: c.lastMessageAt,
    };
  }

  /** the decrypted target (for the sender only: never logged, returned or queued) */
  target(c: AlertChannelEntity): WebhookTarget | SmtpTarget {
    const cfg = c.config as Record<string, unknown>;
    const secret = c.secretEnc ? this.box.decrypt(c.secretEnc, alertChannelAad(c.id)) : null;
    if (c.type === "WEBHOOK") return { url: String(cfg.url), secret: secret ?? "" };
    return {
      host: String(cfg.host),
      port: Number(cfg.port),
      tls: cfg.tls as SmtpTlsName,
      username: (cfg.username as string | null) ?? null,
      password: secret,
      from: String(cfg.from),
      to: (cfg.to as string[]) ?? [],
    };
  }

  // -------------------------------------------------------------------------------- reads

  async deliveries(
    workspaceId: string,
    channelId: string,
    first: number | undefined,
    after: string | undefined,
  ): Promise<Page<AlertDeliveryEntity>> {
    const qb = this.ds.manager
      .createQueryBuilder(AlertDeliveryEntity, "d")
      .where("d.workspace_id = :ws AND d.channel_id = :ch", { ws: workspaceId, ch: channelId });
    return newestFirst(qb, first, after, 20);
  }

  async alerts(
    workspaceId: string,
    filter: { integrationId?: string; kind?: string },
    first: number | undefined,
    after: string | undefined,
  ): Promise<Page<AlertEntity>> {
    const qb = this.ds.manager
      .createQueryBuilder(AlertEntity, "a")
      .where("a.workspace_id = :ws", { ws: workspaceId });
    if (filter.integrationId) qb.andWhere("a.integration_id = :iid", { iid: filter.integrationId });
    if (filter.kind) qb.andWhere("a.kind = :kind", { kind: filter.kind });
    return newestFirst(qb, first, after, 50);
  }

  /** the connection's changes of state, newest first */
  async connectionHistory(
    integrationId: string,
    first: number | undefined,
  ): Promise<ConnectionEventEntity[]> {
    return this.ds.manager.find(ConnectionEventEntity, {
      where: { integrationId },
      order: { id: "DESC" },
      take: pageSize(first, 20),
    });
  }

  async alertsByIds(ids: number[]): Promise<AlertEntity[]> {
    if (ids.length === 0) return [];
    return this.ds.manager.find(AlertEntity, { where: { id: In(ids) }, order: { id: "ASC" } });
  }

  async incidents(
    workspaceId: string,
    filter: { integrationId?: string; status?: string },
  ): Promise<AlertIncidentEntity[]> {
    return this.ds.manager.find(AlertIncidentEntity, {
      where: {
        workspaceId,
        ...(filter.integrationId ? { integrationId: filter.integrationId } : {}),
        ...(filter.status ? { status: filter.status } : {}),
      },
      order: { openedAt: "DESC" },
      take: 500,
    });
  }

  // -------------------------------------------------------------------------------- validation

  private newWebhookSecret(c: AlertChannelEntity): string {
    const secret = randomToken(WEBHOOK_SECRET_PREFIX);
    c.secretEnc = this.box.encrypt(secret, alertChannelAad(c.id));
    c.secretMask = maskSecret(secret);
    return secret;
  }

  private apply(c: AlertChannelEntity, input: ChannelInput, creating: boolean): void {
    if (creating || (input.name !== undefined && input.name !== null)) {
      const name = (input.name ?? "").trim();
      if (name === "" || name.length > 200) throw badInput("A channel name needs 1 to 200 characters.");
      c.name = name;
    }
    if (input.enabled !== undefined && input.enabled !== null) c.enabled = input.enabled;
    if (creating || (input.kinds !== undefined && input.kinds !== null)) {
      const kinds = [...new Set(input.kinds ?? [])];
      const unknown = kinds.filter((k) => !(ALERT_KINDS as readonly string[]).includes(k));
      if (unknown.length) throw badInput(`Unknown alert kinds: ${unknown.join(", ")}.`);
      if (kinds.length === 0) throw badInput("Choose at least one alert kind for the channel to hear.");
      c.kinds = kinds;
    }
    if (c.type === "WEBHOOK") {
      if (input.email) throw badInput("A webhook channel takes webhookUrl, not email settings.");
      if (creating || (input.webhookUrl !== undefined && input.webhookUrl !== null)) {
        if (!input.webhookUrl) throw badInput("webhookUrl is required for a webhook channel.");
        c.config = { url: checkVendorUrl("webhookUrl", input.webhookUrl, this.upstreams) };
      }
      return;
    }
    if (input.webhookUrl) throw badInput("An e-mail channel takes email settings, not a webhookUrl.");
    if (!input.email) {
      if (creating)
        throw badInput("email settings (host, port, from, to) are required for an e-mail channel.");
      return;
    }
    const cur = c.config as Record<string, unknown>;
    const e = input.email;
    const host = (e.host ?? (cur.host as string | undefined) ?? "").trim();
    if (!/^[A-Za-z0-9.-]{1,253}$/.test(host) && !/^\[?[0-9a-fA-F:]+\]?$/.test(host))
      throw badInput("email.host must be a host name or IP address, e.g. smtp.example.com.");
    const literal = host.replace(/^\[|\]$/g, "");
    const refused = net.isIP(literal) ? addressProblem(literal, this.upstreams) : null;
    if (refused)
      throw badInput(`email.host points at an address the gateway does not connect to: ${refused}.`);
    const port = e.port ?? (cur.port as number | undefined) ?? 587;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw badInput("email.port must be 1 to 65535.");
    const tls = e.tls ?? (cur.tls as SmtpTlsName | undefined) ?? (port === 465 ? "IMPLICIT" : "STARTTLS");
    const username =
      e.username === undefined ? ((cur.username as string | null) ?? null) : e.username?.trim() || null;
    const from = (e.from ?? (cur.from as string | undefined) ?? "").trim();
    if (!EMAIL.test(from.replace(/^.*<(.+)>\s*$/, "$1")))
      throw badInput("email.from must be an e-mail address.");
    const to = (e.to ?? (cur.to as string[] | undefined) ?? []).map((x) => x.trim()).filter((x) => x !== "");
    if (to.length === 0 || to.length > 20 || to.some((x) => !EMAIL.test(x)))
      throw badInput("email.to must list 1 to 20 e-mail addresses.");
    c.config = { host, port, tls, username, from, to };
    if (e.password !== undefined && e.password !== null) {
      if (e.password === "") {
        c.secretEnc = null;
        c.secretMask = null;
      } else {
        if (looksMasked(e.password))
          throw badInput(
            "email.password looks like the masked value the gateway displays; enter the password itself.",
          );
        if (e.password.length > 500) throw badInput("email.password is too long.");
        c.secretEnc = this.box.encrypt(e.password, alertChannelAad(c.id));
        c.secretMask = `(set, ${e.password.length} chars)`;
      }
    }
  }
}
