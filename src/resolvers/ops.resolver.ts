import {
  Arg,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  UseMiddleware,
} from "type-graphql";
import { auditChanges } from "../ops/audit/audit.service";
import type {
  AlertChannelEntity,
  AlertDeliveryEntity,
  AlertEntity,
  AuditLogEntity,
} from "../db/entities/ops.entity";
import type { Page } from "../sync/run.service";
import { Integration } from "../schema/integration.type";
import { SystemKind } from "../schema/enums";
import {
  Alert,
  AlertChannel,
  AlertChannelInput,
  AlertChannelType,
  AlertChannelUpdateInput,
  AlertConnection,
  AlertDelivery,
  AlertDeliveryConnection,
  AlertDeliveryStatus,
  AlertIncident,
  AlertKind,
  AuditEntryConnection,
  AuditLogFilter,
  ConnectionTransition,
  CreatedAlertChannel,
  IncidentStatus,
  PersonalDataErasure,
  SmtpTls,
} from "../schema/ops.type";
import { requireRole } from "../services/principal";
import { Audited } from "./audit.middleware";
import { principalOf, type GatewayContext } from "./context";

/** Alert channels, alerts and incidents, connection health history, the audit log and GDPR erasure. */
@Resolver(() => AlertChannel)
export class OpsResolver {
  @Query(() => [AlertChannel], { description: "ADMIN" })
  async alertChannels(@Ctx() ctx: GatewayContext): Promise<AlertChannel[]> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    return (await ctx.services.alerts.list(ws)).map((c) => toChannel(ctx, c));
  }

  @Query(() => AlertChannel, { nullable: true, description: "ADMIN" })
  async alertChannel(
    @Arg("id", () => ID) id: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<AlertChannel | null> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    const c = (await ctx.services.alerts.list(ws)).find((x) => x.id === id);
    return c ? toChannel(ctx, c) : null;
  }

  @Mutation(() => CreatedAlertChannel, {
    description: "ADMIN; a webhook channel's signing secret is shown once",
  })
  @UseMiddleware(Audited)
  async createAlertChannel(
    @Arg("input", () => AlertChannelInput) input: AlertChannelInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<CreatedAlertChannel> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    const { channel, secret } = await ctx.services.alerts.create(ws, input);
    return { channel: toChannel(ctx, channel), signingSecret: secret };
  }

  @Mutation(() => AlertChannel, { description: "ADMIN" })
  @UseMiddleware(Audited)
  async updateAlertChannel(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => AlertChannelUpdateInput) input: AlertChannelUpdateInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<AlertChannel> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    return toChannel(ctx, await ctx.services.alerts.update(ws, id, input));
  }

  @Mutation(() => CreatedAlertChannel, {
    description: "ADMIN; a new signing secret for a webhook channel, shown once (the old one stops working)",
  })
  @UseMiddleware(Audited)
  async rotateAlertChannelSecret(
    @Arg("id", () => ID) id: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<CreatedAlertChannel> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    const { channel, secret } = await ctx.services.alerts.rotateSecret(ws, id);
    return { channel: toChannel(ctx, channel), signingSecret: secret };
  }

  @Mutation(() => Boolean, { description: "ADMIN" })
  @UseMiddleware(Audited)
  async deleteAlertChannel(@Arg("id", () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<boolean> {
    return ctx.services.alerts.delete(requireRole(principalOf(ctx), "ADMIN"), id);
  }

  @Mutation(() => AlertDelivery, { description: "ADMIN; sends a test message through the channel now" })
  async testAlertChannel(
    @Arg("id", () => ID) id: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<AlertDelivery> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    return toDelivery(await ctx.services.alertDispatch.test(await ctx.services.alerts.get(ws, id)));
  }

  @FieldResolver(() => AlertDeliveryConnection, { description: "the delivery log, newest first" })
  async deliveries(
    @Root() channel: AlertChannel,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<AlertDeliveryConnection> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    return connection(await ctx.services.alerts.deliveries(ws, channel.id, first, after), toDelivery);
  }

  @Query(() => AlertConnection, { description: "alerts made, newest first" })
  async alerts(
    @Arg("integrationId", () => ID, { nullable: true }) integrationId: string | undefined,
    @Arg("kind", () => AlertKind, { nullable: true }) kind: AlertKind | undefined,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<AlertConnection> {
    const ws = requireRole(principalOf(ctx), "VIEWER");
    return connection(await ctx.services.alerts.alerts(ws, { integrationId, kind }, first, after), toAlert);
  }

  @Query(() => [AlertIncident], { description: "open (or resolved) incidents, newest first" })
  async alertIncidents(
    @Arg("status", () => IncidentStatus, { nullable: true, defaultValue: IncidentStatus.OPEN })
    status: IncidentStatus,
    @Arg("integrationId", () => ID, { nullable: true }) integrationId: string | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<AlertIncident[]> {
    const ws = requireRole(principalOf(ctx), "VIEWER");
    return (await ctx.services.alerts.incidents(ws, { integrationId, status })).map((i) => ({
      id: i.id,
      kind: i.kind as AlertKind,
      integrationId: i.integrationId,
      key: i.groupKey,
      status: i.status as IncidentStatus,
      openedAt: i.openedAt,
      lastSeenAt: i.lastSeenAt,
      resolvedAt: i.resolvedAt,
      count: i.count,
      title: String((i.details?.text as { title?: string } | undefined)?.title ?? i.kind),
    }));
  }

  @Query(() => AuditEntryConnection, { description: "ADMIN; configuration changes, newest first" })
  async auditLog(
    @Arg("filter", () => AuditLogFilter, { nullable: true }) filter: AuditLogFilter | undefined,
    @Arg("first", () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<AuditEntryConnection> {
    const ws = requireRole(principalOf(ctx), "ADMIN");
    const f = filter ?? {};
    const page = await ctx.services.audit.list(
      ws,
      {
        action: f.action ?? undefined,
        targetType: f.targetType ?? undefined,
        targetId: f.targetId ?? undefined,
        integrationId: f.integrationId ?? undefined,
        actor: f.actor ?? undefined,
        from: f.from ?? undefined,
        to: f.to ?? undefined,
      },
      first,
      after,
    );
    return connection(page, (a: AuditLogEntity) => ({
      id: String(a.id),
      at: a.at,
      actor: a.actor,
      actorRole: a.actorRole,
      action: a.action,
      targetType: a.targetType,
      targetId: a.targetId,
      integrationId: a.integrationId,
      summary: a.summary,
      before: a.before ?? null,
      after: a.after ?? null,
      changes: auditChanges(a.before, a.after).map((c) => ({
        ...c,
        before: c.before ?? null,
        after: c.after ?? null,
      })),
    }));
  }

  @Mutation(() => PersonalDataErasure, {
    description:
      "ADMIN; GDPR: removes a person's data (by e-mail) from every integration of the workspace: item payloads, reasons, events, webhook inbox rows, the CCV e-mail index, links' e-mail keys, alerts and the audit log. Items, counts and links stay. The vendors' own records are not touched.",
  })
  @UseMiddleware(Audited)
  async erasePersonalData(
    @Arg("email") email: string,
    @Ctx() ctx: GatewayContext,
  ): Promise<PersonalDataErasure> {
    return ctx.services.privacy.erase(requireRole(principalOf(ctx), "ADMIN"), email);
  }
}

/** Health of an integration's connections: the changes of state. */
@Resolver(() => Integration)
export class IntegrationHealthResolver {
  @FieldResolver(() => [ConnectionTransition], {
    description: "the connections' changes of state (OK → FAILING → OK), newest first",
  })
  async connectionHistory(
    @Root() integration: Integration,
    @Arg("first", () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Ctx() ctx: GatewayContext,
  ): Promise<ConnectionTransition[]> {
    return (await ctx.services.alerts.connectionHistory(integration.id, first)).map((e) => ({
      system: e.system as SystemKind,
      from: e.fromStatus,
      to: e.toStatus,
      message: e.message,
      source: e.source,
      at: e.at,
    }));
  }
}

function toChannel(ctx: GatewayContext, c: AlertChannelEntity): AlertChannel {
  const v = ctx.services.alerts.view(c);
  return {
    id: v.id,
    name: v.name,
    type: v.type as AlertChannelType,
    enabled: v.enabled,
    kinds: v.kinds as AlertKind[],
    webhookUrl: v.webhookUrl,
    email: v.email ? { ...v.email, tls: v.email.tls as SmtpTls } : null,
    maskedSecret: v.secretMask,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    lastMessageAt: v.lastMessageAt,
  };
}

const toAlert = (a: AlertEntity): Alert => ({
  id: String(a.id),
  kind: a.kind as AlertKind,
  integrationId: a.integrationId || null,
  title: a.title,
  body: a.body,
  link: a.link,
  facts: a.facts,
  createdAt: a.createdAt,
});

const toDelivery = (d: AlertDeliveryEntity): AlertDelivery => ({
  id: String(d.id),
  channelId: d.channelId,
  kind: d.kind,
  subject: d.subject,
  status: d.status as AlertDeliveryStatus,
  attempts: d.attempts,
  lastError: d.lastError,
  responseStatus: d.responseStatus,
  alertIds: d.alertIds.map(String),
  createdAt: d.createdAt,
  deliveredAt: d.deliveredAt,
});

function connection<E, N>(p: Page<E>, map: (e: E) => N) {
  return {
    edges: p.nodes.map((n) => ({ cursor: n.cursor, node: map(n.node) })),
    pageInfo: { hasNextPage: p.hasNextPage, endCursor: p.endCursor },
    totalCount: p.totalCount ?? p.nodes.length,
  };
}
