import { setTimeout as sleep } from "node:timers/promises";
import type { Client } from "./server.ts";

/** Uploads a file as a browser form would: multipart, one part named `file`. */
export async function upload(
  client: Client,
  fileName: string,
  content: Buffer | string,
  options: { query?: string; field?: string } = {},
) {
  const form = new FormData();
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  form.append(options.field ?? "file", new Blob([new Uint8Array(bytes)]), fileName);
  const headers: Record<string, string> = {};
  if (client.auth.token) headers.authorization = `Bearer ${client.auth.token}`;
  const response = await fetch(`${client.server.url}/imports${options.query ?? ""}`, {
    method: "POST",
    headers,
    body: form,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** Polls an import until it leaves the states it is passing through. */
export async function settle(client: Client, id: string, passing = ["analyzing", "running"], timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const got = await client.get(`/imports/${id}`);
    if (got.status !== 200) throw new Error(`GET /imports/${id}: ${got.status} ${got.text}`);
    if (!passing.includes(got.body.status)) return got.body;
    if (Date.now() > until) throw new Error(`import ${id} still ${got.body.status}`);
    await sleep(50);
  }
}

/** Uploads, waits for the analysis, starts, waits for the end. */
export async function importFile(
  client: Client,
  fileName: string,
  content: Buffer | string,
  start: { onDuplicate: "update" | "skip"; mapping?: Record<string, string | null>; tags?: string[] } = {
    onDuplicate: "update",
  },
) {
  const uploaded = await upload(client, fileName, content);
  if (uploaded.status !== 202) throw new Error(`upload: ${uploaded.status} ${JSON.stringify(uploaded.body)}`);
  const ready = await settle(client, uploaded.body.id);
  if (ready.status !== "ready") return ready;
  const started = await client.post(`/imports/${ready.id}/start`, start);
  if (started.status !== 202) throw new Error(`start: ${started.status} ${started.text}`);
  return settle(client, ready.id);
}

/** All contacts of the workspace, by keyset pages. */
export async function allContacts(client: Client): Promise<any[]> {
  const all: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await client.get(`/contacts?limit=200&sort=createdAt${cursor ? `&cursor=${cursor}` : ""}`);
    all.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return all;
}

/** A CSV in our export's shape: BOM, CRLF. */
export function csv(lines: string[], delimiter = ";") {
  return `\uFEFF${lines.map((l) => l.replaceAll(";", delimiter)).join("\r\n")}\r\n`;
}
