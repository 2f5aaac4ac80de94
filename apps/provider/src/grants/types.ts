import type { Client } from "@ciba/db";
import type { TokenResponse } from "@ciba/protocol";
import type { Request } from "express";
import type { ProviderDeps } from "../deps";
import type { FormParams } from "../http/form-body";

/** A grant type's handler: the authenticated client and the form parameters in, a token response out. */
export type GrantHandler = (deps: ProviderDeps, client: Client, params: FormParams, req: Request) => Promise<TokenResponse>;
