import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundPayload, postWebhook } from "../meta.ts";
import { type FakeProvider, type FakeSmtp, fakeMeta, fakeSmtp, fakeTwilio, metaError, until } from "../providers.ts";
import { createWorkspace, databases, startServer, type TestServer, type Workspace } from "../server.ts";

const SECRET_KEY = randomBytes(32).toString("hex");
const ACCESS_TOKEN = "EAAG-conversations-token";
const APP_SECRET = "conversations-app-secret";
const AUTH_TOKEN = "conversations-twilio-token";
const SID = `AC${"b".repeat(32)}`;

describe.each(databases())("conversations on %s", (kind) => {
  let server: TestServer;
  let ws: Workspace;
  let meta: FakeProvider;
  let twilio: FakeProvider;
  let smtp: FakeSmtp;
  const phoneNumberId = `30${randomBytes(4).readUInt32BE()}`;
  beforeAll(async () => {
    server = await startServer(kind, {
      SECRET_KEY,
      CHANNELS_ALLOW_PRIVATE: "1",
      MESSAGES_RETRY_BASE_MS: "50",
      PUBLIC_URL: "https://contacts.example.com",
    });
    ws = await createWorkspace(server);
    [meta, twilio, smtp] = await Promise.all([fakeMeta(ACCESS_TOKEN), fakeTwilio(SID, AUTH_TOKEN), fakeSmtp()]);
    expect((await ws.admin.put("/channels/email", { smtpUrl: smtp.url, from: "Shop <shop@example.com>" })).status).toBe(
      200,
    );
    expect(
      (
        await ws.admin.put("/channels/whatsapp", {
          apiBaseUrl: meta.url,
          phoneNumberId,
          businessAccountId: "777",
          accessToken: ACCESS_TOKEN,
          appSecret: APP_SECRET,
          verifyToken: "conversations-verify",
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await ws.admin.put("/channels/sms", {
          apiBaseUrl: twilio.url,
          accountSid: SID,
          authToken: AUTH_TOKEN,
          from: "+3197010203040",
        })
      ).status,
    ).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([meta?.close(), twilio?.close(), smtp?.close()]);
  });

  const messageOf = async (conversationId: string) =>
    (await ws.operator.get(`/conversations/${conversationId}/messages`)).body.items.at(-1);
  const settled = (conversationId: string) =>
    until(
      () => messageOf(conversationId),
      (m) => m.status !== "queued",
    );

  it("sends an e-mail through SMTP with From, To, an encoded Subject and a stable Message-ID", async () => {
    const contact = (await ws.operator.post("/contacts", { firstName: "Zoë", email: "zoe@example.nl" })).body;
    const answer = await ws.operator.post(`/contacts/${contact.id}/conversations`, {
      channel: "email",
      subject: "Hallo Zoë, uw bestelling",
      text: "Beste Zoë,\n\nUw bestelling is onderweg.",
    });
    expect(answer.status, answer.text).toBe(201);
    expect(answer.body.message).toMatchObject({
      direction: "out",
      channel: "email",
      address: "zoe@example.nl",
      status: "queued",
    });
    const before = smtp.mails.length;
    const [, ...rest] = await smtp.next(before + 1);
    const mail = smtp.mails[before] ?? rest.at(-1);
    expect(mail?.to).toEqual(["zoe@example.nl"]);
    expect(mail?.from).toBe("shop@example.com");
    const raw = mail?.raw ?? "";
    expect(raw).toMatch(/^From: Shop <shop@example\.com>$/m);
    expect(raw).toMatch(/^To: zoe@example\.nl$/m);
    expect(raw).toMatch(/^Subject: =\?UTF-8\?[QB]\?/m);
    expect(raw).not.toMatch(/^Subject: .*Zoë/m);
    expect(raw).toContain(`Message-ID: <${answer.body.message.id}@example.com>`);
    expect(raw).toMatch(/onderweg/);
    const sent = await settled(answer.body.conversation.id);
    expect(sent).toMatchObject({ status: "sent", providerId: `<${answer.body.message.id}@example.com>`, error: null });
    const audit = await server.db.query<{ action: string }>(
      "select action from audit_events where workspace_id = $1 and contact_id = $2 and action = 'message.sent'",
      [ws.id, contact.id],
    );
    expect(audit).toHaveLength(1);
  });

  it("records a refused recipient as failed with the server's reply", async () => {
    const contact = (await ws.operator.post("/contacts", { firstName: "Nobody", email: "nobody@example.nl" })).body;
    smtp.refuse.add("nobody@example.nl");
    const answer = await ws.operator.post(`/contacts/${contact.id}/conversations`, {
      channel: "email",
      subject: "Hi",
      text: "Hello",
    });
    expect(answer.status).toBe(201);
    const failed = await settled(answer.body.conversation.id);
    expect(failed.status).toBe("failed");
    expect(failed.error.code).toBe("550");
    expect(failed.error.message).toContain("User unknown");
  });

  it("retries an e-mail while the SMTP server is down, then sends it", async () => {
    const down = await fakeSmtp();
    const port = down.port;
    await down.close();
    const other = await createWorkspace(server);
    await other.admin.put("/channels/email", { smtpUrl: `smtp://127.0.0.1:${port}`, from: "ops@example.com" });
    const contact = (await other.operator.post("/contacts", { firstName: "Later", email: "later@example.nl" })).body;
    const answer = await other.operator.post(`/contacts/${contact.id}/conversations`, {
      channel: "email",
      subject: "Hi",
      text: "Hello",
    });
    expect(answer.status).toBe(201);
    // The first attempt met a closed port: still queued, with the error noted.
    const waiting = await until(
      async () =>
        (
          await server.db.query<{ attempts: number }>("select attempts from messages where workspace_id = $1", [
            other.id,
          ])
        )[0],
      (r) => (r?.attempts ?? 0) >= 1,
    );
    expect(waiting?.attempts).toBeGreaterThanOrEqual(1);
    const up = await fakeSmtp(port);
    try {
      const [mail] = await up.next(1);
      expect(mail?.to).toEqual(["later@example.nl"]);
      const sent = await until(
        async () => (await other.operator.get(`/conversations/${answer.body.conversation.id}/messages`)).body.items[0],
        (m) => m.status === "sent",
      );
      expect(sent.status).toBe("sent");
      expect(up.mails).toHaveLength(1);
    } finally {
      await up.close();
    }
  });

  it("refuses what a channel cannot send, naming the field", async () => {
    const contact = (await ws.operator.post("/contacts", { firstName: "Only", email: "only@example.nl" })).body;
    const cases: [unknown, string][] = [
      [{ channel: "email", text: "no subject" }, "subject"],
      [{ channel: "email", subject: "no text" }, "text"],
      [{ channel: "sms", text: "Hi" }, "channel"],
      [{ channel: "whatsapp", text: "Hi" }, "channel"],
      [{ channel: "webchat", text: "Hi" }, "channel"],
      [{ channel: "email", address: "other@example.nl", subject: "s", text: "t" }, "address"],
      [{ channel: "pigeon", text: "Hi" }, "channel"],
    ];
    for (const [body, field] of cases) {
      const answer = await ws.operator.post(`/contacts/${contact.id}/conversations`, body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const other = await createWorkspace(server);
    const unconfigured = await other.operator.post(
      `/contacts/${(await other.operator.post("/contacts", { email: "x@example.nl" })).body.id}/conversations`,
      { channel: "email", subject: "s", text: "t" },
    );
    expect(unconfigured.status).toBe(422);
    expect(unconfigured.body.errors[0].field).toBe("channel");
    expect(
      (
        await other.operator.post(`/contacts/${contact.id}/conversations`, {
          channel: "email",
          subject: "s",
          text: "t",
        })
      ).status,
    ).toBe(404);
  });

  it("sends an SMS through Twilio's Messages API, form-encoded with basic auth", async () => {
    const contact = (await ws.operator.post("/contacts", { firstName: "Sam", phone: "+31612340001" })).body;
    const answer = await ws.operator.post(`/contacts/${contact.id}/conversations`, {
      channel: "sms",
      text: "Uw pakket komt morgen",
    });
    expect(answer.status, answer.text).toBe(201);
    const sent = await settled(answer.body.conversation.id);
    expect(sent.status).toBe("sent");
    expect(sent.providerId).toMatch(/^SM[0-9a-f]{32}$/);
    const request = twilio.received.find((r) => new URLSearchParams(r.body).get("To") === "+31612340001");
    expect(request?.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${AUTH_TOKEN}`).toString("base64")}`);
    const form = new URLSearchParams(request?.body);
    expect(Object.fromEntries(form)).toEqual({
      To: "+31612340001",
      From: "+3197010203040",
      Body: "Uw pakket komt morgen",
      StatusCallback: "https://contacts.example.com/api/v1/channels/sms/status",
    });

    twilio.next.push({
      status: 400,
      body: {
        code: 21211,
        message: "The 'To' number +31612340002 is not a valid phone number.",
        more_info: "https://www.twilio.com/docs/errors/21211",
        status: 400,
      },
    });
    const bad = (await ws.operator.post("/contacts", { firstName: "Bad", phone: "+31612340002" })).body;
    const refused = await ws.operator.post(`/contacts/${bad.id}/conversations`, { channel: "sms", text: "Hi" });
    const failed = await settled(refused.body.conversation.id);
    expect(failed).toMatchObject({ status: "failed", error: { code: "21211" } });
    expect(failed.error.message).toContain("not a valid phone number");

    // A 5xx is retried.
    twilio.next.push({ status: 503, body: { code: 20500, message: "Service unavailable", status: 503 } });
    const retried = (await ws.operator.post("/contacts", { firstName: "Retry", phone: "+31612340003" })).body;
    const third = await ws.operator.post(`/contacts/${retried.id}/conversations`, { channel: "sms", text: "Hi" });
    const ok = await settled(third.body.conversation.id);
    expect(ok.status).toBe("sent");
    const tries = twilio.received.filter((r) => new URLSearchParams(r.body).get("To") === "+31612340003");
    expect(tries).toHaveLength(2);
  });

  it("sends WhatsApp text only inside the 24-hour window, else a template with every parameter", async () => {
    const contact = (await ws.operator.post("/contacts", { firstName: "Wim", phone: "+31612340010" })).body;
    const outside = await ws.operator.post(`/contacts/${contact.id}/conversations`, {
      channel: "whatsapp",
      text: "Hoi",
    });
    expect(outside.status).toBe(422);
    expect(outside.body.errors[0].field).toBe("text");
    const nothing = await ws.operator.post(`/contacts/${contact.id}/conversations`, { channel: "whatsapp" });
    expect(nothing.body.errors[0].field).toBe("template");

    const missing = await ws.operator.post(`/contacts/${contact.id}/conversations`, {
      channel: "whatsapp",
      template: {
        name: "order_update",
        language: "en_US",
        parameters: { "1": "Wim", "header.1": "A-1", "button.0.1": "A-1" },
      },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(["template.parameters.2"]);
    const unknown = await ws.operator.post(`/contacts/${contact.id}/conversations`, {
      channel: "whatsapp",
      template: { name: "draft_one", language: "en_US" },
    });
    expect(unknown.body.errors[0].field).toBe("template.name");

    const parameters = { "header.1": "A-1", "1": "Wim", "2": "A-1", "button.0.1": "A-1" };
    const started = await ws.operator.post(`/contacts/${contact.id}/conversations`, {
      channel: "whatsapp",
      template: { name: "order_update", language: "en_US", parameters },
    });
    expect(started.status, started.text).toBe(201);
    expect(started.body.message.template).toEqual({ name: "order_update", language: "en_US", parameters });
    const sent = await settled(started.body.conversation.id);
    expect(sent.status).toBe("sent");
    const request = meta.received.find((r) => r.method === "POST" && JSON.parse(r.body).to === "+31612340010");
    expect(request?.path).toBe(`/${phoneNumberId}/messages`);
    expect(request?.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(JSON.parse(request?.body ?? "{}")).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "+31612340010",
      type: "template",
      template: {
        name: "order_update",
        language: { code: "en_US" },
        components: [
          { type: "header", parameters: [{ type: "text", text: "A-1" }] },
          {
            type: "body",
            parameters: [
              { type: "text", text: "Wim" },
              { type: "text", text: "A-1" },
            ],
          },
          { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "A-1" }] },
        ],
      },
    });
    expect(sent.providerId).toMatch(/^wamid\./);

    // The contact writes back: the window opens, free text goes.
    const reply = await postWebhook(
      server.origin,
      inboundPayload(
        phoneNumberId,
        "31612340010",
        "Wim Jansen",
        `wamid.in-${randomBytes(6).toString("hex")}`,
        "Waar is mijn pakket?",
      ),
      undefined,
      APP_SECRET,
    );
    expect(reply.status).toBe(200);
    const text = await ws.operator.post(`/contacts/${contact.id}/conversations`, {
      channel: "whatsapp",
      text: "Morgen!",
    });
    expect(text.status, text.text).toBe(201);
    await settled(text.body.conversation.id);
    const textRequest = meta.received
      .filter((r) => r.method === "POST" && JSON.parse(r.body).to === "+31612340010")
      .at(-1);
    expect(JSON.parse(textRequest?.body ?? "{}")).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "+31612340010",
      type: "text",
      text: { preview_url: false, body: "Morgen!" },
    });

    // Meta's refusal, in words an operator understands.
    meta.next.push({
      status: 400,
      body: metaError(
        131047,
        "Re-engagement message",
        "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
      ),
    });
    const late = await ws.operator.post(`/contacts/${contact.id}/conversations`, {
      channel: "whatsapp",
      text: "Nog iets",
    });
    const failed = await settled(late.body.conversation.id);
    expect(failed.status).toBe("failed");
    expect(failed.error.code).toBe("131047");
    expect(failed.error.message).toContain("More than 24 hours have passed");
  });

  it("lists a contact's conversations newest first with their last message, and pages them", async () => {
    const contact = (await ws.operator.post("/contacts", { firstName: "Pager", email: "pager@example.nl" })).body;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const started = await ws.operator.post(`/contacts/${contact.id}/conversations`, {
        channel: "email",
        subject: `S${i}`,
        text: `T${i}`,
      });
      ids.push(started.body.conversation.id);
    }
    const first = await ws.operator.get(`/contacts/${contact.id}/conversations?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.items[0].lastMessage).toMatchObject({ subject: "S2", text: "T2", channel: "email" });
    const second = await ws.operator.get(
      `/contacts/${contact.id}/conversations?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();
    expect((await ws.operator.get(`/contacts/${contact.id}/conversations?cursor=bogus`)).status).toBe(400);

    const other = await createWorkspace(server);
    expect((await other.operator.get(`/contacts/${contact.id}/conversations`)).status).toBe(404);
    expect((await other.operator.get(`/conversations/${ids[0]}/messages`)).status).toBe(404);
  });
});
