// private_key_jwt (RFC 7523 §3, OIDC Core §9): a JWT signed with one of the client's registered keys,
// iss = sub = client_id, an audience that names this provider, unexpired, and a jti never seen before.
import type { Client } from "@ciba/db";
import { type JWTPayload, jwtVerify } from "jose";
import type { ProviderDeps } from "../deps";
import { clientKeys } from "./client-keys";
import { invalidClient } from "./errors";
import { describeJwtFailure } from "./jwt-errors";

const ASYMMETRIC = ["RS256", "PS256", "ES256"];
const FAPI = ["PS256", "ES256"];

/** Audiences that identify this provider (CIBA Core §7.1: issuer, token endpoint or BA endpoint URL). */
export function providerAudiences(deps: ProviderDeps): string[] {
  return [deps.config.issuer, deps.endpoints.token, deps.endpoints.backchannelAuthentication];
}

export async function verifyClientAssertion(deps: ProviderDeps, client: Client, assertion: string): Promise<void> {
  if (client.tokenEndpointAuthMethod === "client_secret_jwt") {
    throw invalidClient("client_secret_jwt is not available for this client");
  }
  const keys = clientKeys(client);
  if (!keys) throw invalidClient("the client has registered no keys to verify its client_assertion");

  let algorithms = client.fapiCiba ? FAPI : ASYMMETRIC;
  if (client.tokenEndpointAuthSigningAlg) algorithms = algorithms.filter((a) => a === client.tokenEndpointAuthSigningAlg);

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(assertion, keys, {
      algorithms,
      issuer: client.clientId,
      subject: client.clientId,
      audience: providerAudiences(deps),
      currentDate: deps.clock.now(),
      clockTolerance: 30,
      requiredClaims: ["exp", "jti"],
    }));
  } catch (error) {
    throw invalidClient(describeJwtFailure("client_assertion", error), error);
  }

  const now = deps.clock.now();
  const expiresAt = new Date(payload.exp! * 1000);
  const fresh = await deps.repos.usedJtis.use(`client_assertion:${client.clientId}:${payload.jti}`, expiresAt, now);
  if (!fresh) throw invalidClient("client_assertion jti has already been used");
}
