// Registered clients and their CIBA metadata.
import type { ClientAuthMethod, DeliveryMode } from "@ciba/protocol";
import type { JsonWebKeySet } from "../types";
import type { DbClient } from "../database";
import { parseJson, parseJsonOrNull, toJson, toJsonOrNull } from "./json";

export interface Client {
  clientId: string;
  name: string;
  secretHash: string | null;
  /** client_secret_jwt only: the secret encrypted by the provider (opaque to this package). */
  secretCiphertext: string | null;
  secretExpiresAt: Date | null;
  tokenEndpointAuthMethod: ClientAuthMethod;
  tokenEndpointAuthSigningAlg: string | null;
  grantTypes: string[];
  /** Scopes the client may request; null means every supported scope. */
  scope: string[] | null;
  deliveryMode: DeliveryMode;
  notificationEndpoint: string | null;
  requestSigningAlg: string | null;
  userCodeParameter: boolean;
  idTokenSignedResponseAlg: string;
  jwks: JsonWebKeySet | null;
  jwksUri: string | null;
  fapiCiba: boolean;
  dpopBoundAccessTokens: boolean;
  registrationAccessTokenHash: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export type NewClient = Omit<Client, "createdAt" | "updatedAt">;

type Row = Awaited<ReturnType<DbClient["client"]["findUniqueOrThrow"]>>;

function toClient(row: Row): Client {
  return {
    clientId: row.id,
    name: row.name,
    secretHash: row.secretHash,
    secretCiphertext: row.secretCiphertext,
    secretExpiresAt: row.secretExpiresAt,
    tokenEndpointAuthMethod: row.tokenEndpointAuthMethod as ClientAuthMethod,
    tokenEndpointAuthSigningAlg: row.tokenEndpointAuthSigningAlg,
    grantTypes: row.grantTypes.split(" ").filter(Boolean),
    scope: row.scope === null ? null : row.scope.split(" ").filter(Boolean),
    deliveryMode: row.deliveryMode as DeliveryMode,
    notificationEndpoint: row.notificationEndpoint,
    requestSigningAlg: row.requestSigningAlg,
    userCodeParameter: row.userCodeParameter,
    idTokenSignedResponseAlg: row.idTokenSignedResponseAlg,
    jwks: parseJsonOrNull<JsonWebKeySet>(row.jwks),
    jwksUri: row.jwksUri,
    fapiCiba: row.fapiCiba,
    dpopBoundAccessTokens: row.dpopBoundAccessTokens,
    registrationAccessTokenHash: row.registrationAccessTokenHash,
    metadata: parseJson<Record<string, unknown>>(row.metadata),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Column values for the fields present in `client` (undefined fields are left untouched). */
function toColumns(client: Partial<NewClient>) {
  const { clientId, grantTypes, scope, jwks, metadata, ...same } = client;
  return {
    ...same,
    id: clientId,
    grantTypes: grantTypes?.join(" "),
    scope: scope === undefined ? undefined : scope === null ? null : scope.join(" "),
    jwks: jwks === undefined ? undefined : toJsonOrNull(jwks),
    metadata: metadata === undefined ? undefined : toJson(metadata),
  };
}

function toCreateColumns(client: NewClient) {
  const { clientId, grantTypes, scope, jwks, metadata, ...same } = client;
  return {
    ...same,
    id: clientId,
    grantTypes: grantTypes.join(" "),
    scope: scope === null ? null : scope.join(" "),
    jwks: toJsonOrNull(jwks),
    metadata: toJson(metadata),
  };
}

export function clientsRepository(prisma: DbClient) {
  return {
    async findById(clientId: string): Promise<Client | null> {
      const row = await prisma.client.findUnique({ where: { id: clientId } });
      return row && toClient(row);
    },

    async findByRegistrationAccessTokenHash(hash: string): Promise<Client | null> {
      const row = await prisma.client.findUnique({ where: { registrationAccessTokenHash: hash } });
      return row && toClient(row);
    },

    async create(client: NewClient): Promise<Client> {
      return toClient(await prisma.client.create({ data: toCreateColumns(client) }));
    },

    async update(clientId: string, changes: Partial<Omit<NewClient, "clientId">>): Promise<Client> {
      return toClient(await prisma.client.update({ where: { id: clientId }, data: toColumns(changes) }));
    },

    /** Creates the client, or updates the given fields when it exists (seed data). */
    async upsert(client: NewClient, updateOnExisting: Partial<Omit<NewClient, "clientId">>): Promise<Client> {
      const row = await prisma.client.upsert({
        where: { id: client.clientId },
        create: toCreateColumns(client),
        update: toColumns(updateOnExisting),
      });
      return toClient(row);
    },

    async delete(clientId: string): Promise<void> {
      await prisma.client.delete({ where: { id: clientId } });
    },
  };
}

export type ClientsRepository = ReturnType<typeof clientsRepository>;
