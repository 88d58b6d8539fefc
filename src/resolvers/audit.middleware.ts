import type { MiddlewareFn } from "type-graphql";
import type { Services } from "../services";
import { requireRole } from "../services/principal";
import { ccvLabel, ecwidLabel } from "../services/integration.service";
import type { GatewayContext } from "./context";

/**
 * The audit log of configuration changes, declared per mutation: what the change is called, what
 * it changes, and how to read that thing's state before and after (from the services' own
 * non-secret views: masks at most). `@UseMiddleware(Audited)` on a mutation records an entry when
 * it succeeds. A test fails when a mutation is neither listed here nor in NOT_AUDITED.
 */
type Args = Record<string, unknown>;
interface AuditSpec {
  action: string;
  targetType: string;
  target(args: Args, result: unknown): { id: string | null; integrationId?: string | null };
  /** the state of the target (null: does not exist) */
  state?(s: Services, workspaceId: string, args: Args, result: unknown): Promise<unknown>;
  summary(args: Args, result: unknown): string;
}

const integrationState = async (s: Services, ws: string, id: unknown) => {
  const i = await s.integrations.find(ws, String(id));
  return i
    ? {
        name: i.name,
        ecwid: { label: ecwidLabel(i), maskedCredentials: i.ecwidMask },
        ccv: { label: ccvLabel(i), maskedCredentials: i.ccvMask },
      }
    : null;
};
const channelState = async (s: Services, ws: string, id: unknown) => {
  const c = (await s.alerts.list(ws)).find((x) => x.id === id);
  if (!c) return null;
  // what was configured, not when it was last touched
  const { createdAt: _c, updatedAt: _u, lastMessageAt: _l, ...view } = s.alerts.view(c);
  return view;
};
const apiKeyState = async (s: Services, ws: string, id: unknown) => {
  const k = (await s.tenancy.listApiKeys(ws)).find((x) => x.id === id);
  return k ? { name: k.name, role: k.role, prefix: k.prefix, revokedAt: k.revokedAt } : null;
};
const idOf = (r: unknown, path: string[]): string | null => {
  let v: unknown = r;
  for (const p of path) v = (v as Record<string, unknown> | null)?.[p];
  return v === undefined || v === null ? null : String(v);
};

/**
 * a mutation on a part of one integration (its connections, flows, maps): the target is
 * "<integrationId>:<part>", and it has no state while the integration does not exist
 */
const ofIntegration = (
  action: string,
  targetType: string,
  part: (a: Args) => string,
  state: (s: Services, ws: string, integrationId: string, a: Args) => Promise<unknown>,
  summary: AuditSpec["summary"],
): AuditSpec => ({
  action,
  targetType,
  target: (a) => ({ id: `${String(a.integrationId)}:${part(a)}`, integrationId: String(a.integrationId) }),
  state: async (s, ws, a) => {
    const integrationId = String(a.integrationId);
    if (!(await s.integrations.find(ws, integrationId))) return null;
    return state(s, ws, integrationId, a);
  },
  summary,
});

const credentials = (system: "ECWID" | "CCV_SALESPOS", side: "ecwid" | "ccv", name: string): AuditSpec =>
  ofIntegration(
    "CREDENTIALS_REPLACED",
    "CONNECTION",
    () => system,
    async (s, ws, i) => (await integrationState(s, ws, i))?.[side] ?? null,
    () => `${name} credentials replaced`,
  );

