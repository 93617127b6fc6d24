// `npm start`: builds the web app when it is missing or older than its sources, then
// serves the web app and the API (TypeScript runs through tsx; nothing else to build).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { register } from "tsx/esm/api";

const root = new URL("..", import.meta.url).pathname;
const web = join(root, "web");
const built = join(web, "dist", "index.html");

function newest(dir) {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "dist" || entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return time;
}

if (existsSync(join(web, "index.html")) && (!existsSync(built) || statSync(built).mtimeMs < newest(web))) {
  console.log("Building the web app…");
  const result = spawnSync(
    process.execPath,
    [join(root, "node_modules/vite/bin/vite.js"), "build", web, "--logLevel", "warn"],
    {
      stdio: "inherit",
      cwd: root,
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

register();
await import("../src/main.ts");
