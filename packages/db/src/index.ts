// @ciba/db: the database layer shared by the provider, its tests and tools.
export {
  createDatabase,
  parseDatabaseUrl,
  defaultDatabaseUrl,
  repoRoot,
  type Database,
  type DatabaseLocation,
  type DbClient,
  type Dialect,
  type PrismaClient,
} from "./database";
export { migrate, dropPostgresqlSchema, type MigrationResult } from "./migrate";
export { createRepositories, type DataSources, type Repositories } from "./repositories";
export { isForeignKeyViolation, isUniqueViolation, type SqlDriver } from "./sql/driver";
export { randomToken, hashToken, tokenMatchesHash, hashPin, verifyPin } from "./secrets";
export {
  seedDemoData,
  cibaClient,
  demoUsers,
  consoleNotificationPaths,
  DEMO_PIN,
  DEMO_CLIENT_SECRET,
  DEMO_CLIENT_NAME,
  type DemoUser,
  type SeedOptions,
  type SeedResult,
} from "./seed";
export { CLIENT_CACHE_TTL_MS, type Client, type ClientChangeListener, type NewClient } from "./repositories/clients";
export type { User } from "./repositories/users";
export type {
  AuthRequest,
  AuthRequestWithClient,
  AuthRequestStatus,
  NewAuthRequest,
  Decision,
} from "./repositories/auth-requests";
export type { Grant, NewGrant, RefreshToken, NewRefreshToken, Redemption } from "./repositories/grants";
export type { SigningKey } from "./repositories/signing-keys";
export type { DeviceSession } from "./repositories/device-sessions";
export type { StoredProtocolEvent, NewProtocolEvent } from "./repositories/protocol-events";
export type {
  Delivery,
  DeliveryAttempt,
  DeliveryKind,
  DeliveryStatus,
  DeliveryWithLog,
  NewDelivery,
  NewDeliveryAttempt,
  AttemptOutcome,
} from "./repositories/deliveries";
export type { JsonWebKeySet } from "./types";
