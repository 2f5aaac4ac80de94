// DPoP at a protected resource (RFC 9449 §7): a DPoP-bound access token (cnf.jkt) is only accepted
// with the DPoP authorization scheme and a proof, signed by the bound key, for this request, carrying
// the token's hash (ath). A bearer token keeps the Bearer scheme. Failures are 401 with a challenge
// of the scheme the token needs (§7.1).
import type { Request } from "express";
import type { ProviderDeps } from "../deps";
import { OAuthError } from "../errors";
import { dpopSigningAlgs, verifyDpopProof } from "./proof";

export interface PresentedToken {
  scheme: "Bearer" | "DPoP";
  token: string;
}

const DPOP_CHALLENGE = `DPoP algs="${dpopSigningAlgs.join(" ")}"`;

/** 401 with an RFC 6750 / RFC 9449 challenge in the given scheme. */
export function resourceError(
  scheme: "Bearer" | "DPoP",
  error: "invalid_token" | "invalid_dpop_proof",
  description: string,
  cause?: unknown,
): OAuthError {
  const challenge = scheme === "DPoP" ? DPOP_CHALLENGE : 'Bearer realm="ciba"';
  return new OAuthError(error, description, {
    cause,
    status: 401,
    headers: { "WWW-Authenticate": `${challenge}, error="${error}", error_description="${description}"` },
  });
}

/** The access token of the Authorization header, with its scheme (RFC 6750 §2.1, RFC 9449 §7.1). */
export function presentedAccessToken(header: string | undefined): PresentedToken {
  if (!header) {
    throw new OAuthError("invalid_token", "an access token is required", {
      status: 401,
      headers: { "WWW-Authenticate": 'Bearer realm="ciba"' },
    });
  }
  const match = /^(Bearer|DPoP) ([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  if (!match) throw resourceError("Bearer", "invalid_token", "the Authorization header is not a Bearer or DPoP token");
  return { scheme: match[1]!.toLowerCase() === "dpop" ? "DPoP" : "Bearer", token: match[2]! };
}

/** Checks that the token is presented the way its binding demands; `url` is the resource's own URL. */
export async function checkSenderConstraint(
  deps: ProviderDeps,
  req: Request,
  url: string,
  presented: PresentedToken,
  boundJkt: string | undefined,
): Promise<void> {
  if (!boundJkt) {
    if (presented.scheme === "DPoP") {
      throw resourceError("Bearer", "invalid_token", "the access token is not DPoP-bound: present it with the Bearer scheme");
    }
    return;
  }
  if (presented.scheme !== "DPoP") {
    throw resourceError("DPoP", "invalid_token", "the access token is DPoP-bound: present it with the DPoP scheme and a DPoP proof");
  }
  const proof = await verifyDpopProof(deps, req, {
    method: req.method,
    url,
    accessToken: presented.token,
    fail: (description, cause) => resourceError("DPoP", "invalid_dpop_proof", description, cause),
  });
  if (!proof) throw resourceError("DPoP", "invalid_dpop_proof", "a DPoP proof is required with a DPoP-bound access token");
  if (proof.jkt !== boundJkt) {
    throw resourceError("DPoP", "invalid_dpop_proof", "the DPoP proof is not signed with the key the access token is bound to");
  }
}
