import { randomBytes } from "node:crypto";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { allContacts, csv, importFile, settle, upload } from "../imports-helpers.ts";
import { createWorkspace, databases, startServer, type TestServer } from "../server.ts";

const LIMIT = 4 * 1024 * 1024;

async function workbook(rows: unknown[][], build?: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("People");
  for (const row of rows) sheet.addRow(row);
  build?.(sheet);
  return Buffer.from(await book.xlsx.writeBuffer());
}

async function zip(entries: Record<string, Buffer | string>): Promise<Buffer> {
  const file = new yazl.ZipFile();
  for (const [name, data] of Object.entries(entries)) file.addBuffer(Buffer.from(data), name);
  file.end();
  const parts: Buffer[] = [];
  for await (const part of file.outputStream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe.each(databases())("imports on %s", (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    // Three rows a batch, so small files cross batch boundaries.
    server = await startServer(kind, { IMPORT_MAX_BYTES: String(LIMIT), IMPORT_BATCH_ROWS: "3" });
  });
  afterAll(() => server?.close());

  it("reads a semicolon CSV, guesses the mapping, previews and imports it", async () => {
    const ws = await createWorkspace(server);
    const file = csv([
      "Voornaam;Achternaam;E-mail;Mobile;Locale;Time zone;Tags;Notes",
      "Zoë;de Vries;zoe@example.nl;06 12345678;nl-nl;europe/amsterdam;Sales, VIP;first",
      "Jan;Jansen;not-an-email;;;;;second",
    ]);
    const uploaded = await upload(ws.admin, "contacts.csv", file);
    expect(uploaded.status).toBe(202);
    expect(uploaded.body).toMatchObject({ id: expect.any(String), status: "analyzing" });
    const ready = await settle(ws.admin, uploaded.body.id);
    expect(ready).toMatchObject({
      status: "ready",
      fileName: "contacts.csv",
      format: "csv",
      delimiter: ";",
      encoding: "utf-8",
      columns: ["Voornaam", "Achternaam", "E-mail", "Mobile", "Locale", "Time zone", "Tags", "Notes"],
      mapping: {
        Voornaam: "firstName",
        Achternaam: "lastName",
        "E-mail": "email",
        Mobile: "phone",
        Locale: "language",
        "Time zone": "timezone",
        Tags: "tags",
        Notes: null,
      },
      progress: { done: 0, total: 2 },
      result: null,
    });
    expect(ready.preview[0]).toMatchObject({ row: 2, values: expect.arrayContaining(["Zoë"]), errors: [] });
    expect(ready.preview[1].errors).toEqual([{ field: "email", message: "is not a valid e-mail address" }]);
    expect((await ws.operator.post(`/imports/${ready.id}/start`, { onDuplicate: "update" })).status).toBe(403);
    const started = await ws.admin.post(`/imports/${ready.id}/start`, { onDuplicate: "update", tags: ["Imported"] });
    expect(started.status).toBe(202);
    const done = await settle(ws.admin, ready.id);
    expect(done).toMatchObject({
      status: "finished",
      progress: { done: 2, total: 2 },
      result: { created: 1, updated: 0, skipped: 0, failed: 1 },
    });
    const contacts = await allContacts(ws.admin);
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({
      firstName: "Zoë",
      phone: "+31612345678",
      language: "nl-NL",
      timezone: "Europe/Amsterdam",
      tags: ["Imported", "Sales", "VIP"],
    });
    const errors = await ws.admin.get(`/imports/${ready.id}/errors`);
    expect(errors.status).toBe(200);
    expect(errors.headers.get("content-type")).toMatch(/^text\/csv/);
    // (fetch's text() drops the BOM)
    expect(errors.text).toBe(
      csv([
        "Voornaam;Achternaam;E-mail;Mobile;Locale;Time zone;Tags;Notes;Error",
        "Jan;Jansen;not-an-email;;;;;second;email: is not a valid e-mail address",
      ]).slice(1),
    );
    const audit = await server.db.query<{ details: any }>(
      "select details from audit_events where workspace_id = $1 and action = 'contacts.imported'",
      [ws.id],
    );
    expect(audit).toEqual([
      {
        details: expect.objectContaining({
          importId: ready.id,
          rows: 2,
          created: 1,
          updated: 0,
          skipped: 0,
          failed: 1,
        }),
      },
    ]);
  });

  it("answers the import's mistakes with problems, not 500s", async () => {
    const ws = await createWorkspace(server);
    const other = await createWorkspace(server);
    const uploaded = await upload(ws.admin, "a.csv", "Email\na@example.com\n");
    const ready = await settle(ws.admin, uploaded.body.id);
    expect((await other.admin.get(`/imports/${ready.id}`)).status).toBe(404);
    expect((await ws.operator.get(`/imports/${ready.id}`)).status).toBe(403);
    expect((await upload(ws.operator, "a.csv", "Email\na@example.com\n")).status).toBe(403);
    expect((await upload(ws.admin, "a.csv", "Email\na@example.com\n", { field: "upload" })).status).toBe(422);
    expect((await upload(ws.admin, "a.csv", "")).status).toBe(422);
    expect((await ws.admin.post("/imports", { file: "x" })).status).toBe(415);
    const bad = await ws.admin.post(`/imports/${ready.id}/start`, {
      onDuplicate: "merge",
      mapping: { Email: "mail" },
    });
    expect(bad.status).toBe(422);
    const unknownColumn = await ws.admin.post(`/imports/${ready.id}/start`, {
      onDuplicate: "skip",
      mapping: { Nope: "email" },
    });
    expect(unknownColumn.status).toBe(422);
    expect(unknownColumn.body.errors).toEqual([{ field: "mapping.Nope", message: "is not a column of the file" }]);
    const nothing = await ws.admin.post(`/imports/${ready.id}/start`, {
      onDuplicate: "skip",
      mapping: { Email: null },
    });
    expect(nothing.status).toBe(422);
    expect((await ws.admin.post(`/imports/${ready.id}/start`, { onDuplicate: "skip" })).status).toBe(202);
    expect((await ws.admin.post(`/imports/${ready.id}/start`, { onDuplicate: "skip" })).status).toBe(409);
    expect((await ws.admin.get("/imports/not-a-uuid")).status).toBe(400);
  });

  it("refuses a file over the limit with 413 naming it, and keeps nothing of it", async () => {
    const ws = await createWorkspace(server);
    const big = Buffer.alloc(LIMIT + 1024, "a");
    const answer = await upload(ws.admin, "big.csv", big);
    expect(answer.status).toBe(413);
    expect(answer.body.detail).toBe("The file is larger than the limit of 4 MB.");
    const left = await server.db.query("select 1 from imports where workspace_id = $1", [ws.id]);
    expect(left).toEqual([]);
  });

  it("gives an empty template in each export format", async () => {
    const ws = await createWorkspace(server);
    const headers =
      "ID;First name;Last name;Email;Phone;Language;Timezone;External ID;Tags;Created at;Updated at;Last seen at;Identities";
    for (const [format, delimiter] of [
      ["csv-semicolon", ";"],
      ["csv-comma", ","],
    ] as const) {
      const response = await fetch(`${server.url}/imports/template?format=${format}`, {
        headers: { authorization: `Bearer ${ws.operator.auth.token}` },
      });
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).toString("utf8")).toBe(
        `\uFEFF${headers.replaceAll(";", delimiter)}\r\n`,
      );
    }
    const xlsx = await fetch(`${server.url}/imports/template?format=xlsx`, {
      headers: { authorization: `Bearer ${ws.admin.auth.token}` },
    });
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const sheet = book.worksheets[0] as ExcelJS.Worksheet;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(headers.split(";"));
    expect(sheet.rowCount).toBe(1);
    expect((await ws.admin.get("/imports/template?format=pdf")).status).toBe(400);
    // A template as it is: a header only, which is said plainly.
    const empty = await importFile(
      ws.admin,
      "template.xlsx",
      Buffer.from(
        await (
          await fetch(`${server.url}/imports/template?format=xlsx`, {
            headers: { authorization: `Bearer ${ws.admin.auth.token}` },
          })
        ).arrayBuffer(),
      ),
    );
    expect(empty).toMatchObject({ status: "failed", error: "The file has a header row but no contacts below it." });
  });

  it("reads the sheet asked for, and says so when there is none of that name", async () => {
    const ws = await createWorkspace(server);
    const book = new ExcelJS.Workbook();
    book.addWorksheet("Notes").addRow(["just notes"]);
    const second = book.addWorksheet("Second");
    second.addRow(["Email", "Voornaam"]);
    second.addRow(["zoe@example.nl", "Zoë"]);
    const file = Buffer.from(await book.xlsx.writeBuffer());
    const chosen = await upload(ws.admin, "book.xlsx", file, { query: "?sheet=Second" });
    expect(await settle(ws.admin, chosen.body.id)).toMatchObject({
      status: "ready",
      sheet: "Second",
      mapping: { Email: "email", Voornaam: "firstName" },
      progress: { total: 1 },
    });
    const missing = await upload(ws.admin, "book.xlsx", file, { query: "?sheet=Nope" });
    expect(await settle(ws.admin, missing.body.id)).toMatchObject({
      status: "failed",
      error: 'The workbook has no sheet named "Nope"; it has "Notes", "Second".',
    });
    const first = await upload(ws.admin, "book.xlsx", file);
    expect(await settle(ws.admin, first.body.id)).toMatchObject({ status: "failed", sheet: null });
    expect((await upload(ws.admin, "book.xlsx", file, { query: `?sheet=${"x".repeat(40)}` })).status).toBe(400);
  });

  describe("nasty files", () => {
    const zoe = "Voornaam;E-mail\r\nZoë;zoe@example.nl\r\n";
    const cases: {
      name: string;
      file: () => Buffer | string | Promise<Buffer>;
      expected: Record<string, unknown>;
      contacts?: Record<string, unknown>[];
    }[] = [
      {
        name: "comma, no BOM, LF",
        file: () => "First Name,Last Name,Email\nAnn,Smith,ann@example.com\n",
        expected: { delimiter: ",", encoding: "utf-8", result: { created: 1, updated: 0, skipped: 0, failed: 0 } },
        contacts: [{ firstName: "Ann", lastName: "Smith" }],
      },
      {
        name: "tab",
        file: () => "First name\tEmail\tPhone number\nAnn\tann@example.com\t+32 470 12 34 56\n",
        expected: { delimiter: "\t", result: { created: 1, updated: 0, skipped: 0, failed: 0 } },
        contacts: [{ phone: "+32470123456" }],
      },
      {
        name: "Windows-1252",
        file: () => Buffer.from(zoe, "latin1"),
        expected: {
          encoding: "windows-1252",
          delimiter: ";",
          result: { created: 1, updated: 0, skipped: 0, failed: 0 },
        },
        contacts: [{ firstName: "Zoë" }],
      },
      {
        name: "UTF-16LE with BOM, tabs (Excel's Unicode text)",
        file: () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(zoe.replaceAll(";", "\t"), "utf16le")]),
        expected: { encoding: "utf-16le", delimiter: "\t", result: { created: 1, updated: 0, skipped: 0, failed: 0 } },
        contacts: [{ firstName: "Zoë" }],
      },
      {
        name: "UTF-16BE with BOM",
        file: () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(zoe, "utf16le").swap16()]),
        expected: { encoding: "utf-16be", result: { created: 1, updated: 0, skipped: 0, failed: 0 } },
        contacts: [{ firstName: "Zoë" }],
      },
      {
        name: "UTF-8 that turns out not to be after the first megabyte",
        file: () =>
          Buffer.concat([
            Buffer.from(`Voornaam;E-mail;Notes\r\nAnn;ann@example.nl;${"x".repeat(1_100_000)}\r\n`),
            Buffer.from("Zoë;zoe@example.nl;\r\n", "latin1"),
          ]),
        expected: { encoding: "windows-1252", result: { created: 2, updated: 0, skipped: 0, failed: 0 } },
      },
      {
        name: "quoted newlines, delimiters and quotes",
        file: () => 'First name,Email,Notes\nAnn,ann@example.com,"line 1\nline 2, ""quoted"""\nBob,bob@example.com,x\n',
        expected: { progress: { done: 2, total: 2 }, result: { created: 2, updated: 0, skipped: 0, failed: 0 } },
      },
      {
        name: "ragged rows",
        file: () => "First name,Email\nAnn,ann@example.com\nBob\nCid,cid@example.com,extra\nDan,dan@example.com,\n",
        expected: { result: { created: 2, updated: 0, skipped: 0, failed: 2 } },
      },
      {
        name: "empty lines",
        file: () => "First name,Email\n\nAnn,ann@example.com\n\n\nBob,bob@example.com\n\n",
        expected: { progress: { done: 2, total: 2 }, result: { created: 2, updated: 0, skipped: 0, failed: 0 } },
      },
      {
        name: "a header only",
        file: () => "First name;Email\r\n",
        expected: { status: "failed", error: "The file has a header row but no contacts below it." },
      },
      {
        name: "an unclosed quote",
        file: () => 'First name,Email\nAnn,"ann@example.com\nBob,bob@example.com\n',
        expected: { status: "failed", error: expect.stringMatching(/^Row 2 opens a quote that is never closed/) },
      },
      {
        name: "binary data renamed .csv",
        file: () => Buffer.concat([Buffer.from("\x89PNG\r\n\x1a\n", "latin1"), randomBytes(20_000)]),
        expected: { status: "failed", error: expect.stringMatching(/neither a CSV text file nor an Excel workbook/) },
      },
      {
        name: "a zip bomb renamed .xlsx",
        file: () =>
          zip({
            "xl/workbook.xml": '<workbook><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels":
              '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
            "xl/worksheets/sheet1.xml": Buffer.alloc(80 * 1024 * 1024, " "),
          }),
        expected: { status: "failed", error: expect.stringMatching(/unpacks to more than 64 MB/) },
      },
      {
        name: "a zip that is no workbook",
        file: () => zip({ "notes.txt": "hello" }),
        expected: { status: "failed", error: expect.stringMatching(/not an Excel workbook/) },
      },
      {
        name: "half an xlsx",
        file: async () => (await workbook([["Email"], ["a@example.com"]])).subarray(0, 2000),
        expected: { status: "failed", error: expect.stringMatching(/not a readable Excel workbook/) },
      },
      {
        name: "a 1 MB cell",
        file: () => `First name,Email\n${"a".repeat(1024 * 1024)},big@example.com\nBob,bob@example.com\n`,
        expected: {
          result: { created: 1, updated: 0, skipped: 0, failed: 1 },
          preview: [
            {
              row: 2,
              values: [`${"a".repeat(1000)}…`, "big@example.com"],
              errors: [{ field: "firstName", message: "must be at most 200 characters" }],
            },
            { row: 3, values: ["Bob", "bob@example.com"], errors: [] },
          ],
        },
        contacts: [{ firstName: "Bob" }],
      },
      {
        name: "xlsx with formula cells, numbers and shared strings",
        file: () =>
          workbook([["First name", "Email", "Phone", "External ID"]], (sheet) => {
            sheet.addRow([
              { formula: 'UPPER("ann")', result: "ANN" },
              { formula: 'CONCATENATE("ann","@example.com")', result: "ann@example.com" },
              31612345678,
              { formula: "1+1" },
            ]);
            sheet.addRow(["=1+2", "bob@example.com", "06-87654321", 42]);
          }),
        expected: { format: "xlsx", sheet: "People", result: { created: 2, updated: 0, skipped: 0, failed: 0 } },
        contacts: [
          { firstName: "ANN", email: "ann@example.com", phone: "+31612345678", externalId: null },
          { firstName: "=1+2", phone: "+31687654321", externalId: "42" },
        ],
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const ws = await createWorkspace(server);
        const name = c.name.includes("xlsx") || c.name.includes("zip") ? "file.xlsx" : "file.csv";
        const result = await importFile(ws.admin, name, await c.file());
        expect(result).toMatchObject(c.expected);
        const { created, updated, skipped, failed } = result.result ?? {
          created: 0,
          updated: 0,
          skipped: 0,
          failed: 0,
        };
        expect(created + updated + skipped + failed).toBe(result.progress.done);
        const contacts = await allContacts(ws.admin);
        expect(contacts).toHaveLength(result.result?.created ?? 0);
        if (c.contacts)
          expect(contacts).toEqual(expect.arrayContaining(c.contacts.map((x) => expect.objectContaining(x))));
      });
    }
  });

  describe("duplicates", () => {
    const rows = [
      "ID;First name;Last name;Email;Phone;External ID;Tags",
      ";;Smith;A@EXAMPLE.COM;;;Billing", // 2: the existing Ann, by e-mail in another case
      ";Bob;;b@example.com;0622222222;;", // 3: new
      ";Bobby;;;+31 6 22222222;;", // 4: row 3 again, by phone
      ";Cid;;;;ext-1;", // 5: new (next batch)
      ";;;c@example.com;;ext-1;", // 6: row 5 again, by external id
      ";;;a@example.com;0622222222;;", // 7: Ann by e-mail, Bob by phone: refused
      "{other};Dora;;d@example.com;;;", // 8: another workspace's id is no match: new
      "{ann};Annie;;;;;", // 9: Ann by ID
    ];
    for (const onDuplicate of ["update", "skip"] as const) {
      it(`${onDuplicate}s a duplicate of a contact or of an earlier row, never making a second one`, async () => {
        const ws = await createWorkspace(server);
        const other = await createWorkspace(server);
        const ann = await ws.admin.post("/contacts", {
          firstName: "Ann",
          email: "a@example.com",
          phone: "+31611111111",
          language: "en",
        });
        const stranger = await other.admin.post("/contacts", { firstName: "Stranger" });
        const file = csv(rows.map((r) => r.replace("{other}", stranger.body.id).replace("{ann}", ann.body.id)));
        const done = await importFile(ws.admin, "dupes.csv", file, { onDuplicate });
        const contacts = await allContacts(ws.admin);
        const byEmail = (email: string) => contacts.find((c) => c.email === email);
        expect(contacts).toHaveLength(4);
        expect(byEmail("d@example.com")).toMatchObject({ firstName: "Dora" });
        const errors = await ws.admin.get(`/imports/${done.id}/errors`);
        expect(errors.text.split("\r\n")[1]).toBe(
          ";;;a@example.com;0622222222;;;row: matches two different contacts: one by email, another by phone",
        );
        if (onDuplicate === "update") {
          expect(done.result).toEqual({ created: 3, updated: 4, skipped: 0, failed: 1 });
          expect(contacts.find((c) => c.id === ann.body.id)).toMatchObject({
            firstName: "Annie",
            lastName: "Smith",
            email: "A@EXAMPLE.COM",
            phone: "+31611111111",
            language: "en",
            tags: ["Billing"],
            version: 3,
          });
          expect(byEmail("b@example.com")).toMatchObject({ firstName: "Bobby", phone: "+31622222222" });
          expect(contacts.find((c) => c.externalId === "ext-1")).toMatchObject({
            firstName: "Cid",
            email: "c@example.com",
          });
        } else {
          expect(done.result).toEqual({ created: 3, updated: 0, skipped: 4, failed: 1 });
          expect(contacts.find((c) => c.id === ann.body.id)).toMatchObject({
            firstName: "Ann",
            lastName: null,
            tags: [],
            version: 1,
          });
          expect(byEmail("b@example.com")).toMatchObject({ firstName: "Bob" });
          expect(contacts.find((c) => c.externalId === "ext-1")).toMatchObject({ firstName: "Cid", email: null });
        }
        expect((await other.admin.get(`/contacts/${stranger.body.id}`)).body).toMatchObject({
          firstName: "Stranger",
          version: 1,
        });
        // The same file again changes nothing when every row is a duplicate.
        const again = await importFile(ws.admin, "dupes.csv", file, { onDuplicate: "skip" });
        expect(again.result).toEqual({ created: 0, updated: 0, skipped: 7, failed: 1 });
        expect(await allContacts(ws.admin)).toHaveLength(4);
      });
    }
  });
});
