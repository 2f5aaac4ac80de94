// CIBA Core §7.1 and §7.2 steps 3-5: exactly one of login_hint, id_token_hint and login_hint_token, and it
// must name a known user. login_hint_token is a JWT the client signs with a key it registered, naming
// the user with an RFC 9493 `sub_id` subject identifier (format documented in the README).
import { demoUsers } from "@ciba/db";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestClock } from "../support/clock";
import { ALICE, approveAsUser, backchannelAuthenticate, createClient, pollToken, startRequest } from "../support/flows";
import type { JsonResponse } from "../support/http";
import { type ClientKey, clientKey, corruptSignature, jwksOf } from "../support/keys";
import { startTestProvider, type TestProvider } from "../support/provider";

const [alice, bob, carol] = demoUsers;
const clock = createTestClock(new Date("2026-03-02T09:00:00Z"));
let provider: TestProvider;
let hintKey: ClientKey;
let aliceIdToken: string;

beforeAll(async () => {
  provider = await startTestProvider({ clock });
  hintKey = await clientKey("ES256");
  // A client_secret_basic client that registered a key for its login_hint_tokens.
  await createClient(provider, "hinting", "poll", { jwks: jwksOf(hintKey) });
  // An ID token issued to demo-poll for Alice, to use as id_token_hint.
  const { auth_req_id } = await startRequest(provider, ALICE);
  await approveAsUser(provider, ALICE);
  aliceIdToken = (await pollToken(provider, auth_req_id)).body.id_token as string;
});
afterAll(() => provider.close());

const epoch = () => Math.floor(clock.now().getTime() / 1000);

