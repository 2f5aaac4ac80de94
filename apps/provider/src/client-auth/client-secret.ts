// client_secret_basic and client_secret_post: the presented secret against its stored SHA-256.
import { type Client, tokenMatchesHash } from "@ciba/db";
import type { ProviderDeps } from "../deps";
import { invalidClient } from "./errors";

export function verifyClientSecret(deps: ProviderDeps, client: Client, secret: string): void {
  if (!client.secretHash || !tokenMatchesHash(secret, client.secretHash)) {
    throw invalidClient("client authentication failed: wrong client secret");
  }
  if (client.secretExpiresAt && client.secretExpiresAt <= deps.clock.now()) {
    throw invalidClient("client authentication failed: the client secret has expired");
  }
}
