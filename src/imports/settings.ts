import type { Config } from "../config.ts";
import type { ImportSettings } from "./run.ts";

/**
 * The import's tuning, from the configuration: rows per transaction (default 2,000 on a
 * PostgreSQL server, 1,000 on PGlite, where a transaction holds up every other request)
 * and what a workbook may unpack to.
 */
export function importSettings(
  config: Pick<Config, "importMaxBytes" | "importBatchRows">,
  kind: "pglite" | "postgres",
): ImportSettings {
  return {
    batchRows: config.importBatchRows ?? (kind === "pglite" ? 1000 : 2000),
    // Real workbooks unpack to 5–20 times their size; a bomb to thousands of times.
    unpackLimit: Math.max(config.importMaxBytes * 10, 64 * 1024 * 1024),
  };
}
