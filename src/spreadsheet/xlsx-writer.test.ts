import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import type { Column } from "./columns.ts";
import { columnLetter, escapeXml, excelSerial, xlsxStream } from "./xlsx-writer.ts";

interface Item {
  name: string;
  code: string | null;
  at: string | null;
}

/** Any column list works: the writer knows nothing of contacts. */
const COLUMNS: Column<Item>[] = [
  { header: "Name", kind: "text", width: 20, value: (r) => r.name },
  { header: "Code", kind: "phone", width: 12, value: (r) => r.code },
  { header: "At", kind: "date", width: 20, value: (r) => r.at },
];

async function* batchesOf<T>(rows: T[], size: number) {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(
    stream,
    new Writable({
      write(chunk, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(chunks);
}

async function read(buffer: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as never);
  return workbook;
}

const items = (n: number): Item[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `Row ${i + 1}`,
    code: i % 2 ? `+3161234${String(i).padStart(4, "0")}` : null,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  }));

describe("xlsx writer", () => {
  it("names columns A…Z, AA…", () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnLetter)).toEqual(["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]);
  });

  it("turns ISO times into Excel serials and refuses times before 1900", () => {
    expect(excelSerial("1970-01-01T00:00:00Z")).toBe(25569);
    expect(excelSerial("2026-01-01T12:00:00.000000Z")).toBe(46023.5);
    expect(excelSerial("1800-01-01T00:00:00Z")).toBeUndefined();
  });

  it("escapes what XML cannot hold as written", () => {
    expect(escapeXml("a < b & c > d")).toBe("a &lt; b &amp; c &gt; d");
    expect(escapeXml("x\ry")).toBe("x&#13;y");
    expect(escapeXml("bell\u0007")).toBe("bell_x0007_");
    expect(escapeXml("_x0041_")).toBe("_x005F_x0041_");
  });

  it("starts a new sheet before the row limit, each with its header, and no empty sheet", async () => {
    // 3 rows a sheet: the header and 2 data rows.
    for (const [count, sheets] of [
      [0, 1],
      [1, 1],
      [2, 1],
      [3, 2],
      [5, 3],
      [6, 3],
    ] as const) {
      const rows = items(count);
      const workbook = await read(await collect(xlsxStream(COLUMNS, batchesOf(rows, 4), { maxRowsPerSheet: 3 })));
      expect(workbook.worksheets.map((w) => w.name)).toEqual(["Contacts", "Contacts 2", "Contacts 3"].slice(0, sheets));
      const names = workbook.worksheets.flatMap((sheet) => {
        expect(sheet.getRow(1).values).toEqual([undefined, "Name", "Code", "At"]);
        expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
        expect(sheet.autoFilter).toBe(`A1:C${sheet.rowCount}`);
        const values: string[] = [];
        sheet.eachRow((row, n) => {
          if (n > 1) values.push(row.getCell(1).value as string);
        });
        return values;
      });
      expect(names).toEqual(rows.map((r) => r.name));
    }
  });

  it("writes text as text cells and times as date cells", async () => {
    const rows: Item[] = [
      { name: " Zoë <&> \"q\" 'a'\nline ", code: "+31612345678", at: "2026-03-04T05:06:07.891234Z" },
      { name: "=1+2", code: "0012", at: null },
    ];
    const workbook = await read(await collect(xlsxStream(COLUMNS, batchesOf(rows, 1))));
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.getCell("A1").font?.bold).toBe(true);
    expect(sheet.getCell("A2").value).toBe(rows[0]?.name);
    expect(sheet.getCell("B2").value).toBe("+31612345678");
    expect(sheet.getCell("C2").value).toEqual(new Date("2026-03-04T05:06:07.891Z"));
    expect(sheet.getCell("C2").numFmt).toBe("yyyy-mm-dd hh:mm:ss");
    expect(sheet.getCell("A3").value).toBe("=1+2");
    expect(sheet.getCell("B3").value).toBe("0012");
    expect(sheet.getCell("C3").value).toBeNull();
    expect(sheet.getColumn(1).width).toBe(20);
  });

  it("stops reading rows when the reader leaves", async () => {
    let finished = false;
    let batches = 0;
    async function* endless() {
      try {
        for (;;) {
          batches++;
          yield items(1000);
        }
      } finally {
        finished = true;
      }
    }
    const stream = xlsxStream(COLUMNS, endless());
    await new Promise<void>((resolve) => stream.once("data", () => resolve()));
    stream.destroy();
    await expect.poll(() => finished).toBe(true);
    expect(batches).toBeLessThan(50);
  });
});
