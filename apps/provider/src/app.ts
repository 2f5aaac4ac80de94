// The provider's HTTP surface, built from its collaborators. No listen here: start.ts binds it to a
// port, and tests start the same app on a random loopback port.
import cors from "cors";
import express, { type RequestHandler } from "express";
import { deliveryLogEndpoint } from "./delivery/delivery-log-endpoint";
import type { ProviderDeps } from "./deps";
import { automatedApprovalEndpoint } from "./endpoints/automated-approval";
import { backchannelAuthenticationEndpoint } from "./endpoints/backchannel-authentication";
import { backchannelCancelEndpoint } from "./endpoints/backchannel-cancel";
import { demoUsersEndpoint } from "./endpoints/device/demo-users";
import { deviceHistoryEndpoint } from "./endpoints/device/history";
import { deviceLoginEndpoint, deviceLogoutEndpoint } from "./endpoints/device/login";
import { approveEndpoint, denyEndpoint, listDeviceRequestsEndpoint } from "./endpoints/device/requests";
import { requireDevice } from "./endpoints/device/session";
import { discoveryEndpoint } from "./endpoints/discovery";
import { jwksEndpoint } from "./endpoints/jwks";
import {
  deleteRegistrationEndpoint,
  readRegistrationEndpoint,
  registerEndpoint,
  updateRegistrationEndpoint,
} from "./endpoints/registration";
import { tokenEndpoint } from "./endpoints/token";
import { userinfoEndpoint } from "./endpoints/userinfo";
import { errorHandler, methodNotAllowed, notFound } from "./http/error-handler";
import { formBody } from "./http/form-body";
import { jsonBody } from "./http/json-body";
import { rejectNulInUrl } from "./http/nul-characters";
import { noStore } from "./http/no-store";
import { securityHeaders } from "./http/security-headers";
import type { Logger } from "./log";

/** One line per request: method, path, status, OAuth error code, duration. Never bodies or headers. */
function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const error = (res.locals as { oauthError?: string }).oauthError;
      log.info(`${req.method} ${req.path} ${res.statusCode}${error ? ` ${error}` : ""}`, { ms: Math.round(ms * 10) / 10 });
    });
    next();
  };
}

export function createApp(deps: ProviderDeps) {
  const { endpoints } = deps;
  const path = (url: string) => new URL(url).pathname;
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  // Behind a load balancer, the client address (per-IP rate limit) comes from X-Forwarded-For of trusted hops.
  app.set("trust proxy", deps.config.trustProxy);
  app.use(requestLog(deps.log));
  app.use(securityHeaders(deps.config.issuer));
  // Browsers may read Retry-After (PIN lock) and WWW-Authenticate (session expired) from Device API errors.
  app.use(cors({ origin: deps.config.corsOrigins, maxAge: 600, exposedHeaders: ["Retry-After", "WWW-Authenticate"] }));
  // After CORS, so a browser can read a 429 too.
  app.use(deps.rateLimits.perIp);
  app.use(rejectNulInUrl);

  app.route(path(endpoints.discovery)).get(discoveryEndpoint(deps)).all(methodNotAllowed(["GET"]));
  app.route(path(endpoints.jwks)).get(jwksEndpoint(deps)).all(methodNotAllowed(["GET"]));
  app
    .route(path(endpoints.backchannelAuthentication))
    .post(noStore, formBody(), backchannelAuthenticationEndpoint(deps))
    .all(methodNotAllowed(["POST"]));
  app.route(path(endpoints.token)).post(noStore, formBody(), tokenEndpoint(deps)).all(methodNotAllowed(["POST"]));
  // Client-initiated cancel: this platform's extension (see endpoints/backchannel-cancel.ts).
  app
    .route(path(endpoints.backchannelCancel))
    .post(noStore, formBody(), backchannelCancelEndpoint(deps))
    .all(methodNotAllowed(["POST"]));
  // Dynamic client registration (RFC 7591) and management (RFC 7592), when the deployment offers it.
  if (deps.config.registration.enabled) {
    app.route(path(endpoints.registration)).post(noStore, jsonBody(), registerEndpoint(deps)).all(methodNotAllowed(["POST"]));
    app
      .route(`${path(endpoints.registration)}/:clientId`)
      .get(noStore, readRegistrationEndpoint(deps))
      .put(noStore, jsonBody(), updateRegistrationEndpoint(deps))
      .delete(noStore, deleteRegistrationEndpoint(deps))
      .all(methodNotAllowed(["GET", "PUT", "DELETE"]));
  }
  app
    .route(path(endpoints.userinfo))
    .get(userinfoEndpoint(deps))
    .post(formBody(), userinfoEndpoint(deps))
    .all(methodNotAllowed(["GET", "POST"]));

  // The Authentication Device API.
  const device = requireDevice(deps);
  app.route("/device/login").post(noStore, jsonBody(), deviceLoginEndpoint(deps)).all(methodNotAllowed(["POST"]));
  app.route("/device/logout").post(device, deviceLogoutEndpoint(deps)).all(methodNotAllowed(["POST"]));
  app.route("/device/requests").get(device, listDeviceRequestsEndpoint(deps)).all(methodNotAllowed(["GET"]));
  app.route("/device/requests/:id/approve").post(device, jsonBody(), approveEndpoint(deps)).all(methodNotAllowed(["POST"]));
  app.route("/device/requests/:id/deny").post(device, jsonBody(), denyEndpoint(deps)).all(methodNotAllowed(["POST"]));
  app.route("/device/history").get(device, deviceHistoryEndpoint(deps)).all(methodNotAllowed(["GET"]));
  if (deps.config.profile === "demo") {
    app.route("/device/demo-users").get(demoUsersEndpoint(deps)).all(methodNotAllowed(["GET"]));
  }

  if (deps.config.automatedApproval) {
    app
      .route("/ciba/automated-approval")
      .post(noStore, formBody(), automatedApprovalEndpoint(deps))
      .all(methodNotAllowed(["POST"]));
  }

  // Ping and push delivery log of one auth_req_id, for its client.
  app
    .route("/ciba/deliveries")
    .get(noStore, deliveryLogEndpoint(deps))
    .post(noStore, formBody(), deliveryLogEndpoint(deps))
    .all(methodNotAllowed(["GET", "POST"]));

  app.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  app.use(notFound);
  app.use((error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    (res.locals as { oauthError?: string }).oauthError = (error as { error?: string }).error;
    next(error);
  });
  app.use(errorHandler(deps.log));
  return app;
}
