// DPoP proofs (RFC 9449 §4) as a client makes them, with every part overridable for refusal tests.
import { createHash, randomUUID } from "node:crypto";
import { exportJWK, SignJWT } from "jose";
import type { ClientKey } from "./keys";

export interface ProofOptions {
  htm?: string;
  htu: string;
  accessToken?: string;
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
}

export async function dpopProof(key: ClientKey, options: ProofOptions): Promise<string> {
  const payload: Record<string, unknown> = {
    jti: randomUUID(),
    htm: options.htm ?? "POST",
    htu: options.htu,
    iat: Math.floor(Date.now() / 1000),
    ...(options.accessToken ? { ath: createHash("sha256").update(options.accessToken).digest("base64url") } : {}),
    ...options.claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  const jwk = await exportJWK(key.publicKey);
  return new SignJWT(payload).setProtectedHeader({ typ: "dpop+jwt", alg: key.alg, jwk, ...options.header }).sign(key.privateKey);
}
