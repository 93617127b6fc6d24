import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { twilioSignature } from "../../src/channels/webhooks.ts";
import { inboundPayload, postWebhook, sign, statusPayload } from "../meta.ts";
import { type FakeProvider, fakeMeta, fakeTwilio, until } from "../providers.ts";
import { createWorkspace, databases, startServer, type TestServer, type Workspace } from "../server.ts";

const SECRET_KEY = randomBytes(32).toString("base64");
const TOKEN = "EAAG-webhook-token";
const SID = `AC${"c".repeat(32)}`;
const AUTH_TOKEN = "webhook-twilio-token";
const PUBLIC_URL = "https://contacts.example.com";

describe.each(databases())("provider webhooks on %s", (kind) => {
  let server: TestServer;
  let meta: FakeProvider;
  let twilio: FakeProvider;
  let a: Workspace;
  let b: Workspace;
  const numberA = `40${randomBytes(4).readUInt32BE()}`;
  const numberB = `50${randomBytes(4).readUInt32BE()}`;
  const secretA = "app-secret-of-workspace-a";
  const secretB = "app-secret-of-workspace-b";
  beforeAll(async () => {
    server = await startServer(kind, {
      SECRET_KEY,
      CHANNELS_ALLOW_PRIVATE: "1",
      PUBLIC_URL,
      MESSAGES_RETRY_BASE_MS: "50",
    });
    [meta, twilio] = await Promise.all([fakeMeta(TOKEN), fakeTwilio(SID, AUTH_TOKEN)]);
    a = await createWorkspace(server);
    b = await createWorkspace(server);
    for (const [ws, number, appSecret, verifyToken] of [
      [a, numberA, secretA, "verify-token-a"],
      [b, numberB, secretB, "verify-token-b"],
    ] as const) {
      const put = await ws.admin.put("/channels/whatsapp", {
        apiBaseUrl: meta.url,
        phoneNumberId: number,
        businessAccountId: "1",
        accessToken: TOKEN,
        appSecret,
        verifyToken,
      });
      expect(put.status).toBe(200);
    }
    await a.admin.put("/channels/sms", {
      apiBaseUrl: twilio.url,
      accountSid: SID,
      authToken: AUTH_TOKEN,
      from: "+3197010203040",
    });
  });
  afterAll(async () => {
    await server?.close();
    await Promise.all([meta?.close(), twilio?.close()]);
  });

  const counts = async () =>
    (
      await server.db.query<{ messages: number; contacts: number }>(
        "select (select count(*)::int from messages) as messages, (select count(*)::int from contacts) as contacts",
      )
    )[0];

  /** A sent WhatsApp template message of workspace `ws`, with its provider id. */
  async function sentMessage(ws: Workspace, phone: string) {
    const contact = (await ws.operator.post("/contacts", { firstName: "Status", phone })).body;
    const started = await ws.operator.post(`/contacts/${contact.id}/conversations`, {
      channel: "whatsapp",
      template: { name: "welcome", language: "nl", parameters: { "1": "Status" } },
    });
    expect(started.status, started.text).toBe(201);
    const read = () =>
      ws.operator.get(`/conversations/${started.body.conversation.id}/messages`).then((r) => r.body.items[0]);
    const sent = await until(read, (m) => m.status !== "queued");
    expect(sent.status).toBe("sent");
    return { message: sent, read };
  }

  it("answers Meta's verify handshake with the challenge for a known verify token only", async () => {
    const ok = await fetch(
      `${server.url}/channels/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=verify-token-b&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe("1158201444");
    for (const query of [
      "hub.mode=subscribe&hub.verify_token=wrong-token&hub.challenge=1",
      "hub.mode=unsubscribe&hub.verify_token=verify-token-a&hub.challenge=1",
      "hub.challenge=1",
    ]) {
      expect((await fetch(`${server.url}/channels/whatsapp/webhook?${query}`)).status).toBe(403);
    }
  });

  it("stores an inbound message signed right: identifies the sender, sets lastSeenAt, stores it once when replayed", async () => {
    const wamid = `wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=${randomBytes(3).toString("hex")}`;
    const payload = inboundPayload(numberA, "16315551181", "Kerry Fisher", wamid, "this is a text message");
    const first = await postWebhook(server.origin, payload, undefined, secretA);
    expect(first.status, first.text).toBe(200);
    const found = (await a.operator.get("/contacts?channel=whatsapp&q=Kerry")).body.items;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ firstName: "Kerry", lastName: "Fisher", phone: "+16315551181" });
    expect(found[0].lastSeenAt).not.toBeNull();
    expect(found[0].identities).toEqual([
      { channel: "whatsapp", address: "+16315551181", lastSeenAt: expect.any(String) },
    ]);
    const conversations = (await a.operator.get(`/contacts/${found[0].id}/conversations`)).body.items;
    expect(conversations).toHaveLength(1);
    expect(conversations[0].lastMessage).toMatchObject({
      direction: "in",
      text: "this is a text message",
      providerId: wamid,
    });

    const before = await counts();
    expect((await postWebhook(server.origin, payload, undefined, secretA)).status).toBe(200);
    expect(await counts()).toEqual(before);
    // Workspace B knows nothing of it.
    expect((await b.operator.get("/contacts?q=Kerry")).body.items).toEqual([]);
  });

  it("refuses a payload signed wrong, unsigned or signed by another workspace's secret, storing nothing", async () => {
    const payload = inboundPayload(
      numberA,
      "16315550000",
      "Eve Intruder",
      `wamid.${randomBytes(8).toString("hex")}`,
      "hi",
    );
    const raw = JSON.stringify(payload);
    const before = await counts();
    expect((await postWebhook(server.origin, raw, sign("not-the-secret", raw))).status).toBe(401);
    expect((await postWebhook(server.origin, raw, null)).status).toBe(401);
    expect((await postWebhook(server.origin, raw, "sha256=zz")).status).toBe(401);
    expect((await postWebhook(server.origin, raw, sign(secretB, raw))).status).toBe(401);
    // Signed right, but one byte changed after signing.
    expect((await postWebhook(server.origin, raw.replace("hi", "ho"), sign(secretA, raw))).status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  it("ignores an unknown phone_number_id without storing anything", async () => {
    const before = await counts();
    const payload = inboundPayload(
      "999999999",
      "16315559999",
      "Nobody Known",
      `wamid.${randomBytes(8).toString("hex")}`,
      "hi",
    );
    const answer = await postWebhook(server.origin, payload, undefined, "whatever");
    expect(answer.status).toBe(200);
    expect(await counts()).toEqual(before);
  });

  it("applies statuses in any order and any number of times, never backwards", async () => {
    const { message, read } = await sentMessage(a, "+31612349001");
    const post = (statuses: { id: string; status: string; errors?: unknown[] }[]) =>
      postWebhook(server.origin, statusPayload(numberA, statuses), undefined, secretA);
    expect((await post([{ id: message.providerId, status: "read" }])).status).toBe(200);
    expect((await read()).status).toBe("read");
    expect((await post([{ id: message.providerId, status: "delivered" }])).status).toBe(200);
    expect((await post([{ id: message.providerId, status: "read" }])).status).toBe(200);
    expect((await post([{ id: message.providerId, status: "sent" }])).status).toBe(200);
    expect((await read()).status).toBe("read");

    const second = await sentMessage(a, "+31612349002");
    await post([
      { id: second.message.providerId, status: "delivered" },
      { id: second.message.providerId, status: "sent" },
    ]);
    expect((await second.read()).status).toBe("delivered");

    const third = await sentMessage(a, "+31612349003");
    await post([
      {
        id: third.message.providerId,
        status: "failed",
        errors: [
          {
            code: 131026,
            title: "Message undeliverable",
            message: "Message undeliverable",
            error_data: { details: "Message Undeliverable." },
          },
        ],
      },
    ]);
    const failed = await third.read();
    expect(failed.status).toBe("failed");
    expect(failed.error.code).toBe("131026");
    expect(failed.error.message).toContain("could not deliver");
    await post([{ id: third.message.providerId, status: "delivered" }]);
    expect((await third.read()).status).toBe("failed");
  });

  it("keeps two workspaces' numbers apart", async () => {
    const { message, read } = await sentMessage(b, "+31612349010");
    // Workspace A's number, signed by A: B's message id there changes nothing of B's.
    await postWebhook(
      server.origin,
      statusPayload(numberA, [{ id: message.providerId, status: "read" }]),
      undefined,
      secretA,
    );
    expect((await read()).status).toBe("sent");
    await postWebhook(
      server.origin,
      statusPayload(numberB, [{ id: message.providerId, status: "delivered" }]),
      undefined,
      secretB,
    );
    expect((await read()).status).toBe("delivered");
  });

  it("takes Twilio's status callback when X-Twilio-Signature is right", async () => {
    const contact = (await a.operator.post("/contacts", { firstName: "Texter", phone: "+31612349020" })).body;
    const started = await a.operator.post(`/contacts/${contact.id}/conversations`, { channel: "sms", text: "Hoi" });
    const read = () =>
      a.operator.get(`/conversations/${started.body.conversation.id}/messages`).then((r) => r.body.items[0]);
    const sent = await until(read, (m) => m.status !== "queued");
    expect(sent.status).toBe("sent");
    const path = "/api/v1/channels/sms/status";
    const callback = async (params: Record<string, string>, signature?: string) => {
      const form = new URLSearchParams(params);
      const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
      headers["x-twilio-signature"] = signature ?? twilioSignature(AUTH_TOKEN, `${PUBLIC_URL}${path}`, form);
      return (await fetch(`${server.origin}${path}`, { method: "POST", headers, body: form.toString() })).status;
    };
    const params = {
      AccountSid: SID,
      MessageSid: sent.providerId,
      SmsSid: sent.providerId,
      MessageStatus: "delivered",
      SmsStatus: "delivered",
      To: "+31612349020",
      From: "+3197010203040",
      ApiVersion: "2010-04-01",
    };
    expect(await callback(params, "bm90IHRoZSBzaWduYXR1cmU=")).toBe(401);
    expect((await read()).status).toBe("sent");
    expect(await callback(params)).toBe(204);
    expect((await read()).status).toBe("delivered");
    expect(await callback({ ...params, MessageStatus: "sent", SmsStatus: "sent" })).toBe(204);
    expect((await read()).status).toBe("delivered");
  });
});