export const AUDITED: Record<string, AuditSpec> = {
  createWorkspace: {
    action: "WORKSPACE_CREATED",
    targetType: "WORKSPACE",
    target: (_a, r) => ({ id: idOf(r, ["workspace", "id"]) }),
    summary: (a) => `workspace "${String(a.name)}" created with its first ADMIN key`,
  },
  createApiKey: {
    action: "API_KEY_CREATED",
    targetType: "API_KEY",
    target: (_a, r) => ({ id: idOf(r, ["apiKey", "id"]) }),
    state: (s, ws, _a, r) => (r ? apiKeyState(s, ws, idOf(r, ["apiKey", "id"])) : Promise.resolve(null)),
    summary: (a) => `API key "${String(a.name)}" created with role ${String(a.role)}`,
  },
  revokeApiKey: {
    action: "API_KEY_REVOKED",
    targetType: "API_KEY",
    target: (a) => ({ id: String(a.id) }),
    state: (s, ws, a) => apiKeyState(s, ws, a.id),
    summary: () => "API key revoked",
  },
  createIntegration: {
    action: "INTEGRATION_CREATED",
    targetType: "INTEGRATION",
    target: (_a, r) => ({ id: idOf(r, ["id"]), integrationId: idOf(r, ["id"]) }),
    state: (s, ws, _a, r) => (r ? integrationState(s, ws, idOf(r, ["id"])) : Promise.resolve(null)),
    summary: (a) => `integration "${String((a.input as Args)?.name)}" created`,
  },
  deleteIntegration: {
    action: "INTEGRATION_DELETED",
    targetType: "INTEGRATION",
    target: (a) => ({ id: String(a.id), integrationId: String(a.id) }),
    state: (s, ws, a) => integrationState(s, ws, a.id),
    summary: () => "integration deleted",
  },
  updateEcwidCredentials: credentials("ECWID", "ecwid", "Ecwid"),
  updateCcvCredentials: credentials("CCV_SALESPOS", "ccv", "CCV SalesPOS"),
  configureFlow: ofIntegration(
    "FLOW_CONFIGURED",
    "FLOW",
    (a) => String(a.flow),
    async (s, _ws, i, a) => {
      const f = await s.flows.flow(i, a.flow as never);
      return { enabled: f.enabled, schedule: f.schedule, settings: f.settings };
    },
    (a) => `flow ${String(a.flow)} configured`,
  ),
  setFieldMappings: ofIntegration(
    "FIELD_MAPPINGS_SET",
    "FLOW",
    (a) => String(a.flow),
    async (s, _ws, i, a) =>
      (await s.flows.fieldMappings(i, a.flow as never))
        .filter((m) => !m.isDefault)
        .map((m) => ({
          target: m.target,
          source: m.source ?? null,
          expression: m.expression ?? null,
          defaultValue: m.defaultValue ?? null,
          policy: m.policy,
        })),
    (a) => `field mappings of ${String(a.flow)} replaced`,
  ),
  setValueMappings: ofIntegration(
    "VALUE_MAPPINGS_SET",
    "VALUE_MAP",
    (a) => String(a.kind),
    async (s, _ws, i, a) =>
      (await s.flows.valueMappings(i, String(a.kind))).map((v) => ({ from: v.from, to: v.to })),
    (a) => `value map ${String(a.kind)} replaced`,
  ),
  setFeatureMappings: ofIntegration(
    "FEATURE_MAPPINGS_SET",
    "FEATURE_MAP",
    () => "features",
    (s, ws, i) => s.features.list(ws, i),
    () => "product feature mapping replaced",
  ),
  createAlertChannel: {
    action: "ALERT_CHANNEL_CREATED",
    targetType: "ALERT_CHANNEL",
    target: (_a, r) => ({ id: idOf(r, ["channel", "id"]) }),
    state: (s, ws, _a, r) => (r ? channelState(s, ws, idOf(r, ["channel", "id"])) : Promise.resolve(null)),
    summary: (a) => `alert channel "${String((a.input as Args)?.name)}" created`,
  },
  updateAlertChannel: {
    action: "ALERT_CHANNEL_UPDATED",
    targetType: "ALERT_CHANNEL",
    target: (a) => ({ id: String(a.id) }),
    state: (s, ws, a) => channelState(s, ws, a.id),
    summary: () => "alert channel changed",
  },
  rotateAlertChannelSecret: {
    action: "ALERT_CHANNEL_SECRET_REPLACED",
    targetType: "ALERT_CHANNEL",
    target: (a) => ({ id: String(a.id) }),
    state: (s, ws, a) => channelState(s, ws, a.id),
    summary: () => "alert channel signing secret replaced",
  },
  deleteAlertChannel: {
    action: "ALERT_CHANNEL_DELETED",
    targetType: "ALERT_CHANNEL",
    target: (a) => ({ id: String(a.id) }),
    state: (s, ws, a) => channelState(s, ws, a.id),
    summary: () => "alert channel deleted",
  },
  erasePersonalData: {
    action: "PERSONAL_DATA_ERASED",
    targetType: "PERSON",
    // never the e-mail address itself: the audit log outlives the erasure
    target: () => ({ id: null }),
    summary: (_a, r) => `personal data of one person erased (${idOf(r, ["total"]) ?? 0} places)`,
  },
};

/** mutations that run, test or read: not configuration changes */
export const NOT_AUDITED = [
  "runSync",
  "cancelRun",
  "retryFailedItems",
  "replayItem",
  "testConnections",
  "checkCredentials",
  "testAlertChannel",
];

/** a result without a state loader (erasure): its counts, which name places, never the person */
const summaryOf = (r: unknown) => {
  const x = r as { total?: unknown; places?: unknown[] } | null;
  return x && typeof x === "object" && "total" in x ? { total: x.total, places: x.places } : null;
};

export const Audited: MiddlewareFn<GatewayContext> = async ({ info, args, context }, next) => {
  const spec = AUDITED[info.fieldName];
  if (!spec) throw new Error(`mutation ${info.fieldName} has no audit spec`);
  const p = context.principal;
  const ws = p && p.kind === "key" ? p.workspaceId : undefined;
  const before =
    ws && spec.state ? await spec.state(context.services, ws, args, undefined).catch(() => null) : null;
  const result = await next();
  const workspaceId = ws ?? (info.fieldName === "createWorkspace" ? idOf(result, ["workspace", "id"]) : null);
  if (!p || !workspaceId) return result;
  if (p.kind === "key") requireRole(p, "VIEWER");
  const after = spec.state
    ? await spec.state(context.services, workspaceId, args, result).catch(() => null)
    : null;
  const target = spec.target(args, result);
  await context.services.audit.record({
    workspaceId,
    actor: await context.services.audit.actorOf(p),
    action: spec.action,
    targetType: spec.targetType,
    targetId: target.id,
    integrationId: target.integrationId ?? null,
    summary: spec.summary(args, result),
    before,
    after: spec.state ? after : result === undefined ? null : summaryOf(result),
  });
  return result;
};
