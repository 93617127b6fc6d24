/**
 * Property-based fuzzing of every operation in our own OpenAPI document: random and
 * adversarial bodies, query strings, headers and paths, under each kind of caller.
 * Invariants: no 5xx; every 4xx is problem+json without a stack trace or SQL; a refused
 * write leaves the workspace exactly as it was.
 *
 * Replay a failure with the seed it prints: FUZZ_SEED=<seed> npx vitest run test/fuzz.test.ts
 * FUZZ_RUNS sets the number of cases per database (default 1000).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillPath, type Operation, readOperations, resolve, type Schema } from "./openapi-ops.ts";
import { Client, createWorkspace, databases, startServer, type TestServer, type Workspace } from "./server.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_125);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
/** A body nested 100,000 deep parses (V8's JSON.parse is not recursive) into a list, not a contact. */
const DEEP_STATUS = 422;

/** Strings that have broken parsers, validators, SQL builders and loggers before. */
const NASTY = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff\ud800",
  "\u202e\u0041",
  "\ufeff",
  "'",
  "''; drop table contacts; --",
  "' or '1'='1",
  "%",
  "%%",
  "_",
  "\\",
  "\\x00",
  "$1",
  "$\u007bjndi:ldap://x}",
  "<script>alert(1)</script>",
  "../../../../etc/passwd",
  "=cmd|' /C calc'!A0",
  "null",
  "undefined",
  "NaN",
  "-0",
  "1e400",
  "9".repeat(400),
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  "Zoë 🧑🏽‍💻",
  "a".repeat(65),
  "a".repeat(256),
  "x".repeat(5000),
  "__proto__",
  "constructor",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "-createdAt",
  "+31612345678",
  "0612345678",
  "test@example.com",
  "Europe/Amsterdam",
  "nl-NL",
];

const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.emailAddress() },
  { weight: 1, arbitrary: fc.uuid() },
);

const nastyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      null,
      true,
      false,
      0,
      -1,
      1.5,
      2 ** 31,
      2 ** 53 + 1,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      [],
      {},
      [null],
      { __proto__: { admin: true } },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** Values a field of this name takes in real use, so that many cases get past validation. */
const PLAUSIBLE: Record<string, fc.Arbitrary<string>> = {
  email: fc.emailAddress(),
  phone: fc.integer({ min: 10_000_000, max: 99_999_999 }).map((n) => `+316${n}`),
  language: fc.constantFrom("en", "nl-NL", "de", "fr-BE", "en-us"),
  timezone: fc.constantFrom("Europe/Amsterdam", "UTC", "America/New_York"),
  lastSeenAt: fc
    .date({ min: new Date(2000, 0, 1), max: new Date(2030, 0, 1), noInvalidDate: true })
    .map((d) => d.toISOString()),
  defaultCountry: fc.constantFrom("NL", "be", "DE"),
  password: fc.string({ minLength: 12, maxLength: 40 }),
  role: fc.constantFrom("admin", "operator"),
  format: fc.constantFrom("csv-semicolon", "csv-comma", "xlsx"),
  phoneCountry: fc.constantFrom("NL", "be", "US"),
  firstName: fc.constantFrom("Zoë", "Ann", "Jan-Willem", "O'Brien", "李"),
  lastName: fc.constantFrom("de Vries", "Müller", "Ñúñez", "van der Berg"),
  "tags[]": fc.constantFrom("Sales", "Support", "Billing", "VIP", "sales"),
};

/** A value the schema accepts, most of the time; a nasty one sometimes. */
function fromSchema(doc: Schema, raw: Schema, depth = 0, name = ""): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s: Schema) => fromSchema(doc, s, depth, name)));
  const plausible = PLAUSIBLE[name];
  if (plausible && schema.type === "string") return fc.oneof({ weight: 7, arbitrary: plausible }, nastyString);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  switch (schema.type) {
    case "string":
      if (schema.format === "uuid") return fc.uuid();
      if (schema.format === "email") return fc.emailAddress();
      return fc.oneof(
        { weight: 7, arbitrary: fc.string({ minLength: schema.minLength ?? 0, maxLength: schema.maxLength ?? 30 }) },
        { weight: 1, arbitrary: nastyString },
      );
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case "number":
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      if (depth > 3) return fc.constant([]);
      return fc.array(fromSchema(doc, schema.items ?? {}, depth + 1, `${name}[]`), {
        maxLength: Math.min(schema.maxItems ?? 5, 5),
      });
    case "object": {
      if (depth > 3) return fc.constant({});
      const properties = Object.entries<Schema>(schema.properties ?? {});
      const required = new Set<string>(schema.required ?? []);
      const shape = Object.fromEntries(properties.map(([key, s]) => [key, fromSchema(doc, s, depth + 1, key)]));
      return fc.record(shape, { requiredKeys: [...required].filter((k) => k in shape) });
    }
    default:
      return nastyJson;
  }
}

