import { PassThrough, pipeline, Readable } from "node:stream";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import { recordEvent } from "../audit/repository.ts";
import {
  type ContactCells,
  type ContactColumn,
  contactColumns,
  FIXED_COLUMNS,
  sheetColumns,
} from "../contacts/columns.ts";
import { type ContactFilter, DEFAULT_SORT } from "../contacts/query.ts";
import { ListQuery } from "../contacts/schema.ts";
import { resolveFilter } from "../contacts/store.ts";
import type { Db } from "../db/db.ts";
import { badRequest, invalid } from "../http/problem.ts";
import * as S from "../http/schemas.ts";
import { type CsvDelimiter, csvChunks } from "../spreadsheet/csv-writer.ts";
import { xlsxStream } from "../spreadsheet/xlsx-writer.ts";
import { contactCsv } from "./contactCsv.ts";
import { contactBatches, EXPORT_BATCH_SIZE, type ExportRead, SERVER_AHEAD } from "./rows.ts";

/** What an export reads: the contacts of a filter (none when the filter can match nothing). */
interface Source {
  /** The columns written, in order. */
  columns: ContactColumn[];
  filter: ContactFilter | undefined;
  read: ExportRead;
  /** PGlite, in this process: its CSV takes the general writer (see `csv`), and it reads one batch at a time. */
  inProcess: boolean;
}

/**
 * CSV from a PostgreSQL server comes as pre-joined strings (contactCsv.ts). PGlite runs
 * the query in this process, where that took longer than the rows as columns (4.2 s against
 * 5.6 s for 100,000 contacts), so it takes the general writer.
 */
function csv(source: Source, delimiter: CsvDelimiter) {
  const columns = sheetColumns(source.columns);
  if (!source.filter) return csvChunks(columns, noRows(), delimiter);
  if (source.inProcess) {
    return csvChunks(
      columns,
      contactBatches({ columns: source.columns, ...source.read, batchSize: EXPORT_BATCH_SIZE }),
      delimiter,
    );
  }
  return contactCsv({ columns: source.columns, ...source.read, delimiter });
}

/** The formats of the Export menu: what each is called in the URL, its file and its writer. */
const FORMATS = {
  xlsx: {
    extension: "xlsx",
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    write: (source: Source) =>
      xlsxStream(
        sheetColumns(source.columns),
        source.filter
          ? contactBatches({
              columns: source.columns,
              ...source.read,
              batchSize: EXPORT_BATCH_SIZE,
              times: "serials",
              ahead: source.inProcess ? 1 : SERVER_AHEAD,
            })
          : noRows(),
      ),
  },
  "csv-semicolon": {
    extension: "csv",
    contentType: "text/csv; charset=utf-8",
    write: (source: Source) =>
      Readable.from(csv(source, ";"), {
        objectMode: false,
      }),
  },
  "csv-comma": {
    extension: "csv",
    contentType: "text/csv; charset=utf-8",
    write: (source: Source) =>
      Readable.from(csv(source, ","), {
        objectMode: false,
      }),
  },
} as const;

async function* noRows(): AsyncGenerator<ContactCells[]> {}

type Format = keyof typeof FORMATS;
const FORMAT_NAMES = Object.keys(FORMATS) as Format[];

/** A selection travels in the URL; Node's 16 KB header limit holds about 400 ids. */
const MAX_IDS = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ExportQuery = Type.Object(
  {
    format: Type.Union([Type.Literal("xlsx"), Type.Literal("csv-semicolon"), Type.Literal("csv-comma")], {
      description: "xlsx, or CSV separated by `;` (Excel in most of Europe) or by `,`",
    }),
    q: ListQuery.properties.q,
    tag: ListQuery.properties.tag,
    language: ListQuery.properties.language,
    channel: ListQuery.properties.channel,
    sort: ListQuery.properties.sort,
    ids: Type.Optional(
      Type.String({
        maxLength: MAX_IDS * 37,
        description: "comma-separated contact ids: export this selection (within the filters, if any)",
      }),
    ),
  },
  { additionalProperties: false },
);

