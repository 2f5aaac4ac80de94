// Dynamic client registration (RFC 7591) and its management protocol (RFC 7592):
//   POST   /register              metadata → 201 client information with client_secret (if any) and a
//                                 registration access token (initial access token first, when required)
//   GET    /register/{client_id}  → 200 client information
//   PUT    /register/{client_id}  full replacement of the metadata → 200 client information
//   DELETE /register/{client_id}  → 204; the client, its requests and grants are gone
// Secrets are stored hashed; a client_secret_jwt secret also sealed by the secret box. The registration
// access token is stored hashed too, so it cannot be shown again: every GET and PUT answer carries a new
// one (RFC 7592 §3 requires it in the response) and the previous one stops working.
import { type Client, hashToken, randomToken, tokenMatchesHash } from "@ciba/db";
import type { RequestHandler } from "express";
import type { ProviderDeps } from "../../deps";
import { OAuthError } from "../../errors";
import { clientOfRegistrationToken, requireInitialAccessToken } from "./access";
import { type ClientSettings, clientIdOfUpdate, validateClientMetadata } from "./metadata";
import { clientInformation, registrationClientUri } from "./response";

const SECRET_METHODS = ["client_secret_basic", "client_secret_post", "client_secret_jwt"];

interface SecretColumns {
  secretHash: string | null;
  secretCiphertext: string | null;
}

/** The stored forms of a new secret: its hash, and for client_secret_jwt its ciphertext. */
function storeSecret(deps: ProviderDeps, clientId: string, settings: ClientSettings, secret: string): SecretColumns {
  const sealed = settings.tokenEndpointAuthMethod === "client_secret_jwt" ? deps.secretBox!.seal(clientId, secret) : null;
  return { secretHash: hashToken(secret), secretCiphertext: sealed };
}

/**
 * The secret columns after an update: kept when the client stays on a secret method that can use what
 * is stored, dropped when it leaves secrets behind, new when it needs a form that is not stored (a hash
 * cannot become the ciphertext client_secret_jwt needs).
 */
function updatedSecret(deps: ProviderDeps, client: Client, settings: ClientSettings): SecretColumns & { issued?: string } {
  if (!SECRET_METHODS.includes(settings.tokenEndpointAuthMethod)) return { secretHash: null, secretCiphertext: null };
  const needsCiphertext = settings.tokenEndpointAuthMethod === "client_secret_jwt";
  if (client.secretHash && (!needsCiphertext || client.secretCiphertext)) {
    return { secretHash: client.secretHash, secretCiphertext: needsCiphertext ? client.secretCiphertext : null };
  }
  const issued = randomToken(32);
  return { ...storeSecret(deps, client.clientId, settings, issued), issued };
}

export function registerEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    requireInitialAccessToken(deps, req);
    const clientId = randomToken(16);
    const settings = await validateClientMetadata(deps, req.body, clientId);
    const clientSecret = SECRET_METHODS.includes(settings.tokenEndpointAuthMethod) ? randomToken(32) : undefined;
    const registrationAccessToken = randomToken(32);
    const client = await deps.repos.clients.create({
      clientId,
      ...settings,
      ...(clientSecret ? storeSecret(deps, clientId, settings, clientSecret) : { secretHash: null, secretCiphertext: null }),
      secretExpiresAt: null,
      registrationAccessTokenHash: hashToken(registrationAccessToken),
    });
    deps.log.info("client registered", { client_id: clientId, method: client.tokenEndpointAuthMethod, mode: client.deliveryMode, fapi_ciba: client.fapiCiba });
    res.status(201).location(registrationClientUri(deps, clientId)).json(clientInformation(deps, client, { clientSecret, registrationAccessToken }));
  };
}

/** Issues the next registration access token; the presented one stops working. */
async function rotateRegistrationToken(deps: ProviderDeps, clientId: string): Promise<{ client: Client; token: string }> {
  const token = randomToken(32);
  const client = await deps.repos.clients.update(clientId, { registrationAccessTokenHash: hashToken(token) });
  return { client, token };
}

export function readRegistrationEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    const current = await clientOfRegistrationToken(deps, req);
    const { client, token } = await rotateRegistrationToken(deps, current.clientId);
    res.json(clientInformation(deps, client, { registrationAccessToken: token }));
  };
}

export function updateRegistrationEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    const current = await clientOfRegistrationToken(deps, req);
    const { clientId, clientSecret } = clientIdOfUpdate(req.body);
    if (clientId !== current.clientId) {
      throw new OAuthError("invalid_client_metadata", "client_id in the body must be the client_id of the registration being updated");
    }
    if (clientSecret !== undefined && !(typeof clientSecret === "string" && current.secretHash && tokenMatchesHash(clientSecret, current.secretHash))) {
      throw new OAuthError("invalid_client_metadata", "client_secret in the body does not match the client's current secret");
    }
    const settings = await validateClientMetadata(deps, req.body, current.clientId);
    const { issued, ...secret } = updatedSecret(deps, current, settings);
    const token = randomToken(32);
    const client = await deps.repos.clients.update(current.clientId, {
      ...settings,
      ...secret,
      registrationAccessTokenHash: hashToken(token),
    });
    deps.log.info("client registration updated", { client_id: client.clientId });
    res.json(clientInformation(deps, client, { clientSecret: issued, registrationAccessToken: token }));
  };
}

export function deleteRegistrationEndpoint(deps: ProviderDeps): RequestHandler {
  return async (req, res) => {
    const client = await clientOfRegistrationToken(deps, req);
    await deps.repos.clients.delete(client.clientId);
    deps.log.info("client registration deleted", { client_id: client.clientId });
    res.status(204).end();
  };
}
