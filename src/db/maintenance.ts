/**
 * The embedded database's own autovacuum. A PostgreSQL server analyses and vacuums its
 * tables in the background; PGlite is one backend with no autovacuum worker, so without
 * this its planner would keep the statistics of the day a table was created (a table of
 * 100,000 contacts planned as if empty: a search scanning it instead of using its trigram
 * index) and dead rows from updates would never be reclaimed.
 *
 * A pass reads each table's change counters (`pg_stat_user_tables`) and applies
 * autovacuum's own rules with the database's own settings:
 * - analyse when `n_mod_since_analyze` > analyze_threshold + analyze_scale_factor × reltuples
 *   (50 + 0.1 × rows by default);
 * - vacuum when `n_dead_tup` > vacuum_threshold + vacuum_scale_factor × reltuples
 *   (50 + 0.2 × rows, capped at vacuum_max_threshold), or when `n_ins_since_vacuum` >
 *   vacuum_insert_threshold + vacuum_insert_scale_factor × reltuples (1000 + 0.2 × rows),
 *   which keeps the visibility map (index-only scans) and GIN pending lists up to date.
 *
 * PGlite keeps these counters while the process runs (a backend publishes them at most
 * once a second, so a pass asks for them first), but starts with them at zero each time
 * it opens a data directory. So a pass at start-up also compares each table's size on
 * disk with the size its statistics were taken at, and treats the growth as changes.
 *
 * PGlite runs one statement at a time: a pass runs table by table, one ANALYZE or VACUUM
 * statement each, and lets waiting requests in between. On a PostgreSQL server all of
 * this is autovacuum's job, and these functions do nothing.
 */
import type { Db } from "./db.ts";

export interface TableMaintenance {
  table: string;
  analyzed: boolean;
  vacuumed: boolean;
  /** What the pass went by: the counters or, at start-up, the table's growth on disk. */
  changes: { modified: number; dead: number; inserted: number; rows: number };
  ms: number;
}

export interface MaintenanceOptions {
  /** Time between two checks of the counters in the background (default 60 s). */
  intervalMs?: number;
  /** Where a failed background pass is reported (default: stderr). */
  onError?: (error: unknown) => void;
  /** Told what each pass did (the tables it analysed or vacuumed; often none). */
  onPass?: (done: TableMaintenance[]) => void;
}

interface State {
  /** The pass running now (the next one chains after it). */
  running?: Promise<unknown>;
  soon?: NodeJS.Timeout;
  periodic?: NodeJS.Timeout;
  stopped: boolean;
  onError: (error: unknown) => void;
  onPass?: (done: TableMaintenance[]) => void;
  /** Tables start-up found in need of a vacuum, left for the first background pass. */
  deferred: string[];
  /** Resolved each time the database has no pass running or asked for. */
  idle: (() => void)[];
}

const states = new WeakMap<Db, State>();

function stateOf(db: Db): State {
  let state = states.get(db);
  if (!state) {
    state = {
      stopped: false,
      deferred: [],
      idle: [],
      onError: (error) => console.error(`Database maintenance failed: ${(error as Error).message ?? error}`),
    };
    states.set(db, state);
  }
  return state;
}

interface Settings {
  vacuumThreshold: number;
  vacuumScale: number;
  vacuumMax: number;
  insertThreshold: number;
  insertScale: number;
  analyzeThreshold: number;
  analyzeScale: number;
}

async function settings(db: Db): Promise<Settings> {
  const rows = await db.query<{ name: string; setting: string }>(
    "select name, setting from pg_settings where name like 'autovacuum_%'",
  );
  const value = (name: string, fallback: number) => {
    const raw = rows.find((r) => r.name === `autovacuum_${name}`)?.setting;
    return raw === undefined ? fallback : Number(raw);
  };
  return {
    vacuumThreshold: value("vacuum_threshold", 50),
    vacuumScale: value("vacuum_scale_factor", 0.2),
    vacuumMax: value("vacuum_max_threshold", -1),
    insertThreshold: value("vacuum_insert_threshold", 1000),
    insertScale: value("vacuum_insert_scale_factor", 0.2),
    analyzeThreshold: value("analyze_threshold", 50),
    analyzeScale: value("analyze_scale_factor", 0.1),
  };
}

interface TableStats {
  table: string;
  reltuples: number;
  relpages: number;
  pages: number;
  modified: number;
  dead: number;
  inserted: number;
}

