export * from "./system";
export * from "./money";
export * from "./catalog";
export * from "./party";
export * from "./orders";
export * from "./store";
