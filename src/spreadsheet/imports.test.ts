import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const dir = new URL(".", import.meta.url);

describe("src/spreadsheet", () => {
  it("imports only its own files, node and npm packages: it knows nothing of contacts, exports or imports", () => {
    const outside: string[] = [];
    for (const file of readdirSync(dir).filter((name) => name.endsWith(".ts"))) {
      const source = readFileSync(new URL(file, dir), "utf8");
      for (const [, path] of source.matchAll(/^\s*(?:import|export)\b[^"']*?from\s+["']([^"']+)["']/gm)) {
        if (path?.startsWith("../") || path?.startsWith("/")) outside.push(`${file}: ${path}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
