// A user_code (CIBA Core §7.1) keeps requests off a user's device unless the sender knows it. It is a
// word or two, so it could be found by trying: five wrong codes for one user lock that user's code for
// five minutes, whichever client tries, and the right code clears the count, as a right PIN does.
import { DEMO_CLIENT_SECRET, demoUsers } from "@ciba/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backchannelAuthenticate, createClient } from "../support/flows";
import type { JsonResponse } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

const [, bob, carol] = demoUsers;

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider();
  await createClient(provider, "desk-a", "poll", { userCodeParameter: true });
  await createClient(provider, "desk-b", "poll", { userCodeParameter: true });
});
afterAll(() => provider.close());

const attempt = (user: { email: string }, userCode: string, clientId = "desk-a") =>
  backchannelAuthenticate(provider, { scope: "openid", login_hint: user.email, user_code: userCode }, clientId, DEMO_CLIENT_SECRET);

function expectWrongCode(response: JsonResponse) {
  expect(response.status).toBe(400);
  expect(response.body).toEqual({ error: "invalid_user_code", error_description: "user_code is not valid for this user" });
}

function expectLocked(response: JsonResponse) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get("retry-after"));
  expect(retryAfter).toBeGreaterThanOrEqual(295);
  expect(retryAfter).toBeLessThanOrEqual(300);
  expect(response.body).toEqual({
    error: "too_many_requests",
    error_description: `too many wrong user codes for this user; retry after ${retryAfter} seconds`,
  });
}

describe("wrong user codes", () => {
  it("are forgiven by the right code before the fifth", async () => {
    for (let i = 0; i < 4; i++) expectWrongCode(await attempt(bob, `guess-${i}`));
    expect((await attempt(bob, bob.userCode)).status).toBe(200);
    for (let i = 0; i < 4; i++) expectWrongCode(await attempt(bob, `guess-again-${i}`));
    expect((await attempt(bob, bob.userCode)).status).toBe(200);
  });

  it("lock the user's code after the fifth, for every client, the right code included", async () => {
    for (let i = 0; i < 5; i++) expectWrongCode(await attempt(bob, `guess-${i}`));
    expectLocked(await attempt(bob, bob.userCode));
    expectLocked(await attempt(bob, bob.userCode, "desk-b"));
    expectLocked(await attempt(bob, "another-guess", "desk-b"));
  });

  it("leave other users' codes alone", async () => {
    expect((await attempt(carol, carol.userCode)).status).toBe(200);
    expectWrongCode(await attempt(carol, "sunflower"));
    expect((await attempt(carol, carol.userCode, "desk-b")).status).toBe(200);
  });
});
