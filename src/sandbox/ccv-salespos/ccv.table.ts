import { CCV_SANDBOX_NOT_FOUND_ERROR } from "../../connectors/ccv-salespos/ccv.vendor-facts";
import { Decimal } from "../../domain/money";
import type { SandboxRouter } from "../common/sandbox-router";
import type { CcvStore } from "./ccv.store";
import { CcvSandboxError } from "./ccv.validate";

/**
 * The pieces every CCV resource module is built from: a table of records (a Map by id with the
 * resource's behaviour on it), and the route table its HTTP routes go into.
 */

export type Rec = Record<string, unknown>;

/** Money as CCV prints it (2 decimals) and other figures (quantities, weights: up to 6). */
export const money = (d: Decimal): number => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
export const num = (d: Decimal): number => d.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toNumber();

export const notFound = (what: string, id: number | string) =>
  new CcvSandboxError(
    CCV_SANDBOX_NOT_FOUND_ERROR.status,
    CCV_SANDBOX_NOT_FOUND_ERROR.code,
    `${what} ${id} not found.`,
  );

/**
 * Records of one CCV resource by id. Ids count up from `lastId` per resource, as CCV's own
 * auto-increment ids do; `require` answers CCV's 404 for an unknown id.
 */
export abstract class CcvTable<R extends { id: number }> extends Map<number, R> {
  constructor(
    protected readonly store: CcvStore,
    /** what a 404 calls the record ("Product", "Attribute value"…) */
    private readonly label: string,
    private lastId: number,
  ) {
    super();
  }

  /**
   * Records by their product (`product_id`, which never changes), kept with every set and delete,
   * so that a product's records are found without scanning a table of tens of thousands.
   */
  private readonly byProduct = new Map<number, Set<number>>();

  override set(id: number, r: R): this {
    const pid = (r as { product_id?: unknown }).product_id;
    if (typeof pid === "number") {
      let ids = this.byProduct.get(pid);
      if (!ids) this.byProduct.set(pid, (ids = new Set()));
      ids.add(id);
    }
    return super.set(id, r);
  }

  override delete(id: number): boolean {
    const pid = (this.get(id) as { product_id?: unknown } | undefined)?.product_id;
    if (typeof pid === "number") this.byProduct.get(pid)?.delete(id);
    return super.delete(id);
  }

  override clear(): void {
    this.byProduct.clear();
    super.clear();
  }

  /** the records of one product (records with a `product_id`), in no particular order */
  protected ofProductUnsorted(productId: number): R[] {
    return [...(this.byProduct.get(productId) ?? [])].map((id) => this.get(id)!);
  }

  require(id: number): R {
    const r = this.get(id);
    if (!r) throw notFound(this.label, id);
    return r;
  }

  protected nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  /** `<api root><path>/`, the form of every `href` CCV writes */
  protected href(path: string): string {
    return this.store.href(path);
  }
}

// ---------------------------------------------------------------------------------------------
// routes

/** One request as a route handler sees it (path ids in template order, parsed JSON body). */
export interface CcvRequest {
  ids: number[];
  query: Record<string, string>;
  body: unknown;
  /** the names in `expand=` */
  expand: Set<string>;
}

/** A handler's answer; `paged` and `flat` collections get CCV's envelope from the server (§3.1). */
export type CcvResult =
  { status: 200 | 201; body: unknown } | { status: 204 } | { paged: unknown[] } | { flat: unknown[] };

export type CcvRouter = SandboxRouter<(req: CcvRequest) => CcvResult>;

export const ok = (body: unknown): CcvResult => ({ status: 200, body });
export const created = (body: unknown): CcvResult => ({ status: 201, body });
export const done: CcvResult = { status: 204 };
