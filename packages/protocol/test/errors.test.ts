import { describe, expect, it } from "vitest";
import { errorDescriptionPattern, oauthErrorStatus } from "../src/errors";

describe("OAuth error codes", () => {
  it("carry the statuses CIBA Core §11 and §13 give them", () => {
    expect(oauthErrorStatus.invalid_client).toBe(401);
    expect(oauthErrorStatus.access_denied).toBe(403);
    for (const code of ["invalid_request", "invalid_scope", "expired_login_hint_token", "unknown_user_id", "unauthorized_client",
      "missing_user_code", "invalid_user_code", "invalid_binding_message", "authorization_pending", "slow_down", "expired_token",
      "invalid_grant"] as const) {
      expect(oauthErrorStatus[code], code).toBe(400);
    }
  });

  it("restricts error_description to RFC 6749 characters", () => {
    expect(errorDescriptionPattern.test("scope is required")).toBe(true);
    expect(errorDescriptionPattern.test('a "quote"')).toBe(false);
    expect(errorDescriptionPattern.test("back\\slash")).toBe(false);
    expect(errorDescriptionPattern.test("é")).toBe(false);
  });
});
