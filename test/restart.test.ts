import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { processState, type ServerProcess, setupWithToken, spawnServer } from "./process.ts";

describe("the server process on the embedded database", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "contacts-restart-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("keeps what was written across a stop and a start, and refuses a second process on the same DATA_DIR", async () => {
    const first = await spawnServer({ DATA_DIR: dataDir });
    const headers = { "content-type": "application/json", origin: first.origin };
    const setup = await fetch(`${first.url}/setup`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        workspaceName: "Durable",
        name: "Ann",
        email: "ann@example.com",
        password: "long enough password",
      }),
    });
    expect(setup.status).toBe(201);
    const cookie = (setup.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const created = await fetch(`${first.url}/contacts`, {
      method: "POST",
      headers: { ...headers, cookie },
      body: JSON.stringify({ firstName: "Zoë", phone: "0612345678", tags: ["Sales"] }),
    });
    expect(created.status).toBe(201);
    const contact = await created.json();

    const second = spawnServer({ DATA_DIR: dataDir }, 30_000);
    await expect(second).rejects.toThrow(`in use by another process (pid ${first.pid})`);

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);

    const again = await spawnServer({ DATA_DIR: dataDir });
    try {
      const read = await fetch(`${again.url}/contacts/${contact.id}`, { headers: { cookie } });
      expect(read.status).toBe(200);
      expect(await read.json()).toEqual(contact);
    } finally {
      again.child.kill("SIGTERM");
      await again.exited;
    }
  }, 300_000);
});

/** Waits until `pid` has died: gone, or a zombie its parent has not reaped yet. */
async function dead(pid: number) {
  for (;;) {
    const state = processState(pid);
    if (state === undefined || state === "Z") return state;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("restarting the embedded database's server at once after SIGKILL", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "contacts-sigkill-"));
  const parents: ServerProcess[] = [];
  afterAll(async () => {
    for (const p of parents) {
      // A server still running (a failed test) dies with its parent's test, not later.
      if (processState(p.pid) && processState(p.pid) !== "Z") process.kill(p.pid, "SIGKILL");
      p.child.kill("SIGKILL");
    }
    await Promise.all(parents.map((p) => p.exited));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts ten times in a row while the killed server is still a zombie, with every acknowledged write", async () => {
    // Each server runs under a parent that never reaps it, so the killed one keeps its pid
    // (a zombie) while the next one starts: a pid check would call it alive.
    const start = async () => {
      const server = await spawnServer({ DATA_DIR: dataDir }, 180_000, { unreaped: true });
      parents.push(server);
      return server;
    };
    let server = await start();
    const auth = { authorization: `Bearer ${await setupWithToken(server, "Restarts", "ann@restarts.example")}` };
    const acknowledged: { id: string; externalId: string }[] = [];

    for (let cycle = 1; cycle <= 10; cycle++) {
      const writes = await Promise.all(
        [1, 2, 3].map(async (n) => {
          const externalId = `cycle-${cycle}-${n}`;
          const response = await fetch(`${server.url}/contacts`, {
            method: "POST",
            headers: { ...auth, "content-type": "application/json" },
            body: JSON.stringify({ firstName: "Restart", lastName: `${cycle}`, externalId }),
          });
          expect(response.status).toBe(201);
          return { id: ((await response.json()) as { id: string }).id, externalId };
        }),
      );
      acknowledged.push(...writes);

      process.kill(server.pid, "SIGKILL");
      expect(await dead(server.pid), `cycle ${cycle}: the killed server is a zombie`).toBe("Z");
      server = await start();
      expect(processState(parents.at(-2)?.pid as number), `cycle ${cycle}: still a zombie`).toBe("Z");

      for (const write of acknowledged) {
        const read = await fetch(`${server.url}/contacts/${write.id}`, { headers: auth });
        expect(read.status, `${write.externalId} after restart ${cycle}`).toBe(200);
        expect(((await read.json()) as { externalId: string }).externalId).toBe(write.externalId);
      }
    }

    // A second live server on the same DATA_DIR is still refused, naming the first.
    await expect(spawnServer({ DATA_DIR: dataDir }, 30_000)).rejects.toThrow(
      `The data directory ${dataDir} is in use by another process (pid ${server.pid})`,
    );
    process.kill(server.pid, "SIGTERM");
    expect(await dead(server.pid)).toBe("Z");
  }, 900_000);

  it("starts when the lock file names a live process that holds no lock (a pid reused after a crash)", async () => {
    // After the test above the last server stopped; the file names some other live process now.
    writeFileSync(join(dataDir, "contacts.lock"), `${process.pid}\n`);
    const server = await spawnServer({ DATA_DIR: dataDir }, 180_000);
    try {
      expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);
    } finally {
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    }
  }, 300_000);
});
