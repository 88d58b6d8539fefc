import {
  CCV_DELIVER_METHOD,
  CCV_ERROR,
  CCV_ORDER_ROW_PRODUCT_TYPE,
  CCV_ORDER_STATUS,
  CCV_ORDER_STATUS_CODES,
} from "../../../connectors/ccv-salespos/ccv.vendor-facts";
import { dec } from "../../../domain/money";
import { parseBool, parseFilterDate, sortBy } from "../ccv.query";
import type { CcvStore } from "../ccv.store";
import type { CombinationRec } from "./attributes.resource";
import { CcvTable, created, done, money, notFound, num, ok, type CcvRouter, type Rec } from "../ccv.table";
import { CcvSandboxError, invalid, PERSONALINFO_FIELDS, validateBody, type BodySpec } from "../ccv.validate";

/**
 * Orders and their rows (§5.6): creating an order from rows that name products or attribute
 * combinations (product data first, sent fields override), order numbers for completed orders,
 * totals from the rows, row writes on open baskets only, and the order webhooks (§5.9.3) a change
 * of status, payment or track-and-trace fires.
 */

export interface OrderRowRec {
  id: number;
  order_id: number;
  product_type: string;
  product_name: string;
  product_number: string;
  sub_product_number: string;
  sub_sku_number: string;
  sub_ean_number: string;
  product_id: number | null;
  attribute_combination_id: number | null;
  count: number;
  price: number;
  product_purchase_price: number;
  discount: number;
  custom_price: boolean;
  tax: number;
  unit: string;
  weight: number;
  memo: string;
  package_id: number | null;
  extra_price: number;
  attributes: { id: number; option_name: string; value_name: string; price: number }[];
}

export interface OrderRec {
  id: number;
  create_date: string;
  is_completed: boolean;
  ordernumber_prefix: string | null;
  ordernumber: number | null;
  ordernumber_full: string | null;
  status: number | null;
  paid: boolean;
  fields: Rec;
  customer: Rec;
  user_id: number | null;
  rows: OrderRowRec[];
}

// write schemas (field names from §5.6.2; types from the docs-generated schemas)
const ORDER_ROW_FIELDS: BodySpec = {
  product_id: "integer",
  attribute_combination_id: "number",
  count: "!number",
  product_type: "string",
  auto_create_deposit_rows: "boolean",
  product_name: "string",
  product_number: "string",
  price: "number",
  product_purchase_price: "number",
  discount: "number",
  tax: "number",
  unit: "string",
  memo: "string",
  weight: "number",
  package_id: "integer",
};

const ORDER_FIELDS: BodySpec = {
  customer: `!${PERSONALINFO_FIELDS}`,
  orderrows: "!array",
  is_completed: "boolean",
  paid: "boolean",
  status: "integer?",
  orderedinlng: "string",
  currency: "string",
  taxes_included: "boolean",
  order_row_taxes_included: "boolean",
  shipping_taxes_included: "boolean",
  total_shipping: "number",
  deliver_method: "string",
  deliver_date: "string?",
  takeoutslot: "integer?",
  is_platform_sale: "boolean?",
  invoicenumber: "integer?",
  reservationnumber: "string?",
  user_id: "integer",
  extra_costs: "number",
  extra_costs_description: "string",
  paymethod_costs: "number",
  track_and_trace_code: "string",
  track_and_trace_carrier: "string?",
  is_intra_community_order: "boolean",
  safety_deposit_returned: "boolean",
};

const ORDER_PATCH_FIELDS: BodySpec = (() => {
  const { is_completed: _c, user_id: _u, ...rest } = ORDER_FIELDS;
  return { ...rest, customer: PERSONALINFO_FIELDS, orderrows: "array", note: "string", mail: "boolean" };
})();

export class CcvOrders extends CcvTable<OrderRec> {
  private orderNumber: number;
  /** order rows and their attribute lines share one id sequence */
  private lastRowId = 700_000_000;

  constructor(store: CcvStore) {
    super(store, "Order", 500_000_000);
    this.orderNumber = (store.options.seed.orderNumberStart ?? 1001) - 1;
  }

