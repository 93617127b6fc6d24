import { Type } from "@sinclair/typebox";
import * as S from "../http/schemas.ts";
import { IMPORT_FIELDS } from "./mapping.ts";

/** The request and response shapes of /imports, which also write its OpenAPI document. */
export const ImportField = Type.Union(
  IMPORT_FIELDS.map((f) => Type.Literal(f)),
  {
    description:
      "a contact field a column fills; `name` is a whole name in one cell, split into first and last name when the row has neither",
  },
);

export const Mapping = Type.Record(Type.String(), S.Nullable(ImportField), {
  description: "column header → contact field, or null for a column that is not imported",
});

export const ImportStatus = Type.Union(
  ["analyzing", "ready", "running", "finished", "failed"].map((s) => Type.Literal(s)),
  {
    description: "analyzing: the file is being read; ready: waiting for /start; running; finished; failed (see error)",
  },
);

const FieldError = Type.Object({ field: Type.String(), message: Type.String() });

export const Import = Type.Object(
  {
    id: S.Uuid,
    status: ImportStatus,
    error: S.Nullable(Type.String({ description: "why the import failed, when it did" })),
    fileName: Type.String(),
    size: Type.Integer({ description: "bytes" }),
    format: S.Nullable(
      Type.Union([Type.Literal("csv"), Type.Literal("xlsx"), Type.Literal("vcard")], {
        description: "csv, xlsx, or vcard (a .vcf file: one row per card, columns named after its properties)",
      }),
    ),
    delimiter: S.Nullable(Type.String({ description: "the CSV delimiter found: ; , or a tab" })),
    encoding: S.Nullable(
      Type.String({ description: "the text encoding of a CSV or vCard file: utf-8, utf-16le, utf-16be, windows-1252" }),
    ),
    sheet: S.Nullable(Type.String({ description: "the sheet of a workbook that is read" })),
    columns: Type.Array(Type.String(), { description: "the header row, in file order" }),
    mapping: Mapping,
    preview: Type.Array(
      Type.Object({
        row: Type.Integer({ description: "the row number as a spreadsheet shows it (the header is row 1)" }),
        values: Type.Array(Type.String(), { description: "the cells, in the order of `columns`" }),
        errors: Type.Array(FieldError),
        notes: Type.Array(Type.Object({ column: Type.String(), message: Type.String() }), {
          description:
            "cells of this row that will not be imported, or not all of them: a second e-mail address or phone number (a contact has one), a cell holding several values",
        }),
      }),
      { description: "the first 20 data rows, checked with the guessed mapping" },
    ),
    onDuplicate: S.Nullable(Type.Union([Type.Literal("update"), Type.Literal("skip")])),
    tags: Type.Array(Type.String()),
    progress: Type.Object({
      done: Type.Integer({ description: "data rows written so far" }),
      total: S.Nullable(Type.Integer({ description: "data rows in the file, once read" })),
    }),
    result: S.Nullable(
      Type.Object(
        {
          created: Type.Integer(),
          updated: Type.Integer(),
          skipped: Type.Integer(),
          failed: Type.Integer(),
        },
        { description: "once started: the counts so far, which add up to progress.done" },
      ),
    ),
    createdAt: Type.String({ format: "date-time" }),
    startedAt: S.Nullable(Type.String({ format: "date-time" })),
    finishedAt: S.Nullable(Type.String({ format: "date-time" })),
  },
  { $id: "Import" },
);

export const UploadQuery = Type.Object({
  sheet: Type.Optional(
    Type.String({ minLength: 1, maxLength: 31, description: "the sheet of a workbook to read (default: the first)" }),
  ),
});

export const UploadBody = Type.Object({
  file: Type.String({ format: "binary", description: "the CSV, .xlsx or vCard (.vcf) file" }),
});

export const StartBody = Type.Object(
  {
    mapping: Type.Optional(Mapping),
    onDuplicate: Type.Union([Type.Literal("update"), Type.Literal("skip")], {
      description: "what a row that matches an existing contact (by ID, email, phone or external ID) does",
    }),
    tags: Type.Optional(Type.Array(Type.String(), { maxItems: 100, description: "tags every imported contact gets" })),
  },
  { additionalProperties: false },
);

export const TemplateQuery = Type.Object({
  format: Type.Union([Type.Literal("xlsx"), Type.Literal("csv-semicolon"), Type.Literal("csv-comma")]),
});