/** Breaks a valid body in one of the ways clients do. */
const mutation = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: "none" as const }) },
  fc.record({ kind: fc.constant("set" as const), value: nastyJson, pick: fc.nat() }),
  fc.record({ kind: fc.constant("drop" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("extra" as const), name: nastyString, value: nastyJson }),
);

type Mutation =
  | { kind: "none" }
  | { kind: "set"; value: unknown; pick: number }
  | { kind: "drop"; pick: number }
  | { kind: "extra"; name: string; value: unknown };

function mutate(body: unknown, m: Mutation): unknown {
  if (m.kind === "none" || typeof body !== "object" || body === null || Array.isArray(body)) return body;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (m.kind === "extra") copy[m.name || "x"] = m.value;
  else if (keys.length && m.kind === "set") copy[keys[m.pick % keys.length] as string] = m.value;
  else if (keys.length && m.kind === "drop") delete copy[keys[m.pick % keys.length] as string];
  return copy;
}

/** Bodies that are not what the operation expects at all. */
const RAW_BODIES = [
  "",
  "{",
  "{}}",
  '{"a":',
  "null",
  "[]",
  '"text"',
  "123",
  "NaN",
  '{"firstName": 1e400}',
  '{"__proto__": {"role": "admin"}, "firstName": "Proto"}',
  '{"constructor": {"prototype": {"x": 1}}}',
  `${"[".repeat(5000)}${"]".repeat(5000)}`,
  `{"a": "${"\\u0000".repeat(10)}"}`,
  "\u0000\u0001\u0002",
  "\uffff\ufffe",
];

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=latin1",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "multipart/form-data",
  "application/xml",
  "application/problem+json",
  "",
];

const RAW_SEGMENTS = ["%", "%zz", "%E0%A4%A", "%00", "..", "%2e%2e%2f", "%C0%AE", "a%2Fb", "%F0%9F%98", "%ff"];

type Caller = "admin" | "operator" | "session" | "sessionNoOrigin" | "anonymous" | "forged";
const CALLERS: Caller[] = ["admin", "operator", "session", "sessionNoOrigin", "anonymous", "forged"];

interface Case {
  caller: Caller;
  op: number;
  pathValues: Record<string, { pick: number; nasty: string; raw: string; kind: number }>;
  query: { params: Record<string, unknown>; extra: [string, string][]; raw: string | null };
  headers: { ifMatch: string | null; contentType: string | null; accept: string | null; requestId: string | null };
  body: { kind: "schema" | "raw" | "json" | "none" | "multipart"; value: unknown; mutation: Mutation; raw: string };
}

const headerSafe = (value: string) => value.replace(/[^\x20-\x7e]/g, "?");

