import { Readable } from "node:stream";
import multipart from "@fastify/multipart";
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyRequest } from "fastify";
import type { Config } from "../config.ts";
import { contactColumns, sheetColumns } from "../contacts/columns.ts";
import { tagNames } from "../contacts/fields.ts";
import type { Db } from "../db/db.ts";
import { invalid, notFound, Problem } from "../http/problem.ts";
import * as S from "../http/schemas.ts";
import { enqueueJob, type Job } from "../jobs/runner.ts";
import { csvChunks } from "../spreadsheet/csv-writer.ts";
import { xlsxStream } from "../spreadsheet/xlsx-writer.ts";
import { errorsCsv } from "./errors-csv.ts";
import { formatBytes, saveUpload, TooLarge } from "./file.ts";
import { columnFields, type Mapping } from "./mapping.ts";
import {
  deleteAbandonedUploads,
  deleteImport,
  failImport,
  getImport,
  importFromRow,
  insertImport,
  markStarted,
  markUploaded,
  saveChunk,
} from "./repository.ts";
import { analyseImport, runImport } from "./run.ts";
import { Import, StartBody, TemplateQuery, UploadBody, UploadQuery } from "./schema.ts";
import { importSettings } from "./settings.ts";

const TEMPLATE_NAME = "contacts-import-template";
const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async function findImport(db: Db, request: FastifyRequest, id: string) {
  const row = await getImport(db, request.auth.workspace.id, id);
  if (!row || row.status === "uploading") throw notFound("import");
  return row;
}

const giveUp = (db: Db, job: Job, error: string) =>
  failImport(db, job.workspace_id, job.subject_id, `The import stopped on an error on our side: ${error}`);

