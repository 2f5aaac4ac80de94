// Which client URLs the provider may call: the client notification endpoint (CIBA Core §9, §14;
// checklist §15.4) and the client's jwks_uri (RFC 7591 §2). Either is a URL the client chose, so
// calling it is server-side request forgery waiting to happen: registration refuses unsafe URLs, and
// every call checks again against the addresses the host resolves to at that moment and pins the
// connection to a checked address, so a DNS answer that changes after the check (rebinding) cannot
// redirect the call.
//
//   production  https only; every resolved address must be public unicast.
//   demo        http or https; loopback and private-network addresses are allowed too, so the demo
//               runs on one machine or one container network.
//   both        never link-local (cloud metadata lives there), unspecified, multicast, broadcast,
//               reserved or documentation ranges, IPv4 embedded in IPv6 transition prefixes, or the
//               well-known metadata addresses.
import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import type { Profile } from "../config";

/** What a checked URL is for, used to word the errors. */
export interface EndpointUse {
  /** The client metadata field the URL is registered in. */
  field: string;
  /** What the provider does with it, as in "…, which notifications may not be sent to". */
  refusal: string;
}

export const notificationEndpointUse: EndpointUse = {
  field: "backchannel_client_notification_endpoint",
  refusal: "notifications may not be sent to",
};

export const jwksUriUse: EndpointUse = { field: "jwks_uri", refusal: "keys may not be fetched from" };

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all of its addresses. Tests inject one to simulate DNS answers. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

export type UnsafeEndpointReason = "malformed" | "scheme" | "address" | "unresolvable";

/**
 * Why an endpoint is refused. The message is lower-case ASCII without quotes or backslashes, so it can
 * be used as an `error_description` (registration answers `invalid_client_metadata` with it) and in the
 * delivery log. It names the class of address, never the resolved address itself, so the check does
 * not become a way to read internal DNS.
 */
export class UnsafeEndpointError extends Error {
  override readonly name = "UnsafeEndpointError";

  constructor(
    readonly reason: UnsafeEndpointReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** A host that does not resolve now may resolve later; every other reason is final. */
  get transient(): boolean {
    return this.reason === "unresolvable";
  }
}

/** A checked endpoint: the URL and the addresses it may be connected to (first one preferred). */
export interface SafeEndpoint {
  url: URL;
  addresses: ResolvedAddress[];
}

/** Cloud instance metadata services that sit outside the ranges refused by class. */
const metadataAddresses = new Set(["100.100.100.200", "192.0.0.192", "fd00:ec2::254"]);

/** Human words for ipaddr.js range names, for the error messages. */
const rangeWords: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private address",
  uniqueLocal: "a unique-local address",
  linkLocal: "a link-local address",
  carrierGradeNat: "a carrier-grade NAT address",
  unspecified: "an unspecified address",
  multicast: "a multicast address",
  broadcast: "a broadcast address",
  metadata: "a cloud metadata address",
  ipv4Compatible: "a reserved address",
};

/** Ranges a demo deployment may call besides public unicast. */
const demoRanges = new Set(["loopback", "private", "uniqueLocal"]);

/**
 * The range an IP address belongs to, as ipaddr.js names it ("unicast" for public addresses), after
 * unwrapping IPv4-mapped IPv6 (`::ffff:127.0.0.1` is loopback), plus "metadata" and "ipv4Compatible"
 * (the deprecated `::a.b.c.d` form, which ipaddr.js calls unicast).
 */
export function addressRange(address: string): string {
  const parsed = ipaddr.process(address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
  if (metadataAddresses.has(parsed.toNormalizedString()) || metadataAddresses.has(parsed.toString())) return "metadata";
  if (parsed.kind() === "ipv6") {
    const parts = (parsed as ipaddr.IPv6).parts;
    if (parts.slice(0, 6).every((p) => p === 0) && parsed.range() === "unicast") return "ipv4Compatible";
  }
  return parsed.range();
}

/** Why `address` may not be called under `profile`, or null when it may. */
export function addressProblem(address: string, profile: Profile): string | null {
  if (!ipaddr.isValid(address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""))) return "not an IP address";
  const range = addressRange(address);
  if (range === "unicast") return null;
  if (profile === "demo" && demoRanges.has(range)) return null;
  return rangeWords[range] ?? "a reserved address";
}

/**
 * Checks the URL itself: absolute, http(s) as the profile allows, no credentials, no fragment.
 * Synchronous, for callers that only need the syntax check.
 */
export function checkEndpointUrl(endpoint: string, profile: Profile, { field }: EndpointUse = notificationEndpointUse): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UnsafeEndpointError("malformed", `${field} must be an absolute URL`);
  }
  const schemes = profile === "production" ? ["https:"] : ["https:", "http:"];
  if (!schemes.includes(url.protocol)) {
    throw new UnsafeEndpointError(
      "scheme",
      profile === "production" ? `${field} must be an https URL` : `${field} must be an http or https URL`,
    );
  }
  if (url.username || url.password) throw new UnsafeEndpointError("malformed", `${field} must not contain credentials`);
  if (url.hash || endpoint.includes("#")) throw new UnsafeEndpointError("malformed", `${field} must not contain a fragment`);
  if (!url.hostname) throw new UnsafeEndpointError("malformed", `${field} must name a host`);
  return url;
}

/** The host of a URL without IPv6 brackets. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/**
 * Validates a client URL for `profile`: the URL (see {@link checkEndpointUrl}) and every address its
 * host resolves to. Returns the addresses to connect to; throws {@link UnsafeEndpointError}. Used at
 * registration and again before every call.
 */
export async function validateEndpoint(use: EndpointUse, endpoint: string, profile: Profile, resolve: Resolver = systemResolver): Promise<SafeEndpoint> {
  const { field } = use;
  const url = checkEndpointUrl(endpoint, profile, use);
  const host = bareHost(url);

  let addresses: ResolvedAddress[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: host.includes(":") ? 6 : 4 }];
  } else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      throw new UnsafeEndpointError("unresolvable", `the host of ${field} could not be resolved`, { cause: error });
    }
    if (addresses.length === 0) throw new UnsafeEndpointError("unresolvable", `the host of ${field} could not be resolved`);
  }

  // Every answer must pass: the resolver of the moment decides which one a connection would use.
  for (const { address } of addresses) {
    const problem = addressProblem(address, profile);
    if (problem) {
      const subject = ipaddr.isValid(host) ? `the host of ${field} is` : `the host of ${field} resolves to`;
      throw new UnsafeEndpointError("address", `${subject} ${problem}, which ${use.refusal}`);
    }
  }
  return { url, addresses };
}

/** {@link validateEndpoint} for a client notification endpoint. */
export function validateNotificationEndpoint(endpoint: string, profile: Profile, resolve: Resolver = systemResolver): Promise<SafeEndpoint> {
  return validateEndpoint(notificationEndpointUse, endpoint, profile, resolve);
}
