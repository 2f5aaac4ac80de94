// The provider's outbound notification call: a JSON POST to a client notification endpoint (CIBA
// Core §10.2, §10.3); its only other outbound call, the jwks_uri fetch, reuses the pinning below.
// Hardened because the URL is the client's choice (checklist §11.11, §15.4):
// the endpoint is checked again right before the call, the connection is pinned to the addresses that
// check approved (and the connected address is verified), redirects are never followed (Node's http
// does not follow them; the status is simply reported), connect and response times are bounded, and
// at most `maxResponseBytes` of the response are read, then ignored.
//
// A call is opened first and sent later: the check and the TCP (and TLS) handshake can run while the
// delivery row is being written, and nothing is sent until it is (see notifier.ts).
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
  /** From sending the request to having read the response (or giving up). */
  latencyMs: number;
}

/** A POST whose connection is being opened; nothing is sent before `send`. */
export interface PendingPost {
  send(bearer: string, body: string): Promise<PostResult>;
  /** Closes the connection unused. */
  cancel(): void;
}

class AttemptError extends Error {
  constructor(
    readonly failure: "refused" | "timeout",
    message: string,
  ) {
    super(message);
  }
}

/**
 * Resolves the host to the addresses already checked, whatever DNS would answer now. Shared with the
 * jwks_uri fetch (client-auth/jwks-fetch.ts), which pins its connections the same way.
 */
export function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
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

/**
 * Why a connection that reached `remote` must be dropped, or null when it may be used: the address
 * actually connected to must be one the check approved, and still allowed under `profile`.
 */
export function connectionProblem(remote: string, addresses: ResolvedAddress[], profile: Profile): string | null {
  const problem = addressProblem(remote, profile);
  if (problem) return `the connection reached ${problem}`;
  return addresses.some((a) => sameAddress(a.address, remote)) ? null : "the connection reached an address that was not checked";
}

/** A short description of a network error: its code, never a response body. */
function describe(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `network error: ${code}` : `network error: ${error.message}`;
}

type Outcome = Omit<PostResult, "latencyMs">;

/** Checks the endpoint and starts connecting to it. */
export function openNotification(endpoint: string, options: PostOptions): PendingPost {
  let settle!: (outcome: Outcome) => void;
  const outcome = new Promise<Outcome>((resolve) => (settle = resolve));

  // Never rejects: every failure becomes an outcome.
  const opened: Promise<Connection | null> = validateNotificationEndpoint(endpoint, options.profile, options.resolve).then(
    ({ url, addresses }) => connect(url, addresses, options, settle),
    (error: unknown) => {
      const unsafe = error instanceof UnsafeEndpointError ? error : null;
      settle({
        httpStatus: null,
        error: unsafe?.message ?? `could not check the endpoint: ${(error as Error).message}`,
        failure: unsafe && !unsafe.transient ? "refused" : "network",
      });
      return null;
    },
  );

  return {
    async send(bearer, body) {
      const connection = await opened;
      const sentAt = performance.now();
      connection?.send(bearer, body);
      const result = await outcome;
      return { ...result, latencyMs: Math.round((performance.now() - sentAt) * 10) / 10 };
    },
    cancel() {
      void opened.then((connection) => connection?.request.destroy());
    },
  };
}

interface Connection {
  request: http.ClientRequest;
  send(bearer: string, body: string): void;
}

/** Opens the pinned connection and reports the response (or why there is none) through `settle`. */
function connect(url: URL, addresses: ResolvedAddress[], options: PostOptions, settle: (outcome: Outcome) => void): Connection {
  const secure = url.protocol === "https:";
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  let status: number | null = null;
  let ready = false;
  let sent = false;

  const request = (secure ? https : http).request(url, {
    method: "POST",
    // A fresh connection per attempt: the pinned addresses must apply to this connection only.
    agent: false,
    lookup: pinnedLookup(addresses),
    headers: { "Content-Type": "application/json", "User-Agent": "ciba-provider", Connection: "close" },
  });

  const finish = (result: Outcome) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", abort);
    settle(result);
  };
  const arm = (ms: number, phase: "connect" | "response") => {
    clearTimeout(timer);
    timer = setTimeout(() => request.destroy(new AttemptError("timeout", `${phase} timeout after ${ms} ms`)), ms);
  };
  // The response clock starts once the connection is ready and the request has gone out.
  const startResponseClock = () => {
    if (ready && sent) arm(options.responseTimeoutMs, "response");
  };
  const abort = () => request.destroy(new Error("the provider shut down during the attempt"));
  if (options.signal?.aborted) abort();
  options.signal?.addEventListener("abort", abort, { once: true });

  arm(options.connectTimeoutMs, "connect");
  request.on("socket", (socket: Socket) => {
    socket.once("connect", () => {
      const problem = connectionProblem(socket.remoteAddress ?? "", addresses, options.profile);
      if (problem) {
        request.destroy(new AttemptError("refused", problem));
        return;
      }
      if (!secure) {
        clearTimeout(timer);
        ready = true;
        startResponseClock();
      }
    });
    if (secure) {
      socket.once("secureConnect", () => {
        clearTimeout(timer);
        ready = true;
        startResponseClock();
      });
    }
  });

  request.on("response", (response) => {
    status = response.statusCode ?? null;
    let read = 0;
    const done = () => finish({ httpStatus: status, error: null, failure: null });
    // The body is ignored (CIBA Core §10.2); read it only to let the exchange finish, up to the cap.
    response.on("data", (chunk: Buffer) => {
      read += chunk.length;
      if (read > options.maxResponseBytes) {
        response.destroy();
        done();
      }
    });
    response.on("end", done);
    // A response cut short after its status line still tells us the status.
    response.on("error", done);
    response.on("close", done);
  });

  request.on("error", (error) => {
    // Once the status line has arrived, a later failure (a stalled body) does not change the answer.
    if (status !== null) finish({ httpStatus: status, error: null, failure: null });
    else if (error instanceof AttemptError) finish({ httpStatus: null, error: error.message, failure: error.failure });
    else finish({ httpStatus: null, error: describe(error), failure: "network" });
  });

  return {
    request,
    send(bearer, body) {
      if (request.destroyed) return;
      const payload = Buffer.from(body, "utf8");
      request.setHeader("Authorization", `Bearer ${bearer}`);
      request.setHeader("Content-Length", String(payload.length));
      sent = true;
      startResponseClock();
      request.end(payload);
    },
  };
}

/** Opens and sends at once: a POST with `Authorization: Bearer <bearer>`. */
export function postNotification(endpoint: string, bearer: string, body: string, options: PostOptions): Promise<PostResult> {
  return openNotification(endpoint, options).send(bearer, body);
}
