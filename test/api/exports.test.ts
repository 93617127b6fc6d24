import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Contact } from "../../src/contacts/store.ts";
import { type Client, createWorkspace, databases, startServer, type TestServer, type Workspace } from "../server.ts";

const HEADERS = [
  "ID",
  "First name",
  "Last name",
  "Email",
  "Phone",
  "Language",
  "Timezone",
  "External ID",
  "Tags",
  "Created at",
  "Updated at",
  "Last seen at",
  "Identities",
];
const DATE_COLUMNS = new Set([9, 10, 11]);
const PHONE_COLUMN = 4;

/** Contacts that break careless writers: delimiters, quotes, scripts, emoji, formulas, phones of many countries. */
const NASTY = [
  {
    firstName: "Zoë",
    lastName: "de Vries; Jansen",
    email: "zoe@example.nl",
    phone: "+31612345678",
    language: "nl-NL",
    timezone: "Europe/Amsterdam",
    externalId: "crm-00042",
    tags: ["Billing", "Sales"],
  },
  { firstName: 'Łukasz "Luke"', lastName: "Kowalski, Jr.", phone: "+48 512 345 678", language: "pl", tags: ["Sales"] },
  { firstName: "山田", lastName: "太郎", phone: "+81 90-1234-5678", language: "ja-JP", timezone: "Asia/Tokyo" },
  { firstName: "😀 Emoji", lastName: "👩‍👩‍👧 family", email: "=cmd@example.com", tags: ["=Evil", "Zoë's, list"] },
  { firstName: "=SUM(A1:A2)", lastName: "+Plus", email: "+plus@example.com", externalId: "-42" },
  {
    firstName: "@mention",
    lastName: "-minus",
    email: "-minus@example.com",
    externalId: "@ext",
    phone: "+1 202 456 1111",
  },
  { firstName: "مريم", lastName: "שלום עברית", phone: "+971 50 123 4567", language: "ar", timezone: "Asia/Dubai" },
  {
    firstName: "Ada",
    lastName: "Lovelace",
    phone: "+44 20 7946 0958",
    email: "ada@example.co.uk",
    lastSeenAt: "2026-01-02T03:04:05.678Z",
  },
  { externalId: "only-an-external-id" },
];

/** The export's cells of a contact as the API shows it, before any spreadsheet protection. */
const cellsOf = (c: Contact): (string | null)[] => [
  c.id,
  c.firstName,
  c.lastName,
  c.email,
  c.phone,
  c.language,
  c.timezone,
  c.externalId,
  c.tags.length ? c.tags.join(", ") : null,
  c.createdAt,
  c.updatedAt,
  c.lastSeenAt,
  c.identities.length ? c.identities.map((i) => `${i.channel}:${i.address}`).join(", ") : null,
];

/** What the CSV must hold: formula-like text gets a `'`, an E.164 phone does not. */
function csvCellsOf(c: Contact): string[] {
  return cellsOf(c).map((value, i) => {
    if (value === null) return "";
    if (i === PHONE_COLUMN && /^\+[1-9]\d{6,14}$/.test(value)) return value;
    return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  });
}

async function download(client: Client, query: string) {
  const { token, cookie } = client.auth;
  const response = await fetch(`${client.server.url}/contacts/export?${query}`, {
    headers: token ? { authorization: `Bearer ${token}` } : { cookie: cookie as string },
  });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

function parseCsv(body: Buffer, delimiter: ";" | ","): string[][] {
  return parse(body, { bom: true, delimiter, record_delimiter: "\r\n", relax_column_count: false });
}

async function readXlsx(body: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as never);
  return workbook;
}

/**
 * exceljs leaves the `_xHHHH_` escape of OOXML strings (ECMA-376 ST_Xstring) undone in
 * inline strings; Excel and LibreOffice undo it, so the comparison does too.
 */
