// Dynamic client registration (RFC 7591) with the CIBA client metadata (CIBA Core §4), and its
// management with the registration access token (RFC 7592): read, update, delete. The demo/test profile
// registers without an initial access token.
import { createRepositories, hashToken } from "@ciba/db";
import { CIBA_GRANT_TYPE, clientRegistrationResponseSchema, REFRESH_TOKEN_GRANT_TYPE } from "@ciba/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, approveAsUser, backchannelAuthenticate, pollToken, url } from "../support/flows";
import { type JsonResponse, getJson, postJson } from "../support/http";
import { clientKey, jwksOf, weakRsaJwk } from "../support/keys";
import { startTestProvider, type TestProvider } from "../support/provider";
import { register, registerClient } from "../support/registration";

let provider: TestProvider;
beforeAll(async () => void (provider = await startTestProvider()));
afterAll(() => provider.close());

const poll = { grant_types: [CIBA_GRANT_TYPE], backchannel_token_delivery_mode: "poll" };

const manage = (registrationUri: string, token: string, init: { method: string; body?: unknown }) =>
  fetch(registrationUri, {
    method: init.method,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { "content-type": "application/json" } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

function expectMetadataError(response: JsonResponse, description: string, error = "invalid_client_metadata") {
  expect(response.status).toBe(400);
  expect(response.body).toEqual({ error, error_description: description });
}

describe("registration", () => {
  it("registers a client_secret_basic poll client that then completes a CIBA flow", async () => {
    const response = await register(provider, { client_name: "Acme Insurance claims desk", ...poll, grant_types: [CIBA_GRANT_TYPE, REFRESH_TOKEN_GRANT_TYPE] });
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const client = clientRegistrationResponseSchema.parse(response.body);
    expect(response.headers.get("location")).toBe(client.registration_client_uri);
    expect(client).toMatchObject({
      client_name: "Acme Insurance claims desk",
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: [CIBA_GRANT_TYPE, REFRESH_TOKEN_GRANT_TYPE],
      response_types: [],
      backchannel_token_delivery_mode: "poll",
      backchannel_user_code_parameter: false,
      id_token_signed_response_alg: "RS256",
      subject_type: "public",
      dpop_bound_access_tokens: false,
      fapi_ciba: false,
      client_secret_expires_at: 0,
      registration_client_uri: `${provider.issuer}/register/${client.client_id}`,
    });
    expect(client.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(client.registration_access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Secrets are stored hashed, never as sent.
    const stored = await provider.deps.repos.clients.findById(client.client_id);
    expect(stored).toMatchObject({
      secretHash: hashToken(client.client_secret!),
      secretCiphertext: null,
      registrationAccessTokenHash: hashToken(client.registration_access_token!),
    });

    const ba = await backchannelAuthenticate(provider, { scope: "openid", login_hint: ALICE }, client.client_id, client.client_secret);
    expect(ba.status).toBe(200);
    await approveAsUser(provider, ALICE);
    const tokens = await pollToken(provider, ba.body.auth_req_id as string, client.client_id, client.client_secret);
    expect(tokens.status).toBe(200);
    expect(tokens.body.refresh_token).toEqual(expect.any(String));
  });

  it("registers a private_key_jwt client with its jwks and issues no secret", async () => {
    const key = await clientKey("PS256");
    const client = await registerClient(provider, { token_endpoint_auth_method: "private_key_jwt", jwks: jwksOf(key) });
    expect(client.client_secret).toBeUndefined();
    expect(client.client_secret_expires_at).toBeUndefined();
    expect(client.jwks).toEqual(jwksOf(key));
  });

  it("registers a ping client with a notification endpoint the demo profile may call", async () => {
    const client = await registerClient(provider, {
      backchannel_token_delivery_mode: "ping",
      backchannel_client_notification_endpoint: "http://127.0.0.1:4999/ciba/ping",
    });
    expect(client.backchannel_client_notification_endpoint).toBe("http://127.0.0.1:4999/ciba/ping");
  });

  it("stores and echoes the descriptive metadata and the CIBA options", async () => {
    const key = await clientKey("ES256");
    const client = await registerClient(provider, {
      contacts: ["ops@acme.example"],
      client_uri: "https://acme.example",
      logo_uri: "https://acme.example/logo.png",
      software_id: "acme-contact-centre",
      software_version: "4.2.0",
      scope: "openid email",
      jwks: jwksOf(key),
      backchannel_authentication_request_signing_alg: "ES256",
      backchannel_user_code_parameter: true,
      dpop_bound_access_tokens: true,
      id_token_signed_response_alg: "ES256",
      unknown_member: "ignored",
    });
    expect(client).toMatchObject({
      contacts: ["ops@acme.example"],
      client_uri: "https://acme.example",
      logo_uri: "https://acme.example/logo.png",
      software_id: "acme-contact-centre",
      software_version: "4.2.0",
      scope: "openid email",
      backchannel_authentication_request_signing_alg: "ES256",
      backchannel_user_code_parameter: true,
      dpop_bound_access_tokens: true,
      id_token_signed_response_alg: "ES256",
    });
    expect(client).not.toHaveProperty("unknown_member");
  });

  it("defaults grant_types to the CIBA grant and the name to the client_id", async () => {
    const response = await register(provider, { backchannel_token_delivery_mode: "poll" });
    expect(response.status).toBe(201);
    expect(response.body.grant_types).toEqual([CIBA_GRANT_TYPE]);
    expect(response.body.client_name).toBe(response.body.client_id);
  });

  it("is advertised in discovery", async () => {
    const { body } = await getJson(`${provider.issuer}/.well-known/openid-configuration`);
    expect(body.registration_endpoint).toBe(`${provider.issuer}/register`);
  });
});

describe("registration metadata validation", () => {
  const key = clientKey("ES256");

  it.each<[string, Record<string, unknown>, string]>([
    ["no delivery mode", { grant_types: [CIBA_GRANT_TYPE] }, "backchannel_token_delivery_mode is required for the CIBA grant"],
    ["an unknown delivery mode", { ...poll, backchannel_token_delivery_mode: "fast" }, "backchannel_token_delivery_mode must be one of poll, ping, push"],
    ["ping without a notification endpoint", { ...poll, backchannel_token_delivery_mode: "ping" }, "backchannel_client_notification_endpoint is required for ping mode"],
    ["push without a notification endpoint", { ...poll, backchannel_token_delivery_mode: "push" }, "backchannel_client_notification_endpoint is required for push mode"],
    [
      "a notification endpoint at the cloud metadata address",
      { ...poll, backchannel_token_delivery_mode: "ping", backchannel_client_notification_endpoint: "http://169.254.169.254/latest" },
      "the host of backchannel_client_notification_endpoint is a link-local address, which notifications may not be sent to",
    ],
    [
      "a notification endpoint that is not a URL",
      { ...poll, backchannel_token_delivery_mode: "push", backchannel_client_notification_endpoint: "/ciba/push" },
      "backchannel_client_notification_endpoint must be an absolute URL",
    ],
    ["a notification endpoint for poll mode", { ...poll, backchannel_client_notification_endpoint: "http://127.0.0.1:4999/cb" }, "backchannel_client_notification_endpoint applies to ping and push modes only"],
    ["a public client", { ...poll, token_endpoint_auth_method: "none" }, "token_endpoint_auth_method none is not allowed: CIBA clients must authenticate"],
    ["an unknown auth method", { ...poll, token_endpoint_auth_method: "tls_client_auth" }, "token_endpoint_auth_method must be one of client_secret_basic, client_secret_post, client_secret_jwt, private_key_jwt, none"],
    ["an unsupported grant type", { ...poll, grant_types: [CIBA_GRANT_TYPE, "authorization_code"] }, "grant_type authorization_code is not supported: this provider serves the CIBA and refresh_token grants"],
    ["grant types without CIBA", { ...poll, grant_types: [REFRESH_TOKEN_GRANT_TYPE] }, `grant_types must include ${CIBA_GRANT_TYPE}`],
    ["grant_types that is not an array", { ...poll, grant_types: CIBA_GRANT_TYPE }, "grant_types must be an array of strings"],
    ["private_key_jwt without keys", { ...poll, token_endpoint_auth_method: "private_key_jwt" }, "private_key_jwt needs the client's public keys in jwks or jwks_uri"],
    ["a request signing alg without keys", { ...poll, backchannel_authentication_request_signing_alg: "ES256" }, "backchannel_authentication_request_signing_alg needs the client's public keys in jwks or jwks_uri"],
    ["request signing alg none", { ...poll, backchannel_authentication_request_signing_alg: "none" }, "backchannel_authentication_request_signing_alg must be one of RS256, PS256, ES256"],
    ["request signing alg HS256", { ...poll, backchannel_authentication_request_signing_alg: "HS256" }, "backchannel_authentication_request_signing_alg must be one of RS256, PS256, ES256"],
    ["an HMAC alg for private_key_jwt", { ...poll, token_endpoint_auth_method: "client_secret_basic", token_endpoint_auth_signing_alg: "ES256" }, "token_endpoint_auth_signing_alg applies to private_key_jwt and client_secret_jwt only"],
    ["an ID token alg that is not supported", { ...poll, id_token_signed_response_alg: "HS256" }, "id_token_signed_response_alg must be one of RS256, PS256, ES256"],
    ["pairwise subjects", { ...poll, subject_type: "pairwise" }, "subject_type must be one of public"],
    ["an unknown scope", { ...poll, scope: "openid payments" }, "scope payments is not supported"],
    ["front-channel response types", { ...poll, response_types: ["code"] }, "response_types must be empty: this provider has no authorization endpoint"],
    ["a non-boolean flag", { ...poll, dpop_bound_access_tokens: "yes" }, "dpop_bound_access_tokens must be a boolean"],
    ["a logo_uri that is not a URL", { ...poll, logo_uri: "logo.png" }, "logo_uri must contain absolute URLs"],
    ["a JSON array instead of an object", [] as unknown as Record<string, unknown>, "the registration request must be a JSON object"],
  ])("refuses %s", async (_name, metadata, description) => {
    expectMetadataError(await register(provider, metadata), description);
  });

  it("refuses jwks together with jwks_uri", async () => {
    const response = await register(provider, { ...poll, jwks: jwksOf(await key), jwks_uri: "https://client.example/jwks" });
    expectMetadataError(response, "jwks and jwks_uri must not both be present");
  });

  it("accepts a jwks_uri at a loopback or private address (the demo runs on one machine or network)", async () => {
    for (const jwksUri of ["http://127.0.0.1:8443/jwks", "http://10.0.0.5/jwks"]) {
      const response = await register(provider, { ...poll, token_endpoint_auth_method: "private_key_jwt", jwks_uri: jwksUri });
      expect(response.status).toBe(201);
      expect(response.body.jwks_uri).toBe(jwksUri);
    }
  });

  it("refuses a jwks_uri at a link-local or cloud metadata address even here", async () => {
    for (const [jwksUri, range] of [
      ["http://169.254.169.254/latest/meta-data/jwks", "a link-local address"],
      ["http://100.100.100.200/jwks", "a cloud metadata address"],
    ]) {
      const response = await register(provider, { ...poll, token_endpoint_auth_method: "private_key_jwt", jwks_uri: jwksUri });
      expectMetadataError(response, `the host of jwks_uri is ${range}, which keys may not be fetched from`);
    }
  });

  it("refuses private key material in jwks", async () => {
    const { privateKey, kid } = await key;
    const { exportJWK } = await import("jose");
    const jwks = { keys: [{ ...(await exportJWK(privateKey)), kid }] };
    expectMetadataError(await register(provider, { ...poll, jwks }), `jwks key ${kid} contains private or symmetric key material; register public keys only`);
  });

  it("refuses an RSA key shorter than 2048 bits", async () => {
    expectMetadataError(await register(provider, { ...poll, jwks: { keys: [weakRsaJwk("weak")] } }), "jwks key weak is an RSA key shorter than 2048 bits");
  });

  it("refuses a jwks without keys", async () => {
    expectMetadataError(await register(provider, { ...poll, jwks: { keys: [] } }), "jwks must contain at least one key");
  });

  it("refuses a redirect URI that is not absolute with invalid_redirect_uri", async () => {
    expectMetadataError(await register(provider, { ...poll, redirect_uris: ["/callback"] }), "redirect_uris must contain absolute URLs", "invalid_redirect_uri");
  });

  it("refuses a redirect URI with a fragment with invalid_redirect_uri", async () => {
    expectMetadataError(
      await register(provider, { ...poll, redirect_uris: ["https://client.example/cb#x"] }),
      "redirect_uris must not contain a fragment",
      "invalid_redirect_uri",
    );
  });

  it("refuses a body that is not JSON with invalid_request", async () => {
    const response = await fetch(url(provider, "/register"), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=b" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_request", error_description: "the request body must be application/json" });
  });
});

describe("registration management (RFC 7592)", () => {
  it("reads, updates and deletes a registration with its registration access token", async () => {
    const created = await registerClient(provider, { client_name: "Before", grant_types: [CIBA_GRANT_TYPE] });
    const uri = created.registration_client_uri;

    // Read: the current metadata and a new registration access token; the old one stops working.
    const read = await manage(uri, created.registration_access_token!, { method: "GET" });
    expect(read.status).toBe(200);
    expect(read.headers.get("cache-control")).toBe("no-store");
    const current = clientRegistrationResponseSchema.parse(await read.json());
    expect(current).toMatchObject({ client_id: created.client_id, client_name: "Before", client_secret_expires_at: 0 });
    expect(current.client_secret).toBeUndefined();
    expect(current.registration_access_token).not.toBe(created.registration_access_token);
    expect((await manage(uri, created.registration_access_token!, { method: "GET" })).status).toBe(401);

    // Update: a full replacement; the secret stays the same for a secret method.
    const updated = await manage(uri, current.registration_access_token!, {
      method: "PUT",
      body: {
        client_id: created.client_id,
        client_secret: created.client_secret,
        client_name: "After",
        grant_types: [CIBA_GRANT_TYPE, REFRESH_TOKEN_GRANT_TYPE],
        backchannel_token_delivery_mode: "poll",
        backchannel_user_code_parameter: true,
      },
    });
    expect(updated.status).toBe(200);
    const afterUpdate = clientRegistrationResponseSchema.parse(await updated.json());
    expect(afterUpdate).toMatchObject({
      client_name: "After",
      grant_types: [CIBA_GRANT_TYPE, REFRESH_TOKEN_GRANT_TYPE],
      backchannel_user_code_parameter: true,
    });
    expect(afterUpdate.client_secret).toBeUndefined();
    const ba = await backchannelAuthenticate(provider, { scope: "openid", login_hint: ALICE, user_code: "sunflower" }, created.client_id, created.client_secret);
    expect(ba.status).toBe(200);

    // Delete: 204, then the token and the client credentials are gone.
    const deleted = await manage(uri, afterUpdate.registration_access_token!, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    const after = await manage(uri, afterUpdate.registration_access_token!, { method: "GET" });
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({ error: "invalid_token", error_description: "the registration access token is not valid for this client" });
    const refused = await backchannelAuthenticate(provider, { scope: "openid", login_hint: ALICE }, created.client_id, created.client_secret);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe("invalid_client");
  });

  it("refuses a client another instance deleted while this one still had it cached (no Redis to tell it)", async () => {
    const created = await registerClient(provider);
    const start = () => backchannelAuthenticate(provider, { scope: "openid", login_hint: ALICE }, created.client_id, created.client_secret);
    expect((await start()).status).toBe(200);
    // A second set of repositories on the same database stands for another instance: its delete does
    // not reach this instance's client cache, so client authentication still passes here.
    await createRepositories(provider.deps.db).clients.delete(created.client_id);

    const refused = await start();
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toBe('Basic realm="ciba"');
    expect(refused.body).toEqual({ error: "invalid_client", error_description: "client authentication failed: unknown client" });
  });

  it("issues a new secret when an update moves a client to a secret method", async () => {
    const key = await clientKey("ES256");
    const created = await registerClient(provider, { token_endpoint_auth_method: "private_key_jwt", jwks: jwksOf(key) });
    const response = await manage(created.registration_client_uri, created.registration_access_token!, {
      method: "PUT",
      body: { client_id: created.client_id, ...poll, token_endpoint_auth_method: "client_secret_post" },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { client_secret?: string };
    expect(body.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await backchannelAuthenticate(provider, { scope: "openid", login_hint: ALICE }, "demo-poll")).status).toBe(200);
  });

  it("refuses an update whose client_id differs", async () => {
    const created = await registerClient(provider);
    const response = await manage(created.registration_client_uri, created.registration_access_token!, {
      method: "PUT",
      body: { client_id: "someone-else", ...poll },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "invalid_client_metadata",
      error_description: "client_id in the body must be the client_id of the registration being updated",
    });
  });

  it("refuses an update with a wrong client_secret", async () => {
    const created = await registerClient(provider);
    const response = await manage(created.registration_client_uri, created.registration_access_token!, {
      method: "PUT",
      body: { client_id: created.client_id, client_secret: "guess", ...poll },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "invalid_client_metadata",
      error_description: "client_secret in the body does not match the client's current secret",
    });
  });

  it("refuses another client's registration access token", async () => {
    const mine = await registerClient(provider);
    const theirs = await registerClient(provider);
    const response = await manage(theirs.registration_client_uri, mine.registration_access_token!, { method: "GET" });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      'Bearer realm="ciba", error="invalid_token", error_description="the registration access token is not valid for this client"',
    );
  });

  it("refuses management without a token", async () => {
    const created = await registerClient(provider);
    const response = await fetch(created.registration_client_uri);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_token", error_description: "the registration access token is required" });
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="ciba"');
  });

  it("answers other methods with 405", async () => {
    const created = await registerClient(provider);
    const response = await postJson(created.registration_client_uri, {});
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, PUT, DELETE");
  });
});
