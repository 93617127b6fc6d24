import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import yazl from "yazl";
import type { Column } from "./columns.ts";
import { UnreadableFile } from "./unreadable.ts";
import { formatDateKind, openWorkbook, serialText, unescapeExcel } from "./xlsx-reader.ts";
import { xlsxStream } from "./xlsx-writer.ts";
import type { RandomAccessFile } from "./zip.ts";

const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
const LIMIT = 64 * 1024 * 1024;

/** A file in memory, handed out in small pieces so that XML and characters are cut across them. */
function memoryFile(buffer: Buffer, piece = 997): RandomAccessFile {
  return {
    size: buffer.length,
    read: async (offset, length) => buffer.subarray(offset, Math.min(buffer.length, offset + length)),
    async *stream(offset = 0) {
      for (let at = offset; at < buffer.length; at += piece)
        yield buffer.subarray(at, Math.min(buffer.length, at + piece));
    },
  };
}

async function zip(parts: Record<string, string | Buffer>, options: { zip64?: boolean } = {}): Promise<Buffer> {
  const file = new yazl.ZipFile();
  for (const [name, data] of Object.entries(parts)) {
    file.addBuffer(Buffer.from(data), name, { forceZip64Format: options.zip64 ?? false });
  }
  file.end({ forceZip64Format: options.zip64 ?? false, comment: "" });
  const chunks: Buffer[] = [];
  for await (const chunk of file.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Book {
  sheet: string;
  workbook?: string;
  sharedStrings?: string;
  styles?: string;
  /** Leave out the package's root relationships (the workbook is then found at its usual place). */
  noRootRels?: boolean;
  zip64?: boolean;
}

/** A workbook from hand-written parts: the sheet's XML, and optionally the others. */
async function book(parts: Book): Promise<Buffer> {
  const files: Record<string, string> = {
    "[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`,
    "xl/workbook.xml":
      parts.workbook ??
      `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    "xl/_rels/workbook.xml.rels": `<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`,
    "xl/worksheets/sheet1.xml": parts.sheet,
  };
  if (!parts.noRootRels) {
    files["_rels/.rels"] =
      `<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
  }
  if (parts.sharedStrings) files["xl/sharedStrings.xml"] = parts.sharedStrings;
  if (parts.styles) files["xl/styles.xml"] = parts.styles;
  return zip(files, { zip64: parts.zip64 });
}

const sheetXml = (rows: string) => `<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="${MAIN_NS}"><sheetData>${rows}</sheetData></worksheet>`;

async function readRows(file: Buffer, sheet?: string, limit = LIMIT) {
  const workbook = await openWorkbook(memoryFile(file), limit);
  const rows: { row: number; cells: string[] }[] = [];
  for await (const row of workbook.rows(sheet ?? (workbook.sheets[0] as string))) rows.push(row);
  return rows;
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UnreadableFile);
    return (error as Error).message;
  }
  throw new Error("expected the workbook to be refused");
}

