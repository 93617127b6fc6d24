import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace, databases, startServer, type TestServer, type Workspace } from "./server.ts";

describe.each(databases())("concurrent writes on %s", (kind) => {
  let server: TestServer;
  let ws: Workspace;
  beforeAll(async () => {
    server = await startServer(kind);
    ws = await createWorkspace(server);
  });
  afterAll(() => server?.close());

  it("lets exactly one of 20 PATCHes with the same If-Match win", async () => {
    const contact = (await ws.operator.post("/contacts", { firstName: "Race" })).body;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ws.operator.patch(
          `/contacts/${contact.id}`,
          { lastName: `Writer ${i}` },
          { "if-match": `"${contact.version}"` },
        ),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const winner = results.find((r) => r.status === 200)?.body;
    const stored = (await ws.operator.get(`/contacts/${contact.id}`)).body;
    expect(stored).toMatchObject({ lastName: winner.lastName, version: 2 });
  });

  it("creates one contact of 20 concurrent creates with one email in different cases", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ws.operator.post("/contacts", {
          firstName: `Twin ${i}`,
          email: i % 2 ? "TWIN@example.com" : "twin@Example.com",
        }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    const conflicts = results.filter((r) => r.status === 409);
    expect(created).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    for (const c of conflicts)
      expect(c.body).toMatchObject({ field: "email", conflictingContactId: created[0]?.body.id });
    expect((await ws.operator.get("/contacts/count?q=twin@example.com")).body.count).toBe(1);
  });

  it("ends concurrent tag adds and removes on one contact in a consistent set", async () => {
    const contact = (await ws.operator.post("/contacts", { firstName: "Tags" })).body;
    const names = Array.from({ length: 10 }, (_, i) => `T${i}`);
    await Promise.all(names.map((tag) => ws.operator.post(`/contacts/${contact.id}/tags`, { tags: [tag] })));
    const all = (await ws.operator.get(`/contacts/${contact.id}`)).body;
    expect(all.tags).toEqual(names);
    expect(all.version).toBe(11);
    await Promise.all(names.slice(0, 5).map((tag) => ws.operator.delete(`/contacts/${contact.id}/tags/${tag}`)));
    expect((await ws.operator.get(`/contacts/${contact.id}`)).body.tags).toEqual(names.slice(5));
  });
});
