// A client's public keys, from its registered `jwks` or `jwks_uri`, for private_key_jwt and signed
// requests. Remote sets are cached per URI by jose (with cooldown and timeout) and fetched through the
// SSRF-checked, pinned fetch of jwks-fetch.ts.
import type { Client } from "@ciba/db";
import { createLocalJWKSet, createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from "jose";
import type { Resolver } from "../delivery/endpoint-safety";
import type { ProviderDeps } from "../deps";
import { pinnedJwksFetch } from "./jwks-fetch";

/**
 * Remote sets by resolver, then by profile and URI: a set fetches under the policy it was made with,
 * so providers with another profile or resolver in the same process (tests) never share one.
 */
const remoteSets = new WeakMap<Resolver, Map<string, JWTVerifyGetKey>>();

export function clientKeys(deps: Pick<ProviderDeps, "config" | "resolve">, client: Client): JWTVerifyGetKey | null {
  if (client.jwks) return createLocalJWKSet({ keys: client.jwks.keys });
  if (!client.jwksUri) return null;
  const { profile } = deps.config;
  let sets = remoteSets.get(deps.resolve);
  if (!sets) remoteSets.set(deps.resolve, (sets = new Map<string, JWTVerifyGetKey>()));
  const key = `${profile} ${client.jwksUri}`;
  let set = sets.get(key);
  if (!set) {
    set = createRemoteJWKSet(new URL(client.jwksUri), {
      timeoutDuration: 3000,
      cooldownDuration: 30_000,
      [customFetch]: pinnedJwksFetch({ profile, resolve: deps.resolve }),
    });
    sets.set(key, set);
  }
  return set;
}