describe("xlsx reader", () => {
  it("leaves a phonetic guide out of a name, in shared and in inline strings", async () => {
    const rows = await readRows(
      await book({
        sharedStrings: `<sst xmlns="${MAIN_NS}" count="2" uniqueCount="2"><si><t>Last name</t></si><si><t>山田</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh><phoneticPr fontId="1" type="fullwidthKatakana"/></si></sst>`,
        sheet: sheetXml(
          `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>First name</t></is></c></row>` +
            `<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" t="inlineStr"><is><t>太郎</t><rPh sb="0" eb="2"><t>タロウ</t></rPh></is></c></row>`,
        ),
      }),
    );
    expect(rows).toEqual([
      { row: 1, cells: ["Last name", "First name"] },
      { row: 2, cells: ["山田", "太郎"] },
    ]);
  });

  it("reads single-quoted attributes as attributes", async () => {
    const rows = await readRows(
      await book({
        workbook: `<workbook xmlns='${MAIN_NS}' xmlns:r='${REL_NS}'><sheets><sheet name='People' sheetId='1' r:id='rId1'/></sheets></workbook>`,
        sharedStrings: `<sst xmlns='${MAIN_NS}'><si><t>Name</t></si><si><t>Ann</t></si></sst>`,
        sheet: `<worksheet xmlns='${MAIN_NS}'><sheetData><row r='1'><c r='A1' t='s'><v>0</v></c></row><row r='2'><c r='A2' t='s'><v>1</v></c></row></sheetData></worksheet>`,
      }),
    );
    expect(rows).toEqual([
      { row: 1, cells: ["Name"] },
      { row: 2, cells: ["Ann"] },
    ]);
  });

  it("reads prefixed elements, as .NET writers emit them", async () => {
    const rows = await readRows(
      await book({
        workbook: `<x:workbook xmlns:x="${MAIN_NS}" xmlns:r="${REL_NS}"><x:sheets><x:sheet name="People" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>`,
        sharedStrings: `<x:sst xmlns:x="${MAIN_NS}"><x:si><x:t>Email</x:t></x:si><x:si><x:r><x:t>ann@</x:t></x:r><x:r><x:t>example.com</x:t></x:r></x:si></x:sst>`,
        sheet: `<x:worksheet xmlns:x="${MAIN_NS}"><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row><x:row r="2"><x:c r="A2" t="s"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
      }),
    );
    expect(rows).toEqual([
      { row: 1, cells: ["Email"] },
      { row: 2, cells: ["ann@example.com"] },
    ]);
  });

  it("reads inline strings with no shared strings at all, and no root relationships", async () => {
    const rows = await readRows(
      await book({
        noRootRels: true,
        sheet: sheetXml(
          `<row r="1"><c r="A1" t="inlineStr"><is><t>First name</t></is></c><c r="B1" t="inlineStr"><is><t>Phone</t></is></c></row>` +
            `<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve"> Zoë </t></is></c><c r="B2"><v>31612345678</v></c></row>`,
        ),
      }),
    );
    expect(rows).toEqual([
      { row: 1, cells: ["First name", "Phone"] },
      { row: 2, cells: [" Zoë ", "31612345678"] },
    ]);
  });

  it("joins the runs of rich text", async () => {
    const rows = await readRows(
      await book({
        sharedStrings: `<sst xmlns="${MAIN_NS}"><si><r><rPr><b/><sz val="11"/></rPr><t>Ann</t></r><r><rPr><i/></rPr><t xml:space="preserve"> de </t></r><r><t>Vries</t></r></si></sst>`,
        sheet: sheetXml(
          `<row r="1"><c r="A1" t="inlineStr"><is><r><t>Na</t></r><r><rPr><b/></rPr><t>me</t></r></is></c></row><row r="2"><c r="A2" t="s"><v>0</v></c></row>`,
        ),
      }),
    );
    expect(rows).toEqual([
      { row: 1, cells: ["Name"] },
      { row: 2, cells: ["Ann de Vries"] },
    ]);
  });

  it("reads date cells in the workbook's date system, 1900 or 1904", async () => {
    const styles = `<styleSheet xmlns="${MAIN_NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd hh:mm:ss"/></numFmts><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="2"/></cellXfs></styleSheet>`;
    const sheet = sheetXml(
      `<row r="1"><c r="A1" t="inlineStr"><is><t>Born</t></is></c><c r="B1" t="inlineStr"><is><t>Seen</t></is></c><c r="C1" t="inlineStr"><is><t>Score</t></is></c></row>` +
        `<row r="2"><c r="A2" s="1"><v>44000</v></c><c r="B2" s="2"><v>44000.5</v></c><c r="C2" s="3"><v>44000.5</v></c></row>`,
    );
    const day = (epoch: number, days: number) => new Date(epoch + days * 86_400_000).toISOString();
    const in1900 = await readRows(await book({ styles, sheet }));
    expect(in1900[1]?.cells).toEqual([
      day(Date.UTC(1899, 11, 30), 44000).slice(0, 10), // 2020-06-18
      `${day(Date.UTC(1899, 11, 30), 44000.5).slice(0, 19)}Z`,
      "44000.5",
    ]);
    expect(in1900[1]?.cells[0]).toBe("2020-06-18");
    const workbook1904 = `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><workbookPr date1904="1"/><sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>`;
    const in1904 = await readRows(await book({ styles, sheet, workbook: workbook1904 }));
    expect(in1904[1]?.cells).toEqual(["2024-06-19", "2024-06-19T12:00:00Z", "44000.5"]);
    expect(in1904[1]?.cells[0]).toBe(day(Date.UTC(1904, 0, 1), 44000).slice(0, 10));
  });

  it("places cells and rows without references after the ones before them", async () => {
    const rows = await readRows(
      await book({
        sheet: sheetXml(
          `<row><c t="inlineStr"><is><t>a</t></is></c><c t="inlineStr"><is><t>b</t></is></c><c r="D1" t="inlineStr"><is><t>d</t></is></c><c t="inlineStr"><is><t>e</t></is></c></row>` +
            `<row><c r="B2"><v>2</v></c><c><v>3</v></c></row><row r="5"><c><v>5</v></c></row><row><c t="b"><v>1</v></c></row>`,
        ),
      }),
    );
    expect(rows).toEqual([
      { row: 1, cells: ["a", "b", "", "d", "e"] },
      { row: 2, cells: ["", "2", "3"] },
      { row: 5, cells: ["5"] },
      { row: 6, cells: ["TRUE"] },
    ]);
  });

  it("reads a ZIP64 file", async () => {
    const file = await book({
      zip64: true,
      sheet: sheetXml(`<row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c></row>`),
    });
    // The ZIP64 end of central directory record is there.
    expect(file.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    expect(await readRows(file)).toEqual([{ row: 1, cells: ["Email"] }]);
  });

  it("decodes entities, character references and Excel's _xHHHH_ escapes, and gives a formula's value", async () => {
    const rows = await readRows(
      await book({
        sharedStrings: `<sst xmlns="${MAIN_NS}"><si><t>Ann &amp; Bob &lt;3 &#233;&#x20AC; line_x000D_ _x005F_x0041_</t></si></sst>`,
        sheet: sheetXml(
          `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="str"><f>UPPER("ann")</f><v>ANN</v></c><c r="C1"><f>1+1</f><v>2</v></c><c r="D1"><f>1+1</f></c><c r="E1"><v>3.1612345678E+10</v></c><c r="F1" t="e"><v>#N/A</v></c></row>`,
        ),
      }),
    );
    expect(rows).toEqual([
      { row: 1, cells: ["Ann & Bob <3 é€ line\r _x0041_", "ANN", "2", "", "31612345678", "#N/A"] },
    ]);
  });

  it("reads our own export back cell for cell", async () => {
    interface Item {
      name: string | null;
      code: string | null;
      at: string | null;
    }
    const columns: Column<Item>[] = [
      { header: "Name", kind: "text", width: 20, value: (r) => r.name },
      { header: "Code", kind: "phone", width: 12, value: (r) => r.code },
      { header: "At", kind: "date", width: 20, value: (r) => r.at },
    ];
    const items: Item[] = [
      { name: " Zoë <&> \"q\" 'a'\nline ", code: "+31612345678", at: "2026-03-04T05:06:07.891Z" },
      { name: null, code: "0012", at: null },
      { name: "=1+2", code: null, at: "2026-01-01T00:00:00.000Z" },
      { name: "bell\u0007 _x0041_ cr\r", code: "", at: null },
    ];
    const chunks: Buffer[] = [];
    await pipeline(
      xlsxStream(
        columns,
        (async function* () {
          yield items;
        })(),
      ),
      new Writable({
        write(chunk, _encoding, done) {
          chunks.push(chunk);
          done();
        },
      }),
    );
    expect(await readRows(Buffer.concat(chunks), "Contacts")).toEqual([
      { row: 1, cells: ["Name", "Code", "At"] },
      { row: 2, cells: [items[0]?.name, "+31612345678", "2026-03-04T05:06:07.891Z"] },
      { row: 3, cells: ["", "0012"] },
      { row: 4, cells: ["=1+2", "", "2026-01-01T00:00:00Z"] },
      { row: 5, cells: ["bell\u0007 _x0041_ cr\r"] },
    ]);
  });

  it("refuses a zip bomb by what it declares, before unpacking it", async () => {
    const file = await book({
      sheet: sheetXml(`<row r="1"><c r="A1"><v>1</v></c></row>${" ".repeat(80 * 1024 * 1024)}`),
    });
    expect(file.length).toBeLessThan(1024 * 1024);
    expect(await failure(readRows(file))).toMatch(/unpacks to more than 64 MB, which no contact list needs/);
  });

  it("counts what it unpacks against the budget while inflating", async () => {
    // 3 MB of sheet under a 4 MB budget: read once it passes, read twice it does not.
    const rows = `<row r="1"><c r="A1"><v>1</v></c></row>`.repeat(80_000);
    const file = await book({ sheet: sheetXml(rows) });
    const workbook = await openWorkbook(memoryFile(file, 256 * 1024), 4 * 1024 * 1024);
    let read = 0;
    for await (const _ of workbook.rows("People")) read++;
    expect(read).toBe(80_000);
    const again = (async () => {
      for await (const _ of workbook.rows("People"));
    })();
    expect(await failure(again)).toMatch(/unpacks to more than 4 MB/);
  });

  it("says what is wrong with a damaged or foreign file", async () => {
    const good = await book({ sheet: sheetXml(`<row r="1"><c r="A1"><v>1</v></c></row>`) });
    expect(await failure(readRows(good.subarray(0, good.length - 30)))).toMatch(/not a readable Excel workbook/);
    expect(await failure(readRows(await zip({ "notes.txt": "hello" })))).toMatch(
      /not an Excel workbook \(\.xlsx\): it is a zip archive without a workbook in it/,
    );
    expect(await failure(readRows(await book({ sheet: sheetXml("<row><c><v>1</v></row>") })))).toMatch(
      /its part xl\/worksheets\/sheet1\.xml is not valid XML/,
    );
    const noSheets = `<workbook xmlns="${MAIN_NS}"><sheets/></workbook>`;
    expect(await failure(readRows(await book({ workbook: noSheets, sheet: sheetXml("") })))).toMatch(/has no sheets/);
  });
});

