// The notification endpoint policy used at registration and before every delivery (checklist §15.4).
import { describe, expect, it } from "vitest";
import {
  addressProblem,
  checkEndpointUrl,
  type Resolver,
  UnsafeEndpointError,
  validateNotificationEndpoint,
} from "../../src/delivery/endpoint-safety";

const FIELD = "backchannel_client_notification_endpoint";

/** A resolver with fixed answers, standing in for DNS. */
function dns(answers: Record<string, string[]>): Resolver {
  return (host) => {
    const addresses = answers[host];
    if (!addresses) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" }));
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(":") ? (6 as const) : (4 as const) })));
  };
}

async function refusal(promise: Promise<unknown>): Promise<UnsafeEndpointError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnsafeEndpointError);
  return error as UnsafeEndpointError;
}

describe("notification endpoint safety in the production profile", () => {
  const resolve = dns({
    "rp.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
    "internal.example.com": ["10.20.30.40"],
    "mixed.example.com": ["93.184.215.14", "192.168.1.10"],
    "metadata.example.com": ["169.254.169.254"],
    "mapped.example.com": ["::ffff:10.0.0.1"],
  });

  it("accepts an https URL whose host resolves only to public addresses", async () => {
    const safe = await validateNotificationEndpoint("https://rp.example.com/cb", "production", resolve);
    expect(safe.url.href).toBe("https://rp.example.com/cb");
    expect(safe.addresses).toEqual([
      { address: "93.184.215.14", family: 4 },
      { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 },
    ]);
  });

  it("refuses http, even to a public host", async () => {
    const error = await refusal(validateNotificationEndpoint("http://rp.example.com/cb", "production", resolve));
    expect(error.reason).toBe("scheme");
    expect(error.message).toBe(`${FIELD} must be an https URL`);
  });

  it("refuses http://127.0.0.1 for its scheme before looking at the address", async () => {
    const error = await refusal(validateNotificationEndpoint("http://127.0.0.1:8080/cb", "production", resolve));
    expect(error.message).toBe(`${FIELD} must be an https URL`);
  });

  it("refuses a host name that resolves to a private address, without naming the address", async () => {
    const error = await refusal(validateNotificationEndpoint("https://internal.example.com/cb", "production", resolve));
    expect(error.reason).toBe("address");
    expect(error.transient).toBe(false);
    expect(error.message).toBe(`the host of ${FIELD} resolves to a private address, which notifications may not be sent to`);
    expect(error.message).not.toContain("10.20.30.40");
  });

  it("refuses a host when any one of its addresses is internal", async () => {
    const error = await refusal(validateNotificationEndpoint("https://mixed.example.com/cb", "production", resolve));
    expect(error.message).toBe(`the host of ${FIELD} resolves to a private address, which notifications may not be sent to`);
  });

  it("refuses a host resolving to the cloud metadata service and an IPv4-mapped IPv6 private address", async () => {
    expect((await refusal(validateNotificationEndpoint("https://metadata.example.com/", "production", resolve))).message).toBe(
      `the host of ${FIELD} resolves to a link-local address, which notifications may not be sent to`,
    );
    expect((await refusal(validateNotificationEndpoint("https://mapped.example.com/", "production", resolve))).message).toBe(
      `the host of ${FIELD} resolves to a private address, which notifications may not be sent to`,
    );
  });

  it.each([
    ["https://127.0.0.1/cb", "a loopback address"],
    ["https://localhost/cb", "a loopback address"],
    ["https://[::1]/cb", "a loopback address"],
    ["https://[::ffff:127.0.0.1]/cb", "a loopback address"],
    ["https://2130706433/cb", "a loopback address"],
    ["https://0x7f.1/cb", "a loopback address"],
    ["https://10.0.0.1/cb", "a private address"],
    ["https://172.16.5.4/cb", "a private address"],
    ["https://192.168.0.1/cb", "a private address"],
    ["https://[fd12:3456::1]/cb", "a unique-local address"],
    ["https://169.254.169.254/latest/meta-data", "a link-local address"],
    ["https://[fe80::1]/cb", "a link-local address"],
    ["https://100.64.0.1/cb", "a carrier-grade NAT address"],
    ["https://100.100.100.200/cb", "a cloud metadata address"],
    ["https://[fd00:ec2::254]/cb", "a cloud metadata address"],
    ["https://0.0.0.0/cb", "an unspecified address"],
    ["https://[::]/cb", "an unspecified address"],
    ["https://224.0.0.1/cb", "a multicast address"],
    ["https://[ff02::1]/cb", "a multicast address"],
    ["https://255.255.255.255/cb", "a broadcast address"],
    ["https://198.51.100.7/cb", "a reserved address"],
    ["https://[64:ff9b::a00:1]/cb", "a reserved address"],
    ["https://[2002:a00:1::]/cb", "a reserved address"],
  ])("refuses %s as %s", async (endpoint, words) => {
    const error = await refusal(validateNotificationEndpoint(endpoint, "production", dns({ localhost: ["127.0.0.1", "::1"] })));
    expect(error.message).toMatch(new RegExp(`^the host of ${FIELD} (is|resolves to) ${words}, which notifications may not be sent to$`));
  });

  it("refuses a host that does not resolve, as a transient problem", async () => {
    const error = await refusal(validateNotificationEndpoint("https://nowhere.example.com/cb", "production", resolve));
    expect(error.reason).toBe("unresolvable");
    expect(error.transient).toBe(true);
    expect(error.message).toBe(`the host of ${FIELD} could not be resolved`);
  });

  it.each([
    ["not a url", `${FIELD} must be an absolute URL`],
    ["/relative/path", `${FIELD} must be an absolute URL`],
    ["ftp://rp.example.com/cb", `${FIELD} must be an https URL`],
    ["https://user:pass@rp.example.com/cb", `${FIELD} must not contain credentials`],
    ["https://rp.example.com/cb#frag", `${FIELD} must not contain a fragment`],
  ])("refuses the malformed URL %s", (endpoint, message) => {
    expect(() => checkEndpointUrl(endpoint, "production")).toThrow(message);
  });
});

