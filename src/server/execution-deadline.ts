import type { MiddlewareFn } from "type-graphql";
import { AppError } from "../common/errors";
import type { GatewayContext } from "../resolvers/context";

/**
 * The execution timeout (GRAPHQL_LIMITS.executionMs): a root query or mutation field that has not answered by the request's
 * deadline resolves to a TIMEOUT error, and the request's signal stops its vendor reads. What a
 * mutation already started (a connection test, a replayed item) finishes in the background and is
 * recorded as usual. Subscriptions are long-lived by design and have no deadline.
 */
export const executionDeadline: MiddlewareFn<GatewayContext> = async ({ context, info }, next) => {
  if (info.path.prev !== undefined || info.operation.operation === "subscription" || !context.deadline)
    return next();
  const left = context.deadline.at - Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        context.deadline?.abort();
        reject(
          new AppError(
            "TIMEOUT",
            `${info.fieldName} did not finish within ${context.deadline!.ms} ms and was stopped; ask for fewer records, or try again when the vendors answer faster.`,
            { limit: "executionMs", max: context.deadline!.ms },
          ),
        );
      },
      Math.max(0, left),
    );
  });
  try {
    return await Promise.race([next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
};
