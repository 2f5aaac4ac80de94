// Poll mode end to end, driven by openid-client (an independent RP library), so a misunderstanding
// shared by our own schemas cannot hide on both sides.
import { DEMO_CLIENT_SECRET, demoUsers } from "@ciba/db";
import { AUTH_REQ_ID_CLAIM, CIBA_GRANT_TYPE } from "@ciba/protocol";
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, approveAsUser, deviceDecide, deviceLogin, pendingRequestId } from "../support/flows";
import { startTestProvider, type TestProvider } from "../support/provider";

const alice = demoUsers[0];
let provider: TestProvider;
let config: oidc.Configuration;

beforeAll(async () => {
  provider = await startTestProvider({ env: { CIBA_POLL_INTERVAL: "1" } });
  config = await oidc.discovery(new URL(provider.issuer), "demo-poll", DEMO_CLIENT_SECRET, oidc.ClientSecretBasic(DEMO_CLIENT_SECRET), {
    execute: [oidc.allowInsecureRequests],
  });
});
afterAll(() => provider.close());

async function expectTokenError(authReqId: string, code: string) {
  const attempt = oidc.genericGrantRequest(config, CIBA_GRANT_TYPE, { auth_req_id: authReqId });
  await expect(attempt).rejects.toMatchObject({ error: code });
}

describe("poll mode with openid-client", () => {
  it("initiates, is pending, is approved on the device, and redeems verifiable tokens", async () => {
    const started = await oidc.initiateBackchannelAuthentication(config, {
      scope: "openid profile email phone",
      login_hint: ALICE,
      binding_message: "4F7K",
    });
    expect(started.auth_req_id).toMatch(/^[A-Za-z0-9._-]{43}$/);
    expect(started.expires_in).toBe(300);
    expect(started.interval).toBe(1);

    await expectTokenError(started.auth_req_id, "authorization_pending");
    await approveAsUser(provider, ALICE);

    const tokens = await oidc.pollBackchannelAuthenticationGrant(config, started);
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.refresh_token).toEqual(expect.any(String));

    // The ID token verifies against the published JWKS, independently of openid-client.
    const jwks = createRemoteJWKSet(new URL(`${provider.issuer}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token!, jwks, {
      issuer: provider.issuer,
      audience: "demo-poll",
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload.sub).toBe(alice.sub);
    expect(payload.acr).toBe("urn:ciba:acr:possession+knowledge");
    expect(payload.amr).toEqual(["swk", "pin"]);
    expect(payload.auth_time).toEqual(expect.any(Number));
    expect(payload.at_hash).toEqual(expect.any(String));
    expect(payload[AUTH_REQ_ID_CLAIM]).toBe(started.auth_req_id);

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, alice.sub);
    expect(userinfo).toEqual({
      sub: alice.sub,
      name: "Alice Martin",
      given_name: "Alice",
      family_name: "Martin",
      locale: "en-GB",
      email: ALICE,
      email_verified: true,
      phone_number: "+447700900123",
      phone_number_verified: true,
    });

    // The refresh token works once and rotates.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(decodeJwt(refreshed.access_token).sub).toBe(alice.sub);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("gives access_denied after the user denies", async () => {
    const started = await oidc.initiateBackchannelAuthentication(config, { scope: "openid", login_hint: ALICE });
    const token = await deviceLogin(provider, ALICE);
    const denied = await deviceDecide(provider, token, await pendingRequestId(provider, token), "deny");
    expect(denied.status).toBe(200);
    await expect(oidc.pollBackchannelAuthenticationGrant(config, started)).rejects.toMatchObject({
      error: "access_denied",
      error_description: "the end-user denied the authorization request",
    });
  });

  it("gives expired_token when requested_expiry passes without a decision", async () => {
    const started = await oidc.initiateBackchannelAuthentication(config, {
      scope: "openid",
      login_hint: ALICE,
      requested_expiry: "1",
    });
    expect(started.expires_in).toBe(1);
    await expectTokenError(started.auth_req_id, "authorization_pending");
    // openid-client stops polling by itself at expires_in, so ask once more after it has passed.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await expectTokenError(started.auth_req_id, "expired_token");
  });
});
