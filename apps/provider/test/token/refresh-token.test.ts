// RFC 6749 §6 with rotation: a refresh token works once, is bound to its client, and a reused one
// revokes the grant.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveAsUser, createClient, pollToken, startRequest, url } from "../support/flows";
import { basic, type JsonResponse, postForm } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider();
  await createClient(provider, "other-poll", "poll");
});
afterAll(() => provider.close());

async function tokens() {
  const { auth_req_id } = await startRequest(provider);
  await approveAsUser(provider);
  const response = await pollToken(provider, auth_req_id);
  expect(response.status).toBe(200);
  return response.body as { access_token: string; refresh_token: string; id_token: string };
}

const refresh = (refreshToken: string, clientId = "demo-poll", extra: Record<string, string> = {}) =>
  postForm(url(provider, "/token"), { grant_type: "refresh_token", refresh_token: refreshToken, ...extra }, { authorization: basic(clientId, "demo-secret") });

function expectInvalidGrant(response: JsonResponse, description: string) {
  expect(response.status).toBe(400);
  expect(response.body).toEqual({ error: "invalid_grant", error_description: description });
}

describe("refresh_token grant", () => {
  it("issues new tokens and a new refresh token", async () => {
    const first = await tokens();
    const response = await refresh(first.refresh_token);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.body.refresh_token).toEqual(expect.any(String));
    expect(response.body.refresh_token).not.toBe(first.refresh_token);
    expect(response.body.access_token).not.toBe(first.access_token);
    expect(response.body.scope).toBe("openid profile email phone");
  });

  it("refuses a refresh token used twice and revokes the grant", async () => {
    const first = await tokens();
    const rotated = await refresh(first.refresh_token);
    expectInvalidGrant(await refresh(first.refresh_token), "refresh_token has already been used; the grant is revoked");
    // The rotated token died with the grant.
    expectInvalidGrant(await refresh(rotated.body.refresh_token as string), "the grant of this refresh_token has been revoked");
  });

  it("refuses another client's refresh token", async () => {
    const first = await tokens();
    expectInvalidGrant(await refresh(first.refresh_token, "other-poll"), "refresh_token is unknown or was issued to another client");
    expect((await refresh(first.refresh_token)).status).toBe(200);
  });

  it("refuses an unknown refresh token", async () => {
    expectInvalidGrant(await refresh("not-a-token"), "refresh_token is unknown or was issued to another client");
  });

  it("narrows the scope on request, never beyond what was originally granted", async () => {
    const first = await tokens();
    const narrowed = await refresh(first.refresh_token, "demo-poll", { scope: "openid email" });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.scope).toBe("openid email");
    // RFC 6749 §6: any scope the user originally granted may be asked for again.
    const restored = await refresh(narrowed.body.refresh_token as string, "demo-poll", { scope: "openid email phone" });
    expect(restored.status).toBe(200);
    const widened = await refresh(restored.body.refresh_token as string, "demo-poll", { scope: "openid offline_access" });
    expect(widened.status).toBe(400);
    expect(widened.body).toEqual({ error: "invalid_scope", error_description: "scope must be a subset of the originally granted scope" });
  });

  it("stores refresh tokens hashed", async () => {
    const first = await tokens();
    const stored = await provider.deps.db.prisma.refreshToken.findMany();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.some((t) => t.tokenHash === first.refresh_token)).toBe(false);
  });
});
