// The provider's Authentication Device API, as the simulator calls it from the browser. Every answer is
// validated with the shared protocol schemas; every failure becomes a DeviceApiError with a stable code,
// so the screens can say something precise instead of crashing on whatever came back.
import {
  type DemoUserEntry,
  type DenialReason,
  type DeviceDecisionResponse,
  type DeviceHistoryEntry,
  type DeviceLoginResponse,
  type DeviceRequest,
  demoUserListSchema,
  deviceDecisionResponseSchema,
  deviceErrorSchema,
  deviceHistorySchema,
  deviceLoginResponseSchema,
  deviceRequestListSchema,
} from "@ciba/protocol";
import type { z } from "zod";

/** `network_error`: the provider could not be reached; `invalid_response`: it answered something unexpected. */
export class DeviceApiError extends Error {
  constructor(
    /** HTTP status, or 0 when no answer arrived. */
    readonly status: number,
    /** The provider's OAuth-style error code, or `network_error` / `invalid_response`. */
    readonly code: string,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
    this.name = "DeviceApiError";
  }

  /** The device session is gone (expired, revoked, or the provider's database was reset). */
  get sessionExpired(): boolean {
    return this.status === 401 && this.code === "invalid_token";
  }

  /** The request can no longer be decided here: unknown to this user (404) or not pending any more (409). */
  get requestGone(): boolean {
    return this.status === 404 || this.status === 409;
  }
}

export interface DeviceApi {
  readonly providerUrl: string;
  demoUsers(): Promise<DemoUserEntry[]>;
  login(loginHint: string, pin: string): Promise<DeviceLoginResponse>;
  logout(token: string): Promise<void>;
  pending(token: string): Promise<DeviceRequest[]>;
  history(token: string): Promise<DeviceHistoryEntry[]>;
  approve(token: string, id: string, pin?: string): Promise<DeviceDecisionResponse>;
  deny(token: string, id: string, reason?: DenialReason): Promise<DeviceDecisionResponse>;
}

async function call<T>(url: string, init: RequestInit, schema: z.ZodType<T> | null): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, cache: "no-store" });
  } catch {
    throw new DeviceApiError(0, "network_error", "the provider could not be reached");
  }
  const text = await response.text().catch(() => "");
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page, say): handled below as an invalid response or a bare status.
  }
  if (!response.ok) {
    const error = deviceErrorSchema.safeParse(body);
    throw error.success
      ? new DeviceApiError(response.status, error.data.error, error.data.error_description ?? error.data.error)
      : new DeviceApiError(response.status, "invalid_response", `the provider answered ${response.status}`);
  }
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new DeviceApiError(response.status, "invalid_response", "the provider's answer was not understood");
  return parsed.data;
}

const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

const bearer = (token: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` },
});

export function createDeviceApi(providerUrl: string): DeviceApi {
  const at = (path: string) => `${providerUrl}${path}`;
  const requestPath = (id: string, action: "approve" | "deny") => at(`/device/requests/${encodeURIComponent(id)}/${action}`);
  return {
    providerUrl,
    demoUsers: () => call(at("/device/demo-users"), {}, demoUserListSchema),
    login: (loginHint, pin) => call(at("/device/login"), json({ login_hint: loginHint, pin }), deviceLoginResponseSchema),
    logout: (token) => call(at("/device/logout"), bearer(token, { method: "POST" }), null),
    pending: (token) => call(at("/device/requests"), bearer(token), deviceRequestListSchema),
    history: (token) => call(at("/device/history"), bearer(token), deviceHistorySchema),
    approve: (token, id, pin) => call(requestPath(id, "approve"), bearer(token, json(pin ? { pin } : {})), deviceDecisionResponseSchema),
    deny: (token, id, reason) => call(requestPath(id, "deny"), bearer(token, json(reason ? { reason } : {})), deviceDecisionResponseSchema),
  };
}

/** What to tell the user about a failed PIN check, from the provider's error. */
export function describePinError(error: DeviceApiError): string {
  if (error.code === "invalid_credentials") {
    const left = /(\d+) attempts? left/.exec(error.description)?.[1];
    if (left) return `That PIN isn't right. ${left} ${left === "1" ? "attempt" : "attempts"} left.`;
    const locked = /locked for (\d+) seconds/.exec(error.description)?.[1];
    if (locked) return `That PIN isn't right. Your PIN is now locked for ${formatWait(Number(locked))}.`;
    return "That PIN isn't right.";
  }
  if (error.status === 429) {
    const seconds = /try again in (\d+) seconds/.exec(error.description)?.[1];
    return `Too many wrong PINs. Try again in ${seconds ? formatWait(Number(seconds)) : "a few minutes"}.`;
  }
  return describeFailure(error);
}

/** A generic, human sentence for a failure that has no more specific message. */
export function describeFailure(error: unknown): string {
  if (error instanceof DeviceApiError) {
    if (error.code === "network_error") return "We can't reach the bank right now. Check the connection and try again.";
    if (error.status >= 500) return "Something went wrong at the bank. Please try again.";
  }
  return "Something went wrong. Please try again.";
}

function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
}
