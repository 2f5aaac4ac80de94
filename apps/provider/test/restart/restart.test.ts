// Nothing in flight is lost when the provider restarts: a pending request survives and completes, and
// the signing keys (and so every kid and issued token) stay the same.
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveAsUser, pollToken, startRequest } from "../support/flows";
import { getJson } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

let provider: TestProvider;
beforeAll(async () => void (provider = await startTestProvider()));
afterAll(() => provider.close());

const kids = async (p: TestProvider) =>
  (await getJson<{ keys: Array<{ kid: string }> }>(`${p.issuer}/jwks`)).body.keys.map((k) => k.kid).sort();

describe("restart", () => {
  it("keeps pending requests and signing keys", async () => {
    const kidsBefore = await kids(provider);
    const { auth_req_id } = await startRequest(provider);
    expect((await pollToken(provider, auth_req_id)).body.error).toBe("authorization_pending");

    provider = await provider.restart();

    expect(await kids(provider)).toEqual(kidsBefore);
    await approveAsUser(provider);
    const tokens = await pollToken(provider, auth_req_id);
    expect(tokens.status).toBe(200);
    const { payload } = await jwtVerify(tokens.body.id_token as string, createRemoteJWKSet(new URL(`${provider.issuer}/jwks`)), {
      issuer: provider.issuer,
      audience: "demo-poll",
    });
    expect(payload.sub).toEqual(expect.any(String));
  });

  it("accepts access tokens issued before the restart", async () => {
    const { auth_req_id } = await startRequest(provider);
    await approveAsUser(provider);
    const { access_token } = (await pollToken(provider, auth_req_id)).body as { access_token: string };
    provider = await provider.restart();
    const userinfo = await getJson(`${provider.issuer}/userinfo`, { authorization: `Bearer ${access_token}` });
    expect(userinfo.status).toBe(200);
  });
});
