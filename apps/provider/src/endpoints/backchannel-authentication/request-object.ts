// Where the authentication request parameters come from (CIBA Core §7.1.1): the form, or the claims of
// a signed authentication request (`request`). With a signed request, parameters outside the JWT are
// ignored (decision 3), except the client authentication ones, which authenticateClient has used.
// Every failure is 400 invalid_request (CIBA Core §13 has no invalid_request_object), with a precise
// description. request_uri is not part of CIBA.
import type { Client } from "@ciba/db";
import { fapiSigningAlgs, signingAlgs } from "@ciba/protocol";
import { decodeProtectedHeader, type JWTPayload, jwtVerify, type ProtectedHeaderParameters } from "jose";
import { clientKeys } from "../../client-auth/client-keys";
import { describeJwtFailure } from "../../client-auth/jwt-errors";
import { epochSeconds } from "../../clock";
import type { ProviderDeps } from "../../deps";
import { OAuthError, quote } from "../../errors";
import type { FormParams } from "../../http/form-body";
import { pickRequestParams, type RequestParams } from "./params";

/** The claims every signed authentication request carries (CIBA Core §7.1.1). */
const REQUIRED_CLAIMS = ["aud", "iss", "exp", "iat", "nbf", "jti"];
/** `typ` values a request object may declare (RFC 9101 §10.8; plain JWT), compared case-insensitively. */
const ACCEPTED_TYP = ["oauth-authz-req+jwt", "jwt"];
/** Clock skew tolerated on exp, nbf and iat. */
const SKEW_SECONDS = 30;
/** FAPI-CIBA §5.2.2-9, FAPI 1.0 Advanced §5.2.2-13/-17: at most 60 minutes of validity, nbf at most 60 minutes old. */
const FAPI_MAX_LIFETIME_SECONDS = 3600;

const invalid = (description: string, cause?: unknown) => new OAuthError("invalid_request", description, { cause });

/** The parameters of this authentication request, from a verified signed request or from the form. */
export async function effectiveParams(deps: ProviderDeps, client: Client, form: FormParams): Promise<RequestParams> {
  if (form.request_uri !== undefined) {
    throw invalid("request_uri is not supported at the backchannel authentication endpoint");
  }
  if (form.request === undefined || form.request === "") {
    if (client.requestSigningAlg || client.fapiCiba) {
      throw invalid(
        client.fapiCiba
          ? "FAPI-CIBA clients must send a signed authentication request (request)"
          : "this client registered backchannel_authentication_request_signing_alg and must send a signed authentication request (request)",
      );
    }
    return pickRequestParams(form);
  }
  const claims = await verifyRequestObject(deps, client, form.request);
  return pickRequestParams(claims);
}

/** The algorithms this client's request objects may use: asymmetric only, narrowed by registration and FAPI. */
function allowedAlgorithms(client: Client): string[] {
  let algorithms: string[] = client.fapiCiba ? [...fapiSigningAlgs] : [...signingAlgs];
  if (client.requestSigningAlg) algorithms = algorithms.filter((alg) => alg === client.requestSigningAlg);
  return algorithms;
}

/** Header checks before any key is looked at, so a wrong alg gets a precise description. */
function checkHeader(client: Client, jwt: string): ProtectedHeaderParameters {
  if (jwt.split(".").length === 5) throw invalid("request must be a signed JWT, not an encrypted one");
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(jwt);
  } catch (error) {
    throw invalid("request is not a valid signed JWT", error);
  }
  const alg = typeof header.alg === "string" ? header.alg : "";
  if (alg === "none" || alg === "" || /^HS/i.test(alg)) {
    throw invalid(`request must be signed with an asymmetric algorithm, not ${quote(alg || "none")}`);
  }
  const algorithms = allowedAlgorithms(client);
  if (!algorithms.includes(alg)) {
    const why =
      client.fapiCiba && !(fapiSigningAlgs as readonly string[]).includes(alg)
        ? "FAPI-CIBA allows PS256 and ES256 only"
        : client.requestSigningAlg
          ? `the client registered backchannel_authentication_request_signing_alg ${client.requestSigningAlg}`
          : `supported algorithms are ${algorithms.join(", ")}`;
    throw invalid(`request is signed with ${quote(alg)}, which is not allowed: ${why}`);
  }
  if (header.typ !== undefined) {
    const typ = typeof header.typ === "string" ? header.typ.toLowerCase().replace(/^application\//, "") : "";
    if (!ACCEPTED_TYP.includes(typ)) throw invalid(`request has typ ${quote(String(header.typ))}; expected oauth-authz-req+jwt or JWT`);
  }
  return header;
}

