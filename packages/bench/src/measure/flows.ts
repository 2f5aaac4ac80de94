// The client's side of CIBA, as one implementation-neutral set of calls: a backchannel authentication
// request (CIBA Core §7.1) and a token request with the CIBA grant (§10.1), client_secret_basic.
import { basicAuth, createHttpClient, formType, type HttpClient } from "../http-client";
import type { Credentials, RunningTarget } from "../targets/target";

export const CIBA_GRANT_TYPE = "urn:openid:params:grant-type:ciba";

export interface CibaClient {
  http: HttpClient;
  /** Starts a request and returns its auth_req_id. */
  startRequest(client: Credentials, loginHint: string, extra?: Record<string, string>): Promise<string>;
  tokenRequest(client: Credentials, authReqId: string, headers?: Record<string, string>): Promise<{ status: number; text: string; headers: Record<string, unknown> }>;
}

export function backchannelBody(loginHint: string, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ scope: "openid", login_hint: loginHint, ...extra }).toString();
}

export function tokenBody(authReqId: string): string {
  return new URLSearchParams({ grant_type: CIBA_GRANT_TYPE, auth_req_id: authReqId }).toString();
}

export function cibaClient(target: RunningTarget, sockets: number): CibaClient {
  const http = createHttpClient(target.baseUrl, sockets);
  return {
    http,
    async startRequest(client, loginHint, extra) {
      const answer = await http.request("POST", target.backchannelPath, backchannelBody(loginHint, extra), {
        authorization: basicAuth(client.id, client.secret),
        "content-type": formType,
      });
      if (answer.status !== 200) throw new Error(`backchannel authentication failed: ${answer.status} ${answer.text}`);
      return (JSON.parse(answer.text) as { auth_req_id: string }).auth_req_id;
    },
    tokenRequest(client, authReqId, headers = {}) {
      return http.request("POST", target.tokenPath, tokenBody(authReqId), {
        authorization: basicAuth(client.id, client.secret),
        "content-type": formType,
        ...headers,
      });
    },
  };
}