/** What each table needs by autovacuum's formulas; `sizes` adds growth on disk since its statistics. */
export function needs(t: TableStats, s: Settings, sizes: boolean) {
  const rows = Math.max(t.reltuples, 0);
  let { modified, dead, inserted } = t;
  if (sizes && t.pages > 0) {
    // Rows the table holds now, at the density its statistics saw (none seen: a page of rows each).
    const density = t.reltuples > 0 && t.relpages > 0 ? t.reltuples / t.relpages : 100;
    const grown = Math.max(0, Math.round((t.pages - Math.max(t.relpages, 0)) * density));
    modified = Math.max(modified, grown, t.reltuples < 0 ? Number.POSITIVE_INFINITY : 0);
    inserted = Math.max(inserted, grown);
  }
  let vacuumAt = s.vacuumThreshold + s.vacuumScale * rows;
  if (s.vacuumMax >= 0) vacuumAt = Math.min(vacuumAt, s.vacuumMax);
  const insertAt = s.insertThreshold + s.insertScale * rows;
  const analyzeAt = s.analyzeThreshold + s.analyzeScale * rows;
  return {
    analyze: modified > analyzeAt,
    vacuum: dead > vacuumAt || (s.insertThreshold >= 0 && inserted > insertAt),
    changes: { modified: Number.isFinite(modified) ? modified : t.pages, dead, inserted, rows },
  };
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Lets requests queued behind the database in. */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

interface PassOptions {
  /** Also count growth on disk since the statistics were taken (the counters started at zero). */
  sizes: boolean;
  /** Vacuum only these tables, whatever the counters say (what start-up left for the background). */
  vacuum?: string[];
  /** Analyse only; the tables that need a vacuum are returned in `deferred`. */
  analyzeOnly?: boolean;
}

async function pass(db: Db, options: PassOptions): Promise<{ done: TableMaintenance[]; deferred: string[] }> {
  // Publish this backend's counters now rather than within the next second.
  await db.query("select pg_stat_force_next_flush()");
  const s = await settings(db);
  const tables = await db.query<TableStats>(
    `select s.relname as "table", c.reltuples::float8 as reltuples, c.relpages::int as relpages,
            (pg_relation_size(c.oid) / current_setting('block_size')::int)::int as pages,
            s.n_mod_since_analyze::float8 as modified, s.n_dead_tup::float8 as dead,
            s.n_ins_since_vacuum::float8 as inserted
     from pg_stat_user_tables s join pg_class c on c.oid = s.relid
     where s.schemaname = current_schema() and c.relkind = 'r'
     order by s.relname`,
  );
  const done: TableMaintenance[] = [];
  const deferred: string[] = [];
  for (const t of tables) {
    const need = needs(t, s, options.sizes);
    if (options.vacuum?.includes(t.table)) need.vacuum = true;
    if (need.vacuum && options.analyzeOnly) {
      deferred.push(t.table);
      need.vacuum = false;
    }
    if (!need.analyze && !need.vacuum) continue;
    const began = performance.now();
    // Analysis first: it is quick (a sample of at most 30,000 rows) and fixes the plans.
    if (need.analyze) {
      await yieldToRequests();
      await db.query(`analyze ${quote(t.table)}`);
    }
    if (need.vacuum) {
      await yieldToRequests();
      await db.query(`vacuum ${quote(t.table)}`);
    }
    done.push({
      table: t.table,
      analyzed: need.analyze,
      vacuumed: need.vacuum,
      changes: need.changes,
      ms: performance.now() - began,
    });
  }
  return { done, deferred };
}

function settle(state: State) {
  if (state.running || state.soon) return;
  for (const resolve of state.idle.splice(0)) resolve();
}

/** Runs `fn` after the pass in flight, if any: one pass at a time per database. */
function enqueue<T>(state: State, fn: () => Promise<T>): Promise<T> {
  const run = (state.running ?? Promise.resolve()).catch(() => {}).then(fn);
  const tracked = run.finally(() => {
    if (state.running === tracked) state.running = undefined;
    settle(state);
  });
  state.running = tracked;
  return tracked;
}

/**
 * Runs one maintenance pass now (after the one running, if any) and resolves with what it
 * did. The seed command calls it before it exits; on a PostgreSQL server it does nothing.
 */
export function maintainTables(db: Db): Promise<TableMaintenance[]> {
  if (db.kind !== "pglite") return Promise.resolve([]);
  const state = stateOf(db);
  return enqueue(state, async () => {
    const { done } = await pass(db, { sizes: false, vacuum: state.deferred.splice(0) });
    state.onPass?.(done);
    return done;
  });
}

/**
 * Asks for a pass in the background, soon: the end of an import, a seed or a bulk change
 * calls it. Several calls close together make one pass. Never throws; on a PostgreSQL
 * server it does nothing.
 */
export function maintainSoon(db: Db): void {
  if (db.kind !== "pglite") return;
  const state = stateOf(db);
  if (state.stopped || state.soon) return;
  state.soon = setTimeout(() => {
    state.soon = undefined;
    if (state.stopped) return settle(state);
    maintainTables(db).catch((error) => {
      if (!state.stopped) state.onError(error);
    });
  }, 100);
  state.soon.unref();
}

/**
 * Start-up: brings stale statistics up to date before the caller goes on (analysis only,
 * so it is quick whatever the size), then vacuums what needs it in the background and
 * checks the counters every `intervalMs` from then on. Stopped by `stopMaintenance`
 * (closing the database does it).
 */
export async function startMaintenance(db: Db, options: MaintenanceOptions = {}): Promise<void> {
  if (db.kind !== "pglite") return;
  const state = stateOf(db);
  if (options.onError) state.onError = options.onError;
  state.onPass = options.onPass;
  const { deferred } = await enqueue(state, () => pass(db, { sizes: true, analyzeOnly: true }));
  state.deferred.push(...deferred);
  if (state.stopped) return;
  if (deferred.length) maintainSoon(db);
  state.periodic = setInterval(() => maintainSoon(db), options.intervalMs ?? 60_000);
  state.periodic.unref();
}

/** Resolves once no pass is running or asked for (for the commands and the tests that wait for one). */
export function maintenanceIdle(db: Db): Promise<void> {
  const state = states.get(db);
  if (!state) return Promise.resolve();
  return new Promise((resolve) => {
    state.idle.push(resolve);
    settle(state);
  });
}

/** Stops the background checks and waits for a pass in flight; the database closes after it. */
export async function stopMaintenance(db: Db): Promise<void> {
  const state = states.get(db);
  if (!state) return;
  state.stopped = true;
  if (state.periodic) clearInterval(state.periodic);
  if (state.soon) clearTimeout(state.soon);
  state.soon = undefined;
  await state.running?.catch(() => {});
  settle(state);
}
