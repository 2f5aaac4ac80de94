// Provider discovery (OIDC Discovery §4, CIBA Core §4) with openid-client: the metadata is fetched once
// and shared by the three clients; each flow then gets its own Configuration whose HTTP exchanges are
// recorded for that flow's inspector. The JWKS is fetched by jose and cached.
import type { DeliveryMode } from "@ciba/protocol";
import { createRemoteJWKSet, customFetch as joseCustomFetch, type JWTVerifyGetKey } from "jose";
import * as oidc from "openid-client";
import type { RpClient, RpClients } from "./clients";
import { type RecordedExchange, recordingFetch, type RecordingOptions } from "./recorder";

export interface ProviderFeatures {
  /** Delivery modes the provider advertises. */
  modes: DeliveryMode[];
  /**
   * The provider honours `Prefer: wait=N` on CIBA token requests (a provider extension, RFC 7240).
   * Not advertised in metadata: null until a token response shows (Preference-Applied) or denies it.
   */
  longPolling: boolean | null;
  /** Where a client can cancel a pending request (a provider extension), or null. */
  cancelEndpoint: string | null;
}

export interface ProviderConnection {
  issuer: string;
  metadata: oidc.ServerMetadata;
  features: ProviderFeatures;
  /** The provider's signing keys, fetched on first use and refreshed when an unknown kid shows up. */
  keys: JWTVerifyGetKey;
  idTokenAlgorithms: string[];
  /** A Configuration for one client whose requests are recorded with `recording`. */
  configFor(client: RpClient, recording: RecordingOptions): oidc.Configuration;
  discoveredAt: Date;
  /** The discovery exchange itself, shown at the top of every flow's inspector. */
  discoveryExchange: RecordedExchange | null;
  /** JWKS fetches made so far (jose caches the set between them). */
  jwksExchanges: RecordedExchange[];
}

/** Seconds openid-client waits for any answer; a long poll waits up to CONSOLE_LONG_POLL_SECONDS. */
const REQUEST_TIMEOUT_SECONDS = 75;

function readFeatures(metadata: oidc.ServerMetadata): ProviderFeatures {
  const modes = (metadata.backchannel_token_delivery_modes_supported as DeliveryMode[] | undefined) ?? [];
  const cancel = metadata.backchannel_authentication_cancel_endpoint;
  return {
    modes,
    longPolling: null,
    cancelEndpoint: typeof cancel === "string" ? cancel : null,
  };
}

export async function discoverProvider(providerUrl: string, clients: RpClients): Promise<ProviderConnection> {
  let discoveryExchange: RecordedExchange | null = null;
  const insecure = new URL(providerUrl).protocol === "http:";
  const first = clients.poll;
  const discovered = await oidc.discovery(
    new URL(providerUrl),
    first.clientId,
    { client_secret: first.clientSecret },
    oidc.ClientSecretBasic(first.clientSecret),
    {
      // http only where env.ts allowed it (a provider on this machine, or CONSOLE_ALLOW_INSECURE_HTTP).
      execute: insecure ? [oidc.allowInsecureRequests] : [],
      timeout: 10,
      [oidc.customFetch]: recordingFetch({ onExchange: (exchange) => void (discoveryExchange = exchange) }),
    },
  );
  const metadata = discovered.serverMetadata();
  const jwksExchanges: RecordedExchange[] = [];
  const jwksUri = metadata.jwks_uri;
  if (!jwksUri) throw new TypeError("the provider metadata has no jwks_uri");
  const keys = createRemoteJWKSet(new URL(jwksUri), {
    timeoutDuration: 10_000,
    cooldownDuration: 5_000,
    [joseCustomFetch]: recordingFetch({ onExchange: (exchange) => jwksExchanges.push(exchange) }) as never,
  });

  return {
    issuer: metadata.issuer,
    metadata,
    features: readFeatures(metadata),
    keys,
    idTokenAlgorithms: metadata.id_token_signing_alg_values_supported ?? ["RS256"],
    configFor(client, recording) {
      const config = new oidc.Configuration(metadata, client.clientId, { client_secret: client.clientSecret }, oidc.ClientSecretBasic(client.clientSecret));
      if (insecure) oidc.allowInsecureRequests(config);
      config.timeout = REQUEST_TIMEOUT_SECONDS;
      config[oidc.customFetch] = recordingFetch(recording);
      return config;
    },
    discoveredAt: new Date(),
    discoveryExchange,
    jwksExchanges,
  };
}
