import { createHmac } from "node:crypto";
import nodemailer from "nodemailer";
import net from "node:net";
import { Agent, request } from "undici";
import {
  addressProblem,
  guardedConnector,
  guardedLookup,
  UpstreamRefused,
  type UpstreamPolicy,
} from "../../connectors/http";
import type { AlertEntity } from "../../db/entities/ops.entity";

/** One rendered message: the e-mail subject and text, and the webhook's JSON body. */
export interface AlertMessage {
  deliveryId: number;
  kind: string;
  subject: string;
  text: string;
  json: Record<string, unknown>;
}

export interface WebhookTarget {
  url: string;
  secret: string;
}

export interface SmtpTarget {
  host: string;
  /** the name TLS checks the certificate against when `host` is the address it resolved to */
  servername?: string;
  port: number;
  tls: "IMPLICIT" | "STARTTLS" | "NONE";
  username: string | null;
  password: string | null;
  from: string;
  to: string[];
}

/** A failed attempt, in words for the delivery log (never with a secret or a response body). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

const TIMEOUT_MS = 10_000;

/** Renders a batch of alerts (or a digest) once, for every kind of channel. */
export function renderMessage(
  deliveryId: number,
  kind: string,
  workspace: { id: string; name: string },
  alerts: AlertEntity[],
  at: Date,
): AlertMessage {
  const first = alerts[0];
  const subject =
    kind === "TEST"
      ? `[${workspace.name}] Test message from the Ecwid ⇄ CCV SalesPOS gateway`
      : alerts.length === 1
        ? first.title
        : `[${workspace.name}] ${alerts.length} alerts: ${first.title.replace(/^\[[^\]]*\]\s*/, "")} and ${alerts.length - 1} more`;
  const text = [
    ...alerts.map((a) => `${a.title}\n\n${a.body}\n\nOpen: ${a.link}\n`),
    kind === "TEST" ? "This channel works: alerts will arrive like this message.\n" : "",
    `-- \nAlerts of the workspace "${workspace.name}" (sent ${at.toISOString()}). Choose what this channel hears in the gateway's alert channel settings.`,
  ].join("\n");
  return {
    deliveryId,
    kind,
    subject,
    text,
    json: {
      type: kind === "DIGEST" ? "digest" : kind === "TEST" ? "test" : "alerts",
      deliveryId: String(deliveryId),
      workspace,
      sentAt: at.toISOString(),
      alerts: alerts.map((a) => ({
        id: String(a.id),
        kind: a.kind,
        integrationId: a.integrationId || null,
        title: a.title,
        text: a.body,
        link: a.link,
        facts: a.facts ?? {},
        at: a.createdAt.toISOString(),
      })),
    },
  };
}

/**
 * The signature of a webhook delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
 * with the channel's secret. The timestamp lets receivers refuse replays; a retry is signed anew.
 */
export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}

/**
 * The real senders. Channel addresses are chosen by a workspace ADMIN, like vendor base URLs, so
 * they are judged by the same upstream policy on the address actually connected to (contract
 * README "Vendor base URLs"): an alert channel must not become a way to probe the gateway's own
 * network. Redirects are not followed.
 */
export function realSenders(policy: UpstreamPolicy): {
  webhook(target: WebhookTarget, m: AlertMessage): Promise<number>;
  email(target: SmtpTarget, m: AlertMessage): Promise<void>;
} {
  const dispatcher = new Agent({ connect: guardedConnector(policy, TIMEOUT_MS), connections: 8 });
  return {
    webhook: (target, m) => sendWebhook(target, m, new Date(), dispatcher),
    email: async (target, m) => sendEmail({ ...target, ...(await smtpAddress(target.host, policy)) }, m),
  };
}

/** The SMTP host resolved and judged once; the connection goes to that address (TLS still checks the name). */
async function smtpAddress(
  host: string,
  policy: UpstreamPolicy,
): Promise<{ host: string; servername?: string }> {
  const bare = host.replace(/^\[|\]$/g, "");
  if (net.isIP(bare)) {
    const p = addressProblem(bare, policy);
    if (p) throw new DeliveryError(`the SMTP host is refused: ${p}`);
    return { host: bare };
  }
  const address = await new Promise<string>((resolve, reject) =>
    guardedLookup(policy)(bare, {}, (err, a) => (err ? reject(err) : resolve(String(a)))),
  ).catch((e: unknown) => {
    if (e instanceof UpstreamRefused) throw new DeliveryError(`the SMTP host is refused: ${e.reason}`);
    throw new DeliveryError(
      `the SMTP host ${bare} could not be found (${(e as { code?: string }).code ?? "DNS"})`,
    );
  });
  return { host: address, servername: bare };
}

export async function sendWebhook(
  target: WebhookTarget,
  m: AlertMessage,
  at = new Date(),
  dispatcher?: Agent,
): Promise<number> {
  const body = JSON.stringify(m.json);
  let status: number;
  try {
    const r = await request(target.url, {
      dispatcher,
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "ecwid-ccv-gateway-alerts",
        "x-gateway-event": String(m.json.type),
        "x-gateway-delivery": String(m.deliveryId),
        "x-gateway-signature": signWebhook(target.secret, body, at),
      },
      body,
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
    });
    status = r.statusCode;
    await r.body.dump().catch(() => undefined);
  } catch (e) {
    if (e instanceof UpstreamRefused) throw new DeliveryError(`the webhook address is refused: ${e.reason}`);
    const code = (e as { code?: string }).code;
    throw new DeliveryError(`the webhook receiver could not be reached (${code ?? (e as Error).message})`);
  }
  if (status < 200 || status >= 300)
    throw new DeliveryError(`the webhook receiver answered HTTP ${status}; it should answer 2xx`, status);
  return status;
}

export async function sendEmail(target: SmtpTarget, m: AlertMessage): Promise<void> {
  const transport = nodemailer.createTransport({
    host: target.host,
    port: target.port,
    secure: target.tls === "IMPLICIT",
    requireTLS: target.tls === "STARTTLS",
    ignoreTLS: target.tls === "NONE",
    ...(target.servername ? { tls: { servername: target.servername } } : {}),
    auth: target.username ? { user: target.username, pass: target.password ?? "" } : undefined,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: 2 * TIMEOUT_MS,
  });
  try {
    await transport.sendMail({
      from: target.from,
      to: target.to,
      subject: m.subject,
      text: m.text,
      headers: { "X-Gateway-Delivery": String(m.deliveryId) },
    });
  } catch (e) {
    const err = e as { code?: string; responseCode?: number; message?: string };
    throw new DeliveryError(
      `the SMTP server refused or could not be reached (${err.code ?? "error"}${err.responseCode ? ` ${err.responseCode}` : ""})`,
      err.responseCode,
    );
  } finally {
    transport.close();
  }
}
