// Demo data: three callers and one client per delivery mode, as documented in the README.
// Idempotent: the provider runs it at every start; tests reuse the same helpers.
import { CIBA_GRANT_TYPE, type DeliveryMode, REFRESH_TOKEN_GRANT_TYPE } from "@ciba/protocol";
import type { Repositories } from "./repositories";
import type { Client, NewClient } from "./repositories/clients";
import { hashToken } from "./secrets";

export const DEMO_PIN = "1234";
export const DEMO_CLIENT_SECRET = "demo-secret";

export const demoUsers = [
  {
    sub: "3f8d2c1e-5a7b-4e2f-9c1d-a11ce0000001",
    name: "Alice Martin",
    givenName: "Alice",
    familyName: "Martin",
    email: "alice@example.com",
    phoneNumber: "+447700900123",
    customerNumber: "40012345",
    userCode: "sunflower",
  },
  {
    sub: "7b2e4d6f-1c3a-4b5d-8e7f-b0b000000002",
    name: "Bob Okafor",
    givenName: "Bob",
    familyName: "Okafor",
    email: "bob@example.com",
    phoneNumber: "+447700900456",
    customerNumber: "40023456",
    userCode: "lighthouse",
  },
  {
    sub: "c4a1e8b2-9d3f-4a6c-b5e7-ca2010000003",
    name: "Carol Nguyen",
    givenName: "Carol",
    familyName: "Nguyen",
    email: "carol@example.com",
    phoneNumber: "+447700900789",
    customerNumber: "40034567",
    userCode: "harbour",
  },
] as const;

export type DemoUser = (typeof demoUsers)[number];

/**
 * The demo users' PIN (1234) and user codes, hashed once with hashPin (scrypt, salt of their own) and
 * kept here: the values are public, and hashing them at every first start cost six scrypt runs, a
 * third of a second and, through the allocator, some 90 MB of resident memory that stayed.
 * Checked against DEMO_PIN and the user codes by the data-layer tests.
 */
export const demoSecretHashes: Record<DemoUser["sub"], { pin: string; userCode: string }> = {
  "3f8d2c1e-5a7b-4e2f-9c1d-a11ce0000001": {
    pin: "scrypt$16384$8$1$rmNkBU6JyqxAU44xQTDv4w$TWShmdBM-EbOQKO7lEIR6xbJavRm9ds-b6BkGfeTBWs",
    userCode: "scrypt$16384$8$1$_qz1zNu94ZEMXfZ08jIhzQ$l0czEuwtlZ0CXR_rX69SPWLM83LGDvtLd6stts41uPM",
  },
  "7b2e4d6f-1c3a-4b5d-8e7f-b0b000000002": {
    pin: "scrypt$16384$8$1$ySd-wR593WFBi-PGVmADZw$lnWXKTKKBRt1H4wR_EE0MUXThulYguOME3kjnFPuAHo",
    userCode: "scrypt$16384$8$1$MWaEhwgeF9GKoKGS-i47ZQ$AU1iE4Q2VrOJJu8HZiZA7XgOmyWdewBVKmovL0BgroA",
  },
  "c4a1e8b2-9d3f-4a6c-b5e7-ca2010000003": {
    pin: "scrypt$16384$8$1$8jqZDSVfC4pvmD7l-cvhaQ$l7dcaWEoJEX7T8NdqK1sDl6QLm0Bv-kfFUfyFrYhcvc",
    userCode: "scrypt$16384$8$1$W9jtwKhLoAqIZ90OMIjaVQ$oPirQ06YfD0s5Q_yDnBXE0CXHMeKEVx06yDSugT_kb0",
  },
};

/** The client notification endpoint paths the operator console serves. */
export const consoleNotificationPaths = { ping: "/api/ciba/ping", push: "/api/ciba/push" } as const;

export const DEMO_CLIENT_NAME = "Acme Bank call centre";

/** A confidential CIBA client with sensible defaults, for seeds and tests. */
export function cibaClient(
  clientId: string,
  deliveryMode: DeliveryMode,
  overrides: Partial<NewClient> & { secret?: string } = {},
): NewClient {
  const { secret = DEMO_CLIENT_SECRET, ...rest } = overrides;
  return {
    clientId,
    name: DEMO_CLIENT_NAME,
    secretHash: hashToken(secret),
    secretCiphertext: null,
    secretExpiresAt: null,
    tokenEndpointAuthMethod: "client_secret_basic",
    tokenEndpointAuthSigningAlg: null,
    grantTypes: [CIBA_GRANT_TYPE, REFRESH_TOKEN_GRANT_TYPE],
    scope: null,
    deliveryMode,
    notificationEndpoint: null,
    requestSigningAlg: null,
    userCodeParameter: false,
    idTokenSignedResponseAlg: "RS256",
    jwks: null,
    jwksUri: null,
    fapiCiba: false,
    dpopBoundAccessTokens: false,
    registrationAccessTokenHash: null,
    metadata: {},
    ...rest,
  };
}

export interface SeedOptions {
  /** Where the operator console listens: ping and push clients are notified there. */
  consoleUrl: string;
}

export interface SeedResult {
  users: number;
  clients: Client[];
}

/** Creates the demo users and clients that are missing; keeps demo notification endpoints current. */
export async function seedDemoData(repos: Repositories, { consoleUrl }: SeedOptions): Promise<SeedResult> {
  for (const user of demoUsers) {
    if (await repos.users.findBySub(user.sub)) continue;
    await repos.users.create({
      id: user.sub,
      name: user.name,
      givenName: user.givenName,
      familyName: user.familyName,
      email: user.email,
      phoneNumber: user.phoneNumber,
      customerNumber: user.customerNumber,
      locale: "en-GB",
      pinHash: demoSecretHashes[user.sub].pin,
      userCodeHash: demoSecretHashes[user.sub].userCode,
    });
  }

  const endpoint = (mode: "ping" | "push") => new URL(consoleNotificationPaths[mode], consoleUrl).toString();
  const clients = [
    await repos.clients.upsert(cibaClient("demo-poll", "poll"), {}),
    await repos.clients.upsert(cibaClient("demo-ping", "ping", { notificationEndpoint: endpoint("ping") }), {
      notificationEndpoint: endpoint("ping"),
    }),
    await repos.clients.upsert(cibaClient("demo-push", "push", { notificationEndpoint: endpoint("push") }), {
      notificationEndpoint: endpoint("push"),
    }),
  ];
  return { users: demoUsers.length, clients };
}
