// The gateway's typed client package: the client, its errors, and every operation of the schema
// as a typed document (generated from sdk/operations by `npm run codegen`).
export * from "./client";
export * from "../generated/graphql";
