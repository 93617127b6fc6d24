import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Config } from "../config.ts";
import type { Db } from "../db/db.ts";
import { deleteOldJobs } from "./repository.ts";
import { JobRunner } from "./runner.ts";

declare module "fastify" {
  interface FastifyInstance {
    /** The one job runner of this process: features register their kinds of job with it. */
    jobs: JobRunner;
  }
}

/**
 * The background jobs of the app: one runner, started when the app is ready (after every
 * feature registered its handlers) and stopped, handing its job back, when it closes.
 */
export const jobsPlugin = fp(
  async (app: FastifyInstance, { db, config }: { db: Db; config: Pick<Config, "jobLeaseSeconds"> }) => {
    const runner = new JobRunner(
      db,
      {},
      {
        leaseSeconds: config.jobLeaseSeconds,
        onError: (error, job) => app.log.error({ err: error, job: job?.id, kind: job?.kind }, "a job failed"),
      },
    );
    app.decorate("jobs", runner);
    app.addHook("onReady", async () => {
      await deleteOldJobs(db);
      await runner.start();
    });
    app.addHook("onClose", async () => runner.stop());
  },
  { name: "jobs" },
);
