import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config.ts";
import { Problem } from "../http/problem.ts";

export const KEY_FILE = "secret.key";

/**
 * The key channel secrets are sealed with. SECRET_KEY when set. On the embedded database
 * without it, a key is made once into DATA_DIR/secret.key (mode 0600) beside the data it
 * protects: a copy of the data directory is then readable only with that file. On a
 * PostgreSQL server the database may be copied or backed up apart from this process, so
 * SECRET_KEY is required there: without it a channel cannot be configured (409).
 */
export function channelKey(config: Pick<Config, "secretKey" | "dataDir" | "databaseUrl">, create = true): Buffer {
  if (config.secretKey) return config.secretKey;
  if (config.databaseUrl) {
    throw new Problem(
      409,
      "This server keeps its data in PostgreSQL: set SECRET_KEY (32 bytes, base64 or hex) before configuring a channel, so its secrets are encrypted at rest.",
    );
  }
  const path = join(config.dataDir, KEY_FILE);
  try {
    return Buffer.from(readFileSync(path, "utf8").trim(), "base64");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT" || !create) throw error;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32);
  try {
    const fd = openSync(path, "wx", 0o600);
    writeSync(fd, `${key.toString("base64")}\n`);
    closeSync(fd);
    chmodSync(path, 0o600);
    return key;
  } catch (error) {
    // Another request made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return channelKey(config, false);
    throw error;
  }
}

/** `v1.<base64 of iv (12) | tag (16) | ciphertext>`: AES-256-GCM over the JSON. */
export function seal(key: Buffer, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

export class SecretsUnreadable extends Error {
  constructor() {
    super("The channel's secrets cannot be decrypted with this server's SECRET_KEY: enter them again.");
  }
}

export function unseal<T>(key: Buffer, sealed: string): T {
  try {
    if (!sealed.startsWith("v1.")) throw new Error("unknown format");
    const raw = Buffer.from(sealed.slice(3), "base64");
    const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    return JSON.parse(text) as T;
  } catch {
    throw new SecretsUnreadable();
  }
}
