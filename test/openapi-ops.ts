/**
 * The API's own OpenAPI document as a list of operations, so the fuzzing and the tenant
 * sweep cover every route that exists when they run, not a hand-kept list.
 */
import type { TestServer } from "./server.ts";

export type Schema = Record<string, any>;

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema: Schema;
}

export interface Operation {
  method: string;
  /** The OpenAPI path, e.g. /api/v1/contacts/{id}. */
  path: string;
  /** The path below /api/v1, e.g. /contacts/{id}: what a Client takes. */
  apiPath: string;
  /** "GET /contacts/{id}" */
  key: string;
  parameters: Parameter[];
  /** The request body's media type and schema, when it has one. */
  body?: { mediaType: string; schema: Schema; required: boolean };
  responses: string[];
}

export async function readOperations(server: TestServer): Promise<{ doc: Schema; operations: Operation[] }> {
  const response = await fetch(`${server.origin}/api/openapi.json`);
  if (response.status !== 200) throw new Error(`GET /api/openapi.json answered ${response.status}`);
  const doc = (await response.json()) as Schema;
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Schema>(doc.paths)) {
    for (const [method, op] of Object.entries<Schema>(item)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const content = op.requestBody?.content as Record<string, { schema?: Schema }> | undefined;
      const mediaType = content ? Object.keys(content)[0] : undefined;
      const apiPath = path.replace(/^\/api\/v1/, "");
      operations.push({
        method: method.toUpperCase(),
        path,
        apiPath,
        key: `${method.toUpperCase()} ${apiPath}`,
        parameters: (op.parameters ?? []) as Parameter[],
        body:
          content && mediaType
            ? { mediaType, schema: content[mediaType]?.schema ?? {}, required: Boolean(op.requestBody.required) }
            : undefined,
        responses: Object.keys(op.responses ?? {}),
      });
    }
  }
  return { doc, operations };
}

/** Follows a local `$ref` (`#/components/schemas/Contact` or a bare `$id`). */
export function resolve(doc: Schema, schema: Schema): Schema {
  let current = schema;
  for (let i = 0; i < 10 && current?.$ref; i++) {
    const ref = String(current.$ref);
    const name = ref.startsWith("#/") ? ref.split("/").pop() : ref.replace(/#$/, "");
    current = doc.components?.schemas?.[name as string] ?? {};
  }
  return current;
}

/** The path with its parameters filled in, each value percent-encoded unless `raw`. */
export function fillPath(apiPath: string, values: Record<string, string>, raw = false): string {
  return apiPath.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name] ?? "x";
    return raw ? value : encodePart(value);
  });
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** encodeURIComponent, except that a lone surrogate is sent as the invalid UTF-8 it would be. */
export function encodePart(value: string): string {
  return value
    .split(LONE_SURROGATE)
    .map((piece) => encodeURIComponent(piece))
    .join("%ED%A0%80");
}
