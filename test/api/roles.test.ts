import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/app.ts";
import { ROUTE_ROLES } from "../../src/auth/roles.ts";
import { readConfig } from "../../src/config.ts";
import { Client, createWorkspace, databases, freshDatabase, startServer, type TestServer } from "../server.ts";

/** Routes only an admin may call (newer features add their own admin routes beside these). */
const ADMIN_ONLY = [
  "PATCH /api/v1/workspace",
  "POST /api/v1/tokens",
  "GET /api/v1/tokens",
  "DELETE /api/v1/tokens/:id",
  "POST /api/v1/users",
  "DELETE /api/v1/contacts/:id",
  "POST /api/v1/tags",
  "DELETE /api/v1/tags/:name",
  "GET /api/v1/contacts/export",
  "POST /api/v1/imports",
  "GET /api/v1/imports/:id",
  "POST /api/v1/imports/:id/start",
  "GET /api/v1/imports/:id/errors",
  "PUT /api/v1/channels/email",
  "PUT /api/v1/channels/whatsapp",
  "PUT /api/v1/channels/sms",
  "DELETE /api/v1/channels/:channel",
  "POST /api/v1/channels/:channel/test",
];

/** A concrete path for a route's URL pattern. */
const concrete = (url: string) =>
  url
    .replace(/^\/api\/v1/, "")
    .replace(/:id\b/g, randomUUID())
    .replace(/:channel\b/g, "email")
    .replace(/:(\w+)/g, "x");

describe("roles declared on the routes", () => {
  it("refuses to build an app with an /api/v1 route that declares no role, or an unknown one", async () => {
    const { db, drop } = await freshDatabase("pglite");
    try {
      for (const config of [undefined, { role: "owner" }, { public: true }]) {
        const app = await buildApp({ db, config: readConfig({}), logger: false });
        app.register(
          async (api) => {
            api.get("/forgotten", { config: config as never }, async () => ({ open: true }));
          },
          { prefix: "/api/v1" },
        );
        await expect(app.ready()).rejects.toThrow(/GET \/api\/v1\/forgotten declares no role/);
        await app.close().catch(() => {});
      }
    } finally {
      await drop();
    }
  });

  describe.each(databases())("on %s", (kind) => {
    let server: TestServer;
    let table: readonly { method: string; url: string; role: string }[];
    beforeAll(async () => {
      server = await startServer(kind);
      const { db, drop } = await freshDatabase("pglite");
      const app = await buildApp({ db, config: readConfig({}), logger: false });
      // HEAD routes are GET's twins (same role); their answers have no body to read.
      table = app.routeRoles.filter((route) => route.method !== "HEAD");
      expect(app.routeRoles.length).toBeGreaterThan(table.length);
      await app.close();
      await drop();
    });
    afterAll(() => server?.close());

    it("every route of the API document is in the route table with a role", async () => {
      const doc = await (await fetch(`${server.origin}/api/openapi.json`)).json();
      const documented = Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) =>
        Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
      );
      const listed = table.map((route) => `${route.method} ${route.url}`);
      expect(documented.length).toBeGreaterThan(20);
      for (const route of documented) expect(listed).toContain(route);
      for (const route of table) expect(ROUTE_ROLES).toContain(route.role);
    });

    it("declares admin exactly on the admin-only routes, public only on setup, sign-in and the providers' webhooks", () => {
      const admin = table.filter((route) => route.role === "admin").map((route) => `${route.method} ${route.url}`);
      expect(admin).toEqual(expect.arrayContaining(ADMIN_ONLY));
      const open = table.filter((route) => route.role === "public").map((route) => route.url);
      expect(open.length).toBeGreaterThan(0);
      // The providers' webhooks carry no credentials of ours: they are checked by their signatures.
      for (const url of open) {
        expect(url).toMatch(/^\/api\/v1\/(setup|auth\/login|channels\/whatsapp\/webhook|channels\/sms\/status)$/);
      }
    });

    it("answers 401 to an anonymous caller on every route not declared public", async () => {
      const anonymous = new Client(server);
      for (const route of table.filter((r) => r.role !== "public")) {
        const method = route.method.split(",")[0] as string;
        const response = await anonymous.request(method, concrete(route.url));
        expect({ route: `${method} ${route.url}`, status: response.status }).toEqual({
          route: `${method} ${route.url}`,
          status: 401,
        });
      }
    });

    it("answers an operator 403 with the same problem on every admin route that takes no body", async () => {
      const ws = await createWorkspace(server);
      for (const route of table.filter((r) => r.role === "admin" && !["POST", "PATCH", "PUT"].includes(r.method))) {
        const response = await ws.operator.request(route.method, concrete(route.url));
        expect({ route: `${route.method} ${route.url}`, status: response.status }).toEqual({
          route: `${route.method} ${route.url}`,
          status: 403,
        });
        expect(response.body.detail).toBe("Only an admin of this workspace may do this.");
      }
      const start = await ws.operator.post(`/imports/${randomUUID()}/start`, { onDuplicate: "skip" });
      expect(start.status).toBe(403);
      expect((await ws.operator.post("/tags", { name: "VIP" })).status).toBe(403);
      const smtp = { smtpUrl: "smtp://mail.example.com:587", from: "Acme <hello@example.com>" };
      expect((await ws.operator.request("PUT", "/channels/email", smtp)).status).toBe(403);
      expect((await ws.operator.patch("/workspace", { name: "Mine" })).status).toBe(403);
    });
  });
});
