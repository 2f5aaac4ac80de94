// Registration outside the demo profile: with NODE_ENV=production it needs the initial access token
// (RFC 7591 §3) from REGISTRATION_INITIAL_ACCESS_TOKEN, and is closed when none is configured;
// notification endpoints and jwks_uri must be https to public addresses (host names checked against
// what they resolve to, here an injected resolver); client_secret_jwt is offered only with a configured
// CLIENT_SECRET_ENCRYPTION_KEY.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Resolver } from "../../src/delivery/endpoint-safety";
import { readEnv } from "../../src/env";
import { url } from "../support/flows";
import { getJson, type JsonResponse } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";
import { register } from "../support/registration";

const INITIAL = randomBytes(32).toString("base64url");
const poll = { backchannel_token_delivery_mode: "poll" };
const withToken = { authorization: `Bearer ${INITIAL}` };
const keyed = { ...poll, token_endpoint_auth_method: "private_key_jwt" };

/** DNS as the tests want it: a client host with a public address and one inside the network. */
const dns: Resolver = (host) => {
  const answers: Record<string, string> = { "keys.rp.test": "93.184.215.14", "keys.internal.test": "10.0.0.5" };
  const address = answers[host];
  return address ? Promise.resolve([{ address, family: 4 }]) : Promise.reject(new Error("ENOTFOUND"));
};

function expectError(response: JsonResponse, status: number, error: string, description: string) {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({ error, error_description: description });
}

const metadataOf = async (provider: TestProvider) => (await getJson(`${provider.issuer}/.well-known/openid-configuration`)).body;

describe("production with an initial access token", () => {
  let provider: TestProvider;
  beforeAll(async () => {
    provider = await startTestProvider({ env: { NODE_ENV: "production", REGISTRATION_INITIAL_ACCESS_TOKEN: INITIAL }, resolve: dns });
  });
  afterAll(() => provider.close());

  it("advertises registration but not client_secret_jwt (no key-encryption key configured)", async () => {
    const metadata = await metadataOf(provider);
    expect(metadata.registration_endpoint).toBe(`${provider.issuer}/register`);
    expect(metadata.token_endpoint_auth_methods_supported).not.toContain("client_secret_jwt");
    expect(metadata.token_endpoint_auth_signing_alg_values_supported).not.toContain("HS256");
  });

  it("refuses a registration without the initial access token", async () => {
    const response = await register(provider, poll);
    expectError(response, 401, "invalid_token", "an initial access token is required to register a client");
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="ciba"');
  });

  it("refuses a wrong initial access token", async () => {
    expectError(await register(provider, poll, { authorization: "Bearer not-the-token" }), 401, "invalid_token", "the initial access token is not valid");
  });

  it("registers with the initial access token", async () => {
    const response = await register(provider, poll, withToken);
    expect(response.status).toBe(201);
    expect(response.body.registration_client_uri).toBe(url(provider, `/register/${response.body.client_id}`));
  });

  it("refuses client_secret_jwt", async () => {
    expectError(
      await register(provider, { ...poll, token_endpoint_auth_method: "client_secret_jwt" }, withToken),
      400,
      "invalid_client_metadata",
      "client_secret_jwt is not available on this provider (no client secret encryption key is configured)",
    );
  });

  it("refuses an http notification endpoint", async () => {
    expectError(
      await register(provider, { backchannel_token_delivery_mode: "ping", backchannel_client_notification_endpoint: "http://93.184.215.14/cb" }, withToken),
      400,
      "invalid_client_metadata",
      "backchannel_client_notification_endpoint must be an https URL",
    );
  });

  it("refuses a loopback notification endpoint", async () => {
    expectError(
      await register(provider, { backchannel_token_delivery_mode: "ping", backchannel_client_notification_endpoint: "https://127.0.0.1/cb" }, withToken),
      400,
      "invalid_client_metadata",
      "the host of backchannel_client_notification_endpoint is a loopback address, which notifications may not be sent to",
    );
  });

  it("accepts an https notification endpoint at a public address", async () => {
    const response = await register(provider, { backchannel_token_delivery_mode: "ping", backchannel_client_notification_endpoint: "https://93.184.215.14/ciba/ping" }, withToken);
    expect(response.status).toBe(201);
  });

  it("refuses an http jwks_uri", async () => {
    expectError(
      await register(provider, { ...poll, token_endpoint_auth_method: "private_key_jwt", jwks_uri: "http://93.184.215.14/jwks" }, withToken),
      400,
      "invalid_client_metadata",
      "jwks_uri must use https",
    );
  });

  it.each([
    ["at a loopback address", "https://127.0.0.1/jwks", "the host of jwks_uri is a loopback address, which keys may not be fetched from"],
    ["at the cloud metadata address", "https://169.254.169.254/latest/meta-data/jwks", "the host of jwks_uri is a link-local address, which keys may not be fetched from"],
    ["whose host resolves to a private address", "https://keys.internal.test/jwks", "the host of jwks_uri resolves to a private address, which keys may not be fetched from"],
    ["whose host does not resolve", "https://nowhere.rp.test/jwks", "the host of jwks_uri could not be resolved"],
  ])("refuses a jwks_uri %s", async (_name, jwksUri, description) => {
    expectError(await register(provider, { ...keyed, jwks_uri: jwksUri }, withToken), 400, "invalid_client_metadata", description);
  });

  it("accepts a jwks_uri whose host resolves to a public address, and refuses an update to an internal one", async () => {
    const created = await register(provider, { ...keyed, jwks_uri: "https://keys.rp.test/jwks" }, withToken);
    expect(created.status).toBe(201);
    expect(created.body.jwks_uri).toBe("https://keys.rp.test/jwks");

    const update = await fetch(created.body.registration_client_uri, {
      method: "PUT",
      headers: { authorization: `Bearer ${created.body.registration_access_token}`, "content-type": "application/json" },
      body: JSON.stringify({ client_id: created.body.client_id, ...keyed, jwks_uri: "https://keys.internal.test/jwks" }),
    });
    expectError(
      { status: update.status, body: (await update.json()) as Record<string, unknown>, headers: update.headers },
      400,
      "invalid_client_metadata",
      "the host of jwks_uri resolves to a private address, which keys may not be fetched from",
    );
  });
});

