/**
 * Tenant isolation sweep: every operation of our OpenAPI document, called by every kind
 * of caller of one workspace (anonymous, operator and admin, by token and by session)
 * with the ids of another workspace's contact, token, tag and import. The expected
 * status of each route × role is a table; an operation missing from it fails the test,
 * so a new route has to state who may call it. Afterwards the other workspace is exactly
 * as it was, and no answer carried any of its data.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importFile } from "./imports-helpers.ts";
import { fillPath, type Operation, readOperations } from "./openapi-ops.ts";
import { Client, createWorkspace, databases, startServer, type TestServer, type Workspace } from "./server.ts";

type Role = "anonymous" | "operator" | "admin";
type Caller = "anonymous" | "operatorToken" | "operatorSession" | "adminToken" | "adminSession";
const CALLERS: [Caller, Role][] = [
  ["anonymous", "anonymous"],
  ["operatorToken", "operator"],
  ["operatorSession", "operator"],
  ["adminToken", "admin"],
  ["adminSession", "admin"],
];

/** What each role gets for each operation, given the other workspace's ids. */
const EXPECTED: Record<string, Record<Role, number>> = {
  // Public: a bad password is refused the same way whoever asks.
  "POST /setup": { anonymous: 422, operator: 422, admin: 422 },
  "GET /setup": { anonymous: 200, operator: 200, admin: 200 },
  "POST /auth/login": { anonymous: 401, operator: 401, admin: 401 },
  "GET /me": { anonymous: 401, operator: 200, admin: 200 },
  "GET /workspace": { anonymous: 401, operator: 200, admin: 200 },
  "PATCH /workspace": { anonymous: 401, operator: 403, admin: 200 },
  "POST /tokens": { anonymous: 401, operator: 403, admin: 201 },
  "GET /tokens": { anonymous: 401, operator: 403, admin: 200 },
  "DELETE /tokens/{id}": { anonymous: 401, operator: 403, admin: 404 },
  "POST /users": { anonymous: 401, operator: 403, admin: 201 },
  // Operators see their colleagues (API.md: only adding users is the admins').
  "GET /users": { anonymous: 401, operator: 200, admin: 200 },
  "GET /contacts": { anonymous: 401, operator: 200, admin: 200 },
  "POST /contacts": { anonymous: 401, operator: 201, admin: 201 },
  "GET /contacts/count": { anonymous: 401, operator: 200, admin: 200 },
  "GET /contacts/{id}": { anonymous: 401, operator: 404, admin: 404 },
  "PATCH /contacts/{id}": { anonymous: 401, operator: 404, admin: 404 },
  "DELETE /contacts/{id}": { anonymous: 401, operator: 403, admin: 404 },
  "PUT /contacts/{id}/tags": { anonymous: 401, operator: 404, admin: 404 },
  "POST /contacts/{id}/tags": { anonymous: 401, operator: 404, admin: 404 },
  "DELETE /contacts/{id}/tags/{tag}": { anonymous: 401, operator: 404, admin: 404 },
  "GET /tags": { anonymous: 401, operator: 200, admin: 200 },
  "POST /tags": { anonymous: 401, operator: 403, admin: 201 },
  "DELETE /tags/{name}": { anonymous: 401, operator: 403, admin: 404 },
  "GET /contacts/export": { anonymous: 401, operator: 403, admin: 200 },
  "POST /imports": { anonymous: 401, operator: 403, admin: 202 },
  "GET /imports/template": { anonymous: 401, operator: 200, admin: 200 },
  "GET /imports/{id}": { anonymous: 401, operator: 403, admin: 404 },
  "POST /imports/{id}/start": { anonymous: 401, operator: 403, admin: 404 },
  "GET /imports/{id}/errors": { anonymous: 401, operator: 403, admin: 404 },
  // A new address of ours: a contact of ours is made for it (their identities are never found).
  "POST /contacts/identify": { anonymous: 401, operator: 201, admin: 201 },
  "DELETE /contacts/{id}/identities/{channel}/{address}": { anonymous: 401, operator: 404, admin: 404 },
  "GET /channels": { anonymous: 401, operator: 200, admin: 200 },
  "PUT /channels/email": { anonymous: 401, operator: 403, admin: 200 },
  "PUT /channels/whatsapp": { anonymous: 401, operator: 403, admin: 200 },
  "PUT /channels/sms": { anonymous: 401, operator: 403, admin: 200 },
  // Checked first, while only the other workspace has channels: theirs are not ours to remove.
  "DELETE /channels/{channel}": { anonymous: 401, operator: 403, admin: 404 },
  // The providers sit at a closed local port: the test's call is refused (422 naming the channel).
  "POST /channels/{channel}/test": { anonymous: 401, operator: 403, admin: 422 },
  "GET /channels/whatsapp/templates": { anonymous: 401, operator: 422, admin: 422 },
  "POST /contacts/{id}/conversations": { anonymous: 401, operator: 404, admin: 404 },
  "GET /contacts/{id}/conversations": { anonymous: 401, operator: 404, admin: 404 },
  "GET /conversations/{id}/messages": { anonymous: 401, operator: 404, admin: 404 },
  // Public, for the providers: without their signature (or verify token) nothing is done.
  "GET /channels/whatsapp/webhook": { anonymous: 403, operator: 403, admin: 403 },
  "POST /channels/whatsapp/webhook": { anonymous: 401, operator: 401, admin: 401 },
  "POST /channels/sms/status": { anonymous: 401, operator: 401, admin: 401 },
  // Checked last: it ends the session that calls it (a token has none to end: 204 too).
  "POST /auth/logout": { anonymous: 401, operator: 204, admin: 204 },
};

