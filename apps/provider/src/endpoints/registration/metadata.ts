// Client metadata validation for dynamic registration (RFC 7591 §2) and updates (RFC 7592 §2.2): the
// shape checks of @ciba/protocol, then the rules that tie fields together (CIBA Core §4, RFC 9449 §5.2,
// the FAPI-CIBA profile), then defaults. Every failure is 400 invalid_client_metadata, except a bad
// redirect URI, which is invalid_redirect_uri (RFC 7591 §3.2.2).
import type { NewClient } from "@ciba/db";
import {
  CIBA_GRANT_TYPE,
  type ClientAuthMethod,
  type ClientRegistrationRequest,
  clientRegistrationRequestSchema,
  clientSecretJwtAlgs,
  fapiSigningAlgs,
  REFRESH_TOKEN_GRANT_TYPE,
  signingAlgs,
  supportedScopes,
} from "@ciba/protocol";
import type { ProviderDeps } from "../../deps";
import { type EndpointUse, jwksUriUse, notificationEndpointUse, UnsafeEndpointError, validateEndpoint } from "../../delivery/endpoint-safety";
import { OAuthError, quote } from "../../errors";
import { validateJwks } from "./jwks";

/** What a registration decides about a client, apart from its identifiers and credentials. */
export type ClientSettings = Omit<
  NewClient,
  "clientId" | "secretHash" | "secretCiphertext" | "secretExpiresAt" | "registrationAccessTokenHash"
>;

/** Metadata stored as registered and echoed back, with no meaning to the provider. */
const DESCRIPTIVE = ["redirect_uris", "response_types", "contacts", "client_uri", "logo_uri", "policy_uri", "tos_uri", "software_id", "software_version"] as const;

const invalid = (description: string, cause?: unknown) => new OAuthError("invalid_client_metadata", description, { cause });

function parse(body: unknown): ClientRegistrationRequest {
  const result = clientRegistrationRequestSchema.safeParse(body);
  if (!result.success) throw invalid(quote(result.error.issues[0]?.message ?? "the registration request is malformed", 200));
  return result.data;
}

/** An absolute web URL: https, or http as well in the demo profile; no credentials, no fragment. */
function checkUrl(deps: ProviderDeps, field: string, value: string, code: "invalid_client_metadata" | "invalid_redirect_uri" = "invalid_client_metadata"): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OAuthError(code, `${field} must contain absolute URLs`);
  }
  const schemes = deps.config.profile === "production" ? ["https:"] : ["https:", "http:"];
  if (!schemes.includes(url.protocol)) {
    throw new OAuthError(code, deps.config.profile === "production" ? `${field} must use https` : `${field} must use http or https`);
  }
  if (url.username || url.password) throw new OAuthError(code, `${field} must not contain credentials`);
  if (value.includes("#")) throw new OAuthError(code, `${field} must not contain a fragment`);
  return value;
}

/**
 * A URL the provider will call (SSRF, checklist §15.4): the host must resolve, under the profile, only
 * to addresses the provider may call; the same check runs again at every call.
 */
async function checkCallableUrl(deps: ProviderDeps, use: EndpointUse, value: string): Promise<string> {
  try {
    await validateEndpoint(use, value, deps.config.profile, deps.resolve);
  } catch (error) {
    if (error instanceof UnsafeEndpointError) throw invalid(error.message, error);
    throw error;
  }
  return value;
}

function checkGrantTypes(requested: string[] | undefined): string[] {
  const grantTypes = [...new Set(requested ?? [CIBA_GRANT_TYPE])];
  for (const grantType of grantTypes) {
    if (grantType !== CIBA_GRANT_TYPE && grantType !== REFRESH_TOKEN_GRANT_TYPE) {
      throw invalid(`grant_type ${quote(grantType)} is not supported: this provider serves the CIBA and refresh_token grants`);
    }
  }
  if (!grantTypes.includes(CIBA_GRANT_TYPE)) throw invalid(`grant_types must include ${CIBA_GRANT_TYPE}`);
  return grantTypes;
}

function checkScope(scope: string | undefined): string[] | null {
  if (scope === undefined) return null;
  const values = [...new Set(scope.split(" ").filter(Boolean))];
  for (const value of values) {
    if (!(supportedScopes as string[]).includes(value)) throw invalid(`scope ${quote(value)} is not supported`);
  }
  return values;
}

/** CIBA Core §7.1: the client authenticates at the backchannel endpoint, so public clients cannot use CIBA. */
function checkAuthMethod(deps: ProviderDeps, request: ClientRegistrationRequest): ClientAuthMethod {
  const method = request.token_endpoint_auth_method ?? "client_secret_basic";
  if (method === "none") throw invalid("token_endpoint_auth_method none is not allowed: CIBA clients must authenticate");
  if (method === "client_secret_jwt" && !deps.secretBox) {
    throw invalid("client_secret_jwt is not available on this provider (no client secret encryption key is configured)");
  }
  const alg = request.token_endpoint_auth_signing_alg;
  if (alg !== undefined) {
    if (method === "private_key_jwt" && !(signingAlgs as readonly string[]).includes(alg)) {
      throw invalid(`token_endpoint_auth_signing_alg ${alg} does not suit private_key_jwt: use ${signingAlgs.join(", ")}`);
    }
    if (method === "client_secret_jwt" && !(clientSecretJwtAlgs as readonly string[]).includes(alg)) {
      throw invalid(`token_endpoint_auth_signing_alg ${alg} does not suit client_secret_jwt: use ${clientSecretJwtAlgs.join(", ")}`);
    }
    if (method !== "private_key_jwt" && method !== "client_secret_jwt") {
      throw invalid("token_endpoint_auth_signing_alg applies to private_key_jwt and client_secret_jwt only");
    }
  }
  return method;
}

