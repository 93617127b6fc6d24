/**
 * A production install (`npm ci --omit=dev`) has only `dependencies`: every package that
 * the server's code imports at run time must be one of them. (scripts/production-check.sh
 * installs and starts it for real in CI; this finds the culprit by name, at once.)
 */
import { readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return files(path);
    return /\.(ts|mjs)$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** The packages a file imports at run time (type-only imports are erased, so they do not count). */
function runtimeImports(source: string): string[] {
  const specifiers: string[] = [];
  const statement = /(?:^|\n)\s*(import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?["']([^"']+)["']/g;
  const dynamic = /\bimport\(\s*["']([^"']+)["']\s*\)/g;
  for (const match of source.matchAll(statement)) specifiers.push(match[2] as string);
  for (const match of source.matchAll(dynamic)) specifiers.push(match[1] as string);
  return specifiers
    .filter((s) => !s.startsWith(".") && !s.startsWith("node:") && !builtinModules.includes(s))
    .map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : (s.split("/")[0] as string)));
}

describe("the production install", () => {
  it("reads type-only imports as erased and subpaths as their package", () => {
    expect(
      runtimeImports(
        'import type { A } from "pkg-a";\nimport { b } from "@scope/b/deep";\nimport "c/x.js";\n' +
          'export { d } from "d";\nconst e = await import("e");\nimport { f } from "./f.ts";\nimport { g } from "node:fs";',
      ),
    ).toEqual(["@scope/b", "c", "d", "e"]);
  });

  it("has every package the server imports at run time among the dependencies", () => {
    const sources = [...files(join(root, "src")), join(root, "scripts", "start.mjs")];
    const missing: string[] = [];
    for (const file of sources) {
      for (const name of runtimeImports(readFileSync(file, "utf8"))) {
        if (!pkg.dependencies[name]) missing.push(`${file.slice(root.length + 1)} imports ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
