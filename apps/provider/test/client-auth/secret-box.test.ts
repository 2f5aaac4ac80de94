// The secret box that keeps client_secret_jwt secrets: AES-256-GCM under a key-encryption key that is
// not in the database, bound to the client_id, and clear about which key a ciphertext needs.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createSecretBox, loadSecretBox } from "../../src/client-auth/secret-box";
import { readEnv } from "../../src/env";

const dir = mkdtempSync(path.join(tmpdir(), "secret-box-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("secret box", () => {
  const box = createSecretBox(randomBytes(32));

  it("opens what it sealed, for the same client", () => {
    const sealed = box.seal("client-a", "s3cret-value");
    expect(sealed).not.toContain("s3cret-value");
    expect(box.open("client-a", sealed)).toBe("s3cret-value");
  });

  it("never seals the same secret to the same ciphertext", () => {
    expect(box.seal("client-a", "same")).not.toBe(box.seal("client-a", "same"));
  });

  it("does not open a ciphertext copied to another client", () => {
    const sealed = box.seal("client-a", "s3cret-value");
    expect(() => box.open("client-b", sealed)).toThrow(new TypeError("the stored client secret does not decrypt for this client"));
  });

  it("does not open a tampered ciphertext", () => {
    const parts = box.seal("client-a", "s3cret-value").split(".");
    const ciphertext = Buffer.from(parts[3]!, "base64url");
    ciphertext[0] = ciphertext[0]! ^ 1;
    parts[3] = ciphertext.toString("base64url");
    expect(() => box.open("client-a", parts.join("."))).toThrow(TypeError);
  });

  it("names the key a ciphertext needs when the key has changed", () => {
    const other = createSecretBox(randomBytes(32));
    const sealed = other.seal("client-a", "x");
    expect(() => box.open("client-a", sealed)).toThrow(
      `the stored client secret was encrypted with key ${other.keyId}, not the configured key ${box.keyId}`,
    );
  });

  it("refuses a key of the wrong size as a configuration mistake", () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow(new TypeError("the client secret encryption key must be 32 bytes"));
  });
});

describe("loading the key-encryption key", () => {
  it("reads CLIENT_SECRET_ENCRYPTION_KEY as 32 base64url bytes, and refuses anything else at start-up", () => {
    const key = randomBytes(32);
    expect(readEnv({ CLIENT_SECRET_ENCRYPTION_KEY: key.toString("base64url") }).CLIENT_SECRET_ENCRYPTION_KEY).toEqual(key);
    expect(() => readEnv({ CLIENT_SECRET_ENCRYPTION_KEY: randomBytes(16).toString("base64url") })).toThrow(
      "CLIENT_SECRET_ENCRYPTION_KEY: must be 32 bytes, base64url-encoded (43 characters)",
    );
  });

  it("uses the configured key in any profile", () => {
    const key = randomBytes(32);
    expect(loadSecretBox(key, "production")!.keyId).toBe(createSecretBox(key).keyId);
  });

  it("offers no secret box in production without a configured key", () => {
    expect(loadSecretBox(undefined, "production", path.join(dir, "unused.key"))).toBeNull();
  });

  it("generates a key file once in the demo profile, readable by its owner only, and reuses it", () => {
    const file = path.join(dir, "nested", "client-secret.key");
    const first = loadSecretBox(undefined, "demo", file)!;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, "utf8").trim(), "base64url")).toHaveLength(32);
    const second = loadSecretBox(undefined, "demo", file)!;
    expect(second.keyId).toBe(first.keyId);
    expect(second.open("c", first.seal("c", "v"))).toBe("v");
  });
});
