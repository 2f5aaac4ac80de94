// at_hash / rt_hash: the left-most half of the hash of the token's ASCII octets, base64url, with the
// hash function of the ID token's signing algorithm (OIDC Core §3.3.2.11, CIBA Core §10.3.1).
import { createHash } from "node:crypto";

const hashFor: Record<string, string> = { "256": "sha256", "384": "sha384", "512": "sha512" };

export function tokenHash(token: string, alg: string): string {
  const bits = alg.slice(-3);
  const algorithm = hashFor[bits];
  if (!algorithm) throw new TypeError(`no hash function for ${alg}`);
  const digest = createHash(algorithm).update(token, "ascii").digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}