/** Verifies the signed authentication request and returns its claims (CIBA Core §7.1.1, §7.2 step 2). */
async function verifyRequestObject(deps: ProviderDeps, client: Client, jwt: string): Promise<JWTPayload> {
  checkHeader(client, jwt);
  const keys = clientKeys(deps, client);
  if (!keys) throw invalid("request cannot be verified: the client has registered no keys (jwks or jwks_uri)");

  const now = deps.clock.now();
  let claims: JWTPayload;
  try {
    ({ payload: claims } = await jwtVerify(jwt, keys, {
      algorithms: allowedAlgorithms(client),
      issuer: client.clientId,
      // FAPI 1.0 Advanced §5.2.2-15 wants the issuer itself; others may also name the endpoint (decision 12).
      audience: client.fapiCiba ? deps.config.issuer : [deps.config.issuer, deps.endpoints.backchannelAuthentication],
      currentDate: now,
      clockTolerance: SKEW_SECONDS,
      requiredClaims: REQUIRED_CLAIMS,
    }));
  } catch (error) {
    throw invalid(describeJwtFailure("request", error), error);
  }
  checkTimes(client, claims, epochSeconds(now));
  checkContents(client, claims);
  await rejectReplay(deps, client, claims, now);
  return claims;
}

/** iat must not be in the future; FAPI-CIBA bounds the request's lifetime and age. */
function checkTimes(client: Client, claims: JWTPayload, now: number): void {
  const { iat, nbf, exp } = claims as { iat: number; nbf: number; exp: number };
  if (typeof iat !== "number") throw invalid("request has an invalid iat claim");
  if (iat > now + SKEW_SECONDS) throw invalid("request was issued in the future (iat)");
  if (exp <= nbf) throw invalid("request exp must be after nbf");
  if (!client.fapiCiba) return;
  if (nbf < now - FAPI_MAX_LIFETIME_SECONDS) {
    throw invalid("request nbf must not be more than 60 minutes in the past for FAPI-CIBA clients");
  }
  if (exp - nbf > FAPI_MAX_LIFETIME_SECONDS) {
    throw invalid("request lifetime (exp - nbf) must not exceed 60 minutes for FAPI-CIBA clients");
  }
}

/** What the claims may not say: another client, a nested request, a non-string jti. */
function checkContents(client: Client, claims: JWTPayload): void {
  if (typeof claims.jti !== "string" || claims.jti === "" || claims.jti.length > 256) {
    throw invalid("request jti must be a non-empty string of at most 256 characters");
  }
  if (claims.client_id !== undefined && claims.client_id !== client.clientId) {
    throw invalid("request client_id claim does not match the authenticated client");
  }
  if (claims.request !== undefined || claims.request_uri !== undefined) {
    throw invalid("request must not contain request or request_uri claims");
  }
}

/** A jti seen before, while its request is still valid, is a replay (CIBA Core §7.1.1, FAPI-CIBA). */
async function rejectReplay(deps: ProviderDeps, client: Client, claims: JWTPayload, now: Date): Promise<void> {
  const keepUntil = new Date((claims.exp! + SKEW_SECONDS) * 1000);
  const fresh = await deps.repos.usedJtis.use(`request_object:${client.clientId}:${claims.jti}`, keepUntil, now);
  if (!fresh) throw invalid("request jti has already been used");
}
