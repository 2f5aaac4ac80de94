import type { Client } from "@ciba/db";
import type { TokenResponse } from "@ciba/protocol";
import type { Request } from "express";
import type { ProviderDeps } from "../deps";
import type { FormParams } from "../http/form-body";

/** What the token request itself decided about the tokens it will issue. */
export interface TokenRequestContext {
  /** RFC 9449: the DPoP key thumbprint to bind the tokens to, or null for bearer tokens. */
  dpopJkt: string | null;
}

/** A grant type's handler: the authenticated client and the form parameters in, a token response out. */
export type GrantHandler = (
  deps: ProviderDeps,
  client: Client,
  params: FormParams,
  req: Request,
  context: TokenRequestContext,
) => Promise<TokenResponse>;
