// CIBA Core §10.1.1: an auth_req_id is redeemed once. Fifty clients racing for the same approved
// request: exactly one gets tokens, the rest invalid_grant, and exactly one grant exists.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveAsUser, pollToken, startRequest } from "../support/flows";
import { startTestProvider, type TestProvider } from "../support/provider";

let provider: TestProvider;
beforeAll(async () => void (provider = await startTestProvider()));
afterAll(() => provider.close());

describe("concurrent redemption", () => {
  it("gives tokens to exactly one of 50 concurrent token requests", async () => {
    const { auth_req_id } = await startRequest(provider);
    await approveAsUser(provider);
    const responses = await Promise.all(Array.from({ length: 50 }, () => pollToken(provider, auth_req_id)));
    const winners = responses.filter((r) => r.status === 200);
    const losers = responses.filter((r) => r.status !== 200);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(49);
    for (const loser of losers) {
      expect(loser.status).toBe(400);
      expect(loser.body.error).toBe("invalid_grant");
    }
    const request = await provider.deps.repos.authRequests.findByAuthReqId(auth_req_id);
    expect(await provider.deps.db.prisma.grant.count({ where: { authRequestId: request!.id } })).toBe(1);
  });
});
