import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { tryLock } from "fs-native-extensions";
import { type Db, isoFromPg, TIMESTAMPTZ_OID } from "./db.ts";
import { stopMaintenance } from "./maintenance.ts";

export class DataDirInUse extends Error {}

const LOCK_FILE = "contacts.lock";

/**
 * PGlite is one Postgres backend inside this process: a second process writing the same
 * files would corrupt them. So the data directory's lock file carries an exclusive lock
 * held by the kernel for as long as this process keeps it open (an open file description
 * lock on Linux, `flock` on macOS): when the process ends, however it ends (SIGKILL, a
 * crash, a container stopped), the kernel releases it, so the next start takes it at
 * once, and no pid is ever compared. The file holds the holder's pid only to name it in
 * the message a second server gets. The file itself stays: deleting it could let two
 * processes lock two different files of the same name.
 */
function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const fd = openSync(path, "a+");
  let locked = false;
  try {
    locked = tryLock(fd);
  } finally {
    if (!locked) closeSync(fd);
  }
  if (!locked) {
    const pid = /^\d+/.exec(readFileSync(path, "utf8"))?.[0];
    throw new DataDirInUse(
      `The data directory ${resolve(dir)} is in use by another process${pid ? ` (pid ${pid})` : ""}. ` +
        "Stop it first, or point DATA_DIR elsewhere.",
    );
  }
  ftruncateSync(fd);
  writeSync(fd, `${process.pid}\n`, 0);
  // Closing the descriptor is what releases the lock (and the process's end does it too).
  return () => closeSync(fd);
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
  const db: Db & { pglite: PGlite } = {
    kind: "pglite",
    pglite,
    // PGlite runs one statement at a time and queues the rest behind any open transaction.
    query: async (sql, params) => (await pglite.query(sql, params)).rows as never[],
    transaction: (fn) =>
      pglite.transaction((tx) => fn({ query: async (sql, params) => (await tx.query(sql, params)).rows as never[] })),
    async close() {
      try {
        await stopMaintenance(db);
        await pglite.close();
      } finally {
        unlock();
      }
    },
  };
  return db;
}
