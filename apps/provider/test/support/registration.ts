// Dynamic registration from a test's point of view: register over HTTP, as an integrator would.
import { CIBA_GRANT_TYPE, type ClientRegistrationResponse } from "@ciba/protocol";
import { url } from "./flows";
import { type JsonResponse, postJson } from "./http";
import type { TestProvider } from "./provider";

export async function register(
  provider: TestProvider,
  metadata: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<JsonResponse<ClientRegistrationResponse & Record<string, unknown>>> {
  return postJson(url(provider, "/register"), metadata, headers);
}

/** Registers and asserts success; poll mode and the CIBA grant unless `metadata` says otherwise. */
export async function registerClient(provider: TestProvider, metadata: Record<string, unknown> = {}): Promise<ClientRegistrationResponse> {
  const response = await register(provider, {
    client_name: "Registered in a test",
    grant_types: [CIBA_GRANT_TYPE],
    backchannel_token_delivery_mode: "poll",
    ...metadata,
  });
  if (response.status !== 201) throw new Error(`registration failed: ${JSON.stringify(response.body)}`);
  return response.body;
}
