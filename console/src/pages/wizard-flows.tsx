import type {
  DefaultFieldMappingsQuery,
  FlowKind,
  FlowSettingsInput,
  StockCalculation,
} from "../../../sdk/generated/graphql";
import { Field } from "../components/ui";
import { FLOWS, SCHEDULES } from "../lib/labels";

/** What the wizard asks about one flow; the answers become configureFlow settings. */
export interface FlowAnswers {
  chosen: boolean;
  schedule: string;
  orderStatuses: string[];
  useDefaultDebtor: boolean;
  defaultDebtor: string;
  updateExisting: boolean;
  stockCalculation: StockCalculation;
  manageStock: boolean;
  startDate: string;
  /** target paths written on create only (product flows) */
  createOnly: string[];
}

export const ECWID_PAYMENT_STATUSES = [
  ["PAID", "Paid"],
  ["AWAITING_PAYMENT", "Awaiting payment"],
  ["PARTIALLY_REFUNDED", "Partially refunded"],
  ["REFUNDED", "Refunded"],
  ["CANCELLED", "Cancelled"],
] as const;
export const ECWID_FULFILMENT_STATUSES = [
  ["AWAITING_PROCESSING", "Awaiting processing"],
  ["PROCESSING", "Processing"],
  ["SHIPPED", "Shipped"],
  ["DELIVERED", "Delivered"],
  ["READY_FOR_PICKUP", "Ready for pickup"],
] as const;

export const isProducts = (k: FlowKind) => k.startsWith("PRODUCTS_");
export const isStock = (k: FlowKind) => k.startsWith("STOCK_");

export function settingsOf(kind: FlowKind, a: FlowAnswers): FlowSettingsInput {
  const s: FlowSettingsInput = {
    startDate: a.startDate ? new Date(`${a.startDate}T00:00:00Z`).toISOString() : null,
  };
  if (kind === "ORDERS_ECWID_TO_CCV") {
    s.orderStatuses = a.orderStatuses;
    s.useDefaultDebtor = a.useDefaultDebtor;
    s.defaultDebtor = a.useDefaultDebtor ? a.defaultDebtor.trim() : null;
  }
  if (isProducts(kind)) {
    s.updateExisting = a.updateExisting;
    s.manageStock = a.manageStock;
  }
  if (isStock(kind)) {
    s.stockCalculation = a.stockCalculation;
    s.manageStock = a.manageStock;
  }
  return s;
}

/** which answer a refusal of the gateway is about, so the reason shows next to that field */
export function fieldOfError(message: string): keyof FlowAnswers | "enabled" {
  if (/defaultDebtor|debtor/i.test(message)) return "defaultDebtor";
  if (/schedule|cron/i.test(message)) return "schedule";
  if (/orderStatuses/i.test(message)) return "orderStatuses";
  if (/startDate/i.test(message)) return "startDate";
  if (/mapping/i.test(message)) return "createOnly";
  return "chosen";
}

