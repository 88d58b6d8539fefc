import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { EventBus } from "./event-bus";
import type { SyncEventData } from "./event.types";

/**
 * Live events across processes (REDIS_URL): every process publishes the events it records on a
 * Redis channel per integration, and API processes relay them to their subscriptions. Redis
 * pub/sub is fire-and-forget; a monitor that reconnects replays what it missed from the persisted
 * log (`afterId`), so nothing is lost for good.
 */
export class RedisEventBus implements EventBus {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly listeners = new Map<string, Set<(e: SyncEventData) => void>>();

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    this.pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.sub = new Redis(url, { lazyConnect: false });
    this.sub.on("message", (channel: string, message: string) => {
      const set = this.listeners.get(channel);
      if (!set) return;
      let e: SyncEventData;
      try {
        e = JSON.parse(message) as SyncEventData;
      } catch {
        this.logger.warn({ channel }, "ignoring a malformed event on Redis");
        return;
      }
      for (const l of set) l(e);
    });
    for (const c of [this.pub, this.sub])
      c.on("error", (err: Error) => this.logger.warn({ err: err.message }, "Redis connection error"));
  }

  private channel(integrationId: string): string {
    return `${this.prefix}events:${integrationId}`;
  }

  async publish(event: SyncEventData): Promise<void> {
    await this.pub.publish(this.channel(event.integrationId), JSON.stringify(event));
  }

  subscribe(integrationId: string, listener: (e: SyncEventData) => void): () => void {
    const ch = this.channel(integrationId);
    let set = this.listeners.get(ch);
    if (!set) {
      set = new Set();
      this.listeners.set(ch, set);
      void this.sub
        .subscribe(ch)
        .catch((err: Error) => this.logger.error({ err: err.message, ch }, "Redis subscribe failed"));
    }
    set.add(listener);
    return () => {
      const s = this.listeners.get(ch);
      if (!s) return;
      s.delete(listener);
      if (s.size === 0) {
        this.listeners.delete(ch);
        void this.sub.unsubscribe(ch).catch(() => undefined);
      }
    };
  }

  /** readiness: both connections answer */
  async ping(): Promise<boolean> {
    try {
      return (await this.pub.ping()) === "PONG";
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all([this.pub.quit().catch(() => undefined), this.sub.quit().catch(() => undefined)]);
  }
}
