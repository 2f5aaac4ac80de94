// An independent RP library end to end: openid-client v6 registers a private_key_jwt client dynamically
// (RFC 7591), runs a CIBA poll flow with DPoP-bound tokens (RFC 9449) and calls userinfo with a proof;
// the registration is then read, updated and deleted with its registration access token (RFC 7592).
import { demoUsers } from "@ciba/db";
import { CIBA_GRANT_TYPE, REFRESH_TOKEN_GRANT_TYPE } from "@ciba/protocol";
import { decodeJwt } from "jose";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, approveAsUser } from "../support/flows";
import { clientKey } from "../support/keys";
import { startTestProvider, type TestProvider } from "../support/provider";

const alice = demoUsers[0];
let provider: TestProvider;
beforeAll(async () => void (provider = await startTestProvider({ env: { CIBA_POLL_INTERVAL: "1" } })));
afterAll(() => provider.close());

describe("openid-client with a dynamically registered private_key_jwt client", () => {
  it("registers, completes a DPoP-bound CIBA flow, and manages its registration", async () => {
    const key = await clientKey("ES256");
    const config = await oidc.dynamicClientRegistration(
      new URL(provider.issuer),
      {
        client_name: "openid-client RP",
        token_endpoint_auth_method: "private_key_jwt",
        jwks: { keys: [{ ...key.publicJwk }] },
        grant_types: [CIBA_GRANT_TYPE, REFRESH_TOKEN_GRANT_TYPE],
        backchannel_token_delivery_mode: "poll",
        dpop_bound_access_tokens: true,
      },
      oidc.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }),
      { execute: [oidc.allowInsecureRequests] },
    );
    const registered = config.clientMetadata();
    expect(registered.client_id).toEqual(expect.any(String));
    expect(registered.client_secret).toBeUndefined();
    expect(registered.token_endpoint_auth_method).toBe("private_key_jwt");

    const dpop = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair("ES256"));
    const started = await oidc.initiateBackchannelAuthentication(config, { scope: "openid email", login_hint: ALICE, binding_message: "OIDC7" });
    await approveAsUser(provider, ALICE);
    const tokens = await oidc.pollBackchannelAuthenticationGrant(config, started, undefined, { DPoP: dpop });
    expect(tokens.token_type).toBe("dpop");
    expect(typeof (decodeJwt(tokens.access_token).cnf as { jkt?: unknown } | undefined)?.jkt).toBe("string");
    expect(tokens.claims()).toMatchObject({ sub: alice.sub, aud: registered.client_id });

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, alice.sub, { DPoP: dpop });
    expect(userinfo).toEqual({ sub: alice.sub, email: ALICE, email_verified: true });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP: dpop });
    expect(refreshed.token_type).toBe("dpop");

    // RFC 7592 management, which openid-client leaves to the application.
    const uri = registered.registration_client_uri as string;
    let token = registered.registration_access_token as string;
    const read = await fetch(uri, { headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(200);
    const current = (await read.json()) as Record<string, unknown>;
    expect(current).toMatchObject({ client_id: registered.client_id, client_name: "openid-client RP", dpop_bound_access_tokens: true });
    token = current.registration_access_token as string;

    const updated = await fetch(uri, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ ...current, client_name: "openid-client RP (renamed)" }),
    });
    expect(updated.status).toBe(200);
    const afterUpdate = (await updated.json()) as Record<string, unknown>;
    expect(afterUpdate.client_name).toBe("openid-client RP (renamed)");

    const deleted = await fetch(uri, { method: "DELETE", headers: { authorization: `Bearer ${afterUpdate.registration_access_token as string}` } });
    expect(deleted.status).toBe(204);
    // The deleted client is unknown: 401 invalid_client, which openid-client surfaces as the challenge.
    await expect(oidc.initiateBackchannelAuthentication(config, { scope: "openid", login_hint: ALICE })).rejects.toMatchObject({
      name: "WWWAuthenticateChallengeError",
      status: 401,
    });
  });
});
