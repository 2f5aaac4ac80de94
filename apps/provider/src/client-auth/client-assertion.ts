// JWT client authentication (RFC 7523 §3, OIDC Core §9): private_key_jwt, signed with one of the
// client's registered keys, and client_secret_jwt, an HMAC keyed by the client secret. Either way:
// iss = sub = client_id, an audience that names this provider, unexpired, and a jti never seen before.
import type { Client } from "@ciba/db";
import { clientSecretJwtAlgs, fapiSigningAlgs, signingAlgs } from "@ciba/protocol";
import { type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import type { ProviderDeps } from "../deps";
import { clientKeys } from "./client-keys";
import { invalidClient } from "./errors";
import { describeJwtFailure } from "./jwt-errors";

/** Audiences that identify this provider (CIBA Core §7.1: issuer, token endpoint or BA endpoint URL). */
export function providerAudiences(deps: ProviderDeps): string[] {
  return [deps.config.issuer, deps.endpoints.token, deps.endpoints.backchannelAuthentication];
}

interface Verification {
  key: JWTVerifyGetKey | Uint8Array;
  algorithms: string[];
}

/** private_key_jwt: the registered public keys; FAPI-CIBA clients PS256 or ES256 only. */
function publicKeyVerification(deps: ProviderDeps, client: Client): Verification {
  const keys = clientKeys(deps, client);
  if (!keys) throw invalidClient("the client has registered no keys to verify its client_assertion");
  return { key: keys, algorithms: client.fapiCiba ? [...fapiSigningAlgs] : [...signingAlgs] };
}

/** client_secret_jwt: the secret, decrypted from the ciphertext only the provider's KEK opens. */
function secretVerification(deps: ProviderDeps, client: Client): Verification {
  if (!deps.secretBox || !client.secretCiphertext) {
    throw invalidClient("client_secret_jwt is not available for this client");
  }
  if (client.secretExpiresAt && client.secretExpiresAt <= deps.clock.now()) {
    throw invalidClient("client authentication failed: the client secret has expired");
  }
  // A ciphertext that does not open is the deployment's fault (a changed KEK), not the caller's: the
  // TypeError surfaces as a logged server_error.
  const secret = deps.secretBox.open(client.clientId, client.secretCiphertext);
  return { key: new TextEncoder().encode(secret), algorithms: [...clientSecretJwtAlgs] };
}

export async function verifyClientAssertion(deps: ProviderDeps, client: Client, assertion: string): Promise<void> {
  const verification =
    client.tokenEndpointAuthMethod === "client_secret_jwt" ? secretVerification(deps, client) : publicKeyVerification(deps, client);
  let { algorithms } = verification;
  if (client.tokenEndpointAuthSigningAlg) algorithms = algorithms.filter((a) => a === client.tokenEndpointAuthSigningAlg);

  let payload: JWTPayload;
  try {
    const options = {
      algorithms,
      issuer: client.clientId,
      subject: client.clientId,
      audience: providerAudiences(deps),
      currentDate: deps.clock.now(),
      clockTolerance: 30,
      requiredClaims: ["exp", "jti"],
    };
    ({ payload } =
      verification.key instanceof Uint8Array
        ? await jwtVerify(assertion, verification.key, options)
        : await jwtVerify(assertion, verification.key, options));
  } catch (error) {
    throw invalidClient(describeJwtFailure("client_assertion", error), error);
  }

  const now = deps.clock.now();
  const expiresAt = new Date(payload.exp! * 1000);
  const fresh = await deps.repos.usedJtis.use(`client_assertion:${client.clientId}:${payload.jti}`, expiresAt, now);
  if (!fresh) throw invalidClient("client_assertion jti has already been used");
}
