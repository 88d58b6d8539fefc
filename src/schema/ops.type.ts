import { GraphQLJSON } from "graphql-scalars";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { SystemKind } from "./enums";
import { FieldChange, PageInfo } from "./run.type";

export enum AlertKind {
  CONNECTION_FAILING = "CONNECTION_FAILING",
  CONNECTION_RECOVERED = "CONNECTION_RECOVERED",
  RUN_FAILED = "RUN_FAILED",
  RUN_PARTIAL = "RUN_PARTIAL",
  ITEM_FAILURE = "ITEM_FAILURE",
  RUN_STALLED = "RUN_STALLED",
  FLOW_SILENT = "FLOW_SILENT",
  RATE_BUDGET_EXHAUSTED = "RATE_BUDGET_EXHAUSTED",
  DIGEST = "DIGEST",
}
registerEnumType(AlertKind, {
  name: "AlertKind",
  valuesConfig: {
    CONNECTION_FAILING: { description: "a connection's check failed after it worked (or was new)" },
    CONNECTION_RECOVERED: { description: "a failing connection works again" },
    RUN_FAILED: { description: "a run of a flow failed (the first of a series; a successful run ends it)" },
    RUN_PARTIAL: { description: "a run finished with failed items (the first of a series)" },
    ITEM_FAILURE: {
      description:
        "a new kind of item failure: a flow and error code not seen for ALERT_REPEAT_HOURS, once, not per item",
    },
    RUN_STALLED: { description: "a queued or running run without progress for ALERT_RUN_STALLED_MINUTES" },
    FLOW_SILENT: {
      description: "an enabled, scheduled flow without a successful run for twice its schedule's interval",
    },
    RATE_BUDGET_EXHAUSTED: {
      description: "a vendor lane at its rate limit for ALERT_BUDGET_EXHAUSTED_MINUTES",
    },
    DIGEST: { description: "the daily digest (ALERT_DIGEST_CRON)" },
  },
});

export enum AlertChannelType {
  WEBHOOK = "WEBHOOK",
  EMAIL = "EMAIL",
}
registerEnumType(AlertChannelType, { name: "AlertChannelType" });

export enum SmtpTls {
  IMPLICIT = "IMPLICIT",
  STARTTLS = "STARTTLS",
  NONE = "NONE",
}
registerEnumType(SmtpTls, {
  name: "SmtpTls",
  valuesConfig: {
    IMPLICIT: { description: "TLS from the first byte (usually port 465)" },
    STARTTLS: { description: "plain connection upgraded with STARTTLS, required (usually port 587)" },
    NONE: { description: "no TLS (a relay on the same host only)" },
  },
});

export enum AlertDeliveryStatus {
  PENDING = "PENDING",
  DELIVERED = "DELIVERED",
  FAILED = "FAILED",
}
registerEnumType(AlertDeliveryStatus, {
  name: "AlertDeliveryStatus",
  valuesConfig: {
    PENDING: { description: "waiting for its first attempt or for a retry" },
    FAILED: { description: "every attempt failed; lastError says why" },
  },
});

export enum IncidentStatus {
  OPEN = "OPEN",
  RESOLVED = "RESOLVED",
}
registerEnumType(IncidentStatus, { name: "IncidentStatus" });

@ObjectType()
export class EmailChannelSettings {
  @Field() host!: string;
  @Field(() => Int) port!: number;
  @Field(() => SmtpTls) tls!: SmtpTls;
  @Field(() => String, { nullable: true }) username!: string | null;
  @Field() from!: string;
  @Field(() => [String]) to!: string[];
}

/** `deliveries` is resolved by the resolver. */
@ObjectType({ description: "where a workspace's alerts go" })
export class AlertChannel {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => AlertChannelType) type!: AlertChannelType;
  @Field() enabled!: boolean;
  @Field(() => [AlertKind], { description: "what the channel hears" }) kinds!: AlertKind[];
  @Field(() => String, { nullable: true }) webhookUrl!: string | null;
  @Field(() => EmailChannelSettings, { nullable: true }) email!: EmailChannelSettings | null;
  @Field(() => String, {
    nullable: true,
    description: "the signing secret (webhook) or SMTP password as a mask; the value is never readable",
  })
  maskedSecret!: string | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;
  @Field(() => Date, { nullable: true }) lastMessageAt!: Date | null;
}

