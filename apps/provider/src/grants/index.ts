// The grant types the token endpoint serves, keyed by their grant_type value.
import { CIBA_GRANT_TYPE, REFRESH_TOKEN_GRANT_TYPE } from "@ciba/protocol";
import { cibaGrant } from "./ciba";
import { refreshTokenGrant } from "./refresh-token";
import type { GrantHandler } from "./types";

export const grants: Readonly<Record<string, GrantHandler>> = {
  [CIBA_GRANT_TYPE]: cibaGrant,
  [REFRESH_TOKEN_GRANT_TYPE]: refreshTokenGrant,
};

export const supportedGrantTypes = Object.keys(grants);
