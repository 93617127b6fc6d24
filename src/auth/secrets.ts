import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  length: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

// OWASP's scrypt setting "N=2^15, r=8, p=3": 32 MiB of memory per hash.
const SCRYPT = { N: 2 ** 15, r: 8, p: 3, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

/** A memory-hard hash of a password, with its parameters, for the users table. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password.normalize("NFC"), salt, KEY_LENGTH, SCRYPT);
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64");
  const actual = await scryptAsync(password.normalize("NFC"), Buffer.from(salt, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return timingSafeEqual(actual, expected);
}

/** Spends the time a password check takes, so an unknown e-mail answers as slowly as a known one. */
export const DUMMY_HASH = await hashPassword(randomBytes(12).toString("hex"));

export const sha256 = (value: string) => createHash("sha256").update(value).digest();

const UUID_HEX = /^[0-9a-f]{32}$/;

/**
 * A bearer token or session id: a prefix, the workspace id (so the lookup goes straight to
 * that workspace's rows) and 256 random bits. Only its SHA-256 is stored; a random
 * 256-bit value needs no slow hash.
 */
export function newSecret(prefix: string, workspaceId: string): { secret: string; hash: Buffer } {
  const workspace = Buffer.from(workspaceId.replaceAll("-", ""), "hex").toString("base64url");
  const secret = `${prefix}${workspace}${randomBytes(32).toString("base64url")}`;
  return { secret, hash: sha256(secret) };
}

export function readSecret(prefix: string, secret: string): { workspaceId: string; hash: Buffer } | null {
  if (!secret.startsWith(prefix) || secret.length !== prefix.length + 22 + 43) return null;
  const hex = Buffer.from(secret.slice(prefix.length, prefix.length + 22), "base64url").toString("hex");
  if (!UUID_HEX.test(hex)) return null;
  const workspaceId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { workspaceId, hash: sha256(secret) };
}
