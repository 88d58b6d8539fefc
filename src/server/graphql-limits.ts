import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import { createHash } from "node:crypto";
import {
  GraphQLError,
  Kind,
  TypeInfo,
  ValidationContext,
  type ASTVisitor,
  type SelectionSetNode,
  parse,
  specifiedRules,
  validate,
  visit,
  visitInParallel,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from "graphql";
import { LRUCache } from "lru-cache";
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from "graphql-query-complexity";
import { VENDOR_FIELD_COST } from "../schema/complexity";

/**
 * Limits decided before an operation executes, the same for HTTP and WebSocket. Each refusal names
 * the limit and the value measured. The values are sized so that what the playground, the console,
 * monitoring screens and partner scripts send passes with room to spare: the deepest legal query of
 * the contract is 8 levels (GraphiQL's introspection query 15), a full page of 200 products costs about
 * 18,000 points.
 */
export const GRAPHQL_LIMITS = {
  /** bytes of one POST /graphql body (JSON: query + variables) */
  bodyBytes: 100 * 1024,
  /** bytes of one WebSocket message (ws maxPayload; the socket closes with 1009 above it) */
  wsMessageBytes: 100 * 1024,
  /** lexical tokens of one document (graphql-js stops parsing at the limit) */
  tokens: 5_000,
  /** nesting depth of selections, introspection included */
  depth: 20,
  /** aliased fields in one operation */
  aliases: 20,
  /** directives in one operation */
  directives: 20,
  /** times one response name may be selected in one selection set (fragments included) */
  repeatedFields: 20,
  /** cost points of one operation (see src/schema/complexity.ts) */
  cost: 25_000,
  /** a query or mutation that has not answered after this gets a TIMEOUT error */
  executionMs: 30_000,
  /** active subscriptions on one WebSocket connection */
  subscriptionsPerConnection: 20,
} as const;

export const LIMIT_CODE = "GRAPHQL_VALIDATION_FAILED";

function limitError(limit: string, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: LIMIT_CODE, limit, ...extra } });
}

/** graphql-armor reports "Syntax Error: Query depth limit of 15 exceeded, found 41." */
const armor = (limit: string) => ({
  propagateOnRejection: false,
  exposeLimits: true,
  onReject: [
    (ctx: ValidationContext | null, err: GraphQLError) =>
      ctx?.reportError(limitError(limit, err.message.replace(/^Syntax Error: /, ""))),
  ],
});

/**
 * graphql-js's OverlappingFieldsCanBeMerged compares every pair of fields with the same response
 * name in a selection set (fragments merged in): 1,200 copies of `viewer { role }`, well under the
 * token limit, take a second to validate. This linear rule runs first and refuses such repetition.
 */
function maxRepeatedFieldsRule(n: number): ValidationRule {
  return (ctx: ValidationContext): ASTVisitor => {
    const count = (set: SelectionSetNode, into: Map<string, number>, seen: Set<string>) => {
      for (const sel of set.selections) {
        if (sel.kind === Kind.FIELD) {
          const name = sel.alias?.value ?? sel.name.value;
          into.set(name, (into.get(name) ?? 0) + 1);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          count(sel.selectionSet, into, seen);
        } else if (!seen.has(sel.name.value)) {
          seen.add(sel.name.value);
          const f = ctx.getFragment(sel.name.value);
          if (f) count(f.selectionSet, into, seen);
        }
      }
    };
    let reported = false;
    return {
      SelectionSet(set) {
        if (reported) return;
        const counts = new Map<string, number>();
        count(set, counts, new Set());
        for (const [name, times] of counts) {
          if (times > n) {
            reported = true;
            ctx.reportError(
              limitError(
                "repeatedFields",
                `"${name}" is selected ${times} times in one selection set; the limit is ${n}.`,
                { max: n, actual: times },
              ),
            );
            return;
          }
        }
      },
    };
  };
}

/** validation rules that run before graphql's own (all linear): depth, aliases, directives, repetition */
export const LIMIT_RULES: ValidationRule[] = [
  maxRepeatedFieldsRule(GRAPHQL_LIMITS.repeatedFields),
  maxDepthRule({
    n: GRAPHQL_LIMITS.depth,
    ignoreIntrospection: false,
    // fragments add no level of their own: a query is as deep as its fields nest
    flattenFragments: true,
    ...armor("depth"),
  }) as ValidationRule,
  maxAliasesRule({ n: GRAPHQL_LIMITS.aliases, ...armor("aliases") }) as ValidationRule,
  maxDirectivesRule({ n: GRAPHQL_LIMITS.directives, ...armor("directives") }) as ValidationRule,
];

export const PARSE_OPTIONS = { maxTokens: GRAPHQL_LIMITS.tokens };

