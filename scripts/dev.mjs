// `npm run dev`: the API on API_PORT (3001) and Vite on PORT (5173) in front of it, with
// hot reload for the web app; Vite passes /api to the API, so the browser sees one origin.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createServer } from "vite";

const root = new URL("..", import.meta.url).pathname;
const apiPort = process.env.API_PORT ?? "3001";
const webPort = Number(process.env.PORT ?? 5173);
process.env.API_PORT = apiPort;

const api = spawn(process.execPath, ["--import", "tsx", "--watch", join(root, "src/main.ts")], {
  cwd: root,
  env: { ...process.env, PORT: apiPort, HOST: "127.0.0.1" },
  stdio: "inherit",
});

const web = await createServer({
  configFile: join(root, "web/vite.config.ts"),
  server: { port: webPort, host: process.env.HOST ?? "127.0.0.1" },
});
await web.listen();
web.printUrls();
console.log(`API on http://127.0.0.1:${apiPort} (restarts when src/ changes)`);

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  api.kill("SIGTERM");
  await web.close();
  process.exit(code);
}
api.on("exit", (code) => {
  if (!stopping) {
    console.error(`The API exited (${code}).`);
    void stop(1);
  }
});
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
