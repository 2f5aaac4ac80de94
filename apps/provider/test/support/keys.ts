// Client-side keys and JWTs for tests: key pairs a client registers, signed authentication requests,
// client assertions and login_hint_tokens, built with jose the way a client library would.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import type { JsonWebKeySet } from "@ciba/db";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export interface ClientKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public JWK as a client registers it. */
  publicJwk: JWK & { kid: string; alg: string; use: string; kty: string };
}

export async function clientKey(alg: "ES256" | "PS256" | "RS256" = "ES256", kid = `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`): Promise<ClientKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { alg, kid, privateKey, publicKey, publicJwk: { ...jwk, kty: jwk.kty!, kid, alg, use: "sig" } };
}

/** A public RSA JWK of 1024 bits, which jose will not even generate (for refusal tests). */
export function weakRsaJwk(kid: string): JWK {
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
  return { ...(publicKey.export({ format: "jwk" }) as JWK), kid, alg: "RS256", use: "sig" };
}

export function jwksOf(...keys: ClientKey[]): JsonWebKeySet {
  return { keys: keys.map((k) => k.publicJwk) };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * A signed authentication request (CIBA Core §7.1.1) with every required claim; `claims` overrides or,
 * with `undefined`, removes one.
 */
export async function signedRequest(
  key: ClientKey,
  clientId: string,
  audience: string,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const now = nowSeconds();
  const payload: Record<string, unknown> = {
    iss: clientId,
    aud: audience,
    iat: now,
    nbf: now,
    exp: now + 300,
    jti: randomUUID(),
    scope: "openid",
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, ...header }).sign(key.privateKey);
}

/** A private_key_jwt client assertion (RFC 7523 §3). */
export async function clientAssertion(key: ClientKey, clientId: string, audience: string, claims: Record<string, unknown> = {}): Promise<string> {
  const now = nowSeconds();
  return new SignJWT({ iss: clientId, sub: clientId, aud: audience, iat: now, exp: now + 60, jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .sign(key.privateKey);
}

/** The form parameters of private_key_jwt client authentication. */
export async function assertionParams(key: ClientKey, clientId: string, audience: string, claims: Record<string, unknown> = {}) {
  return { client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: await clientAssertion(key, clientId, audience, claims) };
}

/** A JWT with alg none: header and payload, empty signature. */
export function unsignedJwt(payload: Record<string, unknown>, header: Record<string, unknown> = { alg: "none" }): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part(header)}.${part(payload)}.`;
}

/** The same JWT with one signature character changed. */
export function corruptSignature(jwt: string): string {
  const [header, payload, signature] = jwt.split(".");
  const bytes = Buffer.from(signature!, "base64url");
  bytes[0] = bytes[0]! ^ 0xff;
  return `${header}.${payload}.${bytes.toString("base64url")}`;
}
