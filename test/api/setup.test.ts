import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, createWorkspace, databases, startServer, type TestServer } from "../server.ts";

/** GET /setup tells the web app whether first-run setup is open, and whether nobody can sign in yet. */
describe.each(databases())("GET /setup on %s", (kind) => {
  describe("with ALLOW_SIGNUP off", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer(kind, { ALLOW_SIGNUP: "0" });
    });
    afterAll(() => server?.close());

    it("is open on a new server and closed once its first workspace exists, as POST /setup is", async () => {
      const anonymous = new Client(server);
      const before = await anonymous.get("/setup");
      expect(before.status).toBe(200);
      expect(before.body).toEqual({ open: true, firstRun: true });

      const ws = await createWorkspace(server);
      expect((await anonymous.get("/setup")).body).toEqual({ open: false, firstRun: false });
      // A signed-in caller learns the same; the answer holds nothing about the workspace.
      expect((await ws.adminSession.get("/setup")).body).toEqual({ open: false, firstRun: false });
      const refused = await anonymous.post("/setup", {
        workspaceName: "Second",
        name: "Bo",
        email: "bo@example.com",
        password: "long enough password",
      });
      expect(refused.status).toBe(403);
    });
  });

  describe("with ALLOW_SIGNUP on", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer(kind, { ALLOW_SIGNUP: "1" });
    });
    afterAll(() => server?.close());

    it("stays open after the first workspace, and tells a first run from an open signup", async () => {
      const anonymous = new Client(server);
      expect((await anonymous.get("/setup")).body).toEqual({ open: true, firstRun: true });
      await createWorkspace(server);
      expect((await anonymous.get("/setup")).body).toEqual({ open: true, firstRun: false });
      await createWorkspace(server);
      expect((await anonymous.get("/setup")).body).toEqual({ open: true, firstRun: false });
    });
  });

  it("is described in the OpenAPI document with both fields", async () => {
    const server = await startServer(kind);
    try {
      const doc = await (await fetch(`${server.origin}/api/openapi.json`)).json();
      const schema = doc.paths["/api/v1/setup"].get.responses["200"].content["application/json"].schema;
      expect(schema.required).toEqual(expect.arrayContaining(["open", "firstRun"]));
      expect(schema.properties.open.type).toBe("boolean");
      expect(schema.properties.firstRun.type).toBe("boolean");
    } finally {
      await server.close();
    }
  });
});
