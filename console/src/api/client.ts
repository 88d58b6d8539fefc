// The one place that picks the GraphQL client: the partner SDK's (sdk/src), the same typed client
// partner scripts and the e2e tests use; subscriptions resume with afterId after a dropped connection.
export { createGatewayClient, GatewayError, type GatewayClient } from "../../../sdk/src";
