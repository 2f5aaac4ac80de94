// The authentication request parameters followed through to what the device shows and what the client
// receives: user_code for each demo user, reversed scope order, requested_expiry as a string, acr_values
// reported in the ID token's acr, and RFC 9396 authorization_details on the device, in the token response
// and in the access token (also after a refresh).
import { demoUsers } from "@ciba/db";
import { REFRESH_TOKEN_GRANT_TYPE } from "@ciba/protocol";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALICE,
  backchannelAuthenticate,
  createClient,
  deviceDecide,
  deviceLogin,
  devicePending,
  pendingRequestId,
  pollToken,
  url,
} from "../support/flows";
import { basic, getJson, postForm } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

let provider: TestProvider;

beforeAll(async () => {
  provider = await startTestProvider();
  await createClient(provider, "user-code-client", "poll", { userCodeParameter: true });
});
afterAll(() => provider.close());

/** Approves the user's newest pending request, with or without the PIN, and redeems it. */
async function approveAndRedeem(authReqId: string, loginHint = ALICE, body: Record<string, unknown> = { pin: "1234" }) {
  const device = await deviceLogin(provider, loginHint);
  expect((await deviceDecide(provider, device, await pendingRequestId(provider, device), "approve", body)).status).toBe(200);
  const token = await pollToken(provider, authReqId);
  expect(token.status, JSON.stringify(token.body)).toBe(200);
  return token.body as { access_token: string; id_token: string; refresh_token?: string; scope?: string; authorization_details?: unknown };
}

describe("user_code", () => {
  it.each(demoUsers.map((u) => [u.email, u.userCode]))("lets %s's requests through with the user code %s", async (email, userCode) => {
    const response = await backchannelAuthenticate(provider, { scope: "openid", login_hint: email, user_code: userCode }, "user-code-client");
    expect(response.status).toBe(200);
  });

  it("refuses another user's code with invalid_user_code", async () => {
    const response = await backchannelAuthenticate(provider, { scope: "openid", login_hint: ALICE, user_code: "harbour" }, "user-code-client");
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: "invalid_user_code", error_description: "user_code is not valid for this user" });
  });

  it("is advertised in discovery", async () => {
    const { body } = await getJson(`${provider.issuer}/.well-known/openid-configuration`);
    expect(body.backchannel_user_code_parameter_supported).toBe(true);
  });
});

describe("scope and requested_expiry", () => {
  it("accepts openid after other scopes and grants the scopes as requested", async () => {
    const response = await backchannelAuthenticate(provider, { scope: "email openid", login_hint: ALICE });
    expect(response.status).toBe(200);
    const tokens = await approveAndRedeem(response.body.auth_req_id as string);
    expect(tokens.scope).toBe("email openid");
    expect(decodeJwt(tokens.access_token).scope).toBe("email openid");
  });

  it("takes requested_expiry as a form string and clamps it to the server maximum", async () => {
    const asked = await backchannelAuthenticate(provider, { scope: "openid", login_hint: ALICE, requested_expiry: "120" });
    expect(asked.body.expires_in).toBe(120);
    const clamped = await backchannelAuthenticate(provider, { scope: "openid", login_hint: ALICE, requested_expiry: "86400" });
    expect(clamped.body.expires_in).toBe(600);
  });
});

describe("acr_values", () => {
  it("reports the first requested acr the authentication satisfied", async () => {
    const response = await backchannelAuthenticate(provider, {
      scope: "openid",
      login_hint: ALICE,
      acr_values: "urn:example:unsupported urn:ciba:acr:possession+knowledge urn:ciba:acr:possession",
    });
    const tokens = await approveAndRedeem(response.body.auth_req_id as string);
    expect(decodeJwt(tokens.id_token).acr).toBe("urn:ciba:acr:possession+knowledge");
    expect(decodeJwt(tokens.access_token).acr).toBe("urn:ciba:acr:possession+knowledge");
  });

  it("reports possession only when the user approved without the PIN", async () => {
    const response = await backchannelAuthenticate(provider, { scope: "openid", login_hint: ALICE, acr_values: "urn:ciba:acr:possession+knowledge" });
    const tokens = await approveAndRedeem(response.body.auth_req_id as string, ALICE, {});
    expect(decodeJwt(tokens.id_token)).toMatchObject({ acr: "urn:ciba:acr:possession", amr: ["swk"] });
  });

  it("shows the requested acr_values on the device", async () => {
    await backchannelAuthenticate(provider, { scope: "openid", login_hint: "carol@example.com", acr_values: "urn:ciba:acr:possession" });
    const device = await deviceLogin(provider, "carol@example.com");
    const { body } = await devicePending(provider, device);
    expect(body.at(-1)).toMatchObject({ acr_values: "urn:ciba:acr:possession" });
  });
});

describe("authorization_details (RFC 9396)", () => {
  const payment = {
    type: "payment_initiation",
    instructedAmount: { currency: "GBP", amount: "1250.00" },
    creditorName: "Harbour Removals Ltd",
    creditorAccount: { iban: "GB33BUKB20201555555555" },
    remittanceInformationUnstructured: "Invoice 2026-118",
  };

  it("is shown on the device, returned in the token response and carried in the access token, also after a refresh", async () => {
    const response = await backchannelAuthenticate(provider, {
      scope: "openid",
      login_hint: "bob@example.com",
      binding_message: "PAY-118",
      authorization_details: JSON.stringify([payment]),
    });
    expect(response.status).toBe(200);

    const device = await deviceLogin(provider, "bob@example.com");
    const pending = await devicePending(provider, device);
    expect(pending.body.at(-1)).toMatchObject({ binding_message: "PAY-118", authorization_details: [payment] });

    const tokens = await approveAndRedeem(response.body.auth_req_id as string, "bob@example.com");
    expect(tokens.authorization_details).toEqual([payment]);
    expect(decodeJwt(tokens.access_token).authorization_details).toEqual([payment]);

    const refreshed = await postForm(
      url(provider, "/token"),
      { grant_type: REFRESH_TOKEN_GRANT_TYPE, refresh_token: tokens.refresh_token! },
      { authorization: basic("demo-poll", "demo-secret") },
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.authorization_details).toEqual([payment]);
    expect(decodeJwt(refreshed.body.access_token as string).authorization_details).toEqual([payment]);
  });

  it("is advertised in discovery", async () => {
    const { body } = await getJson(`${provider.issuer}/.well-known/openid-configuration`);
    expect(body.authorization_details_types_supported).toEqual(["payment_initiation"]);
  });
});
