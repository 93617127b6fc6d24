import { randomUUID } from "node:crypto";
import type { Db, Queryable } from "../db/db.ts";
import { PollLoop } from "./poll-loop.ts";
import {
  claimJob,
  type Job,
  markJobDone,
  markJobFailed,
  renewLease,
  requeueAllRunning,
  requeueJob,
  retryJobLater,
} from "./repository.ts";

export { enqueueJob, type Job } from "./repository.ts";

/**
 * A small table-driven job runner. A job row is claimed with one `update … returning`
 * over a `for update skip locked` pick, so two server processes never take the same job;
 * the claimer holds a lease it renews while it works. A worker that dies stops renewing,
 * and once its lease has run out any process picks the job up again. Work that must
 * happen once (a batch of an import) checks the lease in its own transaction, so a worker
 * that lost its job cannot commit after the new one took over.
 */
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
    if (!(await renewLease(tx, this, this.seconds))) {
      this.controller.abort(new LeaseLost());
      throw new LeaseLost();
    }
  }
}

export type JobHandler = (job: Job, lease: Lease) => Promise<void>;

/** What a feature registers for a kind of job. */
export interface JobKind {
  run: JobHandler;
  /** Called when a job of this kind fails for good, to record why on its subject. */
  onGiveUp?: (job: Job, error: string) => Promise<void>;
}

export interface RunnerOptions {
  /** How long a claim lasts without renewal; a dead worker's job waits this long. */
  leaseSeconds?: number;
  pollMs?: number;
  /** A job that has been claimed this often (it crashed its workers) fails. */
  maxAttempts?: number;
  onError?: (error: unknown, job?: Job) => void;
}

export class JobRunner {
  readonly worker = `${process.pid}-${randomUUID()}`;
  private readonly kinds = new Map<string, JobKind>();
  private readonly leaseSeconds: number;
  private readonly maxAttempts: number;
  private readonly loop: PollLoop;
  private current: Lease | undefined;

  constructor(
    private readonly db: Db,
    handlers: Record<string, JobHandler | JobKind> = {},
    private readonly options: RunnerOptions = {},
  ) {
    this.leaseSeconds = options.leaseSeconds ?? 30;
    this.loop = new PollLoop(() => this.drain(), options.pollMs ?? 1000);
    this.maxAttempts = options.maxAttempts ?? 5;
    for (const [kind, handler] of Object.entries(handlers)) this.handle(kind, handler);
  }

  /** Registers what runs jobs of `kind` (a feature does, when the app is built). */
  handle(kind: string, handler: JobHandler | JobKind) {
    if (this.kinds.has(kind)) throw new Error(`jobs of kind ${kind} already have a handler`);
    this.kinds.set(kind, typeof handler === "function" ? { run: handler } : handler);
  }

  async start() {
    if (this.db.kind === "pglite") {
      // PGlite is open in this process only (the data directory is locked), so a job left
      // running belonged to a process that died: take it back at once.
      await requeueAllRunning(this.db);
    }
    this.loop.start();
  }

  /** Looks for work now instead of at the next poll (after this process queued a job). */
  wake() {
    this.loop.wake();
  }

  /** Stops claiming; the job in hand stops at its next safe point and is handed back. */
  async stop() {
    const stopped = this.loop.stop();
    this.current?.controller.abort(new Error("the server is stopping"));
    await stopped;
  }

  private async drain() {
    for (;;) {
      if (this.loop.stopped) return;
      let job: Job | undefined;
      try {
        job = await claimJob(this.db, this.worker, this.leaseSeconds);
      } catch (error) {
        this.options.onError?.(error);
        return;
      }
      if (!job) return;
      await this.run(job);
    }
  }

  private async run(job: Job) {
    const lease = new Lease(job, this.worker, this.leaseSeconds);
    this.current = lease;
    const heartbeat = setInterval(
      () => void lease.renew(this.db).catch(() => {}),
      Math.max(200, (this.leaseSeconds * 1000) / 3),
    );
    const kind = this.kinds.get(job.kind);
    try {
      if (!kind) throw new Error(`no handler for jobs of kind ${job.kind}`);
      if (job.attempts > this.maxAttempts) throw new Error(`gave up after ${job.attempts - 1} attempts`);
      await kind.run(job, lease);
      await markJobDone(this.db, lease);
    } catch (error) {
      if (error instanceof LeaseLost) return;
      if (lease.signal.aborted && this.loop.stopped) {
        // Handed back for another process (or this one after a restart) to finish.
        await requeueJob(this.db, lease).catch(() => {});
        return;
      }
      this.options.onError?.(error, job);
      if (job.attempts < this.maxAttempts) {
        // A lost connection or a restart of the database: another attempt resumes the work
        // once this lease (set to a growing pause) runs out.
        await retryJobLater(this.db, lease, 5 * job.attempts).catch(() => {});
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      await markJobFailed(this.db, lease, message).catch(() => {});
      await kind?.onGiveUp?.(job, message).catch((e) => this.options.onError?.(e, job));
    } finally {
      clearInterval(heartbeat);
      this.current = undefined;
    }
  }
}