export function FlowQuestions({
  kind,
  a,
  set,
  errors,
  defaults,
}: {
  kind: FlowKind;
  a: FlowAnswers;
  set: (patch: Partial<FlowAnswers>) => void;
  errors: Partial<Record<string, string>>;
  defaults: DefaultFieldMappingsQuery["defaultFieldMappings"] | undefined;
}) {
  const f = FLOWS[kind];
  const toggleStatus = (code: string, on: boolean) =>
    set({ orderStatuses: on ? [...a.orderStatuses, code] : a.orderStatuses.filter((s) => s !== code) });
  return (
    <div className="questions">
      {kind === "ORDERS_ECWID_TO_CCV" ? (
        <>
          <fieldset className={errors.orderStatuses ? "field-invalid" : ""}>
            <legend>Which Ecwid orders should go to the till?</legend>
            <p className="hint">
              An order goes when its payment status or its fulfilment status is ticked. Nothing ticked: every
              order.
            </p>
            <div className="checks">
              {[...ECWID_PAYMENT_STATUSES, ...ECWID_FULFILMENT_STATUSES].map(([code, label]) => (
                <label key={code} className="check">
                  <input
                    type="checkbox"
                    checked={a.orderStatuses.includes(code)}
                    onChange={(e) => toggleStatus(code, e.target.checked)}
                  />
                  {label}
                </label>
              ))}
            </div>
            {errors.orderStatuses ? (
              <p className="field-error" role="alert">
                {errors.orderStatuses}
              </p>
            ) : null}
          </fieldset>
          <fieldset>
            <legend>Which customer are the orders booked on?</legend>
            <label className="check">
              <input
                type="radio"
                name={`${kind}-debtor`}
                checked={!a.useDefaultDebtor}
                onChange={() => set({ useDefaultDebtor: false })}
              />
              The order&apos;s own customer: found by e-mail in CCV SalesPOS, created or updated there
            </label>
            <label className="check">
              <input
                type="radio"
                name={`${kind}-debtor`}
                checked={a.useDefaultDebtor}
                onChange={() => set({ useDefaultDebtor: true })}
              />
              One fixed customer (a default debtor) for every order
            </label>
            {a.useDefaultDebtor ? (
              <Field
                label="Default debtor"
                hint="The e-mail address or CCV user id of the customer every order is booked on."
                error={errors.defaultDebtor}
              >
                {(p) => (
                  <input
                    {...p}
                    value={a.defaultDebtor}
                    onChange={(e) => set({ defaultDebtor: e.target.value })}
                    placeholder="webshop@yourshop.nl"
                  />
                )}
              </Field>
            ) : errors.defaultDebtor ? (
              <p className="field-error" role="alert">
                {errors.defaultDebtor}
              </p>
            ) : null}
          </fieldset>
        </>
      ) : null}

      {isProducts(kind) ? (
        <>
          <fieldset>
            <legend>Products that already exist in {f.to === "ECWID" ? "Ecwid" : "CCV SalesPOS"}</legend>
            <label className="check">
              <input
                type="checkbox"
                checked={a.updateExisting}
                onChange={(e) => set({ updateExisting: e.target.checked })}
              />
              Keep them up to date (otherwise only missing products are created)
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={a.manageStock}
                onChange={(e) => set({ manageStock: e.target.checked })}
              />
              Track stock for these products in {f.to === "ECWID" ? "Ecwid" : "CCV SalesPOS"}
            </label>
          </fieldset>
          <fieldset className={errors.createOnly ? "field-invalid" : ""}>
            <legend>Which product fields are written only when a product is created?</legend>
            <p className="hint">
              A field written on create only keeps later edits made in{" "}
              {f.to === "ECWID" ? "Ecwid" : "CCV SalesPOS"}, e.g. a longer description you write there.
            </p>
            {defaults && defaults.length > 0 ? (
              <div className="checks">
                {defaults.map((d) => (
                  <label key={d.target} className="check">
                    <input
                      type="checkbox"
                      checked={a.createOnly.includes(d.target)}
                      onChange={(e) =>
                        set({
                          createOnly: e.target.checked
                            ? [...a.createOnly, d.target]
                            : a.createOnly.filter((t) => t !== d.target),
                        })
                      }
                    />
                    <code>{d.target}</code>
                  </label>
                ))}
              </div>
            ) : (
              <p className="muted">
                This gateway version does not list the fields of this flow yet; they appear here once the flow
                is available.
              </p>
            )}
            {errors.createOnly ? (
              <p className="field-error" role="alert">
                {errors.createOnly}
              </p>
            ) : null}
          </fieldset>
        </>
      ) : null}

      {isStock(kind) ? (
        <fieldset>
          <legend>How is the stock figure calculated?</legend>
          <label className="check">
            <input
              type="radio"
              name={`${kind}-calc`}
              checked={a.stockCalculation === "AVAILABLE_MINUS_RESERVED"}
              onChange={() => set({ stockCalculation: "AVAILABLE_MINUS_RESERVED" })}
            />
            The master&apos;s stock minus what the other side sold that has not reached the master yet
            (recommended)
          </label>
          <label className="check">
            <input
              type="radio"
              name={`${kind}-calc`}
              checked={a.stockCalculation === "AVAILABLE"}
              onChange={() => set({ stockCalculation: "AVAILABLE" })}
            />
            The master&apos;s stock exactly as it reports it
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={a.manageStock}
              onChange={(e) => set({ manageStock: e.target.checked })}
            />
            Manage stock in {f.to === "ECWID" ? "Ecwid" : "CCV SalesPOS"} (off: products there are not
            stock-tracked)
          </label>
        </fieldset>
      ) : null}

      <div className="row-2">
        <Field
          label="How often should it run?"
          hint="Webhooks start a run as soon as something changes; the schedule catches up on anything they missed."
          error={errors.schedule}
        >
          {(p) => (
            <select {...p} value={a.schedule} onChange={(e) => set({ schedule: e.target.value })}>
              {SCHEDULES.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Start from (optional)"
          hint="Only records created or changed on or after this day; empty: everything."
          error={errors.startDate}
        >
          {(p) => (
            <input
              {...p}
              type="date"
              value={a.startDate}
              onChange={(e) => set({ startDate: e.target.value })}
            />
          )}
        </Field>
      </div>
    </div>
  );
}
