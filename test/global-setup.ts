import { mkdirSync, writeFileSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { migrate } from "../src/db/migrate.ts";
import { openPglite } from "../src/db/pglite.ts";

/**
 * Creating a PGlite database takes seconds; loading a dump of a migrated one is quick.
 * So the schema is built once per run, and every test server starts from a copy of it.
 */
export default async function setup(project: TestProject) {
  if (process.env.REQUIRE_PG === "1" && !process.env.TEST_DATABASE_URL) {
    throw new Error("REQUIRE_PG=1 but TEST_DATABASE_URL is not set: the PostgreSQL tests would skip.");
  }
  const db = await openPglite();
  await migrate(db);
  const dump = await db.pglite.dumpDataDir("none");
  await db.close();
  mkdirSync(".tmp", { recursive: true });
  const path = `${process.cwd()}/.tmp/pglite-template-${process.pid}.tar`;
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteTemplate", path);
}

declare module "vitest" {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
