// Reversible protection for the one kind of client secret the provider must be able to read back.
//
// client_secret_basic / client_secret_post secrets are stored as SHA-256 only: comparing a presented
// secret needs nothing more. client_secret_jwt is different: the client signs its assertion with HMAC
// keyed by the secret (OIDC Core §9), so verifying it needs the secret itself. For those clients alone
// the secret is kept as AES-256-GCM ciphertext under a key-encryption key (KEK) that never enters the
// database: a copy of the database (backup, replica, SQL injection elsewhere) yields no usable secret.
//
//   CLIENT_SECRET_ENCRYPTION_KEY   32 random bytes, base64url: the KEK. Production sets it (from a secret
//                                  manager); without it, client_secret_jwt is simply not offered there.
//   demo/test profile, unset       a KEK is generated once into <repo>/.data/client-secret.key (mode 0600),
//                                  next to the demo database but outside it.
//
// The client_id is the GCM additional authenticated data, so a ciphertext copied onto another client's
// row does not decrypt. The ciphertext names its KEK by a short fingerprint, so a rotated or missing key
// fails with a clear message rather than a bare authentication-tag error.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "@ciba/db";
import type { Profile } from "../config";

const VERSION = "v1";
const IV_BYTES = 12;
const KEY_BYTES = 32;

export interface SecretBox {
  /** A short, non-secret fingerprint of the KEK (which key a ciphertext needs). */
  readonly keyId: string;
  seal(clientId: string, secret: string): string;
  /** The secret, or a TypeError when the ciphertext was not made with this KEK for this client. */
  open(clientId: string, sealed: string): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== KEY_BYTES) throw new TypeError(`the client secret encryption key must be ${KEY_BYTES} bytes`);
  const keyId = createHash("sha256").update(key).digest("base64url").slice(0, 8);
  return {
    keyId,
    seal(clientId, secret) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(clientId, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
      return [VERSION, keyId, iv, ciphertext, cipher.getAuthTag()]
        .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
        .join(".");
    },
    open(clientId, sealed) {
      const [version, sealedKeyId, iv, ciphertext, tag] = sealed.split(".");
      if (version !== VERSION || !iv || ciphertext === undefined || !tag) {
        throw new TypeError("the stored client secret is not a v1 ciphertext");
      }
      if (sealedKeyId !== keyId) {
        throw new TypeError(`the stored client secret was encrypted with key ${sealedKeyId}, not the configured key ${keyId}`);
      }
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(clientId, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      try {
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
      } catch (cause) {
        throw new TypeError("the stored client secret does not decrypt for this client", { cause });
      }
    },
  };
}

/** Where the demo profile keeps its generated KEK. */
export const demoKeyFile = path.join(repoRoot, ".data/client-secret.key");

/** Reads the demo KEK, creating it first if no provider has yet (two may start at once: first one wins). */
function demoKey(file: string): Buffer {
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(KEY_BYTES).toString("base64url")}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const key = Buffer.from(readFileSync(file, "utf8").trim(), "base64url");
  if (key.length !== KEY_BYTES) throw new TypeError(`${file} does not hold a ${KEY_BYTES}-byte base64url key`);
  return key;
}

/**
 * The secret box for this deployment, or null when client_secret_jwt is not available (production
 * without CLIENT_SECRET_ENCRYPTION_KEY).
 */
export function loadSecretBox(configuredKey: Buffer | undefined, profile: Profile, keyFile = demoKeyFile): SecretBox | null {
  if (configuredKey) return createSecretBox(configuredKey);
  return profile === "demo" ? createSecretBox(demoKey(keyFile)) : null;
}
