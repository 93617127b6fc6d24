import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace, databases, startServer, type TestServer, type Workspace } from "../server.ts";

describe.each(databases())("identify on %s", (kind) => {
  let server: TestServer;
  let ws: Workspace;
  beforeAll(async () => {
    server = await startServer(kind);
    ws = await createWorkspace(server);
  });
  afterAll(() => server?.close());

  it("creates a contact from the profile and finds it again by the identity", async () => {
    const first = await ws.operator.post("/contacts/identify", {
      channel: "whatsapp",
      address: "+31 6 1234 5678",
      profile: { firstName: "Zoë", lastName: "de Vries", language: "nl-nl" },
      seenAt: "2026-11-25T10:00:00Z",
    });
    expect(first.status).toBe(201);
    expect(first.body.created).toBe(true);
    expect(first.body.contact).toMatchObject({
      firstName: "Zoë",
      lastName: "de Vries",
      phone: "+31612345678",
      language: "nl-NL",
      lastSeenAt: "2026-11-25T10:00:00Z",
      identities: [{ channel: "whatsapp", address: "+31612345678", lastSeenAt: "2026-11-25T10:00:00Z" }],
    });

    // A later identify fills only empty fields and moves lastSeenAt forward.
    const again = await ws.operator.post("/contacts/identify", {
      channel: "whatsapp",
      address: "+31612345678",
      profile: { firstName: "Zoe", email: "Zoe@Example.nl" },
      seenAt: "2026-11-26T10:00:00Z",
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      created: false,
      contact: { id: first.body.contact.id, firstName: "Zoë", email: "Zoe@Example.nl" },
    });
    expect(again.body.contact.lastSeenAt).toBe("2026-11-26T10:00:00Z");

    // Never backwards, for the contact and for the identity.
    const older = await ws.operator.post("/contacts/identify", {
      channel: "whatsapp",
      address: "0612345678",
      seenAt: "2026-01-01T00:00:00Z",
    });
    expect(older.status).toBe(200);
    expect(older.body.contact.lastSeenAt).toBe("2026-11-26T10:00:00Z");
    expect(older.body.contact.identities[0].lastSeenAt).toBe("2026-11-26T10:00:00Z");

    const read = await ws.operator.get(`/contacts/${first.body.contact.id}`);
    expect(read.body.identities).toHaveLength(1);
  });

  it("finds an existing contact by the profile's email, phone or external id, and by its own email", async () => {
    const byEmail = (await ws.operator.post("/contacts", { firstName: "Mail", email: "mail@example.com" })).body;
    const byPhone = (await ws.operator.post("/contacts", { firstName: "Phone", phone: "+31687654321" })).body;
    const byExternal = (await ws.operator.post("/contacts", { firstName: "Ext", externalId: "crm-7" })).body;
    const cases: [unknown, string][] = [
      [{ channel: "webchat", address: "visitor-1", profile: { email: "MAIL@example.com" } }, byEmail.id],
      [{ channel: "api", address: "bot-user-2", profile: { phone: "06 8765 4321" } }, byPhone.id],
      [{ channel: "webchat", address: "visitor-3", profile: { externalId: "crm-7" } }, byExternal.id],
      [{ channel: "email", address: "Mail@Example.COM" }, byEmail.id],
      [{ channel: "sms", address: "+31687654321" }, byPhone.id],
    ];
    for (const [body, id] of cases) {
      const answer = await ws.operator.post("/contacts/identify", body);
      expect(answer.status, JSON.stringify(body)).toBe(200);
      expect(answer.body.contact.id).toBe(id);
    }
    const mail = (await ws.operator.get(`/contacts/${byEmail.id}`)).body;
    expect(mail.identities.map((i: { channel: string; address: string }) => `${i.channel}:${i.address}`)).toEqual([
      "email:mail@example.com",
      "webchat:visitor-1",
    ]);
  });

  it("fills an empty email from an email identity, and an empty phone from an sms one", async () => {
    const created = await ws.operator.post("/contacts/identify", {
      channel: "email",
      address: "New.Person@Example.org",
    });
    expect(created.status).toBe(201);
    expect(created.body.contact).toMatchObject({ email: "new.person@example.org", phone: null });
    const sms = await ws.operator.post("/contacts/identify", {
      channel: "sms",
      address: "+32470123456",
      profile: { email: "new.person@example.org" },
    });
    expect(sms.status).toBe(200);
    expect(sms.body.contact).toMatchObject({ id: created.body.contact.id, phone: "+32470123456" });
    expect(sms.body.contact.identities).toHaveLength(2);
  });

  it("ends 50 concurrent identifies of one new person in one contact", async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        ws.operator.post("/contacts/identify", {
          channel: "webchat",
          address: "crowd-visitor",
          profile: { firstName: `Crowd ${i}` },
        }),
      ),
    );
    expect(answers.map((a) => a.status).filter((s) => s === 201)).toHaveLength(1);
    expect(answers.map((a) => a.status).filter((s) => s === 200)).toHaveLength(49);
    expect(new Set(answers.map((a) => a.body.contact.id)).size).toBe(1);
    const found = await ws.operator.get("/contacts?q=crowd");
    expect(found.body.items).toHaveLength(1);
  });

  it("ends concurrent identifies by two addresses with one profile email in one contact", async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ws.operator.post("/contacts/identify", {
          channel: "api",
          address: `device-${i}`,
          profile: { email: "shared@example.net" },
        }),
      ),
    );
    expect(answers.map((a) => a.status).every((s) => s === 200 || s === 201)).toBe(true);
    expect(new Set(answers.map((a) => a.body.contact.id)).size).toBe(1);
    const contact = (await ws.operator.get(`/contacts/${answers[0]?.body.contact.id}`)).body;
    expect(contact.identities).toHaveLength(20);
  });

  it("refuses bad input with a 422 naming the field", async () => {
    const bad: [unknown, string][] = [
      [{ channel: "email", address: "not an address" }, "address"],
      [{ channel: "whatsapp", address: "hello" }, "address"],
      [{ channel: "sms", address: "+1" }, "address"],
      [{ channel: "webchat", address: "" }, "address"],
      [{ channel: "fax", address: "1" }, "channel"],
      [{ channel: "api", address: "x", profile: { email: "nope" } }, "profile.email"],
      [{ channel: "api", address: "x", profile: { shoeSize: 42 } }, "profile.shoeSize"],
      [{ channel: "api", address: "x", seenAt: "yesterday" }, "seenAt"],
      [{ channel: "api" }, "address"],
    ];
    for (const [body, field] of bad) {
      const answer = await ws.operator.post("/contacts/identify", body);
      expect(answer.status, JSON.stringify(body)).toBe(422);
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await ws.operator.post("/contacts/identify", "{")).status).toBe(400);
  });

  it("removes an identity, filters the list by channel, and keeps workspaces apart", async () => {
    const made = await ws.operator.post("/contacts/identify", {
      channel: "whatsapp",
      address: "+447700900123",
      profile: { firstName: "Filter" },
    });
    const id = made.body.contact.id;
    const whatsapp = await ws.operator.get("/contacts?channel=whatsapp&limit=200");
    expect(whatsapp.body.items.map((c: { id: string }) => c.id)).toContain(id);
    const count = (await ws.operator.get("/contacts/count?channel=whatsapp")).body.count;
    expect(count).toBe(whatsapp.body.items.length);
    expect((await ws.operator.get("/contacts?channel=fax")).status).toBe(400);

    const other = await createWorkspace(server);
    expect(
      (await other.operator.delete(`/contacts/${id}/identities/whatsapp/${encodeURIComponent("+447700900123")}`))
        .status,
    ).toBe(404);
    const elsewhere = await other.operator.post("/contacts/identify", {
      channel: "whatsapp",
      address: "+447700900123",
    });
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body.contact.id).not.toBe(id);

    const removed = await ws.operator.delete(
      `/contacts/${id}/identities/whatsapp/${encodeURIComponent("+447700900123")}`,
    );
    expect(removed.status).toBe(200);
    expect(removed.body.identities).toEqual([]);
    expect(removed.body.version).toBe(made.body.contact.version + 1);
    expect((await ws.operator.delete(`/contacts/${id}/identities/whatsapp/%2B447700900123`)).status).toBe(404);
    expect((await ws.operator.get("/contacts/count?channel=whatsapp")).body.count).toBe(count - 1);

    // Deleting a contact removes its identities: the address identifies a new contact.
    const again = await ws.operator.post("/contacts/identify", { channel: "api", address: "gone-soon" });
    expect((await ws.admin.delete(`/contacts/${again.body.contact.id}`)).status).toBe(204);
    const fresh = await ws.operator.post("/contacts/identify", { channel: "api", address: "gone-soon" });
    expect(fresh.status).toBe(201);
  });

  it("records an audit event for a contact made by identify", async () => {
    const made = await ws.operator.post("/contacts/identify", {
      channel: "api",
      address: "audited",
      profile: { firstName: "Audit" },
    });
    const rows = await server.db.query<{ action: string }>(
      "select action from audit_events where workspace_id = $1 and contact_id = $2",
      [ws.id, made.body.contact.id],
    );
    expect(rows.map((r) => r.action)).toEqual(["contact.created"]);
  });
});
