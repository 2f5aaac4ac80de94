// The value checks of an authentication request (CIBA Core §7.1, §7.2), each a small named step.
import type { Client } from "@ciba/db";
import {
  type AuthorizationDetail,
  authorizationDetailsSchema,
  clientNotificationTokenSchema,
  supportedScopes,
} from "@ciba/protocol";
import type { ProviderConfig } from "../../config";
import { OAuthError, quote } from "../../errors";
import { describeZodError } from "../../http/error-handler";
import type { CibaPolicy } from "../../ciba/policy";
import { type RequestParams, stringParam } from "./params";

/** CIBA Core §7.2: the client must be registered for the CIBA grant (decision 2: unauthorized_client). */
export function requireCibaGrant(client: Client, grantType: string): void {
  if (!client.grantTypes.includes(grantType)) {
    throw new OAuthError("unauthorized_client", "the client is not registered for the CIBA grant type");
  }
}

/** CIBA Core §7.1: scope is required and must contain openid; every value must be supported and allowed. */
export function validateScope(client: Client, params: RequestParams): string {
  const scope = stringParam(params, "scope");
  if (!scope) throw new OAuthError("invalid_request", "scope is required");
  const values = [...new Set(scope.split(" ").filter(Boolean))];
  if (!values.includes("openid")) throw new OAuthError("invalid_request", "openid scope must be requested");
  for (const value of values) {
    if (!(supportedScopes as string[]).includes(value)) {
      throw new OAuthError("invalid_scope", `scope ${quote(value)} is not supported`);
    }
    if (client.scope && !client.scope.includes(value)) {
      throw new OAuthError("invalid_scope", `the client may not request scope ${quote(value)}`);
    }
  }
  return values.join(" ");
}

/** CIBA Core §7.1: ping and push clients must send a bearer token of RFC 6750 syntax, ≤ 1024 chars. */
export function validateClientNotificationToken(client: Client, params: RequestParams): string | null {
  if (client.deliveryMode === "poll") return null;
  const token = stringParam(params, "client_notification_token");
  if (!token) {
    throw new OAuthError("invalid_request", `client_notification_token is required for ${client.deliveryMode} mode`);
  }
  if (token.length > 1024) throw new OAuthError("invalid_request", "client_notification_token is longer than 1024 characters");
  if (!clientNotificationTokenSchema.safeParse(token).success) {
    throw new OAuthError("invalid_request", "client_notification_token must have RFC 6750 bearer token syntax");
  }
  return token;
}

/**
 * CIBA Core §7.1 and §7.1.1 (decision 8): a positive integer, as a number or a string; above the
 * server maximum it is clamped. Returns the lifetime in seconds.
 */
export function validateRequestedExpiry(config: ProviderConfig, params: RequestParams): { expiresIn: number; requested: number | null } {
  const raw = params.requested_expiry;
  if (raw === undefined || raw === "") return { expiresIn: config.ciba.defaultExpirySeconds, requested: null };
  const value = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw new OAuthError("invalid_request", "requested_expiry must be a positive integer");
  }
  return { expiresIn: Math.min(value, config.ciba.maxExpirySeconds), requested: value };
}

/** CIBA Core §7.1; FAPI-CIBA §5.2.2-2: FAPI clients need a binding message or authorization details. */
export function validateBindingMessage(policy: CibaPolicy, client: Client, params: RequestParams): string | null {
  const raw = params.binding_message;
  if (raw === undefined) {
    if (client.fapiCiba && params.authorization_details === undefined) {
      throw new OAuthError("invalid_request", "binding_message is required for FAPI-CIBA clients");
    }
    return null;
  }
  if (typeof raw !== "string") throw new OAuthError("invalid_binding_message", "binding_message must be a string");
  const message = raw.normalize("NFC");
  policy.validateBindingMessage(message);
  return message;
}

/** acr_values: space-separated, in order of preference; values outside the supported list are skipped. */
export function validateAcrValues(params: RequestParams): string | null {
  const acrValues = stringParam(params, "acr_values");
  if (!acrValues) return null;
  if (acrValues.length > 1024) throw new OAuthError("invalid_request", "acr_values is too long");
  return acrValues.split(" ").filter(Boolean).join(" ") || null;
}

/** RFC 9396: a JSON array of typed objects; payment_initiation entries are validated strictly. */
export function validateAuthorizationDetails(params: RequestParams): AuthorizationDetail[] | null {
  const raw = params.authorization_details;
  if (raw === undefined || raw === "") return null;
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new OAuthError("invalid_authorization_details", "authorization_details is not valid JSON");
    }
  }
  const parsed = authorizationDetailsSchema.safeParse(value);
  if (!parsed.success) {
    throw new OAuthError("invalid_authorization_details", `authorization_details ${describeZodError(parsed.error)}`);
  }
  return parsed.data;
}