  private nextRowId(): number {
    this.lastRowId += 1;
    return this.lastRowId;
  }

  create(body: unknown): OrderRec {
    const b = validateBody(body, ORDER_FIELDS, { resource: "orders" });
    const rowsInput = b.orderrows as unknown[];
    if (rowsInput.length === 0) throw invalid("'orderrows' needs at least one row.");
    if (b.user_id !== undefined && !this.store.users.has(b.user_id as number))
      throw invalid(`User ${String(b.user_id)} does not exist.`);
    this.checkStatus(b.status);
    const completed = (b.is_completed as boolean | undefined) ?? true;
    const { customer, orderrows: _r, is_completed: _c, user_id, status, paid, ...fields } = b;
    const user = user_id === undefined ? undefined : this.store.users.get(user_id as number);
    const order: OrderRec = {
      id: this.nextId(),
      create_date: this.store.now(),
      is_completed: completed,
      ordernumber_prefix: null,
      ordernumber: null,
      ordernumber_full: null,
      // status is null for incomplete orders (§5.6.3)
      status: completed ? ((status as number | null | undefined) ?? CCV_ORDER_STATUS.NEW) : null,
      paid: (paid as boolean | undefined) ?? false,
      fields: {
        deliver_method: CCV_DELIVER_METHOD.SHIPPING,
        orderedinlng: "nl",
        currency: this.store.webshop.settings.currency,
        taxes_included: true,
        order_row_taxes_included: this.store.webshop.settings.prices_include_vat,
        shipping_taxes_included: true,
        total_shipping: 0,
        ...fields,
      },
      // a linked account's data fills the customer unless overridden (§5.6.1)
      customer: { ...(user?.userinfo ?? {}), ...(customer as Rec) },
      user_id: (user_id as number | undefined) ?? null,
      rows: [],
    };
    order.rows = rowsInput.map((r) => this.buildRow(order.id, r));
    if (completed) {
      this.orderNumber += 1;
      order.ordernumber = this.orderNumber;
      order.ordernumber_prefix = this.store.options.seed.orderNumberPrefix ?? null;
      order.ordernumber_full = order.ordernumber_prefix
        ? `${order.ordernumber_prefix}-${order.ordernumber}`
        : String(order.ordernumber);
      if (this.store.options.decrementStockOnOrder) this.decrementStock(order.rows);
    }
    this.set(order.id, order);
    if (completed) this.store.emit("orders.created", this.orderPayload(order, {}));
    return order;
  }

  private checkStatus(status: unknown): void {
    if (status !== undefined && status !== null && !CCV_ORDER_STATUS_CODES.includes(status as number)) {
      throw invalid(`'status' must be one of ${CCV_ORDER_STATUS_CODES.join(", ")}.`);
    }
  }

  private decrementStock(rows: OrderRowRec[]): void {
    for (const r of rows) {
      if (r.attribute_combination_id !== null) {
        const c = this.store.combinations.get(r.attribute_combination_id);
        if (c) c.stock = num(dec(c.stock).minus(dec(r.count)));
      } else if (r.product_id !== null) {
        const p = this.store.products.get(r.product_id);
        if (p?.stockenabled) p.stock = num(dec(p.stock).minus(dec(r.count)));
      }
    }
  }

