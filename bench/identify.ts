/**
 * npm run bench -- identify
 * POST /contacts/identify at 32 concurrent clients against the 1,000,000-contact bench
 * workspace, beside the same statements (src/identities/repository.ts's identify) sent
 * straight through node-postgres at the same concurrency in the same run; and how many
 * WhatsApp status reports a second the signed webhook takes in.
 */
import { createHmac, randomBytes } from "node:crypto";
import pg from "pg";
import { Pool } from "undici";
import { openPostgres } from "../src/db/postgres.ts";
import { identify } from "../src/identities/repository.ts";
import { type BenchResult, ensureBenchDatabase, log, percentile, startServer } from "./lib.ts";

const CONCURRENCY = 32;
const IDENTIFIES = Number(process.env.BENCH_IDENTIFIES ?? 2000);
const STATUSES = Number(process.env.BENCH_STATUSES ?? 10_000);
const PER_WEBHOOK = 50;
const PREFIX = "bench-identify-";

/** Runs `count` calls of `fn` (numbered from `from`) `concurrency` at a time: seconds and each call's ms. */
async function timed(from: number, count: number, concurrency: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  const ms: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        const t = performance.now();
        await fn(from + i);
        ms.push(performance.now() - t);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, ms: ms.sort((a, b) => a - b) };
}

async function cleanUp(client: pg.Client, workspaceId: string) {
  await client.query(
    `delete from contacts where workspace_id = $1 and id in (
       select contact_id from contact_identities where workspace_id = $1 and channel = 'api' and address like $2)`,
    [workspaceId, `${PREFIX}%`],
  );
  await client.query("delete from conversations where workspace_id = $1 and address = '+31600000000'", [workspaceId]);
}

