// Bad input on every endpoint gets a JSON error with the right status, never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { url } from "../support/flows";
import { basic } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

let provider: TestProvider;
beforeAll(async () => void (provider = await startTestProvider()));
afterAll(() => provider.close());

const auth = { authorization: basic("demo-poll", "demo-secret") };

describe("bad input", () => {
  it("answers unknown paths with a JSON 404", async () => {
    const response = await fetch(url(provider, "/nope"));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "not_found", error_description: "no endpoint at /nope" });
  });

  it.each([
    ["DELETE", "/token", "POST"],
    ["PUT", "/device/login", "POST"],
    ["POST", "/jwks", "GET"],
    ["POST", "/.well-known/openid-configuration", "GET"],
  ])("answers %s %s with 405", async (method, path, allow) => {
    const response = await fetch(url(provider, path), { method });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe(allow);
  });

  it.each([
    ["invalid UTF-8", Buffer.from([0x73, 0x63, 0x6f, 0x70, 0x65, 0x3d, 0xff, 0xfe])],
    ["a lone percent", Buffer.from("scope=openid%")],
    ["percent-encoded invalid UTF-8", Buffer.from("scope=%C3%28")],
    ["an empty name", Buffer.from("=x&scope=openid")],
  ])("refuses a form with %s as invalid_request", async (_name, body) => {
    for (const path of ["/token", "/backchannel-authentication"]) {
      const response = await fetch(url(provider, path), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...auth },
        body,
      });
      expect(response.status, path).toBeLessThan(500);
      expect(response.status, path).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/^invalid_request$|^unsupported_grant_type$|^invalid_scope$/);
    }
  });

  it("refuses chunked bodies larger than the limit", async () => {
    const big = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode(`a${i}=${"x".repeat(5000)}&`));
        controller.close();
      },
    });
    const response = await fetch(url(provider, "/token"), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...auth },
      body: big,
      duplex: "half",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_request", error_description: "request body is larger than 64 KiB" });
  });

  it("survives a burst of garbage and still serves", async () => {
    const garbage = ["%%%", "a=1&a=2", "\u0000\u0001", "grant_type=" + "é".repeat(100), "x".repeat(1000)];
    const responses = await Promise.all(
      garbage.flatMap((body) =>
        ["/token", "/backchannel-authentication", "/device/login", "/userinfo", "/ciba/automated-approval"].map((path) =>
          fetch(url(provider, path), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...auth }, body }),
        ),
      ),
    );
    for (const response of responses) expect(response.status).toBeLessThan(500);
    expect((await fetch(url(provider, "/.well-known/openid-configuration"))).status).toBe(200);
  });
});