/** /imports: upload a CSV, .xlsx or vCard file, map its columns, run it in the background. */
export const importRoutes =
  (db: Db, config: Config): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.addSchema(Import);
    const settings = importSettings(config, db.kind);
    const jobs = app.jobs;
    jobs.handle("import.analyze", {
      run: (job, lease) => analyseImport(db, job, settings, lease),
      onGiveUp: (job, error) => giveUp(db, job, error),
    });
    jobs.handle("import.run", {
      run: (job, lease) => runImport(db, job, settings, lease),
      onGiveUp: (job, error) => giveUp(db, job, error),
    });
    app.addHook("onReady", async () => {
      // An upload cut off by a crash never got its id to anyone: remove what it stored.
      await deleteAbandonedUploads(db);
    });

    await app.register(multipart, {
      limits: { fileSize: config.importMaxBytes + 1, files: 1, fields: 10, parts: 20 },
    });

    app.post(
      "/imports",
      {
        config: { role: "admin" },
        // The multipart body streams to the handler unparsed: the schemas document it, the
        // handler checks it (and the one query parameter) itself.
        validatorCompiler: () => () => true,
        schema: {
          tags: ["imports"],
          summary: "Upload a CSV, .xlsx or vCard (.vcf) file of contacts (multipart, one part named `file`)",
          description: `The file is stored and read in the background: poll GET /imports/{id} until it is \`ready\`. At most ${formatBytes(config.importMaxBytes)}.`,
          consumes: ["multipart/form-data"],
          querystring: UploadQuery,
          body: UploadBody,
          response: { 202: Type.Ref("Import"), ...S.problems(401, 403, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const sheet: unknown = request.query.sheet;
        if (sheet !== undefined && (typeof sheet !== "string" || sheet.length < 1 || sheet.length > 31)) {
          throw new Problem(400, "Malformed query parameter: sheet must be a sheet name of 1 to 31 characters.", {
            errors: [{ field: "sheet", message: "must be 1 to 31 characters" }],
          });
        }
        if (!request.isMultipart()) {
          throw new Problem(415, "Send the file as multipart/form-data, in a part named `file`.");
        }
        const part = await request.file({ limits: { fileSize: config.importMaxBytes + 1 } }).catch((error) => {
          throw uploadProblem(error, config.importMaxBytes);
        });
        if (part?.fieldname !== "file") {
          part?.file.resume();
          throw invalid([{ field: "file", message: "is required: send the file in a part named `file`" }]);
        }
        const workspaceId = request.auth.workspace.id;
        const fileName = (part.filename || "contacts").slice(0, 255);
        const id = await insertImport(
          db,
          workspaceId,
          request.auth.actor,
          fileName,
          (sheet as string | undefined) ?? null,
        );
        let size: number;
        try {
          size = await saveUpload(part.file, config.importMaxBytes, (no, data) =>
            saveChunk(db, workspaceId, id, no, data),
          );
          if (part.file.truncated) throw new TooLarge(config.importMaxBytes);
        } catch (error) {
          part.file.resume();
          await deleteImport(db, workspaceId, id);
          throw uploadProblem(error, config.importMaxBytes);
        }
        if (size === 0) {
          await deleteImport(db, workspaceId, id);
          throw invalid([{ field: "file", message: "is empty" }]);
        }
        await db.transaction(async (tx) => {
          await markUploaded(tx, workspaceId, id, size);
          await enqueueJob(tx, workspaceId, "import.analyze", id);
        });
        jobs.wake();
        const row = await findImport(db, request, id);
        return reply.code(202).header("location", `/api/v1/imports/${id}`).send(importFromRow(row));
      },
    );

    app.get(
      "/imports/template",
      {
        config: { role: "operator" },
        schema: {
          tags: ["imports"],
          summary: "An empty file with the export's headers, to fill in and import",
          querystring: TemplateQuery,
          response: {
            200: {
              description: `The file, as an attachment named ${TEMPLATE_NAME}.<xlsx|csv>`,
              content: {
                "text/csv": { schema: Type.String({ format: "binary" }) },
                [XLSX_TYPE]: { schema: Type.String({ format: "binary" }) },
              },
            },
            ...S.problems(400, 401),
          },
        },
      },
      async (request, reply) => {
        const empty = (async function* () {})();
        if (request.query.format === "xlsx") {
          return reply
            .type(XLSX_TYPE)
            .header("content-disposition", `attachment; filename="${TEMPLATE_NAME}.xlsx"`)
            .send(xlsxStream(sheetColumns(contactColumns()), empty) as never);
        }
        const delimiter = request.query.format === "csv-semicolon" ? ";" : ",";
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="${TEMPLATE_NAME}.csv"`)
          .send(Readable.from(csvChunks(sheetColumns(contactColumns()), empty, delimiter)) as never);
      },
    );

    app.get(
      "/imports/:id",
      {
        config: { role: "admin" },
        schema: {
          tags: ["imports"],
          summary: "An import: what was found in the file, a preview, progress and result",
          params: S.IdParams,
          response: { 200: Type.Ref("Import"), ...S.problems(400, 401, 403, 404) },
        },
      },
      async (request) => {
        return importFromRow(await findImport(db, request, request.params.id));
      },
    );

    app.post(
      "/imports/:id/start",
      {
        config: { role: "admin" },
        schema: {
          tags: ["imports"],
          summary: "Start a ready import with a mapping, a rule for duplicates and tags for every contact",
          description:
            "`mapping` is laid over the guessed one (send a header with null to leave its column out). A duplicate is a row with the ID, email, phone or external ID of a contact of this workspace or of an earlier row: `update` writes its non-blank cells into that contact, `skip` leaves it alone. Tags are added, never removed.",
          params: S.IdParams,
          body: StartBody,
          response: { 202: Type.Ref("Import"), ...S.problems(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const workspaceId = request.auth.workspace.id;
        const row = await findImport(db, request, request.params.id);
        if (row.status !== "ready") {
          throw new Problem(409, `The import is ${row.status}; only a ready import can be started.`);
        }
        const mapping: Mapping = { ...(row.mapping ?? {}), ...(request.body.mapping ?? {}) };
        const columns = row.columns ?? [];
        const { fields, errors } = columnFields(columns, mapping);
        if (errors.length === 0 && fields.every((f) => f === null)) {
          errors.push({ field: "mapping", message: "maps no column to a contact field" });
        }
        const tags = tagNames(request.body.tags ?? []);
        errors.push(...tags.errors);
        if (errors.length) throw invalid(errors);
        const started = await db.transaction(async (tx) => {
          const updated = await markStarted(tx, workspaceId, row.id, {
            mapping,
            onDuplicate: request.body.onDuplicate,
            tags: tags.tags,
          });
          if (updated) await enqueueJob(tx, workspaceId, "import.run", row.id);
          return updated;
        });
        if (!started) throw new Problem(409, "The import was started meanwhile.");
        jobs.wake();
        return reply.code(202).send(importFromRow(await findImport(db, request, row.id)));
      },
    );

    app.get(
      "/imports/:id/errors",
      {
        config: { role: "admin" },
        schema: {
          tags: ["imports"],
          summary: "The rejected rows as CSV, as they were in the file, with an Error column: fix and import again",
          params: S.IdParams,
          response: {
            200: {
              description: "CSV, UTF-8 with BOM, as an attachment named <file>-errors.csv",
              content: { "text/csv": { schema: Type.String({ format: "binary" }) } },
            },
            ...S.problems(400, 401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const row = await findImport(db, request, request.params.id);
        const base = row.file_name.replace(/\.[^.]*$/, "").replace(/["\\\r\n]/g, "") || "import";
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="${base}-errors.csv"`)
          .send(Readable.from(errorsCsv(db, row)) as never);
      },
    );
  };

/** The upload's own limit and @fastify/multipart's alike answer 413 naming the limit. */
function uploadProblem(error: unknown, limit: number): Error {
  if (error instanceof Problem) return error;
  const code = (error as { code?: string }).code;
  if (error instanceof TooLarge || code === "FST_REQ_FILE_TOO_LARGE") {
    return new Problem(413, `The file is larger than the limit of ${formatBytes(limit)}.`, { limit });
  }
  if (code === "FST_FILES_LIMIT" || code === "FST_PARTS_LIMIT" || code === "FST_FIELDS_LIMIT") {
    return new Problem(413, "Send one file, in a part named `file`.");
  }
  if (code === "FST_INVALID_MULTIPART_CONTENT_TYPE") {
    return new Problem(415, "Send the file as multipart/form-data, in a part named `file`.");
  }
  if (code === "FST_MP_PREMATURE_CLOSE") return new Problem(400, "The upload was cut off before the file ended.");
  // The multipart parser (busboy) throws plain errors for a body that is not multipart at all.
  if (/multipart|part header|boundary/i.test((error as Error).message ?? "")) {
    return new Problem(400, "The body is not valid multipart/form-data: send the file in a part named `file`.");
  }
  return error as Error;
}
