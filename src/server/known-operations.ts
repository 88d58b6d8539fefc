import { Kind, type DocumentNode } from "graphql";
import * as sdk from "../../sdk/generated/graphql";

/**
 * Operation names that may become metric label values: the operations of the typed SDK
 * (sdk/operations/**\/*.graphql, compiled into sdk/generated). Any other name a client sends is
 * counted as "other", so /metrics cannot grow with client input.
 */
const isDocument = (v: unknown): v is DocumentNode =>
  !!v && typeof v === "object" && (v as DocumentNode).kind === Kind.DOCUMENT;

export const KNOWN_OPERATIONS: ReadonlySet<string> = new Set(
  Object.values(sdk)
    .filter(isDocument)
    .flatMap((d) => d.definitions)
    .flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : [])),
);

export const operationLabel = (name: string | null | undefined): string =>
  !name ? "anonymous" : KNOWN_OPERATIONS.has(name) ? name : "other";
