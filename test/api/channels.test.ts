import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeProvider, type FakeSmtp, fakeMeta, fakeSmtp, fakeTwilio } from "../providers.ts";
import { createWorkspace, databases, startServer, type TestServer, type Workspace } from "../server.ts";

const SECRET_KEY = randomBytes(32).toString("base64");
const ACCESS_TOKEN = "EAAG-access-token-very-secret";
const APP_SECRET = "app-secret-0123456789abcdef";
const AUTH_TOKEN = "twilio-auth-token-secret-42";
const SID = `AC${"a".repeat(32)}`;

describe.each(databases())("channels on %s", (kind) => {
  let server: TestServer;
  let ws: Workspace;
  let meta: FakeProvider;
  let twilio: FakeProvider;
  let smtp: FakeSmtp;
  beforeAll(async () => {
    server = await startServer(kind, { SECRET_KEY, CHANNELS_ALLOW_PRIVATE: "1" });
    ws = await createWorkspace(server);
    meta = await fakeMeta(ACCESS_TOKEN);
    twilio = await fakeTwilio(SID, AUTH_TOKEN);
    smtp = await fakeSmtp();
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([meta?.close(), twilio?.close(), smtp?.close()]);
  });

  const whatsapp = () => ({
    apiBaseUrl: meta.url,
    phoneNumberId: `10${randomBytes(4).readUInt32BE()}`,
    businessAccountId: "20001",
    accessToken: ACCESS_TOKEN,
    appSecret: APP_SECRET,
    verifyToken: "verify-me-please",
  });

  it("lists the three channels unconfigured, then configured, never with a secret", async () => {
    const empty = await ws.operator.get("/channels");
    expect(empty.status).toBe(200);
    expect(empty.body.map((c: { channel: string; configured: boolean }) => [c.channel, c.configured])).toEqual([
      ["email", false],
      ["whatsapp", false],
      ["sms", false],
    ]);

    const email = await ws.admin.put("/channels/email", { smtpUrl: smtp.url, from: "Shop <shop@example.com>" });
    expect(email.status).toBe(200);
    expect(email.body).toMatchObject({
      channel: "email",
      configured: true,
      settings: { smtpUrl: `smtp://bot@127.0.0.1:${smtp.port}`, from: "Shop <shop@example.com>" },
    });
    const wa = await ws.admin.put("/channels/whatsapp", whatsapp());
    expect(wa.status).toBe(200);
    expect(wa.body.settings).toMatchObject({
      apiBaseUrl: meta.url,
      businessAccountId: "20001",
      verifyToken: "verify-me-please",
    });
    const sms = await ws.admin.put("/channels/sms", {
      apiBaseUrl: twilio.url,
      accountSid: SID,
      authToken: AUTH_TOKEN,
      from: "+3197010203040",
    });
    expect(sms.status).toBe(200);

    const listed = await ws.operator.get("/channels");
    expect(listed.body.every((c: { configured: boolean }) => c.configured)).toBe(true);
    for (const answer of [email, wa, sms, listed]) {
      for (const secret of ["s3cret-pass", ACCESS_TOKEN, APP_SECRET, AUTH_TOKEN])
        expect(answer.text).not.toContain(secret);
    }
    // At rest: sealed, not in the clear.
    const rows = await server.db.query<{ settings: unknown; secrets: string }>(
      "select settings, secrets from channels where workspace_id = $1",
      [ws.id],
    );
    expect(rows).toHaveLength(3);
    const stored = JSON.stringify(rows);
    for (const secret of ["s3cret-pass", ACCESS_TOKEN, APP_SECRET, AUTH_TOKEN]) expect(stored).not.toContain(secret);
    const audit = await server.db.query<{ details: unknown }>(
      "select details from audit_events where workspace_id = $1 and action = 'channel.updated'",
      [ws.id],
    );
    expect(audit).toHaveLength(3);
    for (const secret of ["s3cret-pass", ACCESS_TOKEN, APP_SECRET, AUTH_TOKEN])
      expect(JSON.stringify(audit)).not.toContain(secret);
  });

  it("defaults the providers' addresses and keeps a secret left out of a later PUT", async () => {
    const other = await createWorkspace(server);
    const { apiBaseUrl: _, ...rest } = whatsapp();
    const first = await other.admin.put("/channels/whatsapp", rest);
    expect(first.status).toBe(200);
    expect(first.body.settings.apiBaseUrl).toBe("https://graph.facebook.com/v21.0");
    const { accessToken: _a, appSecret: _b, ...noSecrets } = rest;
    const again = await other.admin.put("/channels/whatsapp", { ...noSecrets, businessAccountId: "999" });
    expect(again.status).toBe(200);
    const sms = await other.admin.put("/channels/sms", { accountSid: SID, from: "+3197010203040" });
    expect(sms.status).toBe(422);
    expect(sms.body.errors.map((e: { field: string }) => e.field)).toEqual(["authToken"]);
  });

  it("refuses bad settings, private addresses, a number another workspace has, and non-admins", async () => {
    const bad: [string, unknown, string][] = [
      ["email", { smtpUrl: "http://mail.example.com", from: "a@example.com" }, "smtpUrl"],
      ["email", { smtpUrl: "smtp://mail.example.com", from: "not an address" }, "from"],
      ["email", { smtpUrl: "smtp://mail.example.com", from: "" }, "from"],
      ["email", { smtpUrl: "smtp://mail.example.com", from: "Shop <>" }, "from"],
      ["email", { smtpUrl: "not a url", from: "" }, "smtpUrl"],
      ["email", { smtpUrl: "smtp://mail.example.com" }, "from"],
      ["whatsapp", { ...whatsapp(), phoneNumberId: "12 34" }, "phoneNumberId"],
      ["whatsapp", { ...whatsapp(), verifyToken: "short" }, "verifyToken"],
      ["whatsapp", { ...whatsapp(), apiBaseUrl: "ftp://x" }, "apiBaseUrl"],
      ["sms", { accountSid: "XY", authToken: "t", from: "+3197010203040" }, "accountSid"],
      ["sms", { accountSid: SID, authToken: "t", from: "call me now!" }, "from"],
      ["sms", { accountSid: SID, authToken: "t", from: "+31", extra: 1 }, "extra"],
    ];
    for (const [channel, body, field] of bad) {
      const answer = await ws.admin.put(`/channels/${channel}`, body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await ws.operator.put("/channels/email", { smtpUrl: smtp.url, from: "a@example.com" })).status).toBe(403);
    expect((await ws.operator.delete("/channels/sms")).status).toBe(403);

    const strict = await startServer(kind, { SECRET_KEY });
    try {
      const w = await createWorkspace(strict);
      for (const [channel, body, field] of [
        ["email", { smtpUrl: "smtp://127.0.0.1:25", from: "a@example.com" }, "smtpUrl"],
        ["email", { smtpUrl: "smtps://[::1]:465", from: "a@example.com" }, "smtpUrl"],
        ["email", { smtpUrl: "smtp://localhost", from: "a@example.com" }, "smtpUrl"],
        ["whatsapp", { ...whatsapp(), apiBaseUrl: "http://10.1.2.3/v21.0" }, "apiBaseUrl"],
        [
          "sms",
          { apiBaseUrl: "http://192.168.1.1", accountSid: SID, authToken: "t", from: "+3197010203040" },
          "apiBaseUrl",
        ],
      ] as const) {
        const answer = await w.admin.put(`/channels/${channel}`, body);
        expect(answer.status, JSON.stringify(body)).toBe(422);
        expect(answer.body.errors[0].field).toBe(field);
      }
    } finally {
      await strict.close();
    }

    const number = whatsapp();
    expect((await ws.admin.put("/channels/whatsapp", number)).status).toBe(200);
    const other = await createWorkspace(server);
    const taken = await other.admin.put("/channels/whatsapp", number);
    expect(taken.status).toBe(409);
    expect(taken.body.field).toBe("phoneNumberId");
  });

  it("reads the approved templates from Meta, with the parameters each asks for", async () => {
    await ws.admin.put("/channels/whatsapp", whatsapp());
    const templates = await ws.operator.get("/channels/whatsapp/templates");
    expect(templates.status).toBe(200);
    expect(templates.body.map((t: { name: string }) => t.name)).toEqual(["order_update", "welcome"]);
    expect(templates.body[0]).toMatchObject({
      language: "en_US",
      category: "UTILITY",
      status: "APPROVED",
      parameters: ["header.1", "1", "2", "button.0.1"],
    });
    const request = meta.received.find((r) => r.path.includes("/message_templates"));
    expect(request?.path).toMatch(/^\/20001\/message_templates/);
    expect(request?.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);

    const w = await createWorkspace(server);
    const none = await w.operator.get("/channels/whatsapp/templates");
    expect(none.status).toBe(422);
    expect(none.body.errors[0].field).toBe("channel");
    await w.admin.put("/channels/whatsapp", { ...whatsapp(), accessToken: "wrong-token" });
    const refused = await w.operator.get("/channels/whatsapp/templates");
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].message).toContain("Invalid OAuth access token");
  });

  it("checks settings with Send test: an e-mail reaches the server, a refusal shows the provider's words", async () => {
    const ok = await ws.admin.post("/channels/email/test", { to: "admin@example.org" });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.ok).toBe(true);
    const [mail] = await smtp.next(1);
    expect(mail?.to).toEqual(["admin@example.org"]);

    await ws.admin.put("/channels/email", {
      smtpUrl: `smtp://bot:wrong@127.0.0.1:${smtp.port}`,
      from: "shop@example.com",
    });
    const refused = await ws.admin.post("/channels/email/test", { to: "admin@example.org" });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]).toMatchObject({ field: "channel" });
    expect(refused.body.errors[0].message).toContain("Invalid username or password");
    expect((await ws.admin.post("/channels/email/test", {})).status).toBe(422);

    const sms = await ws.admin.post("/channels/sms/test", { to: "+31612345678" });
    expect(sms.status).toBe(200);
    expect(sms.body.providerId).toMatch(/^SM/);
    const wa = await ws.admin.post("/channels/whatsapp/test", {});
    expect(wa.status).toBe(200);
    expect(wa.body.detail).toContain("+31 20 123 4567");
    expect((await ws.operator.post("/channels/sms/test", { to: "+31612345678" })).status).toBe(403);

    expect((await ws.admin.delete("/channels/sms")).status).toBe(204);
    expect((await ws.admin.delete("/channels/sms")).status).toBe(404);
    const gone = await ws.admin.post("/channels/sms/test", { to: "+31612345678" });
    expect(gone.status).toBe(422);
  });
});