  /** One order row from its input (§5.6.2): product data first, sent fields override. */
  private buildRow(orderId: number, input: unknown): OrderRowRec {
    const r = validateBody(input, ORDER_ROW_FIELDS, { resource: "orderrows" });
    if ((r.count as number) <= 0) throw invalid("'count' must be positive.");
    const product = r.product_id === undefined ? undefined : this.store.products.get(r.product_id as number);
    if (r.product_id !== undefined && !product)
      throw invalid(`Product ${String(r.product_id)} does not exist.`);
    if (!product) {
      for (const k of ["product_name", "price", "package_id"]) {
        if (r[k] === undefined) throw invalid(`'${k}' is required on an order row without product_id.`);
      }
    }
    let combination: CombinationRec | undefined;
    if (r.attribute_combination_id !== undefined) {
      combination = this.store.combinations.get(r.attribute_combination_id as number);
      if (!combination || combination.product_id !== product?.id) {
        throw invalid(
          `Attribute combination ${String(r.attribute_combination_id)} does not belong to the row's product.`,
        );
      }
    }
    const attributes = (combination?.pavIds ?? []).map((id) => {
      const { pav, value, attribute } = this.store.productAttributeValues.describe(id);
      return {
        id: this.nextRowId(),
        option_name: attribute.name,
        value_name: value.name,
        price: pav.price,
      };
    });
    const customPrice = r.price !== undefined;
    return {
      id: this.nextRowId(),
      order_id: orderId,
      product_type: (r.product_type as string | undefined) ?? CCV_ORDER_ROW_PRODUCT_TYPE,
      product_name: (r.product_name as string | undefined) ?? product?.name ?? "",
      product_number: (r.product_number as string | undefined) ?? product?.productnumber ?? "",
      sub_product_number: combination?.product_number ?? "",
      sub_sku_number: combination?.sku_number ?? "",
      sub_ean_number: combination?.ean_number ?? "",
      product_id: product?.id ?? null,
      attribute_combination_id: combination?.id ?? null,
      count: r.count as number,
      price: (r.price as number | undefined) ?? product?.price ?? 0,
      product_purchase_price: (r.product_purchase_price as number | undefined) ?? product?.purchaseprice ?? 0,
      // [sandbox] a row that sets its own price gets no product discount unless it sends one
      discount: (r.discount as number | undefined) ?? (customPrice ? 0 : (product?.discount ?? 0)),
      custom_price: customPrice,
      tax: (r.tax as number | undefined) ?? product?.vatrate ?? 21,
      unit: (r.unit as string | undefined) ?? product?.unit ?? "stuk",
      weight: (r.weight as number | undefined) ?? product?.weight ?? 0,
      memo: (r.memo as string | undefined) ?? "",
      package_id: (r.package_id as number | undefined) ?? product?.package_id ?? null,
      extra_price: attributes.reduce((s, a) => s + a.price, 0),
      attributes,
    };
  }

  patch(id: number, body: unknown): void {
    const o = this.require(id);
    const b = validateBody(body, ORDER_PATCH_FIELDS, { partial: true, resource: "orders" });
    this.checkStatus(b.status);
    const before = { status: o.status, paid: o.paid, tt: o.fields.track_and_trace_code };
    const { customer, orderrows, status, paid, note: _n, mail: _m, ...fields } = b;
    if (orderrows !== undefined) {
      const rows = orderrows as unknown[];
      if (rows.length === 0) throw invalid("'orderrows' needs at least one row.");
      o.rows = rows.map((r) => this.buildRow(o.id, r)); // replaces all rows, recalculates (§5.6.1)
    }
    if (customer !== undefined) o.customer = { ...o.customer, ...(customer as Rec) };
    if (status !== undefined) o.status = status as number | null;
    if (paid !== undefined) o.paid = paid as boolean;
    Object.assign(o.fields, fields);
    if (!o.is_completed) return; // baskets fire no order events
    if (o.status !== before.status) {
      this.store.emit(
        "orders.updated.status",
        this.orderPayload(o, { previous_status: before.status, status: o.status }),
      );
    }
    if (o.paid !== before.paid)
      this.store.emit("orders.updated.ispaid", this.orderPayload(o, { paid: o.paid }));
    if (o.fields.track_and_trace_code !== before.tt) {
      this.store.emit(
        "orders.updated.trackandtrace",
        this.orderPayload(o, {
          track_and_trace_code: o.fields.track_and_trace_code ?? "",
          track_and_trace_carrier: o.fields.track_and_trace_carrier ?? null,
        }),
      );
    }
  }

