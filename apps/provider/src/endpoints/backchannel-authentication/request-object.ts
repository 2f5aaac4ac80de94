// Where the authentication request parameters come from. This provider does not yet accept signed
// authentication requests (CIBA Core §7.1.1): discovery omits
// backchannel_authentication_request_signing_alg_values_supported, so per CIBA Core §4 clients know not to
// send them, and a `request` is refused with invalid_request. request_uri is not part of CIBA.
import type { Client } from "@ciba/db";
import { OAuthError } from "../../errors";
import type { FormParams } from "../../http/form-body";
import { pickRequestParams, type RequestParams } from "./params";

export function effectiveParams(client: Client, form: FormParams): RequestParams {
  if (form.request_uri !== undefined) {
    throw new OAuthError("invalid_request", "request_uri is not supported at the backchannel authentication endpoint");
  }
  if (form.request !== undefined) {
    throw new OAuthError("invalid_request", "signed authentication requests (request) are not supported");
  }
  if (client.requestSigningAlg || client.fapiCiba) {
    throw new OAuthError("invalid_request", "this client must send a signed authentication request");
  }
  return pickRequestParams(form);
}
