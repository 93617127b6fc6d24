import { setImmediate as nextTurn } from "node:timers/promises";
import type { ContactCells, ContactColumn } from "../contacts/columns.ts";
import type { Position } from "../contacts/cursor.ts";
import { type ContactFilter, isNarrowSearch, pageQuery } from "../contacts/query.ts";
import type { Queryable } from "../db/db.ts";

/**
 * Rows per query for the xlsx: 1,000,000 contacts take 400 round trips. Measured at a
 * million rows, 2,500 beat 5,000 on time and on the server's peak memory (+124 MB against
 * +173 MB): the batch in hand and the one read ahead are what lives long enough to be
 * promoted. PGlite holds a whole result in memory (200,000 rows at once took ~790 MB there).
 */
export const EXPORT_BATCH_SIZE = 2_500;

/** What every batch query returns beside its select list: the row's place in the order. */
export interface Keyed {
  id: string;
  sort_key: unknown;
}

const ignore = () => {};

/**
 * The workspace's tags, to name a contact's tag ids ("id id") in the API's order (by
 * lower-cased name). A tag made during the export is not in the catalogue read at the
 * start: meeting an unknown id reloads it.
 */
export class TagNames {
  private catalogue = new Map<string, { name: string; rank: number }>();

  constructor(
    private readonly db: Queryable,
    private readonly workspaceId: string,
  ) {}

  async load() {
    const rows = await this.db.query<{ id: string; name: string }>(
      "select id, name from tags where workspace_id = $1 order by lower(name)",
      [this.workspaceId],
    );
    this.catalogue = new Map(rows.map((row, rank) => [row.id, { name: row.name, rank }]));
  }

  /** Whether every id of `ids` is in the catalogue. */
  knows(ids: string): boolean {
    if (ids.length === 36) return this.catalogue.has(ids);
    return ids.split(" ").every((id) => this.catalogue.has(id));
  }

  /** The names of `ids` in order; an id no longer in the catalogue is a tag deleted meanwhile. */
  names(ids: string): string[] {
    const one = ids.length === 36 ? this.catalogue.get(ids) : undefined;
    if (one) return [one.name];
    const tags = ids.split(" ").flatMap((id) => this.catalogue.get(id) ?? []);
    if (tags.length > 1) tags.sort((a, b) => a.rank - b.rank);
    return tags.map((tag) => tag.name);
  }

  /** Reloads the catalogue once when a batch carries a tag it does not know. */
  async cover(idLists: Iterable<string | null>) {
    for (const ids of idLists) {
      if (ids !== null && !this.knows(ids)) return this.load();
    }
  }
}

/**
 * Batches an export reads at once from a PostgreSQL server (see keysetBatches). A batch's
 * round trip, not node's work on it, bounded a CSV export read one batch at a time, and
 * the xlsx waited for it too (at 1,000,000 contacts, in-process: CSV 8.0–9.1 s → 6.8–6.9 s,
 * xlsx 20–21 s → 14–18 s).
 */
export const SERVER_AHEAD = 2;

/** What an export reads: whose contacts, which of them, in which order, and how many at a time. */
export interface ExportRead {
  db: Queryable;
  workspaceId: string;
  filter: ContactFilter;
  /** The list's sort (`name`, `-createdAt`…). */
  sort: string;
  /** Counts the rows read so far (for the audit log). */
  progress: { rows: number };
}

export interface BatchOptions extends ExportRead {
  batchSize: number;
  /** How many batches are read at once (on a PostgreSQL server, SERVER_AHEAD); 1 by default. */
  ahead?: number;
}

export interface KeysetOptions extends BatchOptions {
  /** The columns each row is read with (SQL over the alias `c`). */
  select: string;
}

export interface ContactBatchOptions extends BatchOptions {
  columns: readonly ContactColumn[];
  /** Times as ISO 8601 text (CSV) or as spreadsheet serials (xlsx); ISO by default. */
  times?: "iso" | "serials";
}

/**
 * The rows of a filter in keyset batches, in the list's sort order, each row with the
 * columns of `select`. Each batch is a query of its own (no transaction, no cursor, no
 * OFFSET), so no connection is held between batches and a download that stops midway
 * leaves nothing open. Further batches are read while the current one is written; they
 * are asked for only when the consumer pulls, so a slow client slows the reads down
 * instead of filling memory.
 *
 * With `ahead` above 1 (and no search), that many batches are read at once, on as many
 * connections: a cheap query of the keys alone finds where each batch ends (its last
 * row's place), and each batch is then read as the range between two such places. A
 * batch's round trip (the query, the transfer of its rows) is most of what a CSV export
 * waits for; side by side they overlap, and the range keeps the batches adjoining even
 * when contacts change meanwhile.
 */
