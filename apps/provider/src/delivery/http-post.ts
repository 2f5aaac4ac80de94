// The one outbound HTTP call of the provider: a JSON POST to a client notification endpoint
// (CIBA Core §10.2, §10.3). Hardened because the URL is the client's choice (checklist §11.11, §15.4):
// the endpoint is checked again right before the call, the connection is pinned to the addresses that
// check approved (and the connected address is verified), redirects are never followed (Node's http
// does not follow them; the status is simply reported), connect and response times are bounded, and
// at most `maxResponseBytes` of the response are read, then ignored.
import http from "node:http";
import https from "node:https";
import type { LookupFunction, Socket } from "node:net";
import ipaddr from "ipaddr.js";
import type { Profile } from "../config";
import { addressProblem, type ResolvedAddress, type Resolver, UnsafeEndpointError, validateNotificationEndpoint } from "./endpoint-safety";

export interface PostOptions {
  profile: Profile;
  resolve: Resolver;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  maxResponseBytes: number;
  /** Aborts the attempt (the provider is shutting down); it counts as a network failure. */
  signal?: AbortSignal;
}

/**
 * What came of one POST. `failure` says why there is no usable status: the endpoint was refused by
 * policy (final), or the network or a timeout got in the way (worth retrying).
 */
export interface PostResult {
  httpStatus: number | null;
  error: string | null;
  failure: "refused" | "network" | "timeout" | null;
  latencyMs: number;
}

class AttemptError extends Error {
  constructor(
    readonly failure: "refused" | "timeout",
    message: string,
  ) {
    super(message);
  }
}

/** Resolves the host to the addresses already checked, whatever DNS would answer now. */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

function sameAddress(a: string, b: string): boolean {
  try {
    return ipaddr.process(a).toString() === ipaddr.process(b).toString();
  } catch {
    return false;
  }
}

/** A short description of a network error: its code, never a response body. */
function describe(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `network error: ${code}` : `network error: ${error.message}`;
}

/** POSTs `body` with `Authorization: Bearer <bearer>` and reports the status or why there is none. */
export async function postNotification(endpoint: string, bearer: string, body: string, options: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;

  let addresses: ResolvedAddress[];
  let url: URL;
  try {
    ({ url, addresses } = await validateNotificationEndpoint(endpoint, options.profile, options.resolve));
  } catch (error) {
    if (!(error instanceof UnsafeEndpointError)) throw error;
    return { httpStatus: null, error: error.message, failure: error.transient ? "network" : "refused", latencyMs: elapsed() };
  }

  const secure = url.protocol === "https:";
  const transport = secure ? https : http;
  const payload = Buffer.from(body, "utf8");

  return new Promise<PostResult>((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: Omit<PostResult, "latencyMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: elapsed() });
    };
    const arm = (ms: number, phase: "connect" | "response") => {
      clearTimeout(timer);
      timer = setTimeout(() => request.destroy(new AttemptError("timeout", `${phase} timeout after ${ms} ms`)), ms);
    };

    const request = transport.request(url, {
      method: "POST",
      // A fresh connection per attempt: the pinned addresses must apply to this connection only.
      agent: false,
      lookup: pinnedLookup(addresses),
      headers: {
        "Content-Type": "application/json",
        "Content-Length": String(payload.length),
        Authorization: `Bearer ${bearer}`,
        "User-Agent": "ciba-provider",
        Connection: "close",
      },
    });
    arm(options.connectTimeoutMs, "connect");
    const abort = () => request.destroy(new Error("the provider shut down during the attempt"));
    if (options.signal?.aborted) abort();
    options.signal?.addEventListener("abort", abort, { once: true });
    request.once("close", () => options.signal?.removeEventListener("abort", abort));

    request.on("socket", (socket: Socket) => {
      socket.once("connect", () => {
        // The address actually connected to must be one the check approved, and still allowed.
        const remote = socket.remoteAddress ?? "";
        const problem = addressProblem(remote, options.profile);
        if (problem || !addresses.some((a) => sameAddress(a.address, remote))) {
          request.destroy(new AttemptError("refused", `the connection reached ${problem ?? "an address that was not checked"}`));
          return;
        }
        if (!secure) arm(options.responseTimeoutMs, "response");
      });
      if (secure) socket.once("secureConnect", () => arm(options.responseTimeoutMs, "response"));
    });

    let status: number | null = null;
    request.on("response", (response) => {
      status = response.statusCode ?? null;
      let read = 0;
      // The body is ignored (CIBA Core §10.2); read it only to let the exchange finish, up to the cap.
      response.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > options.maxResponseBytes) {
          response.destroy();
          finish({ httpStatus: status, error: null, failure: null });
        }
      });
      response.on("end", () => finish({ httpStatus: status, error: null, failure: null }));
      // A response cut short after its status line still tells us the status.
      response.on("error", () => finish({ httpStatus: status, error: null, failure: null }));
      response.on("close", () => finish({ httpStatus: status, error: null, failure: null }));
    });

    request.on("error", (error) => {
      // Once the status line has arrived, a later failure (a stalled body) does not change the answer.
      if (status !== null) finish({ httpStatus: status, error: null, failure: null });
      else if (error instanceof AttemptError) finish({ httpStatus: null, error: error.message, failure: error.failure });
      else finish({ httpStatus: null, error: describe(error), failure: "network" });
    });

    request.end(payload);
  });
}