describe("the key channel secrets are sealed with", () => {
  it("is made once into DATA_DIR (mode 0600) on the embedded database without SECRET_KEY", async () => {
    const dir = mkdtempSync(join(tmpdir(), "contacts-key-"));
    const server = await startServer("pglite", { DATA_DIR: dir, CHANNELS_ALLOW_PRIVATE: "1" });
    try {
      const ws = await createWorkspace(server);
      const answer = await ws.admin.put("/channels/email", {
        smtpUrl: "smtp://u:p4ss@127.0.0.1:2525",
        from: "a@example.com",
      });
      expect(answer.status).toBe(200);
      const path = join(dir, "secret.key");
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const key = readFileSync(path, "utf8");
      expect(Buffer.from(key.trim(), "base64")).toHaveLength(32);
      await ws.admin.put("/channels/email", { smtpUrl: "smtp://u:p4ss@127.0.0.1:2526", from: "a@example.com" });
      expect(readFileSync(path, "utf8")).toBe(key);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  if (process.env.TEST_DATABASE_URL) {
    it("is required on a PostgreSQL server before a channel is configured", async () => {
      const server = await startServer("postgres", { CHANNELS_ALLOW_PRIVATE: "1", DATABASE_URL: "postgres://set" });
      try {
        const ws = await createWorkspace(server);
        const answer = await ws.admin.put("/channels/email", {
          smtpUrl: "smtp://u:p@127.0.0.1:2525",
          from: "a@example.com",
        });
        expect(answer.status).toBe(409);
        expect(answer.body.detail).toContain("SECRET_KEY");
        expect((await ws.operator.get("/channels")).status).toBe(200);
      } finally {
        await server.close();
      }
    });
  }
});
