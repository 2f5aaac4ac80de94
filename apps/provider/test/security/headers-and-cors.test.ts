// Security headers on every answer, and CORS: in production only the configured browser origins may
// read the provider's answers; the demo profile also allows any loopback origin (console and device
// simulator on this machine, whatever their ports).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { url } from "../support/flows";
import { getJson } from "../support/http";
import { startTestProvider, type TestProvider } from "../support/provider";

const started: TestProvider[] = [];
async function provider(env: Record<string, string> = {}): Promise<TestProvider> {
  const running = await startTestProvider({ env });
  started.push(running);
  return running;
}
afterAll(async () => {
  for (const running of started) await running.close();
});

async function preflight(p: TestProvider, path: string, origin: string) {
  return fetch(url(p, path), {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
  });
}

describe("security headers", () => {
  let demo: TestProvider;
  beforeAll(async () => void (demo = await provider()));

  it("are on answers and on errors: nothing may frame, run or sniff what the provider serves", async () => {
    for (const response of [await getJson(url(demo, "/.well-known/openid-configuration")), await getJson(url(demo, "/no-such-endpoint"))]) {
      expect(response.headers.get("content-security-policy")).toBe("default-src 'none';frame-ancestors 'none'");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
      expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin");
      expect(response.headers.get("x-powered-by")).toBeNull();
      // An http issuer gets no HSTS: it would pin every other app on localhost to https.
      expect(response.headers.get("strict-transport-security")).toBeNull();
    }
  });

  it("include HSTS when the issuer is https", async () => {
    const https = await provider({ ISSUER: "https://op.bank.example" });
    const response = await fetch(`http://127.0.0.1:${https.port}/.well-known/openid-configuration`);
    expect(response.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
  });
});

describe("CORS", () => {
  it("in the demo profile allows the console, the device simulator and any loopback origin, and no other", async () => {
    const demo = await provider({ CONSOLE_URL: "http://console.demo.test:3001", DEVICE_URL: "http://device.demo.test:3002" });
    const allowed = async (origin: string) =>
      (await getJson(url(demo, "/jwks"), { origin })).headers.get("access-control-allow-origin") === origin;
    expect(await allowed("http://console.demo.test:3001")).toBe(true);
    expect(await allowed("http://device.demo.test:3002")).toBe(true);
    expect(await allowed("http://localhost:5173")).toBe(true);
    expect(await allowed("http://127.0.0.1:3002")).toBe(true);
    expect(await allowed("https://evil.example")).toBe(false);
    expect(await allowed("http://localhost.evil.example")).toBe(false);
  });

  it("in production allows only the configured origins, for requests and preflights", async () => {
    const production = await provider({ NODE_ENV: "production", CORS_ORIGINS: "https://console.bank.example, https://app.bank.example" });
    const origin = async (from: string) => (await getJson(url(production, "/jwks"), { origin: from })).headers.get("access-control-allow-origin");
    expect(await origin("https://console.bank.example")).toBe("https://console.bank.example");
    expect(await origin("https://app.bank.example")).toBe("https://app.bank.example");
    expect(await origin("http://localhost:3001")).toBeNull();
    expect(await origin("https://evil.example")).toBeNull();

    const allowedPreflight = await preflight(production, "/device/login", "https://app.bank.example");
    expect(allowedPreflight.status).toBe(204);
    expect(allowedPreflight.headers.get("access-control-allow-origin")).toBe("https://app.bank.example");
    expect(allowedPreflight.headers.get("access-control-allow-headers")).toBe("content-type, authorization");
    const refusedPreflight = await preflight(production, "/device/login", "http://localhost:3002");
    expect(refusedPreflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("in production without CORS_ORIGINS allows the console and device URLs only", async () => {
    const production = await provider({ NODE_ENV: "production", CONSOLE_URL: "https://console.bank.example", DEVICE_URL: "https://device.bank.example" });
    expect(production.config.corsOrigins).toEqual(["https://console.bank.example", "https://device.bank.example"]);
  });
});
