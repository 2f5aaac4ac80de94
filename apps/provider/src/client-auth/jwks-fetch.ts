// The fetch behind a client's remote key set (jwks_uri, RFC 7591 §2), given to jose's
// createRemoteJWKSet. The URL is the client's choice, so it is fetched the way notifications are
// posted (delivery/http-post.ts, checklist §15.4): the URL and the addresses its host resolves to are
// checked again at every fetch, the connection is pinned to those addresses (a DNS answer that changes
// after the check cannot redirect it) and the connected address is verified, redirects are not
// followed, and at most `maxResponseBytes` are read. jose bounds the whole fetch with its timeout signal.
import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import type { FetchImplementation } from "jose";
import type { Profile } from "../config";
import { jwksUriUse, type ResolvedAddress, type Resolver, UnsafeEndpointError, validateEndpoint } from "../delivery/endpoint-safety";
import { connectionProblem, pinnedLookup } from "../delivery/http-post";

/** A JWK Set of a few keys is a few KiB; anything this large is not one. */
export const MAX_JWKS_BYTES = 64 * 1024;

/**
 * Why the client's jwks_uri could not be fetched: refused by the SSRF policy, or an unusable answer.
 * Client authentication and request verification treat it like any unusable key set (jwt-errors.ts).
 */
export class JwksFetchError extends Error {
  override readonly name = "JwksFetchError";
}

export interface JwksFetchOptions {
  profile: Profile;
  resolve: Resolver;
  maxResponseBytes?: number;
}

export function pinnedJwksFetch({ profile, resolve, maxResponseBytes = MAX_JWKS_BYTES }: JwksFetchOptions): FetchImplementation {
  return async (url, { headers, signal }) => {
    let addresses: ResolvedAddress[];
    try {
      ({ addresses } = await validateEndpoint(jwksUriUse, url, profile, resolve));
    } catch (error) {
      throw error instanceof UnsafeEndpointError ? new JwksFetchError(error.message, { cause: error }) : error;
    }
    const body = await get(new URL(url), addresses, headers, signal, { profile, maxResponseBytes });
    try {
      JSON.parse(body.toString("utf8"));
    } catch (error) {
      throw new JwksFetchError("the jwks_uri response is not JSON", { cause: error });
    }
    return new Response(body, { status: 200, headers: { "Content-Type": "application/json" } });
  };
}

/** GETs `url` over a connection pinned to `addresses`; resolves with the body of a 200 response. */
function get(
  url: URL,
  addresses: ResolvedAddress[],
  headers: Headers,
  signal: AbortSignal,
  { profile, maxResponseBytes }: { profile: Profile; maxResponseBytes: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === "https:" ? https : http).request(url, {
      method: "GET",
      // A fresh connection per fetch: the pinned addresses must apply to this connection only.
      agent: false,
      lookup: pinnedLookup(addresses),
      headers: { ...Object.fromEntries(headers), Connection: "close" },
    });
    // The first failure wins; destroying the request afterwards only releases the socket.
    const fail = (error: Error) => {
      reject(error);
      request.destroy();
    };
    // jose's timeout signal: its reason (a TimeoutError) is what jose turns into JWKSTimeout.
    const abort = () => fail(signal.reason as Error);
    if (signal.aborted) return abort();
    signal.addEventListener("abort", abort, { once: true });
    request.on("close", () => signal.removeEventListener("abort", abort));

    request.on("socket", (socket: Socket) => {
      socket.once("connect", () => {
        const problem = connectionProblem(socket.remoteAddress ?? "", addresses, profile);
        if (problem) fail(new JwksFetchError(problem));
      });
    });
    request.on("response", (response) => {
      // Redirects are answers like any other non-200: not followed.
      if (response.statusCode !== 200) return fail(new JwksFetchError(`the jwks_uri answered with status ${response.statusCode}`));
      const chunks: Buffer[] = [];
      let read = 0;
      response.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > maxResponseBytes) fail(new JwksFetchError(`the jwks_uri response is larger than ${maxResponseBytes} bytes`));
        else chunks.push(chunk);
      });
      response.on("end", () => resolve(Buffer.concat(chunks)));
      response.on("error", (error) => fail(new JwksFetchError("the jwks_uri response was cut short", { cause: error })));
    });
    request.on("error", (error) => fail(new JwksFetchError("the jwks_uri could not be reached", { cause: error })));
    request.end();
  });
}
