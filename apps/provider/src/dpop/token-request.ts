// DPoP at the token endpoint (RFC 9449 §5): a valid proof binds the tokens this request issues to the
// proof's key (cnf.jkt in the access token, token_type DPoP). A client that registered
// dpop_bound_access_tokens (§5.2) must send one.
import type { Client } from "@ciba/db";
import type { Request } from "express";
import type { ProviderDeps } from "../deps";
import { OAuthError } from "../errors";
import { verifyDpopProof } from "./proof";

const invalidProof = (description: string, cause?: unknown) => new OAuthError("invalid_dpop_proof", description, { cause });

/** The key thumbprint to bind this token request's tokens to, or null for bearer tokens. */
export async function tokenRequestBinding(deps: ProviderDeps, req: Request, client: Client): Promise<string | null> {
  const proof = await verifyDpopProof(deps, req, { method: "POST", url: deps.endpoints.token, fail: invalidProof });
  if (!proof && client.dpopBoundAccessTokens) {
    throw invalidProof("a DPoP proof is required: the client registered dpop_bound_access_tokens");
  }
  return proof?.jkt ?? null;
}
