import { badInput } from "../../common/errors";
import type { FlowDefinition } from "./flow-definition";
import type { FlowKindName } from "./flow-settings";

/**
 * FlowKind → its definition. The gateway's registry holds every kind (ALL_FLOWS is complete by
 * type); an engine built with fewer flows (tests) refuses the others.
 */
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

  /** the definition; a kind this registry does not hold is refused as bad input */
  get(kind: FlowKindName): FlowDefinition {
    const d = this.defs.get(kind);
    if (!d) throw badInput(`The flow ${kind} is not available in this version of the gateway yet.`);
    return d;
  }

  all(): FlowDefinition[] {
    return [...this.defs.values()];
  }
}
