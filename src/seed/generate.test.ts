import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { freshDatabase } from "../../test/server.ts";
import * as rules from "../contacts/fields.ts";
import { identityError } from "../contacts/input.ts";
import { generateContact, SEED_TAGS } from "./generate.ts";
import { seedContacts, seedWorkspace } from "./seed.ts";

const SAMPLE = 5000;
const sample = Array.from({ length: SAMPLE }, (_, i) => generateContact(i));

describe("generateContact", () => {
  it("gives the same contact for the same index, and different ones for different indexes", () => {
    expect(generateContact(12345)).toEqual(generateContact(12345));
    expect(generateContact(0)).toEqual(sample[0]);
    expect(generateContact(1)).not.toEqual(generateContact(2));
  });

  it("keeps e-mail addresses (any case), phones and external ids unique", () => {
    const unique = (values: (string | null)[]) => {
      const present = values.filter((v): v is string => v !== null);
      expect(new Set(present).size).toBe(present.length);
      return present.length;
    };
    expect(unique(sample.map((c) => c.email?.toLowerCase() ?? null))).toBeGreaterThan(SAMPLE * 0.8);
    expect(unique(sample.map((c) => c.phone))).toBeGreaterThan(SAMPLE * 0.6);
    expect(unique(sample.map((c) => c.externalId))).toBeGreaterThan(SAMPLE * 0.25);
  });

  it("spreads a run's creation times over the past years, rising with the index", () => {
    const timeline = { start: 100, count: 1000 };
    const times = Array.from({ length: 1000 }, (_, i) => Date.parse(generateContact(100 + i, timeline).createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(((times.at(-1) as number) - (times[0] as number)) / (365 * 24 * 3600 * 1000)).toBeGreaterThan(5);
  });

  it("writes only values the API itself would store", () => {
    for (const c of sample) {
      expect(identityError(c)).toBeUndefined();
      if (c.email) expect(rules.email(c.email)).toBe(c.email);
      if (c.phone) {
        const parsed = parsePhoneNumberFromString(c.phone);
        expect(parsed?.isValid(), c.phone).toBe(true);
        expect(rules.phone(c.phone, "NL")).toEqual({ e164: c.phone, digits: c.phoneDigits });
      } else expect(c.phoneDigits).toBeNull();
      if (c.language) expect(rules.language(c.language)).toBe(c.language);
      if (c.timezone) expect(rules.timezone(c.timezone)).toBe(c.timezone);
      expect(Date.parse(c.createdAt)).toBeLessThanOrEqual(Date.parse(c.updatedAt));
      if (c.lastSeenAt) expect(Date.parse(c.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(c.createdAt));
      for (const tag of c.tags) expect(SEED_TAGS).toContain(tag);
    }
  });

  it("is varied: several countries and scripts, some without e-mail or phone, about a third tagged", () => {
    const countries = new Set(sample.map((c) => c.phone && parsePhoneNumberFromString(c.phone)?.country));
    expect(countries.size).toBeGreaterThanOrEqual(10);
    const names = sample.map((c) => `${c.firstName ?? ""} ${c.lastName ?? ""}`).join(" ");
    for (const script of [/\p{Script=Cyrillic}/u, /\p{Script=Arabic}/u, /\p{Script=Han}/u, /[À-ž]/u]) {
      expect(names).toMatch(script);
    }
    expect(sample.some((c) => !c.email)).toBe(true);
    expect(sample.some((c) => !c.phone)).toBe(true);
    const tagged = sample.filter((c) => c.tags.length).length / SAMPLE;
    expect(tagged).toBeGreaterThan(0.25);
    expect(tagged).toBeLessThan(0.45);
  });
});

describe("seedContacts on PGlite", () => {
  it("creates the workspace, writes the contacts and their tags, and continues on a second run", async () => {
    const { db, drop } = await freshDatabase("pglite");
    try {
      const workspace = await seedWorkspace(db, "demo");
      expect((await seedWorkspace(db, "demo")).id).toBe(workspace.id);
      const first = await seedContacts(db, workspace, { count: 1200, batchSize: 500 });
      expect(first).toMatchObject({ start: 0, added: 1200 });
      const second = await seedContacts(db, workspace, { count: 300 });
      expect(second).toMatchObject({ start: 1200, added: 300 });

      const [row] = await db.query<{ n: number; emails: number; tagged: number }>(
        `select count(*)::int as n, count(distinct lower(email))::int as emails,
           (count(*) filter (where tag_ids <> '{}'))::int as tagged
         from contacts where workspace_id = $1`,
        [workspace.id],
      );
      const expected = Array.from({ length: 1500 }, (_, i) =>
        generateContact(i, i < 1200 ? { start: 0, count: 1200 } : { start: 1200, count: 300 }),
      );
      expect(row?.n).toBe(1500);
      expect(row?.emails).toBe(expected.filter((c) => c.email).length);
      expect(row?.tagged).toBe(expected.filter((c) => c.tags.length).length);

      const tags = await db.query<{ name: string }>("select name from tags where workspace_id = $1 order by name", [
        workspace.id,
      ]);
      expect(tags.map((t) => t.name)).toEqual([...SEED_TAGS].sort());

      const c = expected[1300];
      const [stored] = await db.query<Record<string, unknown>>(
        "select first_name, phone, phone_digits, created_at from contacts where workspace_id = $1 and external_id is not distinct from $2 and email is not distinct from $3",
        [workspace.id, c?.externalId, c?.email],
      );
      expect(stored).toEqual({
        first_name: c?.firstName,
        phone: c?.phone,
        phone_digits: c?.phoneDigits,
        created_at: c?.createdAt,
      });
    } finally {
      await drop();
    }
  });
});
