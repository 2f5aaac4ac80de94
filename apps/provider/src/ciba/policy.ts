// CIBA policy as a typed set of hooks with working defaults: how a login_hint names a user, which
// binding messages are acceptable, how a user_code is checked, how the Authentication Device is
// reached, and which acr a request gets. A deployment replaces a hook without touching the endpoints.
import { type User, verifyPin } from "@ciba/db";
import {
  acrValuesSupported,
  bindingMessageRule,
  classifyLoginHint,
  DEFAULT_ACR,
  type DeviceRequest,
  isValidBindingMessage,
} from "@ciba/protocol";
import type { Repositories } from "@ciba/db";
import { OAuthError } from "../errors";
import type { Realtime } from "../realtime/socket-server";

export interface CibaPolicy {
  /** The user a login_hint names, or null (→ unknown_user_id). */
  resolveLoginHint(loginHint: string): Promise<User | null>;
  /** Throws invalid_binding_message when the message is unacceptable (CIBA Core §7.1). */
  validateBindingMessage(message: string): void;
  /** Whether `userCode` is the user's CIBA user code (CIBA Core §7.1). */
  verifyUserCode(user: User, userCode: string): Promise<boolean>;
  /** Puts the request on the user's Authentication Devices; returns how many were reached. */
  triggerAuthenticationDevice(user: User, request: DeviceRequest): Promise<number>;
  /**
   * The acr to report: the client's first `acr_values` entry (in its order of preference) that the
   * authentication methods used (`amr`, RFC 8176) satisfy, else the strongest they satisfy.
   */
  satisfiedAcr(acrValues: string | null, amr: string[]): string;
}

export function defaultCibaPolicy(repos: Repositories, realtime: Realtime): CibaPolicy {
  return {
    async resolveLoginHint(loginHint) {
      const { kind, value } = classifyLoginHint(loginHint);
      return repos.users.findByHint(kind, value);
    },

    validateBindingMessage(message) {
      if (!isValidBindingMessage(message)) throw new OAuthError("invalid_binding_message", bindingMessageRule);
    },

    async verifyUserCode(user, userCode) {
      return user.userCodeHash !== null && verifyPin(userCode, user.userCodeHash);
    },

    async triggerAuthenticationDevice(user, request) {
      realtime.emitToUser(user.id, "request:created", request);
      return realtime.devicesOnline(user.id);
    },

    satisfiedAcr(acrValues, amr) {
      // Possession of the enrolled device ("swk") always; a PIN adds knowledge.
      const achieved: string[] = amr.includes("pin") ? [...acrValuesSupported] : ["urn:ciba:acr:possession"];
      const requested = acrValues?.split(" ").filter(Boolean) ?? [];
      return requested.find((v) => achieved.includes(v)) ?? (achieved.includes(DEFAULT_ACR) ? DEFAULT_ACR : achieved[0]!);
    },
  };
}
