import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Db } from "../db/db.ts";

/** GET /contacts/export: the contact list as .xlsx or CSV, streamed. */
export const exportRoutes =
  (_db: Db): FastifyPluginAsyncTypebox =>
  async () => {};
