import { describe, expect, it } from "vitest";
import { decodeQuotedPrintable, looksLikeVcard, scanVcard, vcardRows } from "./vcard.ts";

/** The file in pieces of `size` bytes, so lines, CRLFs and characters are cut across them. */
async function* pieces(text: string, size: number) {
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const FILE = [
  "\uFEFFBEGIN:VCARD",
  "VERSION:3.0",
  "N:de Vries;Zoë;;;",
  "FN:Zoë de",
  "  Vries",
  "EMAIL;TYPE=INTERNET:zoe@example.nl",
  "TEL;TYPE=WORK:+31 20 123 4567",
  "TEL;TYPE=CELL;TYPE=pref:06 1234",
  " 5678",
  "TZ:-05:00",
  "END:VCARD",
  "BEGIN:VCARD",
  "VERSION:2.1",
  "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCr=",
  "gen;;;",
  "TEL;CELL:+49 170 1234567",
  "AGENT:",
  "BEGIN:VCARD",
  "FN:Someone Else",
  "END:VCARD",
  "CATEGORIES:Kunden",
  "END:VCARD",
  "",
].join("\r\n");

describe("reading vCard files", () => {
  it("gives the same rows whatever pieces the file arrives in", async () => {
    for (const size of [1, 2, 3, 7, 64, 100_000]) {
      const columns = await scanVcard(pieces(FILE, size), "utf-8");
      expect(columns).toEqual(["FN", "N", "EMAIL", "TEL", "TEL 2", "LANG", "TZ", "UID", "CATEGORIES"]);
      const rows = [];
      for await (const row of vcardRows(pieces(FILE, size), "utf-8", columns)) rows.push(row);
      expect(rows).toEqual([
        { row: 1, cells: columns },
        {
          row: 2,
          cells: [
            "Zoë de Vries",
            "de Vries;Zoë;;;",
            "zoe@example.nl",
            "06 12345678",
            "+31 20 123 4567",
            "",
            "Etc/GMT+5",
            "",
            "",
          ],
        },
        // The agent's card inside is left out, and the outer card goes on after it.
        { row: 3, cells: ["", "Müller;Jürgen;;;", "", "+49 170 1234567", "", "", "", "", "Kunden"] },
      ]);
    }
  });

  it("tells a vCard by its first line", () => {
    expect(looksLikeVcard("\uFEFF\r\nBEGIN:VCARD\r\nVERSION:3.0")).toBe(true);
    expect(looksLikeVcard("begin:vcard\nfn:a")).toBe(true);
    expect(looksLikeVcard("Name,Email\nBEGIN:VCARD,x")).toBe(false);
    expect(looksLikeVcard("BEGIN:VCARDS")).toBe(false);
  });

  it("decodes quoted-printable in the value's charset", () => {
    expect(decodeQuotedPrintable("J=C3=BCrgen")).toBe("Jürgen");
    expect(decodeQuotedPrintable("J=FCrgen", "ISO-8859-1")).toBe("Jürgen");
    expect(decodeQuotedPrintable("=80 5", "Windows-1252")).toBe("€ 5");
    expect(decodeQuotedPrintable("a=3Db", "no-such-charset")).toBe("a=b");
  });
});
