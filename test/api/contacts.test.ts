import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace, databases, startServer, type TestServer, type Workspace } from "../server.ts";

describe.each(databases())("contacts on %s", (kind) => {
  let server: TestServer;
  let ws: Workspace;
  beforeAll(async () => {
    server = await startServer(kind);
    ws = await createWorkspace(server);
  });
  afterAll(() => server?.close());

  const create = (body: Record<string, unknown>) => ws.operator.post("/contacts", body);

  it("creates a contact with normalised fields, Location and ETag", async () => {
    const created = await create({
      firstName: " Zoë ",
      lastName: "de Vries",
      email: "zoe@example.nl",
      phone: "06 12345678",
      language: "nl-nl",
      timezone: "europe/amsterdam",
      externalId: "crm-00042",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      firstName: "Zoë",
      lastName: "de Vries",
      email: "zoe@example.nl",
      phone: "+31612345678",
      language: "nl-NL",
      timezone: "Europe/Amsterdam",
      externalId: "crm-00042",
      lastSeenAt: null,
      version: 1,
      tags: [],
    });
    expect(created.body.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(created.headers.get("etag")).toBe('"1"');
    expect(created.headers.get("location")).toBe(`/api/v1/contacts/${created.body.id}`);

    const read = await ws.operator.get(`/contacts/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    expect(read.headers.get("etag")).toBe('"1"');
  });

  it("reads phones written in the usual ways, national ones in phoneCountry or the workspace's country", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ phone: "+31 6 1234 5601" }, "+31612345601"],
      [{ phone: "(020) 123-4567" }, "+31201234567"],
      [{ phone: "030 123 45 67", phoneCountry: "DE" }, "+49301234567"],
      [{ phone: "+1 (415) 555-2671" }, "+14155552671"],
    ];
    for (const [body, e164] of cases) {
      const created = await create(body);
      expect(created.status, JSON.stringify(body)).toBe(201);
      expect(created.body.phone).toBe(e164);
    }
  });

  it("refuses invalid fields with 422 naming each, and stores nothing", async () => {
    const before = (await ws.operator.get("/contacts/count")).body.count;
    const bad = await create({
      firstName: "ok",
      email: "not-an-email",
      phone: "12",
      language: "not a language!",
      timezone: "Mars/Olympus",
      lastSeenAt: "yesterday",
    });
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    const fields = bad.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(["email", "language", "lastSeenAt", "phone", "timezone"]);
    expect((await ws.operator.get("/contacts/count")).body.count).toBe(before);
  });

  it("refuses wrong types, unknown fields, control characters and over-long strings", async () => {
    const cases: [unknown, string][] = [
      [{ firstName: 42 }, "firstName"],
      [{ firstName: ["a"] }, "firstName"],
      [{ firstName: "x", favouriteColour: "blue" }, "favouriteColour"],
      [{ firstName: "bell\u0007" }, "firstName"],
      [{ lastName: "a".repeat(201) }, "lastName"],
      [{ email: `${"a".repeat(250)}@example.com` }, "email"],
      [{ externalId: "x".repeat(256) }, "externalId"],
      [{ tags: "Sales" }, "tags"],
      [{ tags: [""] }, "tags[0]"],
      [{ phone: "+31612345678", phoneCountry: "XX" }, "phoneCountry"],
    ];
    for (const [body, field] of cases) {
      const response = await create(body as Record<string, unknown>);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(422);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it("needs at least one of name, email, phone or external id", async () => {
    const empty = await create({});
    expect(empty.status).toBe(422);
    const blank = await create({ firstName: "  ", language: "en" });
    expect(blank.status).toBe(422);
  });

  it("answers 400 for a body that is not JSON or missing, and 413 for one over the limit", async () => {
    expect((await ws.operator.post("/contacts", "{bad json")).status).toBe(400);
    expect((await ws.operator.post("/contacts", "")).status).toBe(400);
    expect((await ws.operator.request("POST", "/contacts")).status).toBe(400);
    expect((await ws.operator.post("/contacts", "[1,2]")).status).toBe(422);
    expect((await ws.operator.post("/contacts", "null")).status).toBe(400);
    const huge = await create({ firstName: "x".repeat(1024 * 1024) });
    expect([413, 422]).toContain(huge.status);
    const long = await create({ firstName: "x".repeat(500_000) });
    expect(long.status).toBe(422);
  });

  it("keeps emoji, right-to-left and CJK text byte for byte", async () => {
    const names = { firstName: "山田 太郎 🎉", lastName: "مُحَمَّد‎ עִברִית" };
    const created = await create(names);
    expect(created.status).toBe(201);
    const read = await ws.operator.get(`/contacts/${created.body.id}`);
    expect(Buffer.from(read.body.firstName)).toEqual(Buffer.from(names.firstName));
    expect(Buffer.from(read.body.lastName)).toEqual(Buffer.from(names.lastName));
  });

  it("answers 409 naming the field and the contact for a used email (any case), phone or external id", async () => {
    const first = await create({ email: "Dup@Example.com", phone: "+31611110000", externalId: "ext-dup" });
    expect(first.status).toBe(201);
    for (const [body, field] of [
      [{ email: "dup@example.COM" }, "email"],
      [{ phone: "06 11110000" }, "phone"],
      [{ externalId: "ext-dup" }, "externalId"],
    ] as const) {
      const conflict = await create(body);
      expect(conflict.status).toBe(409);
      expect(conflict.body).toMatchObject({ field, conflictingContactId: first.body.id, status: 409 });
    }
    const other = await create({ firstName: "Other" });
    const patch = await ws.operator.patch(`/contacts/${other.body.id}`, { email: "DUP@example.com" });
    expect(patch.status).toBe(409);
    expect(patch.body.conflictingContactId).toBe(first.body.id);
    expect((await ws.operator.get(`/contacts/${other.body.id}`)).body.email).toBeNull();
  });

  it("patches as a merge patch: absent fields stay, null clears, version and ETag go up", async () => {
    const created = await create({ firstName: "Ann", lastName: "Old", email: "ann.patch@example.com" });
    const patched = await ws.operator.patch(
      `/contacts/${created.body.id}`,
      { lastName: "New", email: null },
      { "if-match": '"1"' },
    );
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ firstName: "Ann", lastName: "New", email: null, version: 2 });
    expect(patched.headers.get("etag")).toBe('"2"');
    expect(Date.parse(patched.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.body.updatedAt));

    const stale = await ws.operator.patch(`/contacts/${created.body.id}`, { lastName: "Lost" }, { "if-match": '"1"' });
    expect(stale.status).toBe(412);
    expect((await ws.operator.get(`/contacts/${created.body.id}`)).body.lastName).toBe("New");

    const malformed = await ws.operator.patch(
      `/contacts/${created.body.id}`,
      { lastName: "X" },
      { "if-match": "soon" },
    );
    expect(malformed.status).toBe(400);

    const clearAll = await ws.operator.patch(`/contacts/${created.body.id}`, { firstName: null, lastName: null });
    expect(clearAll.status).toBe(422);
  });

  it("deletes for admins only; afterwards 404", async () => {
    const created = await create({ firstName: "Gone" });
    expect((await ws.operator.delete(`/contacts/${created.body.id}`)).status).toBe(403);
    expect((await ws.admin.delete(`/contacts/${created.body.id}`, { "if-match": '"7"' })).status).toBe(412);
    expect((await ws.admin.delete(`/contacts/${created.body.id}`)).status).toBe(204);
    expect((await ws.admin.get(`/contacts/${created.body.id}`)).status).toBe(404);
    expect((await ws.admin.delete(`/contacts/${created.body.id}`)).status).toBe(404);
    expect((await ws.admin.patch(`/contacts/${created.body.id}`, { firstName: "x" })).status).toBe(404);
  });

  it("answers 400 for a malformed id and 404 for an unknown one", async () => {
    expect((await ws.operator.get("/contacts/not-a-uuid")).status).toBe(400);
    expect((await ws.operator.get("/contacts/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("adds, replaces and removes tags; new names join the catalogue with their first spelling", async () => {
    const created = await create({ firstName: "Tagged" });
    const id = created.body.id;
    const added = await ws.operator.post(`/contacts/${id}/tags`, { tags: ["sales", "Premium", "premium "] });
    expect(added.status).toBe(200);
    expect(added.body.tags).toEqual(["Premium", "Sales"]);
    expect(added.body.version).toBe(2);
    const replaced = await ws.operator.put(`/contacts/${id}/tags`, { tags: ["Billing", "Support"] });
    expect(replaced.body.tags).toEqual(["Billing", "Support"]);
    const removed = await ws.operator.delete(`/contacts/${id}/tags/billing`);
    expect(removed.status).toBe(200);
    expect(removed.body.tags).toEqual(["Support"]);
    expect((await ws.operator.delete(`/contacts/${id}/tags/Billing`)).status).toBe(404);
    expect((await ws.operator.post(`/contacts/${id}/tags`, { tags: ["x".repeat(65)] })).status).toBe(422);
    expect((await ws.operator.post(`/contacts/${id}/tags`, {})).status).toBe(422);

    const catalogue = await ws.operator.get("/tags");
    expect(catalogue.status).toBe(200);
    const byName = Object.fromEntries(
      catalogue.body.map((t: { name: string; contactCount: number }) => [t.name, t.contactCount]),
    );
    expect(byName).toMatchObject({ Premium: 0, Sales: 0, Support: 1, Billing: 0 });
  });

  it("manages the tag catalogue: admins create and delete, names unique regardless of case", async () => {
    expect((await ws.operator.post("/tags", { name: "Partner" })).status).toBe(403);
    const created = await ws.admin.post("/tags", { name: "Partner" });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ name: "Partner", contactCount: 0 });
    expect((await ws.admin.post("/tags", { name: "PARTNER" })).status).toBe(409);
    expect((await ws.admin.post("/tags", { name: " " })).status).toBe(422);
    const contact = await create({ firstName: "Partnered", tags: ["partner"] });
    expect(contact.body.tags).toEqual(["Partner"]);
    expect((await ws.operator.delete("/tags/Partner")).status).toBe(403);
    expect((await ws.admin.delete("/tags/partner")).status).toBe(204);
    expect((await ws.admin.delete("/tags/partner")).status).toBe(404);
    expect((await ws.operator.get(`/contacts/${contact.body.id}`)).body.tags).toEqual([]);
  });
});
