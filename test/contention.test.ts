/**
 * Heavy contention on one contact: 100 writers at once. Optimistic concurrency must let
 * exactly one write per version through (no lost update), and the unique keys must let
 * exactly one of many identical creates through, whichever key it is.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace, databases, startServer, type TestServer, type Workspace } from "./server.ts";

const WRITERS = 100;

describe.each(databases())("100 concurrent writers on %s", (kind) => {
  let server: TestServer;
  let ws: Workspace;
  beforeAll(async () => {
    server = await startServer(kind, { API_RATE_LIMIT: "1000000" });
    ws = await createWorkspace(server);
  });
  afterAll(() => server?.close());

  it("lets exactly one rename per version win; every loser gets 412 and retries until all land", async () => {
    const contact = (await ws.operator.post("/contacts", { firstName: "Race" })).body;
    const first = await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        ws.operator.patch(`/contacts/${contact.id}`, { lastName: `W${i}` }, { "if-match": `"${contact.version}"` }),
      ),
    );
    expect(first.filter((r) => r.status === 200)).toHaveLength(1);
    expect(first.filter((r) => r.status === 412)).toHaveLength(WRITERS - 1);

    // Each writer reads, writes with If-Match and retries on 412: no write is lost.
    const applied: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        for (;;) {
          const current = (await ws.operator.get(`/contacts/${contact.id}`)).body;
          const result = await ws.operator.patch(
            `/contacts/${contact.id}`,
            { firstName: `R${i}` },
            { "if-match": `"${current.version}"` },
          );
          if (result.status === 200) {
            applied.push(result.body.version);
            return;
          }
          expect(result.status).toBe(412);
        }
      }),
    );
    // Twenty writes, twenty distinct versions after the first round's 2: none overwrote another.
    expect(applied.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 3));
    expect((await ws.operator.get(`/contacts/${contact.id}`)).body.version).toBe(22);
    const [audit] = await server.db.query<{ n: number }>(
      "select count(*)::int as n from audit_events where workspace_id = $1 and contact_id = $2",
      [ws.id, contact.id],
    );
    // One event for the create and one per applied change: a refused write left no trace.
    expect(audit?.n).toBe(22);
  });

  for (const [field, value] of [
    ["email", (i: number) => (i % 2 ? "HUNDRED@example.com" : "hundred@EXAMPLE.com")],
    ["phone", (i: number) => (i % 2 ? "+31 6 1234 5670" : "06-12345670")],
    ["externalId", () => "crm-100"],
  ] as const) {
    it(`creates one contact of ${WRITERS} concurrent creates with the same ${field}`, async () => {
      const results = await Promise.all(
        Array.from({ length: WRITERS }, (_, i) =>
          ws.operator.post("/contacts", { firstName: `C${i}`, [field]: value(i) }),
        ),
      );
      const created = results.filter((r) => r.status === 201);
      expect(created).toHaveLength(1);
      const conflicts = results.filter((r) => r.status === 409);
      expect(conflicts).toHaveLength(WRITERS - 1);
      for (const c of conflicts) expect(c.body).toMatchObject({ field, conflictingContactId: created[0]?.body.id });
    });
  }

  it("ends 100 concurrent tag adds and removes on one contact in a consistent set", async () => {
    const contact = (await ws.operator.post("/contacts", { firstName: "Tags", tags: ["Keep"] })).body;
    const names = Array.from({ length: 50 }, (_, i) => `N${String(i).padStart(2, "0")}`);
    // Add all fifty, and at the same time remove "Keep" fifty times over.
    const results = await Promise.all([
      ...names.map((tag) => ws.operator.post(`/contacts/${contact.id}/tags`, { tags: [tag] })),
      ...names.map(() => ws.operator.delete(`/contacts/${contact.id}/tags/Keep`)),
    ]);
    for (const r of results.slice(0, 50)) expect(r.status, r.text).toBe(200);
    // Removing a tag the contact no longer carries is a 404: exactly one removal did it.
    const removals = results.slice(50).map((r) => r.status);
    expect(removals.filter((s) => s === 200)).toHaveLength(1);
    expect(removals.filter((s) => s === 404)).toHaveLength(49);
    const stored = (await ws.operator.get(`/contacts/${contact.id}`)).body;
    expect(stored.tags).toEqual(names);
    const [links] = await server.db.query<{ n: number }>(
      "select cardinality(tag_ids)::int as n from contacts where workspace_id = $1 and id = $2",
      [ws.id, contact.id],
    );
    expect(links?.n).toBe(50);
  });
});
