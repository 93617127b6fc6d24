import { buildApp } from "./app.ts";
import { readConfig } from "./config.ts";
import { openDatabase } from "./db/open.ts";

const config = readConfig();
const db = await openDatabase(config).catch((error: Error) => {
  console.error(`Could not open the database: ${error.message}`);
  process.exit(1);
});
const app = await buildApp({ db, config });

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, "shutting down after the requests in flight");
  try {
    await app.close();
    await db.close();
  } finally {
    process.exit(0);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const port = typeof address === "object" && address ? address.port : config.port;
const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
const where = config.databaseUrl ? "a PostgreSQL server" : `the embedded database in ${config.dataDir}`;
app.log.info(`Contacts is serving http://${host}:${port} on ${where}`);