@ObjectType()
export class CreatedAlertChannel {
  @Field(() => AlertChannel) channel!: AlertChannel;
  @Field(() => String, {
    nullable: true,
    description:
      'webhook channels: the HMAC-SHA256 signing secret, shown exactly once. Deliveries carry X-Gateway-Signature: t=<unix seconds>,v1=<hex HMAC of "<t>.<raw body>">',
  })
  signingSecret!: string | null;
}

@InputType()
export class EmailChannelInput {
  @Field(() => String, { nullable: true }) host?: string | null;
  @Field(() => Int, { nullable: true, description: "default 587" }) port?: number | null;
  @Field(() => SmtpTls, { nullable: true, description: "default IMPLICIT on port 465, else STARTTLS" })
  tls?: SmtpTls | null;
  @Field(() => String, { nullable: true }) username?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "write-only, stored encrypted; on update: omit to keep, empty to remove",
  })
  password?: string | null;
  @Field(() => String, { nullable: true }) from?: string | null;
  @Field(() => [String], { nullable: true }) to?: string[] | null;
}

@InputType()
export class AlertChannelInput {
  @Field() name!: string;
  @Field(() => AlertChannelType) type!: AlertChannelType;
  @Field(() => Boolean, { nullable: true, defaultValue: true }) enabled?: boolean | null;
  @Field(() => [AlertKind]) kinds!: AlertKind[];
  @Field(() => String, {
    nullable: true,
    description:
      "webhook channels: the https URL that receives the JSON (judged like vendor base URLs: public addresses only, loopback with GATEWAY_ALLOW_LOCAL_UPSTREAMS)",
  })
  webhookUrl?: string | null;
  @Field(() => EmailChannelInput, { nullable: true }) email?: EmailChannelInput | null;
}

@InputType()
export class AlertChannelUpdateInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => Boolean, { nullable: true }) enabled?: boolean | null;
  @Field(() => [AlertKind], { nullable: true }) kinds?: AlertKind[] | null;
  @Field(() => String, { nullable: true }) webhookUrl?: string | null;
  @Field(() => EmailChannelInput, { nullable: true }) email?: EmailChannelInput | null;
}

@ObjectType({ description: "one alert: what happened, to which records, what to do, and where to look" })
export class Alert {
  @Field(() => ID) id!: string;
  @Field(() => AlertKind) kind!: AlertKind;
  @Field(() => ID, { nullable: true }) integrationId!: string | null;
  @Field() title!: string;
  @Field({ description: "the message in words, ending with what to do" }) body!: string;
  @Field({ description: "the console page (<GATEWAY_PUBLIC_URL>/app/…)" }) link!: string;
  @Field(() => GraphQLJSON, { nullable: true, description: "flow, error code, record ids, counts" })
  facts!: unknown;
  @Field() createdAt!: Date;
}

@ObjectType()
export class AlertEdge {
  @Field() cursor!: string;
  @Field(() => Alert) node!: Alert;
}

@ObjectType()
export class AlertConnection {
  @Field(() => [AlertEdge]) edges!: AlertEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@ObjectType({ description: "one message to a channel and how its delivery went" })
export class AlertDelivery {
  @Field(() => ID) id!: string;
  @Field(() => ID) channelId!: string;
  @Field({ description: "ALERTS, DIGEST or TEST" }) kind!: string;
  @Field() subject!: string;
  @Field(() => AlertDeliveryStatus) status!: AlertDeliveryStatus;
  @Field(() => Int) attempts!: number;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Int, { nullable: true, description: "the receiver's HTTP status or SMTP reply code" })
  responseStatus!: number | null;
  @Field(() => [ID]) alertIds!: string[];
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) deliveredAt!: Date | null;
}

