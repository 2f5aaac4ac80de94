// The UserInfo request (OIDC Core §5.3) with the access token, through openid-client, which also checks
// that the answer is about the ID token's subject.
import { userinfoResponseSchema, type UserinfoResponse } from "@ciba/protocol";
import * as oidc from "openid-client";

export async function fetchUserinfo(config: oidc.Configuration, accessToken: string, sub: string): Promise<UserinfoResponse> {
  return userinfoResponseSchema.parse(await oidc.fetchUserInfo(config, accessToken, sub));
}
