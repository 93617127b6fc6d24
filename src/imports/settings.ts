import type { Config } from "../config.ts";
import type { ImportSettings } from "./run.ts";

/**
 * The import's tuning, from the environment, checked once at start:
 * `IMPORT_BATCH_ROWS` (rows per transaction; default 2,000 on a PostgreSQL server, 1,000
 * on PGlite, where a transaction holds up every other request) and `IMPORT_LEASE_SECONDS`
 * (how long a job's claim lasts without renewal, so how soon another process takes over
 * the import of one that died; default 30).
 */
export function importSettings(
  env: NodeJS.ProcessEnv,
  config: Pick<Config, "importMaxBytes">,
  kind: "pglite" | "postgres",
): ImportSettings & { leaseSeconds: number } {
  return {
    batchRows: integer(env, "IMPORT_BATCH_ROWS", kind === "pglite" ? 1000 : 2000),
    leaseSeconds: integer(env, "IMPORT_LEASE_SECONDS", 30),
    // Real workbooks unpack to 5–20 times their size; a bomb to thousands of times.
    unpackLimit: Math.max(config.importMaxBytes * 10, 64 * 1024 * 1024),
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be an integer ≥ 1, got "${raw}"`);
  return value;
}
