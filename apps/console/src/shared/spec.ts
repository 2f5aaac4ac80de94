// Where each message of a CIBA flow is specified, for the inspector's "read the spec" links.
import type { SpecRef } from "./flow-view";

const CIBA = "https://openid.net/specs/openid-client-initiated-backchannel-authentication-core-1_0.html";
const OIDC_CORE = "https://openid.net/specs/openid-connect-core-1_0.html";
const OIDC_DISCOVERY = "https://openid.net/specs/openid-connect-discovery-1_0.html";

const ciba = (section: string, title: string): SpecRef => ({
  label: `CIBA Core §${section} ${title}`,
  href: `${CIBA}#rfc.section.${section}`,
});

export const spec = {
  discovery: { label: "OpenID Connect Discovery §4 Provider Configuration", href: `${OIDC_DISCOVERY}#ProviderConfig` },
  cibaMetadata: ciba("4", "Registration and Discovery Metadata"),
  authenticationRequest: ciba("7.1", "Authentication Request"),
  acknowledgement: ciba("7.3", "Successful Authentication Request Acknowledgement"),
  authenticationError: ciba("13", "Authentication Error Response"),
  consent: ciba("8", "OpenID Provider Obtains End-User Consent/Authorization"),
  notificationEndpoint: ciba("9", "Client Notification Endpoint"),
  tokenRequest: ciba("10.1", "Token Request Using CIBA Grant Type"),
  tokenResponse: ciba("10.1.1", "Successful Token Response"),
  tokenError: ciba("11", "Token Error Response"),
  ping: ciba("10.2", "Ping Callback"),
  push: ciba("10.3", "Push Callback"),
  pushTokens: ciba("10.3.1", "Successful Token Notification"),
  pushError: ciba("12", "Push Error Payload"),
  security: ciba("14", "Security Considerations"),
  idTokenValidation: { label: "OpenID Connect Core §3.1.3.7 ID Token Validation", href: `${OIDC_CORE}#IDTokenValidation` },
  atHash: { label: "OpenID Connect Core §3.3.2.11 ID Token (at_hash)", href: `${OIDC_CORE}#HybridIDToken` },
  userinfo: { label: "OpenID Connect Core §5.3 UserInfo Endpoint", href: `${OIDC_CORE}#UserInfo` },
} as const satisfies Record<string, SpecRef>;