  /** GET /orders filters (§3.4); `is_completed` defaults to true. */
  filter(q: Record<string, string>): OrderRec[] {
    const completed = q.is_completed === undefined ? true : parseBool(q.is_completed, "is_completed");
    const paid = q.is_paid === undefined ? undefined : parseBool(q.is_paid, "is_paid");
    const min =
      q.min_create_date === undefined
        ? undefined
        : parseFilterDate(q.min_create_date, "min_create_date", "start");
    const max =
      q.max_create_date === undefined
        ? undefined
        : parseFilterDate(q.max_create_date, "max_create_date", "end");
    const out = [...this.values()].filter((o) => {
      const t = Date.parse(o.create_date);
      return (
        o.is_completed === completed &&
        (paid === undefined || o.paid === paid) &&
        (q.status === undefined || o.status === Number(q.status)) &&
        (q.ordernumber === undefined || o.ordernumber === Number(q.ordernumber)) &&
        (q.paymethod_id === undefined || (o.fields.paymethod_id ?? null) === Number(q.paymethod_id)) &&
        (q.transaction_id === undefined || o.fields.transaction_id === q.transaction_id) &&
        (min === undefined || t >= min) &&
        (max === undefined || t <= max)
      );
    });
    return sortBy(out, q.orderby, ["id", "ordernumber", "create_date", "deliver_date"], (o, f) =>
      f === "deliver_date" ? o.fields.deliver_date : (o as unknown as Rec)[f],
    );
  }

  /** Row money as CCV reports it (§5.6.4: original_price already has the discount subtracted). */
  private rowAmounts(r: OrderRowRec) {
    const price = dec(r.price);
    const selling = price.minus(dec(r.discount));
    const extra = dec(r.extra_price);
    const count = dec(r.count);
    return {
      original_price: money(selling),
      selling_price: money(selling),
      price_without_discount: money(price),
      price_without_discount_with_attributes: money(price.plus(extra)),
      total_price: money(selling.times(count)),
      total_extra_option_price: money(extra.times(count)),
      price_with_attributes: money(selling.plus(extra)),
      total_price_with_attributes: money(selling.plus(extra).times(count)),
    };
  }

  /**
   * Order totals from the rows: rows are gross or net per `order_row_taxes_included`; the total is
   * what the customer pays (gross). [sandbox] shipping is taxed at 21 %.
   */
  private totals(o: OrderRec) {
    const rowsGross = o.fields.order_row_taxes_included !== false;
    let rowsTotal = dec(0);
    let gross = dec(0);
    let tax = dec(0);
    let discounts = dec(0);
    let weight = dec(0);
    for (const r of o.rows) {
      const line = dec(this.rowAmounts(r).total_price_with_attributes);
      const rate = dec(r.tax).div(100);
      rowsTotal = rowsTotal.plus(line);
      const rowTax = rowsGross ? line.times(rate).div(rate.plus(1)) : line.times(rate);
      tax = tax.plus(rowTax);
      gross = gross.plus(rowsGross ? line : line.plus(rowTax));
      discounts = discounts.plus(dec(r.discount).times(dec(r.count)));
      weight = weight.plus(dec(r.weight).times(dec(r.count)));
    }
    const shipping = dec((o.fields.total_shipping as number | undefined) ?? 0);
    const shipRate = dec(0.21);
    const shippingGross = o.fields.shipping_taxes_included !== false;
    const shippingTax = shippingGross
      ? shipping.times(shipRate).div(shipRate.plus(1))
      : shipping.times(shipRate);
    const extras = dec((o.fields.extra_costs as number | undefined) ?? 0).plus(
      dec((o.fields.paymethod_costs as number | undefined) ?? 0),
    );
    return {
      total_orderrow_price: money(rowsTotal),
      total_discounts: money(discounts),
      total_shipping: money(shipping),
      total_tax: money(tax.plus(shippingTax)),
      total_price: money(gross.plus(shippingGross ? shipping : shipping.plus(shippingTax)).plus(extras)),
      total_weight: num(weight),
    };
  }

