import { ccvDate } from "../../../connectors/ccv-salespos/ccv.auth";
import { CCV_ORDER_STATUS, CCV_ORDER_STATUS_CODES } from "../../../connectors/ccv-salespos/ccv.vendor-facts";
import type { CcvStore } from "../ccv.store";
import { CcvTable, created, done, notFound, ok, type CcvRouter, type Rec } from "../ccv.table";
import { invalid, validateBody } from "../ccv.validate";

/**
 * Webshops and their settings (§5.10: the "store id", currency, gross or net prices), the shipping
 * packages products need (§5.1 `package_id`) and the payment methods (§5.8). One webshop per sandbox.
 */

export interface CcvSandboxSeed {
  webshopId?: number;
  webshopName?: string;
  currency?: string;
  pricesIncludeVat?: boolean;
  orderNumberStart?: number;
  /** [sandbox] ordernumber_full = `${prefix}-${number}` when set */
  orderNumberPrefix?: string | null;
  packages?: { name: string }[];
  paymethods?: Omit<PaymethodRec, "id">[];
}

export interface PackageRec {
  id: number;
  name: string;
}

export interface PaymethodRec {
  id: number;
  psp: string;
  method: string;
  combined_name: string;
  label: string;
  extra_costs: boolean;
  extra_costs_fixed: number;
  extra_costs_percentage: number;
}

const DEFAULT_PAYMETHODS: Omit<PaymethodRec, "id">[] = [
  {
    psp: "Bank",
    method: "Transfer",
    combined_name: "BankTransfer",
    label: "Vooraf overmaken",
    extra_costs: false,
    extra_costs_fixed: 0,
    extra_costs_percentage: 0,
  },
  {
    psp: "Pin",
    method: "Terminal",
    combined_name: "PinTerminal",
    label: "Pinnen",
    extra_costs: false,
    extra_costs_fixed: 0,
    extra_costs_percentage: 0,
  },
];

/** The sandbox's one webshop and its settings. */
export class CcvWebshop {
  readonly id: number;
  readonly name: string;
  readonly create_date = ccvDate();
  readonly settings: {
    currency: string;
    prices_include_vat: boolean;
    webshop_enabled: boolean;
    languages: string[];
  };

  constructor(
    private readonly store: CcvStore,
    seed: CcvSandboxSeed,
  ) {
    this.id = seed.webshopId ?? 1;
    this.name = seed.webshopName ?? "Sandbox shop";
    this.settings = {
      currency: seed.currency ?? "EUR",
      prices_include_vat: seed.pricesIncludeVat ?? true,
      webshop_enabled: true,
      languages: ["nl", "en"],
    };
  }

  require(id: number): void {
    if (id !== this.id) throw notFound("Webshop", id);
  }

  render(): Rec {
    const href = (path: string) => this.store.href(path);
    return {
      href: href(`/webshops/${this.id}`),
      id: this.id,
      create_date: this.create_date,
      name: this.name,
      is_multishop_system: false,
      is_salespos: this.store.options.salesPos,
      product_limit: -1,
      product_limit_left: -1,
      api_root: this.store.shopRoot(),
      webshops: { href: href(`/webshops/${this.id}/webshops`) },
      parent: { href: href("/webshops") },
    };
  }

  renderSettings(): Rec {
    const names: Record<number, string> = {};
    for (const [k, v] of Object.entries(CCV_ORDER_STATUS)) names[v] = k.toLowerCase().replace(/_/g, " ");
    return {
      href: this.store.href(`/webshops/${this.id}/settings`),
      webshop_enabled: this.settings.webshop_enabled,
      webshop_disabled_title: "",
      webshop_disabled_text: "",
      currency: this.settings.currency,
      default_vat_rat: 21,
      prices_include_vat: this.settings.prices_include_vat,
      full_ssl_webshop: true,
      creditpoint_value: 0,
      languages: this.settings.languages,
      backend_language: "nl",
      separate_domain_per_language: false,
      stock: true,
      ordering_without_stock: false,
      stock_level_warnings: { low_threshold: null, high_threshold: null },
      multishop_readonly_properties: [],
      checkout_type: [],
      order_status: CCV_ORDER_STATUS_CODES.map((s) => ({ id: s, status: s, status_name: names[s] })),
      parent: { href: this.store.href(`/webshops/${this.id}`) },
    };
  }

