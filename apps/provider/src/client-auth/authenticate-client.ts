// Client authentication at the token and backchannel authentication endpoints (RFC 6749 §2.3,
// OIDC Core §9, CIBA Core §7.1): exactly one method, the one the client registered, or invalid_client.
import type { Client } from "@ciba/db";
import type { ClientAuthMethod } from "@ciba/protocol";
import type { Request } from "express";
import type { ProviderDeps } from "../deps";
import { OAuthError, quote } from "../errors";
import type { FormParams } from "../http/form-body";
import { verifyClientAssertion } from "./client-assertion";
import { verifyClientSecret } from "./client-secret";
import { invalidClient } from "./errors";

export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** The parameters that belong to client authentication, not to the endpoint's own request. */
export const clientAuthParams = ["client_id", "client_secret", "client_assertion", "client_assertion_type"] as const;

/** What the request presented, before anything is verified. */
type Presented =
  | { kind: "basic"; clientId: string; secret: string }
  | { kind: "post"; clientId: string; secret: string }
  | { kind: "assertion"; clientId: string | undefined; assertion: string };

function decodeBasicPart(part: string): string {
  try {
    // RFC 6749 §2.3.1: client_id and secret are form-urlencoded before Basic encoding.
    const decoded = decodeURIComponent(part.replace(/\+/g, " "));
    if (!decoded.includes("\u0000")) return decoded;
  } catch {
    // refused below
  }
  throw invalidClient("the Authorization header is not valid Basic credentials");
}

function parseBasic(header: string): { clientId: string; secret: string } {
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header.trim());
  if (!match) throw invalidClient("the Authorization header is not valid Basic credentials");
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) throw invalidClient("the Authorization header is not valid Basic credentials");
  return { clientId: decodeBasicPart(decoded.slice(0, colon)), secret: decodeBasicPart(decoded.slice(colon + 1)) };
}

/** Finds out which single method the request uses; more than one is invalid_request (RFC 6749 §2.3). */
function presentedCredentials(req: Request, params: FormParams): Presented {
  const authorization = req.headers.authorization;
  const basic = authorization?.toLowerCase().startsWith("basic ") ? parseBasic(authorization) : undefined;
  const { client_id, client_secret, client_assertion, client_assertion_type } = params;
  const used = [basic, client_secret, client_assertion].filter((x) => x !== undefined).length;
  if (used > 1) {
    throw new OAuthError("invalid_request", "more than one client authentication method is used");
  }
  if (basic) {
    if (client_id !== undefined && client_id !== basic.clientId) {
      throw invalidClient("client_id does not match the Basic credentials");
    }
    return { kind: "basic", ...basic };
  }
  if (client_assertion !== undefined || client_assertion_type !== undefined) {
    if (client_assertion_type !== CLIENT_ASSERTION_TYPE) {
      throw invalidClient(`client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`);
    }
    if (!client_assertion) throw invalidClient("client_assertion is required with client_assertion_type");
    return { kind: "assertion", clientId: client_id || undefined, assertion: client_assertion };
  }
  if (client_secret !== undefined) {
    if (!client_id) throw invalidClient("client_id is required with client_secret");
    return { kind: "post", clientId: client_id, secret: client_secret };
  }
  throw invalidClient(client_id ? "client authentication is required" : "client authentication is required: no client credentials");
}

function methodOf(presented: Presented, client: Client): ClientAuthMethod {
  if (presented.kind === "basic") return "client_secret_basic";
  if (presented.kind === "post") return "client_secret_post";
  // Both JWT methods present an assertion; the registration says which one the client uses.
  return client.tokenEndpointAuthMethod === "client_secret_jwt" ? "client_secret_jwt" : "private_key_jwt";
}

/** Reads the unverified `sub` of an assertion to find the client when no client_id is sent. */
function assertionSubject(assertion: string): string {
  const payload = assertion.split(".")[1];
  try {
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as { sub?: unknown; iss?: unknown };
    if (typeof claims.sub === "string" && claims.sub && !claims.sub.includes("\u0000")) return claims.sub;
  } catch {
    // fall through
  }
  throw invalidClient("client_assertion is not a JWT naming the client in sub");
}

/** Authenticates the calling client with the method it registered. */
export async function authenticateClient(deps: ProviderDeps, req: Request, params: FormParams): Promise<Client> {
  const presented = presentedCredentials(req, params);
  const clientId = presented.clientId ?? (presented.kind === "assertion" ? assertionSubject(presented.assertion) : "");
  const client = await deps.repos.clients.findById(clientId);
  if (!client) throw invalidClient("client authentication failed: unknown client");

  const method = methodOf(presented, client);
  if (method !== client.tokenEndpointAuthMethod) {
    throw invalidClient(`the client is registered for ${client.tokenEndpointAuthMethod}, not ${method}`);
  }
  if (presented.kind === "assertion") {
    await verifyClientAssertion(deps, client, presented.assertion);
  } else {
    verifyClientSecret(deps, client, presented.secret);
  }
  if (client.fapiCiba && method !== "private_key_jwt") {
    throw invalidClient(`FAPI-CIBA clients must authenticate with private_key_jwt, not ${quote(method)}`);
  }
  // Counted once authenticated: nobody can spend another client's allowance with its client_id alone.
  await deps.rateLimits.consumeClient(client.clientId);
  return client;
}
