// The console's HTTP API for its own pages (start, cancel, history, export, provider status) and the
// client notification endpoints the provider calls. Only same-origin JSON requests can change state.
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { FlowEngine } from "../flows/engine";
import type { ProviderLink } from "../rp/provider-link";
import { startFlowSchema } from "../shared/start-flow";
import type { Logger } from "./log";
import { pingRoute, pushRoute } from "./notifications";
import { operatorFromCookie } from "./operator";

export interface ApiDeps {
  engine: FlowEngine;
  link: ProviderLink;
  publicUrl: string;
  log: Logger;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    description: string,
  ) {
    super(description);
  }
}

function operatorOf(req: Request): string {
  const id = operatorFromCookie(req.headers.cookie);
  if (!id) throw new ApiError(401, "no_operator_session", "no operator session: reload the page");
  return id;
}

function flowId(req: Request): string {
  const id = req.params.id;
  return typeof id === "string" ? id : "";
}

/** State changes only from our own pages: JSON bodies cannot be sent cross-site without CORS. */
function requireJson(req: Request, _res: Response, next: NextFunction) {
  if (!req.is("application/json")) return next(new ApiError(415, "unsupported_media_type", "send application/json"));
  next();
}

export function apiRouter(deps: ApiDeps): Router {
  const { engine, link, log } = deps;
  const router = express.Router();
  const json = express.json({ limit: "32kb" });
  // Notifications are parsed by their handlers, which must see malformed bodies too.
  const notificationBody = express.text({ type: () => true, limit: "64kb" });

  router.use((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });

  router.post("/ciba/ping", notificationBody, pingRoute(engine, deps.publicUrl, log));
  router.post("/ciba/push", notificationBody, pushRoute(engine, deps.publicUrl, log));

  router.get("/status", (_req, res) => void res.json(link.status()));
  router.post("/provider/retry", requireJson, async (_req, res) => {
    await link.refresh();
    res.json(link.status());
  });

  router.get("/flows", (req, res) => void res.json({ flows: engine.list(operatorOf(req)) }));

  router.post("/flows", requireJson, json, async (req, res) => {
    const operatorId = operatorOf(req);
    const parsed = startFlowSchema.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ApiError(400, "invalid_request", `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
    }
    res.status(201).json(await engine.start(operatorId, parsed.data));
  });

  router.get("/flows/:id", (req, res) => {
    const flow = engine.view(operatorOf(req), flowId(req));
    if (!flow) throw new ApiError(404, "not_found", "no such flow for this operator");
    res.json(flow);
  });

  router.post("/flows/:id/cancel", requireJson, async (req, res) => {
    const flow = await engine.cancel(operatorOf(req), flowId(req));
    if (!flow) throw new ApiError(404, "not_found", "no such flow for this operator");
    res.json(flow);
  });

  router.get("/flows/:id/export", (req, res) => {
    const flow = engine.view(operatorOf(req), flowId(req));
    if (!flow) throw new ApiError(404, "not_found", "no such flow for this operator");
    const name = `ciba-flow-${flow.created_at.slice(0, 19).replace(/[:T]/g, "-")}-${flow.mode}.json`;
    res.set("Content-Disposition", `attachment; filename="${name}"`);
    res.type("application/json").send(JSON.stringify({ exported_at: new Date().toISOString(), format: "ciba-console-flow/1", flow }, null, 2));
  });

  router.use((_req, _res, next) => next(new ApiError(404, "not_found", "no such API endpoint")));
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof ApiError) return void res.status(error.status).json({ error: error.code, error_description: error.message });
    const status = (error as { status?: number; type?: string }).status;
    // Body parser errors (malformed JSON, too large) carry their own 4xx status.
    if (typeof status === "number" && status >= 400 && status < 500) {
      return void res.status(status).json({ error: "invalid_request", error_description: (error as Error).message });
    }
    log.error("console API error", { error: error as Error });
    res.status(500).json({ error: "server_error", error_description: "the console had an internal error" });
  });
  return router;
}
