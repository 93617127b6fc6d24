import type { Config } from "../config.ts";
import type { Db } from "./db.ts";
import { startMaintenance } from "./maintenance.ts";
import { migrate } from "./migrate.ts";
import { openPglite } from "./pglite.ts";
import { openPostgres } from "./postgres.ts";

/**
 * Opens the database the configuration names and brings its schema up to date. The
 * embedded database's statistics too: stale ones are refreshed before this resolves, and
 * its tables are analysed and vacuumed in the background from then on (maintenance.ts).
 */
export async function openDatabase(config: Pick<Config, "databaseUrl" | "dataDir">): Promise<Db> {
  const db = config.databaseUrl ? openPostgres(config.databaseUrl) : await openPglite({ dataDir: config.dataDir });
  try {
    await migrate(db);
    await startMaintenance(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
