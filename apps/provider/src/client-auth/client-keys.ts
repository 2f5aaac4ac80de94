// A client's public keys, from its registered `jwks` or `jwks_uri`, for private_key_jwt and signed
// requests. Remote sets are cached per URI by jose (with cooldown and timeout).
import type { Client } from "@ciba/db";
import { createLocalJWKSet, createRemoteJWKSet, type JWTVerifyGetKey } from "jose";

const remoteSets = new Map<string, JWTVerifyGetKey>();

export function clientKeys(client: Client): JWTVerifyGetKey | null {
  if (client.jwks) return createLocalJWKSet({ keys: client.jwks.keys });
  if (client.jwksUri) {
    let set = remoteSets.get(client.jwksUri);
    if (!set) {
      set = createRemoteJWKSet(new URL(client.jwksUri), { timeoutDuration: 3000, cooldownDuration: 30_000 });
      remoteSets.set(client.jwksUri, set);
    }
    return set;
  }
  return null;
}
