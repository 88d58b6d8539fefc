import { AppError } from "../../../common/errors";
import { ALL_FLOWS, FLOWS_BY_KIND } from "../../flows";
import { FlowRegistry } from "../flow-registry";
import { FLOW_KINDS } from "../flow-settings";

describe("flow registry", () => {
  it("the gateway's flows define every kind once, each under its own kind", () => {
    for (const [kind, def] of Object.entries(FLOWS_BY_KIND)) expect(def.kind).toBe(kind);
    expect(ALL_FLOWS.map((f) => f.kind).sort()).toEqual([...FLOW_KINDS].sort());
    const registry = new FlowRegistry(ALL_FLOWS);
    for (const kind of FLOW_KINDS) expect(registry.get(kind).kind).toBe(kind);
  });

  it("an engine built with fewer flows refuses the others as bad input", () => {
    const registry = new FlowRegistry([FLOWS_BY_KIND.STOCK_CCV_TO_ECWID]);
    let error: unknown;
    try {
      registry.get("ORDERS_ECWID_TO_CCV");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      appCode: "BAD_USER_INPUT",
      message: "The flow ORDERS_ECWID_TO_CCV is not available in this version of the gateway yet.",
    });
  });
});
