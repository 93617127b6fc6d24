import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnServer } from "./process.ts";

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
    await expect(second).rejects.toThrow(/in use by another process/);

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
  });
});
