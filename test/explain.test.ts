/**
 * The list's queries stay on indexes: with 100,000 contacts and fresh statistics, the
 * PostgreSQL planner reads contacts through an index for every sort (both directions,
 * first page and later ones), for searches by name and by digits, and for the tag and
 * language filters, and never scans the whole table.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Position } from "../src/contacts/cursor.ts";
import { type ContactFilter, isNarrowSearch, pageQuery, SORTS } from "../src/contacts/query.ts";
import type { Db } from "../src/db/db.ts";
import { generateContact } from "../src/seed/generate.ts";
import { seedContacts, seedWorkspace } from "../src/seed/seed.ts";
import { freshDatabase } from "./server.ts";

const CONTACTS = 100_000;

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

const hasPg = Boolean(process.env.TEST_DATABASE_URL);
if (!hasPg && process.env.REQUIRE_PG === "1") throw new Error("REQUIRE_PG=1 but TEST_DATABASE_URL is not set");

describe.skipIf(!hasPg)("query plans of the contact list on PostgreSQL with 100,000 contacts", () => {
  let db: Db;
  let drop: () => Promise<void>;
  let workspaceId: string;
  let tagIds: Map<string, string>;

  beforeAll(async () => {
    ({ db, drop } = await freshDatabase("postgres"));
    const workspace = await seedWorkspace(db, "plans");
    workspaceId = workspace.id;
    const seeded = await seedContacts(db, workspace, { count: CONTACTS });
    expect(seeded.added).toBe(CONTACTS);
    await db.query("analyze");
    const tags = await db.query<{ id: string; name: string }>("select id, name from tags where workspace_id = $1", [
      workspaceId,
    ]);
    tagIds = new Map(tags.map((t) => [t.name, t.id]));
  });

  afterAll(async () => {
    await drop?.();
  });

  async function plan(filter: ContactFilter, sort: string, after?: Position, narrow = false) {
    const { sql, params } = pageQuery(workspaceId, { filter, sort, limit: 51, after, narrow });
    const [row] = await db.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(`explain (format json) ${sql}`, params);
    return nodes((row as { "QUERY PLAN": [{ Plan: PlanNode }] })["QUERY PLAN"][0].Plan);
  }

  function expectIndexed(all: PlanNode[]) {
    const text = JSON.stringify(all.map((n) => [n["Node Type"], n["Relation Name"], n["Index Name"]]));
    const seqScans = all.filter((n) => n["Node Type"] === "Seq Scan" && n["Relation Name"] === "contacts");
    expect(seqScans, text).toEqual([]);
    const contactIndexes = all.filter((n) => /^contacts_/.test(n["Index Name"] ?? ""));
    expect(contactIndexes.length, text).toBeGreaterThan(0);
  }

  /** The position of a contact in the middle of `sort`'s order, as a cursor would carry it. */
  async function middle(sort: string): Promise<Position> {
    const spec = SORTS[sort.replace(/^-/, "")];
    const [row] = await db.query<{ key: string; id: string }>(
      `select ${spec?.key} as key, c.id from contacts c where c.workspace_id = $1
       order by ${spec?.key}, c.id offset $2 limit 1`,
      [workspaceId, CONTACTS / 2],
    );
    return { sort, key: String(row?.key), id: String(row?.id) };
  }

  for (const name of Object.keys(SORTS)) {
    for (const sort of [name, `-${name}`]) {
      it(`sort=${sort}: the first page and a page from a cursor use an index`, async () => {
        expectIndexed(await plan({}, sort));
        expectIndexed(await plan({}, sort, await middle(sort)));
      });
    }
  }

  it("a search by a name fragment uses an index, whatever the sort", async () => {
    for (const q of ["Müller", "yamada", "Łukasz", "ольга"]) {
      expectIndexed(await plan({ q }, "-createdAt"));
      expectIndexed(await plan({ q }, "name"));
      expect(await isNarrowSearch(db, workspaceId, { q }, "name"), q).toBe(true);
      const narrow = await plan({ q }, "name", undefined, true);
      expectIndexed(narrow);
      expect(narrow.map((n) => n["Index Name"])).toContain("contacts_search_idx");
    }
  });

  it("a search by phone digits uses an index, typed with or without spaces", async () => {
    let index = 4321;
    while (!generateContact(index).phoneDigits) index++;
    const national = (generateContact(index).phoneDigits as string).split(" ").at(-1) as string;
    for (const q of [national, `${national.slice(0, 4)} ${national.slice(4)}`, national.slice(-6)]) {
      expectIndexed(await plan({ q }, "-createdAt"));
    }
  });

  it("the tag and language filters use an index, alone, together and with a cursor", async () => {
    const billing = tagIds.get("Billing") as string;
    const vip = tagIds.get("VIP") as string;
    expectIndexed(await plan({ tagIds: [billing] }, "-createdAt"));
    expectIndexed(await plan({ tagIds: [billing, vip] }, "name"));
    expectIndexed(await plan({ language: "ja" }, "-createdAt"));
    expectIndexed(await plan({ language: "ja" }, "-createdAt", await middle("-createdAt")));
    expectIndexed(await plan({ language: "nl", tagIds: [billing] }, "-updatedAt"));
    expectIndexed(await plan({ q: "jansen", tagIds: [billing] }, "-createdAt"));
  });
});
