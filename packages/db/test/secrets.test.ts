// Random tokens: the sizes asked for, URL-safe, and never the same bytes twice (they come from a pool
// of CSPRNG output that is refilled as it runs out).
import { describe, expect, it } from "vitest";
import { randomToken } from "../src/index";

describe("randomToken", () => {
  it("carries the number of random bytes asked for, base64url without padding", () => {
    expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken(5000)).toHaveLength(6667);
  });

  it("never repeats, across many refills of the pool", () => {
    const tokens = Array.from({ length: 20_000 }, (_, i) => randomToken(i % 2 ? 16 : 32));
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});
