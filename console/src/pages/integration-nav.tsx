import { ConsoleIntegrationDocument } from "../../../sdk/generated/graphql";
import { useCan, useQuery } from "../api/hooks";
import { href, onLinkClick } from "../lib/router";

const TABS = [
  { tab: "dashboard", label: "Dashboard", path: "" },
  { tab: "activity", label: "Activity log", path: "/activity" },
  { tab: "mappings", label: "Mappings", path: "/mappings" },
  { tab: "catalogue", label: "Catalogue", path: "/catalogue" },
] as const;

export function IntegrationNav({ id, tab }: { id: string; tab: string }) {
  const can = useCan();
  const q = useQuery(ConsoleIntegrationDocument, { id });
  const name = q.data?.integration?.name;
  const tabs = can.configure ? [...TABS, { tab: "setup", label: "Setup", path: "/setup" } as const] : TABS;
  return (
    <div className="subhead">
      <p className="crumbs">
        <a href={href("/")} onClick={onLinkClick("/")}>
          Integrations
        </a>{" "}
        <span aria-hidden="true">/</span> <span>{name ?? "…"}</span>
      </p>
      <nav aria-label="Integration" className="tabs">
        {tabs.map((t) => {
          const to = `/i/${encodeURIComponent(id)}${t.path}`;
          return (
            <a
              key={t.tab}
              href={href(to)}
              onClick={onLinkClick(to)}
              aria-current={t.tab === tab ? "page" : undefined}
            >
              {t.label}
            </a>
          );
        })}
      </nav>
    </div>
  );
}
