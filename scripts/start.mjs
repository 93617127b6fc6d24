// `npm start`: serves the web app and the API (TypeScript runs through tsx; nothing else
// to build). Where the build tools are installed (`npm ci`), it first builds the web app
// when it is missing or older than its sources. A production install (`npm ci
// --omit=dev`) has no build tools: it serves the web/dist built beforehand with
// `npm run build`, and refuses to start without one, saying how to make it.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { register } from "tsx/esm/api";

const root = new URL("..", import.meta.url).pathname;
const web = join(root, "web");
const built = join(web, "dist", "index.html");
const vite = join(root, "node_modules/vite/bin/vite.js");

function newest(dir) {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return time;
}

const sources = existsSync(join(web, "index.html"));
if (!existsSync(vite)) {
  if (!existsSync(built)) {
    console.error(
      [
        "The web app is not built (there is no web/dist), and this install has no build tools",
        "(it was installed with `npm ci --omit=dev`). Build it once where the dev dependencies are:",
        "",
        "  npm ci && npm run build        # writes web/dist",
        "  npm ci --omit=dev && npm start  # then serve it",
        "",
        "or copy a web/dist built elsewhere into web/. See “Running in production” in README.md.",
      ].join("\n"),
    );
    process.exit(1);
  }
} else if (sources && (!existsSync(built) || statSync(built).mtimeMs < newest(web))) {
  console.log("Building the web app…");
  const result = spawnSync(process.execPath, [vite, "build", web, "--logLevel", "warn"], {
    stdio: "inherit",
    cwd: root,
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

register();
await import("../src/main.ts");