/** CIBA Core §4: the delivery mode, and the notification endpoint ping and push need, checked for SSRF. */
async function checkDelivery(deps: ProviderDeps, request: ClientRegistrationRequest) {
  const mode = request.backchannel_token_delivery_mode;
  if (!mode) throw invalid("backchannel_token_delivery_mode is required for the CIBA grant");
  if (!deps.config.ciba.deliveryModes.includes(mode)) throw invalid(`backchannel_token_delivery_mode ${mode} is not supported`);
  const endpoint = request.backchannel_client_notification_endpoint;
  if (mode === "poll") {
    if (endpoint !== undefined) throw invalid("backchannel_client_notification_endpoint applies to ping and push modes only");
    return { deliveryMode: mode, notificationEndpoint: null };
  }
  if (endpoint === undefined) throw invalid(`backchannel_client_notification_endpoint is required for ${mode} mode`);
  return { deliveryMode: mode, notificationEndpoint: await checkCallableUrl(deps, notificationEndpointUse, endpoint) };
}

/** jwks or jwks_uri (not both); required by private_key_jwt and signed authentication requests. */
async function checkKeys(deps: ProviderDeps, request: ClientRegistrationRequest, method: ClientAuthMethod) {
  const { jwks, jwks_uri: jwksUri } = request;
  if (jwks && jwksUri) throw invalid("jwks and jwks_uri must not both be present");
  if (!jwks && !jwksUri) {
    if (method === "private_key_jwt") throw invalid("private_key_jwt needs the client's public keys in jwks or jwks_uri");
    if (request.backchannel_authentication_request_signing_alg) {
      throw invalid("backchannel_authentication_request_signing_alg needs the client's public keys in jwks or jwks_uri");
    }
  }
  return {
    jwks: jwks ? await validateJwks(jwks) : null,
    // The wording of checkUrl first (as for every URL field), then the addresses the provider may fetch from.
    jwksUri: jwksUri ? await checkCallableUrl(deps, jwksUriUse, checkUrl(deps, "jwks_uri", jwksUri)) : null,
  };
}

/** The FAPI-CIBA profile (FAPI-CIBA §5.2.2, FAPI 1.0 Advanced §5.2.2, §8.6), enforced at registration. */
function checkFapi(request: ClientRegistrationRequest, method: ClientAuthMethod, deliveryMode: string): void {
  const fapi = (alg: string | undefined) => alg === undefined || (fapiSigningAlgs as readonly string[]).includes(alg);
  if (deliveryMode === "push") throw invalid("FAPI-CIBA clients may not use push mode");
  if (method !== "private_key_jwt") throw invalid("FAPI-CIBA clients must use private_key_jwt");
  if (!request.backchannel_authentication_request_signing_alg) {
    throw invalid("FAPI-CIBA clients must register backchannel_authentication_request_signing_alg (PS256 or ES256)");
  }
  for (const field of ["backchannel_authentication_request_signing_alg", "token_endpoint_auth_signing_alg", "id_token_signed_response_alg"] as const) {
    if (!fapi(request[field])) throw invalid(`${field} must be PS256 or ES256 for FAPI-CIBA clients`);
  }
}

/** Validates a registration or update request body; returns the client settings with defaults applied. */
export async function validateClientMetadata(deps: ProviderDeps, body: unknown, clientId: string): Promise<ClientSettings> {
  const request = parse(body);
  if (request.response_types !== undefined && request.response_types.length > 0) {
    throw invalid("response_types must be empty: this provider has no authorization endpoint");
  }
  for (const uri of request.redirect_uris ?? []) checkUrl(deps, "redirect_uris", uri, "invalid_redirect_uri");
  for (const field of ["client_uri", "logo_uri", "policy_uri", "tos_uri"] as const) {
    if (request[field] !== undefined) checkUrl(deps, field, request[field]);
  }

  const grantTypes = checkGrantTypes(request.grant_types);
  const scope = checkScope(request.scope);
  const method = checkAuthMethod(deps, request);
  const delivery = await checkDelivery(deps, request);
  const fapiCiba = request.fapi_ciba ?? false;
  if (fapiCiba) checkFapi(request, method, delivery.deliveryMode);
  const keys = await checkKeys(deps, request, method);

  const metadata: Record<string, unknown> = {};
  for (const field of DESCRIPTIVE) if (request[field] !== undefined) metadata[field] = request[field];

  return {
    name: request.client_name ?? clientId,
    tokenEndpointAuthMethod: method,
    tokenEndpointAuthSigningAlg: request.token_endpoint_auth_signing_alg ?? null,
    grantTypes,
    scope,
    ...delivery,
    requestSigningAlg: request.backchannel_authentication_request_signing_alg ?? null,
    userCodeParameter: request.backchannel_user_code_parameter ?? false,
    // FAPI clients default to PS256 (FAPI forbids RS256); others to RS256, OIDC's default.
    idTokenSignedResponseAlg: request.id_token_signed_response_alg ?? (fapiCiba ? "PS256" : "RS256"),
    ...keys,
    fapiCiba,
    dpopBoundAccessTokens: request.dpop_bound_access_tokens ?? false,
    metadata,
  };
}

/** RFC 7592 §2.2: an update repeats the client_id, and a client_secret it carries must be the current one. */
export function clientIdOfUpdate(body: unknown): { clientId: unknown; clientSecret: unknown } {
  const fields = body && typeof body === "object" ? (body as Record<string, unknown>) : {};
  return { clientId: fields.client_id, clientSecret: fields.client_secret };
}
