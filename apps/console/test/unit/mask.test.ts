// What the inspector may show of an HTTP message: credentials never, everything else as sent.
import { describe, expect, it } from "vitest";
import { maskAuthorization, maskBody, maskHeaders, maskToken } from "../../src/rp/mask";

describe("masking", () => {
  it("shows the client id of a Basic header, never the secret", () => {
    expect(maskAuthorization(`Basic ${Buffer.from("demo-poll:demo-secret").toString("base64")}`)).toBe("Basic base64(demo-poll:••••••)");
  });

  it("masks bearer tokens and cookies", () => {
    expect(maskHeaders({ Authorization: "Bearer abcdefghijklmnop", Cookie: "a=b", Accept: "application/json" })).toEqual({
      authorization: "Bearer abcdef…(16 characters, masked)",
      cookie: "••••••",
      accept: "application/json",
    });
    expect(maskToken("short")).toBe("••••••");
  });

  it("masks secret form parameters and keeps the others, one per line", () => {
    const body = "scope=openid+email&login_hint=alice%40example.com&client_notification_token=0123456789abcdef";
    expect(maskBody(body, "application/x-www-form-urlencoded")).toBe(
      "scope=openid email\nlogin_hint=alice@example.com\nclient_notification_token=012345…(16 characters, masked)",
    );
  });

  it("masks tokens in JSON bodies, at any depth, and pretty-prints", () => {
    const body = JSON.stringify({ access_token: "aaaaaaaaaaaa", token_type: "Bearer", nested: { refresh_token: "rrrrrrrrrrrr" } });
    expect(JSON.parse(maskBody(body, "application/json; charset=utf-8")!)).toEqual({
      access_token: "aaaaaa…(12 characters, masked)",
      token_type: "Bearer",
      nested: { refresh_token: "rrrrrr…(12 characters, masked)" },
    });
  });

  it("leaves other bodies alone", () => {
    expect(maskBody("plain", "text/plain")).toBe("plain");
    expect(maskBody("", "application/json")).toBeNull();
  });
});
