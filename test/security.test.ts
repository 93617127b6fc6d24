/**
 * Auth hardening and what the server gives away: session fixation, sign-out, token
 * revocation, cookie flags behind a TLS proxy, CSRF, brute force, security headers,
 * no internals in answers and no personal data in the logs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnServer } from "./process.ts";
import { Client, createWorkspace, databases, startServer, type TestServer, type Workspace } from "./server.ts";

const cookieOf = (response: { headers: Headers }) => (response.headers.get("set-cookie") ?? "").split(";")[0] as string;

describe.each(databases())("auth hardening on %s", (kind) => {
  let server: TestServer;
  let ws: Workspace;
  let anonymous: Client;
  beforeAll(async () => {
    server = await startServer(kind, { LOGIN_RATE_LIMIT: "3", API_RATE_LIMIT: "100000" });
    anonymous = new Client(server);
    ws = await createWorkspace(server, "Hardened");
  });
  afterAll(() => server?.close());

  const login = (headers: Record<string, string> = {}) =>
    anonymous.post("/auth/login", { email: ws.adminEmail, password: ws.password }, headers);

  it("does not adopt a session id set before sign-in: sign-in issues a new one", async () => {
    const planted = "contacts_session=cs_planted-by-an-attacker";
    const response = await login({ cookie: planted });
    expect(response.status).toBe(200);
    const issued = cookieOf(response);
    expect(issued).toMatch(/^contacts_session=cs_/);
    expect(issued).not.toBe(planted);
    expect((await new Client(server, { cookie: planted }).get("/me")).status).toBe(401);
    // Nor is another live session upgraded: signing in again gives yet another id.
    const again = await login({ cookie: issued });
    expect(cookieOf(again)).not.toBe(issued);
    expect((await new Client(server, { cookie: issued }).get("/me")).status).toBe(200);
  });

  it("ends the session at sign-out for whoever replays its cookie", async () => {
    const cookie = cookieOf(await login());
    const session = new Client(server, { cookie });
    expect((await session.get("/me")).status).toBe(200);
    const out = await session.post("/auth/logout");
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/contacts_session=;|Expires=Thu, 01 Jan 1970/i);
    expect((await session.get("/me")).status).toBe(401);
    expect((await session.get("/contacts")).status).toBe(401);
  });

  it("revokes a token at once, even for requests already queued behind it", async () => {
    const created = await ws.admin.post("/tokens", { name: "soon revoked", role: "admin" });
    const client = new Client(server, { token: created.body.token });
    expect((await client.get("/contacts")).status).toBe(200);
    expect((await ws.admin.delete(`/tokens/${created.body.id}`)).status).toBe(204);
    const after = await Promise.all(Array.from({ length: 5 }, () => client.post("/contacts", { firstName: "Ghost" })));
    expect(after.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    expect((await ws.admin.get("/contacts/count?q=ghost")).body.count).toBe(0);
  });

  it("sets httpOnly and SameSite, and Secure only when the request came over HTTPS", async () => {
    const plain = (await login()).headers.get("set-cookie") ?? "";
    expect(plain).toMatch(/HttpOnly/i);
    expect(plain).toMatch(/SameSite=Lax/i);
    expect(plain).not.toMatch(/;\s*Secure/i);
    // Without TRUST_PROXY, a client cannot claim HTTPS by itself.
    const spoofed = (await login({ "x-forwarded-proto": "https" })).headers.get("set-cookie") ?? "";
    expect(spoofed).not.toMatch(/;\s*Secure/i);
  });

  it("refuses cookie-authenticated writes from another origin, a null origin or none (CSRF)", async () => {
    const cookie = ws.adminSession.auth.cookie as string;
    const write = (headers: Record<string, string>, contentType = "application/json") =>
      fetch(`${server.url}/contacts`, {
        method: "POST",
        headers: { cookie, "content-type": contentType, ...headers },
        body: JSON.stringify({ firstName: "Forged" }),
      });
    expect((await write({ origin: "https://evil.example" })).status).toBe(403);
    expect((await write({ origin: "null" })).status).toBe(403);
    expect((await write({})).status).toBe(403);
    expect((await write({ origin: `${server.origin}.evil.example` })).status).toBe(403);
    // A form post ("simple request", no preflight) is refused too.
    expect((await write({ origin: "https://evil.example" }, "text/plain")).status).toBeGreaterThanOrEqual(403);
    for (const method of ["PATCH", "DELETE", "PUT"]) {
      const response = await fetch(`${server.url}/workspace`, {
        method,
        headers: { cookie, "content-type": "application/json", origin: "https://evil.example" },
        body: JSON.stringify({ name: "Pwned" }),
      });
      expect(response.status, method).toBeGreaterThanOrEqual(400);
    }
    expect((await ws.admin.get("/contacts/count?q=forged")).body.count).toBe(0);
    expect((await ws.admin.get("/workspace")).body.name).not.toBe("Pwned");
  });

  it("locks an account against guessing whatever case its e-mail is typed in", async () => {
    const email = `Brute-${Date.now()}@Example.com`;
    const password = "the right long password";
    expect((await ws.admin.post("/users", { name: "Bru", email, password, role: "operator" })).status).toBe(201);
    const variants = [email, email.toLowerCase(), email.toUpperCase()];
    for (const variant of variants) {
      expect((await anonymous.post("/auth/login", { email: variant, password: "a wrong guess!" })).status).toBe(401);
    }
    const locked = await anonymous.post("/auth/login", { email: email.toLowerCase(), password });
    expect(locked.status).toBe(429);
    expect(locked.headers.get("content-type")).toContain("application/problem+json");
    expect(locked.headers.get("set-cookie")).toBeNull();
  });

  it("answers an unknown account like a wrong password", async () => {
    const unknown = await anonymous.post("/auth/login", {
      email: "nobody-here@example.com",
      password: "whatever it is",
    });
    const wrong = await anonymous.post("/auth/login", { email: ws.adminEmail, password: "not the password" });
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.body.detail).toBe(wrong.body.detail);
  });

  it("sends the security headers on the API, the web app and errors", async () => {
    for (const path of ["/api/v1/contacts", "/api/v1/nope", "/", "/studio/contacts", "/api/docs"]) {
      const response = await fetch(`${server.origin}${path}`, {
        headers: { authorization: `Bearer ${ws.admin.auth.token}` },
      });
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("object-src 'none'");
      expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("x-powered-by"), path).toBeNull();
    }
  });

  it("shows no stack trace, SQL or database message when something breaks inside", async () => {
    // A real failure: the tags table disappears under the running server.
    await server.db.query("alter table tags rename to tags_gone");
    try {
      const response = await ws.admin.get("/tags");
      expect(response.status).toBe(500);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(response.text).not.toMatch(/tags_gone|relation|select|from|\bat \w|\.ts:\d+|postgres|pglite/i);
      expect(response.body).toMatchObject({ status: 500, title: "Internal Server Error" });
    } finally {
      await server.db.query("alter table tags_gone rename to tags");
    }
  });
});

describe("behind a TLS-terminating proxy (TRUST_PROXY=1)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer("pglite", { TRUST_PROXY: "1" });
  });
  afterAll(() => server?.close());

  it("marks the session cookie Secure when the proxy says the request came over HTTPS", async () => {
    const ws = await createWorkspace(server);
    const anonymous = new Client(server);
    const body = { email: ws.adminEmail, password: ws.password };
    const https = await anonymous.post("/auth/login", body, { "x-forwarded-proto": "https" });
    expect(https.headers.get("set-cookie")).toMatch(/;\s*Secure/i);
    const http = await anonymous.post("/auth/login", body, { "x-forwarded-proto": "http" });
    expect(http.headers.get("set-cookie")).not.toMatch(/;\s*Secure/i);
    // The origin a browser sees is the proxy's HTTPS one: a cookie write from it is accepted.
    const cookie = cookieOf(https);
    const write = await fetch(`${server.url}/contacts`, {
      method: "POST",
      headers: {
        cookie,
        "content-type": "application/json",
        "x-forwarded-proto": "https",
        "x-forwarded-host": "crm.example.com",
        origin: "https://crm.example.com",
      },
      body: JSON.stringify({ firstName: "Proxied" }),
    });
    expect(write.status).toBe(201);
  });
});

describe("the server's logs", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "contacts-logs-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("carry ids, never the e-mails, phones, names or passwords sent in requests", async () => {
    const server = await spawnServer({ DATA_DIR: dataDir, LOG_LEVEL: "debug", ALLOW_SIGNUP: "1" });
    try {
      const json = { "content-type": "application/json" };
      const personal = {
        email: "zoe.private@example.org",
        phone: "+31 6 9876 5432",
        firstName: "Zoëprivate",
        lastName: "Geheimnaam",
        password: "my very secret password",
      };
      const setup = await fetch(`${server.url}/setup`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({
          workspaceName: "Logs",
          name: "Adminprivate",
          email: "admin.private@example.org",
          password: personal.password,
        }),
      });
      const cookie = cookieOf(setup);
      const auth = { ...json, cookie, origin: server.origin };
      const created = await fetch(`${server.url}/contacts`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({
          firstName: personal.firstName,
          lastName: personal.lastName,
          email: personal.email,
          phone: personal.phone,
        }),
      });
      expect(created.status).toBe(201);
      const id = ((await created.json()) as { id: string }).id;
      // A conflict, a validation error, searches and a failed sign-in all carry personal data.
      await fetch(`${server.url}/contacts`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ email: personal.email }),
      });
      await fetch(`${server.url}/contacts`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ email: "not-an-email-zoeprivate", phone: "zoeprivate-phone" }),
      });
      await fetch(`${server.url}/contacts?q=${encodeURIComponent(personal.email)}`, { headers: auth });
      await fetch(`${server.url}/contacts/count?q=Geheimnaam`, { headers: auth });
      await fetch(`${server.url}/contacts/export?format=csv-comma&q=Geheimnaam`, { headers: auth });
      await fetch(`${server.url}/auth/login`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ email: "admin.private@example.org", password: "wrong guess password" }),
      });
      // Every log line is in once the server has stopped and its output pipes have closed.
      const closed = new Promise((resolve) => server.child.once("close", resolve));
      server.child.kill("SIGTERM");
      await closed;
      const logs = server.output();
      expect(logs).toContain("shutting down");
      expect(logs).toContain("request completed");
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      for (const value of [
        personal.email,
        "zoe.private",
        "98765432",
        "9876 5432",
        personal.firstName,
        "Geheimnaam",
        personal.password,
        "admin.private",
        "Adminprivate",
        "zoeprivate",
        "cs_",
      ]) {
        expect(logs, `the logs contain "${value}"`).not.toContain(value);
      }
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });
});