describe("number formats", () => {
  it("tells date, time and date-time formats from numbers", () => {
    expect(formatDateKind("yyyy-mm-dd hh:mm:ss")).toBe("datetime");
    expect(formatDateKind("dd/mm/yyyy")).toBe("date");
    expect(formatDateKind('[$-409]mmmm\\ d", "yyyy;@')).toBe("date");
    expect(formatDateKind("h:mm AM/PM")).toBe("time");
    expect(formatDateKind("[h]:mm:ss")).toBe("time");
    for (const code of ["General", "0.00", '#,##0 "days"', "[Red]0.00", "_-* #,##0.00\\ _€_-", "0.00E+00"]) {
      expect(formatDateKind(code)).toBeUndefined();
    }
  });

  it("turns serials into dates as Excel counts them", () => {
    expect(serialText(25569, "datetime", false)).toBe("1970-01-01T00:00:00Z");
    expect(serialText(46023.5, "date", false)).toBe("2026-01-01");
    expect(serialText(0.75, "time", false)).toBe("18:00:00");
    // Excel's 1 January 1900 is day 1, and it counts a 29 February 1900.
    expect(serialText(1, "date", false)).toBe("1900-01-01");
    expect(serialText(61, "date", false)).toBe("1900-03-01");
    expect(serialText(0, "date", true)).toBe("1904-01-01");
    expect(serialText(-1, "date", false)).toBeUndefined();
  });

  it("unescapes _xHHHH_ once", () => {
    expect(unescapeExcel("a_x000D_b _x005F_x0041_ _x41_")).toBe("a\rb _x0041_ _x41_");
  });
});