@ObjectType()
export class AlertDeliveryEdge {
  @Field() cursor!: string;
  @Field(() => AlertDelivery) node!: AlertDelivery;
}

@ObjectType()
export class AlertDeliveryConnection {
  @Field(() => [AlertDeliveryEdge]) edges!: AlertDeliveryEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@ObjectType({
  description: "something wrong that lasts; alerts are sent when it opens, not for every occurrence",
})
export class AlertIncident {
  @Field(() => ID) id!: string;
  @Field(() => AlertKind) kind!: AlertKind;
  @Field(() => ID) integrationId!: string;
  @Field({ description: "what it is about: a system, a flow, flow:errorCode, a run id or a lane" })
  key!: string;
  @Field(() => IncidentStatus) status!: IncidentStatus;
  @Field() openedAt!: Date;
  @Field() lastSeenAt!: Date;
  @Field(() => Date, { nullable: true }) resolvedAt!: Date | null;
  @Field(() => Int, { description: "occurrences while open" }) count!: number;
  @Field() title!: string;
}

@ObjectType({ description: "a change of a connection's state, OK → FAILING → OK" })
export class ConnectionTransition {
  @Field(() => SystemKind) system!: SystemKind;
  @Field() from!: string;
  @Field() to!: string;
  @Field(() => String, { nullable: true }) message!: string | null;
  @Field({
    description: "TEST (testConnections), HEALTH (scheduled check) or RUN (a run met an AUTH failure)",
  })
  source!: string;
  @Field() at!: Date;
}

@ObjectType({ description: "a configuration change: who, when, before and after (never a secret)" })
export class AuditEntry {
  @Field(() => ID) id!: string;
  @Field() at!: Date;
  @Field({ description: "the API key's prefix (gwk_…), 'operator token', or a command" }) actor!: string;
  @Field(() => String, { nullable: true }) actorRole!: string | null;
  @Field({ description: "e.g. FLOW_CONFIGURED, CREDENTIALS_REPLACED, API_KEY_REVOKED" }) action!: string;
  @Field() targetType!: string;
  @Field(() => String, { nullable: true }) targetId!: string | null;
  @Field(() => ID, { nullable: true }) integrationId!: string | null;
  @Field() summary!: string;
  @Field(() => GraphQLJSON, { nullable: true }) before!: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) after!: unknown;
  @Field(() => [FieldChange], { description: "field by field, from before to after" })
  changes!: FieldChange[];
}

@ObjectType()
export class AuditEntryEdge {
  @Field() cursor!: string;
  @Field(() => AuditEntry) node!: AuditEntry;
}

@ObjectType()
export class AuditEntryConnection {
  @Field(() => [AuditEntryEdge]) edges!: AuditEntryEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@InputType()
export class AuditLogFilter {
  @Field(() => String, { nullable: true }) action?: string | null;
  @Field(() => String, { nullable: true }) targetType?: string | null;
  @Field(() => String, { nullable: true }) targetId?: string | null;
  @Field(() => ID, { nullable: true }) integrationId?: string | null;
  @Field(() => String, { nullable: true, description: "an API key prefix (gwk_…)" }) actor?: string | null;
  @Field(() => Date, { nullable: true }) from?: Date | null;
  @Field(() => Date, { nullable: true }) to?: Date | null;
}

@ObjectType()
export class ErasedPlace {
  @Field({
    description: "e.g. item payloads, events, webhook inbox, CCV e-mail index, link e-mail keys, alert",
  })
  place!: string;
  @Field(() => ID, { nullable: true }) integrationId!: string | null;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: "what erasePersonalData removed" })
export class PersonalDataErasure {
  @Field() erasedAt!: Date;
  @Field(() => Int) total!: number;
  @Field(() => [ErasedPlace]) places!: ErasedPlace[];
  @Field(() => [String], { description: "what was not changed and why (vendor records, configuration)" })
  notes!: string[];
}
