import { setImmediate as nextTurn } from "node:timers/promises";
import type { Position } from "../contacts/cursor.ts";
import { type ContactFilter, pageQuery } from "../contacts/query.ts";
import type { Queryable } from "../db/db.ts";
import { EXPORT_SELECT, type ExportRow } from "./columns.ts";

/**
 * Rows per query. Big enough that 1,000,000 contacts take 200 round trips, small enough
 * that a batch (and the one read ahead) stay a few megabytes: PGlite holds a whole result
 * in memory, and 200,000 rows at once took ~790 MB there.
 */
export const EXPORT_BATCH_SIZE = 5_000;

const ignore = () => {};

/**
 * The contacts of a filter in keyset batches, in the list's sort order. Each batch is a
 * query of its own (no transaction, no cursor, no OFFSET), so no connection is held
 * between batches and a download that stops midway leaves nothing open. The next batch
 * is read while the current one is written; it is asked for only when the consumer pulls,
 * so a slow client slows the reads down instead of filling memory.
 */
export async function* contactBatches(
  db: Queryable,
  workspaceId: string,
  filter: ContactFilter,
  sort: string,
  progress: { rows: number },
  batchSize = EXPORT_BATCH_SIZE,
): AsyncGenerator<ExportRow[]> {
  type Batch = Promise<(ExportRow & { sort_key: unknown })[]>;
  const read = (after?: Position): Batch => {
    const { sql, params } = pageQuery(workspaceId, filter, sort, batchSize, after, EXPORT_SELECT);
    const rows = db.query<ExportRow & { sort_key: unknown }>(sql, params);
    // Read ahead while the consumer may be gone: its failure is seen when awaited, not lost.
    rows.catch(ignore);
    return rows;
  };
  let next: Batch | undefined = read();
  try {
    while (next) {
      const rows: (ExportRow & { sort_key: unknown })[] = await next;
      const last = rows.at(-1);
      // PGlite answers without real I/O, and a socket that takes every write never pushes
      // back: without a turn of the event loop here, a whole export would run before a
      // disconnect or another request is even noticed.
      await nextTurn();
      next = last && rows.length === batchSize ? read({ sort, key: String(last.sort_key), id: last.id }) : undefined;
      if (!rows.length) break;
      progress.rows += rows.length;
      yield rows;
    }
  } finally {
    // A batch read ahead for a consumer that left: let it finish, so its connection is
    // back in the pool before the export is reported as over.
    await next?.catch(ignore);
  }
}
