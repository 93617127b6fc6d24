import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace, startServer, type TestServer } from "../server.ts";

describe("OpenAPI document, reference page, health", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer("pglite");
  });
  afterAll(() => server?.close());

  it("serves an OpenAPI 3.1 document generated from the route schemas", async () => {
    const response = await fetch(`${server.origin}/api/openapi.json`);
    expect(response.status).toBe(200);
    const doc = await response.json();
    expect(doc.openapi).toBe("3.1.0");
    const paths = Object.keys(doc.paths);
    for (const path of [
      "/api/v1/setup",
      "/api/v1/auth/login",
      "/api/v1/auth/logout",
      "/api/v1/me",
      "/api/v1/tokens",
      "/api/v1/tokens/{id}",
      "/api/v1/users",
      "/api/v1/workspace",
      "/api/v1/contacts",
      "/api/v1/contacts/count",
      "/api/v1/contacts/{id}",
      "/api/v1/contacts/{id}/tags",
      "/api/v1/contacts/{id}/tags/{tag}",
      "/api/v1/tags",
      "/api/v1/tags/{name}",
    ]) {
      expect(paths).toContain(path);
    }
    const create = doc.paths["/api/v1/contacts"].post;
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(["201", "409", "422"]));
    expect(JSON.stringify(create.requestBody)).toContain("firstName");
    expect(doc.components.schemas.Contact.properties.phone).toBeTruthy();
  });

  it("serves a readable reference at /api/docs", async () => {
    const response = await fetch(`${server.origin}/api/docs/`, { redirect: "follow" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
  });

  it("answers /healthz once the database is open, and unknown API paths with a 404 problem", async () => {
    const health = await fetch(`${server.origin}/healthz`);
    expect(await health.json()).toEqual({ status: "ok" });
    const ws = await createWorkspace(server);
    const missing = await ws.admin.get("/no-such-thing");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
  });
});

describe("audit trail", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer("pglite");
  });
  afterAll(() => server?.close());

  it("records who changed what, before and after, for every change to a contact", async () => {
    const ws = await createWorkspace(server);
    const contact = (await ws.operator.post("/contacts", { firstName: "Audited", email: "a@example.com" })).body;
    await ws.adminSession.patch(`/contacts/${contact.id}`, { firstName: "Renamed" });
    await ws.operator.post(`/contacts/${contact.id}/tags`, { tags: ["Sales"] });
    await ws.admin.delete(`/contacts/${contact.id}`);
    const events = await server.db.query<{ action: string; actor_type: string; before: any; after: any }>(
      "select action, actor_type, before, after from audit_events where workspace_id = $1 and contact_id = $2 order by id",
      [ws.id, contact.id],
    );
    expect(events.map((e) => [e.action, e.actor_type])).toEqual([
      ["contact.created", "token"],
      ["contact.updated", "user"],
      ["contact.tagged", "token"],
      ["contact.deleted", "token"],
    ]);
    expect(events[1]?.before).toEqual({ firstName: "Audited" });
    expect(events[1]?.after).toEqual({ firstName: "Renamed" });
    expect(events[2]?.after).toEqual({ tags: ["Sales"] });
    expect(events[3]?.before.email).toBe("a@example.com");
  });
});
