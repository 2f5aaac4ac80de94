// The provider's signing keys: one per supported algorithm, generated on first start and persisted,
// so `kid`s and issued tokens stay valid across restarts.
import type { Repositories } from "@ciba/db";
import type { SigningAlg } from "@ciba/protocol";
import {
  type CryptoKey,
  type JWK,
  type JWTVerifyGetKey,
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
} from "jose";

export interface SigningKeyHandle {
  kid: string;
  alg: SigningAlg;
  key: CryptoKey;
}

export interface Keystore {
  /** The public JWK Set served at jwks_uri. */
  publicJwks: { keys: JWK[] };
  /** The current key for `alg`. */
  signingKey(alg: SigningAlg): SigningKeyHandle;
  /** Resolves verification keys for tokens this provider issued. */
  verificationKeys: JWTVerifyGetKey;
}

const generateOptions: Record<SigningAlg, Parameters<typeof generateKeyPair>[1]> = {
  RS256: { modulusLength: 2048, extractable: true },
  PS256: { modulusLength: 2048, extractable: true },
  ES256: { extractable: true },
};

async function generate(alg: SigningAlg) {
  const { publicKey, privateKey } = await generateKeyPair(alg, generateOptions[alg]);
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    alg,
    publicJwk: { ...publicJwk, kid, alg, use: "sig" },
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg, use: "sig" },
  };
}

/** Loads the active keys, creating and persisting one for every algorithm that has none. */
export async function loadKeystore(repos: Repositories, algs: readonly SigningAlg[]): Promise<Keystore> {
  let stored = await repos.signingKeys.listActive();
  let generated = false;
  for (const alg of algs) {
    if (stored.some((k) => k.alg === alg)) continue;
    const fresh = await generate(alg);
    await repos.signingKeys.create({
      kid: fresh.kid,
      alg,
      publicJwk: JSON.stringify(fresh.publicJwk),
      privateJwk: JSON.stringify(fresh.privateJwk),
    });
    generated = true;
  }
  // Instances starting together on an empty database each generate keys. Reading them all back after our
  // own insert means every instance signs with the oldest key of each algorithm (inserted before ours, or
  // ours), so all instances sign alike and each publishes the key in use.
  if (generated) stored = await repos.signingKeys.listActive();

  const handles = new Map<SigningAlg, SigningKeyHandle>();
  const publicKeys: JWK[] = [];
  for (const row of stored) {
    const alg = row.alg as SigningAlg;
    publicKeys.push(JSON.parse(row.publicJwk) as JWK);
    // The oldest active key of each algorithm signs; newer ones (from a concurrent first start) only verify.
    if (!handles.has(alg)) {
      const key = (await importJWK(JSON.parse(row.privateJwk) as JWK, alg)) as CryptoKey;
      handles.set(alg, { kid: row.kid, alg, key });
    }
  }

  const publicJwks = { keys: publicKeys };
  return {
    publicJwks,
    signingKey(alg) {
      const handle = handles.get(alg);
      if (!handle) throw new TypeError(`no signing key for ${alg}`);
      return handle;
    },
    verificationKeys: createLocalJWKSet(publicJwks),
  };
}
