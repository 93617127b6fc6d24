import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnServer } from "./process.ts";
import { fakeSmtp, until } from "./providers.ts";

describe("a message queued when the server is killed", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "contacts-message-restart-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("is sent once after a restart (SIGKILL while the SMTP server was down)", async () => {
    const probe = await fakeSmtp();
    const port = probe.port;
    await probe.close();
    const env = {
      DATA_DIR: dataDir,
      SECRET_KEY: randomBytes(32).toString("base64"),
      CHANNELS_ALLOW_PRIVATE: "1",
      MESSAGES_RETRY_BASE_MS: "100",
    };
    const first = await spawnServer(env);
    const call = async (base: string, method: string, path: string, body?: unknown, cookie = "") => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { "content-type": "application/json", origin: new URL(base).origin, cookie },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, headers: response.headers, body: await response.json().catch(() => null) };
    };
    const setup = await call(first.url, "POST", "/setup", {
      workspaceName: "Killed",
      name: "Ann",
      email: "ann@example.com",
      password: "long enough password",
    });
    expect(setup.status).toBe(201);
    const cookie = (setup.headers.get("set-cookie") ?? "").split(";")[0] as string;
    expect(
      (
        await call(
          first.url,
          "PUT",
          "/channels/email",
          { smtpUrl: `smtp://127.0.0.1:${port}`, from: "ops@example.com" },
          cookie,
        )
      ).status,
    ).toBe(200);
    const contact = (await call(first.url, "POST", "/contacts", { firstName: "Kim", email: "kim@example.nl" }, cookie))
      .body;
    const started = await call(
      first.url,
      "POST",
      `/contacts/${contact.id}/conversations`,
      { channel: "email", subject: "Still there?", text: "Hello" },
      cookie,
    );
    expect(started.status).toBe(201);
    const messages = (base: string) =>
      call(base, "GET", `/conversations/${started.body.conversation.id}/messages`, undefined, cookie).then(
        (r) => r.body.items[0],
      );
    // The first attempt met a closed port: queued, with the error noted.
    const waiting = await until(
      () => messages(first.url),
      (m) => m.error !== null,
    );
    expect(waiting.status).toBe("queued");

    first.child.kill("SIGKILL");
    await first.exited;
    const smtp = await fakeSmtp(port);
    try {
      const second = await spawnServer(env);
      try {
        const sent = await until(
          () => messages(second.url),
          (m) => m.status !== "queued",
        );
        expect(sent.status).toBe("sent");
        expect(smtp.mails).toHaveLength(1);
        expect(smtp.mails[0]?.to).toEqual(["kim@example.nl"]);
        expect(smtp.mails[0]?.raw).toContain(`Message-ID: <${started.body.message.id}@example.com>`);
      } finally {
        second.child.kill("SIGTERM");
        await second.exited;
      }
    } finally {
      await smtp.close();
    }
  }, 240_000);
});