describe("production without an initial access token", () => {
  let provider: TestProvider;
  beforeAll(async () => void (provider = await startTestProvider({ env: { NODE_ENV: "production" } })));
  afterAll(() => provider.close());

  it("closes registration and does not advertise it", async () => {
    expect((await register(provider, poll)).status).toBe(404);
    expect(await metadataOf(provider)).not.toHaveProperty("registration_endpoint");
  });
});

describe("production with a client secret encryption key", () => {
  let provider: TestProvider;
  beforeAll(async () => {
    provider = await startTestProvider({
      env: { NODE_ENV: "production", REGISTRATION_INITIAL_ACCESS_TOKEN: INITIAL, CLIENT_SECRET_ENCRYPTION_KEY: randomBytes(32).toString("base64url") },
    });
  });
  afterAll(() => provider.close());

  it("offers and registers client_secret_jwt", async () => {
    expect((await metadataOf(provider)).token_endpoint_auth_methods_supported).toContain("client_secret_jwt");
    const response = await register(provider, { ...poll, token_endpoint_auth_method: "client_secret_jwt" }, withToken);
    expect(response.status).toBe(201);
    expect(response.body.client_secret).toEqual(expect.any(String));
  });
});

describe("the demo profile with an initial access token configured", () => {
  let provider: TestProvider;
  beforeAll(async () => void (provider = await startTestProvider({ env: { REGISTRATION_INITIAL_ACCESS_TOKEN: INITIAL } })));
  afterAll(() => provider.close());

  it("requires it as well", async () => {
    expect((await register(provider, poll)).status).toBe(401);
    expect((await register(provider, poll, withToken)).status).toBe(201);
  });
});

describe("REGISTRATION_INITIAL_ACCESS_TOKEN", () => {
  it("must be long enough to be unguessable, or the provider does not start", () => {
    expect(() => readEnv({ REGISTRATION_INITIAL_ACCESS_TOKEN: "letmein" })).toThrow(
      "REGISTRATION_INITIAL_ACCESS_TOKEN: must be at least 32 characters of random text",
    );
  });
});