  render(o: OrderRec): Rec {
    const f = o.fields;
    const root = this.store.shopRoot();
    const paymethod =
      f.paymethod_id === undefined ? undefined : this.store.paymethods.get(f.paymethod_id as number);
    return {
      href: this.href(`/orders/${o.id}`),
      id: o.id,
      ordernumber_prefix: o.ordernumber_prefix,
      ordernumber: o.ordernumber,
      ordernumber_full: o.ordernumber_full,
      invoicenumber: f.invoicenumber ?? null,
      transaction_id: f.transaction_id ?? null,
      create_date: o.create_date,
      deliver_method: f.deliver_method,
      deliver_date: f.deliver_date ?? null,
      take_out_window: { start: null, end: null },
      is_platform_sale: f.is_platform_sale ?? false,
      orderedinlng: f.orderedinlng,
      status: o.status,
      is_completed: o.is_completed,
      basket_href: o.is_completed ? null : `${root}/basket/${o.id}`,
      checkout_href: o.is_completed ? null : `${root}/checkout/${o.id}`,
      paid: o.paid,
      safety_deposit_returned: f.safety_deposit_returned ?? false,
      paymethod_id: paymethod?.id ?? 0,
      paymethod: paymethod?.combined_name ?? "",
      paymethod_label: paymethod?.label ?? "",
      taxes_included: f.taxes_included,
      order_row_taxes_included: f.order_row_taxes_included,
      shipping_taxes_included: f.shipping_taxes_included,
      shipping_tax_percentage: 21,
      is_intra_community_order: f.is_intra_community_order ?? false,
      ...this.totals(o),
      currency: f.currency,
      extra_price: 0,
      paymethod_costs: f.paymethod_costs ?? 0,
      credit_point_discount: 0,
      extra_costs: f.extra_costs ?? 0,
      extra_costs_description: f.extra_costs_description ?? "",
      track_and_trace_code: f.track_and_trace_code ?? "",
      track_and_trace_carrier: f.track_and_trace_carrier ?? null,
      track_and_trace_deeplink: "",
      reservationnumber: f.reservationnumber ?? null,
      delivery_option: null,
      // real payloads carry the user id as a string (§5.6.1)
      user:
        o.user_id === null
          ? null
          : { id: String(o.user_id), discount_percentage: 0, href: this.href(`/users/${o.user_id}`) },
      discountcoupon: null,
      customer: o.customer,
      pickup_address: null,
      packing_slip_deeplink: null,
      orderrows: { href: this.href(`/orders/${o.id}/orderrows`) },
      ordernotes: { href: this.href(`/orders/${o.id}/ordernotes`) },
      invoices: { href: this.href(`/orders/${o.id}/invoices`) },
      terminalreceipts: { href: this.href(`/orders/${o.id}/terminalreceipts`) },
      fiscaltransactionsignatures: { href: this.href(`/orders/${o.id}/fiscaltransactionsignatures`) },
      parent: { href: this.href("/orders") },
    };
  }

  renderRow(r: OrderRowRec): Rec {
    const pkg = r.package_id === null ? undefined : this.store.packages.get(r.package_id);
    const product = r.product_id === null ? undefined : this.store.products.get(r.product_id);
    return {
      href: this.href(`/orderrows/${r.id}`),
      id: r.id,
      order_id: r.order_id,
      product_type: r.product_type,
      product_name: r.product_name,
      product_name_google: r.product_name,
      product_number: r.product_number,
      sub_product_number: r.sub_product_number,
      sub_sku_number: r.sub_sku_number,
      sub_ean_number: r.sub_ean_number,
      product_id: r.product_id,
      product_href: r.product_id === null ? null : `${this.store.apiRoot}/products/${r.product_id}`,
      count: r.count,
      price: r.price,
      product_purchase_price: r.product_purchase_price,
      discount: r.discount,
      custom_price: r.custom_price,
      tax: r.tax,
      unit: r.unit,
      weight: r.weight,
      memo: r.memo,
      package_id: r.package_id,
      package_name: pkg?.name ?? "",
      stock_location: product?.stocklocation ?? "",
      supplier: "",
      user_discount: 0,
      ...this.rowAmounts(r),
      attributes: r.attributes.map((a) => ({
        href: this.href(`/orderrowattributevalues/${a.id}`),
        id: a.id,
        option_name: a.option_name,
        value_name: a.value_name,
        price: a.price,
        parent: { href: this.href(`/orderrows/${r.id}`) },
      })),
      uploads: [],
      parent: { href: `${this.store.apiRoot}/orders/${r.order_id}` },
    };
  }

