import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { databases, freshDatabase } from "../../test/server.ts";
import type { Db } from "../db/db.ts";
import { createWorkspace } from "../workspaces/repository.ts";
import { enqueueJob, type Job, JobRunner, Lease, LeaseLost } from "./runner.ts";

async function until(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await sleep(20);
  }
}

describe.each(databases())("the job runner on %s", (kind) => {
  let drop: (() => Promise<void>) | undefined;
  const runners: JobRunner[] = [];
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    await drop?.();
  });

  async function setup(): Promise<{ db: Db; workspaceId: string }> {
    const fresh = await freshDatabase(kind);
    drop = fresh.drop;
    const workspace = await fresh.db.transaction((tx) => createWorkspace(tx, { name: `Jobs ${randomUUID()}` }));
    return { db: fresh.db, workspaceId: workspace.id };
  }

  it("runs each job once, however many runners poll the table", async () => {
    const { db, workspaceId } = await setup();
    const ran: { subject: string; worker: string }[] = [];
    const handler = async (job: Job, lease: Lease) => {
      await db.transaction(async (tx) => lease.renew(tx));
      ran.push({ subject: job.subject_id, worker: lease.worker });
      await sleep(5);
    };
    const subjects = Array.from({ length: 30 }, () => randomUUID());
    for (const subject of subjects) await enqueueJob(db, workspaceId, "test", subject);
    for (let i = 0; i < 3; i++) {
      const runner = new JobRunner(db, { test: handler }, { pollMs: 10 });
      runners.push(runner);
      await runner.start();
    }
    await until(async () => {
      const [row] = await db.query<{ n: number }>("select count(*)::int as n from jobs where status = 'done'");
      return row?.n === subjects.length;
    });
    expect(ran.map((r) => r.subject).sort()).toEqual([...subjects].sort());
  });

  it("takes over a job whose worker stopped renewing its lease, and the old worker cannot commit", async () => {
    const { db, workspaceId } = await setup();
    const subject = randomUUID();
    await enqueueJob(db, workspaceId, "test", subject);
    // A worker that died holding the job: its lease has run out.
    await db.query(
      "update jobs set status = 'running', worker = 'dead', lease_until = now() - interval '1 second', attempts = 1",
    );
    const [job] = await db.query<Job>("select workspace_id, id, kind, subject_id, attempts from jobs");
    const ghost = new Lease(job as Job, "dead", 30);
    const seen: number[] = [];
    const runner = new JobRunner(
      db,
      {
        test: async (claimed) => {
          seen.push(claimed.attempts);
        },
      },
      { pollMs: 10 },
    );
    runners.push(runner);
    await runner.start();
    await until(async () => seen.length === 1);
    expect(seen).toEqual([2]);
    await expect(db.transaction((tx) => ghost.renew(tx))).rejects.toBeInstanceOf(LeaseLost);
  });
});
