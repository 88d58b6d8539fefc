import { useState, type FormEvent } from "react";
import {
  ConsoleIntegrationDocument,
  ConsoleProductsDocument,
  type ConsoleProductRecordFragment,
  type ConsoleProductsQuery,
  type StockFieldsFragment,
} from "../../../sdk/generated/graphql";
import { useQuery } from "../api/hooks";
import { Badge, Button, Card, ErrorNote, Field, Loading } from "../components/ui";
import { short } from "../lib/format";
import { navigate, useLocation, withQuery } from "../lib/router";

type Product = ConsoleProductsQuery["products"]["edges"][number]["node"];

const FIELDS: { key: keyof ConsoleProductRecordFragment; label: string; diff: string[] }[] = [
  { key: "name", label: "Name", diff: ["name"] },
  { key: "price", label: "Price", diff: ["price"] },
  { key: "quantity", label: "Quantity", diff: ["quantity", "stock"] },
  { key: "ean", label: "EAN", diff: ["ean"] },
  { key: "enabled", label: "Visible", diff: ["enabled"] },
  { key: "shortDescription", label: "Short description", diff: ["shortDescription"] },
  { key: "description", label: "Description", diff: ["description"] },
];

const show = (
  r: ConsoleProductRecordFragment | null | undefined,
  k: keyof ConsoleProductRecordFragment,
): string => {
  if (!r) return "—";
  const v = r[k];
  if (k === "price" && r.price) return `${r.price.currency} ${r.price.amount}`;
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (typeof v === "string" && (k === "description" || k === "shortDescription"))
    return (
      v
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .trim()
        .slice(0, 160) || "(empty)"
    );
  return short(v);
};

export function CataloguePage({ id }: { id: string }) {
  const { query } = useLocation();
  const search = query.get("search") ?? "";
  const [text, setText] = useState(search);
  const q = useQuery(ConsoleProductsDocument, { integrationId: id, search: search || undefined, first: 25 });
  const integration = useQuery(ConsoleIntegrationDocument, { id });
  const master = integration.data?.integration?.flows.find(
    (f) => f.enabled && f.kind.startsWith("STOCK_"),
  )?.kind;
  const [open, setOpen] = useState<string>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(withQuery(`/i/${encodeURIComponent(id)}/catalogue`, { search: text.trim() || undefined }));
  };
  const products = q.data?.products.edges.map((e) => e.node) ?? [];
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Catalogue</h1>
          <p className="lead">
            Your products as both systems have them, matched by SKU, with what differs highlighted.
          </p>
        </div>
      </div>
      <form className="card searchbar" role="search" onSubmit={submit} aria-label="Search products">
        <Field label="Search by SKU or name">
          {(p) => <input {...p} type="search" value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <Button type="submit" variant="primary">
          Search
        </Button>
      </form>
      <Card
        title={
          q.data
            ? `${products.length}${q.data.products.pageInfo.hasNextPage ? "+" : ""} products`
            : "Products"
        }
      >
        <ErrorNote error={q.error} />
        {q.loading && !q.data ? <Loading what="products from both systems" /> : null}
        {q.data && products.length === 0 ? <p className="muted">No product matches.</p> : null}
        <ul className="products">
          {products.map((p) => (
            <ProductRow
              key={p.sku}
              p={p}
              open={open === p.sku}
              onToggle={() => setOpen(open === p.sku ? undefined : p.sku)}
              master={master}
            />
          ))}
        </ul>
      </Card>
    </div>
  );
}

