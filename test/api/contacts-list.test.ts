import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace, databases, startServer, type TestServer, type Workspace } from "../server.ts";

const PEOPLE = [
  {
    firstName: "Zoë",
    lastName: "de Vries",
    email: "zoe@example.nl",
    phone: "+31612345678",
    language: "nl-NL",
    tags: ["Sales"],
  },
  {
    firstName: "Łukasz",
    lastName: "Kowalski",
    email: "lukasz@example.pl",
    phone: "+48512345678",
    language: "pl",
    tags: ["Sales", "Billing"],
  },
  { firstName: "太郎", lastName: "山田", email: "taro@example.jp", language: "ja", tags: ["Support"] },
  { firstName: "Ann", lastName: "Àlvarez", externalId: "crm_100%", language: "es" },
  { firstName: "Bob", lastName: "Brown", email: "bob@example.com", externalId: "legacy\\42", language: "en-GB" },
  { email: "no.name@example.com" },
];

describe.each(databases())("listing, searching and counting on %s", (kind) => {
  let server: TestServer;
  let ws: Workspace;
  beforeAll(async () => {
    server = await startServer(kind);
    ws = await createWorkspace(server);
    for (const person of PEOPLE) {
      const created = await ws.operator.post("/contacts", person);
      expect(created.status).toBe(201);
    }
  });
  afterAll(() => server?.close());

  const names = async (query: string) => {
    const response = await ws.operator.get(`/contacts?${query}`);
    expect(response.status, response.text).toBe(200);
    return response.body.items.map((c: { lastName: string | null; email: string | null }) => c.lastName ?? c.email);
  };

  it("lists newest first by default, with nextCursor null on the last page", async () => {
    const response = await ws.operator.get("/contacts");
    expect(response.body.items).toHaveLength(PEOPLE.length);
    expect(response.body.items[0].email).toBe("no.name@example.com");
    expect(response.body.nextCursor).toBeNull();
  });

  it("finds contacts ignoring case and accents, in names, full name, email, external id and phone digits", async () => {
    expect(await names("q=zoe")).toEqual(["de Vries"]);
    expect(await names("q=ZOË")).toEqual(["de Vries"]);
    expect(await names("q=lukasz")).toEqual(["Kowalski"]);
    expect(await names("q=alvarez")).toEqual(["Àlvarez"]);
    expect(await names(`q=${encodeURIComponent("山田")}`)).toEqual(["山田"]);
    expect(await names("q=zoe%20de%20v")).toEqual(["de Vries"]);
    expect(await names("q=example.pl")).toEqual(["Kowalski"]);
    expect(await names("q=0612%20345")).toEqual(["de Vries"]);
    expect(await names("q=%2B48%20512")).toEqual(["Kowalski"]);
    expect(await names("q=612-345-678")).toEqual(["de Vries"]);
  });

  it("matches %, _ and \\ in q literally", async () => {
    expect(await names("q=%25")).toEqual(["Àlvarez"]);
    expect(await names("q=crm_1")).toEqual(["Àlvarez"]);
    expect(await names("q=_")).toEqual(["Àlvarez"]);
    expect(await names(`q=${encodeURIComponent("\\")}`)).toEqual(["Brown"]);
    expect(await names(`q=${encodeURIComponent("'; drop table contacts; --")}`)).toEqual([]);
    expect((await ws.operator.get("/contacts/count")).body.count).toBe(PEOPLE.length);
  });

  it("filters by tags (all of them) and language, and counts the same filters", async () => {
    expect(await names("tag=sales&sort=name")).toEqual(["de Vries", "Kowalski"]);
    expect(await names("tag=Sales&tag=Billing")).toEqual(["Kowalski"]);
    expect(await names("tag=Nonexistent")).toEqual([]);
    expect(await names("language=ja")).toEqual(["山田"]);
    expect((await ws.operator.get("/contacts/count?tag=Sales")).body).toEqual({ count: 2 });
    expect((await ws.operator.get("/contacts/count?q=example&tag=Sales&tag=Billing")).body).toEqual({ count: 1 });
    expect((await ws.operator.get("/contacts/count?tag=nope")).body).toEqual({ count: 0 });
  });

  it("sorts by name (last, first; nameless last) and by time, both ways", async () => {
    expect(await names("sort=name")).toEqual([
      "Àlvarez",
      "Brown",
      "de Vries",
      "Kowalski",
      "山田",
      "no.name@example.com",
    ]);
    expect((await names("sort=-name"))[0]).toBe("no.name@example.com");
    expect(await names("sort=createdAt")).toEqual([...PEOPLE.map((p) => p.lastName ?? p.email)]);
    expect(await names("sort=-updatedAt")).toHaveLength(PEOPLE.length);
    expect(await names("sort=lastSeenAt")).toHaveLength(PEOPLE.length);
  });

  it("pages with a cursor through every sort", async () => {
    for (const sort of ["name", "-name", "createdAt", "-createdAt", "updatedAt", "-lastSeenAt"]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const response: { body: { items: { id: string }[]; nextCursor: string | null } } = await ws.operator.get(
          `/contacts?sort=${sort}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        );
        seen.push(...response.body.items.map((c) => c.id));
        cursor = response.body.nextCursor;
      } while (cursor);
      expect(new Set(seen).size, sort).toBe(PEOPLE.length);
      expect(seen, sort).toHaveLength(PEOPLE.length);
    }
  });

  it("answers 400 for malformed query parameters and bad or tampered cursors", async () => {
    for (const limit of ["0", "-1", "1000000000", "abc", "1.5", "201"]) {
      const response = await ws.operator.get(`/contacts?limit=${limit}`);
      expect(response.status, limit).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await ws.operator.get("/contacts?sort=favourite")).status).toBe(400);
    expect((await ws.operator.get("/contacts?colour=red")).status).toBe(400);
    // PostgreSQL text holds no NUL: such a value is malformed on every route, not a 500.
    for (const path of [
      "/contacts?q=%00",
      "/contacts?tag=a%00b",
      "/channels/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=%00&hub.challenge=1",
    ]) {
      const response = await ws.operator.get(path);
      expect(response.status, path).toBe(400);
      expect(response.body.errors[0].message, path).toBe("must not contain a NUL character");
    }
    const first = await ws.operator.get("/contacts?limit=2");
    const cursor: string = first.body.nextCursor;
    expect(cursor).toBeTruthy();
    const [data, signature] = cursor.split(".") as [string, string];
    const forged = Buffer.from(
      JSON.stringify(["-createdAt", "2000-01-01T00:00:00Z", "00000000-0000-4000-8000-000000000000"]),
    ).toString("base64url");
    for (const bad of ["garbage", `${data}.AAAA${signature.slice(4)}`, `${forged}.${signature}`, `${data}`, "..."]) {
      const response = await ws.operator.get(`/contacts?limit=2&cursor=${encodeURIComponent(bad)}`);
      expect(response.status, bad).toBe(400);
      expect(response.body.errors[0].field).toBe("cursor");
    }
    const otherSort = await ws.operator.get(`/contacts?limit=2&sort=name&cursor=${encodeURIComponent(cursor)}`);
    expect(otherSort.status).toBe(400);
    const good = await ws.operator.get(`/contacts?limit=2&cursor=${encodeURIComponent(cursor)}`);
    expect(good.status).toBe(200);
  });

  it("never repeats or skips a contact while others are added during the walk", async () => {
    const all = await ws.operator.get("/contacts?limit=200");
    const before: string[] = all.body.items.map((c: { id: string }) => c.id);
    let cursor: string | null = null;
    for (const sort of ["-createdAt", "name", "updatedAt"]) {
      const seen: string[] = [];
      let n = 0;
      cursor = null;
      do {
        const response: { body: { items: { id: string }[]; nextCursor: string | null } } = await ws.operator.get(
          `/contacts?sort=${sort}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        );
        seen.push(...response.body.items.map((c) => c.id));
        cursor = response.body.nextCursor;
        await ws.operator.post("/contacts", { firstName: "Walker", lastName: `${sort} ${n++}` });
      } while (cursor);
      expect(new Set(seen).size, sort).toBe(seen.length);
      for (const id of before) expect(seen, sort).toContain(id);
    }
  });
});
