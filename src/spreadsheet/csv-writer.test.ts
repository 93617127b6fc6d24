import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import type { Column } from "./columns.ts";
import { csvChunks } from "./csv-writer.ts";

describe("csv writer", () => {
  const columns: Column<string[]>[] = [
    { header: "A;B", kind: "text", width: 10, value: (r) => r[0] ?? null },
    { header: "C", kind: "phone", width: 10, value: (r) => r[1] ?? null },
  ];
  const rows = [
    ["plain", "+31612345678"],
    ['say "hi"; or, not', ""],
    ["two\nlines\r\nhere", "-1"],
  ];

  async function text(delimiter: ";" | ",") {
    let out = "";
    for await (const chunk of csvChunks(
      columns,
      (async function* () {
        yield rows;
      })(),
      delimiter,
    ))
      out += chunk;
    return out;
  }

  it("quotes only where RFC 4180 needs it, with CRLF and a BOM", async () => {
    expect(await text(";")).toBe(
      '\uFEFF"A;B";C\r\nplain;+31612345678\r\n"say ""hi""; or, not";\r\n"two\nlines\r\nhere";\'-1\r\n',
    );
    expect(await text(",")).toBe(
      '\uFEFFA;B,C\r\nplain,+31612345678\r\n"say ""hi""; or, not",\r\n"two\nlines\r\nhere",\'-1\r\n',
    );
  });

  it("reads back with a CSV parser for both delimiters", async () => {
    for (const delimiter of [";", ","] as const) {
      const records = parse(await text(delimiter), { bom: true, delimiter, record_delimiter: "\r\n" });
      expect(records).toEqual([
        ["A;B", "C"],
        ["plain", "+31612345678"],
        ['say "hi"; or, not', ""],
        ["two\nlines\r\nhere", "'-1"],
      ]);
    }
  });
});
