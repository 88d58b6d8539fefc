export * from "./connector-error";
export * from "./rate-budget";
export * from "./auth-circuit";
export * from "./transport";
export * from "./fingerprint";
export * from "./connector-deps";
export * from "./upstream-guard";
export * from "./image-fetch";