  findRow(id: number): { order: OrderRec; row: OrderRowRec } {
    for (const order of this.values()) {
      const row = order.rows.find((r) => r.id === id);
      if (row) return { order, row };
    }
    throw notFound("Order row", id);
  }

  /** Row writes are for open baskets only (§5.6.4). */
  private requireOpen(order: OrderRec): void {
    if (order.is_completed) {
      throw new CcvSandboxError(
        500,
        CCV_ERROR.METHOD_NOT_ALLOWED_ON_RESOURCE,
        "Order rows of a completed order cannot be changed.",
      );
    }
  }

  addRow(orderId: number, body: unknown): OrderRowRec {
    const o = this.require(orderId);
    this.requireOpen(o);
    const row = this.buildRow(o.id, body);
    o.rows.push(row);
    return row;
  }

  putRows(orderId: number, body: unknown): void {
    const o = this.require(orderId);
    this.requireOpen(o);
    const b = validateBody(body, { orderrows: "!array" }, { resource: "orderrows" });
    o.rows = (b.orderrows as unknown[]).map((r) => this.buildRow(o.id, r));
  }

  patchRow(id: number, body: unknown): void {
    const { order, row } = this.findRow(id);
    this.requireOpen(order);
    const b = validateBody(
      body,
      { count: "number", price: "number", discount: "number" },
      { partial: true, resource: "orderrows" },
    );
    if (b.price !== undefined) row.custom_price = true;
    Object.assign(row, b);
  }

  removeRow(id: number): void {
    const { order } = this.findRow(id);
    this.requireOpen(order);
    order.rows = order.rows.filter((r) => r.id !== id);
  }

  /** §5.9.3 envelope; event-specific keys go between the totals and the customer keys (as captured). */
  private orderPayload(o: OrderRec, specific: Rec): Rec {
    const t = this.totals(o);
    const billing = (o.customer.billingaddress ?? {}) as Rec;
    return {
      triggered_at: this.store.now(),
      href: `${this.store.apiRoot}/orders/${o.id}`,
      id: o.id,
      order_number: o.ordernumber,
      ordernumber_prefix: o.ordernumber_prefix,
      ordernumber_full: o.ordernumber_full,
      total_price: t.total_price,
      ...specific,
      customer_email: (o.customer.email as string | undefined) ?? "",
      customer_mobile: (billing.mobile as string | undefined) ?? "",
    };
  }
}

export function ordersRoutes(api: CcvRouter, s: CcvStore): void {
  const { orders } = s;
  api.on("GET", "/orders", (c) => ({ paged: orders.filter(c.query).map((o) => orders.render(o)) }));
  api.on("POST", "/orders", (c) => created(orders.render(orders.create(c.body))));
  api.on("GET", "/orders/{id}", (c) => ok(orders.render(orders.require(c.ids[0]))));
  api.on("PATCH", "/orders/{id}", (c) => (orders.patch(c.ids[0], c.body), done));
  api.on("GET", "/orders/{id}/orderrows", (c) => ({
    paged: orders.require(c.ids[0]).rows.map((r) => orders.renderRow(r)),
  }));
  api.on("POST", "/orders/{id}/orderrows", (c) => created(orders.renderRow(orders.addRow(c.ids[0], c.body))));
  api.on("PUT", "/orders/{id}/orderrows", (c) => (orders.putRows(c.ids[0], c.body), done));
  api.on("GET", "/orderrows/{id}", (c) => ok(orders.renderRow(orders.findRow(c.ids[0]).row)));
  api.on("PATCH", "/orderrows/{id}", (c) => (orders.patchRow(c.ids[0], c.body), done));
  api.on("DELETE", "/orderrows/{id}", (c) => (orders.removeRow(c.ids[0]), done));
}
