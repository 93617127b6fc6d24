import { randomUUID } from "node:crypto";
import type { Db, Queryable } from "../db/db.ts";

/**
 * A small table-driven job runner. A job row is claimed with one `update … returning`
 * over a `for update skip locked` pick, so two server processes never take the same job;
 * the claimer holds a lease it renews while it works. A worker that dies stops renewing,
 * and once its lease has run out any process picks the job up again. Work that must
 * happen once (a batch of an import) checks the lease in its own transaction, so a worker
 * that lost its job cannot commit after the new one took over.
 */
export interface Job {
  workspace_id: string;
  id: string;
  kind: string;
  subject_id: string;
  attempts: number;
}

export class LeaseLost extends Error {
  constructor() {
    super("another worker took this job over");
  }
}

/** The claim on a running job: renewed by a timer, checked in transactions. */
export class Lease {
  readonly controller = new AbortController();
  constructor(
    readonly job: Job,
    readonly worker: string,
    readonly seconds: number,
  ) {}

  get signal() {
    return this.controller.signal;
  }

  /** Renews the lease inside `tx`; throws LeaseLost if the job is no longer ours. */
  async renew(tx: Queryable) {
    const rows = await tx.query(
      `update jobs set lease_until = now() + make_interval(secs => $4)
       where workspace_id = $1 and id = $2 and worker = $3 and status = 'running' returning 1`,
      [this.job.workspace_id, this.job.id, this.worker, this.seconds],
    );
    if (rows.length === 0) {
      this.controller.abort(new LeaseLost());
      throw new LeaseLost();
    }
  }
}

export type JobHandler = (job: Job, lease: Lease) => Promise<void>;

export interface RunnerOptions {
  /** How long a claim lasts without renewal; a dead worker's job waits this long. */
  leaseSeconds?: number;
  pollMs?: number;
  /** A job that has been claimed this often (it crashed its workers) fails. */
  maxAttempts?: number;
  onError?: (error: unknown, job?: Job) => void;
  /** Called when a job fails for good, to record why on its subject. */
  onGiveUp?: (job: Job, error: string) => Promise<void>;
}

export async function enqueueJob(tx: Queryable, workspaceId: string, kind: string, subjectId: string) {
  await tx.query("insert into jobs (workspace_id, kind, subject_id) values ($1, $2, $3)", [
    workspaceId,
    kind,
    subjectId,
  ]);
}

export class JobRunner {
  readonly worker = `${process.pid}-${randomUUID()}`;
  private readonly leaseSeconds: number;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private current: Lease | undefined;
  private stopped = true;
  private again = false;

  constructor(
    private readonly db: Db,
    private readonly handlers: Record<string, JobHandler>,
    private readonly options: RunnerOptions = {},
  ) {
    this.leaseSeconds = options.leaseSeconds ?? 30;
    this.pollMs = options.pollMs ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  async start() {
    if (this.db.kind === "pglite") {
      // PGlite is open in this process only (the data directory is locked), so a job left
      // running belonged to a process that died: take it back at once.
      await this.db.query("update jobs set status = 'queued', worker = null where status = 'running'");
    }
    this.stopped = false;
    this.wake();
  }

  /** Looks for work now instead of at the next poll (after this process queued a job). */
  wake() {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.wake();
      } else this.timer = setTimeout(() => this.wake(), this.pollMs);
    });
  }

  /** Stops claiming; the job in hand stops at its next safe point and is handed back. */
  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.current?.controller.abort(new Error("the server is stopping"));
    await this.running;
  }

  private async drain() {
    for (;;) {
      if (this.stopped) return;
      let job: Job | undefined;
      try {
        job = await this.claim();
      } catch (error) {
        this.options.onError?.(error);
        return;
      }
      if (!job) return;
      await this.run(job);
    }
  }

  private async claim(): Promise<Job | undefined> {
    const [job] = await this.db.query<Job>(
      `update jobs j set status = 'running', worker = $1, lease_until = now() + make_interval(secs => $2),
         attempts = attempts + 1
       where (j.workspace_id, j.id) = (
         select workspace_id, id from jobs
         where status = 'queued' or (status = 'running' and lease_until < now())
         order by created_at limit 1 for update skip locked)
       returning j.workspace_id, j.id, j.kind, j.subject_id, j.attempts`,
      [this.worker, this.leaseSeconds],
    );
    return job;
  }

  private async run(job: Job) {
    const lease = new Lease(job, this.worker, this.leaseSeconds);
    this.current = lease;
    const heartbeat = setInterval(
      () => void lease.renew(this.db).catch(() => {}),
      Math.max(200, (this.leaseSeconds * 1000) / 3),
    );
    const where = [job.workspace_id, job.id, this.worker];
    try {
      const handler = this.handlers[job.kind];
      if (!handler) throw new Error(`no handler for jobs of kind ${job.kind}`);
      if (job.attempts > this.maxAttempts) throw new Error(`gave up after ${job.attempts - 1} attempts`);
      await handler(job, lease);
      await this.db.query(
        "update jobs set status = 'done', lease_until = null where workspace_id = $1 and id = $2 and worker = $3",
        where,
      );
    } catch (error) {
      if (error instanceof LeaseLost) return;
      if (lease.signal.aborted && this.stopped) {
        // Handed back for another process (or this one after a restart) to finish.
        await this.db
          .query(
            "update jobs set status = 'queued', worker = null where workspace_id = $1 and id = $2 and worker = $3",
            where,
          )
          .catch(() => {});
        return;
      }
      this.options.onError?.(error, job);
      if (job.attempts < this.maxAttempts) {
        // A lost connection or a restart of the database: another attempt resumes the work
        // once this lease (set to a growing pause) runs out.
        await this.db
          .query(
            `update jobs set worker = null, lease_until = now() + make_interval(secs => $4)
             where workspace_id = $1 and id = $2 and worker = $3`,
            [...where, 5 * job.attempts],
          )
          .catch(() => {});
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      await this.db
        .query(
          "update jobs set status = 'failed', error = $4, lease_until = null where workspace_id = $1 and id = $2 and worker = $3",
          [...where, message],
        )
        .catch(() => {});
      await this.options.onGiveUp?.(job, message).catch((e) => this.options.onError?.(e, job));
    } finally {
      clearInterval(heartbeat);
      this.current = undefined;
    }
  }
}
