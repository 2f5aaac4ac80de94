// CIBA Core §7.1 and §7.2: every parameter rule of the authentication request, with the exact error
// code, status and description (checklist §3, §4, §8; decisions in §20).
import { demoUsers } from "@ciba/db";
import { errorDescriptionPattern } from "@ciba/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, backchannelAuthenticate, createClient, url } from "../support/flows";
import { basic, type JsonResponse, postForm } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider();
  await createClient(provider, "no-ciba", "poll", { grantTypes: ["refresh_token"] });
  await createClient(provider, "user-code-client", "poll", { userCodeParameter: true });
  await createClient(provider, "email-only", "poll", { scope: ["openid", "email"] });
});
afterAll(() => provider.close());

const ba = (params: Record<string, string>, clientId = "demo-poll") => backchannelAuthenticate(provider, params, clientId);

function expectError(response: JsonResponse, status: number, error: string, description?: string) {
  expect(response.status).toBe(status);
  expect(Object.keys(response.body).sort()).toEqual(["error", "error_description"]);
  expect(response.body.error).toBe(error);
  if (description !== undefined) expect(response.body.error_description).toBe(description);
  expect(response.body.error_description).toMatch(errorDescriptionPattern);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.headers.get("cache-control")).toBe("no-store");
}

async function userOf(authReqId: string) {
  return (await provider.deps.repos.authRequests.findByAuthReqId(authReqId))!.userId;
}

describe("transport", () => {
  it("refuses a JSON body with invalid_request", async () => {
    const response = await fetch(url(provider, "/backchannel-authentication"), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: basic("demo-poll", "demo-secret") },
      body: JSON.stringify({ scope: "openid", login_hint: ALICE }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "invalid_request",
      error_description: "the request body must be application/x-www-form-urlencoded",
    });
  });

  it("answers GET with 405 and an Allow header", async () => {
    const response = await fetch(url(provider, "/backchannel-authentication"));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(await response.json()).toEqual({ error: "method_not_allowed", error_description: "GET is not allowed here; use POST" });
  });

  it("refuses a parameter included more than once", async () => {
    const response = await postForm(url(provider, "/backchannel-authentication"), `scope=openid&login_hint=${ALICE}&login_hint=${ALICE}`, {
      authorization: basic("demo-poll", "demo-secret"),
    });
    expectError(response, 400, "invalid_request", "parameter login_hint is included more than once");
  });

  it("refuses a malformed form encoding", async () => {
    const response = await postForm(url(provider, "/backchannel-authentication"), "scope=openid&login_hint=%zz", {
      authorization: basic("demo-poll", "demo-secret"),
    });
    expectError(response, 400, "invalid_request", "request body is not valid application/x-www-form-urlencoded");
  });

  it("refuses an oversized body", async () => {
    const response = await postForm(url(provider, "/backchannel-authentication"), { scope: "openid", login_hint: "x".repeat(70_000) }, {
      authorization: basic("demo-poll", "demo-secret"),
    });
    expectError(response, 400, "invalid_request", "request body is larger than 64 KiB");
  });

  it("refuses request_uri, which CIBA does not use", async () => {
    expectError(await ba({ scope: "openid", login_hint: ALICE, request_uri: "https://client.example/r" }), 400, "invalid_request",
      "request_uri is not supported at the backchannel authentication endpoint");
  });

  it("ignores unknown extension parameters", async () => {
    expect((await ba({ scope: "openid", login_hint: ALICE, shoe_size: "44" })).status).toBe(200);
  });
});

describe("client registration", () => {
  it("refuses a client not registered for the CIBA grant with unauthorized_client", async () => {
    expectError(await ba({ scope: "openid", login_hint: ALICE }, "no-ciba"), 400, "unauthorized_client",
      "the client is not registered for the CIBA grant type");
  });
});

describe("scope", () => {
  it("is required", async () => {
    expectError(await ba({ login_hint: ALICE }), 400, "invalid_request", "scope is required");
  });

  it("must contain openid", async () => {
    expectError(await ba({ scope: "profile email", login_hint: ALICE }), 400, "invalid_request", "openid scope must be requested");
  });

  it("refuses unknown scope values with invalid_scope", async () => {
    expectError(await ba({ scope: "openid payments", login_hint: ALICE }), 400, "invalid_scope", "scope payments is not supported");
  });

  it("refuses scopes the client may not request", async () => {
    expectError(await ba({ scope: "openid phone", login_hint: ALICE }, "email-only"), 400, "invalid_scope",
      "the client may not request scope phone");
  });

  it("accepts openid in any position", async () => {
    const response = await ba({ scope: "email openid", login_hint: ALICE });
    expect(response.status).toBe(200);
    const stored = await provider.deps.repos.authRequests.findByAuthReqId(response.body.auth_req_id as string);
    expect(stored!.scope).toBe("email openid");
  });
});

describe("hints", () => {
  it("requires one hint", async () => {
    expectError(await ba({ scope: "openid" }), 400, "invalid_request", "one of login_hint, login_hint_token or id_token_hint is required");
  });

  it("counts an empty hint as absent", async () => {
    expectError(await ba({ scope: "openid", login_hint: "" }), 400, "invalid_request",
      "one of login_hint, login_hint_token or id_token_hint is required");
  });

  it.each([
    [{ login_hint: ALICE, id_token_hint: "a.b.c" }],
    [{ login_hint: ALICE, login_hint_token: "a.b.c" }],
    [{ login_hint: ALICE, login_hint_token: "a.b.c", id_token_hint: "a.b.c" }],
  ])("refuses more than one hint %#", async (hints) => {
    expectError(await ba({ scope: "openid", ...hints }), 400, "invalid_request",
      "only one of login_hint, login_hint_token or id_token_hint must be provided");
  });

  it("refuses a login_hint that names nobody with unknown_user_id", async () => {
    expectError(await ba({ scope: "openid", login_hint: "nobody@example.com" }), 400, "unknown_user_id", "no user matches the hint");
  });

  const alice = demoUsers[0];
  it.each([
    ["an e-mail address", "alice@example.com"],
    ["an e-mail address in another case", "Alice@Example.com"],
    ["an E.164 phone number", alice.phoneNumber],
    ["a phone number with separators", "+44 7700 900123"],
    ["a customer number", alice.customerNumber],
    ["the subject identifier", alice.sub],
  ])("resolves a login_hint that is %s", async (_kind, hint) => {
    const response = await ba({ scope: "openid", login_hint: hint });
    expect(response.status).toBe(200);
    expect(await userOf(response.body.auth_req_id as string)).toBe(alice.sub);
  });
});