/** A port nothing listens on: every provider call of the sweep is refused at once. */
const CLOSED_PORT = 9;
const SECRET_KEY = randomBytes(32).toString("base64");
/** The other workspace's channel secrets, which no answer may carry. */
const THEIR_SECRETS = {
  smtpPassword: "their-smtp-password",
  accessToken: "their-access-token",
  appSecret: "their-app-secret",
  authToken: "their-auth-token",
};

let unique = 0;
/** A body each operation accepts from a caller allowed to make it. */
function bodyFor(key: string): unknown {
  const n = ++unique;
  switch (key) {
    case "POST /setup":
      return { workspaceName: "Sweep", name: "Sam", email: `sam${n}@sweep.example`, password: "short" };
    case "POST /auth/login":
      return { email: "secret-admin@theirs.example", password: "not their password" };
    case "PATCH /workspace":
      return { name: "Ours" };
    case "POST /tokens":
      return { name: `sweep ${n}`, role: "operator" };
    case "POST /users":
      return {
        name: `User ${n}`,
        email: `user${n}@ours.example`,
        password: "a long enough password",
        role: "operator",
      };
    case "POST /contacts":
      return { firstName: `Sweep ${n}` };
    case "PATCH /contacts/{id}":
      return { firstName: "Hacked" };
    case "PUT /contacts/{id}/tags":
    case "POST /contacts/{id}/tags":
      return { tags: ["Hacked"] };
    case "POST /tags":
      return { name: `Sweep ${n}` };
    case "POST /imports/{id}/start":
      return { onDuplicate: "update" };
    case "POST /contacts/identify":
      return { channel: "webchat", address: `sweep-visitor-${n}`, profile: { firstName: `Visitor ${n}` } };
    case "PUT /channels/email":
      return { smtpUrl: `smtp://ours:password-${n}@127.0.0.1:${CLOSED_PORT}`, from: "Ours <ours@ours.example>" };
    case "PUT /channels/whatsapp":
      return {
        apiBaseUrl: `http://127.0.0.1:${CLOSED_PORT}`,
        phoneNumberId: `ours-${n}`,
        businessAccountId: "ours-waba",
        accessToken: `ours-access-${n}`,
        appSecret: `ours-app-secret-${n}`,
        verifyToken: `ours-verify-${n}`,
      };
    case "PUT /channels/sms":
      return {
        apiBaseUrl: `http://127.0.0.1:${CLOSED_PORT}`,
        accountSid: `AC${"2".repeat(32)}`,
        authToken: `ours-auth-${n}`,
        from: "+31612345678",
      };
    case "POST /channels/{channel}/test":
      return { to: "+31612345679" };
    case "POST /contacts/{id}/conversations":
      return { channel: "sms", text: "Hello" };
    default:
      return undefined;
  }
}

const QUERIES: Record<string, (theirs: Ids) => string> = {
  "GET /contacts": () => "?q=secret",
  "GET /contacts/count": () => "?q=secret",
  "GET /contacts/export": (t) => `?format=csv-comma&ids=${t.contact}`,
  "GET /imports/template": () => "?format=csv-comma",
};

interface Ids {
  contact: string;
  token: string;
  tag: string;
  import: string;
}

