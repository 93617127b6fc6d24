import { parseArgs } from "node:util";
import { readConfig } from "../config.ts";
import { openDatabase } from "../db/open.ts";
import { seedContacts, seedWorkspace } from "./seed.ts";

const usage = "Usage: npm run seed -- --workspace <slug> --contacts <N>";

function options() {
  try {
    const { values } = parseArgs({
      options: { workspace: { type: "string" }, contacts: { type: "string" }, help: { type: "boolean" } },
    });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    const slug = values.workspace?.trim();
    const count = Number(values.contacts);
    if (!slug || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) throw new Error("--workspace must be a slug like acme-inc");
    if (!Number.isInteger(count) || count < 0) throw new Error("--contacts must be a whole number ≥ 0");
    return { slug, count };
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
}

const { slug, count } = options();
const config = readConfig();
const db = await openDatabase(config);
try {
  const workspace = await seedWorkspace(db, slug);
  const where = config.databaseUrl ? "the PostgreSQL server" : `the embedded database in ${config.dataDir}`;
  console.log(`Seeding ${count.toLocaleString("en")} contacts into workspace "${slug}" on ${where}`);
  let reported = 0;
  const result = await seedContacts(db, workspace, {
    count,
    onProgress({ added, total, elapsedMs }) {
      if (added - reported < 50_000 && added < total) return;
      reported = added;
      const rate = Math.round(added / (elapsedMs / 1000));
      console.log(`  ${added.toLocaleString("en")} / ${total.toLocaleString("en")}  (${rate.toLocaleString("en")}/s)`);
    },
  });
  const seconds = result.elapsedMs / 1000;
  const skipped = count - result.added;
  console.log(
    `Added ${result.added.toLocaleString("en")} contacts (numbers ${result.start}–${result.start + count - 1})` +
      ` in ${seconds.toFixed(1)} s: ${Math.round(result.added / Math.max(seconds, 0.001)).toLocaleString("en")} contacts/s` +
      (skipped > 0 ? `; ${skipped} skipped as they clashed with existing contacts` : ""),
  );
} finally {
  await db.close();
}