const unescapeXstring = (value: string) =>
  value.replace(/_x([0-9A-F]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

async function listAll(client: Client, query = ""): Promise<Contact[]> {
  const all: Contact[] = [];
  let cursor: string | null = "";
  while (cursor !== null) {
    const page: { status: number; text: string; body: any } = await client.get(
      `/contacts?limit=200${query ? `&${query}` : ""}${cursor ? `&cursor=${cursor}` : ""}`,
    );
    if (page.status !== 200) throw new Error(`list failed: ${page.status} ${page.text}`);
    all.push(...page.body.items);
    cursor = page.body.nextCursor;
  }
  return all;
}

async function lastExportEvent(server: TestServer, workspaceId: string) {
  const [row] = await server.db.query<{ actor_type: string; details: any; created_at: string }>(
    `select actor_type, details, created_at from audit_events
     where workspace_id = $1 and action = 'contacts.exported' order by id desc limit 1`,
    [workspaceId],
  );
  return row;
}

describe.each(databases())("export on %s", (kind) => {
  let server: TestServer;
  let ws: Workspace;
  let other: Workspace;
  let contacts: Contact[];

  beforeAll(async () => {
    server = await startServer(kind);
    ws = await createWorkspace(server, "Export Test");
    other = await createWorkspace(server, "Another Company");
    for (const input of NASTY) {
      const created = await ws.admin.post("/contacts", input);
      if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.text}`);
    }
    // What the API refuses today may be in the database from elsewhere: line breaks, tabs, control characters.
    await server.db.query(
      `insert into contacts (workspace_id, first_name, last_name, external_id) values
       ($1, E'Line one\\nline two', E'Tab\\there "quoted"', E'cr\\rlf \\u0007 _x0041_ <b>&amp;</b>'),
       ($1, E'Unit\\u001fseparator', E'=x\\u001f;y', null)`,
      [ws.id],
    );
    await other.admin.post("/contacts", { firstName: "Not", lastName: "Yours", phone: "+31687654321" });
    contacts = await listAll(ws.admin);
  });
  afterAll(() => server?.close());

  for (const [format, delimiter] of [
    ["csv-semicolon", ";"],
    ["csv-comma", ","],
  ] as const) {
    it(`writes ${format} that a CSV parser reads back as the API's values`, async () => {
      const response = await download(ws.admin, `format=${format}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      const today = new Date().toISOString().slice(0, 10);
      expect(response.headers.get("content-disposition")).toBe(
        `attachment; filename="contacts-${ws.slug}-${today}.csv"`,
      );
      expect([...response.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = response.body.toString("utf8");
      expect(text.endsWith("\r\n")).toBe(true);
      const records = parseCsv(response.body, delimiter);
      expect(records[0]).toEqual(HEADERS);
      expect(records.slice(1)).toEqual(contacts.map(csvCellsOf));
      // Spot checks of the rules, so that a mistake in csvCellsOf cannot hide one in the writer.
      const byId = new Map(records.slice(1).map((r) => [r[0], r]));
      const zoe = byId.get(contacts.find((c) => c.firstName === "Zoë")?.id);
      expect(zoe?.slice(1, 5)).toEqual(["Zoë", "de Vries; Jansen", "zoe@example.nl", "+31612345678"]);
      const formula = byId.get(contacts.find((c) => c.lastName === "+Plus")?.id);
      expect(formula?.slice(1, 4)).toEqual(["'=SUM(A1:A2)", "'+Plus", "'+plus@example.com"]);
      expect(text).toContain(`${delimiter}+31612345678${delimiter}`);
      expect(text).not.toContain("'+31612345678");
    });
  }

  it("writes an xlsx workbook with typed cells, a bold frozen header and an autofilter", async () => {
    const response = await download(ws.admin, "format=xlsx");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    expect(response.headers.get("content-disposition")).toMatch(
      new RegExp(`^attachment; filename="contacts-${ws.slug}-\\d{4}-\\d{2}-\\d{2}\\.xlsx"$`),
    );
    const workbook = await readXlsx(response.body);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Contacts"]);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.getRow(1).values).toEqual([undefined, ...HEADERS]);
    expect(sheet.getCell("A1").font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.autoFilter).toBe(`A1:M${contacts.length + 1}`);
    expect(sheet.rowCount).toBe(contacts.length + 1);
    for (const [i, contact] of contacts.entries()) {
      const row = sheet.getRow(i + 2);
      for (const [c, expected] of cellsOf(contact).entries()) {
        const cell = row.getCell(c + 1);
        if (expected === null) {
          expect(cell.value).toBeNull();
        } else if (DATE_COLUMNS.has(c)) {
          expect(cell.value).toBeInstanceOf(Date);
          expect(Math.abs((cell.value as Date).getTime() - Date.parse(expected))).toBeLessThanOrEqual(1);
          expect(cell.numFmt).toBe("yyyy-mm-dd hh:mm:ss");
        } else {
          expect(cell.type).toBe(ExcelJS.ValueType.String);
          expect(unescapeXstring(cell.value as string)).toBe(expected);
        }
      }
    }
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(36);
  });

  it("exports exactly the rows the list shows for the same filter and sort", async () => {
    for (const query of [
      "tag=Billing",
      "tag=Sales&sort=name",
      "q=zoe",
      "language=pl",
      "q=0612",
      "sort=-name",
      "sort=lastSeenAt",
    ]) {
      const expected = (await listAll(ws.admin, query)).map((c) => c.id);
      const records = parseCsv((await download(ws.admin, `format=csv-comma&${query}`)).body, ",");
      expect(
        records.slice(1).map((r) => r[0]),
        query,
      ).toEqual(expected);
    }
    const none = parseCsv((await download(ws.admin, "format=csv-comma&tag=No%20such%20tag")).body, ",");
    expect(none).toEqual([HEADERS]);
  });

  it("exports a selection, and nothing of another workspace's", async () => {
    const picked = [contacts[1], contacts[3]].map((c) => (c as Contact).id);
    const records = parseCsv((await download(ws.admin, `format=csv-semicolon&ids=${picked.join(",")}`)).body, ";");
    expect(
      records
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([...picked].sort());
    const theirs = (await listAll(other.admin)).map((c) => c.id);
    expect(theirs.length).toBe(1);
    const leaked = await download(ws.admin, `format=csv-comma&ids=${theirs.join(",")}`);
    expect(leaked.status).toBe(200);
    expect(parseCsv(leaked.body, ",")).toEqual([HEADERS]);
    const workbook = await readXlsx((await download(ws.admin, `format=xlsx&ids=${theirs.join(",")}`)).body);
    expect(workbook.worksheets[0]?.rowCount).toBe(1);
  });

  it("records each export in the audit log: who, what, which rows", async () => {
    // The event is written once the last byte is out, so it may trail the download a little.
    const exported = async () => {
      const event = await lastExportEvent(server, ws.id);
      return { actor: event?.actor_type, details: event?.details };
    };
    await download(ws.admin, "format=xlsx&tag=Sales&q=a");
    await expect.poll(exported).toEqual({
      actor: "token",
      details: { format: "xlsx", filter: { q: "a", tag: ["Sales"], sort: "-createdAt" }, rows: 2 },
    });
    const id = (contacts[0] as Contact).id;
    expect((await download(ws.adminSession, `format=csv-comma&ids=${id},${id.toUpperCase()}`)).status).toBe(200);
    await expect.poll(exported).toEqual({ actor: "user", details: { format: "csv-comma", ids: [id], rows: 1 } });
  });

  it("answers bad requests with problems that name the field", async () => {
    const unknown = await ws.admin.get("/contacts/export?format=pdf");
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([
      { field: "format", message: "must be one of xlsx, csv-semicolon, csv-comma" },
    ]);
    expect(unknown.body.detail).toContain("xlsx, csv-semicolon, csv-comma");
    expect((await ws.admin.get("/contacts/export")).body.errors?.[0]?.field).toBe("format");
    const badIds = await ws.admin.get("/contacts/export?format=xlsx&ids=1,2");
    expect(badIds.status).toBe(400);
    expect(badIds.body.errors).toEqual([{ field: "ids", message: '"1" is not a contact id' }]);
    expect((await ws.admin.get("/contacts/export?format=xlsx&ids=")).status).toBe(400);
    const badSort = await ws.admin.get("/contacts/export?format=xlsx&sort=email");
    expect(badSort.status).toBe(400);
    expect(badSort.body.errors[0].field).toBe("sort");
    expect((await ws.admin.get("/contacts/export?format=xlsx&limit=5")).status).toBe(400);
    expect((await ws.operator.get("/contacts/export?format=xlsx")).status).toBe(403);
    expect((await ws.operator.get("/contacts/export?format=pdf")).status).toBe(403);
  });

  it("stops reading and frees its connection when the client leaves midway", async () => {
    await server.db.query(
      `insert into contacts (workspace_id, first_name, last_name, email, created_at)
       select $1, 'Bulk', 'Contact ' || n, 'bulk' || n || '@example.com', now() - n * interval '1 second'
       from generate_series(1, 20000) n`,
      [ws.id],
    );
    for (let attempt = 0; attempt < 3; attempt++) {
      await new Promise<void>((resolve, reject) => {
        const request = httpRequest(`${server.url}/contacts/export?format=csv-comma`, {
          headers: { authorization: `Bearer ${ws.admin.auth.token}` },
        });
        request.on("response", (response) => {
          response.once("data", () => {
            request.destroy();
            resolve();
          });
        });
        request.on("error", (error) => (request.destroyed ? resolve() : reject(error)));
        request.end();
      });
    }
    await expect
      .poll(async () => (await lastExportEvent(server, ws.id))?.details.aborted, { timeout: 10_000 })
      .toBe(true);
    expect((await lastExportEvent(server, ws.id))?.details.rows).toBeLessThan(20000 + contacts.length);
    if (kind === "postgres") {
      // Nothing of ours is left running or in a transaction on the test database.
      await expect
        .poll(
          async () =>
            (
              await server.db.query<{ busy: number }>(
                `select count(*)::int as busy from pg_stat_activity
                 where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`,
              )
            )[0]?.busy,
          { timeout: 10_000 },
        )
        .toBe(0);
    }
    const full = await download(ws.admin, "format=csv-comma");
    expect(full.status).toBe(200);
    expect(parseCsv(full.body, ",").length).toBe(20000 + contacts.length + 1);
    await expect
      .poll(async () => (await lastExportEvent(server, ws.id))?.details)
      .toEqual({
        format: "csv-comma",
        filter: { sort: "-createdAt" },
        rows: 20000 + contacts.length,
      });
  });
});

const execFileAsync = promisify(execFile);
const SOFFICE = ["/usr/bin/soffice", "/usr/local/bin/soffice"].find((path) => existsSync(path));
if (!SOFFICE && process.env.REQUIRE_OFFICE === "1") {
  throw new Error("REQUIRE_OFFICE=1 but soffice (LibreOffice) is not installed: the office tests would skip.");
}

/** Converts a file with LibreOffice, in a profile of its own so runs never share or lock one. */
async function convert(input: string, to: string, infilter?: string): Promise<string> {
  const dir = join(tmpdir(), `contacts-office-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { recursive: true });
  const args = [`-env:UserInstallation=file://${dir}/profile`, "--headless", "--norestore"];
  if (infilter) args.push(`--infilter=${infilter}`);
  await execFileAsync(SOFFICE as string, [...args, "--convert-to", to, "--outdir", `${dir}/out`, input], {
    timeout: 60_000,
  });
  const name = (input.split("/").pop() as string).replace(/\.[^.]+$/, "");
  const extension = to.split(":")[0] as string;
  const output = readFileSync(`${dir}/out/${name}.${extension}`);
  rmSync(dir, { recursive: true, force: true });
  return output.toString("base64");
}

/** `2026-11-25 13:09:17` as LibreOffice shows a date cell formatted `yyyy-mm-dd hh:mm:ss`. */
const shownTime = (text: string) => Date.parse(`${text.replace(" ", "T")}Z`);

describe.runIf(SOFFICE)("export opened by LibreOffice", () => {
  let server: TestServer;
  let ws: Workspace;
  let contacts: Contact[];
  let dir: string;

  beforeAll(async () => {
    server = await startServer("pglite");
    ws = await createWorkspace(server, "Office Test");
    for (const input of NASTY) {
      const created = await ws.admin.post("/contacts", input);
      if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.text}`);
    }
    await server.db.query(
      `insert into contacts (workspace_id, first_name, last_name, external_id) values ($1, E'Line one\\nline two', E'Tab\\there "quoted"', E'cr\\rlf _x0041_ <b>&amp;</b>')`,
      [ws.id],
    );
    contacts = await listAll(ws.admin);
    dir = join(tmpdir(), `contacts-export-${process.pid}`);
    mkdirSync(dir, { recursive: true });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server?.close();
  });

  it("reads every cell of the xlsx as written: text as text, times as dates", async () => {
    const file = join(dir, "contacts.xlsx");
    writeFileSync(file, (await download(ws.admin, "format=xlsx")).body);
    // Comma-separated, quoted, UTF-8, cells as shown (so a date shows its format).
    const csv = Buffer.from(
      await convert(file, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false"),
      "base64",
    );
    const records: string[][] = parse(csv, { bom: true, relax_column_count: true });
    expect(records[0]).toEqual(HEADERS);
    expect(records.length).toBe(contacts.length + 1);
    for (const [i, contact] of contacts.entries()) {
      const row = records[i + 1] as string[];
      for (const [c, expected] of cellsOf(contact).entries()) {
        const shown = row[c] ?? "";
        if (expected === null) expect(shown).toBe("");
        else if (DATE_COLUMNS.has(c)) expect(Math.abs(shownTime(shown) - Date.parse(expected))).toBeLessThan(1000);
        else expect(shown).toBe(expected);
      }
    }
  });

  for (const [format, delimiter] of [
    ["csv-semicolon", 59],
    ["csv-comma", 44],
  ] as const) {
    it(`reads the ${format} file into the same cells`, async () => {
      const file = join(dir, `${format}.csv`);
      writeFileSync(file, (await download(ws.admin, `format=${format}`)).body);
      // Import as UTF-8 with the file's delimiter, every column as text (so LibreOffice's
      // guessing of numbers and dates does not stand between the file and the comparison).
      const textColumns = HEADERS.map((_, i) => `${i + 1}/2`).join("/");
      const xlsx = await convert(file, "xlsx", `CSV:${delimiter},34,76,1,${textColumns}`);
      const workbook = await readXlsx(Buffer.from(xlsx, "base64"));
      const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
      const read = (n: number) =>
        HEADERS.map((_, c) => {
          const value = sheet.getRow(n).getCell(c + 1).value;
          return value === null || value === undefined ? "" : String(value);
        });
      expect(read(1)).toEqual(HEADERS);
      expect(sheet.rowCount).toBe(contacts.length + 1);
      // A cell keeps its line breaks, which LibreOffice stores as LF whatever they were.
      const lineBreaks = (values: string[]) => values.map((v) => v.replace(/\r\n?/g, "\n"));
      contacts.forEach((contact, i) => {
        expect(read(i + 2)).toEqual(lineBreaks(csvCellsOf(contact)));
      });
    });
  }
});
