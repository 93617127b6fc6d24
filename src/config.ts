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
  };
}
