// JWT client authentication at both endpoints that need it (CIBA Core §7.1, OIDC Core §9, RFC 7523):
// client_secret_jwt (the secret kept encrypted under a key-encryption key outside the database) and
// private_key_jwt with a jwks_uri; accepted audiences; jti replay; the wrong client at either endpoint.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { CIBA_GRANT_TYPE, type ClientRegistrationResponse } from "@ciba/protocol";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, approveAsUser, url } from "../support/flows";
import { type JsonResponse, postForm } from "../support/http";
import { assertionParams, CLIENT_ASSERTION_TYPE, type ClientKey, clientKey, jwksOf } from "../support/keys";
import { startTestProvider, type TestProvider } from "../support/provider";
import { registerClient } from "../support/registration";

let provider: TestProvider;
let jwksServer: Server;
let jwksUri: string;
let remoteKey: ClientKey;
let hmacClient: ClientRegistrationResponse;
let remoteClient: ClientRegistrationResponse;

beforeAll(async () => {
  provider = await startTestProvider();
  remoteKey = await clientKey("RS256");
  // The client's jwks_uri, served from loopback (the demo profile allows http there).
  jwksServer = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(jwksOf(remoteKey)));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
  jwksUri = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;

  hmacClient = await registerClient(provider, {
    grant_types: [CIBA_GRANT_TYPE],
    token_endpoint_auth_method: "client_secret_jwt",
    token_endpoint_auth_signing_alg: "HS256",
  });
  remoteClient = await registerClient(provider, { token_endpoint_auth_method: "private_key_jwt", jwks_uri: jwksUri });
});
afterAll(async () => {
  await provider.close();
  await new Promise((resolve) => jwksServer.close(resolve));
});

async function hmacAssertion(claims: Record<string, unknown> = {}, secret = hmacClient.client_secret!, alg = "HS256") {
  const now = Math.floor(Date.now() / 1000);
  const id = hmacClient.client_id;
  return new SignJWT({ iss: id, sub: id, aud: provider.issuer, iat: now, exp: now + 60, jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg })
    .sign(new TextEncoder().encode(secret));
}

const ba = (params: Record<string, string>) => postForm(url(provider, "/backchannel-authentication"), { scope: "openid", login_hint: ALICE, ...params });
const token = (params: Record<string, string>) => postForm(url(provider, "/token"), { grant_type: CIBA_GRANT_TYPE, ...params });

function expectInvalidClient(response: JsonResponse, description: string) {
  expect(response.status).toBe(401);
  expect(response.body).toEqual({ error: "invalid_client", error_description: description });
}

describe("client_secret_jwt", () => {
  it("is offered in discovery in the demo profile", async () => {
    const metadata = (await (await fetch(url(provider, "/.well-known/openid-configuration"))).json()) as Record<string, string[]>;
    expect(metadata.token_endpoint_auth_methods_supported).toContain("client_secret_jwt");
    expect(metadata.token_endpoint_auth_signing_alg_values_supported).toEqual(expect.arrayContaining(["HS256", "PS256", "ES256"]));
  });

  it("keeps the secret encrypted, never in clear or as a bare hash only", async () => {
    const stored = await provider.deps.repos.clients.findById(hmacClient.client_id);
    expect(stored!.secretCiphertext).toMatch(/^v1\.[A-Za-z0-9_-]{8}\./);
    expect(stored!.secretCiphertext).not.toContain(hmacClient.client_secret);
    expect(provider.deps.secretBox!.open(hmacClient.client_id, stored!.secretCiphertext!)).toBe(hmacClient.client_secret);
  });

  it("authenticates at the backchannel and token endpoints, with aud = issuer, token endpoint or BA endpoint", async () => {
    const started = await ba({
      client_id: hmacClient.client_id,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await hmacAssertion({ aud: `${provider.issuer}/backchannel-authentication` }),
    });
    expect(started.status).toBe(200);
    await approveAsUser(provider, ALICE);
    const tokens = await token({
      auth_req_id: started.body.auth_req_id as string,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await hmacAssertion({ aud: `${provider.issuer}/token` }),
    });
    expect(tokens.status).toBe(200);
    const issuerAud = await ba({ client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: await hmacAssertion() });
    expect(issuerAud.status).toBe(200);
  });

  it("refuses an assertion made with another secret", async () => {
    const response = await ba({ client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: await hmacAssertion({}, "not-the-secret") });
    expectInvalidClient(response, "client_assertion signature is invalid");
  });

  it("refuses an algorithm other than the registered token_endpoint_auth_signing_alg", async () => {
    const response = await ba({ client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: await hmacAssertion({}, undefined, "HS512") });
    expectInvalidClient(response, "client_assertion is signed with an algorithm that is not allowed");
  });

  it("refuses a replayed assertion", async () => {
    const assertion = await hmacAssertion();
    expect((await ba({ client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion })).status).toBe(200);
    expectInvalidClient(await ba({ client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion }), "client_assertion jti has already been used");
  });

  it("refuses an assertion for a foreign audience", async () => {
    const response = await ba({ client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: await hmacAssertion({ aud: "https://evil.example" }) });
    expectInvalidClient(response, "client_assertion has an invalid aud claim");
  });

  it("refuses client_secret_basic from a client_secret_jwt client", async () => {
    const response = await postForm(url(provider, "/backchannel-authentication"), { scope: "openid", login_hint: ALICE }, {
      authorization: `Basic ${Buffer.from(`${hmacClient.client_id}:${hmacClient.client_secret}`).toString("base64")}`,
    });
    expectInvalidClient(response, "the client is registered for client_secret_jwt, not client_secret_basic");
  });
});

describe("private_key_jwt with a jwks_uri", () => {
  it("authenticates with a key fetched from the client's jwks_uri", async () => {
    const response = await ba(await assertionParams(remoteKey, remoteClient.client_id, provider.issuer));
    expect(response.status).toBe(200);
  });

  it("refuses a key that is not in the jwks_uri set", async () => {
    const stranger = await clientKey("RS256");
    expectInvalidClient(
      await ba(await assertionParams(stranger, remoteClient.client_id, provider.issuer)),
      "client_assertion is signed with a key the client has not registered",
    );
  });
});

describe("the wrong client", () => {
  it("is refused at the backchannel endpoint: an assertion of one client presented with another client_id", async () => {
    const response = await ba({
      client_id: hmacClient.client_id,
      ...(await assertionParams(remoteKey, remoteClient.client_id, provider.issuer)),
    });
    expectInvalidClient(response, "client_assertion is signed with an algorithm that is not allowed");
  });

  it("is refused at the token endpoint: an assertion of one client presented with another client_id", async () => {
    const response = await token({
      auth_req_id: "whatever",
      client_id: remoteClient.client_id,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: await hmacAssertion(),
    });
    expectInvalidClient(response, "client_assertion is signed with an algorithm that is not allowed");
  });

  it("is refused when a private_key_jwt client sends no assertion at all", async () => {
    expectInvalidClient(await ba({ client_id: remoteClient.client_id }), "client authentication is required");
    expectInvalidClient(await token({ auth_req_id: "whatever", client_id: remoteClient.client_id }), "client authentication is required");
  });
});
