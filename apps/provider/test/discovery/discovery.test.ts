// OIDC Discovery §3 with the CIBA metadata of CIBA Core §4, and every advertised endpoint answering.
import { CIBA_GRANT_TYPE, providerMetadataSchema } from "@ciba/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

let provider: TestProvider;
beforeAll(async () => void (provider = await startTestProvider()));
afterAll(() => provider.close());

describe("discovery", () => {
  it("publishes the CIBA metadata", async () => {
    const { status, body, headers } = await getJson(`${provider.issuer}/.well-known/openid-configuration`);
    expect(status).toBe(200);
    expect(headers.get("content-type")).toMatch(/^application\/json/);
    const metadata = providerMetadataSchema.parse(body);
    expect(metadata.issuer).toBe(provider.issuer);
    expect(metadata.backchannel_authentication_endpoint).toBe(`${provider.issuer}/backchannel-authentication`);
    expect(metadata.backchannel_token_delivery_modes_supported).toEqual(["poll", "ping", "push"]);
    expect(metadata.backchannel_user_code_parameter_supported).toBe(true);
    expect(metadata.grant_types_supported).toContain(CIBA_GRANT_TYPE);
    expect(metadata.grant_types_supported).toContain("refresh_token");
    expect(metadata.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(["RS256", "PS256", "ES256"]));
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(["client_secret_basic", "client_secret_post", "private_key_jwt"]),
    );
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(["openid", "profile", "email", "phone"]));
    expect(metadata.claims_supported).toEqual(expect.arrayContaining(["sub", "email", "phone_number", "acr", "auth_time"]));
  });

  it("serves a JWKS with RS256, PS256 and ES256 keys, public parts only", async () => {
    const { status, body, headers } = await getJson<{ keys: Array<Record<string, string>> }>(`${provider.issuer}/jwks`);
    expect(status).toBe(200);
    expect(headers.get("content-type")).toMatch(/^application\/jwk-set\+json/);
    expect(body.keys.map((k) => k.alg).sort()).toEqual(["ES256", "PS256", "RS256"]);
    for (const key of body.keys) {
      expect(key.kid).toEqual(expect.any(String));
      expect(key.use).toBe("sig");
      expect(key).not.toHaveProperty("d");
      expect(key).not.toHaveProperty("p");
    }
  });

  it("lists only endpoints that answer", async () => {
    const { body } = await getJson<Record<string, string>>(`${provider.issuer}/.well-known/openid-configuration`);
    const endpoints = Object.entries(body).filter(([name]) => name.endsWith("_endpoint") || name === "jwks_uri");
    expect(endpoints.length).toBeGreaterThanOrEqual(4);
    for (const [name, url] of endpoints) {
      const response = await fetch(url, { method: name === "jwks_uri" || name === "userinfo_endpoint" ? "GET" : "POST" });
      expect(response.status, `${name} ${url}`).not.toBe(404);
      expect(response.status, `${name} ${url}`).toBeLessThan(500);
    }
  });
});