  /** PUT settings: only these keys may change, and only included keys are overwritten (§5.10). */
  putSettings(body: unknown): void {
    const b = validateBody(
      body,
      {
        languages: "array",
        webshop_enabled: "boolean",
        webshop_disabled_title: "string",
        webshop_disabled_text: "string",
      },
      { partial: true, resource: "settings" },
    );
    if (b.languages) this.settings.languages = b.languages as string[];
    if (typeof b.webshop_enabled === "boolean") this.settings.webshop_enabled = b.webshop_enabled;
  }
}

export class CcvPackages extends CcvTable<PackageRec> {
  constructor(store: CcvStore, seed: CcvSandboxSeed) {
    super(store, "Package", 5_500);
    for (const p of seed.packages ?? [{ name: "Doos" }]) {
      const id = this.nextId();
      this.set(id, { id, name: p.name });
    }
  }

  create(body: unknown): PackageRec {
    const b = validateBody(body, { name: "!string" }, { resource: "packages" });
    const p = { id: this.nextId(), name: b.name as string };
    this.set(p.id, p);
    return p;
  }

  render(p: PackageRec): Rec {
    return {
      href: this.href(`/packages/${p.id}`),
      id: p.id,
      name: p.name,
      parent: { href: this.href("/packages") },
    };
  }
}

export class CcvPaymethods extends CcvTable<PaymethodRec> {
  constructor(store: CcvStore, seed: CcvSandboxSeed) {
    super(store, "Paymethod", 1);
    for (const p of seed.paymethods ?? DEFAULT_PAYMETHODS) {
      const id = this.nextId();
      this.set(id, { id, ...p });
    }
  }

  render(p: PaymethodRec): Rec {
    return { ...p, apppsp: null, apppsppaymethod: null };
  }
}

export function webshopsRoutes(api: CcvRouter, s: CcvStore): void {
  api.on("GET", "/webshops", () => ({ flat: [s.webshop.render()] }));
  api.on("GET", "/webshops/{id}", (c) => (s.webshop.require(c.ids[0]), ok(s.webshop.render())));
  api.on(
    "GET",
    "/webshops/{id}/settings",
    (c) => (s.webshop.require(c.ids[0]), ok(s.webshop.renderSettings())),
  );
  api.on(
    "PUT",
    "/webshops/{id}/settings",
    (c) => (s.webshop.require(c.ids[0]), s.webshop.putSettings(c.body), done),
  );

  api.on("GET", "/packages", () => ({ flat: [...s.packages.values()].map((p) => s.packages.render(p)) }));
  api.on("POST", "/packages", (c) => created(s.packages.render(s.packages.create(c.body))));
  api.on("GET", "/packages/{id}", (c) => ok(s.packages.render(s.packages.require(c.ids[0]))));
  api.on("PATCH", "/packages/{id}", (c) => {
    const p = s.packages.require(c.ids[0]);
    p.name = validateName(c.body, "packages");
    return done;
  });
  api.on(
    "DELETE",
    "/packages/{id}",
    (c) => (s.packages.require(c.ids[0]), s.packages.delete(c.ids[0]), done),
  );

  api.on("GET", "/paymethods", () => ({
    flat: [...s.paymethods.values()].map((p) => s.paymethods.render(p)),
  }));
}

function validateName(body: unknown, resource: string): string {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw invalid(`The body of ${resource} must be a JSON object.`);
  const keys = Object.keys(body);
  const name = (body as { name?: unknown }).name;
  if (keys.some((k) => k !== "name") || (name !== undefined && typeof name !== "string")) {
    throw invalid(`Only 'name' (a string) can be changed on ${resource}.`);
  }
  if (typeof name !== "string") throw invalid(`Property 'name' is required on ${resource}.`);
  return name;
}