describe("notification endpoint safety in the demo profile", () => {
  const resolve = dns({ localhost: ["127.0.0.1", "::1"], console: ["172.18.0.3"], metadata: ["169.254.169.254"] });

  it("accepts http to loopback so the demo runs on one machine", async () => {
    const safe = await validateNotificationEndpoint("http://127.0.0.1:3001/api/ciba/ping", "demo", resolve);
    expect(safe.addresses).toEqual([{ address: "127.0.0.1", family: 4 }]);
    await expect(validateNotificationEndpoint("http://localhost:3001/api/ciba/ping", "demo", resolve)).resolves.toBeTruthy();
  });

  it("accepts a private-network address, as a container network gives the console", async () => {
    await expect(validateNotificationEndpoint("http://console:3001/api/ciba/push", "demo", resolve)).resolves.toBeTruthy();
  });

  it("still refuses link-local and metadata addresses and other schemes", async () => {
    expect((await refusal(validateNotificationEndpoint("http://metadata/", "demo", resolve))).message).toBe(
      `the host of ${FIELD} resolves to a link-local address, which notifications may not be sent to`,
    );
    expect((await refusal(validateNotificationEndpoint("http://100.100.100.200/", "demo", resolve))).message).toBe(
      `the host of ${FIELD} is a cloud metadata address, which notifications may not be sent to`,
    );
    expect(() => checkEndpointUrl("file:///etc/passwd", "demo")).toThrow(`${FIELD} must be an http or https URL`);
  });
});

describe("addressProblem", () => {
  it("answers null for public unicast addresses in both profiles", () => {
    expect(addressProblem("8.8.8.8", "production")).toBeNull();
    expect(addressProblem("2001:4860:4860::8888", "production")).toBeNull();
    expect(addressProblem("::ffff:8.8.8.8", "production")).toBeNull();
    expect(addressProblem("8.8.8.8", "demo")).toBeNull();
  });

  it("treats anything that is not an IP address as a problem", () => {
    expect(addressProblem("example.com", "demo")).toBe("not an IP address");
  });
});