const execFileAsync = promisify(execFile);
const SOFFICE = ["/usr/bin/soffice", "/usr/local/bin/soffice"].find((path) => existsSync(path));
if (!SOFFICE && process.env.REQUIRE_OFFICE === "1") {
  throw new Error("REQUIRE_OFFICE=1 but soffice (LibreOffice) is not installed: the office tests would skip.");
}

/** Converts a file with LibreOffice, in a profile of its own so runs never share or lock one. */
async function convert(name: string, content: Buffer | string, to: string, infilter?: string): Promise<Buffer> {
  const dir = join(tmpdir(), `contacts-xlsx-reader-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { recursive: true });
  try {
    const input = join(dir, name);
    writeFileSync(input, content);
    const args = [`-env:UserInstallation=file://${dir}/profile`, "--headless", "--norestore"];
    if (infilter) args.push(`--infilter=${infilter}`);
    await execFileAsync(SOFFICE as string, [...args, "--convert-to", to, "--outdir", `${dir}/out`, input], {
      timeout: 120_000,
    });
    return readFileSync(`${dir}/out/${name.replace(/\.[^.]+$/, "")}.${to.split(":")[0]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.runIf(SOFFICE)("xlsx written by LibreOffice", () => {
  it("reads text, numbers and dates as LibreOffice saved them", { timeout: 180_000 }, async () => {
    const csv = [
      "First name,Last name,Email,Phone,Born,Score",
      "Zoë,de Vries,zoe@example.nl,0612345678,2020-06-18,1.5",
      '山田,"Smith, Jr.",yamada@example.jp,31612345678,1999-12-31,',
      ",,only@example.com,,,42",
    ].join("\n");
    // Comma-separated UTF-8 (76); columns 1–4 as text, 5 a Y-M-D date, 6 standard.
    const xlsx = await convert("people.csv", csv, "xlsx", "CSV:44,34,76,1,1/2/2/2/3/2/4/2/5/5/6/1");
    expect(await readRows(xlsx)).toEqual([
      { row: 1, cells: ["First name", "Last name", "Email", "Phone", "Born", "Score"] },
      { row: 2, cells: ["Zoë", "de Vries", "zoe@example.nl", "0612345678", "2020-06-18", "1.5"] },
      { row: 3, cells: ["山田", "Smith, Jr.", "yamada@example.jp", "31612345678", "1999-12-31"] },
      { row: 4, cells: ["", "", "only@example.com", "", "", "42"] },
    ]);
  });

  it("reads our export as LibreOffice saves it again", { timeout: 180_000 }, async () => {
    const columns: Column<string[]>[] = [
      { header: "Name", kind: "text", width: 20, value: (r) => r[0] ?? null },
      { header: "Phone", kind: "phone", width: 12, value: (r) => r[1] ?? null },
      { header: "At", kind: "date", width: 20, value: (r) => r[2] ?? null },
    ];
    const rows = [
      ["Émile O'Brien", "+33612345678", "2026-03-04T05:06:07Z"],
      ["=1+2", "0012", ""],
      ["", "", "2026-01-01T00:00:00Z"],
    ];
    const chunks: Buffer[] = [];
    for await (const chunk of xlsxStream(
      columns,
      (async function* () {
        yield rows;
      })(),
    ))
      chunks.push(chunk as Buffer);
    const again = await convert("ours.xlsx", Buffer.concat(chunks), "xlsx:Calc MS Excel 2007 XML");
    expect(await readRows(again, "Contacts")).toEqual([
      { row: 1, cells: ["Name", "Phone", "At"] },
      { row: 2, cells: ["Émile O'Brien", "+33612345678", "2026-03-04T05:06:07Z"] },
      { row: 3, cells: ["=1+2", "0012"] },
      { row: 4, cells: ["", "", "2026-01-01T00:00:00Z"] },
    ]);
  });
});