/** `a,b` → the ids, lower case and without repeats; 400 naming `ids` when one is not an id. */
export function parseIds(text: string): string[] {
  const ids = text.split(",").map((id) => id.trim().toLowerCase());
  const bad = ids.filter((id) => !UUID.test(id));
  if (bad.length || !ids.length) {
    const message = ids.length && bad[0] ? `"${bad[0].slice(0, 40)}" is not a contact id` : "lists no contact id";
    throw badRequest(`Malformed query parameter: ids ${message}.`, [{ field: "ids", message }]);
  }
  return [...new Set(ids)];
}

export const exportRoutes =
  (db: Db): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/contacts/export",
      {
        config: { role: "admin" },
        // Validation is checked in the handler: a wrong format is a 422 that lists the
        // valid ones, after the role check, while other bad parameters stay a 400.
        attachValidation: true,
        // A HEAD would run (and audit) a whole export only to throw it away.
        exposeHeadRoute: false,
        schema: {
          tags: ["contacts"],
          summary: "Export the filtered list or a selection as .xlsx or CSV, streamed (admin)",
          description: `Columns: ${FIXED_COLUMNS.map((column) => column.header).join(", ")}.`,
          querystring: ExportQuery,
          produces: [...new Set(FORMAT_NAMES.map((f) => FORMATS[f].contentType))],
          response: {
            200: {
              description: "The file, as an attachment named contacts-<workspace>-<YYYY-MM-DD>.<xlsx|csv>",
              content: Object.fromEntries(
                FORMAT_NAMES.map((f) => [FORMATS[f].contentType, { schema: Type.String({ format: "binary" }) }]),
              ),
            },
            ...S.problems(400, 401, 403, 422),
          },
        },
      },
      async (request, reply) => {
        const failed = request.validationError;
        if (failed) {
          if (failed.validation.some((e: { instancePath: string; params: Record<string, unknown> }) => isFormat(e))) {
            throw invalid([{ field: "format", message: `must be one of ${FORMAT_NAMES.join(", ")}` }]);
          }
          throw failed;
        }
        const query = request.query;
        const format = FORMATS[query.format];
        const sort = query.sort ?? DEFAULT_SORT;
        const ids = query.ids === undefined ? undefined : parseIds(query.ids);
        const { workspace, actor } = request.auth;
        const filter = await resolveFilter(db, workspace.id, {
          q: query.q,
          tag: query.tag,
          language: query.language,
          channel: query.channel,
          ids,
        });

        const progress = { rows: 0 };
        const source: Source = {
          columns: contactColumns(),
          filter,
          read: { db, workspaceId: workspace.id, filter: filter as ContactFilter, sort, progress },
          inProcess: db.kind === "pglite",
        };
        const body = new PassThrough();
        pipeline(format.write(source), body, (error) => {
          const details = {
            format: query.format,
            ...(ids
              ? { ids }
              : { filter: { q: query.q, tag: query.tag, language: query.language, channel: query.channel, sort } }),
            rows: progress.rows,
            ...(error ? { aborted: true } : {}),
          };
          recordEvent(db, workspace.id, actor, "contacts.exported", { details }).catch((e) =>
            request.log.error({ err: e }, "could not record the export in the audit log"),
          );
        });
        const day = new Date().toISOString().slice(0, 10);
        return (
          reply
            .header("content-type", format.contentType)
            .header(
              "content-disposition",
              `attachment; filename="contacts-${workspace.slug}-${day}.${format.extension}"`,
            )
            .header("cache-control", "no-store")
            // The 200 schema documents the file; a stream is sent as it is, never serialised.
            .send(body as never)
        );
      },
    );
  };

function isFormat(error: { instancePath: string; params: Record<string, unknown> }) {
  return error.instancePath === "/format" || error.params.missingProperty === "format";
}