function ProductRow({
  p,
  open,
  onToggle,
  master,
}: {
  p: Product;
  open: boolean;
  onToggle: () => void;
  master?: string;
}) {
  const differing = new Set(p.differences.map((d) => d.field.split(".")[0]!));
  const panel = `product-${p.sku}`;
  return (
    <li className={`product ${open ? "open" : ""}`}>
      <button
        type="button"
        className="product-head"
        aria-expanded={open}
        aria-controls={panel}
        onClick={onToggle}
      >
        <span className="mono sku">{p.sku}</span>
        <span className="pname">{p.name}</span>
        <span className="pbadges">
          {p.ecwid ? <Badge tone="neutral">Ecwid</Badge> : <Badge tone="warn">not in Ecwid</Badge>}
          {p.ccv ? <Badge tone="neutral">CCV</Badge> : <Badge tone="warn">not in CCV</Badge>}
          {p.differences.length ? (
            <Badge tone="warn">{p.differences.length} different</Badge>
          ) : p.ecwid && p.ccv ? (
            <Badge tone="good">same</Badge>
          ) : null}
          {p.stock.inSync ? null : <Badge tone="bad">stock differs</Badge>}
        </span>
      </button>
      {open ? (
        <div id={panel} className="product-body">
          <table className="table compare">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">
                  Ecwid {p.ecwid ? <span className="muted mono small">#{p.ecwid.id}</span> : null}
                </th>
                <th scope="col">
                  CCV SalesPOS {p.ccv ? <span className="muted mono small">#{p.ccv.id}</span> : null}
                </th>
              </tr>
            </thead>
            <tbody>
              {FIELDS.map((f) => {
                const diff = f.diff.some((d) => differing.has(d));
                return (
                  <tr key={f.key} className={diff ? "diff" : undefined}>
                    <th scope="row">
                      {f.label}
                      {diff ? <span className="sr-only"> (differs)</span> : null}
                    </th>
                    <td>{show(p.ecwid, f.key)}</td>
                    <td>{show(p.ccv, f.key)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <StockExplained s={p.stock} master={master} />
          {p.variants.length > 0 ? (
            <table className="table">
              <caption>Variants</caption>
              <thead>
                <tr>
                  <th scope="col">SKU</th>
                  <th scope="col">Options</th>
                  <th scope="col">Ecwid</th>
                  <th scope="col">CCV</th>
                  <th scope="col">Reserved</th>
                  <th scope="col">Would write</th>
                </tr>
              </thead>
              <tbody>
                {p.variants.map((v) => (
                  <tr key={v.sku} className={v.stock.inSync ? undefined : "diff"}>
                    <th scope="row" className="mono">
                      {v.sku}
                    </th>
                    <td>{v.options.map((o) => `${o.name}: ${o.value}`).join(", ")}</td>
                    <td>{v.stock.ecwidUnlimited ? "unlimited" : short(v.stock.ecwid)}</td>
                    <td>{short(v.stock.ccv)}</td>
                    <td>{v.stock.reserved}</td>
                    <td>{short(v.stock.computed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

function StockExplained({ s, master }: { s: StockFieldsFragment; master?: string }) {
  const masterName =
    master === "STOCK_ECWID_TO_CCV" ? "Ecwid" : master === "STOCK_CCV_TO_ECWID" ? "CCV SalesPOS" : null;
  return (
    <div className="stock">
      <h4>Stock</h4>
      <dl className="facts">
        <div>
          <dt>Ecwid</dt>
          <dd>{s.ecwidUnlimited ? "unlimited" : short(s.ecwid)}</dd>
        </div>
        <div>
          <dt>CCV SalesPOS</dt>
          <dd>{short(s.ccv)}</dd>
        </div>
        <div>
          <dt>Reserved</dt>
          <dd>{s.reserved}</dd>
        </div>
        <div>
          <dt>Would write</dt>
          <dd>{short(s.computed)}</dd>
        </div>
      </dl>
      <p className="small">
        {masterName
          ? `${masterName} is the stock master. `
          : "No stock flow is on, so nothing is written; the figures are as both systems report them. "}
        Reserved is what the other side already sold that the master has not booked yet.{" "}
        {s.computed !== null && s.computed !== undefined
          ? `${masterName ? "The stock flow writes" : "A stock flow would write"} ${s.computed}${s.reserved ? ` (the master's figure minus ${s.reserved} reserved, never below zero)` : ""}.`
          : ""}{" "}
        {s.inSync ? "Both sides agree." : "The two sides differ."}
      </p>
    </div>
  );
}
