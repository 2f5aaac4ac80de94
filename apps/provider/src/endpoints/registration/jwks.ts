// A registered JSON Web Key Set must hold public signing keys the provider can use: RSA of at least
// 2048 bits (FAPI 1.0 Baseline §5.2.2-5 asks as much of everyone worth asking) or EC P-256, no private
// or symmetric material, kids unique, each key importable.
import type { JsonWebKeySet } from "@ciba/db";
import { importJWK, type JWK } from "jose";
import { OAuthError, quote } from "../../errors";

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const MIN_RSA_BITS = 2048;

const invalidMetadata = (description: string, cause?: unknown) => new OAuthError("invalid_client_metadata", description, { cause });

/** The RSA modulus size in bits, from the base64url `n`. */
function rsaBits(n: unknown): number {
  if (typeof n !== "string") return 0;
  const bytes = Buffer.from(n, "base64url");
  const first = bytes.findIndex((b) => b !== 0);
  if (first === -1) return 0;
  return (bytes.length - first) * 8 - Math.clz32(bytes[first]!) + 24;
}

/** The algorithm a key is imported for when it names none. */
function defaultAlg(key: Record<string, unknown>): string {
  return key.kty === "RSA" ? "PS256" : "ES256";
}

export async function validateJwks(jwks: JsonWebKeySet): Promise<JsonWebKeySet> {
  const kids = new Set<string>();
  for (const [index, key] of jwks.keys.entries()) {
    const where = `jwks key ${typeof key.kid === "string" ? quote(key.kid, 40) : index}`;
    if (PRIVATE_MEMBERS.some((member) => Object.hasOwn(key, member))) {
      throw invalidMetadata(`${where} contains private or symmetric key material; register public keys only`);
    }
    if (key.kty !== "RSA" && key.kty !== "EC") throw invalidMetadata(`${where} must be an RSA or EC key`);
    if (key.use !== undefined && key.use !== "sig") throw invalidMetadata(`${where} must be a signing key (use sig)`);
    if (key.kty === "RSA" && rsaBits(key.n) < MIN_RSA_BITS) {
      throw invalidMetadata(`${where} is an RSA key shorter than ${MIN_RSA_BITS} bits`);
    }
    if (key.kty === "EC" && key.crv !== "P-256") throw invalidMetadata(`${where} must use the P-256 curve`);
    if (key.kid !== undefined) {
      if (typeof key.kid !== "string" || !key.kid) throw invalidMetadata(`${where} has a kid that is not a string`);
      if (kids.has(key.kid)) throw invalidMetadata(`${where} has a kid used by another key of the set`);
      kids.add(key.kid);
    }
    try {
      await importJWK(key as JWK, typeof key.alg === "string" ? key.alg : defaultAlg(key));
    } catch (error) {
      throw invalidMetadata(`${where} is not a valid public key for its alg`, error);
    }
  }
  return jwks;
}
