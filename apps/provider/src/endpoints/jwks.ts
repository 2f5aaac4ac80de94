// The provider's public signing keys (RFC 7517), what clients verify ID tokens and access tokens with.
import type { RequestHandler } from "express";
import type { ProviderDeps } from "../deps";

export function jwksEndpoint(deps: ProviderDeps): RequestHandler {
  return (_req, res) => {
    res.set("Cache-Control", "public, max-age=300");
    res.type("application/jwk-set+json").send(JSON.stringify(deps.keystore.publicJwks));
  };
}
