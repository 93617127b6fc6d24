import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importFile } from "../imports-helpers.ts";
import { type Client, createWorkspace, databases, startServer, type TestServer } from "../server.ts";

/** Columns an import cannot carry over: the ids and times the database gives. */
const GIVEN = new Set(["ID", "Created at", "Updated at", "Last seen at"]);

const people = [
  {
    firstName: "Zoë",
    lastName: "de Vries",
    email: "zoe@example.nl",
    phone: "06 12345678",
    language: "nl-nl",
    timezone: "Europe/Amsterdam",
    externalId: "crm-00042",
    tags: ["Sales", "Billing"],
  },
  { firstName: "=SUM(A1:A2)", lastName: "+cmd", email: "formula@example.com", externalId: "-1", tags: ["@risk"] },
  {
    firstName: 'Ann; the "boss"',
    lastName: "Smith, Jr.",
    phone: "+1 415 555 2671",
    language: "en-US",
    timezone: "America/Los_Angeles",
  },
  { firstName: "Émile", phone: "+33 6 12 34 56 78", language: "fr", tags: ["Support"] },
  { externalId: "only-an-id" },
  { lastName: "O'Brien", email: "OBrien@Example.ie", timezone: "Europe/Dublin", tags: ["Sales", "Support", "Billing"] },
];

async function exportFile(client: Client, format: string): Promise<Buffer> {
  const response = await fetch(`${client.server.url}/contacts/export?format=${format}`, {
    headers: { authorization: `Bearer ${client.auth.token}` },
  });
  if (response.status !== 200) throw new Error(`export ${format}: ${response.status} ${await response.text()}`);
  return Buffer.from(await response.arrayBuffer());
}

/** The file's rows without the columns the database gives, in a stable order. */
async function comparable(file: Buffer, format: string): Promise<{ header: string[]; rows: string[][] }> {
  let table: string[][];
  if (format === "xlsx") {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file as never);
    table = [];
    (book.worksheets[0] as ExcelJS.Worksheet).eachRow((row) => {
      const values = (row.values as unknown[])
        .slice(1)
        .map((v) => (v === undefined || v === null ? "" : v instanceof Date ? "date" : String(v)));
      table.push(values);
    });
  } else {
    expect(file.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    table = parse(file, { bom: true, delimiter: format === "csv-semicolon" ? ";" : ",", relax_column_count: true });
  }
  const [header = [], ...rows] = table;
  const keep = header.map((h) => !GIVEN.has(h));
  return {
    header,
    rows: rows.map((r) => r.filter((_, i) => keep[i])).sort((a, b) => a.join("\u0001").localeCompare(b.join("\u0001"))),
  };
}

describe.each(databases())("import round trip on %s", (kind) => {
  let server: TestServer;
  let source: Awaited<ReturnType<typeof createWorkspace>>;
  beforeAll(async () => {
    server = await startServer(kind);
    source = await createWorkspace(server);
    for (const person of people) {
      const created = await source.admin.post("/contacts", person);
      if (created.status !== 201) throw new Error(`${created.status} ${created.text}`);
    }
    // Identities travel in one column, `channel:address` joined with ", ".
    for (const identity of [
      { channel: "whatsapp", address: "+31612345678" },
      { channel: "webchat", address: "visitor-9", profile: { email: "zoe@example.nl" } },
      { channel: "email", address: "formula@example.com" },
    ]) {
      const found = await source.operator.post("/contacts/identify", identity);
      if (found.status !== 200) throw new Error(`${found.status} ${found.text}`);
    }
  });
  afterAll(() => server?.close());

  for (const format of ["csv-semicolon", "csv-comma", "xlsx"]) {
    it(`exports ${format}, imports it into an empty workspace, and exports the same file again`, async () => {
      const first = await exportFile(source.admin, format);
      const target = await createWorkspace(server);
      const done = await importFile(target.admin, `contacts.${format === "xlsx" ? "xlsx" : "csv"}`, first);
      expect(done).toMatchObject({
        status: "finished",
        result: { created: people.length, updated: 0, skipped: 0, failed: 0 },
      });
      const second = await exportFile(target.admin, format);
      const before = await comparable(first, format);
      const after = await comparable(second, format);
      expect(after.header).toEqual(before.header);
      expect(before.rows).toHaveLength(people.length);
      expect(after.rows).toEqual(before.rows);
      if (format !== "xlsx") expect(first.toString("utf8")).toContain("webchat:visitor-9, whatsapp:+31612345678");
    });
  }

  it("imports its own export back onto the same contacts, by ID, changing nothing", async () => {
    const before = await exportFile(source.admin, "csv-semicolon");
    const done = await importFile(source.admin, "contacts.csv", before, { onDuplicate: "update" });
    expect(done.result).toEqual({ created: 0, updated: people.length, skipped: 0, failed: 0 });
    const after = await exportFile(source.admin, "csv-semicolon");
    // Nothing changed, so not even the versions or update times moved.
    expect(after.toString("utf8")).toBe(before.toString("utf8"));
  });
});