export async function run(_options: { json: boolean }): Promise<BenchResult[]> {
  const { url, workspaceId } = await ensureBenchDatabase();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await cleanUp(admin, workspaceId);
  const server = await startServer({
    databaseUrl: url,
    env: { SECRET_KEY: randomBytes(32).toString("base64"), CHANNELS_ALLOW_PRIVATE: "1" },
  });
  const http = new Pool(server.origin, { connections: CONCURRENCY });
  const direct = openPostgres(url, CONCURRENCY);
  const results: BenchResult[] = [];
  try {
    const actor = { type: "token" as const, id: null };
    const viaHttp = async (i: number) => {
      const response = await http.request({
        method: "POST",
        path: "/api/v1/contacts/identify",
        headers: { authorization: `Bearer ${server.operatorToken}`, "content-type": "application/json" },
        body: JSON.stringify({ channel: "api", address: `${PREFIX}${i}`, profile: { firstName: `Visitor ${i}` } }),
      });
      const text = await response.body.text();
      if (response.statusCode !== 200 && response.statusCode !== 201) {
        throw new Error(`identify → ${response.statusCode}: ${text.slice(0, 300)}`);
      }
    };
    const viaSql = async (i: number) => {
      await identify(direct, workspaceId, actor, {
        channel: "api",
        address: `${PREFIX}${i}`,
        profile: { firstName: `Visitor ${i}` },
        seenAt: new Date().toISOString(),
      });
    };
    log(
      `Identifying ${IDENTIFIES} new and then the same ${IDENTIFIES} returning people, ${CONCURRENCY} at a time, over HTTP and by direct SQL`,
    );
    await timed(0, 100, CONCURRENCY, viaSql);
    await timed(500_000, 100, CONCURRENCY, viaHttp);
    const sqlNew = await timed(1000, IDENTIFIES, CONCURRENCY, viaSql);
    const httpNew = await timed(600_000, IDENTIFIES, CONCURRENCY, viaHttp);
    const sqlAgain = await timed(1000, IDENTIFIES, CONCURRENCY, viaSql);
    const httpAgain = await timed(600_000, IDENTIFIES, CONCURRENCY, viaHttp);
    for (const [label, ours, base] of [
      ["new people", httpNew, sqlNew],
      ["returning people", httpAgain, sqlAgain],
    ] as const) {
      const value = IDENTIFIES / ours.seconds;
      const limit = IDENTIFIES / base.seconds;
      results.push({
        name: `identify throughput, ${label}`,
        value,
        unit: "req/s",
        limit,
        ratio: value / limit,
        target: "≥ 0.5× the same SQL direct",
        ok: value / limit >= 0.5,
      });
      const p99 = percentile(ours.ms, 99);
      results.push({
        name: `identify p99, ${label}`,
        value: p99,
        unit: "ms",
        limit: 50,
        ratio: p99 / 50,
        target: "p99 < 50 ms at 32 clients",
        ok: p99 < 50,
      });
    }

    // Webhook status ingest: sent messages with provider ids, then Meta's status reports for them.
    const phoneNumberId = `9${Date.now()}`;
    const appSecret = randomBytes(16).toString("hex");
    const put = await http.request({
      method: "PUT",
      path: "/api/v1/channels/whatsapp",
      headers: { authorization: `Bearer ${server.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({
        apiBaseUrl: "http://127.0.0.1:9",
        phoneNumberId,
        businessAccountId: "1",
        accessToken: "bench",
        appSecret,
        verifyToken: "bench-verify-token",
      }),
    });
    if (put.statusCode !== 200) throw new Error(`PUT /channels/whatsapp → ${put.statusCode}: ${await put.body.text()}`);
    await put.body.text();
    const [contact] = (
      await admin.query<{ id: string }>("select id from contacts where workspace_id = $1 limit 1", [workspaceId])
    ).rows;
    const [conversation] = (
      await admin.query<{ id: string }>(
        "insert into conversations (workspace_id, contact_id, channel, address) values ($1, $2, 'whatsapp', '+31600000000') returning id",
        [workspaceId, contact?.id],
      )
    ).rows;
    const run = randomBytes(4).toString("hex");
    await admin.query(
      `insert into messages (workspace_id, conversation_id, contact_id, direction, channel, address, text, status, provider_id)
       select $1, $2, $3, 'out', 'whatsapp', '+31600000000', 'Hi', 'sent', 'wamid.' || $4 || '.' || n
       from generate_series(1, $5) n`,
      [workspaceId, conversation?.id, contact?.id, run, STATUSES],
    );
    const bodies: string[] = [];
    for (let i = 0; i < STATUSES; i += PER_WEBHOOK) {
      const statuses = Array.from({ length: Math.min(PER_WEBHOOK, STATUSES - i) }, (_, j) => ({
        id: `wamid.${run}.${i + j + 1}`,
        status: "delivered",
        timestamp: String(Math.floor(Date.now() / 1000)),
        recipient_id: "31600000000",
      }));
      bodies.push(
        JSON.stringify({
          object: "whatsapp_business_account",
          entry: [
            {
              id: "1",
              changes: [
                {
                  field: "messages",
                  value: {
                    messaging_product: "whatsapp",
                    metadata: { display_phone_number: "31600000001", phone_number_id: phoneNumberId },
                    statuses,
                  },
                },
              ],
            },
          ],
        }),
      );
    }
    log(`Posting ${STATUSES} statuses in ${bodies.length} signed webhooks, 8 at a time`);
    const ingest = await timed(0, bodies.length, 8, async (i) => {
      const body = bodies[i] as string;
      const response = await http.request({
        method: "POST",
        path: "/api/v1/channels/whatsapp/webhook",
        headers: {
          "content-type": "application/json",
          "x-hub-signature-256": `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`,
        },
        body,
      });
      const text = await response.body.text();
      if (response.statusCode !== 200) throw new Error(`webhook → ${response.statusCode}: ${text.slice(0, 300)}`);
    });
    const [{ n } = { n: 0 }] = (
      await admin.query<{ n: number }>(
        "select count(*)::int as n from messages where workspace_id = $1 and conversation_id = $2 and status = 'delivered'",
        [workspaceId, conversation?.id],
      )
    ).rows;
    if (n !== STATUSES) throw new Error(`only ${n} of ${STATUSES} messages were marked delivered`);
    const rate = STATUSES / ingest.seconds;
    results.push({
      name: "webhook status ingest",
      value: rate,
      unit: "statuses/s",
      limit: 1000,
      ratio: rate / 1000,
      target: "≥ 1,000 statuses/s",
      ok: rate >= 1000,
    });
    await admin.query("delete from channels where workspace_id = $1 and channel = 'whatsapp'", [workspaceId]);
  } finally {
    await http.close();
    await direct.close();
    await server.stop();
    await cleanUp(admin, workspaceId);
    await admin.end();
  }
  return results;
}
