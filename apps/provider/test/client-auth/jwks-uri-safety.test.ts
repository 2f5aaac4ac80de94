// Fetching a client's jwks_uri safely (checklist §15.4): the URL is the client's choice, so every fetch
// checks again what the host resolves to under the profile and connects only to the addresses checked
// (a DNS answer changed after registration is refused), follows no redirect and reads a bounded
// response. A refused fetch fails like any unusable jwks_uri: 401 invalid_client for a client
// assertion, 400 invalid_request for a signed request, never a 500.
import { randomBytes } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_JWKS_BYTES } from "../../src/client-auth/jwks-fetch";
import type { Resolver } from "../../src/delivery/endpoint-safety";
import { ALICE, url } from "../support/flows";
import { basic, type JsonResponse, postForm } from "../support/http";
import { assertionParams, type ClientKey, clientKey, jwksOf, signedRequest } from "../support/keys";
import { startTestProvider, type TestProvider } from "../support/provider";
import { register, registerClient } from "../support/registration";

const INITIAL = randomBytes(32).toString("base64url");
const withToken = { authorization: `Bearer ${INITIAL}` };
const poll = { backchannel_token_delivery_mode: "poll" };

/** A client's JWKS server on loopback, counting every connection and request it gets. */
interface JwksServer {
  url(path: string): string;
  port: number;
  connections: number;
  requests: string[];
  close(): Promise<void>;
}

async function startJwksServer(handle: (path: string, res: ServerResponse) => void): Promise<JwksServer> {
  const server: Server = createServer((req, res) => {
    state.requests.push(req.url ?? "");
    handle(req.url ?? "", res);
  });
  server.on("connection", () => void state.connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const state: JwksServer = {
    port,
    connections: 0,
    requests: [],
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return state;
}

const ba = (provider: TestProvider, params: Record<string, string>, headers: Record<string, string> = {}) =>
  postForm(url(provider, "/backchannel-authentication"), { scope: "openid", login_hint: ALICE, ...params }, headers);

function expectError(response: JsonResponse, status: number, error: string, description: string) {
  expect(response.status).toBe(status);
  expect(response.body).toEqual({ error, error_description: description });
}

describe("a jwks_uri whose host resolves to a private address after registration (production)", () => {
  let provider: TestProvider;
  let keys: JwksServer;
  let key: ClientKey;
  // Each host answers a public address once (at registration), then loopback, where the JWKS server is.
  const lookups = new Map<string, number>();
  const dns: Resolver = (host) => {
    const seen = lookups.get(host) ?? 0;
    lookups.set(host, seen + 1);
    return Promise.resolve([{ address: seen === 0 ? "93.184.215.14" : "127.0.0.1", family: 4 }]);
  };

  beforeAll(async () => {
    key = await clientKey("ES256");
    keys = await startJwksServer((_path, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(jwksOf(key)));
    });
    provider = await startTestProvider({ env: { NODE_ENV: "production", REGISTRATION_INITIAL_ACCESS_TOKEN: INITIAL }, resolve: dns });
  });
  afterAll(async () => {
    await provider.close();
    await keys.close();
  });

  it("refuses the client assertion with 401 invalid_client, without connecting", async () => {
    const jwksUri = `https://assertion.rp.test:${keys.port}/jwks`;
    const created = await register(provider, { ...poll, token_endpoint_auth_method: "private_key_jwt", jwks_uri: jwksUri }, withToken);
    expect(created.status).toBe(201);

    const response = await ba(provider, await assertionParams(key, created.body.client_id, provider.issuer));
    expectError(response, 401, "invalid_client", "the client's jwks_uri could not be used to verify the client_assertion");
    expect(lookups.get("assertion.rp.test")).toBe(2);
    expect(keys.connections).toBe(0);
  });

  it("refuses a signed authentication request with 400 invalid_request, without connecting", async () => {
    const jwksUri = `https://request.rp.test:${keys.port}/jwks`;
    const created = await register(provider, { ...poll, backchannel_authentication_request_signing_alg: "ES256", jwks_uri: jwksUri }, withToken);
    expect(created.status).toBe(201);

    const request = await signedRequest(key, created.body.client_id, provider.issuer, { login_hint: ALICE });
    const response = await postForm(url(provider, "/backchannel-authentication"), { request }, {
      authorization: basic(created.body.client_id, created.body.client_secret!),
    });
    expectError(response, 400, "invalid_request", "the client's jwks_uri could not be used to verify the request");
    expect(keys.connections).toBe(0);
  });
});

describe("jwks_uri responses (demo/test profile, loopback allowed)", () => {
  let provider: TestProvider;
  let keys: JwksServer;
  let key: ClientKey;

  beforeAll(async () => {
    key = await clientKey("ES256");
    keys = await startJwksServer((path, res) => {
      if (path === "/redirect") {
        res.writeHead(302, { location: "/jwks" });
        res.end();
      } else if (path === "/large") {
        // A valid key set, padded past the cap.
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ ...jwksOf(key), padding: "x".repeat(MAX_JWKS_BYTES) }));
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(jwksOf(key)));
      }
    });
    provider = await startTestProvider();
  });
  afterAll(async () => {
    await provider.close();
    await keys.close();
  });

  const authenticate = async (path: string) => {
    const client = await registerClient(provider, { token_endpoint_auth_method: "private_key_jwt", jwks_uri: keys.url(path) });
    return ba(provider, await assertionParams(key, client.client_id, provider.issuer));
  };

  it("authenticates with a key served at http://127.0.0.1", async () => {
    expect((await authenticate("/jwks")).status).toBe(200);
    expect(keys.requests).toContain("/jwks");
  });

  it("refuses a response larger than the cap with 401 invalid_client, not a 500", async () => {
    expectError(await authenticate("/large"), 401, "invalid_client", "the client's jwks_uri could not be used to verify the client_assertion");
    expect(keys.requests).toContain("/large");
  });

  it("does not follow a redirect", async () => {
    const before = keys.requests.length;
    expectError(await authenticate("/redirect"), 401, "invalid_client", "the client's jwks_uri could not be used to verify the client_assertion");
    expect(keys.requests.slice(before)).toEqual(["/redirect"]);
  });
});