/**
 * The limit rules over a parsed document. None of them needs type information, so the document is
 * walked once without graphql's TypeInfo (which `validate` maintains for every node: most of the
 * cost of refusing a large document).
 */
export function limitRuleErrors(schema: GraphQLSchema, document: DocumentNode): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const ctx = new ValidationContext(schema, document, new TypeInfo(schema), (e) => errors.push(e));
  visit(document, visitInParallel(LIMIT_RULES.map((rule) => rule(ctx))));
  return errors;
}

/**
 * Documents refused by a limit rule, by the hash of their text: a client that sends the same
 * refused document again (a script in a loop) is answered without parsing it again. The rules do
 * not depend on variables, so the text decides; bounded, only the errors are kept.
 */
const refusedDocuments = new LRUCache<string, GraphQLError[]>({ max: 1_000 });
const documentKey = (source: string) => createHash("sha1").update(source).digest("base64");

const ESTIMATORS = [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })];

/** The cost of the operation that will run, or the error that refuses it. */
export function costProblem(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
): GraphQLError | null {
  let cost: number;
  try {
    cost = getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      operationName: operationName ?? undefined,
      estimators: ESTIMATORS,
    });
  } catch (e) {
    return limitError("cost", `The operation's cost could not be computed: ${(e as Error).message}`);
  }
  if (cost <= GRAPHQL_LIMITS.cost) return null;
  return limitError(
    "cost",
    `The operation costs ${cost} points; the limit is ${GRAPHQL_LIMITS.cost}. Every field costs 1, a field that reads Ecwid or CCV SalesPOS ${VENDOR_FIELD_COST}, and a list costs "first" times its node: ask for fewer records or fewer fields per request.`,
    { max: GRAPHQL_LIMITS.cost, actual: cost },
  );
}

/** true when the document asks for the schema (`__schema` or `__type`; `__typename` is data) */
export function asksForSchema(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === "__schema" || node.name.value === "__type") found = true;
    },
  });
  return found;
}

export const introspectionRefused = () =>
  new GraphQLError(
    "Introspection needs an API key: send 'Authorization: Bearer <key>' (the playground does once you paste your key).",
    { extensions: { code: "UNAUTHENTICATED" } },
  );

/** graphql-js suggests field and type names ("Did you mean …?"): only authenticated callers see them */
export const withoutSuggestions = (message: string): string =>
  message.replace(/ ?Did you mean [^?]*\?/g, "").trim();

/** true when the operation that will run is a subscription */
export function isSubscription(document: DocumentNode, operationName?: string | null): boolean {
  const ops = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const op = operationName ? ops.find((o) => o.name?.value === operationName) : ops[0];
  return op?.operation === "subscription";
}

/**
 * The limits of one operation, before anything expensive: parse with the token limit, then the
 * linear limit rules, then the cost. Null when the operation is within every limit, or when it does
 * not parse or its cost cannot be computed (graphql's own validation then reports what is wrong).
 */
export function limitProblems(
  schema: GraphQLSchema,
  source: string,
  variables: Record<string, unknown> | undefined | null,
  operationName: string | undefined | null,
): GraphQLError[] | null {
  const key = documentKey(source);
  const refused = refusedDocuments.get(key);
  if (refused) return refused;
  let document: DocumentNode;
  try {
    document = parse(source, PARSE_OPTIONS);
  } catch {
    return null;
  }
  const errors = limitRuleErrors(schema, document);
  if (errors.length > 0) {
    refusedDocuments.set(key, errors);
    return errors;
  }
  const cost = costProblem(schema, document, variables ?? undefined, operationName);
  return cost && cost.extensions.actual !== undefined ? [cost] : null;
}

/**
 * The whole check for an operation outside Apollo (graphql-ws subscriptions): parse with the token
 * limit, the limit rules, graphql's own rules, then the cost.
 */
export function prepareOperation(
  schema: GraphQLSchema,
  source: string,
  variables: Record<string, unknown> | undefined | null,
  operationName: string | undefined | null,
): { document: DocumentNode } | { errors: GraphQLError[] } {
  let document: DocumentNode;
  try {
    document = parse(source, PARSE_OPTIONS);
  } catch (e) {
    return {
      errors: [
        e instanceof GraphQLError
          ? new GraphQLError(e.message, { extensions: { code: "GRAPHQL_PARSE_FAILED" } })
          : limitError("parse", String(e)),
      ],
    };
  }
  const limits = limitRuleErrors(schema, document);
  if (limits.length > 0) return { errors: limits };
  const errors = validate(schema, document, specifiedRules);
  if (errors.length > 0) return { errors: [...errors] };
  const cost = costProblem(schema, document, variables ?? undefined, operationName);
  return cost ? { errors: [cost] } : { document };
}
