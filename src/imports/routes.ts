import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Config } from "../config.ts";
import type { Db } from "../db/db.ts";

/** /imports: upload a CSV or .xlsx, map its columns, run it in the background. */
export const importRoutes =
  (_db: Db, _config: Config): FastifyPluginAsyncTypebox =>
  async () => {};
