import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Credentials at rest: AES-256-GCM with a random 96-bit IV per value and additional authenticated
 * data binding the ciphertext to its record and field ("integration:<id>:ecwid.token"), so a
 * ciphertext copied into another row or column does not decrypt. Stored form:
 *   v1.<keyId>.<iv b64url>.<tag b64url>.<ciphertext b64url>
 * keyId (first 8 hex chars of SHA-256 of the key) names the key, so a rotated key can be told
 * from a wrong one and old values can be re-encrypted.
 */
export class SecretBox {
  readonly keyId: string;
  private readonly keys: Map<string, Buffer>;

  /** `key` encrypts; `previousKeys` only decrypt (key rotation) */
  constructor(key: Buffer, previousKeys: Buffer[] = []) {
    if (key.length !== 32) throw new Error("the encryption key must be 32 bytes");
    this.keyId = keyIdOf(key);
    this.keys = new Map([[this.keyId, key], ...previousKeys.map((k) => [keyIdOf(k), k] as [string, Buffer])]);
  }

  encrypt(plain: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.keys.get(this.keyId)!, iv);
    cipher.setAAD(Buffer.from(aad, "utf8"));
    const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return ["v1", this.keyId, b64(iv), b64(cipher.getAuthTag()), b64(ct)].join(".");
  }

  /** the key id a stored value names (undefined when it is not a SecretBox value) */
  static keyIdOf(stored: string): string | undefined {
    const parts = stored.split(".");
    return parts.length === 5 && parts[0] === "v1" ? parts[1] : undefined;
  }

  /** true when the value is encrypted with the current key (nothing to rotate) */
  isCurrent(stored: string): boolean {
    return SecretBox.keyIdOf(stored) === this.keyId;
  }

  /** every key id this box can read: the current one first */
  get readableKeyIds(): string[] {
    return [...this.keys.keys()];
  }

  decrypt(stored: string, aad: string): string {
    const parts = stored.split(".");
    if (parts.length !== 5 || parts[0] !== "v1") throw new Error("stored secret has an unknown format");
    const key = this.keys.get(parts[1]);
    if (!key) {
      throw new Error(
        `stored secret was encrypted with key ${parts[1]}, but GATEWAY_ENCRYPTION_KEY is key ${this.keyId}; set the key it was written with as GATEWAY_ENCRYPTION_KEY or in GATEWAY_ENCRYPTION_KEY_PREVIOUS`,
      );
    }
    const decipher = createDecipheriv("aes-256-gcm", key, unb64(parts[2]));
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(unb64(parts[3]));
    try {
      return Buffer.concat([decipher.update(unb64(parts[4])), decipher.final()]).toString("utf8");
    } catch {
      throw new Error("stored secret does not authenticate (tampered, or moved from another record)");
    }
  }
}

export const keyIdOf = (key: Buffer) => createHash("sha256").update(key).digest("hex").slice(0, 8);
const b64 = (b: Buffer) => b.toString("base64url");
const unb64 = (s: string) => Buffer.from(s, "base64url");

/** SHA-256 hex: how API keys and the admin token are stored (they are long random strings). */
export const sha256Hex = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A URL-safe random token with a readable prefix, e.g. gwk_3fA9…; 32 random bytes. */
export function randomToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}