describe("binding_message", () => {
  it.each(["1234", "4F7K", "Transfer 42,00 EUR", "Überweisung #7", "x".repeat(40)])("accepts %j", async (message) => {
    expect((await ba({ scope: "openid", login_hint: ALICE, binding_message: message })).status).toBe(200);
  });

  it.each(["x".repeat(41), "emoji 🎉", " leading space", "line\nbreak", "<script>"])("refuses %j with invalid_binding_message", async (message) => {
    expectError(await ba({ scope: "openid", login_hint: ALICE, binding_message: message }), 400, "invalid_binding_message",
      "binding_message must be 1 to 40 characters: letters, digits, spaces and . , : ; ! ? # ' + / _ - starting with a letter or digit");
  });
});

describe("requested_expiry", () => {
  it("sets expires_in", async () => {
    const response = await ba({ scope: "openid", login_hint: ALICE, requested_expiry: "10" });
    expect(response.body.expires_in).toBe(10);
  });

  it("is clamped to the server maximum", async () => {
    const response = await ba({ scope: "openid", login_hint: ALICE, requested_expiry: "100000" });
    expect(response.body.expires_in).toBe(600);
  });

  it.each(["0", "-5", "abc", "1.5", "1e3"])("refuses %j", async (value) => {
    expectError(await ba({ scope: "openid", login_hint: ALICE, requested_expiry: value }), 400, "invalid_request",
      "requested_expiry must be a positive integer");
  });
});

describe("client_notification_token", () => {
  const ping = (token?: string) =>
    ba({ scope: "openid", login_hint: ALICE, ...(token === undefined ? {} : { client_notification_token: token }) }, "demo-ping");

  it("is required from ping clients", async () => {
    expectError(await ping(), 400, "invalid_request", "client_notification_token is required for ping mode");
  });

  it("is required from push clients", async () => {
    expectError(await ba({ scope: "openid", login_hint: ALICE }, "demo-push"), 400, "invalid_request",
      "client_notification_token is required for push mode");
  });

  it("may be 1024 characters", async () => {
    expect((await ping("a".repeat(1024))).status).toBe(200);
  });

  it("may not be 1025 characters", async () => {
    expectError(await ping("a".repeat(1025)), 400, "invalid_request", "client_notification_token is longer than 1024 characters");
  });

  it.each(["abc def", "abc$", "=abc"])("must have bearer token syntax, not %j", async (token) => {
    expectError(await ping(token), 400, "invalid_request", "client_notification_token must have RFC 6750 bearer token syntax");
  });

  it("is ignored from poll clients", async () => {
    expect((await ba({ scope: "openid", login_hint: ALICE, client_notification_token: "abc def" })).status).toBe(200);
  });
});

describe("user_code", () => {
  it("is refused from a client that did not register backchannel_user_code_parameter", async () => {
    expectError(await ba({ scope: "openid", login_hint: ALICE, user_code: "sunflower" }), 400, "invalid_request",
      "user_code is not accepted: the client did not register backchannel_user_code_parameter");
  });

  it("is required from a client that registered it", async () => {
    expectError(await ba({ scope: "openid", login_hint: ALICE }, "user-code-client"), 400, "missing_user_code", "user_code is required for this client");
  });

  it("must be the user's code", async () => {
    expectError(await ba({ scope: "openid", login_hint: ALICE, user_code: "lighthouse" }, "user-code-client"), 400, "invalid_user_code",
      "user_code is not valid for this user");
  });

  it("lets the request through when right", async () => {
    expect((await ba({ scope: "openid", login_hint: ALICE, user_code: "sunflower" }, "user-code-client")).status).toBe(200);
  });
});

describe("authorization_details", () => {
  const payment = {
    type: "payment_initiation",
    instructedAmount: { currency: "EUR", amount: "250.00" },
    creditorName: "Merchant A",
    remittanceInformationUnstructured: "Invoice 42",
  };

  it("is stored as sent", async () => {
    const response = await ba({ scope: "openid", login_hint: ALICE, authorization_details: JSON.stringify([payment]) });
    expect(response.status).toBe(200);
    const stored = await provider.deps.repos.authRequests.findByAuthReqId(response.body.auth_req_id as string);
    expect(stored!.authorizationDetails).toEqual([payment]);
  });

  it("must be JSON", async () => {
    expectError(await ba({ scope: "openid", login_hint: ALICE, authorization_details: "[{" }), 400, "invalid_authorization_details",
      "authorization_details is not valid JSON");
  });

  it("validates payment_initiation", async () => {
    const bad = { ...payment, instructedAmount: { currency: "euro", amount: "250.00" } };
    expectError(await ba({ scope: "openid", login_hint: ALICE, authorization_details: JSON.stringify([bad]) }), 400,
      "invalid_authorization_details", "authorization_details 0.instructedAmount.currency: currency must be an ISO 4217 code such as EUR");
  });
});
