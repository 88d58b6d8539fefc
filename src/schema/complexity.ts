/**
 * The cost model of queries (graphql-query-complexity reads these from each field's `complexity`,
 * set through type-graphql's decorator option). Every selected field costs 1; a field that reads a
 * vendor costs VENDOR_FIELD_COST on top, because it spends the shop's rate budget; a list with
 * `first` costs `first` times what one of its nodes costs. The server refuses an operation above
 * MAX_OPERATION_COST before executing it (src/server/graphql-limits.ts).
 */
export const VENDOR_FIELD_COST = 1_000;

interface CostArgs {
  args: Record<string, unknown>;
  childComplexity: number;
}

const count = (v: unknown, dflt: number): number => {
  const n = typeof v === "number" && Number.isFinite(v) ? Math.floor(v) : dflt;
  return Math.max(1, n);
};

/** a page of `first` nodes from the database (default page size when `first` is omitted) */
export const pagedCost =
  (defaultFirst: number) =>
  ({ args, childComplexity }: CostArgs): number =>
    1 + count(args.first, defaultFirst) * childComplexity;

/** a page of `first` nodes read from the vendors */
export const vendorPagedCost =
  (defaultFirst: number) =>
  ({ args, childComplexity }: CostArgs): number =>
    VENDOR_FIELD_COST + count(args.first, defaultFirst) * childComplexity;

/** one vendor-backed answer */
export const vendorCost = ({ childComplexity }: CostArgs): number => VENDOR_FIELD_COST + childComplexity;

/** vendor-backed, one node per SKU asked for */
export const vendorPerSkuCost = ({ args, childComplexity }: CostArgs): number =>
  VENDOR_FIELD_COST + (Array.isArray(args.skus) ? Math.max(1, args.skus.length) : 1) * childComplexity;
