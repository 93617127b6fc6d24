import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

export interface ServerProcess {
  child: ChildProcess;
  /** The server's own pid (the child's, unless it runs under a parent that never reaps it). */
  pid: number;
  origin: string;
  url: string;
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

export interface SpawnOptions {
  /**
   * Runs the server under a parent that never reaps it (`sh` that execs `sleep`), as a
   * supervisor that is slow to reap would: once killed, the server stays a zombie with its
   * pid until `child` (the parent) is killed. `exited` then resolves when the parent ends.
   */
  unreaped?: boolean;
}

const SERVER = [process.execPath, "--import", "tsx", "src/main.ts"];

/** Starts the real server (`src/main.ts`) as a child process and waits until it serves. */
export function spawnServer(
  env: Record<string, string>,
  timeoutMs = 60_000,
  options: SpawnOptions = {},
): Promise<ServerProcess> {
  const child = options.unreaped
    ? spawn("sh", ["-c", `${SERVER.map((a) => `'${a}'`).join(" ")} & echo "server pid $!"; exec sleep 3600`], {
        env: { ...process.env, PORT: "0", LOG_LEVEL: "info", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      })
    : spawn(SERVER[0] as string, SERVER.slice(1), {
        env: { ...process.env, PORT: "0", LOG_LEVEL: "info", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // Under a parent that never reaps it, the server is not the child: stop it too.
      const server = Number(/server pid (\d+)/.exec(output)?.[1]);
      if (options.unreaped && server) process.kill(server, "SIGKILL");
      child.kill("SIGKILL");
      reject(new Error(`server did not start in time:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Contacts is serving (http:\/\/\S+?) on /.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        const origin = match[1];
        const pid = options.unreaped ? Number(/server pid (\d+)/.exec(output)?.[1]) : (child.pid as number);
        resolve({ child, pid, origin, url: `${origin}/api/v1`, output: () => output, exited });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before serving:\n${output}`));
    });
  });
}

/** The process's state letter from /proc (R, S, Z for a zombie…), or undefined once it is gone. */
export function processState(pid: number): string | undefined {
  try {
    return /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, "utf8"))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Sets up the workspace of a server just started (`POST /setup`) and returns an admin API
 * token for it; throws when either step is refused.
 */
export async function setupWithToken(server: ServerProcess, workspaceName: string, email: string): Promise<string> {
  const setup = await fetch(`${server.url}/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ workspaceName, name: "Ann", email, password: "long enough password" }),
  });
  if (setup.status !== 201) throw new Error(`setup answered ${setup.status}: ${await setup.text()}`);
  const cookie = (setup.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const tokenResponse = await fetch(`${server.url}/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: server.origin },
    body: JSON.stringify({ name: "writer", role: "admin" }),
  });
  if (tokenResponse.status !== 201) throw new Error(`POST /tokens answered ${tokenResponse.status}`);
  return ((await tokenResponse.json()) as { token: string }).token;
}
