import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The web app's dependency rule (docs/web.md, Code), enforced by Biome's
 * noRestrictedImports / noRestrictedGlobals overrides in biome.json: features do not import
 * each other or the app, shared folders import no feature, and requests are made only in a
 * feature's api/ folder.
 */
const root = new URL("../", import.meta.url).pathname;
const biome = join(root, "node_modules/.bin/biome");
const RULES = ["--only=style/noRestrictedImports", "--only=style/noRestrictedGlobals"];

interface Diagnostic {
  message: string;
  location: { path: string };
}

function lint(cwd: string, target: string): Diagnostic[] {
  const run = spawnSync(biome, ["lint", ...RULES, "--reporter=json", "--max-diagnostics=none", target], {
    cwd,
    encoding: "utf8",
  });
  const json = run.stdout.slice(run.stdout.indexOf("{"));
  const report = JSON.parse(json) as { diagnostics: Diagnostic[] };
  return report.diagnostics;
}

describe("the web app's dependency rule", () => {
  it("holds for web/src", () => {
    const found = lint(root, "web/src").map((d) => `${d.location.path}: ${d.message}`);
    expect(found).toEqual([]);
  });

  it("covers every feature folder", () => {
    const config = readFileSync(join(root, "biome.json"), "utf8");
    for (const feature of readdirSync(join(root, "web/src/features"))) {
      expect(config, `biome.json has no import rule for web/src/features/${feature}`).toContain(
        `"web/src/features/${feature}/api/**"`,
      );
    }
  });

  it("refuses a feature importing another, the app, or making its own request; and lib importing a feature", () => {
    const dir = mkdtempSync(join(tmpdir(), "web-imports-"));
    try {
      cpSync(join(root, "biome.json"), join(dir, "biome.json"));
      const files: Record<string, string> = {
        "web/src/features/contacts/components/Cross.tsx":
          'import { meQuery } from "../../auth/api/me.ts";\nexport const a = meQuery;\n',
        "web/src/features/contacts/components/App.tsx":
          'import { App } from "../../../app/App.tsx";\nexport const b = App;\n',
        "web/src/features/contacts/components/Request.tsx":
          'import { request } from "../../../lib/api-client.ts";\nexport const c = () => request("/contacts");\n',
        "web/src/features/contacts/hooks/fetch.ts": 'export const d = () => fetch("/api/v1/contacts");\n',
        "web/src/lib/uses-feature.ts": 'import { e } from "../features/contacts/api/types.ts";\nexport const f = e;\n',
        // Allowed: its own api, shared code, shared types, a request inside api/.
        "web/src/features/contacts/components/Fine.tsx":
          'import { g } from "../api/get-contacts.ts";\nimport { ApiError } from "../../../lib/api-client.ts";\nimport type { Me } from "../../../types/index.ts";\nexport const h: [unknown, unknown, Me | null] = [g, ApiError, null];\n',
        "web/src/features/contacts/api/fine.ts":
          'import { request } from "../../../lib/api-client.ts";\nexport const i = () => request("/contacts");\n',
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const flagged = new Set(lint(dir, ".").map((d) => d.location.path.replace(/^\.\//, "")));
      expect([...flagged].sort()).toEqual([
        "web/src/features/contacts/components/App.tsx",
        "web/src/features/contacts/components/Cross.tsx",
        "web/src/features/contacts/components/Request.tsx",
        "web/src/features/contacts/hooks/fetch.ts",
        "web/src/lib/uses-feature.ts",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
