// Registered clients and their CIBA metadata. Every authenticated request reads its client, so
// findById is served from a short-lived cache (see ClientCache); the writes (registration, seeding)
// stay on Prisma and drop the cached entry of the client they change.
import type { ClientAuthMethod, DeliveryMode } from "@ciba/protocol";
import type { JsonWebKeySet } from "../types";
import type { DbClient } from "../database";
import { asBoolean, asDate, asDateOrNull, asString, asStringOrNull } from "../sql/columns";
import type { SqlDriver, SqlRow } from "../sql/driver";
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

/**
 * How long a client read from the database is used without reading it again. Changes made through
 * this instance are seen at once; a change made by another instance within this time, unless that
 * instance's change is relayed to invalidate() (e.g. over Redis pub/sub).
 */
export const CLIENT_CACHE_TTL_MS = 5_000;

/** Listens to changes of registered clients made through this instance (see clients.onChange). */
export type ClientChangeListener = (clientId: string) => void;

function fromSql(row: SqlRow): Client {
  return {
    clientId: asString(row.client_id),
    name: asString(row.name),
    secretHash: asStringOrNull(row.secret_hash),
    secretCiphertext: asStringOrNull(row.secret_ciphertext),
    secretExpiresAt: asDateOrNull(row.secret_expires_at),
    tokenEndpointAuthMethod: asString(row.token_endpoint_auth_method) as ClientAuthMethod,
    tokenEndpointAuthSigningAlg: asStringOrNull(row.token_endpoint_auth_signing_alg),
    grantTypes: asString(row.grant_types).split(" ").filter(Boolean),
    scope: row.scope === null ? null : asString(row.scope).split(" ").filter(Boolean),
    deliveryMode: asString(row.backchannel_token_delivery_mode) as DeliveryMode,
    notificationEndpoint: asStringOrNull(row.backchannel_client_notification_endpoint),
    requestSigningAlg: asStringOrNull(row.backchannel_authentication_request_signing_alg),
    userCodeParameter: asBoolean(row.backchannel_user_code_parameter),
    idTokenSignedResponseAlg: asString(row.id_token_signed_response_alg),
    jwks: parseJsonOrNull<JsonWebKeySet>(asStringOrNull(row.jwks)),
    jwksUri: asStringOrNull(row.jwks_uri),
    fapiCiba: asBoolean(row.fapi_ciba),
    dpopBoundAccessTokens: asBoolean(row.dpop_bound_access_tokens),
    registrationAccessTokenHash: asStringOrNull(row.registration_access_token_hash),
    metadata: parseJson<Record<string, unknown>>(asString(row.metadata)),
    createdAt: asDate(row.created_at),
    updatedAt: asDate(row.updated_at),
  };
}

/** Shared by every request that reads it, so it is frozen: a caller that tried to change it would throw. */
function frozen<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) frozen(inner);
    Object.freeze(value);
  }
  return value;
}

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

export function clientsRepository(prisma: DbClient, sql: SqlDriver) {
  // Only clients that exist are cached: one registered elsewhere a moment ago is found at once.
  const cache = new Map<string, { client: Client; until: number }>();
  const listeners = new Set<ClientChangeListener>();
  const changed = (clientId: string) => {
    cache.delete(clientId);
    for (const listener of listeners) listener(clientId);
  };

  return {
    async findById(clientId: string): Promise<Client | null> {
      const cached = cache.get(clientId);
      if (cached && cached.until > Date.now()) return cached.client;
      const row = await sql.get(`SELECT * FROM "clients" WHERE "client_id" = ?`, [clientId]);
      if (!row) {
        cache.delete(clientId);
        return null;
      }
      const client = frozen(fromSql(row));
      cache.set(clientId, { client, until: Date.now() + CLIENT_CACHE_TTL_MS });
      return client;
    },

    /** Forgets the cached copy of a client (or of all), e.g. when another instance reports a change. */
    invalidate(clientId?: string): void {
      if (clientId === undefined) cache.clear();
      else cache.delete(clientId);
    },

    /** Calls `listener` with the id of every client this instance creates, updates or deletes. */
    onChange(listener: ClientChangeListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async findByRegistrationAccessTokenHash(hash: string): Promise<Client | null> {
      const row = await prisma.client.findUnique({ where: { registrationAccessTokenHash: hash } });
      return row && toClient(row);
    },

    async create(client: NewClient): Promise<Client> {
      const created = toClient(await prisma.client.create({ data: toCreateColumns(client) }));
      changed(created.clientId);
      return created;
    },

    async update(clientId: string, changes: Partial<Omit<NewClient, "clientId">>): Promise<Client> {
      try {
        return toClient(await prisma.client.update({ where: { id: clientId }, data: toColumns(changes) }));
      } finally {
        changed(clientId);
      }
    },

    /** Creates the client, or updates the given fields when it exists (seed data). */
    async upsert(client: NewClient, updateOnExisting: Partial<Omit<NewClient, "clientId">>): Promise<Client> {
      const row = await prisma.client.upsert({
        where: { id: client.clientId },
        create: toCreateColumns(client),
        update: toColumns(updateOnExisting),
      });
      changed(client.clientId);
      return toClient(row);
    },

    async delete(clientId: string): Promise<void> {
      try {
        await prisma.client.delete({ where: { id: clientId } });
      } finally {
        changed(clientId);
      }
    },
  };
}

export type ClientsRepository = ReturnType<typeof clientsRepository>;
