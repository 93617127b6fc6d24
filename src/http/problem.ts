import { STATUS_CODES } from "node:http";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";

export interface FieldError {
  field: string;
  message: string;
}

/**
 * A problem the client can act on, answered as RFC 9457 `application/problem+json`.
 * The domain throws these; `sendProblem` is the one place that writes them.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new Problem(400, detail, errors ? { errors } : {});
export const unauthorized = (detail = "Sign in, or send a valid bearer token.") => new Problem(401, detail);
export const forbidden = (detail: string) => new Problem(403, detail);
export const notFound = (what: string) => new Problem(404, `No such ${what} in this workspace.`);
export const invalid = (errors: FieldError[]) =>
  new Problem(422, errors.map((e) => `${e.field}: ${e.message}`).join("; "), { errors });
export const tooManyRequests = (retryAfterSeconds: number, detail: string) =>
  new Problem(429, detail, {}, { "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))) });

const TYPE_BASE = "https://contacts.dev/problems/";
const TYPES: Record<number, string> = {
  400: "bad-request",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  409: "conflict",
  412: "precondition-failed",
  413: "payload-too-large",
  415: "unsupported-media-type",
  422: "validation",
  429: "rate-limited",
  500: "internal",
};

export function problemBody(status: number, detail: string, extra: Record<string, unknown> = {}) {
  return {
    type: `${TYPE_BASE}${TYPES[status] ?? String(status)}`,
    title: STATUS_CODES[status] ?? "Error",
    status,
    detail,
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem) {
  return reply
    .code(problem.status)
    .headers(problem.headers)
    .type("application/problem+json")
    .send(problemBody(problem.status, problem.detail, problem.extra));
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** `/email` → `email`; `/tags/2` → `tags[2]`; a missing or unknown property names itself. */
export function fieldOf(error: AjvError, context: string): string {
  const parts = error.instancePath.split("/").slice(1);
  const extra = error.params.missingProperty ?? error.params.additionalProperty;
  if (extra !== undefined) parts.push(String(extra));
  let field = "";
  for (const part of parts) field += /^\d+$/.test(part) ? `[${part}]` : field ? `.${part}` : part;
  return field || context;
}

function messageOf(error: AjvError): string {
  if (error.keyword === "additionalProperties") return "is not a known field";
  if (error.keyword === "required") return "is required";
  return error.message ?? "is invalid";
}

/** Maps anything thrown while handling a request to a problem; 500 only for our own bugs. */
export function toProblem(error: FastifyError | Problem | Error, request: FastifyRequest): Problem {
  if (error instanceof Problem) return error;
  const fastifyError = error as FastifyError & { validation?: AjvError[] };
  if (fastifyError.validation) {
    const context = fastifyError.validationContext ?? "body";
    const errors = dedupe(fastifyError.validation.map((e) => ({ field: fieldOf(e, context), message: messageOf(e) })));
    if (context === "body") {
      if (request.body === undefined || request.body === null) {
        return badRequest("This request needs a JSON body.");
      }
      return invalid(errors);
    }
    return badRequest(
      `Malformed ${context === "querystring" ? "query parameter" : context}: ${errors
        .map((e) => `${e.field} ${e.message}`)
        .join("; ")}`,
      errors,
    );
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    if (fastifyError.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error instanceof SyntaxError) {
      return badRequest("The body is not valid JSON.");
    }
    if (status === 413) return new Problem(413, "The request body is too large.");
    if (status === 429) return new Problem(429, error.message, {}, {});
    return new Problem(status, error.message);
  }
  return new Problem(500, "Something went wrong on our side. It has been logged.");
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}\n${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