/** Which of the other workspace's ids goes into each path parameter. */
function pathValues(op: Operation, theirs: Ids): Record<string, string> {
  const resource = op.apiPath.split("/")[1];
  const id = resource === "tokens" ? theirs.token : resource === "imports" ? theirs.import : theirs.contact;
  return {
    id,
    tag: theirs.tag,
    name: theirs.tag,
    // Their contact's own e-mail address, and the channel the test call is made on.
    channel: op.apiPath.startsWith("/contacts/") ? "email" : "sms",
    address: "secret@theirs.example",
  };
}

/** A multipart upload, as a browser (session with our Origin) or an integration (token) sends it. */
async function uploadCsv(client: Client, csv: string): Promise<{ status: number; text: string }> {
  const form = new FormData();
  form.append("file", new Blob([csv], { type: "text/csv" }), "contacts.csv");
  const headers: Record<string, string> = {};
  if (client.auth.token) headers.authorization = `Bearer ${client.auth.token}`;
  if (client.auth.cookie) {
    headers.cookie = client.auth.cookie;
    headers.origin = client.server.origin;
  }
  const response = await fetch(`${client.server.url}/imports`, { method: "POST", headers, body: form });
  return { status: response.status, text: await response.text() };
}

describe.each(databases())("tenant isolation sweep on %s", (kind) => {
  let server: TestServer;
  let ours: Workspace;
  let theirs: Workspace;
  let theirIds: Ids;
  let operations: Operation[];
  const clients = {} as Record<Caller, Client>;
  let operatorLogin: { email: string; password: string };

  async function signIn(email: string, password: string): Promise<Client> {
    const login = await new Client(server).post("/auth/login", { email, password });
    if (login.status !== 200) throw new Error(`sign-in failed: ${login.status} ${login.text}`);
    return new Client(server, { cookie: (login.headers.get("set-cookie") ?? "").split(";")[0] as string });
  }

  beforeAll(async () => {
    server = await startServer(kind, {
      API_RATE_LIMIT: "100000",
      LOGIN_RATE_LIMIT: "100000",
      SECRET_KEY,
      CHANNELS_ALLOW_PRIVATE: "1",
    });
    ours = await createWorkspace(server, "Ours");
    theirs = await createWorkspace(server, "Theirs");
    const contact = await theirs.operator.post("/contacts", {
      firstName: "Secret",
      lastName: "Theirs",
      email: "secret@theirs.example",
      phone: "+31687654321",
      externalId: "their-1",
      tags: ["Confidential"],
    });
    const token = (await theirs.admin.get("/tokens")).body[0].id as string;
    const uploaded = await uploadCsv(theirs.admin, "First name,Email\r\nSecret,secret2@theirs.example\r\n");
    const importId = uploaded.status === 202 ? (JSON.parse(uploaded.text) as { id: string }).id : crypto.randomUUID();
    theirIds = { contact: contact.body.id, token, tag: "Confidential", import: importId };
    const theirChannels: [string, unknown][] = [
      [
        "email",
        { smtpUrl: `smtp://theirs:${THEIR_SECRETS.smtpPassword}@127.0.0.1:${CLOSED_PORT}`, from: "t@theirs.example" },
      ],
      [
        "whatsapp",
        {
          apiBaseUrl: `http://127.0.0.1:${CLOSED_PORT}`,
          phoneNumberId: "their-number",
          businessAccountId: "their-waba",
          accessToken: THEIR_SECRETS.accessToken,
          appSecret: THEIR_SECRETS.appSecret,
          verifyToken: "their-verify-token",
        },
      ],
      [
        "sms",
        {
          apiBaseUrl: `http://127.0.0.1:${CLOSED_PORT}`,
          accountSid: `AC${"1".repeat(32)}`,
          authToken: THEIR_SECRETS.authToken,
          from: "+31687654300",
        },
      ],
    ];
    for (const [channel, body] of theirChannels) {
      const put = await theirs.admin.put(`/channels/${channel}`, body);
      if (put.status !== 200) throw new Error(`could not configure their ${channel}: ${put.text}`);
    }

    operatorLogin = { email: `operator@${ours.slug}.example`, password: "operator's long password" };
    const added = await ours.admin.post("/users", { name: "Otto", role: "operator", ...operatorLogin });
    if (added.status !== 201) throw new Error(`could not add the operator: ${added.text}`);
    clients.anonymous = new Client(server);
    clients.operatorToken = ours.operator;
    clients.adminToken = ours.admin;
    clients.operatorSession = await signIn(operatorLogin.email, operatorLogin.password);
    clients.adminSession = await signIn(ours.adminEmail, ours.password);
    ({ operations } = await readOperations(server));
  });
  afterAll(() => server?.close());

  /** Everything of the other workspace that a call could have changed. */
  async function theirState(): Promise<unknown> {
    const tables = [
      "contacts",
      "contact_identities",
      "tags",
      "api_tokens",
      "users",
      "sessions",
      "audit_events",
      "channels",
      "conversations",
      "messages",
    ];
    const counts = await Promise.all(
      tables.map(async (table) => {
        const [row] = await server.db.query<{ n: number }>(
          `select count(*)::int as n from ${table} where workspace_id = $1`,
          [theirs.id],
        );
        return [table, row?.n];
      }),
    );
    const contacts = await server.db.query(
      "select id, first_name, email, version, updated_at, tag_ids from contacts where workspace_id = $1 order by id",
      [theirs.id],
    );
    const [workspace] = await server.db.query("select name, default_country, languages from workspaces where id = $1", [
      theirs.id,
    ]);
    return { counts: Object.fromEntries(counts), contacts, workspace };
  }

  it("answers each route × role as the table says, with the other workspace's ids, and leaks nothing", async () => {
    const missing = operations.filter((op) => !EXPECTED[op.key]).map((op) => op.key);
    expect(missing, "operations the sweep table does not cover: add who may call them").toEqual([]);

    const before = await theirState();
    const secrets = [
      theirIds.contact,
      theirIds.token,
      "secret@theirs.example",
      "31687654321",
      "their-1",
      ...Object.values(THEIR_SECRETS),
    ];
    // Removing a channel first, while only theirs exist; ending the session last.
    const rank = (op: Operation) =>
      op.key === "DELETE /channels/{channel}" ? -1 : op.key === "POST /auth/logout" ? 1 : 0;
    const ordered = [...operations].sort((a, b) => rank(a) - rank(b));
    const mismatches: string[] = [];
    let checked = 0;
    for (const op of ordered) {
      for (const [caller, role] of CALLERS) {
        const client = clients[caller];
        const expected = EXPECTED[op.key]?.[role] as number;
        const path = fillPath(op.apiPath, pathValues(op, theirIds)) + (QUERIES[op.key]?.(theirIds) ?? "");
        let response: { status: number; text: string };
        if (op.key === "POST /imports") {
          response = await uploadCsv(client, `ID,First name\r\n${theirIds.contact},Hijack\r\n`);
        } else {
          response = await client.request(op.method, path, bodyFor(op.key));
        }
        checked++;
        if (response.status !== expected) {
          mismatches.push(
            `${op.key} as ${caller}: ${response.status} (expected ${expected}) ${response.text.slice(0, 160)}`,
          );
        }
        for (const secret of secrets) {
          // An upload's answer may already hold the file's preview, which shows the cells
          // the caller sent (their contact's id among them); anything else of theirs is a leak.
          if (op.key === "POST /imports" && secret === theirIds.contact) continue;
          if (response.text.includes(secret)) mismatches.push(`${op.key} as ${caller} leaked "${secret}"`);
        }
      }
    }
    console.log(`sweep on ${kind}: ${operations.length} routes × ${CALLERS.length} callers = ${checked} calls checked`);
    expect(mismatches).toEqual([]);
    expect(await theirState()).toEqual(before);
    // The other workspace's contact is still theirs alone, unchanged.
    const read = await theirs.operator.get(`/contacts/${theirIds.contact}`);
    expect(read.body).toMatchObject({ firstName: "Secret", tags: ["Confidential"], version: 1 });
  });

  it("imports a file naming the other workspace's contact ids, emails and phones into ours only", async () => {
    const before = await theirState();
    const file = [
      "ID,First name,Email,Phone,External ID",
      `${theirIds.contact},Hijack,secret@theirs.example,+31687654321,their-1`,
      `${theirIds.contact.toUpperCase()},Hijack 2,,,`,
    ].join("\r\n");
    const result = await importFile(ours.admin, "theirs.csv", `${file}\r\n`, { onDuplicate: "update" });
    expect(result.status, JSON.stringify(result)).toBe("finished");
    expect(await theirState()).toEqual(before);
    const read = await theirs.operator.get(`/contacts/${theirIds.contact}`);
    expect(read.body).toMatchObject({ firstName: "Secret", version: 1 });
    // In our workspace the rows are ordinary new contacts (or our own, matched by email/phone/external id).
    const mine = await ours.admin.get("/contacts?q=hijack");
    expect(mine.body.items.length).toBeGreaterThan(0);
    for (const contact of mine.body.items) expect(contact.id).not.toBe(theirIds.contact);
  });
});
