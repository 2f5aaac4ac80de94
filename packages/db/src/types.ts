// Shapes shared by the repositories that are not Prisma models.

/** A JSON Web Key Set as stored for a client (RFC 7517 §5). */
export interface JsonWebKeySet {
  keys: Array<Record<string, unknown> & { kty: string; kid?: string; alg?: string; use?: string }>;
}
