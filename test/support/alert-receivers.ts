import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import type { EcwidOrder } from "../../src/connectors/ecwid";
import { CreateAlertChannelDocument, type AlertKind } from "../../sdk/generated/graphql";
import { startWorld, type World, type WorldOptions } from "./world";

export interface ReceivedAlert {
  kind: string;
  title: string;
  text: string;
  link: string;
  facts: Record<string, unknown>;
}

export interface WebhookMessage {
  deliveryId: string;
  type: string;
  alerts: ReceivedAlert[];
  signatureOk: boolean;
}

/**
 * A webhook receiver that checks every delivery's signature like a real one would:
 * X-Gateway-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>. It can be told
 * to answer 500 for the next n deliveries, or to hang (never answer).
 */
export class WebhookReceiver {
  readonly messages: WebhookMessage[] = [];
  /** deliveries answered with an error, by delivery id */
  readonly refused: string[] = [];
  secret = "";
  failNext = 0;
  hang = false;
  private server!: http.Server;
  url = "";

  static async start(): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    r.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (r.hang) return; // never answers
        const raw = Buffer.concat(chunks).toString("utf8");
        const sig = String(req.headers["x-gateway-signature"] ?? "");
        const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(sig);
        const expected = m ? createHmac("sha256", r.secret).update(`${m[1]}.${raw}`).digest("hex") : "";
        const signatureOk = !!m && timingSafeEqual(Buffer.from(expected), Buffer.from(m[2]));
        const delivery = String(req.headers["x-gateway-delivery"] ?? "");
        if (!signatureOk) {
          res.writeHead(401).end();
          return;
        }
        if (r.failNext > 0) {
          r.failNext--;
          r.refused.push(delivery);
          res.writeHead(500).end("not now");
          return;
        }
        const body = JSON.parse(raw) as { type: string; deliveryId: string; alerts: ReceivedAlert[] };
        r.messages.push({ deliveryId: body.deliveryId, type: body.type, alerts: body.alerts, signatureOk });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => r.server.listen(0, "127.0.0.1", resolve));
    r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/alerts`;
    return r;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface MailMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
  user: string;
}

/** A real SMTP server (smtp-server) that requires a login and keeps every message it accepts. */
export class MailReceiver {
  readonly messages: MailMessage[] = [];
  private server!: SMTPServer;
  port = 0;

  static async start(user: string, password: string): Promise<MailReceiver> {
    const r = new MailReceiver();
    r.server = new SMTPServer({
      secure: false,
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      authMethods: ["PLAIN", "LOGIN"],
      onAuth(auth, _session, cb) {
        if (auth.username === user && auth.password === password) cb(null, { user });
        else cb(new Error("Invalid username or password"));
      },
      onData(stream, session, cb) {
        simpleParser(stream)
          .then((mail) => {
            r.messages.push({
              from: mail.from?.text ?? "",
              to: (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).map((a) => a.text),
              subject: mail.subject ?? "",
              text: mail.text ?? "",
              user: String(session.user),
            });
            cb();
          })
          .catch(cb);
      },
      logger: false,
    });
    await new Promise<void>((resolve) => r.server.listen(0, "127.0.0.1", resolve));
    r.port = (r.server.server.address() as AddressInfo).port;
    return r;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** a paid Ecwid web order of one line (a guest order when `email` is null) */
export function webOrder(
  sku: string,
  productId: number,
  email: string | null = "buyer@example.com",
): EcwidOrder {
  return {
    ...(email ? { email } : {}),
    paymentStatus: "PAID",
    fulfillmentStatus: "AWAITING_PROCESSING",
    pricesIncludeTax: true,
    subtotal: 12.95,
    total: 12.95,
    tax: 2.25,
    items: [
      {
        productId,
        sku,
        name: "Koffiemok",
        quantity: 1,
        price: 12.95,
        taxes: [{ name: "BTW", value: 21, total: 2.25, includeInPrice: true }],
      },
    ],
    billingPerson: {
      name: "Web Klant",
      street: "Dorpsstraat 1",
      city: "Utrecht",
      postalCode: "3511AA",
      countryCode: "NL",
    },
  } as EcwidOrder;
}

/** both sandboxes with one product (SKU MUG-001) that orders can be booked with */
export async function startMugWorld(opts: WorldOptions = {}): Promise<World> {
  const w = await startWorld({
    ...opts,
    ecwid: {
      ...(opts.ecwid ?? {}),
      seed: {
        products: [
          {
            id: 700100300,
            sku: "MUG-001",
            name: "Koffiemok",
            price: 12.95,
            quantity: 40,
            unlimited: false,
            enabled: true,
          },
        ],
      },
    },
  });
  w.ccv.store.seedProduct({
    name: "Koffiemok",
    productnumber: "MUG-001",
    price: 12.95,
    stockenabled: true,
    stock: 40,
  });
  return w;
}

/** a webhook channel to `hook` and an e-mail channel to `mail` (login user/password), hearing `kinds` */
export async function subscribe(
  w: World,
  hook: WebhookReceiver,
  mail: MailReceiver,
  kinds: AlertKind[],
  login: { user: string; password: string },
): Promise<void> {
  hook.secret = (
    await w.gql(CreateAlertChannelDocument, {
      input: { name: "ops webhook", type: "WEBHOOK", kinds, webhookUrl: hook.url },
    })
  ).createAlertChannel.signingSecret!;
  await w.gql(CreateAlertChannelDocument, {
    input: {
      name: "ops mail",
      type: "EMAIL",
      kinds,
      email: {
        host: "127.0.0.1",
        port: mail.port,
        tls: "NONE",
        username: login.user,
        password: login.password,
        from: "gateway@shop.example",
        to: ["ops@shop.example"],
      },
    },
  });
}
