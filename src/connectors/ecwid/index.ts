export * from "./ecwid.client";
export * from "./ecwid.dates";
export * from "./ecwid.errors";
export * from "./ecwid.mapper";
export * from "./ecwid.scopes";
export * from "./ecwid.types";
export * from "./ecwid.vendor-facts";
export * from "./ecwid.webhooks";