async function loginHintToken(subId: unknown, claims: Record<string, unknown> = {}, key = hintKey) {
  return new SignJWT({ iss: "hinting", aud: provider.issuer, iat: epoch(), exp: epoch() + 300, sub_id: subId, ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .sign(key.privateKey);
}

async function requestedUser(response: JsonResponse): Promise<string | undefined> {
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return (await provider.deps.repos.authRequests.findByAuthReqId(response.body.auth_req_id as string))?.userId;
}

function expectError(response: JsonResponse, error: string, description: string) {
  expect(response.status).toBe(400);
  expect(response.body).toEqual({ error, error_description: description });
}

describe("login_hint", () => {
  it.each([
    ["an e-mail address, in any case", "Bob@Example.com", bob.sub],
    ["an E.164 phone number with separators", "+44 7700 900789", carol.sub],
    ["a customer number", "40012345", alice.sub],
    ["the subject identifier", bob.sub, bob.sub],
  ])("names a user by %s", async (_kind, hint, sub) => {
    expect(await requestedUser(await backchannelAuthenticate(provider, { scope: "openid", login_hint: hint }))).toBe(sub);
  });

  it("that names nobody is unknown_user_id", async () => {
    expectError(await backchannelAuthenticate(provider, { scope: "openid", login_hint: "nobody@example.com" }), "unknown_user_id", "no user matches the hint");
  });
});

describe("id_token_hint", () => {
  it("names the subject of an ID token this provider issued to this client", async () => {
    const response = await backchannelAuthenticate(provider, { scope: "openid", id_token_hint: aliceIdToken });
    expect(await requestedUser(response)).toBe(alice.sub);
    const stored = await provider.deps.repos.authRequests.findByAuthReqId(response.body.auth_req_id as string);
    expect(stored?.hintType).toBe("id_token_hint");
  });

  it("is refused when the ID token was issued to another client", async () => {
    await createClient(provider, "someone-else", "poll");
    expectError(
      await backchannelAuthenticate(provider, { scope: "openid", id_token_hint: aliceIdToken }, "someone-else"),
      "invalid_request",
      "id_token_hint has an invalid aud claim",
    );
  });

  it("is refused with a corrupted signature", async () => {
    expectError(
      await backchannelAuthenticate(provider, { scope: "openid", id_token_hint: corruptSignature(aliceIdToken) }),
      "invalid_request",
      "id_token_hint signature is invalid",
    );
  });

  it("is refused when signed by someone else", async () => {
    const forged = await new SignJWT({ iss: provider.issuer, sub: alice.sub, aud: "demo-poll", iat: epoch(), exp: epoch() + 60 })
      .setProtectedHeader({ alg: hintKey.alg, kid: hintKey.kid })
      .sign(hintKey.privateKey);
    expectError(
      await backchannelAuthenticate(provider, { scope: "openid", id_token_hint: forged }),
      "invalid_request",
      "id_token_hint is not signed with a key of this provider",
    );
  });

  it("is refused when encrypted", async () => {
    expectError(
      await backchannelAuthenticate(provider, { scope: "openid", id_token_hint: "eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d" }),
      "invalid_request",
      "id_token_hint must be a signed, not encrypted, ID token",
    );
  });

  it("is still accepted some hours after the ID token expired (CIBA Core §14), but not after the grace period", async () => {
    clock.advance(6 * 3600 * 1000);
    expect(await requestedUser(await backchannelAuthenticate(provider, { scope: "openid", id_token_hint: aliceIdToken }))).toBe(alice.sub);
    clock.advance(24 * 3600 * 1000);
    expectError(
      await backchannelAuthenticate(provider, { scope: "openid", id_token_hint: aliceIdToken }),
      "invalid_request",
      "id_token_hint has expired",
    );
  });
});

describe("login_hint_token", () => {
  it.each([
    ["email", { format: "email", email: "carol@example.com" }, carol.sub],
    ["phone_number", { format: "phone_number", phone_number: "+447700900456" }, bob.sub],
    ["opaque (the subject)", { format: "opaque", id: alice.sub }, alice.sub],
    ["iss_sub (this issuer)", { format: "iss_sub", iss: "ISSUER", sub: bob.sub }, bob.sub],
  ])("names a user with sub_id format %s", async (_format, subId: Record<string, string>, sub) => {
    const resolved = { ...subId, ...(subId.iss ? { iss: provider.issuer } : {}) };
    const response = await backchannelAuthenticate(provider, { scope: "openid", login_hint_token: await loginHintToken(resolved) }, "hinting");
    expect(await requestedUser(response)).toBe(sub);
  });

  it("that has expired is expired_login_hint_token", async () => {
    const expired = await loginHintToken({ format: "email", email: ALICE }, { iat: epoch() - 600, exp: epoch() - 60 });
    expectError(
      await backchannelAuthenticate(provider, { scope: "openid", login_hint_token: expired }, "hinting"),
      "expired_login_hint_token",
      "login_hint_token has expired",
    );
  });

  it("that names nobody is unknown_user_id", async () => {
    const token = await loginHintToken({ format: "email", email: "nobody@example.com" });
    expectError(await backchannelAuthenticate(provider, { scope: "openid", login_hint_token: token }, "hinting"), "unknown_user_id", "no user matches the hint");
  });

  it("naming a subject of another issuer is unknown_user_id", async () => {
    const token = await loginHintToken({ format: "iss_sub", iss: "https://elsewhere.example", sub: alice.sub });
    expectError(await backchannelAuthenticate(provider, { scope: "openid", login_hint_token: token }, "hinting"), "unknown_user_id", "no user matches the hint");
  });

  it("with a corrupted signature is invalid_request", async () => {
    const token = corruptSignature(await loginHintToken({ format: "email", email: ALICE }));
    expectError(
      await backchannelAuthenticate(provider, { scope: "openid", login_hint_token: token }, "hinting"),
      "invalid_request",
      "login_hint_token signature is invalid",
    );
  });

  it("signed for another audience is invalid_request", async () => {
    const token = await loginHintToken({ format: "email", email: ALICE }, { aud: "https://other.example" });
    expectError(
      await backchannelAuthenticate(provider, { scope: "openid", login_hint_token: token }, "hinting"),
      "invalid_request",
      "login_hint_token has an invalid aud claim",
    );
  });

  it("without exp is invalid_request", async () => {
    const token = await loginHintToken({ format: "email", email: ALICE }, { exp: undefined });
    expectError(
      await backchannelAuthenticate(provider, { scope: "openid", login_hint_token: token }, "hinting"),
      "invalid_request",
      "login_hint_token is missing the exp claim",
    );
  });

  it("without a sub_id is invalid_request", async () => {
    const token = await loginHintToken(undefined, { sub: alice.sub });
    expectError(
      await backchannelAuthenticate(provider, { scope: "openid", login_hint_token: token }, "hinting"),
      "invalid_request",
      "login_hint_token must name the user in a sub_id subject identifier",
    );
  });

  it("with an unsupported sub_id format is invalid_request", async () => {
    const token = await loginHintToken({ format: "did", url: "did:example:alice" });
    expectError(
      await backchannelAuthenticate(provider, { scope: "openid", login_hint_token: token }, "hinting"),
      "invalid_request",
      "login_hint_token sub_id format must be email, phone_number, opaque or iss_sub",
    );
  });

  it("from a client that registered no keys is invalid_request", async () => {
    const token = await loginHintToken({ format: "email", email: ALICE }, { iss: "demo-poll" });
    expectError(
      await backchannelAuthenticate(provider, { scope: "openid", login_hint_token: token }),
      "invalid_request",
      "login_hint_token cannot be verified: the client has registered no keys",
    );
  });
});

describe("exactly one hint (CIBA Core §7.2 step 3)", () => {
  const ONE_ONLY = "only one of login_hint, login_hint_token or id_token_hint must be provided";

  it("refuses login_hint with id_token_hint", async () => {
    expectError(await backchannelAuthenticate(provider, { scope: "openid", login_hint: ALICE, id_token_hint: aliceIdToken }), "invalid_request", ONE_ONLY);
  });

  it("refuses login_hint with login_hint_token", async () => {
    const token = await loginHintToken({ format: "email", email: ALICE });
    expectError(await backchannelAuthenticate(provider, { scope: "openid", login_hint: ALICE, login_hint_token: token }, "hinting"), "invalid_request", ONE_ONLY);
  });

  it("refuses all three", async () => {
    const token = await loginHintToken({ format: "email", email: ALICE });
    const response = await backchannelAuthenticate(provider, { scope: "openid", login_hint: ALICE, login_hint_token: token, id_token_hint: aliceIdToken }, "hinting");
    expectError(response, "invalid_request", ONE_ONLY);
  });

  it("refuses none", async () => {
    expectError(await backchannelAuthenticate(provider, { scope: "openid" }), "invalid_request", "one of login_hint, login_hint_token or id_token_hint is required");
  });
});
