/**
 * npm run bench -- [name…] [--json]
 * Runs bench/<name>.ts modules (each exports `run({ json })` → BenchResult[]), all known
 * ones when none is named. A missed target is reported (ok: false), not an exit code; a
 * benchmark that crashes is, after the others have run.
 */
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { type BenchResult, log, printResults, ROOT } from "./lib.ts";

export const KNOWN = ["contacts", "embedded", "export", "import", "web", "load"];

type Module = { run(options: { json: boolean }): Promise<BenchResult[]> };

const args = process.argv.slice(2);
const json = args.includes("--json");
const unknownFlag = args.find((a) => a.startsWith("-") && a !== "--json");
if (unknownFlag) {
  console.error(`Unknown option ${unknownFlag}. Usage: npm run bench -- [${KNOWN.join("|")} …] [--json]`);
  process.exit(2);
}
const named = args.filter((a) => !a.startsWith("-"));
const bad = named.find((n) => !/^[a-z0-9-]+$/.test(n));
if (bad) {
  console.error(`"${bad}" is not a benchmark name. Known: ${KNOWN.join(", ")}`);
  process.exit(2);
}

const results: BenchResult[] = [];
let failed = false;
for (const name of named.length ? named : KNOWN) {
  const file = `${ROOT}bench/${name}.ts`;
  if (!existsSync(file)) {
    log(`Skipping "${name}": bench/${name}.ts does not exist yet.`);
    continue;
  }
  log(`\n== ${name} ==`);
  try {
    const module = (await import(pathToFileURL(file).href)) as Module;
    const own = await module.run({ json });
    results.push(...own);
    if (!json) printResults(own, false);
  } catch (error) {
    failed = true;
    log(`Benchmark "${name}" failed: ${(error as Error).stack ?? error}`);
  }
}

if (json) printResults(results, true);
else if (results.length && (named.length ? named.length : KNOWN.length) > 1) {
  process.stdout.write("\n== all ==\n");
  printResults(results, false);
}
process.exit(failed ? 1 : 0);
