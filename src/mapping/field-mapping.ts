import { compileExpression, ExpressionError, type CompiledExpression } from "./expression";
import { getPath, isEmptyValue, isValidPath, setPath } from "./paths";

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
  compiled?: CompiledExpression;
}

/** Checks one user mapping; throws MappingValidationError naming the mapping and the error position. */
export function validateMapping(m: FieldMappingDef): void {
  if (!isValidPath(m.target)) {
    throw new MappingValidationError(
      `mapping "${m.target}": target is not a field path (e.g. customer.email)`,
      m.target,
    );
  }
  const hasSource = !!m.source && m.source.trim() !== "";
  const hasExpr = !!m.expression && m.expression.trim() !== "";
  if (hasSource && hasExpr) {
    throw new MappingValidationError(
      `mapping "${m.target}": give either a source path or an expression, not both`,
      m.target,
    );
  }
  if (!hasSource && !hasExpr && m.defaultValue === undefined && m.policy !== "NEVER") {
    throw new MappingValidationError(
      `mapping "${m.target}": needs a source path, an expression or a default value (or policy NEVER to stop writing the field)`,
      m.target,
    );
  }
  if (hasSource && !isValidPath(m.source!)) {
    throw new MappingValidationError(
      `mapping "${m.target}": source "${m.source}" is not a field path`,
      m.target,
    );
  }
  if (hasExpr) {
    try {
      compileExpression(m.expression!);
    } catch (e) {
      const err = e as ExpressionError;
      throw new MappingValidationError(
        `mapping "${m.target}": invalid expression: ${err.message}`,
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

  constructor(readonly mappings: ResolvedMapping[]) {
    this.compiled = mappings.map((m) => ({
      ...m,
      compiled: m.expression ? compileExpression(m.expression) : undefined,
    }));
  }

  async apply(source: unknown, opts: ApplyOptions): Promise<ApplyResult> {
    const payload: Record<string, unknown> = {};
    const errors: string[] = [];
    for (const m of this.compiled) {
      if (!writes(m.policy, opts.isCreate, opts.current ? getPath(opts.current, m.target) : undefined))
        continue;
      let value: unknown;
      try {
        value = m.compiled
          ? await m.compiled.evaluate(source, opts.bindings)
          : m.source
            ? getPath(source, m.source)
            : undefined;
      } catch (e) {
        errors.push(`mapping "${m.target}"${m.isDefault ? " (default)" : ""}: ${(e as Error).message}`);
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
