// The one place that picks the GraphQL client. To use the partner SDK instead, change this import
// to `../../../sdk/src` (same interface: createGatewayClient, GatewayClient, GatewayError).
export { createGatewayClient, GatewayError, type GatewayClient } from "./gateway-client";
