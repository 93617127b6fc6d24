import { describe, expect, it } from "vitest";
import { detectDelimiter, detectEncoding, UnreadableFile } from "./detect.ts";
import { columnFields, guessMapping } from "./mapping.ts";
import { splitName, splitTags } from "./rows.ts";

describe("detecting a CSV's delimiter", () => {
  it.each([
    ["a;b;c\n1;2;3\n", ";"],
    ["a,b,c\n1,2,3\n", ","],
    ["a\tb\tc\n1\t2\t3\n", "\t"],
    // Commas inside a ;-file's cells (unquoted, as Excel writes them) do not fool it.
    ["Name;Tags\nAnn;Sales, Billing\nBob;Support, Sales, VIP\n", ";"],
    // Nor do delimiters inside quotes.
    ['Name,Notes\nAnn,"a;b;c;d"\nBob,"e;f"\n', ","],
    ["Email\nann@example.com\n", ","],
  ])("%j → %j", (text, delimiter) => {
    expect(detectDelimiter(text)).toBe(delimiter);
  });
});

describe("detecting a CSV's encoding", () => {
  it("tells UTF-8 (with or without BOM), UTF-16 and Windows-1252 apart", () => {
    expect(detectEncoding(Buffer.from("\uFEFFZoë;x", "utf8"))).toBe("utf-8");
    expect(detectEncoding(Buffer.from("Zoë;x", "utf8"))).toBe("utf-8");
    expect(detectEncoding(Buffer.from("Zoë;x", "latin1"))).toBe("windows-1252");
    expect(detectEncoding(Buffer.from("Name\tEmail\r\nZoë\tz@x.nl", "utf16le"))).toBe("utf-16le");
    expect(detectEncoding(Buffer.from("Name\tEmail\r\nZoë\tz@x.nl", "utf16le").swap16())).toBe("utf-16be");
  });

  it("refuses binary data", () => {
    expect(() => detectEncoding(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3, 0]))).toThrow(
      UnreadableFile,
    );
  });
});

describe("mapping headers to fields", () => {
  it("matches our export's headers and common ones, ignoring case, accents and punctuation", () => {
    expect(
      guessMapping([
        "ID",
        "Voornaam",
        "NACHNAME",
        "E-mail adres",
        "Phone number",
        "Taal",
        "Time zone",
        "External ID",
        "Tags",
        "Prénom",
        "Created at",
        "Notes",
      ]),
    ).toEqual({
      ID: "id",
      Voornaam: "firstName",
      NACHNAME: "lastName",
      "E-mail adres": "email",
      "Phone number": "phone",
      Taal: "language",
      "Time zone": "timezone",
      "External ID": "externalId",
      Tags: "tags",
      // The first column that names a field gets it.
      Prénom: null,
      "Created at": null,
      Notes: null,
    });
  });

  it("refuses a mapping that gives one field two columns or names a column that is not there", () => {
    const { errors } = columnFields(["Voornaam", "Roepnaam"], {
      Voornaam: "firstName",
      Roepnaam: "firstName",
      Fax: "phone",
    });
    expect(errors).toEqual([
      { field: "mapping.Fax", message: "is not a column of the file" },
      { field: "mapping.Roepnaam", message: 'maps to firstName, which column "Voornaam" already has' },
    ]);
  });

  it("lets several columns fill the e-mail, phone, name and tags, the first non-empty one winning", () => {
    const { fields, errors } = columnFields(["Mobile", "Phone", "Labels", "Categories"], {
      Mobile: "phone",
      Phone: "phone",
      Labels: "tags",
      Categories: "tags",
    });
    expect(errors).toEqual([]);
    expect(fields).toEqual(["phone", "phone", "tags", "tags"]);
  });
});

describe("cells", () => {
  it("splits tags as our export joins them, and as others do", () => {
    expect(splitTags("Sales, Billing")).toEqual(["Sales", "Billing"]);
    expect(splitTags("Sales;Support | VIP,")).toEqual(["Sales", "Support", "VIP"]);
    // Google: " ::: " between labels, its system group of everyone left out, the star of the others dropped.
    expect(splitTags("* myContacts ::: Friends ::: * starred")).toEqual(["Friends", "starred"]);
  });

  it("splits a whole name into first and last name", () => {
    expect(splitName("Jan van der Berg")).toEqual({ firstName: "Jan", lastName: "van der Berg" });
    expect(splitName("  Madonna ")).toEqual({ firstName: "Madonna" });
    expect(splitName("Smith, John")).toEqual({ firstName: "John", lastName: "Smith" });
    expect(splitName("de Vries;Zoë;;;")).toEqual({ firstName: "Zoë", lastName: "de Vries" });
    expect(splitName("Public;;;;")).toEqual({ lastName: "Public" });
    expect(splitName("+31 6 12345678")).toBeUndefined();
    expect(splitName("someone@example.com")).toBeUndefined();
  });
});
