import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace, databases, startServer, type TestServer, type Workspace } from "./server.ts";

describe.each(databases())("contacts on %s", (kind) => {
  let server: TestServer;
  let ws: Workspace;
  beforeAll(async () => {
    server = await startServer(kind);
    ws = await createWorkspace(server);
  });
  afterAll(() => server?.close());

  it("creates a contact with normalised fields", async () => {
    const created = await ws.operator.post("/contacts", {
      firstName: " Zoë ",
      lastName: "de Vries",
      email: "zoe@example.nl",
      phone: "06 12345678",
      language: "nl-nl",
      timezone: "europe/amsterdam",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      firstName: "Zoë",
      phone: "+31612345678",
      language: "nl-NL",
      timezone: "Europe/Amsterdam",
      version: 1,
      tags: [],
    });
    expect(created.headers.get("etag")).toBe('"1"');
    expect(created.headers.get("location")).toBe(`/api/v1/contacts/${created.body.id}`);
  });
});
