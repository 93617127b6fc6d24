import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { inject } from "vitest";
import { buildApp } from "../src/app.ts";
import { type Config, readConfig } from "../src/config.ts";
import type { Db } from "../src/db/db.ts";
import { migrate } from "../src/db/migrate.ts";
import { openPglite } from "../src/db/pglite.ts";
import { openPostgres } from "../src/db/postgres.ts";

export type DatabaseKind = "pglite" | "postgres";

/** The databases every API test runs on: PGlite always, the PostgreSQL server when given. */
export function databases(): DatabaseKind[] {
  // The partitioned run is about the PostgreSQL server's rules; PGlite ran in the main run.
  if (partitions()) return ["postgres"];
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

/** TEST_PARTITIONS=N: tenant tables hash-partitioned by workspace_id, as Citus would distribute them. */
export function partitions(): number | undefined {
  const n = Number(process.env.TEST_PARTITIONS ?? "");
  if (!process.env.TEST_PARTITIONS) return undefined;
  if (!Number.isInteger(n) || n < 1) throw new Error(`TEST_PARTITIONS must be a positive integer, got "${n}"`);
  if (!process.env.TEST_DATABASE_URL) throw new Error("TEST_PARTITIONS needs TEST_DATABASE_URL (a PostgreSQL server)");
  return n;
}

/** A fresh, migrated database of the kind asked for; `drop` removes it. */
export async function freshDatabase(
  kind: DatabaseKind,
  partitionCount = partitions(),
): Promise<{ db: Db; url?: string; drop: () => Promise<void> }> {
  if (kind === "pglite") {
    const template = readFileSync(inject("pgliteTemplate"));
    const db = await openPglite({ loadDataDir: new Blob([template]) });
    return { db, drop: () => db.close() };
  }
  const adminUrl = process.env.TEST_DATABASE_URL as string;
  const name = `contacts_t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = openPostgres(url.toString());
  await migrate(db, undefined, { partitions: partitionCount });
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export interface TestServer {
  url: string;
  origin: string;
  db: Db;
  config: Config;
  close(): Promise<void>;
}

/** The real server, listening on a free port, on a fresh database. */
export async function startServer(
  kind: DatabaseKind,
  env: Record<string, string> = {},
  options: { partitions?: number } = {},
): Promise<TestServer> {
  const { db, drop } = await freshDatabase(kind, options.partitions ?? partitions());
  const config = { ...readConfig({ ALLOW_SIGNUP: "1", ...env }), port: 0 };
  const app = await buildApp({ db, config, logger: false });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/api/v1`,
    origin,
    db,
    config,
    async close() {
      await app.close();
      await drop();
    },
  };
}

export interface Response<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** An API client: a bearer token or a session cookie (sent with our own Origin, as a browser would). */
export class Client {
  constructor(
    readonly server: TestServer,
    readonly auth: { token?: string; cookie?: string } = {},
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response<T>> {
    const all: Record<string, string> = { ...headers };
    if (this.auth.token) all.authorization = `Bearer ${this.auth.token}`;
    if (this.auth.cookie) {
      all.cookie = this.auth.cookie;
      all.origin ??= this.server.origin;
    }
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === "string" ? body : JSON.stringify(body);
      all["content-type"] ??= "application/json";
    }
    const response = await fetch(`${this.server.url}${path}`, { method, headers: all, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get("content-type") ?? "").includes("json") && text) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  get = <T = any>(path: string, headers?: Record<string, string>) => this.request<T>("GET", path, undefined, headers);
  post = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request<T>("POST", path, body, headers);
  patch = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request<T>("PATCH", path, body, headers);
  put = <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
    this.request<T>("PUT", path, body, headers);
  delete = <T = any>(path: string, headers?: Record<string, string>) =>
    this.request<T>("DELETE", path, undefined, headers);
}

export interface Workspace {
  id: string;
  slug: string;
  /** Signed in with the admin's session cookie. */
  adminSession: Client;
  admin: Client;
  operator: Client;
  adminEmail: string;
  password: string;
}

let counter = 0;

/** A new workspace (setup) with an admin session and admin and operator API tokens. */
export async function createWorkspace(server: TestServer, name = `Workspace ${++counter}`): Promise<Workspace> {
  const anonymous = new Client(server);
  const adminEmail = `admin-${randomBytes(4).toString("hex")}@example.com`;
  const password = "correct horse battery staple";
  const setup = await anonymous.post("/setup", { workspaceName: name, name: "Ann Admin", email: adminEmail, password });
  if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${setup.text}`);
  const cookie = (setup.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const adminSession = new Client(server, { cookie });
  const tokens = await Promise.all(
    (["admin", "operator"] as const).map(async (role) => {
      const created = await adminSession.post("/tokens", { name: `${role} token`, role });
      if (created.status !== 201) throw new Error(`token failed: ${created.status} ${created.text}`);
      return created.body.token as string;
    }),
  );
  return {
    id: setup.body.workspace.id,
    slug: setup.body.workspace.slug,
    adminSession,
    admin: new Client(server, { token: tokens[0] }),
    operator: new Client(server, { token: tokens[1] }),
    adminEmail,
    password,
  };
}
