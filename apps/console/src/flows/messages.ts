// Turns what the console sent and received into rows of the protocol inspector: who talked to whom,
// the masked HTTP message, decoded JWTs, a one-line explanation and the spec section that defines it.
import type { DeliveryMode } from "@ciba/protocol";
import { decodeForDisplay } from "../rp/id-token";
import type { RecordedExchange } from "../rp/recorder";
import type { DecodedJwt, Exchange, HttpExchange, Tone } from "../shared/flow-view";
import { spec } from "../shared/spec";
import type { ExchangeInput } from "./flow";

export type OutboundKind = "backchannel_authentication" | "token" | "userinfo" | "cancel" | "other";

/** Which endpoint a recorded request went to. */
export function outboundKind(url: string, endpoints: { backchannel?: string; token?: string; userinfo?: string; cancel?: string | null }): OutboundKind {
  const path = (u: string | null | undefined) => (u ? new URL(u).toString() : null);
  const target = path(url.split("?")[0]);
  if (target === path(endpoints.backchannel)) return "backchannel_authentication";
  if (target === path(endpoints.token)) return "token";
  if (target === path(endpoints.userinfo)) return "userinfo";
  if (target === path(endpoints.cancel)) return "cancel";
  return "other";
}

export function httpOf(recorded: RecordedExchange): HttpExchange {
  const { rawResponseBody: _raw, ...http } = recorded;
  return http;
}

interface JsonBody {
  error?: string;
  error_description?: string;
  [key: string]: unknown;
}

export function responseJson(recorded: RecordedExchange): JsonBody | null {
  if (!recorded.rawResponseBody) return null;
  try {
    const parsed: unknown = JSON.parse(recorded.rawResponseBody);
    return parsed && typeof parsed === "object" ? (parsed as JsonBody) : null;
  } catch {
    return null;
  }
}

/** "400 authorization_pending", "200 OK", "no answer: ECONNREFUSED". */
export function statusLine(recorded: RecordedExchange, success: string): string {
  if (!recorded.response) return `no answer: ${recorded.error ?? "network error"}`;
  const body = responseJson(recorded);
  if (recorded.response.status >= 400) return `${recorded.response.status} ${body?.error ?? "error"}`;
  return `${recorded.response.status} ${success}`;
}

function toneOf(recorded: RecordedExchange, pendingCodes: string[] = []): Tone {
  if (!recorded.response) return "danger";
  const { status } = recorded.response;
  if (status < 300) return "success";
  const code = responseJson(recorded)?.error;
  if (code && pendingCodes.includes(code)) return code === "slow_down" ? "warning" : "neutral";
  return "danger";
}

/** The JWTs in a token response or push body, decoded for display (the compact forms stay masked). */
export function tokenJwts(body: JsonBody | null): DecodedJwt[] {
  const jwts: DecodedJwt[] = [];
  const idToken = typeof body?.id_token === "string" ? decodeForDisplay("ID token", body.id_token) : null;
  if (idToken) {
    idToken.signature = { status: "unchecked", detail: "verified in the ID token validation step" };
    jwts.push(idToken);
  }
  const accessToken = typeof body?.access_token === "string" ? decodeForDisplay("Access token (RFC 9068 JWT)", body.access_token) : null;
  if (accessToken) {
    accessToken.signature = { status: "unchecked", detail: "the client treats the access token as opaque; the resource server verifies it" };
    jwts.push(accessToken);
  }
  return jwts;
}

export function backchannelMessage(recorded: RecordedExchange, clientId: string): ExchangeInput {
  const body = responseJson(recorded);
  const ok = recorded.response?.status === 200;
  return {
    from: "consumption_device",
    to: "provider",
    kind: "backchannel_authentication",
    title: "Backchannel authentication request",
    summary: ok ? `200 auth_req_id issued, expires in ${String(body?.expires_in)} s` : statusLine(recorded, ""),
    explanation: ok
      ? `The client ${clientId} asks the provider to authenticate the caller out of band; the provider answers at once with an auth_req_id to follow the request by.`
      : "The provider refused the request before contacting the caller; the error code and description say why.",
    spec: ok ? spec.authenticationRequest : spec.authenticationError,
    tone: toneOf(recorded),
    http: httpOf(recorded),
  };
}

