import { compileExpression, ExpressionError, type CompiledExpression } from "./expression";
import { evaluateInWorker } from "./expression-pool";
import { bareObject, getPath, isEmptyValue, pathProblem, setPath, unsafeKeyIn } from "./paths";

/** longest expression accepted (a mapping expression is a line or a few, not a program) */
export const MAX_EXPRESSION_LENGTH = 4_000;

export type WritePolicy = "ALWAYS" | "CREATE_ONLY" | "FILL_IF_EMPTY" | "NEVER";

/** A field mapping as data: by target path, from a source path or a JSONata expression. */
export interface FieldMappingDef {
  target: string;
  source?: string | null;
  expression?: string | null;
  defaultValue?: unknown;
  policy: WritePolicy;
}

export interface ResolvedMapping extends FieldMappingDef {
  isDefault: boolean;
}

export class MappingValidationError extends Error {
  constructor(
    message: string,
    readonly target: string,
    readonly position?: number,
  ) {
    super(message);
    this.name = "MappingValidationError";
  }
}

interface CompiledMapping extends ResolvedMapping {
  /** a default's expression, compiled once and evaluated on the main thread (the gateway's own code) */
  compiled?: CompiledExpression;
  /** why a user mapping cannot be used (saved by an older version, or changed in the database) */
  broken?: string;
}

/** Checks one user mapping; throws MappingValidationError naming the mapping and the error position. */
export function validateMapping(m: FieldMappingDef): void {
  const name = typeof m.target === "string" ? m.target.slice(0, 120) : String(m.target);
  const targetProblem = pathProblem(m.target);
  if (targetProblem) {
    throw new MappingValidationError(
      `mapping "${name}": target ${targetProblem} (e.g. customer.email)`,
      m.target,
    );
  }
  const hasSource = !!m.source && m.source.trim() !== "";
  const hasExpr = !!m.expression && m.expression.trim() !== "";
  if (hasSource && hasExpr) {
    throw new MappingValidationError(
      `mapping "${name}": give either a source path or an expression, not both`,
      m.target,
    );
  }
  if (!hasSource && !hasExpr && m.defaultValue === undefined && m.policy !== "NEVER") {
    throw new MappingValidationError(
      `mapping "${name}": needs a source path, an expression or a default value (or policy NEVER to stop writing the field)`,
      m.target,
    );
  }
  if (hasSource) {
    const sourceProblem = pathProblem(m.source!.trim());
    if (sourceProblem) {
      throw new MappingValidationError(
        `mapping "${name}": source "${m.source!.slice(0, 120)}" ${sourceProblem}`,
        m.target,
      );
    }
  }
  const badKey = unsafeKeyIn(m.defaultValue);
  if (badKey) {
    throw new MappingValidationError(
      `mapping "${name}": the default value uses the key "${badKey}", which is not a field name`,
      m.target,
    );
  }
  if (hasExpr) {
    if (m.expression!.length > MAX_EXPRESSION_LENGTH) {
      throw new MappingValidationError(
        `mapping "${name}": the expression has ${m.expression!.length} characters; the limit is ${MAX_EXPRESSION_LENGTH}`,
        m.target,
      );
    }
    try {
      compileExpression(m.expression!);
    } catch (e) {
      const err = e as ExpressionError;
      throw new MappingValidationError(
        `mapping "${name}": invalid expression: ${err.message}`,
        m.target,
        err.position,
      );
    }
  }
}

/** Defaults overridden by user mappings with the same target; user mappings of new targets are added. */
export function resolveMappings(defaults: FieldMappingDef[], user: FieldMappingDef[]): ResolvedMapping[] {
  const userTargets = new Set(user.map((u) => u.target));
  return [
    ...defaults.filter((d) => !userTargets.has(d.target)).map((d) => ({ ...d, isDefault: true })),
    ...user.map((u) => ({ ...u, isDefault: false })),
  ];
}

export interface ApplyOptions {
  /** true when the target record does not exist yet */
  isCreate: boolean;
  /** the target record as it is now (for FILL_IF_EMPTY), in the target payload's shape */
  current?: Record<string, unknown> | null;
  /** bound for expressions: $ctx and helper functions */
  bindings?: Record<string, unknown>;
}

export interface ApplyResult {
  payload: Record<string, unknown>;
  /** one message per mapping that could not be evaluated */
  errors: string[];
}

/**
 * The compiled mappings of one flow run. Applying them to a source record yields the target
 * payload, honouring each mapping's write policy.
 */
export class MappingSet {
  private readonly compiled: CompiledMapping[];

  /** Never throws: a user mapping that is not valid (any more) fails every apply with its reason. */
  constructor(readonly mappings: ResolvedMapping[]) {
    this.compiled = mappings.map((m) => {
      if (m.isDefault) return { ...m, compiled: m.expression ? compileExpression(m.expression) : undefined };
      try {
        validateMapping(m);
        return { ...m };
      } catch (e) {
        return { ...m, broken: (e as Error).message };
      }
    });
  }

  /**
   * The target payload (an object without prototype) and one message per mapping that could not be
   * used. User expressions go to the worker pool in one round trip; defaults run here.
   */
  async apply(source: unknown, opts: ApplyOptions): Promise<ApplyResult> {
    const payload = bareObject();
    const errors: string[] = [];
    const writing = this.compiled.filter(
      (m) =>
        m.broken !== undefined ||
        writes(
          m.policy,
          opts.isCreate,
          opts.current && !pathProblem(m.target) ? getPath(opts.current, m.target) : undefined,
        ),
    );
    const remote = writing.filter((m) => !m.isDefault && !m.broken && m.expression);
    const outcomes = new Map<CompiledMapping, { value: unknown } | { error: string }>();
    if (remote.length > 0) {
      const r = await evaluateInWorker(
        remote.map((m) => m.expression!),
        source,
        opts.bindings,
      );
      remote.forEach((m, i) => outcomes.set(m, r[i]));
    }
    for (const m of writing) {
      const label = `mapping "${m.target.slice(0, 120)}"${m.isDefault ? " (default)" : ""}`;
      if (m.broken !== undefined) {
        errors.push(m.broken.startsWith("mapping ") ? m.broken : `${label}: ${m.broken}`);
        continue;
      }
      let value: unknown;
      try {
        const outcome = outcomes.get(m);
        if (outcome) {
          if ("error" in outcome) throw new ExpressionError(outcome.error);
          value = outcome.value;
        } else {
          value = m.compiled
            ? await m.compiled.evaluate(source, opts.bindings)
            : m.source
              ? getPath(source, m.source.trim())
              : undefined;
        }
      } catch (e) {
        errors.push(`${label}: ${(e as Error).message}`);
        continue;
      }
      if (
        (value === undefined || value === null) &&
        m.defaultValue !== undefined &&
        m.defaultValue !== null
      ) {
        value = m.defaultValue;
      }
      if (value === undefined) continue;
      setPath(payload, m.target, value);
    }
    return { payload, errors };
  }
}

function writes(policy: WritePolicy, isCreate: boolean, currentValue: unknown): boolean {
  switch (policy) {
    case "NEVER":
      return false;
    case "ALWAYS":
      return true;
    case "CREATE_ONLY":
      return isCreate;
    case "FILL_IF_EMPTY":
      return isCreate || isEmptyValue(currentValue);
  }
}
