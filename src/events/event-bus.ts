import { EventEmitter } from "node:events";
import type { SyncEventData } from "./event.types";

/**
 * Live events between the process that records them and the processes serving subscriptions.
 * In-memory within one process (embedded mode); a Redis implementation shares them across API
 * instances. Publishing happens only after the database transaction that persisted the event.
 */
export interface EventBus {
  publish(event: SyncEventData): Promise<void>;
  /** calls `listener` for every event of the integration until the returned function is called */
  subscribe(integrationId: string, listener: (e: SyncEventData) => void): () => void;
  close(): Promise<void>;
}

export class InMemoryEventBus implements EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // one listener per open subscription; monitoring screens may be many
    this.emitter.setMaxListeners(0);
  }

  async publish(event: SyncEventData): Promise<void> {
    this.emitter.emit(event.integrationId, event);
  }

  subscribe(integrationId: string, listener: (e: SyncEventData) => void): () => void {
    this.emitter.on(integrationId, listener);
    return () => this.emitter.off(integrationId, listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
