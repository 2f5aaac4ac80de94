// Plain language for the errors an operator can meet, keyed by the provider's OAuth error code (or a
// console code). The code and the provider's own description are always shown next to it.
import type { FlowError } from "./flow-view";

interface PlainMessage {
  title: string;
  advice: string | null;
}

const messages: Record<string, PlainMessage> = {
  unknown_user_id: {
    title: "No customer matches that identifier",
    advice: "Check the spelling with the caller, or try their phone number (+44…) or customer number instead.",
  },
  invalid_binding_message: {
    title: "The provider refused the code to read to the caller",
    advice: "Start again: the console will generate a new code.",
  },
  invalid_scope: {
    title: "The provider refused the requested information (scopes)",
    advice: "Untick the scopes this console is not allowed to ask for and start again.",
  },
  invalid_request: {
    title: "The provider refused the request as malformed",
    advice: "Check the transaction details and start again.",
  },
  invalid_authorization_details: {
    title: "The provider refused the transaction details",
    advice: "Check the amount, currency and creditor and start again.",
  },
  invalid_client: {
    title: "The console could not authenticate to the provider",
    advice: "The console's client id or secret is wrong: check CONSOLE_*_CLIENT_ID and _SECRET.",
  },
  unauthorized_client: {
    title: "This console is not allowed to use that delivery mode",
    advice: "Pick another delivery mode, or register the client for it at the provider.",
  },
  access_denied: {
    title: "The provider refused to contact the caller",
    advice: null,
  },
  expired_token: {
    title: "The request expired before the caller answered",
    advice: "Start a new verification while the caller is on the line.",
  },
  invalid_grant: {
    title: "The provider no longer recognises this request",
    advice: "Start a new verification.",
  },
  transaction_failed: {
    title: "The provider could not complete the verification",
    advice: "Start a new verification; if it happens again, check the provider's logs.",
  },
  temporarily_unavailable: {
    title: "The provider is busy or starting up",
    advice: "Wait a few seconds and start again.",
  },
  server_error: {
    title: "The provider had an internal error",
    advice: "Start again; if it persists, check the provider's logs.",
  },
  provider_unreachable: {
    title: "The OpenID Provider cannot be reached",
    advice: "Check that the provider is running. The console reconnects on its own.",
  },
  invalid_response: {
    title: "The provider's answer failed the console's checks",
    advice: "This can mean a misconfigured or impersonated provider. The details are in the protocol inspector.",
  },
  id_token_invalid: {
    title: "The ID token failed validation",
    advice: "The caller is NOT verified. The failed check is listed in the protocol inspector.",
  },
};

export function plainError(code: string, description: string | null, status: number | null): FlowError {
  const plain = messages[code] ?? { title: "The provider returned an error", advice: null };
  return { code, description, status, title: plain.title, advice: plain.advice };
}