describe.each(databases())("fuzzing the API on %s", (kind) => {
  let server: TestServer;
  let ws: Workspace;
  let operations: Operation[];
  let doc: Schema;
  const ids: Record<string, string[]> = {};
  const clients: Record<Caller, Client> = {} as never;
  beforeAll(async () => {
    server = await startServer(kind, { API_RATE_LIMIT: "1000000", LOGIN_RATE_LIMIT: "1000000" });
    ws = await createWorkspace(server, "Fuzz");
    ({ doc, operations } = await readOperations(server));
    const contacts = await Promise.all(
      ["Ann", "Bob", "Cas"].map((firstName, i) =>
        ws.operator.post("/contacts", { firstName, email: `${firstName}@fuzz.example`, tags: [`T${i}`] }),
      ),
    );
    const spare = await ws.adminSession.post("/tokens", { name: "spare", role: "operator" });
    ids.id = [...contacts.map((c) => c.body.id as string), spare.body.id as string];
    ids.tag = ["T0", "T1", "T2", "Nope"];
    ids.name = ids.tag;
    clients.admin = ws.admin;
    clients.operator = ws.operator;
    clients.session = ws.adminSession;
    clients.sessionNoOrigin = ws.adminSession;
    clients.anonymous = new Client(server);
    clients.forged = new Client(server, { token: "ctk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAA" });
  });
  afterAll(() => server?.close());

  /** What a refused write must not change: the workspace's rows, counted and versioned. */
  async function snapshot(): Promise<string> {
    const [row] = await server.db.query(
      `select (select count(*) from contacts where workspace_id = $1)::int as contacts,
              (select coalesce(sum(version), 0) from contacts where workspace_id = $1)::int as versions,
              (select coalesce(sum(cardinality(tag_ids)), 0) from contacts where workspace_id = $1)::int as contact_tags,
              (select count(*) from tags where workspace_id = $1)::int as tags,
              (select count(*) from users where workspace_id = $1)::int as users,
              (select count(*) from api_tokens where workspace_id = $1)::int as tokens,
              (select name || default_country || array_to_string(languages, ',') from workspaces where id = $1) as settings`,
      [ws.id],
    );
    return JSON.stringify(row);
  }

  function caseArbitrary(): fc.Arbitrary<Case> {
    return fc.nat({ max: operations.length }).chain((op) => {
      const operation = operations[op];
      const pathNames = operation ? [...operation.apiPath.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string) : [];
      const queryParams = operation?.parameters.filter((p) => p.in === "query") ?? [];
      const bodySchema = operation?.body?.schema ?? { type: "object" };
      return fc.record({
        caller: fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom<Caller>("admin", "operator", "session") },
          { weight: 1, arbitrary: fc.constantFrom(...CALLERS) },
        ),
        op: fc.constant(op),
        pathValues: fc.record(
          Object.fromEntries(
            pathNames.map((name) => [
              name,
              fc.record({
                pick: fc.nat(),
                nasty: nastyString,
                raw: fc.constantFrom(...RAW_SEGMENTS),
                kind: fc.nat({ max: 3 }),
              }),
            ]),
          ),
        ) as fc.Arbitrary<Case["pathValues"]>,
        query: fc.record({
          params: fc.record(
            Object.fromEntries(
              queryParams.map((p) => [p.name, fc.oneof(fromSchema(doc, p.schema), nastyString, fc.array(nastyString))]),
            ),
            { requiredKeys: [] },
          ) as fc.Arbitrary<Record<string, unknown>>,
          extra: fc.array(fc.tuple(nastyString, nastyString), { maxLength: 2 }),
          raw: fc.option(fc.constantFrom(...RAW_SEGMENTS.map((s) => `q=${s}`), "limit=1&limit=2", "sort[]=x", "=&&=")),
        }),
        headers: fc.record({
          ifMatch: fc.option(
            fc.oneof(fc.constantFrom('"1"', '"2"', "*", 'W/"1"', '"-1"', '"99999999999"', '"x"'), nastyString),
          ),
          contentType: fc.oneof(
            { weight: 3, arbitrary: fc.constant(null) },
            { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
          ),
          accept: fc.option(fc.constantFrom("text/csv", "*/*", "application/xml", "x")),
          requestId: fc.option(nastyString),
        }),
        body: fc.record({
          kind: fc.constantFrom("schema", "schema", "schema", "schema", "schema", "raw", "json", "none", "multipart"),
          value: fromSchema(doc, bodySchema),
          mutation,
          raw: fc.oneof(fc.constantFrom(...RAW_BODIES), fc.string({ unit: "binary", maxLength: 200 })),
        }) as fc.Arbitrary<Case["body"]>,
      });
    });
  }

  function buildRequest(c: Case): {
    method: string;
    path: string;
    body?: string | Uint8Array;
    headers: Record<string, string>;
  } {
    const operation = operations[c.op];
    const headers: Record<string, string> = {};
    if (c.headers.ifMatch !== null) headers["if-match"] = headerSafe(c.headers.ifMatch);
    if (c.headers.accept !== null) headers.accept = c.headers.accept;
    if (c.headers.requestId !== null) headers["x-request-id"] = headerSafe(c.headers.requestId);
    if (!operation) {
      // A path that is in no document: still a problem+json 404 or 405, never a 500.
      const segment = c.pathValues.x?.raw ?? RAW_SEGMENTS[c.op % RAW_SEGMENTS.length];
      return {
        method: ["GET", "POST", "PATCH", "DELETE", "PUT"][c.op % 5] as string,
        path: `/${segment}/nope`,
        headers,
      };
    }
    const values: Record<string, string> = {};
    let raw = false;
    for (const [name, v] of Object.entries(c.pathValues)) {
      const pool = ids[name] ?? ["x"];
      if (v.kind === 0) values[name] = pool[v.pick % pool.length] as string;
      else if (v.kind === 1) values[name] = v.nasty;
      else if (v.kind === 2) {
        values[name] = v.raw;
        raw = true;
      } else values[name] = "00000000-0000-4000-8000-000000000000";
    }
    let path = fillPath(operation.apiPath, values, raw);
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(c.query.params)) {
      for (const one of Array.isArray(value) ? value : [value]) {
        search.append(name, typeof one === "string" ? one : JSON.stringify(one));
      }
    }
    for (const [name, value] of c.query.extra) search.append(name, value);
    const query = [search.toString(), c.query.raw].filter(Boolean).join("&");
    if (query) path += `?${query}`;

    let body: string | Uint8Array | undefined;
    if (c.body.kind === "schema") body = JSON.stringify(mutate(c.body.value, c.body.mutation));
    else if (c.body.kind === "json") body = JSON.stringify(c.body.raw);
    else if (c.body.kind === "raw") body = c.body.raw;
    else if (c.body.kind === "multipart") {
      const boundary = "fuzzboundary";
      headers["content-type"] = `multipart/form-data; boundary=${boundary}`;
      body = new TextEncoder().encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${headerSafe(c.body.raw.slice(0, 20))}.csv"\r\n` +
          `Content-Type: text/csv\r\n\r\nFirst name;Email\r\n${c.body.raw}\r\n--${boundary}--\r\n`,
      );
    }
    if (body !== undefined && c.body.kind !== "multipart") {
      // A client that sets nothing sends JSON as JSON; the random content types are the adversarial cases.
      headers["content-type"] = c.headers.contentType ?? "application/json";
    }
    // fetch sends no body with a GET.
    if (operation.method === "GET") body = undefined;
    return { method: operation.method, path, body, headers };
  }

  /** Contacts written and read back by the fuzzer. */
  let roundTrips = 0;

  /** The keys of the JSON object a request sent. */
  function sentKeys(request: { body?: string | Uint8Array }): string[] {
    if (typeof request.body !== "string") return [];
    try {
      const parsed = JSON.parse(request.body);
      return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? Object.keys(parsed) : [];
    } catch {
      return [];
    }
  }

  /**
   * A contact the API accepted is stored as it answered: read back, it is the same record,
   * and the text fields sent hold their normalised (trimmed, empty as null) value.
   */
  async function expectRoundTrip(
    c: Case,
    request: { method: string; body?: string | Uint8Array },
    status: number,
    text: string,
    what: string,
  ) {
    const key = operations[c.op]?.key;
    if (key !== "POST /contacts" && key !== "PATCH /contacts/{id}") return;
    expect(status, what).toBe(key === "POST /contacts" ? 201 : 200);
    roundTrips++;
    const answered = JSON.parse(text);
    const stored = await ws.admin.get(`/contacts/${answered.id}`);
    expect(stored.status, what).toBe(200);
    expect(stored.body, what).toEqual(answered);
    const sent = typeof request.body === "string" ? JSON.parse(request.body) : {};
    for (const field of ["firstName", "lastName", "externalId", "email"]) {
      if (typeof sent[field] === "string") expect(answered[field], what).toBe(sent[field].trim() || null);
      else if (sent[field] === null) expect(answered[field], what).toBeNull();
    }
  }

  it(`answers ${RUNS} random and adversarial requests with no 5xx, problem+json 4xx and no partial writes`, async () => {
    console.log(`fuzz on ${kind}: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} over ${operations.length} operations`);
    const statuses: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(caseArbitrary(), async (c) => {
        const request = buildRequest(c);
        const client = clients[c.caller];
        if (c.caller === "sessionNoOrigin") request.headers.origin = "https://evil.example";
        const before = await snapshot();
        const headers: Record<string, string> = { ...request.headers };
        if (client.auth.token) headers.authorization = `Bearer ${client.auth.token}`;
        if (client.auth.cookie) {
          headers.cookie = client.auth.cookie;
          headers.origin ??= server.origin;
        }
        const response = await fetch(`${server.url}${request.path}`, {
          method: request.method,
          headers,
          body: request.body as BodyInit | undefined,
        });
        const text = await response.text();
        const what = `${request.method} ${request.path} as ${c.caller} → ${response.status}: ${text.slice(0, 300)}`;
        statuses[String(response.status)] = (statuses[String(response.status)] ?? 0) + 1;
        expect(response.status, what).toBeLessThan(500);
        if (response.status >= 400) {
          expect(response.headers.get("content-type"), what).toContain("application/problem+json");
          const problem = JSON.parse(text);
          expect(problem.status, what).toBe(response.status);
          expect(typeof problem.detail, what).toBe("string");
          expect(text, what).not.toMatch(
            /\n\s+at |node_modules|\bselect\b.*\bfrom\b|syntax error at|violates .* constraint/i,
          );
          if (request.method !== "GET") expect(await snapshot(), `partial write: ${what}`).toBe(before);
          // A path value of `.` or `..` leads the URL to another operation than the one drawn.
          const sameOperation = !/\/\.\.?(\/|\?|$)/.test(request.path);
          if (response.status === 422 && sameOperation && operations[c.op]?.body && typeof request.body === "string") {
            // A refused body names what is wrong with it: fields it sent or fields the operation knows.
            const operation = operations[c.op];
            const body = operation?.body ? resolve(doc, operation.body.schema) : {};
            // `body` names the body as a whole (one that is not an object, or not read as JSON).
            const known = new Set([
              "body",
              ...Object.keys(body.properties ?? {}),
              ...(operation?.parameters.map((p) => p.name) ?? []),
              ...[...(operation?.apiPath.matchAll(/\{(\w+)\}/g) ?? [])].map((m) => m[1] as string),
              ...sentKeys(request),
            ]);
            expect(Array.isArray(problem.errors) && problem.errors.length > 0, what).toBe(true);
            for (const error of problem.errors) {
              expect(typeof error.message, what).toBe("string");
              const field = String(error.field);
              const named = [...known]
                // As the problem writes a name: a numeric key as an index, `/` and `~` escaped as in a JSON pointer.
                .flatMap((k) => [k, `[${k}]`, k.replaceAll("~", "~0").replaceAll("/", "~1")])
                .some((k) => field === k || field.startsWith(`${k}.`) || field.startsWith(`${k}[`));
              expect(named, `${field} is no field of the request: ${what}`).toBe(true);
            }
          }
        } else {
          await expectRoundTrip(c, request, response.status, text, what);
        }
        // A sign-out by the fuzzer ends the shared session: sign in again for the next cases.
        if (operations[c.op]?.key === "POST /auth/logout" && response.status === 204) {
          const login = await clients.anonymous.post("/auth/login", { email: ws.adminEmail, password: ws.password });
          const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
          clients.session = new Client(server, { cookie });
          clients.sessionNoOrigin = clients.session;
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    console.log(`fuzz on ${kind}: ${RUNS} cases, statuses ${JSON.stringify(statuses)}`);
    // The cases reached the handlers, not only the validators.
    expect(statuses["200"] ?? 0).toBeGreaterThan(0);
    expect(statuses["201"] ?? 0).toBeGreaterThan(0);
    expect(statuses["204"] ?? 0).toBeGreaterThan(0);
    expect(roundTrips).toBeGreaterThan(0);
  }, 300_000);

  it("answers a URL the router cannot decode with a problem+json 400", async () => {
    for (const path of ["/%ff", "/contacts/%E0%A4%A", "/%"]) {
      const response = await fetch(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${ws.admin.auth.token}` },
      });
      expect(response.status, path).toBe(400);
      expect(response.headers.get("content-type"), path).toContain("application/problem+json");
      expect((await response.json()).status).toBe(400);
    }
  });

  it("answers an upload whose body is not multipart/form-data with a problem+json 400", async () => {
    if (!operations.some((op) => op.key === "POST /imports")) return;
    for (const body of [
      '{"file":"abc"}',
      '--x\r\nContent-Disposition: form-data; name="file"',
      "--x\r\nBad header\r\n\r\n",
    ]) {
      const response = await fetch(`${server.url}/imports`, {
        method: "POST",
        headers: { authorization: `Bearer ${ws.admin.auth.token}`, "content-type": "multipart/form-data; boundary=x" },
        body,
      });
      expect(response.status, body).toBe(400);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("answers a body over the limit, or nested 100,000 deep, with a problem+json 4xx", async () => {
    const big = JSON.stringify({ firstName: "x".repeat(2 * 1024 * 1024) });
    const response = await ws.admin.post("/contacts", big);
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    const before = await snapshot();
    const deep = await ws.admin.post("/contacts", `${"[".repeat(100_000)}${"]".repeat(100_000)}`);
    expect(deep.status).toBe(DEEP_STATUS);
    expect(deep.headers.get("content-type")).toContain("application/problem+json");
    expect(deep.body).toMatchObject({ status: DEEP_STATUS });
    expect(await snapshot()).toBe(before);
  });
});
