/**
 * npm run backup -- <file>     writes a backup of the configured database to <file>
 * npm run restore -- <file>    restores <file> into the configured, empty, database
 *
 * The database is the server's: DATABASE_URL (a PostgreSQL server) or else DATA_DIR
 * (the embedded database, ./data by default). See docs/backups.md.
 * - PostgreSQL: pg_dump's custom format, taken online (a consistent snapshot while the
 *   server keeps serving); restored with pg_restore in one transaction.
 * - Embedded: PGlite's own data directory dump (a gzipped tar). The embedded database is
 *   one process's at a time, so the server must be stopped; the data directory's lock
 *   says so if it is not. Restored into a new, empty DATA_DIR.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { readConfig } from "../src/config.ts";
import { openPglite } from "../src/db/pglite.ts";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { stdio: ["ignore", "inherit", "inherit"] });
  if (result.error) fail(`${command} could not run: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} failed (exit ${result.status})`);
}

async function backup(file: string) {
  const config = readConfig();
  if (config.databaseUrl) {
    run("pg_dump", ["--format=custom", "--no-owner", `--file=${file}`, `--dbname=${config.databaseUrl}`]);
  } else {
    if (!existsSync(config.dataDir)) fail(`There is no embedded database in ${resolve(config.dataDir)}.`);
    // Opening takes the data directory's lock: a running server makes this fail, as it must.
    const db = await openPglite({ dataDir: config.dataDir });
    try {
      const dump = await db.pglite.dumpDataDir("gzip");
      writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    } finally {
      await db.close();
    }
  }
  console.log(`Backed up ${config.databaseUrl ? "the PostgreSQL database" : resolve(config.dataDir)} to ${file}`);
}

async function restore(file: string) {
  const config = readConfig();
  if (!existsSync(file)) fail(`No such backup file: ${file}`);
  if (config.databaseUrl) {
    run("pg_restore", [
      "--no-owner",
      "--exit-on-error",
      "--single-transaction",
      `--dbname=${config.databaseUrl}`,
      file,
    ]);
  } else {
    if (existsSync(config.dataDir) && readdirSync(config.dataDir).length > 0) {
      fail(`${resolve(config.dataDir)} is not empty: restore into a new DATA_DIR, then point the server at it.`);
    }
    const db = await openPglite({ dataDir: config.dataDir, loadDataDir: new Blob([readFileSync(file)]) });
    await db.close();
  }
  console.log(`Restored ${file} into ${config.databaseUrl ? "the PostgreSQL database" : resolve(config.dataDir)}`);
}

const [command, file] = process.argv.slice(2);
if (!file || (command !== "backup" && command !== "restore")) {
  fail("Usage: npm run backup -- <file>  |  npm run restore -- <file>");
}
await (command === "backup" ? backup(file) : restore(file)).catch((error: Error) => fail(error.message));
