import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace, databases, startServer, type TestServer, type Workspace } from "./server.ts";

describe.each(databases())("tenant isolation on %s", (kind) => {
  let server: TestServer;
  let ours: Workspace;
  let theirs: Workspace;
  let theirContact: { id: string; version: number };
  let theirTokenId: string;
  beforeAll(async () => {
    server = await startServer(kind);
    ours = await createWorkspace(server, "Ours");
    theirs = await createWorkspace(server, "Theirs");
    theirContact = (
      await theirs.operator.post("/contacts", {
        firstName: "Secret",
        email: "secret@theirs.example",
        phone: "+31687654321",
        externalId: "their-1",
        tags: ["Confidential"],
      })
    ).body;
    theirTokenId = (await theirs.admin.get("/tokens")).body[0].id;
  });
  afterAll(() => server?.close());

  it("answers 404 for every endpoint given the other workspace's ids, and changes nothing", async () => {
    const id = theirContact.id;
    const calls = [
      ours.admin.get(`/contacts/${id}`),
      ours.admin.patch(`/contacts/${id}`, { firstName: "Hacked" }),
      ours.admin.patch(`/contacts/${id}`, { firstName: "Hacked" }, { "if-match": '"1"' }),
      ours.admin.delete(`/contacts/${id}`),
      ours.admin.put(`/contacts/${id}/tags`, { tags: ["Hacked"] }),
      ours.admin.post(`/contacts/${id}/tags`, { tags: ["Hacked"] }),
      ours.admin.delete(`/contacts/${id}/tags/Confidential`),
      ours.admin.delete(`/tokens/${theirTokenId}`),
      ours.admin.delete("/tags/Confidential"),
    ];
    for (const response of await Promise.all(calls)) expect(response.status, response.text).toBe(404);
    const after = await theirs.operator.get(`/contacts/${id}`);
    expect(after.body).toMatchObject({ firstName: "Secret", version: theirContact.version, tags: ["Confidential"] });
    expect((await theirs.admin.get("/tokens")).body.map((t: { id: string }) => t.id)).toContain(theirTokenId);
  });

  it("never lists, counts or finds the other workspace's contacts or tags", async () => {
    for (const query of ["", "?q=secret", "?q=87654321", "?tag=Confidential"]) {
      expect((await ours.admin.get(`/contacts${query}`)).body.items, query).toEqual([]);
    }
    expect((await ours.admin.get("/contacts/count?q=secret")).body.count).toBe(0);
    const tags = (await ours.admin.get("/tags")).body.map((t: { name: string }) => t.name);
    expect(tags).not.toContain("Confidential");
  });

  it("lets each workspace use the same email, phone and external id", async () => {
    const same = await ours.operator.post("/contacts", {
      email: "SECRET@theirs.example",
      phone: "+31687654321",
      externalId: "their-1",
    });
    expect(same.status).toBe(201);
  });

  it("does not accept the other workspace's cursor", async () => {
    for (let i = 0; i < 3; i++) await theirs.operator.post("/contacts", { firstName: `Page ${i}` });
    const page = await theirs.operator.get("/contacts?limit=1");
    const cursor = page.body.nextCursor as string;
    expect((await ours.operator.get(`/contacts?limit=1&cursor=${encodeURIComponent(cursor)}`)).status).toBe(400);
  });
});
