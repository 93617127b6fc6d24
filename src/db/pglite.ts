import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { type Db, isoFromPg, TIMESTAMPTZ_OID } from "./db.ts";

export class DataDirInUse extends Error {}

const LOCK_FILE = "contacts.lock";

/**
 * PGlite is one Postgres backend inside this process: a second process writing the same
 * files would corrupt them, so the data directory carries a lock file with our pid.
 * A lock left by a process that died (kill -9) is taken over.
 */
function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const pid = Number(readFileSync(path, "utf8"));
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new DataDirInUse(
          `The data directory ${resolve(dir)} is in use by another process (pid ${pid}). ` +
            "Stop it first, or point DATA_DIR elsewhere.",
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirInUse(`Could not lock the data directory ${resolve(dir)}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface PgliteOptions {
  /** A directory to keep the database in; in memory when absent. */
  dataDir?: string;
  /** A data directory dump (from `dumpDataDir`) to start from, used by the tests. */
  loadDataDir?: Blob | File;
}

export async function openPglite(options: PgliteOptions = {}): Promise<Db & { pglite: PGlite }> {
  const unlock = options.dataDir ? lockDataDir(options.dataDir) : () => {};
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      dataDir: options.dataDir,
      loadDataDir: options.loadDataDir,
      extensions: { pg_trgm, unaccent },
      parsers: { [TIMESTAMPTZ_OID]: (value: string) => isoFromPg(value) },
    });
    await pglite.exec("set timezone = 'UTC'");
  } catch (error) {
    unlock();
    throw error;
  }
  return {
    kind: "pglite",
    pglite,
    // PGlite runs one statement at a time and queues the rest behind any open transaction.
    query: async (sql, params) => (await pglite.query(sql, params)).rows as never[],
    transaction: (fn) =>
      pglite.transaction((tx) => fn({ query: async (sql, params) => (await tx.query(sql, params)).rows as never[] })),
    async close() {
      try {
        await pglite.close();
      } finally {
        unlock();
      }
    },
  };
}