export async function* keysetBatches<Row extends Keyed>(options: KeysetOptions): AsyncGenerator<Row[]> {
  const { db, workspaceId, filter, sort, progress, batchSize, select, ahead = 1 } = options;
  const narrow = await isNarrowSearch(db, workspaceId, filter, sort);
  const inFlight = filter.q ? 1 : Math.max(1, ahead);
  const settle = <T>(promise: Promise<T>) => {
    // Read ahead while the consumer may be gone: its failure is seen when awaited, not lost.
    promise.catch(ignore);
    return promise;
  };
  // A range is read with a limit too: without one the planner, which cannot estimate a
  // range of (key, id) pairs, sorted the whole workspace for every batch. Twice a batch is
  // more than a range can hold unless contacts were added to it meanwhile; then the rest
  // of the range is read next.
  const cap = batchSize * 2;
  /** Rows after `after`: up to `until` (at most `cap`) when it is known, else a batch of them. */
  const read = (after?: Position, until?: Position): Promise<Row[]> => {
    const limit = until ? cap : batchSize;
    const { sql, params } = pageQuery(workspaceId, { filter, sort, limit, after, until, columns: select, narrow });
    return settle(db.query<Row>(sql, params));
  };
  /** Where the batch after `after` ends, when it is a full one. */
  const end = (after?: Position): Promise<Position | undefined> => {
    const { sql, params } = pageQuery(workspaceId, { filter, sort, limit: batchSize, after, columns: "c.id", narrow });
    params.push(batchSize - 1);
    const found = db.query<Keyed>(`select id, sort_key from (${sql}) as page offset $${params.length}`, params);
    return settle(found.then(([row]) => (row ? { sort, key: String(row.sort_key), id: row.id } : undefined)));
  };

  const queue: { rows: Promise<Row[]>; until?: Position }[] = [];
  /** Where the next batch to ask for starts; undefined before the first. */
  let from: Position | undefined;
  /** Where that batch ends, being looked up; null once the reads have reached the end. */
  let nextEnd: Promise<Position | undefined> | null = inFlight > 1 ? end() : null;
  let done = false;
  try {
    if (!nextEnd) queue.push({ rows: read() });
    while (!done || queue.length) {
      while (nextEnd && queue.length < inFlight) {
        const until = await nextEnd;
        if (until) {
          queue.push({ rows: read(from, until), until });
          from = until;
          nextEnd = end(until);
        } else {
          // Fewer than a batch remain: one last read, continued below if rows were added.
          queue.push({ rows: read(from) });
          nextEnd = null;
        }
      }
      const head = queue.shift();
      if (!head) break;
      const rows = await head.rows;
      // PGlite answers without real I/O, and a socket that takes every write never pushes
      // back: without a turn of the event loop here, a whole export would run before a
      // disconnect or another request is even noticed.
      await nextTurn();
      const last = rows.at(-1);
      const after = last && { sort, key: String(last.sort_key), id: last.id };
      if (head.until) {
        // A range that held more than `cap` rows: the rest of it comes next.
        if (after && rows.length === cap) queue.unshift({ rows: read(after, head.until), until: head.until });
      } else if (after && rows.length === batchSize) {
        from = after;
        if (inFlight > 1) nextEnd = end(from);
        else queue.push({ rows: read(from) });
      } else done = true;
      if (!rows.length) continue;
      progress.rows += rows.length;
      yield rows;
    }
  } finally {
    // Batches read ahead for a consumer that left: let them finish, so their connections
    // are back in the pool before the export is reported as over.
    await Promise.all([...queue.map((q) => q.rows.catch(ignore)), nextEnd?.catch(ignore)]);
  }
}

/** A column's name in a select list: its field, quoted. */
export const alias = (field: string) => `"${field.replaceAll('"', '""')}"`;

/** A contact's tag ids as text ("id id", "" for none), from its own row. */
export const tagIdsText = (sql: string) => `array_to_string(${sql}, ' ')`;

/**
 * A time as the spreadsheet's date serial, computed by the database: the same double as
 * `excelSerial` of its ISO text (whole milliseconds since 1970 / 86,400,000 + 25,569),
 * written in the same shortest form. A time Excel cannot hold (before March 1900, or
 * infinite) comes as its ISO text instead. Reading ISO text and converting it in node took
 * a seventh of an xlsx export's time.
 */
const serial = (column: string) => `coalesce(
  case when ${column} >= '1900-03-01 00:00:00+00' and isfinite(${column})
    then (floor(round(date_part('epoch', ${column}) * 1000000) / 1000) / 86400000 + 25569)::text end,
  replace(replace(${column}::text, ' ', 'T'), '+00', 'Z'))`;

/**
 * The select list of a column list, each column under its field: text as stored, tags as
 * their ids ("id id"), times as ISO text or (`serials`, for the xlsx) as date serials.
 */
export function exportSelect(columns: readonly ContactColumn[], times: "iso" | "serials"): string {
  const list = columns.map((column) => {
    const sql =
      column.type === "tags"
        ? tagIdsText(column.sql)
        : column.type === "time" && times === "serials"
          ? serial(column.sql)
          : column.sql;
    return `${sql} as ${alias(column.field)}`;
  });
  // Every batch is keyed by the contact's id.
  if (!columns.some((column) => column.field === "id")) list.unshift("c.id");
  return list.join(", ");
}

/**
 * The contacts of a filter as rows of cells by field, their tags named and joined with
 * ", ", their times as ISO text or (`times: "serials"`, for the xlsx) as date serials.
 */
export async function* contactBatches(options: ContactBatchOptions): AsyncGenerator<ContactCells[]> {
  const { columns, db, workspaceId, times = "iso", ...batches } = options;
  const tags = new TagNames(db, workspaceId);
  await tags.load();
  const tagFields = columns.filter((column) => column.type === "tags").map((column) => column.field);
  const select = exportSelect(columns, times);
  type Fetched = ContactCells & Keyed;
  for await (const rows of keysetBatches<Fetched>({ db, workspaceId, ...batches, select })) {
    for (const field of tagFields) {
      await tags.cover(rows.map((row) => row[field] || null));
      for (const row of rows) {
        const ids = row[field];
        const names = ids ? tags.names(ids) : [];
        row[field] = names.length ? names.join(", ") : null;
      }
    }
    yield rows;
  }
}
