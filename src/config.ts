/** Environment → typed configuration, read and checked once at start. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: string;
  allowSignup: boolean;
  apiRateLimit: number;
  loginRateLimit: number;
  trustProxy: boolean;
  importMaxBytes: number;
  /** Rows an import writes per transaction; undefined: 2,000 on a PostgreSQL server, 1,000 on PGlite. */
  importBatchRows: number | undefined;
  /** How long a background job's claim lasts without renewal (how soon another process takes over). */
  jobLeaseSeconds: number;
  /** The benchmarks' baseline route `/bench/bare` (no database, no auth). */
  benchRoutes: boolean;
  /** SECRET_KEY: the AES-256-GCM key channel secrets are sealed with (32 bytes). */
  secretKey: Buffer | undefined;
  /** CHANNELS_ALLOW_PRIVATE: channel providers may sit at private or loopback addresses. */
  channelsAllowPrivate: boolean;
  /** PUBLIC_URL: the address providers reach this server at (status callbacks, signatures). */
  publicUrl: string | undefined;
  /** MESSAGES_RETRY_BASE_MS: the first pause before a message is sent again; it doubles. */
  messagesRetryBaseMs: number;
}

/** SECRET_KEY as 32 bytes: 64 hex digits or base64 (44 characters). */
export function parseSecretKey(raw: string | undefined): Buffer | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, "hex") : Buffer.from(value, "base64");
  if (key.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(value) && !/^[A-Za-z0-9+/_-]{43}=?$/.test(value))) {
    throw new Error("SECRET_KEY must be 32 bytes, written as 64 hex digits or in base64 (openssl rand -base64 32)");
  }
  return key;
}

function publicUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`PUBLIC_URL must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("PUBLIC_URL must be an http(s) URL");
  return raw.replace(/\/+$/, "");
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  return ["1", "true", "on", "yes"].includes((env[name] ?? "").toLowerCase());
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: integer(env, "PORT", 3000),
    host: env.HOST || "127.0.0.1",
    dataDir: env.DATA_DIR || "./data",
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL || "info",
    allowSignup: flag(env, "ALLOW_SIGNUP"),
    apiRateLimit: integer(env, "API_RATE_LIMIT", 1200, 1),
    loginRateLimit: integer(env, "LOGIN_RATE_LIMIT", 10, 1),
    trustProxy: flag(env, "TRUST_PROXY"),
    importMaxBytes: integer(env, "IMPORT_MAX_BYTES", 200 * 1024 * 1024, 1),
    importBatchRows: env.IMPORT_BATCH_ROWS ? integer(env, "IMPORT_BATCH_ROWS", 0, 1) : undefined,
    // IMPORT_LEASE_SECONDS is its name from when imports were the only jobs.
    jobLeaseSeconds: env.JOB_LEASE_SECONDS
      ? integer(env, "JOB_LEASE_SECONDS", 30, 1)
      : integer(env, "IMPORT_LEASE_SECONDS", 30, 1),
    benchRoutes: env.BENCH_ROUTES === "1",
    secretKey: parseSecretKey(env.SECRET_KEY),
    channelsAllowPrivate: flag(env, "CHANNELS_ALLOW_PRIVATE"),
    publicUrl: publicUrl(env.PUBLIC_URL),
    messagesRetryBaseMs: integer(env, "MESSAGES_RETRY_BASE_MS", 5000, 1),
  };
}
