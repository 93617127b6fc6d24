import type { Db, Queryable } from "../db/db.ts";

/** A row of `jobs` as the runner sees it. */
export interface Job {
  workspace_id: string;
  id: string;
  kind: string;
  subject_id: string;
  attempts: number;
}

/** Who holds a job: its row, by this worker. */
type Held = { job: Job; worker: string };
const held = ({ job, worker }: Held) => [job.workspace_id, job.id, worker];

export async function enqueueJob(tx: Queryable, workspaceId: string, kind: string, subjectId: string) {
  await tx.query("insert into jobs (workspace_id, kind, subject_id) values ($1, $2, $3)", [
    workspaceId,
    kind,
    subjectId,
  ]);
}

/**
 * Claims the oldest queued job (or a running one whose lease ran out) with one
 * `update … returning` over a `for update skip locked` pick: two processes never take the
 * same job.
 */
export async function claimJob(db: Queryable, worker: string, leaseSeconds: number): Promise<Job | undefined> {
  const [job] = await db.query<Job>(
    `update jobs j set status = 'running', worker = $1, lease_until = now() + make_interval(secs => $2),
       attempts = attempts + 1
     where (j.workspace_id, j.id) = (
       select workspace_id, id from jobs
       where status = 'queued' or (status = 'running' and lease_until < now())
       order by created_at limit 1 for update skip locked)
     returning j.workspace_id, j.id, j.kind, j.subject_id, j.attempts`,
    [worker, leaseSeconds],
  );
  return job;
}

/** Extends the lease; false when the job is no longer this worker's. */
export async function renewLease(tx: Queryable, hold: Held, seconds: number): Promise<boolean> {
  const rows = await tx.query(
    `update jobs set lease_until = now() + make_interval(secs => $4)
     where workspace_id = $1 and id = $2 and worker = $3 and status = 'running' returning 1`,
    [...held(hold), seconds],
  );
  return rows.length > 0;
}

export async function markJobDone(db: Queryable, hold: Held) {
  await db.query(
    "update jobs set status = 'done', lease_until = null where workspace_id = $1 and id = $2 and worker = $3",
    held(hold),
  );
}

/** Hands a job back to the queue (the server is stopping). */
export async function requeueJob(db: Queryable, hold: Held) {
  await db.query(
    "update jobs set status = 'queued', worker = null where workspace_id = $1 and id = $2 and worker = $3",
    held(hold),
  );
}

/** Lets the job's lease run out after `pauseSeconds`, when any worker may try it again. */
export async function retryJobLater(db: Queryable, hold: Held, pauseSeconds: number) {
  await db.query(
    `update jobs set worker = null, lease_until = now() + make_interval(secs => $4)
     where workspace_id = $1 and id = $2 and worker = $3`,
    [...held(hold), pauseSeconds],
  );
}

export async function markJobFailed(db: Queryable, hold: Held, error: string) {
  await db.query(
    "update jobs set status = 'failed', error = $4, lease_until = null where workspace_id = $1 and id = $2 and worker = $3",
    [...held(hold), error],
  );
}

/** Every running job back to the queue: on PGlite, only a dead process of ours can have held them. */
export async function requeueAllRunning(db: Db) {
  await db.query("update jobs set status = 'queued', worker = null where status = 'running'");
}

/** Finished jobs are kept a week, to read what happened. */
export async function deleteOldJobs(db: Db) {
  await db.query("delete from jobs where status in ('done', 'failed') and created_at < now() - interval '7 days'");
}
