import { randomUUID } from "node:crypto";
import { generateContact } from "./generate.ts";

/**
 * A list page of `size` generated contacts, serialised once: what `GET /bench/bare`
 * answers, so a benchmark can compare the contacts list with the framework alone
 * (routing, headers, sending the same number of bytes) measured in the same run.
 */
export function barePage(size = 50): string {
  const items = Array.from({ length: size }, (_, index) => {
    const c = generateContact(index);
    return {
      id: randomUUID(),
      firstName: c.firstName,
      lastName: c.lastName,
      email: c.email,
      phone: c.phone,
      language: c.language,
      timezone: c.timezone,
      externalId: c.externalId,
      tags: c.tags,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      lastSeenAt: c.lastSeenAt,
      version: 1,
    };
  });
  return JSON.stringify({
    items,
    nextCursor: "WyItY3JlYXRlZEF0IiwiMjAyNC0wMS0wMVQwMDowMDowMC4wMDBaIiwiMDAwMDAwMDAiXQ.abcdefghijklmnopqrstuv",
  });
}
