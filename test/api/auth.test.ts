import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, createWorkspace, databases, startServer, type TestServer, type Workspace } from "../server.ts";

const cookieOf = (response: { headers: Headers }) => (response.headers.get("set-cookie") ?? "").split(";")[0] as string;

describe.each(databases())("auth on %s", (kind) => {
  let server: TestServer;
  let ws: Workspace;
  let anonymous: Client;
  beforeAll(async () => {
    server = await startServer(kind, { LOGIN_RATE_LIMIT: "3", API_RATE_LIMIT: "1000" });
    anonymous = new Client(server);
    ws = await createWorkspace(server, "Zoë's Bakery");
  });
  afterAll(() => server?.close());

  it("sets up a workspace with its first admin and signs them in", async () => {
    expect(ws.slug).toBe("zoe-s-bakery");
    const me = await ws.adminSession.get("/me");
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ name: "Ann Admin", email: ws.adminEmail, role: "admin" });
    expect(me.body.workspace).toMatchObject({ slug: ws.slug, defaultCountry: "NL", languages: ["en"] });
  });

  it("refuses a short password, a bad email and unknown fields at setup", async () => {
    const base = { workspaceName: "X", name: "Y", email: "y@example.com", password: "long enough password" };
    expect((await anonymous.post("/setup", { ...base, password: "short" })).status).toBe(422);
    expect((await anonymous.post("/setup", { ...base, email: "nope" })).status).toBe(422);
    expect((await anonymous.post("/setup", { ...base, admin: true })).status).toBe(422);
    expect((await anonymous.post("/setup", { ...base, defaultCountry: "ZZ" })).status).toBe(422);
    const withSettings = await anonymous.post("/setup", { ...base, defaultCountry: "de", languages: ["de-de", "en"] });
    expect(withSettings.status).toBe(201);
    const me = await new Client(server, { cookie: cookieOf(withSettings) }).get("/me");
    expect(me.body.workspace).toMatchObject({ defaultCountry: "DE", languages: ["de-DE", "en"] });
  });

  it("sets an httpOnly, SameSite=Lax session cookie at sign-in and ends it at sign-out", async () => {
    const login = await anonymous.post("/auth/login", { email: ws.adminEmail.toUpperCase(), password: ws.password });
    expect(login.status).toBe(200);
    const header = login.headers.get("set-cookie") ?? "";
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Lax/i);
    const session = new Client(server, { cookie: cookieOf(login) });
    expect((await session.get("/me")).status).toBe(200);
    expect((await session.post("/auth/logout")).status).toBe(204);
    expect((await session.get("/me")).status).toBe(401);
  });

  it("answers 401 without or with bad credentials", async () => {
    expect((await anonymous.get("/contacts")).status).toBe(401);
    expect((await new Client(server, { token: "ctk_nonsense" }).get("/contacts")).status).toBe(401);
    expect((await new Client(server, { cookie: "contacts_session=cs_forged" }).get("/contacts")).status).toBe(401);
    const wrong = await anonymous.post("/auth/login", { email: "nobody@example.com", password: "whatever it is" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("content-type")).toContain("application/problem+json");
  });

  it("refuses cookie-authenticated writes without our own Origin (CSRF)", async () => {
    const cookie = ws.adminSession.auth.cookie as string;
    const raw = (headers: Record<string, string>) =>
      fetch(`${server.url}/contacts`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", ...headers },
        body: JSON.stringify({ firstName: "Csrf" }),
      });
    expect((await raw({})).status).toBe(403);
    expect((await raw({ origin: "https://evil.example" })).status).toBe(403);
    expect((await raw({ origin: server.origin })).status).toBe(201);
  });

  it("locks an account after too many failed sign-ins, with Retry-After", async () => {
    const email = `locked-${Date.now()}@example.com`;
    expect(
      (await ws.adminSession.post("/users", { name: "Lou", email, password: "a good long password", role: "operator" }))
        .status,
    ).toBe(201);
    for (let i = 0; i < 3; i++) {
      expect((await anonymous.post("/auth/login", { email, password: "wrong password!" })).status).toBe(401);
    }
    const locked = await anonymous.post("/auth/login", { email, password: "a good long password" });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("creates, lists and revokes API tokens; revocation takes effect at once; the token is stored hashed", async () => {
    const created = await ws.adminSession.post("/tokens", { name: "CRM sync", role: "operator" });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^ctk_/);
    const client = new Client(server, { token: created.body.token });
    expect((await client.get("/contacts")).status).toBe(200);
    const list = await ws.admin.get("/tokens");
    expect(list.body.map((t: { name: string }) => t.name)).toContain("CRM sync");
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    const stored = await server.db.query<{ token_hash: unknown }>("select token_hash from api_tokens where id = $1", [
      created.body.id,
    ]);
    expect(JSON.stringify(stored)).not.toContain(created.body.token);
    expect((await ws.operator.post("/tokens", { name: "x", role: "admin" })).status).toBe(403);
    expect((await ws.operator.delete(`/tokens/${created.body.id}`)).status).toBe(403);
    expect((await ws.admin.delete(`/tokens/${created.body.id}`)).status).toBe(204);
    expect((await client.get("/contacts")).status).toBe(401);
    expect((await ws.admin.delete(`/tokens/${created.body.id}`)).status).toBe(404);
    expect((await ws.admin.post("/tokens", { name: "x", role: "owner" })).status).toBe(422);
  });

  it("lets admins add users, who can sign in with their role", async () => {
    const email = `op-${Date.now()}@example.com`;
    const added = await ws.admin.post("/users", {
      name: "Olga",
      email,
      password: "operator password",
      role: "operator",
    });
    expect(added.status).toBe(201);
    expect(
      (
        await ws.admin.post("/users", {
          name: "Olga 2",
          email: email.toUpperCase(),
          password: "operator password",
          role: "operator",
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await ws.operator.post("/users", {
          name: "Eve",
          email: "eve@example.com",
          password: "operator password",
          role: "admin",
        })
      ).status,
    ).toBe(403);
    const login = await anonymous.post("/auth/login", { email, password: "operator password" });
    expect(login.body.user.role).toBe("operator");
    const users = await ws.admin.get("/users");
    expect(users.body.map((u: { email: string }) => u.email)).toContain(email);
  });

  it("reads and changes the workspace settings (admin)", async () => {
    expect((await ws.operator.patch("/workspace", { defaultCountry: "BE" })).status).toBe(403);
    expect((await ws.admin.patch("/workspace", { defaultCountry: "Belgium" })).status).toBe(422);
    expect((await ws.admin.patch("/workspace", { languages: ["nl", "xx-!!"] })).status).toBe(422);
    const patched = await ws.admin.patch("/workspace", { defaultCountry: "be", languages: ["nl-be", "fr-BE"] });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ defaultCountry: "BE", languages: ["nl-BE", "fr-BE"] });
    expect((await ws.operator.get("/workspace")).body.defaultCountry).toBe("BE");
    const contact = await ws.operator.post("/contacts", { phone: "0470 12 34 56" });
    expect(contact.body.phone).toBe("+32470123456");
  });
});

describe("setup is closed once a workspace exists (ALLOW_SIGNUP off)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer("pglite", { ALLOW_SIGNUP: "0" });
  });
  afterAll(() => server?.close());

  it("creates the first workspace, then answers 403", async () => {
    const anonymous = new Client(server);
    const body = { workspaceName: "First", name: "Ann", email: "ann@example.com", password: "long enough password" };
    const [a, b] = await Promise.all([
      anonymous.post("/setup", body),
      anonymous.post("/setup", { ...body, workspaceName: "Second" }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 403]);
    expect((await anonymous.post("/setup", body)).status).toBe(403);
  });
});

describe("API rate limit", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer("pglite", { API_RATE_LIMIT: "5" });
  });
  afterAll(() => server?.close());

  it("answers 429 with Retry-After past the limit per token", async () => {
    const ws = await createWorkspace(server);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const response = await ws.operator.get("/contacts");
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get("retry-after");
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await ws.admin.get("/contacts")).status).toBe(200);
  });
});
