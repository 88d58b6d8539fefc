import type { FlowDefinition } from "./flow-definition";
import type { FlowKindName } from "./flow-settings";

/** FlowKind → its definition. Kinds without a definition cannot be enabled or run yet. */
export class FlowRegistry {
  private readonly defs = new Map<FlowKindName, FlowDefinition>();

  constructor(defs: FlowDefinition[] = []) {
    for (const d of defs) this.defs.set(d.kind, d);
  }

  register(def: FlowDefinition): void {
    this.defs.set(def.kind, def);
  }

  has(kind: FlowKindName): boolean {
    return this.defs.has(kind);
  }

  get(kind: FlowKindName): FlowDefinition {
    const d = this.defs.get(kind);
    if (!d) throw new Error(`The flow ${kind} is not available in this version of the gateway yet.`);
    return d;
  }

  all(): FlowDefinition[] {
    return [...this.defs.values()];
  }
}
