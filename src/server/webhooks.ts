import express, { type Router } from "express";
import type { Logger } from "pino";
import type { Services } from "../services";
import { refuseOversized } from "./http-errors";

/**
 * Largest webhook body taken (bigger → 413 JSON from the error handler, nothing stored). Both
 * vendors send small triggers: CCV an envelope of a dozen fields (CCV §5.9.3), Ecwid an event id,
 * type and a few data fields (Ecwid §11); 64 KiB is far above either.
 */
export const WEBHOOK_MAX_BYTES = 64 * 1024;

/**
 * Vendor webhook routes. The raw body is kept (signatures are computed over the exact bytes);
 * answers are fast: verification and one insert — the work happens in the runs they queue.
 */
export function webhookRouter(services: Services, logger: Logger): Router {
  const r = express.Router();
  r.use("/webhooks", refuseOversized(WEBHOOK_MAX_BYTES, logger));
  const raw = express.raw({ type: () => true, limit: WEBHOOK_MAX_BYTES });
  const body = (req: express.Request): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

  r.post("/webhooks/ecwid/:integrationId", raw, async (req, res) => {
    try {
      const a = await services.webhooks.ecwid(req.params.integrationId, body(req), req.headers);
      res.status(a.status).json(a.body);
    } catch (e) {
      logger.error({ err: e, reqId: req.id }, "Ecwid webhook handling failed");
      // 500: Ecwid retries the delivery later, nothing is lost
      res.status(500).json({ error: "internal error; the delivery will be retried" });
    }
  });

  r.post("/webhooks/ccv/:integrationId/:event", raw, async (req, res) => {
    try {
      const a = await services.webhooks.ccv(
        req.params.integrationId,
        req.params.event,
        body(req),
        req.headers,
      );
      res.status(a.status).json(a.body);
    } catch (e) {
      logger.error({ err: e, reqId: req.id }, "CCV webhook handling failed");
      res.status(500).json({ error: "internal error; the delivery will be retried" });
    }
  });
  return r;
}
