import { randomBytes } from "node:crypto";
import { SecretBox } from "../crypto";
import { looksMasked, maskSecret } from "../secrets";

describe("SecretBox (AES-256-GCM bound to record and field)", () => {
  const box = new SecretBox(randomBytes(32));

  it("round-trips and uses a fresh IV each time", () => {
    const a = box.encrypt("secret_value", "integration:1:ecwid.token");
    const b = box.encrypt("secret_value", "integration:1:ecwid.token");
    expect(a).not.toBe(b);
    expect(a).not.toContain("secret_value");
    expect(box.decrypt(a, "integration:1:ecwid.token")).toBe("secret_value");
  });

  it("refuses a ciphertext moved to another record or field", () => {
    const c = box.encrypt("secret_value", "integration:1:ecwid.token");
    expect(() => box.decrypt(c, "integration:2:ecwid.token")).toThrow(/does not authenticate/);
    expect(() => box.decrypt(c, "integration:1:ccv.secretKey")).toThrow(/does not authenticate/);
  });

  it("refuses a tampered ciphertext", () => {
    const c = box.encrypt("secret_value", "x");
    const parts = c.split(".");
    const ct = Buffer.from(parts[4], "base64url");
    ct[0] ^= 1;
    parts[4] = ct.toString("base64url");
    expect(() => box.decrypt(parts.join("."), "x")).toThrow(/does not authenticate/);
  });

  it("names the key a value was encrypted with when the configured key differs", () => {
    const c = box.encrypt("v", "x");
    const other = new SecretBox(randomBytes(32));
    expect(() => other.decrypt(c, "x")).toThrow(new RegExp(`encrypted with key ${box.keyId}`));
    // with the old key kept for decryption (rotation) it still reads
    const rotated = new SecretBox(randomBytes(32), [
      Buffer.from((box as unknown as { keys: Map<string, Buffer> }).keys.get(box.keyId)!),
    ]);
    expect(rotated.decrypt(c, "x")).toBe("v");
  });
});

describe("masks", () => {
  it("shows a prefix and the length, never a suffix", () => {
    const s = "secret_uj8jGQ6aBfS8ZM9h2r8zMMyLQ7xCiuTR";
    const m = maskSecret(s);
    expect(m).toBe(`secret_uj… (${s.length} chars)`);
    expect(m).not.toContain(s.slice(-4));
    expect(maskSecret("abcd")).toBe("a… (4 chars)");
    expect(maskSecret(null)).toBe("(not set)");
  });
  it("recognises a mask pasted back", () => {
    expect(looksMasked(maskSecret("secret_abcdefghijkl"))).toBe(true);
    expect(looksMasked("secret_abcdefghijkl")).toBe(false);
  });
});
