import { describe, expect, it } from "vitest";
import { csvRows, type Encoding } from "./csv-reader.ts";
import { UnreadableFile } from "./unreadable.ts";

async function read(text: string | Buffer, delimiter: ";" | "," | "\t" = ";", encoding: Encoding = "utf-8", piece = 7) {
  const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  async function* pieces() {
    // Small pieces, so records and characters are cut across them.
    for (let at = 0; at < bytes.length; at += piece) yield bytes.subarray(at, at + piece);
  }
  const rows: { row: number; cells: string[] }[] = [];
  for await (const row of csvRows(pieces(), encoding, delimiter)) rows.push(row);
  return rows;
}

describe("csv reader", () => {
  it("reads RFC 4180 records a piece at a time, numbering rows as a spreadsheet does", async () => {
    expect(await read('\uFEFFName;Notes\r\n"Zoë; ""the boss""";"two\nlines"\r\n\r\nBob;\r\n')).toEqual([
      { row: 1, cells: ["Name", "Notes"] },
      { row: 2, cells: ['Zoë; "the boss"', "two\nlines"] },
      { row: 4, cells: ["Bob", ""] },
    ]);
  });

  it("takes off the ' our export put before a formula, and nothing else", async () => {
    expect(await read("'=SUM(A1),'+31612345678,'-1,'@x,'abc,''=x\n", ",")).toEqual([
      { row: 1, cells: ["=SUM(A1)", "+31612345678", "-1", "@x", "'abc", "''=x"] },
    ]);
  });

  it("decodes UTF-16 and Windows-1252", async () => {
    expect(await read(Buffer.from("Zoë\tx\r\n", "utf16le"), "\t", "utf-16le")).toEqual([
      { row: 1, cells: ["Zoë", "x"] },
    ]);
    expect(
      await read(
        Buffer.concat([Buffer.from("Zoë;", "latin1"), Buffer.from([0x80]), Buffer.from("\r\n")]),
        ";",
        "windows-1252",
      ),
    ).toEqual([{ row: 1, cells: ["Zoë", "€"] }]);
  });

  it("fails a file that is not the UTF-8 it started as, or leaves a quote open, saying where", async () => {
    const notUtf8 = Buffer.concat([Buffer.from("a;b\r\nZo"), Buffer.from([0xeb]), Buffer.from(";x\r\n")]);
    await expect(read(notUtf8)).rejects.toThrow(UnreadableFile);
    await expect(read(notUtf8)).rejects.toThrow(/not valid UTF-8 after byte/);
    await expect(read('a,b\nAnn,"open\nBob,x\n', ",")).rejects.toThrow(/^Row 2 opens a quote that is never closed/);
  });
});