export function tokenMessage(recorded: RecordedExchange, context: { mode: DeliveryMode; poll: number | null }): ExchangeInput {
  const body = responseJson(recorded);
  const code = recorded.response && recorded.response.status >= 400 ? (body?.error ?? "error") : null;
  const title = context.poll !== null ? `Token request (poll #${context.poll})` : context.mode === "ping" ? "Token request after the ping" : "Token request";
  let explanation: string;
  let specRef = spec.tokenRequest;
  if (!recorded.response) {
    explanation = "The provider did not answer; the client keeps trying at the polling interval until the request expires.";
  } else if (!code) {
    explanation = "The caller approved: the token endpoint hands out the ID token, access token and refresh token, exactly once.";
    specRef = spec.tokenResponse;
  } else if (code === "authorization_pending") {
    explanation = "The caller has not answered yet; the client waits at least the interval before asking again.";
    specRef = spec.tokenError;
  } else if (code === "slow_down") {
    explanation = "The client asked too early: the interval grows by 5 seconds for this and every later request.";
    specRef = spec.tokenError;
  } else {
    explanation = `The request is over (${code}); the client stops asking.`;
    specRef = spec.tokenError;
  }
  return {
    from: "consumption_device",
    to: "provider",
    kind: "token",
    title,
    summary: statusLine(recorded, "tokens issued"),
    explanation,
    spec: specRef,
    tone: toneOf(recorded, ["authorization_pending", "slow_down"]),
    http: httpOf(recorded),
    jwts: code ? [] : tokenJwts(body),
  };
}

export function userinfoMessage(recorded: RecordedExchange): ExchangeInput {
  return {
    from: "consumption_device",
    to: "provider",
    kind: "userinfo",
    title: "UserInfo request",
    summary: statusLine(recorded, "claims returned"),
    explanation: "With the access token the client reads the caller's claims (name, e-mail, phone) from the UserInfo endpoint.",
    spec: spec.userinfo,
    tone: toneOf(recorded),
    http: httpOf(recorded),
  };
}

export function cancelMessage(recorded: RecordedExchange): ExchangeInput {
  return {
    from: "consumption_device",
    to: "provider",
    kind: "cancel",
    title: "Cancel request",
    summary: statusLine(recorded, "cancelled"),
    explanation: "The client withdraws the pending request; the provider ends it and takes it off the caller's device.",
    spec: null,
    tone: toneOf(recorded),
    http: httpOf(recorded),
  };
}

export function setupMessages(discovery: RecordedExchange | null, jwks: RecordedExchange[], discoveredAt: Date): ExchangeInput[] {
  const rows: ExchangeInput[] = [];
  if (discovery) {
    rows.push({
      at: discoveredAt,
      from: "consumption_device",
      to: "provider",
      kind: "discovery",
      title: "Discovery (cached)",
      summary: statusLine(discovery, "metadata"),
      explanation: "Before any flow the client reads the provider's metadata: its endpoints, delivery modes and signing algorithms.",
      spec: spec.cibaMetadata,
      tone: "neutral",
      http: httpOf(discovery),
    });
  }
  for (const fetch of jwks) {
    rows.push({
      from: "consumption_device",
      to: "provider",
      kind: "jwks",
      title: "JWKS request",
      summary: statusLine(fetch, "signing keys"),
      explanation: "The client fetches the provider's public signing keys on first use to verify ID tokens, and caches them for later flows.",
      spec: spec.idTokenValidation,
      tone: "neutral",
      http: httpOf(fetch),
    });
  }
  return rows;
}

export type InboundHttp = Exchange["http"];
